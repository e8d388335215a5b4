"""What a change to the content publishes: items added, changed, removed, and the figures per year.

Reviewers read this in the pull request's summary; a change that alters a
past year's figures is flagged, since those may already have been reported.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .config import SiteConfig
from .counting import YEARLY, Counts, Period, count
from .loader import Content
from .model import Item, Kind

ADDED, CHANGED, REMOVED = "新增", "修改", "删除"


@dataclass(frozen=True)
class Change:
    what: str  # ADDED, CHANGED or REMOVED
    kind: Kind
    title: str
    src_path: str
    note: str = ""  # e.g. 草稿, 待发布, 标题改为…


def diff_content(before: Content, after: Content, as_of: dt.date) -> list[Change]:
    old, new = before.by_path, after.by_path
    changes = []
    for path in sorted(new.keys() - old.keys()):
        changes.append(Change(ADDED, new[path].kind, new[path].title, path, _state_note(new[path], as_of)))
    for path in sorted(old.keys() - new.keys()):
        changes.append(Change(REMOVED, old[path].kind, old[path].title, path))
    for path in sorted(old.keys() & new.keys()):
        if old[path].file.read_bytes() != new[path].file.read_bytes():
            changes.append(Change(CHANGED, new[path].kind, new[path].title, path, _change_note(old[path], new[path], as_of)))
    return changes


def _state_note(item: Item, as_of: dt.date) -> str:
    state = item.state(as_of)
    return "" if state.value == "published" else state.label


def _change_note(old: Item, new: Item, as_of: dt.date) -> str:
    notes = []
    if old.title != new.title:
        notes.append(f"原标题：{old.title}")
    if old.date != new.date:
        notes.append(f"日期 {old.date} → {new.date}")
    if old.state(as_of) != new.state(as_of):
        notes.append(f"{old.state(as_of).label} → {new.state(as_of).label}")
    return "；".join(notes)


def yearly(content: Content, config: SiteConfig, as_of: dt.date) -> dict[int, Counts]:
    years = {i.date.year for i in content.items} | {p.date.year for i in content.of_kind(Kind.NEWS) for p in i.placements}  # type: ignore[attr-defined]
    return {y: count(content.items, config, Period(dt.date(y, 1, 1), dt.date(y, 12, 31)), as_of) for y in sorted(years)}




def summary_markdown(changes: list[Change], before: dict[int, Counts], after: dict[int, Counts], as_of: dt.date) -> str:
    lines = ["## 本次修改发布的内容", ""]
    if not changes:
        lines += ["没有新增、修改或删除内容（只改了其他文件）。", ""]
    for what in (ADDED, CHANGED, REMOVED):
        group = [c for c in changes if c.what == what]
        if group:
            lines += [f"**{what} {len(group)} 篇**", ""]
            lines += [f"- {c.kind.label}：{c.title}（`docs/{c.src_path}`）" + (f" —— {c.note}" if c.note else "") for c in group]
            lines.append("")
    lines += ["## 各年统计数字（修改前 → 修改后）", "", "| 年份 | " + " | ".join(f.label for f in YEARLY) + " |",
              "| --- |" + " ---: |" * len(YEARLY)]
    past_changed = []
    for year in sorted(before.keys() | after.keys()):
        cells, changed = [], False
        for figure in YEARLY:
            old = figure.of(before[year]) if year in before else 0
            new = figure.of(after[year]) if year in after else 0
            cells.append(f"{old}" if old == new else f"{old} → **{new}**")
            changed |= old != new
        lines.append(f"| {year} | " + " | ".join(cells) + " |")
        if changed and year < as_of.year:
            past_changed.append(year)
    if past_changed:
        years = "、".join(f"{y}年" for y in past_changed)
        lines += ["", f"> [!WARNING]\n> 这次修改改变了 {years}的统计数字，这些数字可能已经写进汇报材料。请确认是有意为之。"]
    return "\n".join(lines) + "\n"
