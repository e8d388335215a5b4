"""The MkDocs adapter: the content model (``publicity``) as MkDocs pages, files and template context.

Only this package and the templates in ``overrides/`` know about MkDocs (or its
maintained fork, ProperDocs). The model decides what is published and what
each page shows; this package translates it. It is registered as the MkDocs
plugin ``publicity`` (``pyproject.toml``), named in ``mkdocs.yml``.
"""
