"""New items with complete front matter (archetypes), written from the field declarations.

Every field of the kind is written out, required ones filled, optional ones
empty with their explanation as a comment, so staff see what they may fill
in. A new item starts as a draft: it shows under `make serve` and goes public
once ``draft: true`` is removed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .config import Series, SiteConfig
from .disclosure import next_index_number
from .loader import Content
from .model import Issue, Kind, Rule, RuleStatus
from .schema import FIELDS
from .slugs import slugify

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


def new_item(kind: Kind, title: str, content: Content, config: SiteConfig, today: dt.date,
             series_name: str | None = None, slug: str | None = None) -> NewItem:
    docs = content.docs_dir
    values: dict[str, object] = {"date": today, "draft": True}
    if kind is Kind.NEWSLETTER:
        series = _series(series_name, config)
        number, total = _next_numbers(content, series, today.year)
        values.update(series=series.name, issue=number, total_issue=total)
        path = docs / "newsletters" / series.slug / f"{today.year}-{number:02d}.md"
    else:
        if not title.strip():
            raise ScaffoldError("请给出标题，例如：new.py news \"区建设局开展井盖整治\"")
        name = slug or slugify(title, 24) or "item"
        path = docs / "news" / str(today.year) / f"{today:%m%d}-{name}.md" if kind is Kind.NEWS else docs / "rules" / f"{name}.md"
        if kind is Kind.RULE:
            values["status"] = RuleStatus.IN_FORCE
            values["index_number"] = next_index_number(config, [r for r in content.of_kind(Kind.RULE) if isinstance(r, Rule)],
                                                       today) or None
    if title.strip():
        values["title"] = title.strip()
    return NewItem(path, render(kind, values, config))


def _series(name: str | None, config: SiteConfig) -> Series:
    if not name:
        raise ScaffoldError(f"简报需要 --series，可选：{'、'.join(s.name for s in config.series)}")
    series = config.series_named(name)
    if series is None:
        raise ScaffoldError(f"简报“{name}”未登记，可选：{'、'.join(s.name for s in config.series)}")
    return series


def _next_numbers(content: Content, series: Series, year: int) -> tuple[int, int]:
    """The next free issue number of the year, and the next overall number.

    Drafts count too: a number taken by a draft is not free.
    """
    issues = [i for i in content.of_kind(Kind.NEWSLETTER) if isinstance(i, Issue) and i.series == series]
    this_year = [i.issue for i in issues if i.date.year == year]
    totals = [i.total_issue for i in issues if i.total_issue]
    return max(this_year, default=0) + 1, max(totals, default=len(issues)) + 1


def render(kind: Kind, values: dict[str, object], config: SiteConfig) -> str:
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
    lines += ["---", "", _BODIES[kind], ""]
    return "\n".join(lines)
