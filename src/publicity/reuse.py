"""Work a long-running caller keeps between runs of the checker's pipeline: what an unchanged file gave last time.

The preview server examines the content again after every save. At 10,000 items,
reading and parsing every file and rendering every body costs about ten seconds,
almost all of it for files that did not change. A ``Reuse`` remembers, per file:

* the file as loaded (its problems, body, and the item or page it is), by its size and modification time,
  for as long as the configuration stays the same and the files its front matter names still exist (or not);
* the file as read (decoded, front matter parsed), by its size and modification time alone;
* the rendered body, by its Markdown text, its path and whether its first picture loads eagerly,
  for as long as the published images stay the same (they decide the ``<picture>`` markup).

Everything judged across files (links, issue numbers, URLs, the plan) is computed again
on every run, so a run with a ``Reuse`` reports exactly what a fresh run reports.
Nothing here knows MkDocs; ``check.py`` and ``mkdocs build`` run without one.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .problems import Problems

if TYPE_CHECKING:
    from .source import Source


class Reuse:
    def __init__(self) -> None:
        self._loaded: dict[str, tuple[tuple[int, int], tuple]] = {}
        self._sources: dict[tuple[str, bool], tuple[tuple[int, int], Source]] = {}
        self._context: object = None
        self._renders: dict[tuple[str, str, bool], object] = {}
        self.images_key: object = None
        self.read = self.rendered = 0  # how many files the last run loaded and bodies it rendered afresh
        self._used_loaded: set[str] = set()
        self._used_sources: set[tuple[str, bool]] = set()
        self._used_renders: set[tuple[str, str, bool]] = set()

    def start(self) -> None:
        self.read = self.rendered = 0
        self._used_loaded, self._used_sources, self._used_renders = set(), set(), set()

    def finish(self) -> None:
        """Forget what this run did not use: deleted files, earlier versions of a body."""
        self._loaded = {k: v for k, v in self._loaded.items() if k in self._used_loaded}
        self._sources = {k: v for k, v in self._sources.items() if k in self._used_sources or k[0] in self._used_loaded}
        self._renders = {k: v for k, v in self._renders.items() if k in self._used_renders}

    def context(self, key: object) -> None:
        """What every file's loading also depends on (the configuration): when it changes, every file is loaded again."""
        if key != self._context:
            self._loaded.clear()
            self._context = key

    def loaded(self, path: Path, shown: str, exists: Callable[[str], bool], load: Callable[[], tuple]) -> tuple:
        """``load()`` (the file read and validated: problems, body, item or page, and the files its front matter
        named with whether each existed), unless the file's size and modification time are what they were last
        time and each file it named still exists or not as it did. What it gave is shared: items and pages are
        never changed once made, so the same object stands for an unchanged file from one run to the next."""
        try:
            stat = os.stat(path)
            stamp = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            return load()[:3]  # gone meanwhile: the loader reports it
        self._used_loaded.add(shown)
        known = self._loaded.get(shown)
        if known is None or known[0] != stamp or any(exists(target) != there for target, there in known[1][3]):
            self.read += 1
            known = self._loaded[shown] = (stamp, load())
        return known[1][:3]

    def source(self, path: Path, shown: str, require_front_matter: bool, read: Callable[[], Source]) -> Source:
        """``read()`` (the file decoded, its front matter parsed) unless its size and modification time are unchanged:
        when the set of files changes, every file is validated again, but not read again. Each caller gets its own
        copy of the problem list: the loader adds to it."""
        try:
            stat = os.stat(path)
            stamp = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            return read()
        key = (shown, require_front_matter)
        self._used_sources.add(key)
        known = self._sources.get(key)
        if known is None or known[0] != stamp:
            known = self._sources[key] = (stamp, read())
        source = known[1]
        return dataclasses.replace(source, problems=Problems(source.problems.path, list(source.problems.items)))

    def images(self, key: object) -> None:
        """The run's published images: when they differ from the last run's, every body is rendered again."""
        if key != self.images_key:
            self._renders.clear()
            self.images_key = key

    def render(self, body: str, src_path: str, eager: bool, render: Callable[[str, str, bool], object]) -> object:
        """``render(body, src_path, eager)`` unless this very body was rendered last time."""
        key = (src_path, body, eager)
        self._used_renders.add(key)
        rendered = self._renders.get(key)
        if rendered is None:
            self.rendered += 1
            rendered = self._renders[key] = render(body, src_path, eager)
        return rendered
