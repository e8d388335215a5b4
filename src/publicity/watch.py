"""Noticing that content changed: a snapshot of the content folder, through the inventory (its one walk).

``check.py --watch`` (the editor's background check) and the preview server compare
snapshots to know when to look again, and which files changed.
"""

from __future__ import annotations

import os
from pathlib import Path

from .inventory import take_inventory

Snapshot = dict[str, tuple[int, int]]  # path (docs-relative, or absolute for files outside) -> (mtime_ns, size)


def snapshot(docs: Path, *others: Path) -> Snapshot:
    """Every file the inventory sees (and every link or refused file, by its problem), and ``others`` (the configuration)."""
    inventory = take_inventory(docs, str(docs))
    stamps: Snapshot = {}
    for entry in inventory.entries.values():
        stamps[entry.rel] = _stamp(entry.path)
    for problem in inventory.problems.items:  # a link or a refused file: its appearance or removal is a change too
        stamps[problem.path] = _stamp(Path(problem.path))
    for path in others:
        stamps[str(path)] = _stamp(path)
    return stamps


def changed(before: Snapshot, after: Snapshot) -> set[str]:
    """What was added, removed or modified between two snapshots."""
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = os.lstat(path)
    except OSError:
        return (0, -1)
    return (stat.st_mtime_ns, stat.st_size)
