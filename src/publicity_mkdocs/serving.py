"""The end of a build for the web server: precompressed files and the CSP's script hashes (publicity.deploy)."""

from __future__ import annotations

import logging
from pathlib import Path

from publicity.deploy import finish_site

log = logging.getLogger("mkdocs.publicity")


def finish_for_server(site_dir: str) -> None:
    done = finish_site(Path(site_dir))
    saved = 1 - done.bytes_out / done.bytes_in if done.bytes_in else 0
    log.info(f"压缩：{done.compressed} 个文件预先压缩（.gz，小 {saved:.0%}）；页面内联脚本 {len(done.hashes)} 种，"
             "其哈希写入内容安全策略（deploy/nginx）")
