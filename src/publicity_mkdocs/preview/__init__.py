"""The preview server of `make serve` (scripts/serve.py): the site as `mkdocs build` makes it, drafts shown,
updated page by page after each save, with the content's problems shown on every page.

* ``engine.py``: MkDocs' build step by step, kept in memory; only pages whose inputs changed are rendered again.
* ``fingerprints.py``: what each page depends on.
* ``server.py``: the HTTP server, the watcher and the live script's state.
"""
