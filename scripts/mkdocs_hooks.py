"""MkDocs adapter: wires the content model (``publicity``) into MkDocs events.

Only this module and the templates in ``overrides/`` know about MkDocs. The
model decides what is published and what each page shows; here that is
translated into MkDocs files, page metadata and template context.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.structure.files import File, Files, InclusionLevel  # noqa: E402

from publicity.checks import check_content  # noqa: E402
from publicity.dates import cn_date  # noqa: E402
from publicity.feeds import render_rss  # noqa: E402
from publicity.images import ImageIndex, is_raster, process_images  # noqa: E402
from publicity.loader import Content, load_content  # noqa: E402
from publicity.model import Item, Page, State  # noqa: E402
from publicity.problems import ContentError, Problem  # noqa: E402
from publicity.project import PREVIEW_ENV, as_of_date, load_site_config, preview_enabled  # noqa: E402
from publicity.search import Indexer, SearchIndexError, records_for  # noqa: E402
from publicity.sharing import QrCodes  # noqa: E402
from publicity.site_plan import STATS_PAGE, SitePlan, plan_site  # noqa: E402
from publicity.source import read_body  # noqa: E402

log = logging.getLogger("mkdocs.publicity")


@dataclass
class Build:
    content: Content
    plan: SitePlan
    as_of: object
    preview: bool
    documents: dict[str, Item | Page]
    images: ImageIndex  # the processed images (see publicity/images.py)
    search: Indexer | None = None  # the search index being built beside the pages
    qr: QrCodes | None = None  # item pages' QR codes, drawn beside the pages


_build: Build | None = None


def on_startup(command: str, dirty: bool) -> None:
    # `mkdocs serve` previews drafts and scheduled items; rebuilds reload this
    # module, so the choice is kept where a reload does not reset it.
    if command == "serve":
        os.environ.setdefault(PREVIEW_ENV, "1")


def on_config(config):
    global _build
    root = Path(config.config_file_path).parent
    try:
        site = load_site_config(root)
        as_of = as_of_date(site)
    except ContentError as exc:
        _fail(exc.problems)
    content = load_content(Path(config.docs_dir), site, root)
    preview = preview_enabled()
    plan = plan_site(content, content.visible(as_of, preview), site, as_of)
    # The checker's checks, so that what it refuses never reaches the public either.
    content.problems.extend(check_content(content, site, root, plan.generated_paths))
    # Every image is processed (or taken from the cache) before rendering, so a bad one is reported with the rest.
    images = process_images(content, root)
    content.problems.extend(images.problems)
    for problem in content.problems.warnings:
        log.info(str(problem))  # warnings are the checker's business; a strict build still passes
    if content.errors:
        _fail(content.problems.sorted())
    documents: dict[str, Item | Page] = {i.src_path: i for i in content.items}
    documents.update((p.src_path, p) for p in content.pages)
    _build = Build(content, plan, as_of, preview, documents, ImageIndex(images.published))
    if images.made:
        log.info(f"图片：处理 {images.made} 张，沿用缓存 {images.reused} 张")
    config.extra["office"] = site.office
    return config


def _fail(problems: list[Problem]) -> None:
    for problem in problems:
        if problem.is_error:
            log.error(str(problem))
    raise PluginError(str(ContentError(problems)))


def on_files(files: Files, config) -> Files:
    assert _build is not None
    held = _build.content.held_back(_build.as_of)
    if any(held.values()):
        verb = "预览中显示并标注" if _build.preview else "未生成"
        log.info(f"截至 {_build.as_of}，草稿 {len(held[State.DRAFT])} 篇、待发布 {len(held[State.SCHEDULED])} 篇{verb}")
    if not _build.preview:
        _drop_unpublished(files, held)
    _publish_images(files, config)
    for listing in _build.plan.listings.values():
        if listing.generated:
            files.append(File.generated(config, listing.src_path, content=""))
    if _build.plan.stats_generated:
        files.append(File.generated(config, STATS_PAGE, content=""))
    for feed in _build.plan.feeds:
        files.append(File.generated(config, feed.path, content=render_rss(feed, config.site_url or "/", _build.content.config)))
    # QR codes in the order MkDocs renders the pages (the order of its files).
    base = config.site_url or ""
    _build.qr = QrCodes([base + f.url for f in files.documentation_pages() if f.src_uri in _build.plan.items])
    # Items and generated listings are reached through listings, not the nav:
    # say so, or MkDocs lists every one of them as missing from the nav.
    for src in [*_build.documents, *_build.plan.listings]:
        file = files.get_file_from_path(src)
        if file is not None and file.inclusion in (InclusionLevel.UNDEFINED, InclusionLevel.INCLUDED):
            file.inclusion = InclusionLevel.NOT_IN_NAV
    return files


def _drop_unpublished(files: Files, held: dict[State, list[Item]]) -> None:
    """Unpublished items and the files only they use are not in the site at all."""
    hidden = [item for items in held.values() for item in items]
    in_use = {asset for item in _build.plan.items.values() for asset in item.item.assets}
    for item in hidden:
        log.info(f"未发布（{item.state(_build.as_of).label}）：{item.src_path}")
        for src in (item.src_path, *item.assets):
            file = files.get_file_from_path(src)
            if file is not None and src not in in_use:
                files.remove(file)


def _publish_images(files: Files, config) -> None:
    """Each raster image in docs/ is published as its processed versions, never as the original (it may carry GPS)."""
    docs = os.path.join(config.docs_dir, "")
    for original in [f for f in files if is_raster(f.src_uri) and (f.abs_src_path or "").startswith(docs)]:
        files.remove(original)
        image = _build.images.get(original.src_uri)
        for version in image.versions if image else ():  # the main version keeps the original's URL
            files.append(File.generated(config, version.uri, abs_src_path=str(version.file)))


def on_page_read_source(page, config) -> str | None:
    # The model has read the front matter already: hand MkDocs the body only.
    document = _build.documents.get(page.file.src_uri) if _build else None
    return read_body(document.file, document.body_line) if document else None


def on_page_markdown(markdown: str, page, config, files) -> str:
    src = page.file.src_uri
    document = _build.documents.get(src)
    if isinstance(document, Page):
        page.meta.update(document.meta)
    elif document is not None:
        page.meta.update(title=document.title, description=document.summary or document.title)
    listing = _build.plan.listings.get(src)
    if listing is not None:
        page.meta.setdefault("title", listing.title)
    if src == STATS_PAGE:
        page.meta.setdefault("title", "公开统计")
    modified = _build.plan.last_modified(src)
    if modified is not None:
        page.update_date = modified.isoformat()  # the sitemap's lastmod, instead of the build day
    return markdown


def on_page_context(context, page, config, nav):
    src = page.file.src_uri
    view = _build.plan.items.get(src)
    context["item_view"] = view
    context["listing"] = _build.plan.listings.get(src)
    context["home"] = _build.plan.home if page.is_homepage else None
    context["as_of"] = _build.as_of
    context["stats"] = _build.plan.stats if src == STATS_PAGE else None
    context["feeds"] = _build.plan.feeds
    listing = context["listing"]
    context["listing_feed"] = _build.plan.feed_for(listing.url) if listing else None
    if view is not None and page.canonical_url:
        context["qr_svg"] = _build.qr.get(page.canonical_url)
    if view is not None:
        state = view.item.state(_build.as_of)
        context["item_state"] = None if state is State.PUBLISHED else state
    return context


def on_env(env, config, files):
    env.filters["cn_date"] = cn_date
    env.filters["thumbnail"] = lambda cover: _build.images.thumbnail(cover) if _build else cover
    return env


def on_nav(nav, config, files):
    # The search index is part of every build (and of `mkdocs serve`): no separate step. Pagefind
    # starts here, once MkDocs has emptied the site folder, and indexes while the pages render.
    items = [view.item for _, view in sorted(_build.plan.items.items())]
    try:
        _build.search = Indexer(records_for(items), Path(config.site_dir))
    except SearchIndexError as exc:
        raise PluginError(str(exc)) from None
    return nav


def on_post_build(config) -> None:
    _build.qr.close()
    try:
        report = _build.search.finish()
    except SearchIndexError as exc:
        raise PluginError(str(exc)) from None
    finally:
        _build.search = None
    log.info(f"搜索索引：{report.records} 条，{report.files} 个文件，{report.bytes / 1e6:.1f} MB，"
             f"用时 {report.seconds:.1f} 秒（与页面生成同时进行，之后等待 {report.waited:.1f} 秒）")


def on_build_error(error) -> None:
    if _build is not None and _build.qr is not None:
        _build.qr.close()
    if _build is not None and _build.search is not None:
        _build.search.cancel()
        _build.search = None


def on_post_page(output: str, page, config) -> str:
    # Every <img> of a processed image, in the body or from a template (cover, thumbnails),
    # gets its width and height, srcset, a WebP source and lazy loading.
    return _build.images.rewrite(output, page.url)
