"""Checks beyond loading: bodies (links, images, unsafe HTML), numbering, URLs, image sizes.

The loader refuses what it cannot load; these checks look at what loads
but would still publish something wrong: a link to nothing, an image that is
missing, a script in a page, an issue number skipped. The build and the
checker run the same checks.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
from collections import defaultdict
from pathlib import Path

from .config import SiteConfig
from .disclosure import next_index_number
from .images.markup import ImageIndex
from .inventory import FileKind
from .loader import Content
from .model import Issue, Item, Kind, NewsItem, Page, Rule, State, url_for
from .problems import Problem, Problems
from .render import Rendered, Renderer, docs_target
from .reuse import Reuse
from .sanitize import svg_findings
from .site_plan import RESERVED_FOLDERS, referenced_files


def check_content(content: Content, config: SiteConfig, root: Path | None, generated: list[str],
                  as_of: dt.date, images: ImageIndex | None = None, reuse: Reuse | None = None) -> list[Problem]:
    """Every check the build and the checker share, beyond loading.

    ``generated`` holds the docs-relative paths of pages the build generates
    (listings, the statistics page), so links to them are good and files
    that would publish at their URL are caught. Each body is rendered here,
    once: ``content.rendered`` keeps it for the pages.
    """
    base = content.inventory.shown
    problems = Problems(base)
    links = _Links(content, {url_for(g) for g in generated}, as_of)
    renderer = Renderer(images)
    for document in content.documents:
        body = content.body(document)
        eager = not (isinstance(document, NewsItem) and document.cover_above(body))  # a cover above the body loads first
        if reuse is None:
            rendered = renderer.render(body, document.src_path, eager)
        else:  # the preview: an unchanged body is not rendered again (reuse.py)
            rendered = reuse.render(body, document.src_path, eager, renderer.render)
        content.rendered[document.src_path] = rendered
        _check_body(document, body, rendered, links, Problems(f"{base}/{document.src_path}", problems.items))
    _check_drawings(content, problems)
    _check_unused(content, problems)
    _check_generated_urls(content, generated, base, problems)
    _check_numbering(content, base, problems)
    _check_image_sizes(content, config, base, problems)
    _check_index_numbers(content, config, base, problems)
    return problems.items


# ---- bodies ---------------------------------------------------------------

_FINDINGS = {  # code -> (message, fix); {what} is the thing found, as written
    "html-tag": ("正文里有 {what} 标签，网页不能发布它",
                 "删掉它：正文里不能放脚本、样式、表单、框架或嵌入的网页；要嵌入视频或地图，请联系网站管理员"),
    "html-attribute": ("正文的 HTML 里有 {what}，网页不能发布它（on… 属性会执行脚本，class 和 id 只能用网站支持的值）",
                       "删掉这个属性；要强调文字请用 **加粗**，要提示框请用 !!! note"),
    "unsafe-link": ("链接或图片地址“{what}”不能发布", "链接只能指向网页（http:// 或 https://）、邮箱（mailto:）、电话（tel:）或本站的文件"),
    "external-image": ("图片“{what}”放在其他网站上：读者的浏览器会去那个网站取图，单位内网里也看不到",
                       "把图片下载下来放进本文旁边的 images/ 文件夹，再写 ![图片说明](images/文件名.jpg)"),
}


class _Links:
    """What a link may point to: the content's files and pages, and the pages the build generates."""

    def __init__(self, content: Content, generated_urls: set[str], as_of: dt.date):
        self.content, self.as_of = content, as_of
        self.urls = {url_for(d.src_path) for d in content.documents} | generated_urls
        self.items_by_url = {i.url: i for i in content.items}

    def exists(self, target: str) -> bool:
        """A file of the content, or a page's URL (news/2009/ or news/2009)."""
        if target in self.content.inventory or target in ("", "./"):
            return True
        if "." in target.rstrip("/").rsplit("/", 1)[-1]:
            return False  # a file name that is not in the content
        return target.rstrip("/") + "/" in self.urls

    def item(self, target: str) -> Item | None:
        return self.content.by_path.get(target) if target.endswith(".md") else self.items_by_url.get(target.rstrip("/") + "/")


def _check_body(document: Item | Page, body: str, rendered: Rendered, links: _Links, problems: Problems) -> None:
    lines = body.split("\n")
    find = _Locator(lines, document.body_line)
    for finding in rendered.findings:
        message, fix = _FINDINGS[finding.code]
        problems.error(find(finding.needles), finding.code, message.format(what=finding.what), fix)
    for ref in rendered.references:
        target = docs_target(ref.value, document.src_path)
        if target is None:
            continue  # another site, an anchor on the page, a site-absolute path
        line = find((ref.value,))
        if target == ".." or target.startswith("../"):
            problems.error(line, "broken-link", f"链接“{ref.value}”指到了内容文件夹之外", "检查相对路径中的 ../ 是否多了")
        elif not links.exists(target):
            if ref.is_image:
                problems.error(line, "missing-image", f"图片“{ref.value}”不存在", "检查文件名（区分大小写）和相对路径，或把图片放到对应位置")
            else:
                problems.error(line, "broken-link", f"链接“{ref.value}”指向的页面或文件不存在",
                               "链接其他内容时写相对路径的 .md 文件名，例如 ../2009/0512-jinggai.md")
        else:
            _check_link_target(document, links.item(target), links.as_of, line, problems)
    find = _Locator(lines, document.body_line)  # the same images again, from the top
    for src in rendered.images_without_alt:
        problems.warning(find((src,)), "image-alt-missing", f"图片“{src}”没有图片说明",
                         "在方括号里写一句图片说明，例如 ![维修后的井盖](images/jinggai.jpg)，读屏软件会读给视障读者听")


def _check_link_target(document: Item | Page, target: Item | None, as_of: dt.date, line: int, problems: Problems) -> None:
    """A page that is public links to an item that is not (yet): the link would break on the site."""
    if target is None or isinstance(document, Item) and document.draft:
        return
    public_from = document.publication_date if isinstance(document, Item) else as_of
    state = target.state(as_of)
    if target.draft or (state is State.SCHEDULED and public_from < target.publication_date):
        when = "是草稿" if target.draft else f"要到 {target.publication_date} 才发布"
        problems.error(line, "link-unpublished", f"链接指向的“{target.title}”{when}：正式网站上那时还没有这一页，链接会失效",
                       "等那篇发布后再加这个链接，或把本文的日期改到它发布之后（或也设为草稿）")


class _Locator:
    """The file line where a finding can be seen: its text as written, or as an entity-decoded line shows it.

    The same text found again is looked for after the line of its last
    finding, so that two handlers on two lines are reported on both.
    """

    def __init__(self, lines: list[str], first_line: int):
        self._raw = lines
        self.first_line = first_line
        self.after: dict[str, int] = {}

    @functools.cached_property
    def lines(self) -> list[str]:
        # Made when first asked: most bodies have nothing to locate, and at 10,000 items lowering
        # every line of every body took most of the body checks' time.
        return [line.lower() for line in self._raw]

    @functools.cached_property
    def decoded(self) -> list[str]:
        return [html.unescape(line) for line in self.lines]

    def __call__(self, needles: tuple[str, ...]) -> int:
        for needle in needles:
            needle = needle.lower().strip()
            if not needle:
                continue
            start = self.after.get(needle, 0)
            for n in range(start, len(self.lines)):
                if needle in self.lines[n] or needle in self.decoded[n]:
                    self.after[needle] = n + 1
                    return self.first_line + n
        return self.first_line


def _check_drawings(content: Content, problems: Problems) -> None:
    """An SVG opened on its own runs its script on the site's origin: only plain drawings are published."""
    for entry in content.inventory.of_kind(FileKind.DRAWING):
        if entry.suffix != ".svg":
            continue
        here = Problems(content.inventory.shown_path(entry.rel), problems.items)
        data = entry.path.read_bytes()
        lines = data.decode("utf-8", "replace").split("\n")
        find = _Locator(lines, 1)
        for finding in svg_findings(data):
            if finding.code == "svg-invalid":
                here.error(1, "svg-invalid", f"SVG 文件无法解析（{finding.what}）", "用绘图软件重新导出为 SVG，或改用 PNG")
            else:
                here.error(find(finding.needles), "svg-unsafe", f"SVG 图片里有 {finding.what}（脚本、事件、嵌入的网页或外部链接），网站不能发布",
                           "用绘图软件导出“纯图形”的 SVG（不含脚本和交互），或改用 PNG")


def _check_unused(content: Content, problems: Problems) -> None:
    """A file nothing links to is not published (it could be a draft's photo): say so, rather than drop it silently."""
    used = referenced_files(content, content.documents)
    for entry in content.inventory.entries.values():
        if entry.kind is not FileKind.MARKDOWN and entry.rel not in used:
            Problems(content.inventory.shown_path(entry.rel), problems.items).warning(
                1, "unused-file", "没有任何内容用到这个文件，网站不会发布它",
                "在正文里插入或链接它（例如 ![说明](images/文件名.jpg)），或把它删掉")


# ---- cross-file checks ----------------------------------------------------

def _check_generated_urls(content: Content, generated: list[str], base: str, problems: Problems) -> None:
    taken = {url_for(g): g for g in generated}
    for document in [*content.items, *content.pages]:
        url = url_for(document.src_path)
        if (url in taken and taken[url] != document.src_path) or document.src_path.startswith(RESERVED_FOLDERS):
            Problems(f"{base}/{document.src_path}", problems.items).error(
                1, "duplicate-url", f"网站会在 /{url} 自动生成页面，这个文件与它冲突", "给这个文件换一个名字或文件夹")


def _check_numbering(content: Content, base: str, problems: Problems) -> None:
    runs: dict[tuple[str, int], list[Issue]] = defaultdict(list)
    for issue in content.of_kind(Kind.NEWSLETTER):
        runs[(issue.series.name, issue.date.year)].append(issue)  # type: ignore[union-attr]
    for (series, year), issues in sorted(runs.items()):
        issues.sort(key=lambda i: (i.issue, i.src_path))
        for before, after in zip(issues, issues[1:]):
            here = Problems(f"{base}/{after.src_path}", problems.items)
            if after.issue > before.issue + 1:
                missing = "、".join(f"第{n}期" for n in range(before.issue + 1, after.issue))
                here.warning(after.line("issue"), "issue-gap", f"《{series}》{year}年第{before.issue}期之后是第{after.issue}期，缺{missing}",
                             "检查期号是否写错；如确实缺期可忽略")
            if after.issue > before.issue and after.date < before.date:
                here.warning(after.line("date"), "issue-date-order",
                             f"《{series}》{year}年第{after.issue}期的日期 {after.date} 早于第{before.issue}期（{before.date}）",
                             "检查期号 issue 和日期 date 是否写错")


def _check_image_sizes(content: Content, config: SiteConfig, base: str, problems: Problems) -> None:
    limit = config.images.warn_kb * 1024
    for entry in content.inventory.of_kind(FileKind.RASTER):
        size_kb = entry.path.stat().st_size // 1024
        if size_kb * 1024 > limit:
            Problems(f"{base}/{entry.rel}", problems.items).warning(
                1, "image-too-large", f"图片有 {size_kb} KB，超过 {config.images.warn_kb} KB",
                "发布时会自动缩小；原图太大仍会让仓库变大，可先用手机或电脑缩小到 3 MB 以内再提交")



def _check_index_numbers(content: Content, config: SiteConfig, base: str, problems: Problems) -> None:
    """The disclosure catalogue is arranged by 索引号: a rule without one is pointed out, with the next free number."""
    rules = [r for r in content.of_kind(Kind.RULE) if isinstance(r, Rule)]
    for rule in rules:
        if not rule.index_number:
            proposal = next_index_number(config, rules, rule.date)
            fix = (f"加一行 index_number: {proposal}（按 publicity.yml 的 disclosure.index_pattern，本年下一个未用的索引号）" if proposal
                   else "加一行 index_number: …（单位的索引号；在 publicity.yml 写 disclosure.index_pattern 后，new.py 会自动编号）")
            Problems(f"{base}/{rule.src_path}", problems.items).warning(1, "index-number-missing", "制度没有索引号", fix)
