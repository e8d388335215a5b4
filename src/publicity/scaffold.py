"""New items with complete front matter (archetypes), written from the field declarations.

Every field of the kind is written out, required ones filled, optional ones
empty with their explanation as a comment, so staff see what they may fill
in. A new item starts as a draft: it shows under `make serve` and goes public
once ``draft: true`` is removed.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .config import Series, SiteConfig
from .disclosure import next_index_number
from .loader import Content
from .model import Issue, Item, Kind, Rule, RuleStatus
from .schema import FIELDS
from .slugs import unique

_BODIES = {
    Kind.NEWS: "（在这里写正文。插入图片的方法见 STAFF_GUIDE.md“插图”一节。）",
    Kind.NEWSLETTER: "## 工作动态\n\n（在这里写本期全文。）",
    Kind.RULE: "第一条　（在这里写制度条文。）",
}


@dataclass
class NewItem:
    path: Path  # where to write it
    text: str


class ScaffoldError(ValueError):
    """A request that cannot be met (unknown series, no title); the message is Chinese."""


class AlreadyThere(ScaffoldError):
    """The item asked for exists: same kind, same title and date (a newsletter: same series, year and number)."""

    def __init__(self, existing: Item | Path):
        self.existing = existing.file if isinstance(existing, Item) else existing
        super().__init__("已经有这一篇")


def new_item(kind: Kind, title: str, content: Content, config: SiteConfig, today: dt.date,
             series_name: str | None = None, slug: str | None = None, revises: Rule | None = None) -> NewItem:
    values: dict[str, object] = {"date": today, "draft": True}
    if kind is Kind.NEWSLETTER:
        series = _series(series_name, config)
        number, total = next_numbers(content, series, today.year)
        values.update(series=series.name, issue=number, total_issue=total)
        path = issue_path(content.docs_dir, series, today.year, number)
    else:
        if not title.strip():
            raise ScaffoldError("请给出标题，例如：new.py news \"区建设局开展井盖整治\"")
        same = same_item(content, kind, title, today)
        if same is not None:
            raise AlreadyThere(same)
        path = item_path(content.docs_dir, kind, title, today, config, slug)
        if kind is Kind.RULE:
            values["status"] = RuleStatus.IN_FORCE
            values["index_number"] = next_index_number(config, [r for r in content.of_kind(Kind.RULE) if isinstance(r, Rule)],
                                                       today) or None
        if revises is not None:
            values["supersedes"] = relative_link(path, revises.file)
            values.update({k: getattr(revises, k) for k in ("category", "department", "issuer")
                           if getattr(revises, k) and getattr(revises, k) != config.office.name})
    if title.strip():
        values["title"] = title.strip()
    return NewItem(path, render(kind, values, config))


def item_path(docs: Path, kind: Kind, title: str, day: dt.date, config: SiteConfig, slug: str | None = None,
              taken: Callable[[Path], bool] = Path.exists) -> Path:
    """Where a news item or a rule of this title goes: named by ``slugs.Namer``, with -2, -3 when taken.

    An explicit ``slug`` is used as it is: the caller refuses to overwrite it.
    """
    folder, prefix = (docs / "news" / str(day.year), f"{day:%m%d}-") if kind is Kind.NEWS else (docs / "rules", "")
    if slug:
        return folder / f"{prefix}{slug}.md"
    stem = prefix + (config.namer.name(title) or "item")
    return folder / (unique(stem, lambda s: taken(folder / f"{s}.md")) + ".md")


def issue_path(docs: Path, series: Series, year: int, number: int) -> Path:
    return docs / "newsletters" / series.slug / f"{year}-{number:02d}.md"


def same_item(content: Content, kind: Kind, title: str, day: dt.date) -> Item | None:
    """An item of the kind with this title and date: asking for it again is a mistake, not a second item."""
    return next((i for i in content.of_kind(kind) if i.title == title.strip() and i.date == day), None)


def relative_link(source: Path, target: Path) -> str:
    """How ``source``'s front matter names ``target`` (both in the content folder)."""
    return posixpath.relpath(target.as_posix(), source.parent.as_posix())


def _series(name: str | None, config: SiteConfig) -> Series:
    if not name:
        raise ScaffoldError(f"简报需要 --series，可选：{'、'.join(s.name for s in config.series)}")
    series = config.series_named(name)
    if series is None:
        raise ScaffoldError(f"简报“{name}”未登记，可选：{'、'.join(s.name for s in config.series)}")
    return series


def next_numbers(content: Content, series: Series, year: int) -> tuple[int, int]:
    """The next free issue number of the year, and the next overall number.

    Drafts count too: a number taken by a draft is not free.
    """
    issues = [i for i in content.of_kind(Kind.NEWSLETTER) if isinstance(i, Issue) and i.series == series]
    this_year = [i.issue for i in issues if i.date.year == year]
    totals = [i.total_issue for i in issues if i.total_issue]
    return max(this_year, default=0) + 1, max(totals, default=len(issues)) + 1


def render(kind: Kind, values: dict[str, object], config: SiteConfig, body: str | None = None) -> str:
    """Front matter with every field of the kind (empty ones with their help as a comment), then the body."""
    lines = ["---"]
    for field in FIELDS[kind]:
        value = values.get(field.name)
        hint = field.help + field.type.hint(config)
        if value is None:
            lines.append(f"{field.name}: {field.type.empty}".rstrip() + f"  # {hint}")
        elif field.name == "draft":
            lines.append("draft: true  # 草稿：预览可见、不发布；写好后删除这一行即可发布")
        else:
            lines.append(f"{field.name}: {field.type.scaffold(value)}")
    lines += ["---", "", _BODIES[kind] if body is None else body.strip(), ""]
    return "\n".join(lines)
