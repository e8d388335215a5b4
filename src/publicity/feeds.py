"""RSS 2.0 feeds: all news, each newsletter series, the rules.

Only published items, newest first, absolute links from the site's address;
an item's guid is its address, which never changes. The channel's dates
come from the items, never from the build time, so a feed is the same bytes
whenever it is built.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.utils import format_datetime
from urllib.parse import urljoin
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from .config import SiteConfig
from .model import Issue, Item, Kind

FEED_SIZE = 50  # newest entries per feed: readers poll feeds; the listings hold the rest


@dataclass(frozen=True)
class Feed:
    path: str  # site-relative: feeds/news.xml
    title: str
    listing_url: str  # the listing it mirrors, site-relative
    items: tuple[Item, ...]


def plan_feeds(published: list[Item], config: SiteConfig, section_titles: dict[Kind, str]) -> list[Feed]:
    newest = sorted(published, key=lambda i: (i.date, i.src_path), reverse=True)
    name = config.office.short_name or config.office.name
    feeds = [Feed("feeds/news.xml", f"{name}·{section_titles[Kind.NEWS]}", "news/",
                  tuple(i for i in newest if i.kind is Kind.NEWS)[:FEED_SIZE])]
    for series in config.series:
        issues = tuple(i for i in newest if isinstance(i, Issue) and i.series == series)[:FEED_SIZE]
        feeds.append(Feed(f"feeds/{series.slug}.xml", f"{name}·{series.display}", f"newsletters/{series.slug}/", issues))
    feeds.append(Feed("feeds/rules.xml", f"{name}·{section_titles[Kind.RULE]}", "rules/",
                      tuple(i for i in newest if i.kind is Kind.RULE)[:FEED_SIZE]))
    return feeds


def render_rss(feed: Feed, site_url: str, config: SiteConfig) -> str:
    base = site_url if site_url.endswith("/") else site_url + "/"
    tz = ZoneInfo(config.timezone)
    stamp = lambda day: format_datetime(dt.datetime.combine(day, dt.time(), tz))  # noqa: E731
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">', "<channel>",
             f"<title>{escape(feed.title)}</title>",
             f"<link>{escape(urljoin(base, feed.listing_url))}</link>",
             f'<atom:link href="{escape(urljoin(base, feed.path))}" rel="self" type="application/rss+xml"/>',
             f"<description>{escape(feed.title)}</description>",
             "<language>zh-CN</language>"]
    if feed.items:
        lines.append(f"<lastBuildDate>{stamp(feed.items[0].date)}</lastBuildDate>")
    for item in feed.items:
        url = escape(urljoin(base, item.url))
        lines += ["<item>", f"<title>{escape(item.title)}</title>", f"<link>{url}</link>",
                  f'<guid isPermaLink="true">{url}</guid>', f"<pubDate>{stamp(item.date)}</pubDate>",
                  f"<category>{escape(item.kind.label)}</category>"]
        if item.summary:
            lines.append(f"<description>{escape(item.summary)}</description>")
        lines.append("</item>")
    lines += ["</channel>", "</rss>", ""]
    return "\n".join(lines)
