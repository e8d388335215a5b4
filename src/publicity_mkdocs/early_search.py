"""The search index started as soon as the content is read, before the checks and the pages.

At 10,000 items the checks take a fifth of the build on one core, and the index's helper then had the
other core to itself; started at ``on_nav`` it finished after the pages and the build waited for it.
The records are the visible items in path order, as ``on_nav`` would give them; ``on_nav`` compares
and starts the index again should the plan's items differ.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from publicity.loader import Content
from publicity.search import Indexer, SearchIndexError, records_for


class EarlySearch:
    def __init__(self, site_dir: Path, as_of: dt.date, preview: bool) -> None:
        self.site_dir, self.as_of, self.preview = site_dir, as_of, preview
        self.indexer: Indexer | None = None

    def start(self, content: Content) -> None:
        """examine's ``loaded``: the index of what this build shows."""
        items = sorted(content.visible(self.as_of, self.preview), key=lambda item: item.src_path)
        try:
            self.indexer = Indexer(records_for(items), self.site_dir)
        except SearchIndexError:
            self.indexer = None  # on_nav starts it again, and says why it fails

    def cancel(self) -> None:
        if self.indexer is not None:
            self.indexer.cancel()
            self.indexer = None
