"""Page tags (网页标签): the ``<meta>`` tags a government site's pages carry for the portal's aggregation and the
national monitoring (《政府网站发展指引》, 国办发〔2017〕47号, and its page-tag specification).

- every page: ``SiteName``, ``SiteDomain``, ``SiteIDCode``;
- a column (listing) page: also ``ColumnName``, ``ColumnDescription``, ``ColumnKeywords``, ``ColumnType``;
- an item page: also its column's, then ``ArticleTitle``, ``PubDate`` (``YYYY-MM-DD HH:MM``), ``ContentSource``,
  and ``Keywords``, ``Author``, ``Description``, ``Image``, ``Url`` where the item has them.

Values are plain text; the templates escape them like every other value.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from .config import SiteConfig
from .model import Issue, Item, NewsItem, Rule

Tags = list[tuple[str, str]]  # (name, content), in the order they are written


@dataclass(frozen=True)
class Column:
    """A column (栏目) as its page tags describe it."""

    name: str
    description: str
    keywords: str
    type: str  # ColumnType: 新闻, 简报, 政策文件, 统计 ... (publicity.yml's page_tags.column_types)


def site_tags(config: SiteConfig) -> Tags:
    domain = urlsplit(config.site_url).hostname or ""
    tags = [("SiteName", config.office.name), ("SiteDomain", domain), ("SiteIDCode", config.office.site_code)]
    return [(name, value) for name, value in tags if value]


def column_tags(column: Column) -> Tags:
    return [("ColumnName", column.name), ("ColumnDescription", column.description), ("ColumnKeywords", column.keywords),
            ("ColumnType", column.type)]


def content_source(item: Item, config: SiteConfig) -> str:
    """Who the item comes from: its department, else the rule's issuer or the series' publisher, else the office."""
    if isinstance(item, (NewsItem, Rule)) and item.department:
        return item.department
    if isinstance(item, Rule) and item.issuer:
        return item.issuer
    if isinstance(item, Issue) and item.series.publisher:
        return item.series.publisher
    return config.office.name


def article_tags(item: Item, config: SiteConfig) -> Tags:
    site = config.site_url.rstrip("/") + "/" if config.site_url else ""
    cover = item.cover if isinstance(item, NewsItem) else ""
    tags = [("ArticleTitle", item.title), ("PubDate", item.publication_time.strftime("%Y-%m-%d %H:%M")),
            ("ContentSource", content_source(item, config)), ("Keywords", ",".join(item.tags)),
            ("Author", item.author if isinstance(item, NewsItem) else ""), ("Description", item.summary),
            ("Image", site + cover if site and cover else ""), ("Url", site + item.url if site else "")]
    return [(name, value) for name, value in tags if value]
