"""Counting what was published in a period: the figures the office reports.

The rules of counting (see devdocs/counting.md):
- an item counts when it is published as of ``as_of`` (not a draft, not dated
  after it) and its date falls in the period;
- each placement of a news item counts once (篇次), in the period its own date
  falls in (the item's date when it has none), and only once that date has
  come; ``media_articles`` counts the distinct items with a media placement;
- a rule is issued in the period by its date, and in force at the period's end
  when it is effective by then and not repealed by then.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from .config import LEVELS, SiteConfig
from .model import Issue, Item, NewsItem, Rule, RuleStatus, State


@dataclass(frozen=True)
class Period:
    start: dt.date | None = None
    end: dt.date | None = None  # inclusive

    def __contains__(self, day: dt.date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    def previous(self) -> Period:
        """The preceding period of equal length (环比)."""
        assert self.start and self.end
        days = (self.end - self.start).days + 1
        return Period(self.start - dt.timedelta(days=days), self.start - dt.timedelta(days=1))

    def year_earlier(self) -> Period:
        """The same period a year earlier (同比); 29 February becomes the 28th."""
        assert self.start and self.end
        return Period(_minus_year(self.start), _minus_year(self.end))


def _minus_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


@dataclass
class Counts:
    period: Period
    as_of: dt.date
    issues: int = 0
    by_series: dict[str, int] = field(default_factory=dict)
    news_items: int = 0
    media_placements: int = 0
    media_articles: int = 0
    portal_placements: int = 0
    by_outlet: dict[str, int] = field(default_factory=dict)
    by_level: dict[str, int] = field(default_factory=dict)
    rules_issued: int = 0
    rules_in_force: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    excluded_draft: int = 0
    excluded_scheduled: int = 0
    by_department: dict[str, dict[str, int]] = field(default_factory=dict)
    by_month: dict[str, dict[str, int]] = field(default_factory=dict)

    def as_dict(self) -> dict:
        """The JSON shape other tools rely on (see the count issue); counts are plain numbers."""
        return {
            "period": {"from": _iso(self.period.start), "to": _iso(self.period.end), "as_of": self.as_of.isoformat()},
            "newsletters": {"issues": self.issues, "by_series": self.by_series},
            "news": {"items": self.news_items, "media_placements": self.media_placements,
                     "media_articles": self.media_articles, "portal_placements": self.portal_placements,
                     "by_outlet": self.by_outlet, "by_level": self.by_level, "by_department": self.by_department},
            "rules": {"issued": self.rules_issued, "in_force": self.rules_in_force, "by_status": self.by_status},
            "excluded": {"draft": self.excluded_draft, "scheduled": self.excluded_scheduled},
            "by_month": self.by_month,
        }


@dataclass(frozen=True)
class Figure:
    """One number of ``Counts`` as reports, the statistics page and the pull-request summary name it."""

    key: str  # the Counts attribute
    label: str

    def of(self, counts: Counts) -> int:
        return getattr(counts, self.key)


FIGURES = {f.key: f for f in (
    Figure("issues", "简报（期）"),
    Figure("news_items", "新闻（条）"),
    Figure("media_placements", "各级媒体发表（篇次）"),
    Figure("media_articles", "各级媒体发表（篇）"),
    Figure("portal_placements", "政府网站发布（条）"),
    Figure("rules_issued", "新发制度（项）"),
    Figure("rules_in_force", "期末现行有效制度（项）"),
)}
# The figures of a year: the statistics page's columns and the pull request's summary.
YEARLY = tuple(FIGURES[k] for k in ("issues", "news_items", "media_placements", "portal_placements", "rules_issued"))


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def count(items: Iterable[Item], config: SiteConfig, period: Period, as_of: dt.date) -> Counts:
    items = list(items)
    counts = Counts(period, as_of)
    published = [i for i in items if i.is_published(as_of)]
    for item in items:
        state = item.state(as_of)
        if state is not State.PUBLISHED and item.date in period:
            if state is State.DRAFT:
                counts.excluded_draft += 1
            else:
                counts.excluded_scheduled += 1
    _count_issues(counts, [i for i in published if isinstance(i, Issue)], config)
    _count_news(counts, [i for i in published if isinstance(i, NewsItem)], config)
    _count_rules(counts, [i for i in published if isinstance(i, Rule)])
    return counts


def _month(day: dt.date) -> str:
    return f"{day.year}-{day.month:02d}"


MONTH_COLUMNS = ("issues", "news_items", "media_placements", "portal_placements")
DEPARTMENT_COLUMNS = MONTH_COLUMNS[1:]


def _bump(table: dict[str, dict[str, int]], key: str, column: str, columns: tuple[str, ...]) -> None:
    table.setdefault(key, dict.fromkeys(columns, 0))[column] += 1


def _count_issues(counts: Counts, issues: list[Issue], config: SiteConfig) -> None:
    in_period = [i for i in issues if i.date in counts.period]
    per_series = Counter(i.series.name for i in in_period)
    counts.issues = len(in_period)
    counts.by_series = {s.name: per_series[s.name] for s in config.series}
    for issue in in_period:
        _bump(counts.by_month, _month(issue.date), "issues", MONTH_COLUMNS)


def _count_news(counts: Counts, news: list[NewsItem], config: SiteConfig) -> None:
    outlets, levels = Counter(), Counter()
    departments: dict[str, dict[str, int]] = {}
    for item in news:
        if item.date in counts.period:
            counts.news_items += 1
            _bump(counts.by_month, _month(item.date), "news_items", MONTH_COLUMNS)
            _bump(departments, item.department or "未注明", "news_items", DEPARTMENT_COLUMNS)
        carried = [p for p in item.placements if p.date in counts.period and p.date <= counts.as_of]
        media = [p for p in carried if p.outlet.is_media]
        counts.media_placements += len(media)
        counts.media_articles += bool(media)
        counts.portal_placements += len(carried) - len(media)
        for p in carried:
            outlets[p.outlet.name] += 1
            column = "media_placements" if p.outlet.is_media else "portal_placements"
            _bump(counts.by_month, _month(p.date), column, MONTH_COLUMNS)
            _bump(departments, item.department or "未注明", column, DEPARTMENT_COLUMNS)
            if p.outlet.is_media:
                levels[p.outlet.level] += 1
    counts.by_outlet = {o.name: outlets[o.name] for o in config.outlets}
    counts.by_level = {level: levels[level] for level in LEVELS}
    known = [d for d in config.departments if d in departments] + sorted(set(departments) - set(config.departments))
    counts.by_department = {d: departments[d] for d in known}
    counts.by_month = dict(sorted(counts.by_month.items()))


def _count_rules(counts: Counts, rules: list[Rule]) -> None:
    end = counts.period.end or counts.as_of
    counts.rules_issued = sum(r.date in counts.period for r in rules)
    existing = [r for r in rules if r.date <= end]
    counts.rules_in_force = sum(r.in_force(end) for r in existing)
    statuses = Counter(r.status for r in existing)
    counts.by_status = {s.value: statuses[s] for s in RuleStatus}
