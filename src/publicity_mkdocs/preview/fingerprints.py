"""What each page's HTML depends on, as one short digest: a page is rendered again only when its digest changes.

The digests are taken from what the plugin hands the templates (``PublicityPlugin.on_page_context``
and ``on_page_markdown``): the page's document and rendered body, its view (an item's neighbours and
successor, a listing's entries, the home page, the statistics, the disclosure pages), its page tags,
and what every page shows (the site's configuration, the feeds in the head, the navigation, the
images, the day that decides what is published). A digest may change when the HTML would not (a page
rendered for nothing); it must never stay the same when the HTML would change. ``tests/test_preview.py``
compares every page with a full build after each kind of change to hold this to account: a template
that starts printing something new must be named here.

Speed: at 10,000 items every page's digest is taken after every save, so an item (and a rendered
body) stands for its own digest, computed once for as long as the object lives: the preview's
``publicity.reuse`` keeps the same objects for unchanged files.
"""

from __future__ import annotations

import dataclasses
import hashlib
from enum import Enum

from publicity.disclosure import CATALOGUE_PAGE, GUIDE_PAGE
from publicity.model import Issue, Item, NewsItem, Rule
from publicity.site_plan import STATS_PAGE, home_listing


class Signer:
    """Plain, comparable data of the plan's objects; an item or a rendered body stands for its digest."""

    def __init__(self) -> None:
        self._known: dict[int, tuple[object, str]] = {}  # id -> (the object, kept alive; its digest)
        self._counted: dict[int, tuple[object, str]] = {}

    def of(self, value: object) -> str:
        """The digest of an object that is never changed once made (an item, a rendered body, a page's document)."""
        known = self._known.get(id(value))
        if known is None or known[0] is not value:
            known = self._known[id(value)] = (value, _digest(repr(value)))
        return known[1]

    def counted(self, item: Item) -> str:
        """What the statistics read of an item (publicity.counting, publicity.statistics): its kind, dates, state,
        series, placements, department and a rule's standing. Any other change leaves the statistics page as it is."""
        known = self._counted.get(id(item))
        if known is None or known[0] is not item:
            facts = (type(item).__name__, item.kind, item.date, item.draft, item.publication_date,
                     item.series.name if isinstance(item, Issue) else None,
                     (item.placements, item.department) if isinstance(item, NewsItem) else None,
                     (item.status, item.effective_date, item.repealed) if isinstance(item, Rule) else None)
            known = self._counted[id(item)] = (item, _digest(repr(facts)))
        return known[1]

    def keep(self, alive: list[object]) -> None:
        """Forget the objects that are gone (after a change): only ``alive`` ones are asked about again."""
        ids = {id(v) for v in alive}
        self._known = {k: v for k, v in self._known.items() if k in ids}
        self._counted = {k: v for k, v in self._counted.items() if k in ids}

    def __call__(self, value: object) -> object:
        if isinstance(value, Item):
            return self.of(value)
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
    signer.keep([*content.items, *content.pages, *content.rendered.values()])
    columns: dict[str, object] = {}
    stats = None
    digests = {}
    for src in srcs:
        rendered = content.rendered.get(src)
        body = signer.of(rendered) if rendered is not None else None
        view = plan.items.get(src)
        if view is not None:  # an item: the most pages, the quickest path
            home = home_listing(view.item)
            if home not in columns:
                columns[home] = signer(plan.listings[home].column)
            parts: tuple = (common, src, body, signer.of(view.item), view.cover_above, repr(view.breadcrumbs),
                            *(signer.of(i) if i is not None else None for i in (view.previous, view.next, view.successor, view.predecessor)),
                            columns[home])
        else:
            listing = plan.listings.get(src)
            document = build.documents.get(src)
            parts = (common, src, body, signer.of(document) if document is not None else None,
                     signer(listing), signer(plan.feed_for(listing.url)) if listing is not None else None,
                     signer(plan.home) if src == "index.md" else None,
                     signer(plan.disclosure) if src in (CATALOGUE_PAGE, GUIDE_PAGE) else None,
                     signer(plan.page_tags(src)), repr(plan.last_modified(src)))
            if src == STATS_PAGE:
                if stats is None:  # the counting's inputs, not the counts: counting 10,000 items takes seconds
                    stats = _digest(repr((tuple(signer.counted(i) for i in plan.counted[0]), repr(plan.counted[1]))))
                parts += (stats, signer(plan.stats_column))
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
