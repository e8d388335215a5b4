"""The statistics page (公开统计): each year's figures and the last 24 months.

Built from the same counting code as ``count.py``, so the site and the
report always give the same numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .charts import stacked_bars
from .config import SiteConfig
from .counting import YEARLY, Counts, Figure, Period, count
from .model import Item, Kind


@dataclass
class MonthRow:
    month: str  # 2009-06
    label: str  # 2009年6月
    by_kind: dict[Kind, int]

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())


@dataclass
class Statistics:
    as_of: dt.date
    years: list[tuple[int, Counts]]
    total: Counts
    months: list[MonthRow]
    chart_svg: str
    figures: tuple[Figure, ...] = YEARLY  # the table's columns

def build_statistics(items: list[Item], config: SiteConfig, as_of: dt.date) -> Statistics:
    published = [i for i in items if i.is_published(as_of)]
    years = sorted({i.date.year for i in published}, reverse=True)
    per_year = [(y, count(items, config, Period(dt.date(y, 1, 1), dt.date(y, 12, 31)), as_of)) for y in years]
    months = _last_months(published, 24)
    series = {kind.label: [row.by_kind[kind] for row in months] for kind in Kind}
    title = f"近24个月每月发布数量（{months[0].label}至{months[-1].label}）" if months else "每月发布数量"
    chart = stacked_bars(title, [row.label for row in months], series) if months else ""
    return Statistics(as_of, per_year, count(items, config, Period(), as_of), months, chart)


def _last_months(published: list[Item], span: int) -> list[MonthRow]:
    """The ``span`` months ending with the month of the latest published item."""
    if not published:
        return []
    latest = max(i.date for i in published)
    keys = []
    year, month = latest.year, latest.month
    for _ in range(span):
        keys.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    rows = {key: MonthRow(f"{key[0]}-{key[1]:02d}", f"{key[0]}年{key[1]}月", dict.fromkeys(Kind, 0)) for key in reversed(keys)}
    for item in published:
        row = rows.get((item.date.year, item.date.month))
        if row:
            row.by_kind[item.kind] += 1
    return list(rows.values())
