"""The site's self-inspection (自查), by the national inspection's rules (国办秘函〔2019〕19号).

The inspection fails a site outright (单项否决) when its home page is not
updated for two weeks, when 5 or more columns are stale (news-type columns
with nothing in two weeks, notice and policy columns with nothing in six
months) or empty, or when an item has no publication time. Broken links cost
points. The thresholds are publicity.yml's ``audit`` section (config.Audit).

``scripts/audit.py`` is the command-line face; it works on the content, as
of a day, so that a column about to go stale is seen before the inspectors
see it (预警).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .checker import Examination
from .config import SiteConfig
from .dates import cn_date
from .linkcheck import LinkResult, check_links
from .model import Issue, Item, Kind, NewsItem
from .problems import Problem
from .render import docs_target

# What a column is, for the inspection: its label and which threshold applies.
COLUMN_KINDS = {"home": "首页", "news": "动态类", "policy": "政策文件类", "newsletter": "简报"}
LINK_CODES = ("broken-link", "missing-image", "link-unpublished")  # the checker's codes for a link to nothing


@dataclass(frozen=True)
class ColumnCheck:
    name: str
    kind: str  # one of COLUMN_KINDS
    limit: int  # days without an update before the column is stale
    last: dt.date | None  # its newest published item
    as_of: dt.date
    warn_days: int

    @property
    def age(self) -> int | None:
        return (self.as_of - self.last).days if self.last else None

    @property
    def due(self) -> dt.date | None:
        """The first day it counts as stale, unless something is published before."""
        return self.last + dt.timedelta(days=self.limit + 1) if self.last else None

    @property
    def state(self) -> str:
        if self.last is None:
            return "empty"
        if self.age > self.limit:
            return "stale"
        return "warning" if (self.due - self.as_of).days <= self.warn_days else "ok"

    @property
    def state_label(self) -> str:
        return {"empty": "空白栏目", "stale": "未按期更新", "warning": "即将超期", "ok": "正常"}[self.state]

    def as_dict(self) -> dict:
        return {"name": self.name, "type": COLUMN_KINDS[self.kind], "limit_days": self.limit,
                "last_update": self.last.isoformat() if self.last else None, "days_since": self.age,
                "stale_from": self.due.isoformat() if self.due else None, "state": self.state}


@dataclass
class Inspection:
    as_of: dt.date
    home: ColumnCheck
    columns: list[ColumnCheck]
    undated: list[Problem]  # items the checker refuses for a missing or unreadable date
    broken_links: list[Problem]  # links inside the site to nothing
    external: list[LinkResult] | None  # None: not checked
    external_sources: dict[str, list[str]] = field(default_factory=dict)  # url -> docs-relative files linking to it
    config: SiteConfig | None = None
    content_errors: int = 0  # any error stops the daily build: the site then stays as it was

    @property
    def stale(self) -> list[ColumnCheck]:
        return [c for c in self.columns if c.state == "stale"]

    @property
    def empty(self) -> list[ColumnCheck]:
        return [c for c in self.columns if c.state == "empty"]

    @property
    def warnings(self) -> list[ColumnCheck]:
        return [c for c in [self.home, *self.columns] if c.state == "warning"]

    @property
    def broken_external(self) -> list[LinkResult]:
        return [r for r in self.external or [] if not r.ok]

    @property
    def vetoes(self) -> list[str]:
        """Each 单项否决 condition that holds today, in words."""
        audit = self.config.audit
        found = []
        if self.home.state in ("stale", "empty"):
            since = f"已 {self.home.age} 天未更新" if self.home.last else "没有任何已发布的内容"
            found.append(f"首页{since}（期限 {self.home.limit} 天）")
        if len(self.stale) >= audit.stale_columns:
            found.append(f"{len(self.stale)} 个栏目未按期更新（达到 {audit.stale_columns} 个即否决）")
        if len(self.empty) >= audit.empty_columns:
            found.append(f"{len(self.empty)} 个空白栏目（达到 {audit.empty_columns} 个即否决）")
        if self.undated:
            found.append(f"{len(self.undated)} 篇内容没有可用的发布日期")
        return found

    def as_dict(self) -> dict:
        return {
            "as_of": self.as_of.isoformat(),
            "passed": not self.vetoes,
            "vetoes": self.vetoes,
            "home": self.home.as_dict(),
            "columns": [c.as_dict() for c in self.columns],
            "stale_columns": len(self.stale), "empty_columns": len(self.empty),
            "thresholds": {"stale_columns": self.config.audit.stale_columns, "empty_columns": self.config.audit.empty_columns,
                           "warn_days": self.config.audit.warn_days},
            "warnings": [c.name for c in self.warnings],
            "undated": [str(p) for p in self.undated],
            "content_errors": self.content_errors,
            "broken_internal_links": [str(p) for p in self.broken_links],
            "external_links": None if self.external is None else {
                "checked": len(self.external),
                "broken": [{"url": r.url, "status": r.status, "reason": r.reason, "in": self.external_sources.get(r.url, [])}
                           for r in self.broken_external]},
        }


def inspect(examination: Examination, config: SiteConfig, as_of: dt.date, external: bool = False) -> Inspection:
    content = examination.content
    published = [i for i in content.items if i.is_published(as_of)]
    audit = config.audit

    def column(name: str, kind: str, limit: int, items: list[Item]) -> ColumnCheck:
        return ColumnCheck(name, kind, limit, max((i.publication_date for i in items), default=None), as_of, audit.warn_days)

    news = [i for i in published if i.kind is Kind.NEWS]
    columns = [column("新闻动态", "news", audit.news_days, news)]
    for series in config.series:
        issues = [i for i in published if isinstance(i, Issue) and i.series == series]
        columns.append(column(series.display, "newsletter", series.update_days or audit.newsletter_days, issues))
    columns.append(column("规章制度", "policy", audit.rules_days, [i for i in published if i.kind is Kind.RULE]))
    undated = [p for p in examination.problems if p.code == "date-format" or (p.code == "missing-field" and "“date”" in p.message)]
    links = [p for p in examination.problems if p.code in LINK_CODES]
    result = Inspection(as_of, column("首页", "home", audit.home_days, published), columns, undated, links, None, config=config,
                        content_errors=len(examination.errors))
    if external:
        result.external_sources = external_links(content, published)
        result.external = check_links(list(result.external_sources), audit.timeout, audit.concurrency)
    return result


def external_links(content, published: list[Item]) -> dict[str, list[str]]:
    """Every link to another site on a published page (bodies, outlets' addresses), with the files that carry it."""
    found: dict[str, list[str]] = {}
    documents = [*published, *content.pages]
    for document in documents:
        rendered = content.rendered.get(document.src_path)
        urls = [r.value for r in (rendered.references if rendered else ()) if not r.is_image]
        if isinstance(document, NewsItem):
            urls += [p.url for p in document.placements if p.url]
        for url in urls:
            if url.lower().startswith(("http://", "https://")) and docs_target(url, document.src_path) is None:
                found.setdefault(url, [])
                if document.src_path not in found[url]:
                    found[url].append(document.src_path)
    return found


def render_text(result: Inspection) -> str:
    """The report in Chinese, for staff: what is stale, what soon will be, what fails the inspection."""
    audit = result.config.audit
    lines = [f"网站自查（截至 {cn_date(result.as_of)}，按国办秘函〔2019〕19号的单项否决指标）", "", "一、栏目更新情况"]
    for c in [result.home, *result.columns]:
        last = f"最近更新 {cn_date(c.last)}，已 {c.age} 天" if c.last else "没有已发布的内容"
        due = f"；{cn_date(c.due)} 起算超期" if c.state in ("ok", "warning") else ""
        kind = "" if c.kind == "home" else f"{COLUMN_KINDS[c.kind]}，"
        lines.append(f"  {c.name}（{kind}期限 {c.limit} 天）：{last}{due}　【{c.state_label}】")
    lines += ["", "二、单项否决指标",
              f"  首页：{'超期' if result.home.state in ('stale', 'empty') else '按期更新'}",
              f"  未按期更新的栏目：{len(result.stale)} 个（达到 {audit.stale_columns} 个即否决）",
              f"  空白栏目：{len(result.empty)} 个（达到 {audit.empty_columns} 个即否决）",
              f"  没有发布日期的内容：{len(result.undated)} 篇"]
    lines += [f"    {p}" for p in result.undated]
    if result.content_errors:
        lines.append(f"  内容检查：错误 {result.content_errors} 处（有错误时自动发布会失败，网站停留在上一次发布的样子；"
                     "用 check.py 查看并改正）")
    lines += ["", "三、链接", f"  站内断链：{len(result.broken_links)} 处"]
    lines += [f"    {p}" for p in result.broken_links]
    if result.external is None:
        lines.append("  外部链接：未检查（加 --external 检查）")
    else:
        lines.append(f"  外部链接：检查 {len(result.external)} 个，打不开 {len(result.broken_external)} 个")
        for r in result.broken_external:
            lines.append(f"    {r.url}：{r.reason}（{'、'.join(result.external_sources.get(r.url, []))}）")
    lines += ["", "四、预警"]
    lines += [f"  {c.name}：{cn_date(c.due)} 起超期，还有 {(c.due - result.as_of).days} 天，请在此前发布新内容"
              for c in result.warnings] or ["  无"]
    vetoes = result.vetoes
    lines += ["", "结论：" + (f"有 {len(vetoes)} 项单项否决，检查会直接判为不合格：" if vetoes else "没有单项否决项。")]
    lines += [f"  ✗ {v}" for v in vetoes]
    if vetoes:
        lines.append("  改法：尽快发布新内容（超期的栏目各发一篇即可恢复），或补全出错的内容后重新发布。")
    return "\n".join(lines) + "\n"
