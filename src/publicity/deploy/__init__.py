"""Serving the built site: precompressed files and the CSP's script hashes (written by the build), the nginx
configuration made from the templates in ``deploy/nginx/``, the package for the server's administrator, and a
local nginx for previews and tests."""

from .csp import inline_script_hashes, policy, script_hash
from .finish import HASHES_FILE, Finished, finish_folder, finish_site, read_hashes

__all__ = ["HASHES_FILE", "Finished", "finish_folder", "finish_site", "inline_script_hashes", "policy", "read_hashes", "script_hash"]
