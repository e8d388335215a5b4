"""The publicity site's content model: configuration, items, loading, views.

Nothing in this package imports MkDocs: the generator is an adapter
(``scripts/mkdocs_hooks.py``) over it, and the command-line tools use it
directly.
"""
