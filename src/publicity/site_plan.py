"""What the site shows, derived from the content: listings, neighbours, breadcrumbs.

The generator adapter turns this plan into pages; nothing here knows about
MkDocs. Listings are built once per build and each item page only gets links
to its listing and its two neighbours, so an item page's HTML stays the same
size however many items there are.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from html.parser import HTMLParser

from .config import Series, SiteConfig
from .disclosure import CATALOGUE_PAGE, GUIDE_PAGE, Guide, make_guide
from .feeds import Feed, plan_feeds
from .loader import Content
from .model import Issue, Item, Kind, NewsItem, Page, Rule, RuleStatus, url_for
from .page_tags import Column, Tags, article_tags, column_tags
from .render import docs_target
from .statistics import Statistics, build_statistics

STATS_PAGE = "stats.md"
CATALOGUE_TITLE, GUIDE_TITLE = "政府信息公开目录", "政府信息公开指南"
# Folders whose pages the build generates (news pagination, yearly archives): no content may live there.
RESERVED_FOLDERS = ("news/page/", "news/archive/")


@dataclass(frozen=True)
class Link:
    title: str
    url: str  # site-relative, no leading slash


@dataclass
class Listing:
    """One listing page: a folder's index.md, or a page the build generates."""

    src_path: str
    title: str
    kind: Kind | None
    items: list[Item] = field(default_factory=list)
    groups: list[tuple[str, list[Item]]] = field(default_factory=list)  # (heading, items)
    page: int = 1
    pages: int = 1
    newer: Link | None = None
    older: Link | None = None
    archive: list[tuple[int, Link, int]] = field(default_factory=list)  # (year, link, count)
    series: list[tuple[Series, Link, Issue | None, int]] = field(default_factory=list)
    breadcrumbs: list[Link] = field(default_factory=list)
    generated: bool = True
    column: Column | None = None  # what its page tags say of it

    @property
    def url(self) -> str:
        return url_for(self.src_path)


@dataclass
class ItemView:
    item: Item
    breadcrumbs: list[Link]
    previous: Item | None = None  # the one before in its listing (newer)
    next: Item | None = None  # the one after (older)
    successor: Item | None = None  # for rules: what replaced it
    predecessor: Item | None = None
    cover_above: bool = False  # news: the cover is shown above the body (the body does not show it already)


@dataclass
class Home:
    news: list[NewsItem]
    latest_issues: list[tuple[Series, Link, Issue | None]]
    rules: list[Rule]
    figures: list[tuple[str, int, str]]  # (label, number, unit)
    sections: dict[Kind, Link]


@dataclass
class Disclosure:
    """The 政府信息公开目录 (every visible rule) and the 政府信息公开指南, each a page the build makes
    unless docs/ has one (then its text goes above)."""

    rules: list[Rule]  # newest first
    guide: Guide
    column: Column
    generated: dict[str, bool]  # CATALOGUE_PAGE / GUIDE_PAGE -> made by the build


@dataclass
class SitePlan:
    listings: dict[str, Listing]
    items: dict[str, ItemView]
    home: Home
    counted: tuple[list[Item], dt.date] = field(repr=False)  # what the statistics count: every item, as of the day
    stats_generated: bool  # False when docs/stats.md exists (its text goes above the figures)
    latest: dt.date | None  # newest visible item
    feeds: list[Feed]  # only published items, also in a preview
    disclosure: Disclosure
    stats_column: Column
    config: SiteConfig

    @cached_property
    def stats(self) -> Statistics:
        """Counted when the statistics page is made, not before: the checker's plan never shows them, and
        at 10,000 items counting every year takes seconds (the preview counts again only when counts change)."""
        items, as_of = self.counted
        return build_statistics(items, self.config, as_of)

    def feed_for(self, listing_url: str) -> Feed | None:
        return next((f for f in self.feeds if f.listing_url == listing_url), None)

    @property
    def generated_paths(self) -> list[str]:
        """Docs-relative paths of the pages the build makes itself (no file in docs/)."""
        paths = [path for path, listing in self.listings.items() if listing.generated]
        paths += [path for path, made in self.disclosure.generated.items() if made]
        return paths + ([STATS_PAGE] if self.stats_generated else [])

    def page_tags(self, src_path: str) -> Tags:
        """A page's column and article tags (网页标签; the site's own are on every page, 404 included)."""
        view, listing = self.items.get(src_path), self.listings.get(src_path)
        if view is not None:
            home = self.listings[home_listing(view.item)]
            return (column_tags(home.column) if home.column else []) + article_tags(view.item, self.config)
        if listing is not None and listing.column is not None:
            return column_tags(listing.column)
        if src_path == STATS_PAGE:
            return column_tags(self.stats_column)
        if src_path in self.disclosure.generated:
            return column_tags(self.disclosure.column)
        return []

    def last_modified(self, src_path: str) -> dt.date | None:
        """A page's date for the sitemap: an item's own date, a listing's newest item, else the newest item.

        Never the build time: the same content must give the same bytes on any day.
        """
        if src_path in self.items:
            return self.items[src_path].item.date
        listing = self.listings.get(src_path)
        if listing is not None and listing.items:
            return max(i.date for i in listing.items)
        return self.latest


HOME = Link("首页", "")


def plan_site(content: Content, visible: list[Item], config: SiteConfig, as_of: dt.date) -> SitePlan:
    pages = {p.src_path: p for p in content.pages}
    sections = {k: Link(_section_title(k, pages), f"{k.folder}/") for k in Kind}
    by_kind, listings = _listings(content, visible, config, pages, sections)
    items = _item_views(by_kind, sections, listings, content)
    home = _home(by_kind, listings, sections, config, as_of)
    # Statistics count what is published, also in a preview: the same figures as count.py (SitePlan.stats).
    counted = (content.items, as_of)
    latest = max((i.date for i in visible), default=None)
    published = [i for i in content.items if i.is_published(as_of)]
    feeds = plan_feeds(published, config, {k: link.title for k, link in sections.items()})
    _describe_columns(listings, pages, content, config)
    disclosure = _disclosure(by_kind[Kind.RULE], sections, pages, config)
    stats_column = Column("公开统计", f"{config.office.name}历年发布的新闻、简报和制度数量", f"公开统计,{_short(config)}",
                          config.column_types.stats)
    return SitePlan(listings, items, home, counted, STATS_PAGE not in pages, latest, feeds, disclosure, stats_column, config)


def _listings(content: Content, visible: list[Item], config: SiteConfig, pages: dict[str, Page],
              sections: dict[Kind, Link]) -> tuple[dict[Kind, list[Item]], dict[str, Listing]]:
    """The visible items by kind (newest first), and every listing page."""
    by_kind: dict[Kind, list[Item]] = defaultdict(list)
    for item in sorted(visible, key=lambda i: (i.date, i.src_path), reverse=True):
        by_kind[item.kind].append(item)
    listings: dict[str, Listing] = {}
    for listing in (_news_listings(by_kind[Kind.NEWS], sections[Kind.NEWS], config)
                    + _newsletter_listings(by_kind[Kind.NEWSLETTER], sections[Kind.NEWSLETTER], config)
                    + [_rules_listing(by_kind[Kind.RULE], sections[Kind.RULE])]):
        listings[listing.src_path] = listing
    for page in content.pages:
        _folder_listing(page, visible, listings, sections)
    for src_path, listing in listings.items():
        listing.generated = src_path not in pages
    return by_kind, listings


def generated_paths(content: Content, visible: list[Item], config: SiteConfig) -> list[str]:
    """``plan_site(...).generated_paths`` without the rest of the plan (neighbours, home page, feeds, columns):
    what the checks need, at a fraction of the cost (the preview runs them after every save)."""
    pages = {p.src_path: p for p in content.pages}
    sections = {k: Link(_section_title(k, pages), f"{k.folder}/") for k in Kind}
    _, listings = _listings(content, visible, config, pages, sections)
    paths = [path for path, listing in listings.items() if listing.generated]
    paths += [path for path in (CATALOGUE_PAGE, GUIDE_PAGE) if path not in pages]
    return paths + ([STATS_PAGE] if STATS_PAGE not in pages else [])


def home_listing(item: Item) -> str:
    """The listing an item belongs to: its kind's, or its series'."""
    if isinstance(item, Issue):
        return f"newsletters/{item.series.slug}/index.md"
    return f"{item.kind.folder}/index.md"


def _short(config: SiteConfig) -> str:
    return config.office.short_name or config.office.name


_COLUMN_TYPE = {Kind.NEWS: "news", Kind.NEWSLETTER: "newsletters", Kind.RULE: "rules"}


def _describe_columns(listings: dict[str, Listing], pages: dict[str, Page], content: Content, config: SiteConfig) -> None:
    """Each listing's column for its page tags: the folder's index.md may say its description and keywords
    (front matter ``description``, ``keywords``; else its first paragraph), the pages the build adds share their column's."""
    for src_path, listing in listings.items():
        if listing.kind is None:
            continue
        own = pages.get(src_path) or pages.get(f"{listing.kind.folder}/index.md")
        # The news listing's further pages and yearly archives are the news column too.
        name = listings["news/index.md"].title if src_path.startswith(RESERVED_FOLDERS) else listing.title
        default = f"{config.office.name}{name}"
        series = next((s for s, link, _, _ in listings["newsletters/index.md"].series if link.url == listing.url), None)
        if series is not None and src_path not in pages:
            own, default = None, f"{series.publisher or config.office.name}编印的{series.display}" + (f"，{series.frequency}" if series.frequency else "")
        meta = own.meta if own else {}
        description = str(meta.get("description") or "") or (_first_paragraph(content, own.src_path) if own else "") or default
        keywords = str(meta.get("keywords") or "") or f"{name},{_short(config)}"
        listing.column = Column(name, description, keywords, getattr(config.column_types, _COLUMN_TYPE[listing.kind]))


def _first_paragraph(content: Content, src_path: str) -> str:
    """The first paragraph of a page's rendered body, as text ('' before the checks have rendered it)."""
    rendered = content.rendered.get(src_path)
    return first_paragraph_text(rendered.html) if rendered is not None else ""


class _FirstParagraph(HTMLParser):
    """The text of the first non-empty <p> of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__()
        self.depth, self.parts, self.done = 0, [], False

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "p" and not self.done:
            self.depth += 1

    def handle_endtag(self, tag) -> None:
        if tag == "p" and self.depth:
            self.depth -= 1
            self.done = self.done or bool("".join(self.parts).strip())

    def handle_data(self, data) -> None:
        if self.depth and not self.done:
            self.parts.append(data)


def first_paragraph_text(html: str) -> str:
    parser = _FirstParagraph()
    parser.feed(html)
    return " ".join("".join(parser.parts).split())


def _disclosure(rules: list[Item], sections: dict[Kind, Link], pages: dict[str, Page], config: SiteConfig) -> Disclosure:
    categories = [(link.title, link.url) for link in sections.values()]
    column = Column("政府信息公开", f"{config.office.name}政府信息公开目录和政府信息公开指南",
                    f"政府信息公开,信息公开目录,信息公开指南,{_short(config)}", config.column_types.disclosure)
    return Disclosure([r for r in rules if isinstance(r, Rule)], make_guide(config.office, categories, config.index_pattern), column,
                      {path: path not in pages for path in (CATALOGUE_PAGE, GUIDE_PAGE)})


def _section_title(kind: Kind, pages: dict[str, Page]) -> str:
    page = pages.get(f"{kind.folder}/index.md")
    return str(page.meta.get("title")) if page and page.meta.get("title") else kind.section_title


def _news_listings(news: list[Item], section: Link, config: SiteConfig) -> list[Listing]:
    size = config.page_size
    chunks = [news[i:i + size] for i in range(0, len(news), size)] or [[]]
    paths = ["news/index.md"] + [f"news/page/{n}.md" for n in range(2, len(chunks) + 1)]
    years: dict[int, list[Item]] = defaultdict(list)
    for item in news:
        years[item.date.year].append(item)
    archive = [(y, Link(f"{y}年", f"news/archive/{y}/"), len(years[y])) for y in sorted(years, reverse=True)]
    result = []
    for n, (chunk, path) in enumerate(zip(chunks, paths), start=1):
        title = section.title if n == 1 else f"{section.title}（第{n}页）"
        crumbs = [HOME] if n == 1 else [HOME, section]
        result.append(Listing(path, title, Kind.NEWS, chunk, page=n, pages=len(chunks), archive=archive, breadcrumbs=crumbs,
                              newer=Link("上一页", url_for(paths[n - 2])) if n > 1 else None,
                              older=Link("下一页", url_for(paths[n])) if n < len(chunks) else None))
    for year, _link, _ in archive:
        result.append(Listing(f"news/archive/{year}.md", f"{year}年{section.title}", Kind.NEWS, years[year],
                              archive=archive, breadcrumbs=[HOME, section]))
    return result


def _newsletter_listings(issues: list[Item], section: Link, config: SiteConfig) -> list[Listing]:
    per_series: dict[str, list[Issue]] = defaultdict(list)
    for issue in issues:
        per_series[issue.series.name].append(issue)  # type: ignore[attr-defined]
    overview = Listing("newsletters/index.md", section.title, Kind.NEWSLETTER, breadcrumbs=[HOME])
    result = [overview]
    for series in config.series:
        own = sorted(per_series[series.name], key=lambda i: (i.date.year, i.issue, i.date), reverse=True)
        link = Link(series.display, f"newsletters/{series.slug}/")
        overview.series.append((series, link, own[0] if own else None, len(own)))
        groups = [(f"{year}年", [i for i in own if i.date.year == year]) for year in sorted({i.date.year for i in own}, reverse=True)]
        result.append(Listing(f"newsletters/{series.slug}/index.md", series.display, Kind.NEWSLETTER, own,
                              groups=groups, breadcrumbs=[HOME, section]))
    return result


def _rules_listing(rules: list[Item], section: Link) -> Listing:
    by_category: dict[str, list[Item]] = defaultdict(list)
    for rule in rules:
        by_category[rule.category or "其他"].append(rule)  # type: ignore[attr-defined]
    order = {status: n for n, status in enumerate(RuleStatus)}
    groups = [(cat, sorted(items, key=lambda r: (order[r.status], -r.date.toordinal(), r.src_path)))  # type: ignore[attr-defined]
              for cat, items in sorted(by_category.items(), key=lambda kv: (kv[0] == "其他", kv[0]))]
    return Listing("rules/index.md", section.title, Kind.RULE, rules, groups=groups, breadcrumbs=[HOME])


def _folder_listing(page: Page, visible: list[Item], listings: dict[str, Listing], sections: dict[Kind, Link]) -> None:
    """A staff-written index.md in a subfolder of a kind lists what lies below it."""
    folder, _, name = page.src_path.rpartition("/")
    kind = Kind.for_folder(folder.split("/", 1)[0]) if folder else None
    if kind is None or name != "index.md" or page.src_path in listings:
        return
    below = [i for i in visible if i.src_path.startswith(folder + "/")]
    below.sort(key=lambda i: (i.date, i.src_path), reverse=True)
    title = str(page.meta.get("title") or folder)
    listings[page.src_path] = Listing(page.src_path, title, kind, below, breadcrumbs=[HOME, sections[kind]])


def _item_views(by_kind: dict[Kind, list[Item]], sections: dict[Kind, Link], listings: dict[str, Listing],
                content: Content) -> dict[str, ItemView]:
    views: dict[str, ItemView] = {}
    sequences = [by_kind[Kind.NEWS], by_kind[Kind.RULE]]
    sequences += [listing.items for path, listing in listings.items()
                  if listing.kind is Kind.NEWSLETTER and path != "newsletters/index.md"]
    for sequence in sequences:
        for n, item in enumerate(sequence):
            crumbs = [HOME, sections[item.kind]]
            if isinstance(item, Issue):
                crumbs.append(Link(item.series.display, f"newsletters/{item.series.slug}/"))
            views[item.src_path] = ItemView(item, crumbs, sequence[n - 1] if n else None,
                                            sequence[n + 1] if n + 1 < len(sequence) else None)
    for view in views.values():
        if isinstance(view.item, Rule):
            view.successor = _visible(views, view.item.superseded_by)
            view.predecessor = _visible(views, view.item.supersedes)
        elif isinstance(view.item, NewsItem):
            view.cover_above = view.item.cover_above(content.bodies.get(view.item.src_path, ""))
    return views


def _visible(views: dict[str, ItemView], src_path: str) -> Item | None:
    return views[src_path].item if src_path in views else None


def _home(by_kind: dict[Kind, list[Item]], listings: dict[str, Listing], sections: dict[Kind, Link],
          config: SiteConfig, as_of: dt.date) -> Home:
    overview = listings["newsletters/index.md"]
    # In force today by the same rule the counting uses (effective, not repealed), not by the status alone.
    rules = [r for r in by_kind[Kind.RULE] if r.in_force(as_of)]  # type: ignore[attr-defined]
    figures = [("新闻", len(by_kind[Kind.NEWS]), "篇"), ("简报", len(by_kind[Kind.NEWSLETTER]), "期"),
               ("现行制度", len(rules), "项")]
    return Home(news=by_kind[Kind.NEWS][: config.home_news],  # type: ignore[arg-type]
                latest_issues=[(s, link, latest) for s, link, latest, _ in overview.series],
                rules=rules, figures=figures, sections=sections)



def referenced_files(content: Content, documents: list[Item | Page]) -> set[str]:
    """The content's files (not pages) that ``documents`` use: in front matter (cover, attachment) or in the body.

    The bodies' references come from their rendering (``content.rendered``), as the browser will see them.
    """
    used: set[str] = set()
    for document in documents:
        if isinstance(document, Item):
            used.update(document.assets)
        rendered = content.rendered.get(document.src_path)
        for ref in rendered.references if rendered else ():
            target = docs_target(ref.value, document.src_path)
            if target and target in content.inventory:
                used.add(target)
    return used


def published_files(content: Content, visible: list[Item]) -> set[str]:
    """Every file of the content the site publishes: the pages shown and the files they use, nothing else.

    A draft's photo is published only if a page that is shown uses it too.
    """
    documents = [*visible, *content.pages]
    return {d.src_path for d in documents} | referenced_files(content, documents)
