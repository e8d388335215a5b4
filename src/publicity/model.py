"""The content model: what an item is, once loaded and validated.

The folder decides the kind (``news/``, ``newsletters/``, ``rules/``); the
fields each kind takes are declared in ``schema.py``.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from pathlib import Path

from .config import Outlet, Series


class Kind(StrEnum):
    NEWS = "news"
    NEWSLETTER = "newsletter"
    RULE = "rule"

    @property
    def folder(self) -> str:
        return {"news": "news", "newsletter": "newsletters", "rule": "rules"}[self.value]

    @property
    def label(self) -> str:
        return {"news": "新闻", "newsletter": "简报", "rule": "制度"}[self.value]

    @property
    def section_title(self) -> str:
        """Default title of the kind's listing (a folder index.md may set its own)."""
        return {"news": "新闻动态", "newsletter": "工作简报", "rule": "规章制度"}[self.value]

    @classmethod
    def for_folder(cls, folder: str) -> Kind | None:
        return next((k for k in cls if k.folder == folder), None)


class State(StrEnum):
    PUBLISHED = "published"
    DRAFT = "draft"  # draft: true
    SCHEDULED = "scheduled"  # dated after the as-of date

    @property
    def label(self) -> str:
        return {"published": "已发布", "draft": "草稿", "scheduled": "待发布"}[self.value]


class RuleStatus(StrEnum):
    """A rule's 效力状态 as its front matter states it."""

    IN_FORCE = "现行有效"
    AMENDED = "已修订"  # replaced by a revision
    REPEALED = "已废止"


class Standing(Enum):
    """What a reader is told of a rule on a given day: its status, or 尚未施行 before its effective date."""

    IN_FORCE = ("现行有效", True)
    NOT_YET = ("尚未施行", False)
    AMENDED = ("已修订", False)
    REPEALED = ("已废止", False)

    @property
    def label(self) -> str:
        return self.value[0]

    @property
    def valid(self) -> bool:
        return self.value[1]


def url_for(src_path: str) -> str:
    """Directory URL of a docs-relative Markdown path, as MkDocs makes it."""
    stem = src_path[:-3] if src_path.endswith(".md") else src_path
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        stem = stem[: -len("/index")]
    return stem + "/"


def resolve(src_path: str, relative: str) -> str:
    """A path written in front matter, relative to the Markdown file, made docs-relative."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(src_path), relative))


@dataclass(kw_only=True)
class Item:
    kind: Kind
    src_path: str  # docs-relative, forward slashes: news/2009/0512-jinggai.md
    file: Path  # absolute path of the source
    body_line: int  # where the body starts, so it can be read without parsing YAML again
    title: str
    date: dt.date
    summary: str = ""
    tags: tuple[str, ...] = ()
    draft: bool = False
    lines: dict[str, int] = field(default_factory=dict, repr=False)  # front-matter key -> file line

    def line(self, key: str) -> int:
        return self.lines.get(key, 1)

    @property
    def url(self) -> str:
        return url_for(self.src_path)

    @property
    def publication_date(self) -> dt.date:
        """The day it goes public (a rule may be published after the day it was signed)."""
        return self.date

    @property
    def publication_time(self) -> dt.datetime:
        """When it goes public, to the minute: its day at 00:00 unless the item gives a time (news may)."""
        return dt.datetime.combine(self.publication_date, getattr(self, "time", None) or dt.time())

    def state(self, as_of: dt.date) -> State:
        if self.draft:
            return State.DRAFT
        return State.SCHEDULED if self.publication_date > as_of else State.PUBLISHED

    def is_published(self, as_of: dt.date) -> bool:
        return self.state(as_of) is State.PUBLISHED

    @property
    def assets(self) -> tuple[str, ...]:
        """Docs-relative files this item's front matter refers to."""
        return ()


@dataclass(frozen=True)
class Placement:
    """One carriage of a news item by an outlet: each counts once (篇次)."""

    outlet: Outlet
    date: dt.date
    page: str = ""
    url: str = ""


@dataclass(kw_only=True)
class NewsItem(Item):
    time: dt.time | None = None  # 发布时间 (HH:MM), for the PubDate page tag
    placements: tuple[Placement, ...] = ()
    department: str = ""
    author: str = ""
    category: str = ""
    cover: str = ""  # docs-relative

    @property
    def assets(self) -> tuple[str, ...]:
        return (self.cover,) if self.cover else ()

    def cover_above(self, body: str) -> bool:
        """Whether the page shows the cover above the body: it has one, and the body does not show it already."""
        return bool(self.cover) and posixpath.basename(self.cover) not in body


@dataclass(frozen=True)
class Distribution:
    """Whom a newsletter issue goes to, printed at its end (版记): 报 (superiors), 送 (peers), 发 (the office's own)."""

    report: tuple[str, ...] = ()  # 报
    send: tuple[str, ...] = ()  # 送
    distribute: tuple[str, ...] = ()  # 发
    copies: int | None = None  # 共印N份

    @property
    def lines(self) -> tuple[tuple[str, str], ...]:
        """(报, 区委办公室，区政府办公室。) for each list with names, as printed: commas between, a full stop at the end."""
        lists = (("报", self.report), ("送", self.send), ("发", self.distribute))
        return tuple((label, "，".join(names).rstrip("。；;，,") + "。") for label, names in lists if names)


@dataclass(kw_only=True)
class Issue(Item):
    series: Series
    issue: int
    total_issue: int | None = None
    attachment: str = ""  # docs-relative PDF
    distribution: Distribution | None = None

    @staticmethod
    def label_for(year: int, number: int) -> str:
        """2009年第3期: an issue's number as it is printed."""
        return f"{year}年第{number}期"

    @classmethod
    def default_title(cls, series: Series, year: int, number: int) -> str:
        """《城建情况》2009年第3期: the title of an issue given none."""
        return series.display + cls.label_for(year, number)

    @property
    def number_label(self) -> str:
        """2009年第3期（总第45期）"""
        label = self.label_for(self.date.year, self.issue)
        return f"{label}（总第{self.total_issue}期）" if self.total_issue else label

    @property
    def has_own_title(self) -> bool:
        """Whether the issue was given a title, rather than named by its series and number (the loader's default)."""
        return self.title != self.default_title(self.series, self.date.year, self.issue)

    @property
    def assets(self) -> tuple[str, ...]:
        return (self.attachment,) if self.attachment else ()


@dataclass(kw_only=True)
class Rule(Item):
    status: RuleStatus
    issuer: str
    doc_number: str = ""
    index_number: str = ""
    category: str = ""
    effective: dt.date | None = None  # defaults to date
    published: dt.date | None = None  # 发布日期, defaults to date (成文日期)
    repealed: dt.date | None = None
    department: str = ""
    supersedes: str = ""  # docs-relative
    superseded_by: str = ""

    @property
    def publication_date(self) -> dt.date:
        return self.published or self.date

    @property
    def effective_date(self) -> dt.date:
        return self.effective or self.date

    def in_force(self, on: dt.date) -> bool:
        """In force on a day: effective by then and not repealed by then.

        A rule marked 已修订/已废止 without a ``repealed`` date is taken as not
        in force: the checker asks for the date.
        """
        if self.effective_date > on:
            return False
        if self.status is RuleStatus.IN_FORCE:
            return self.repealed is None or self.repealed > on
        return self.repealed is not None and self.repealed > on

    def standing(self, on: dt.date) -> Standing:
        """What the rule's page and the listings say of it on a day."""
        if self.status is RuleStatus.IN_FORCE:
            return Standing.IN_FORCE if self.effective_date <= on else Standing.NOT_YET
        return Standing.AMENDED if self.status is RuleStatus.AMENDED else Standing.REPEALED


@dataclass
class Page:
    """A Markdown file that is not an item: a folder's index.md, the home page, an about page."""

    src_path: str
    file: Path
    body_line: int
    meta: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return url_for(self.src_path)
