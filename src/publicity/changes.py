"""What a change to the content publishes: every file added, changed or removed, and the figures per year.

Reviewers read this in the pull request's summary. Nothing is hidden: every changed file under
``docs/`` is listed (a file that cannot be read or has errors with its first problem, and it is
named again under the figures, which cannot count it); a changed item says what changed (title,
date, state, a rule's status, placements); an added photo says what the site will publish of it.
A change that alters a past year's figures is flagged, since those may already have been reported.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from .config import SiteConfig
from .counting import YEARLY, Counts, Period, count
from .images.pixels import render as render_image
from .images.types import BadImage, is_raster
from .inventory import Inventory
from .loader import Content
from .model import Item, Kind, NewsItem, Rule
from .problems import Problem

ADDED, CHANGED, REMOVED = "新增", "修改", "删除"


@dataclass(frozen=True)
class Change:
    what: str  # ADDED, CHANGED or REMOVED
    kind: Kind | None  # None for a file that is not an item (a photo, an attachment, a page, a broken file)
    title: str
    src_path: str
    note: str = ""  # e.g. 草稿, 待发布, 原标题：…
    problem: str = ""  # the file's first error, when it has one

    @property
    def label(self) -> str:
        if self.kind is not None:
            return self.kind.label
        folder_kind = Kind.for_folder(self.src_path.split("/", 1)[0]) if "/" in self.src_path else None
        if folder_kind is not None and self.src_path.endswith(".md") and not self.src_path.endswith("/index.md"):
            return folder_kind.label  # an item that cannot be loaded is still one of its folder's kind
        return "图片" if is_raster(self.src_path) else "页面" if self.src_path.endswith(".md") else "文件"


def content_files(inventory: Inventory) -> dict[str, str]:
    """Every file the inventory's walk met, docs-relative, with a digest.

    The build's own walk and policy: hidden files are not content, and a symbolic link is never followed (it is
    listed, with its symlink error, and its digest is of where it points). Files the build refuses (a wrong type,
    a reserved path) are listed too: the summary hides nothing.
    """
    return {rel: _digest(path) for rel, path in inventory.met.items()}


def _digest(path: Path) -> str:
    if path.is_symlink():
        return hashlib.sha256(b"symlink:" + os.fsencode(os.readlink(path))).hexdigest()
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def diff_content(before: Content, after: Content, as_of: dt.date, problems: list[Problem] | None = None) -> list[Change]:
    """Every changed file; ``problems`` are the head's (checker.examine's), by default its loading problems."""
    old_files, new_files = content_files(before.inventory), content_files(after.inventory)
    first = first_errors(problems if problems is not None else after.problems.items, after)
    changes = []
    for path in sorted(new_files.keys() - old_files.keys()):
        changes.append(_added(path, after, as_of, first.get(path, "")))
    for path in sorted(old_files.keys() & new_files.keys()):
        if old_files[path] != new_files[path]:
            changes.append(_changed(path, before, after, as_of, first.get(path, "")))
    for path in sorted(old_files.keys() - new_files.keys()):
        item = before.by_path.get(path)
        changes.append(Change(REMOVED, item.kind if item else None, item.title if item else "", path))
    return changes


def first_errors(problems: list[Problem], content: Content) -> dict[str, str]:
    """Each file's first error (by line), docs-relative path -> the problem as check.py prints it, less the path."""
    base = content.inventory.shown + "/"
    found: dict[str, Problem] = {}
    for problem in problems:
        if problem.is_error and problem.path.startswith(base):
            rel = problem.path[len(base):]
            if rel not in found or problem.line < found[rel].line:
                found[rel] = problem
    return {rel: f"第 {p.line} 行 [{p.code}] {p.message}" + (f"（{p.fix}）" if p.fix else "") for rel, p in found.items()}


def _added(path: str, after: Content, as_of: dt.date, problem: str) -> Change:
    item = after.by_path.get(path)
    if item is not None:
        return Change(ADDED, item.kind, item.title, path, _state_note(item, as_of), problem)
    note = published_size(after.docs_dir / path, after.config) if is_raster(path) and not problem else ""
    return Change(ADDED, None, "", path, note, problem)


def _changed(path: str, before: Content, after: Content, as_of: dt.date, problem: str) -> Change:
    old, new = before.by_path.get(path), after.by_path.get(path)
    if new is None:
        return Change(CHANGED, old.kind if old else None, old.title if old else "", path, "", problem)
    note = _change_note(old, new, as_of) if old is not None else "（修改前无法读取）"
    return Change(CHANGED, new.kind, new.title, path, note, problem)


def published_size(path: Path, config: SiteConfig) -> str:
    """What the site publishes of a photo: its largest version's pixels and bytes, beside the original's bytes."""
    try:
        files, info = render_image(path, config.images, thumbnail=False)
    except (BadImage, OSError, ValueError):
        return ""
    width, height = info["sizes"][-1]
    main = files[f"{width}{info['suffix']}"]
    return f"发布为 {width}×{height}，{_kb(len(main))}（原图 {_kb(path.stat().st_size)}）"


def _kb(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


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
    if isinstance(old, Rule) and isinstance(new, Rule) and old.status != new.status:
        notes.append(f"效力 {old.status.value} → {new.status.value}")
    if isinstance(old, NewsItem) and isinstance(new, NewsItem):
        was, now = [_placement(p) for p in old.placements], [_placement(p) for p in new.placements]
        added, removed = [p for p in now if p not in was], [p for p in was if p not in now]
        if added:
            notes.append(f"增加刊发：{'、'.join(added)}")
        if removed:
            notes.append(f"去掉刊发：{'、'.join(removed)}")
    return "；".join(notes) or "只改了正文或其他字段"


def _placement(placement) -> str:
    return f"{placement.outlet.name}（{placement.date}{' ' + placement.page if placement.page else ''}）"


def yearly(content: Content, config: SiteConfig, as_of: dt.date) -> dict[int, Counts]:
    years = {i.date.year for i in content.items} | {p.date.year for i in content.of_kind(Kind.NEWS) for p in i.placements}  # type: ignore[attr-defined]
    return {y: count(content.items, config, Period(dt.date(y, 1, 1), dt.date(y, 12, 31)), as_of) for y in sorted(years)}


def summary_markdown(changes: list[Change], before: dict[int, Counts], after: dict[int, Counts], as_of: dt.date) -> str:
    lines = ["## 本次修改发布的内容", ""]
    if not changes:
        lines += ["没有新增、修改或删除内容文件（只改了其他文件）。", ""]
    for what in (ADDED, CHANGED, REMOVED):
        group = [c for c in changes if c.what == what]
        if group:
            lines += [f"**{what} {len(group)} 个文件**", ""]
            lines += [_entry(c) for c in group]
            lines.append("")
    lines += _figures(before, after, as_of)
    broken = [c for c in changes if c.problem and c.what != REMOVED]
    if broken:
        lines += ["", f"> [!CAUTION]\n> 有 {len(broken)} 个文件有错误，上表没有计入它们："
                  + "、".join(f"`docs/{c.src_path}`" for c in broken) + "。改正后统计数字可能还会变化。"]
    return "\n".join(lines) + "\n"


def _entry(change: Change) -> str:
    name = f"{change.label}：{change.title}（`docs/{change.src_path}`）" if change.title else f"{change.label}：`docs/{change.src_path}`"
    if change.problem:
        return f"- {name} —— **有错误**：{change.problem}"
    return f"- {name}" + (f" —— {change.note}" if change.note else "")


def _figures(before: dict[int, Counts], after: dict[int, Counts], as_of: dt.date) -> list[str]:
    lines = ["## 各年统计数字（修改前 → 修改后）", "", "| 年份 | " + " | ".join(f.label for f in YEARLY) + " |",
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
    return lines
