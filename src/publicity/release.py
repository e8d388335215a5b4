"""Taking an item out of draft (``new.py publish``), with what a revision implies for the rule it replaces.

A new rule that ``supersedes`` another is written as a draft first; while it is a draft the old
rule stays as it is (``loader._check_revision``). Publishing it is one step: ``draft`` goes, and
the old rule is marked 已修订 with ``superseded_by`` and ``repealed`` (the new rule's effective
date), so the two sides never disagree on the public site.

Front matter is edited line by line, so that everything else in the files (comments, order,
the body) stays as staff wrote it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .fields import yaml_scalar
from .loader import Content
from .model import Item, Rule, RuleStatus
from .scaffold import relative_link
from .source import read_source

_KEEP = object()


@dataclass(frozen=True)
class FieldChange:
    """One field of one file: ``new`` is None when the line is removed."""

    file: Path
    key: str
    old: object
    new: object

    def describe(self) -> str:
        if self.new is None:
            return f"删除 {self.key}: {_scalar(self.old)}"
        if self.old in (None, ""):
            return f"加上 {self.key}: {_scalar(self.new)}"
        return f"{self.key}: {_scalar(self.old)} → {_scalar(self.new)}"


class ReleaseError(ValueError):
    """Why an item cannot be published this way; the message is Chinese."""


def publish_changes(item: Item, content: Content) -> list[FieldChange]:
    """What publishing ``item`` changes, in the order it is printed; [] when there is nothing to do."""
    changes = [FieldChange(item.file, "draft", True, None)] if item.draft else []
    if isinstance(item, Rule) and item.supersedes:
        old = content.by_path.get(item.supersedes)
        if not isinstance(old, Rule):
            raise ReleaseError(f"supersedes 指向的“{item.supersedes}”不是一篇制度，无法标记为已修订")
        changes += _retire(old, item)
    return changes


def _retire(old: Rule, new: Rule) -> list[FieldChange]:
    """The old rule's side of a revision: 已修订 from the day the new one takes effect."""
    changes = []
    if old.superseded_by != new.src_path:
        changes.append(FieldChange(old.file, "superseded_by", old.superseded_by, relative_link(old.file, new.file)))
    if old.status is RuleStatus.IN_FORCE:
        changes.append(FieldChange(old.file, "status", old.status.value, RuleStatus.AMENDED.value))
    if old.repealed is None:  # a date already written is the office's own statement: kept
        changes.append(FieldChange(old.file, "repealed", None, new.effective_date))
    return changes


def apply(changes: list[FieldChange]) -> list[Path]:
    """Write the changes, one file at a time (each read and written whole); the files written."""
    files: dict[Path, list[FieldChange]] = {}
    for change in changes:
        files.setdefault(change.file, []).append(change)
    for path, edits in files.items():
        text = path.read_text(encoding="utf-8")
        path.write_text(edit_front_matter(text, path, {e.key: e.new for e in edits}), encoding="utf-8", newline="\n")
    return list(files)


def edit_front_matter(text: str, path: Path, values: dict[str, object]) -> str:
    """The file with each key's line replaced (or removed for None, or added before the closing ---)."""
    source = read_source(path, path.name, require_front_matter=True)
    if source.meta is None or source.body_line < 3:
        raise ReleaseError(f"{path.name} 的字段区无法读取，请先运行 check.py 改正")
    lines = text.replace("\r\n", "\n").split("\n")
    close = source.body_line - 2  # the closing ---'s index: the body starts on the line after it
    while close > 0 and lines[close].strip() != "---":
        close -= 1
    present = {key: source.line(key) - 1 for key in values if key in source.meta}
    for key in sorted(present, key=present.get, reverse=True):
        value = values[key]
        if value is None:
            del lines[present[key]]
            close -= 1
        else:
            lines[present[key]] = f"{key}: {_scalar(value)}"
    lines[close:close] = [f"{key}: {_scalar(v)}" for key, v in values.items() if key not in present and v is not None]
    return "\n".join(lines)


def _scalar(value: object) -> str:
    return value.isoformat() if isinstance(value, dt.date) else yaml_scalar(value)
