"""The search's one error."""


class SearchIndexError(Exception):
    """The index could not be built, or does not hold what readers will type (message in Chinese)."""
