"""Presenting counts: the report sentence, tables for a terminal, Markdown and CSV.

The figures come from ``counting.Counts``; this module only lays them out.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from string import Formatter
from types import SimpleNamespace

from .config import SiteConfig
from .counting import FIGURES, MONTH_COLUMNS, Counts
from .problems import ContentError, Problem

BREAKDOWNS = ("series", "outlet", "level", "department", "month", "year")


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[object]] = field(default_factory=list)


# ---- the report sentence -------------------------------------------------

def report_sentence(counts: Counts, config: SiteConfig, template_name: str = "default") -> str:
    """Fill a report template from the configuration with the figures.

    Placeholders name figures as in the JSON output ({news.media_placements}),
    plus {series_titles} (《城建情况》、《沙市城管》) and {portal_names}.
    """
    template = config.report_templates.get(template_name)
    where = config.path.name if config.path else "publicity.yml"
    if template is None:
        names = "、".join(config.report_templates) or "（无）"
        raise ContentError([Problem(where, 1, "report-template", f"没有名为“{template_name}”的汇报模板",
                                    f"已有的模板：{names}；在 report.templates 下添加")])
    values = _namespace(counts.as_dict())
    values.series_titles = "、".join(s.display for s in config.series if counts.by_series.get(s.name)) \
        or "、".join(s.display for s in config.series)
    portals = [o for o in config.outlets if not o.is_media]
    values.portal_names = "、".join(o.name for o in portals if counts.by_outlet.get(o.name)) \
        or "、".join(o.name for o in portals)
    try:
        return Formatter().vformat(template, (), vars(values))
    except (KeyError, AttributeError, IndexError, ValueError) as exc:
        raise ContentError([Problem(where, 1, "report-template", f"汇报模板“{template_name}”里的“{{…}}”无法填写：{exc}",
                                    "花括号里写统计项的名称，例如 {news.media_placements}、{newsletters.issues}")]) from None


# What the comparison sentence compares: the report sentence's own figures, in its words.
_COMPARED = (("issues", "编发简报", "期"), ("media_placements", "在各级媒体发表新闻稿件", "篇（次）"),
             ("portal_placements", "在政府网站发布单位新闻", "条"))


def comparison_sentence(current: Counts, other: Counts, label: str) -> str:
    """与去年同期（2008-01-01 至 2008-06-30）相比，编发简报增加3期（+13.0%），……。"""
    parts = []
    for key, words, unit in _COMPARED:
        now, then = FIGURES[key].of(current), FIGURES[key].of(other)
        if now == then:
            parts.append(f"{words}持平（{now}{unit}）")
        else:
            change = "增加" if now > then else "减少"
            rate = "" if then == 0 else f"（{_rate(now, then)}）"
            parts.append(f"{words}{change}{abs(now - then)}{unit}{rate}")
    start = other.period.start.isoformat() if other.period.start else "最早"
    end = other.period.end.isoformat() if other.period.end else "最新"
    return f"与{label}（{start} 至 {end}）相比，" + "，".join(parts) + "。"


def _namespace(data: object) -> object:
    if isinstance(data, dict):
        return SimpleNamespace(**{str(k): _namespace(v) for k, v in data.items()})
    return data


# ---- tables --------------------------------------------------------------

def summary_table(counts: Counts, config: SiteConfig, compare: Counts | None = None, compare_label: str = "") -> Table:
    rows: list[tuple[str, int, int | None]] = []

    def add(label: str, get) -> None:
        rows.append((label, get(counts), get(compare) if compare else None))

    add(FIGURES["issues"].label, FIGURES["issues"].of)
    for series in config.series:
        add(f"　{series.display}", lambda c, n=series.name: c.by_series.get(n, 0))
    for key in ("news_items", "media_placements", "media_articles", "portal_placements"):
        add(FIGURES[key].label, FIGURES[key].of)
    for outlet in (o for o in config.outlets if not o.is_media):
        add(f"　{outlet.name}", lambda c, n=outlet.name: c.by_outlet.get(n, 0))
    add(FIGURES["rules_issued"].label, FIGURES["rules_issued"].of)
    add(FIGURES["rules_in_force"].label, FIGURES["rules_in_force"].of)
    add("未计入：草稿", lambda c: c.excluded_draft)
    add("未计入：待发布", lambda c: c.excluded_scheduled)
    headers = ["指标", "本期"]
    if compare is None:
        return Table("统计结果", headers, [[label, now] for label, now, _ in rows])
    headers += [compare_label, "增减", "增减率"]
    return Table("统计结果", headers, [[label, now, then, now - then, _rate(now, then)] for label, now, then in rows])


def _rate(now: int, then: int) -> str:
    return "—" if then == 0 else f"{(now - then) / then:+.1%}"


def breakdown_tables(counts: Counts, config: SiteConfig, by: list[str]) -> list[Table]:
    tables = []
    for name in by:
        if name == "series":
            tables.append(Table("按简报", ["简报", "期数"], [[s.display, counts.by_series.get(s.name, 0)] for s in config.series]))
        elif name == "outlet":
            tables.append(Table("按媒体", ["媒体", "级别", "类型", "篇次"],
                                [[o.name, o.level, "媒体" if o.is_media else "政府网站", counts.by_outlet.get(o.name, 0)]
                                 for o in config.outlets]))
        elif name == "level":
            tables.append(Table("按媒体级别（各级媒体，篇次）", ["级别", "篇次"], [[k, v] for k, v in counts.by_level.items()]))
        elif name == "department":
            columns = ("news_items", "media_placements", "portal_placements")
            tables.append(Table("按科室", ["科室"] + [FIGURES[c].label for c in columns],
                                [[d, *(row.get(c, 0) for c in columns)] for d, row in counts.by_department.items()]))
        elif name in ("month", "year"):
            tables.append(_time_table(counts, name))
    return tables


def _time_table(counts: Counts, unit: str) -> Table:
    columns = MONTH_COLUMNS
    rows: dict[str, list[int]] = {}
    for month, row in counts.by_month.items():
        key = month if unit == "month" else month[:4]
        totals = rows.setdefault(key, [0] * len(columns))
        for n, column in enumerate(columns):
            totals[n] += row.get(column, 0)
    title, head = ("按月", "月份") if unit == "month" else ("按年", "年份")
    return Table(title, [head] + [FIGURES[c].label for c in columns], [[k, *v] for k, v in rows.items()])


# ---- renderers -----------------------------------------------------------

def period_line(counts: Counts) -> str:
    start = counts.period.start.isoformat() if counts.period.start else "最早"
    end = counts.period.end.isoformat() if counts.period.end else "最新"
    return f"统计期间：{start} 至 {end}（截至 {counts.as_of.isoformat()} 已发布的内容）"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def render_text(tables: list[Table], heading: str) -> str:
    out = [heading]
    for table in tables:
        cells = [[str(c) for c in row] for row in [table.headers, *table.rows]]
        widths = [max(_width(row[i]) for row in cells) for i in range(len(table.headers))]
        out += ["", table.title]
        for n, row in enumerate(cells):
            line = "  ".join((c + " " * (w - _width(c))) if i == 0 else (" " * (w - _width(c)) + c)
                             for i, (c, w) in enumerate(zip(row, widths)))
            out.append(line.rstrip())
            if n == 0:
                out.append("  ".join("-" * w for w in widths))
    return "\n".join(out) + "\n"


def render_markdown(tables: list[Table], heading: str) -> str:
    out = [heading]
    for table in tables:
        out += ["", f"**{table.title}**", "", "| " + " | ".join(table.headers) + " |",
                "| " + " | ".join(["---"] + ["---:"] * (len(table.headers) - 1)) + " |"]
        out += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in table.rows]
    return "\n".join(out) + "\n"


def render_csv(table: Table) -> str:
    """One table, one header row and nothing else, so that Excel and WPS can sort and filter it.

    A row the terminal indents under its total (　《城建情况》) is named in full instead
    (简报（期）：《城建情况》): a sorted sheet keeps no indentation's meaning. The caller
    writes UTF-8 with a BOM so that Excel and WPS read Chinese.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.headers)
    parent = ""
    for row in table.rows:
        label = str(row[0])
        if label.startswith("\u3000"):
            label = f"{parent}：{label.strip()}"
        else:
            parent = label
        writer.writerow([label, *row[1:]])
    return buffer.getvalue()
