"""The plugin: each MkDocs event hands MkDocs what the content model decided.

- ``on_config``: the checker's pipeline (``publicity.checker.examine``); any error stops the build.
- ``on_files``: only the files the model publishes, images as their processed versions, generated pages.
- ``on_page_*``: each page gets the model's sanitised body, its title and its view (item, listing, home).
- ``on_env``: templates escape every value they print.
- ``on_nav`` / ``on_post_build``: the search index is built beside the pages; then the files for the web server.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from jinja2 import pass_context
from markupsafe import Markup
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.toc import get_toc

from publicity.checker import examine
from publicity.dates import cn_date
from publicity.disclosure import CATALOGUE_PAGE, GUIDE_PAGE
from publicity.feeds import render_rss
from publicity.images import ImageIndex, is_raster
from publicity.loader import Content
from publicity.model import Item, Page, State
from publicity.page_tags import site_tags
from publicity.problems import ContentError, Problem
from publicity.project import PREVIEW_ENV, as_of_date, load_site_config, preview_enabled
from publicity.render import relative_url
from publicity.search import Indexer, SearchIndexError, records_for
from publicity.sharing import QrCodes
from publicity.site_plan import CATALOGUE_TITLE, GUIDE_TITLE, STATS_PAGE, SitePlan, plan_site, published_files

from .early_search import EarlySearch
from .generator import WarningCounter, generator_problems, stop_in_chinese
from .pages import make_bodyless
from .serving import finish_pages, finish_search

log = logging.getLogger("mkdocs.publicity")
DISCLOSURE_TITLES = {CATALOGUE_PAGE: CATALOGUE_TITLE, GUIDE_PAGE: GUIDE_TITLE}
DISCLOSURE_VIEWS = {CATALOGUE_PAGE: "catalogue", GUIDE_PAGE: "guide"}  # which partial shows the page


@dataclass
class Build:
    """What one build knows: the model's content and plan, and the work under way beside the pages."""

    content: Content
    plan: SitePlan
    as_of: object
    preview: bool
    documents: dict[str, Item | Page]
    images: ImageIndex  # the processed images
    files: set[str]  # docs-relative: every file of the content the site publishes (pages and what they use)
    search: Indexer | None = None  # the search index being built beside the pages
    qr: QrCodes | None = None  # item pages' QR codes, drawn beside the pages


class PublicityPlugin(BasePlugin):
    def __init__(self) -> None:
        super().__init__()
        self.build: Build | None = None
        self.command = "build"
        self.warnings: WarningCounter | None = None
        # The preview server (publicity_mkdocs.preview) gives its own: the checker's pipeline remembering
        # unchanged files' work between saves, and QR codes remembered by address.
        self.examine = examine
        self.qr_codes = QrCodes

    # ---- the build's configuration and content ----------------------------------------------------------------

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this instance across `mkdocs serve` rebuilds.
        self.command = command
        if command == "serve":  # a preview shows drafts and scheduled items, marked
            os.environ.setdefault(PREVIEW_ENV, "1")
        self.warnings = WarningCounter.attach()

    def on_config(self, config):
        root = Path(config.config_file_path).parent
        try:
            site = load_site_config(root)
            as_of = as_of_date(site)
        except ContentError as exc:
            self._fail(exc.problems)
        generator = generator_problems(config)
        if generator:
            self._fail(generator)
        if self.command != "serve":  # `mkdocs serve` has set its own local address
            config.site_url = site.site_url
        config.site_name = site.office.name  # one name, publicity.yml's: the header, <title> and feeds show it
        # The checker's pipeline, images processed: what it refuses never reaches the public either. A build
        # starts its search index as soon as the content is read, on the core the checks and pages leave free.
        search = EarlySearch(Path(config.site_dir), as_of, preview_enabled())
        early = {"loaded": search.start} if self.command == "build" else {}
        try:
            examination = self.examine(Path(config.docs_dir), site, root, as_of, publish_images=True, **early)
        except BaseException:
            search.cancel()
            raise
        for problem in examination.problems:
            if not problem.is_error:
                log.info(str(problem))  # warnings are the checker's business; a strict build still passes
        if examination.errors:
            search.cancel()
            self._fail(examination.problems)
        content, preview = examination.content, preview_enabled()
        visible = content.visible(as_of, preview)
        self.build = Build(content, plan_site(content, visible, site, as_of), as_of, preview,
                           {d.src_path: d for d in content.documents}, ImageIndex(examination.images.published),
                           published_files(content, visible), search=search.indexer)
        if examination.images.made:
            log.info(f"图片：处理 {examination.images.made} 张，沿用缓存 {examination.images.reused} 张")
        config.extra["office"] = site.office
        config.extra["site_tags"] = site_tags(site)  # 网页标签 of every page, the 404 page's included
        # The content model renders every body (publicity/render.py); MkDocs renders nothing of its own.
        config.markdown_extensions, config.mdx_configs = [], {}
        return config

    def _fail(self, problems: list[Problem]) -> None:
        for problem in problems:
            if problem.is_error:
                log.error(str(problem))
        raise PluginError(str(ContentError(problems)))

    # ---- files ----------------------------------------------------------------------------------------------------

    def on_files(self, files: Files, config) -> Files:
        build = self.build
        held = build.content.held_back(build.as_of)
        if any(held.values()):
            verb = "预览中显示并标注" if build.preview else "未生成"
            log.info(f"截至 {build.as_of}，草稿 {len(held[State.DRAFT])} 篇、待发布 {len(held[State.SCHEDULED])} 篇{verb}")
        docs = os.path.join(os.path.abspath(config.docs_dir), "")
        for file in list(files):
            if file.abs_src_path and os.path.abspath(file.abs_src_path).startswith(docs):
                self._publish(file, files, config)
        for listing in build.plan.listings.values():
            if listing.generated:
                files.append(File.generated(config, listing.src_path, content=""))
        if build.plan.stats_generated:
            files.append(File.generated(config, STATS_PAGE, content=""))
        for path, made in build.plan.disclosure.generated.items():
            if made:
                files.append(File.generated(config, path, content=""))
        for feed in build.plan.feeds:
            files.append(File.generated(config, feed.path, content=render_rss(feed, config.site_url or "/", build.content.config)))
        # QR codes in the order MkDocs renders the pages (the order of its files).
        base = config.site_url or ""
        build.qr = self.qr_codes([base + f.url for f in files.documentation_pages() if f.src_uri in build.plan.items])
        # Items and generated listings are reached through listings, not the nav:
        # say so, or MkDocs lists every one of them as missing from the nav.
        for src in [*build.documents, *build.plan.listings, *DISCLOSURE_TITLES]:
            file = files.get_file_from_path(src)
            if file is not None and file.inclusion in (InclusionLevel.UNDEFINED, InclusionLevel.INCLUDED):
                file.inclusion = InclusionLevel.NOT_IN_NAV
        return files

    def _publish(self, file: File, files: Files, config) -> None:
        """A file MkDocs found in docs/: kept only if the model publishes it; a photo as its processed versions
        (never the original, which may carry GPS)."""
        if file.src_uri not in self.build.files:  # unpublished items, files only they use, anything unknown
            files.remove(file)
        elif is_raster(file.src_uri):
            files.remove(file)
            image = self.build.images.get(file.src_uri)
            for version in image.versions if image else ():  # the main version keeps the original's URL
                files.append(File.generated(config, version.uri, abs_src_path=str(version.file)))

    # ---- pages ------------------------------------------------------------------------------------------------------

    def on_page_read_source(self, page, config) -> str | None:
        # The model has read and rendered every document already (on_page_content puts it on the page).
        return "" if self.build and page.file.src_uri in self.build.documents else None

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        build, src = self.build, page.file.src_uri
        document = build.documents.get(src)
        if isinstance(document, Page):
            page.meta.update(document.meta)
            h1 = build.content.rendered[src].h1
            if h1 and not page.meta.get("title"):
                page.meta["title"] = h1
        elif document is not None:
            page.meta.update(title=document.title, description=document.summary or document.title)
        listing = build.plan.listings.get(src)
        if listing is not None:
            page.meta.setdefault("title", listing.title)
        if src == STATS_PAGE:
            page.meta.setdefault("title", "公开统计")
        if src in DISCLOSURE_TITLES:
            page.meta.setdefault("title", DISCLOSURE_TITLES[src])
        modified = build.plan.last_modified(src)
        if modified is not None:
            page.update_date = modified.isoformat()  # the sitemap's lastmod, instead of the build day
        return markdown

    def on_page_content(self, html: str, page, config, files) -> str:
        """The model's rendering of the body, sanitised; its headings become the page's table of contents."""
        rendered = self.build.content.rendered.get(page.file.src_uri)
        if rendered is None:
            return Markup(html)  # a generated page: its content is the templates'
        page.toc = get_toc(rendered.toc)
        _mark_titles(page.toc)
        return Markup(rendered.html)

    def on_page_context(self, context, page, config, nav):
        build, src = self.build, page.file.src_uri
        view = build.plan.items.get(src)
        listing = build.plan.listings.get(src)
        context.update(item_view=view, listing=listing, home=build.plan.home if page.is_homepage else None,
                       as_of=build.as_of, stats=build.plan.stats if src == STATS_PAGE else None, feeds=build.plan.feeds,
                       listing_feed=build.plan.feed_for(listing.url) if listing else None,
                       page_tags=build.plan.page_tags(src), disclosure_page=DISCLOSURE_VIEWS.get(src),
                       disclosure=build.plan.disclosure)
        if view is not None:
            if page.canonical_url:
                context["qr_svg"] = build.qr.get(page.canonical_url)
            state = view.item.state(build.as_of)
            context["item_state"] = None if state is State.PUBLISHED else state
        return context

    def on_env(self, env, config, files):
        # Every value a template prints is escaped for HTML: a title is text, never markup. What is
        # markup (a page's sanitised body, its table of contents) is marked so by this adapter.
        env.autoescape = True
        env.filters["cn_date"] = cn_date
        env.filters["picture"] = self._picture
        return env

    @pass_context
    def _picture(self, context, uri: str, alt: str = "", css: str = "", thumbnail: bool = False, eager: bool = True) -> Markup:
        """A cover or a listing's thumbnail (docs-relative ``uri``) with every published version, for this page."""
        images = self.build.images
        if thumbnail:
            uri = images.thumbnail(uri)
        page_url = context["page"].url

        def url(target: str) -> str:
            return relative_url(target, page_url)

        attrs = {"class": css, "alt": alt} if css else {"alt": alt}
        return Markup(images.picture(uri, url, attrs, eager=eager))

    # ---- the search index, and the end of the build -----------------------------------------------------------------

    def on_nav(self, nav, config, files):
        # The search index is part of every build (and of `mkdocs serve`): no separate step. Pagefind
        # starts here, once MkDocs has emptied the site folder, and indexes while the pages render.
        # A build's index started with the content (EarlySearch); should the plan's items be others, it starts again.
        records = records_for([view.item for _, view in sorted(self.build.plan.items.items())])
        if self.build.search is None or self.build.search.records != records:
            if self.build.search is not None:
                self.build.search.cancel()
            try:
                self.build.search = Indexer(records, Path(config.site_dir))
            except SearchIndexError as exc:
                raise PluginError(str(exc)) from None
        # MkDocs has made every page (with the nav's titles); their bodies come from the model or the
        # templates, so none needs MkDocs' Markdown converter (pages.py).
        make_bodyless(files)
        return nav

    def on_post_build(self, *, config) -> None:
        build = self.build
        build.qr.close()
        # What nginx serves (deploy/), not the preview of `mkdocs serve`: the pages are compressed and
        # hashed while the search index is still being written, the index once it is there.
        serving = finish_pages(config.site_dir) if self.command == "build" else None
        try:
            report = build.search.finish()
        except SearchIndexError as exc:
            raise PluginError(str(exc)) from None
        finally:
            build.search = None
        log.info(f"搜索索引：{report.records} 条，{report.files} 个文件，{report.bytes / 1e6:.1f} MB，"
                 f"用时 {report.seconds:.1f} 秒（与页面生成同时进行，之后等待 {report.waited:.1f} 秒）")
        if serving is not None:
            finish_search(config.site_dir, serving)
        if config.strict and self.warnings and self.warnings.count and self.command == "build":
            stop_in_chinese(f"严格模式下有 {self.warnings.count} 条警告（见上面的 WARNING），请处理后重试。")

    def on_build_error(self, *, error: Exception) -> None:
        build = self.build
        if build is not None and build.qr is not None:
            build.qr.close()
        if build is not None and build.search is not None:
            build.search.cancel()
            build.search = None
        if self.command == "build":  # under `mkdocs serve` a failed rebuild must not end the server
            known = isinstance(error, PluginError)  # the adapter's own, with the problems listed above it
            stop_in_chinese(str(error) if known else
                            f"生成页面时出错（{type(error).__name__}: {error}），请把上面的信息发给网站管理员。")


def _mark_titles(links) -> None:
    """Toc titles are HTML-escaped text already: say so, or the templates would escape them twice."""
    for link in links:
        link.title = Markup(link.title)
        _mark_titles(link.children)
