"""The publicity site's content model: configuration, items, loading, views.

Nothing in this package imports MkDocs: the generator is an adapter (the
MkDocs plugin in ``src/publicity_mkdocs/``) over it, and the command-line
tools use it directly.
"""
