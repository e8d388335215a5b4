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

from markupsafe import Markup  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.structure.files import File, Files, InclusionLevel  # noqa: E402
from mkdocs.structure.toc import get_toc  # noqa: E402

from publicity.checker import examine  # noqa: E402
from publicity.dates import cn_date  # noqa: E402
from publicity.feeds import render_rss  # noqa: E402
from publicity.images import ImageIndex, is_raster  # noqa: E402
from publicity.loader import Content  # noqa: E402
from publicity.model import Item, Page, State  # noqa: E402
from publicity.problems import ContentError, Problem  # noqa: E402
from publicity.project import PREVIEW_ENV, as_of_date, load_site_config, preview_enabled  # noqa: E402
from publicity.search import Indexer, SearchIndexError, records_for  # noqa: E402
from publicity.sharing import QrCodes  # noqa: E402
from publicity.site_plan import STATS_PAGE, SitePlan, plan_site, published_files  # noqa: E402

log = logging.getLogger("mkdocs.publicity")


@dataclass
class Build:
    content: Content
    plan: SitePlan
    as_of: object
    preview: bool
    documents: dict[str, Item | Page]
    images: ImageIndex  # the processed images (see publicity/images.py)
    files: set[str]  # docs-relative: every file of the content the site publishes (pages and what they use)
    search: Indexer | None = None  # the search index being built beside the pages
    qr: QrCodes | None = None  # item pages' QR codes, drawn beside the pages


_build: Build | None = None
_command = "build"
SERVE_ENV = "PUBLICITY_SERVING"  # set while `mkdocs serve` runs: its rebuilds reload this module


def on_startup(command: str, dirty: bool) -> None:
    global _command
    _command = command
    # `mkdocs serve` previews drafts and scheduled items; rebuilds reload this
    # module, so the choice is kept where a reload does not reset it.
    if command == "serve":
        os.environ.setdefault(PREVIEW_ENV, "1")
        os.environ[SERVE_ENV] = "1"
    _Warnings.install()


def on_config(config):
    global _build
    root = Path(config.config_file_path).parent
    try:
        site = load_site_config(root)
        as_of = as_of_date(site)
    except ContentError as exc:
        _fail(exc.problems)
    generator = generator_problems(config)
    if generator:
        _fail(generator)
    if not os.environ.get(SERVE_ENV):  # `mkdocs serve` has set its own local address
        config.site_url = site.site_url
    # The checker's pipeline, images processed: what it refuses never reaches the public either.
    examination = examine(Path(config.docs_dir), site, root, as_of, publish_images=True)
    for problem in examination.problems:
        if not problem.is_error:
            log.info(str(problem))  # warnings are the checker's business; a strict build still passes
    if examination.errors:
        _fail(examination.problems)
    content, preview = examination.content, preview_enabled()
    visible = content.visible(as_of, preview)
    plan = plan_site(content, visible, site, as_of)
    documents: dict[str, Item | Page] = {d.src_path: d for d in content.documents}
    _build = Build(content, plan, as_of, preview, documents, ImageIndex(examination.images.published),
                   published_files(content, visible))
    if examination.images.made:
        log.info(f"图片：处理 {examination.images.made} 张，沿用缓存 {examination.images.reused} 张")
    config.extra["office"] = site.office
    # The content model renders every body (publicity/render.py); MkDocs renders nothing of its own.
    config.markdown_extensions, config.mdx_configs = [], {}
    return config


def _fail(problems: list[Problem]) -> None:
    for problem in problems:
        if problem.is_error:
            log.error(str(problem))
    raise PluginError(str(ContentError(problems)))


# ---- mkdocs.yml: the settings the adapter depends on ---------------------------------------------------------

_DEFAULT_EXTENSIONS = ["toc", "tables", "fenced_code"]  # what MkDocs uses when mkdocs.yml names none


def generator_problems(config) -> list[Problem]:
    """A wrong mkdocs.yml setting the site depends on, as a problem on its line (check.py reports them too)."""
    path = Path(config.config_file_path)
    shown = path.name
    problems: list[Problem] = []

    def bad(key: str, message: str, fix: str) -> None:
        problems.append(Problem(shown, _line_of(path, key), "mkdocs-config", message, fix))

    hooks = [Path(h).name for h in config.hooks]
    if "mkdocs_hooks.py" not in hooks:
        bad("hooks", "mkdocs.yml 没有挂上网站的适配器 scripts/mkdocs_hooks.py：构建出的将是没有检查、没有列表的空网站",
            "在 mkdocs.yml 里写 hooks: [scripts/mkdocs_hooks.py]")
    if not config.use_directory_urls:
        bad("use_directory_urls", "use_directory_urls 必须是 true：网址、链接和二维码都按“文件夹/”的形式生成", "改回 use_directory_urls: true")
    if config.theme.name != "material" or not any(Path(d).name == "overrides" for d in config.theme.dirs):
        bad("theme", "theme 必须是 material，custom_dir 为 overrides：网站的页面模板在 overrides/ 里", "改回 name: material 和 custom_dir: overrides")
    if [str(e) for e in config.markdown_extensions] != _DEFAULT_EXTENSIONS or config.mdx_configs:
        bad("markdown_extensions", "mkdocs.yml 不能设置 markdown_extensions：正文由内容模型渲染并清理",
            "删掉 markdown_extensions；要增减 Markdown 扩展，改 scripts/publicity/render.py 并补上测试")
    return problems


def _line_of(path: Path, key: str) -> int:
    """The line where ``key:`` starts a top-level setting of mkdocs.yml (1 when it is not written there)."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return number
    return 1


class _Warnings(logging.Handler):
    """Counts MkDocs' warnings, so that a strict build can end with a line in Chinese (see on_post_build)."""

    count = 0

    def emit(self, record: logging.LogRecord) -> None:
        type(self).count += 1

    @classmethod
    def install(cls) -> None:
        cls.count = 0
        logger = logging.getLogger("mkdocs")
        if not any(isinstance(h, cls) for h in logger.handlers):
            handler = cls(logging.WARNING)
            logger.addHandler(handler)


def _stop_in_chinese(message: str) -> None:
    """End `mkdocs build` with a line staff can read, instead of MkDocs' "Aborted with a BuildError!".

    Only for `mkdocs build`: under `mkdocs serve` a failed rebuild must not end the server.
    """
    if _command == "build":
        sys.stderr.flush()
        print(f"构建失败：{message}", file=sys.stderr, flush=True)
        raise SystemExit(1)


def on_files(files: Files, config) -> Files:
    assert _build is not None
    held = _build.content.held_back(_build.as_of)
    if any(held.values()):
        verb = "预览中显示并标注" if _build.preview else "未生成"
        log.info(f"截至 {_build.as_of}，草稿 {len(held[State.DRAFT])} 篇、待发布 {len(held[State.SCHEDULED])} 篇{verb}")
    _keep_published(files, config)
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


def _keep_published(files: Files, config) -> None:
    """Only what the model publishes leaves docs/: unpublished items and the files only they use stay out,
    and so does anything MkDocs found that the model does not know (a file behind a link, say)."""
    docs = os.path.join(os.path.abspath(config.docs_dir), "")
    for file in list(files):
        if file.abs_src_path and os.path.abspath(file.abs_src_path).startswith(docs) and file.src_uri not in _build.files:
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
    # The model has read and rendered every document already (on_page_content puts it on the page).
    return "" if _build and page.file.src_uri in _build.documents else None


def on_page_markdown(markdown: str, page, config, files) -> str:
    src = page.file.src_uri
    document = _build.documents.get(src)
    if isinstance(document, Page):
        page.meta.update(document.meta)
        h1 = _build.content.rendered[src].h1
        if h1 and not page.meta.get("title"):
            page.meta["title"] = h1
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


def on_page_content(html: str, page, config, files) -> str:
    """The model's rendering of the body, sanitised; its headings become the page's table of contents."""
    rendered = _build.content.rendered.get(page.file.src_uri)
    if rendered is None:
        return Markup(html)  # a generated page: its content is the templates'
    page.toc = get_toc(rendered.toc)
    _mark_titles(page.toc)
    return Markup(rendered.html)


def _mark_titles(links) -> None:
    """Toc titles are HTML-escaped text already: say so, or the templates would escape them twice."""
    for link in links:
        link.title = Markup(link.title)
        _mark_titles(link.children)


def on_env(env, config, files):
    # Every value a template prints is escaped for HTML: a title is text, never markup. What is
    # markup (a page's sanitised body, its table of contents) is marked so by this adapter.
    env.autoescape = True
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
    if config.strict and _Warnings.count:
        _stop_in_chinese(f"严格模式下有 {_Warnings.count} 条警告（见上面的 WARNING），请处理后重试。")


def on_build_error(error) -> None:
    if _build is not None and _build.qr is not None:
        _build.qr.close()
    if _build is not None and _build.search is not None:
        _build.search.cancel()
        _build.search = None
    known = isinstance(error, PluginError)  # the adapter's own, with the problems listed above it
    _stop_in_chinese(str(error) if known else f"生成页面时出错（{type(error).__name__}: {error}），请把上面的信息发给网站管理员。")


def on_post_page(output: str, page, config) -> str:
    # Every <img> of a processed image, in the body or from a template (cover, thumbnails),
    # gets its width and height, srcset, a WebP source and lazy loading.
    return _build.images.rewrite(output, page.url)
