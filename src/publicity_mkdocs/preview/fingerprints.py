"""What each page's HTML depends on, as one short digest: a page is rendered again only when its digest changes.

The digests are taken from what the plugin hands the templates (``PublicityPlugin.on_page_context``
and ``on_page_markdown``): the page's document and rendered body, its view (an item's neighbours and
successor, a listing's entries, the home page, the statistics, the disclosure pages), its page tags and
date, and what every page shows (the site's configuration, the feeds in the head, the navigation, the
images). A digest may change when the HTML would not (a page rendered for nothing); it must never stay the
same when the HTML would change. ``tests/test_preview.py`` compares every page with a full build to
hold this to account: a template that starts printing something new must be named here.
"""

from __future__ import annotations

import dataclasses
import hashlib
from enum import Enum

from publicity.disclosure import CATALOGUE_PAGE, GUIDE_PAGE
from publicity.model import Item
from publicity.site_plan import STATS_PAGE


class Signer:
    """Plain, comparable data of the plan's objects; an item stands for its digest, computed once per change."""

    def __init__(self) -> None:
        self._items: dict[int, tuple[Item, str]] = {}

    def item(self, item: Item) -> str:
        known = self._items.get(id(item))
        if known is None or known[0] is not item:
            known = self._items[id(item)] = (item, _digest(repr(item)))
        return known[1]

    def __call__(self, value: object) -> object:
        if isinstance(value, Item):
            return self.item(value)
        if isinstance(value, (str, int, float, bool, type(None), Enum)):
            return value
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return (type(value).__name__, *(self(getattr(value, f.name)) for f in dataclasses.fields(value)))
        if isinstance(value, (list, tuple)):
            return tuple(self(v) for v in value)
        if isinstance(value, dict):
            return tuple((self(k), self(v)) for k, v in value.items())
        return repr(value)  # dates, paths, sets of plain values


def page_digests(build, srcs: list[str], common: str, signer: Signer) -> dict[str, str]:
    """Each page's digest (docs-relative path -> hex); ``build`` is the plugin's Build, ``common`` what every page shows."""
    plan, content = build.plan, build.content
    digests = {}
    for src in srcs:
        listing = plan.listings.get(src)
        view = plan.items.get(src)
        parts = (
            common, src,
            signer(build.documents.get(src)),
            repr(content.rendered.get(src)),  # the sanitised body and its table of contents
            signer(view),
            view.item.state(build.as_of) if view is not None else None,
            signer(listing),
            signer(plan.feed_for(listing.url)) if listing is not None else None,
            signer(plan.home) if src == "index.md" else None,
            (signer(plan.stats), signer(plan.stats_column)) if src == STATS_PAGE else None,
            signer(plan.disclosure) if src in (CATALOGUE_PAGE, GUIDE_PAGE) else None,
            signer(plan.page_tags(src)),
            repr(plan.last_modified(src)),
        )
        digests[src] = _digest(repr(parts))
    return digests


def common_digest(build, signer: Signer, nav_pages: list, extra: object) -> str:
    """What every page shows: the site's configuration, the feeds named in the head, the navigation's titles,
    the day that decides what is published; ``extra``: the caller's (the published images, mkdocs.yml)."""
    plan = build.plan
    feeds = [(f.path, f.title, f.listing_url) for f in plan.feeds]
    nav = [(p.title, p.url) for p in nav_pages]
    return _digest(repr((signer(build.content.config), repr(build.as_of), build.preview, feeds, nav,
                         signer(plan.home.sections), extra)))


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
