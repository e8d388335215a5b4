"""Checks beyond loading: bodies (links, images, unsafe HTML), numbering, URLs, image sizes.

The loader refuses what it cannot load; these checks look at what loads
but would still publish something wrong: a link to nothing, an image that is
missing, a script in a page, an issue number skipped. The build and the
checker run the same checks.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .config import SiteConfig
from .loader import Content, display_path
from .model import Issue, Item, Kind, Page, url_for
from .problems import Problem, Problems
from .site_plan import RESERVED_FOLDERS
from .source import read_body

RASTER = (".jpg", ".jpeg", ".png", ".webp")
IMAGE_EXTENSIONS = RASTER + (".gif", ".svg")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_CODE_SPAN = re.compile(r"`[^`]*`")
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
_MD_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
_HTML_REF = re.compile(r"<(img|a|source|video|audio)\b[^>]*?\s(src|href)\s*=\s*[\"']([^\"']*)[\"']", re.I)
_HTML_IMG_NO_ALT = re.compile(r"<img\b(?![^>]*\salt\s*=\s*[\"'][^\"']+[\"'])[^>]*>", re.I)
_UNSAFE_TAG = re.compile(r"<\s*(script|iframe|object|embed|frame|frameset)\b", re.I)
_EVENT_ATTR = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
_JS_URL = re.compile(r"javascript\s*:", re.I)


@dataclass
class Target:
    """Where the site's pages are, to tell a good link from a broken one."""

    docs_files: set[str]  # every file below docs/, docs-relative
    urls: set[str]  # every page URL the build makes (items, pages, generated listings)


def check_content(content: Content, config: SiteConfig, root: Path | None, generated: list[str]) -> list[Problem]:
    """Every check the build and the checker share, beyond loading.

    ``generated`` holds the docs-relative paths of pages the build generates
    (listings, the statistics page), so links to them are good and files
    that would publish at their URL are caught.
    """
    base = display_path(content.docs_dir, root)
    problems = Problems(base)
    docs_files = {p.relative_to(content.docs_dir).as_posix() for p in content.docs_dir.rglob("*") if p.is_file()}
    urls = {url_for(d.src_path) for d in [*content.items, *content.pages]} | {url_for(g) for g in generated}
    target = Target(docs_files, urls)
    for document in [*content.items, *content.pages]:
        _check_body(document, target, Problems(f"{base}/{document.src_path}", problems.items))
    _check_generated_urls(content, generated, base, problems)
    _check_numbering(content, base, problems)
    _check_image_sizes(content, config, base, problems)
    return problems.items


# ---- bodies ---------------------------------------------------------------

def _check_body(document: Item | Page, target: Target, problems: Problems) -> None:
    in_code = False
    lines = read_body(document.file, document.body_line).split("\n")
    for offset, raw in enumerate(lines):
        if _FENCE.match(raw):
            in_code = not in_code
            continue
        if in_code:
            continue
        line = _CODE_SPAN.sub("", raw)
        number = document.body_line + offset
        _check_html(line, number, problems)
        for alt, src in _MD_IMAGE.findall(line):
            _check_ref(src, document.src_path, target, number, problems, image=True)
            if not alt.strip():
                problems.warning(number, "image-alt-missing", f"图片“{src}”没有替代文字",
                                 "在方括号里写一句图片说明，例如 ![维修后的井盖](images/jinggai.jpg)，方便视障读者")
        for href in _MD_LINK.findall(line) + _REF_DEF.findall(line):
            _check_ref(href, document.src_path, target, number, problems)
        for tag, _, ref in _HTML_REF.findall(line):
            _check_ref(ref, document.src_path, target, number, problems, image=tag.lower() == "img")
        if _HTML_IMG_NO_ALT.search(line):
            problems.warning(number, "image-alt-missing", "<img> 没有替代文字 alt", "加上 alt=\"图片说明\"")


def _check_html(line: str, number: int, problems: Problems) -> None:
    fix = "网页里不能放可执行的代码：删掉它；要嵌入视频或地图，请联系网站管理员"
    tag = _UNSAFE_TAG.search(line)
    if tag:
        problems.error(number, "unsafe-html", f"正文里有 <{tag.group(1).lower()}> 标签", fix)
    if _EVENT_ATTR.search(line):
        problems.error(number, "unsafe-html", "正文的 HTML 标签里有 on…= 事件属性（会执行脚本）", fix)
    if _JS_URL.search(line) and ("(" in line or "=" in line):
        problems.error(number, "unsafe-html", "正文里有 javascript: 链接", fix)


def _check_ref(ref: str, src_path: str, target: Target, number: int, problems: Problems, image: bool = False) -> None:
    ref = ref.strip()
    if not ref or ref.startswith(("#", "mailto:", "tel:", "data:")) or re.match(r"^[a-z][a-z0-9+.-]*:", ref, re.I) \
            or ref.startswith("//"):
        return  # in-page anchors and other sites are not ours to check
    path = ref.split("#", 1)[0].split("?", 1)[0]
    if not path:
        return
    resolved = posixpath.normpath(path.lstrip("/") if path.startswith("/")
                                  else posixpath.join(posixpath.dirname(src_path), path))
    if resolved.startswith("../") or resolved == "..":
        problems.error(number, "broken-link", f"链接“{ref}”指到了内容文件夹之外", "检查相对路径中的 ../ 是否多了")
        return
    if _exists(resolved, path, target):
        return
    is_image = image or resolved.lower().endswith(IMAGE_EXTENSIONS)
    if is_image:
        problems.error(number, "missing-image", f"图片“{ref}”不存在", "检查文件名（区分大小写）和相对路径，或把图片放到对应位置")
    else:
        problems.error(number, "broken-link", f"链接“{ref}”指向的页面或文件不存在",
                       "链接其他内容时写相对路径的 .md 文件名，例如 ../2009/0512-jinggai.md")


def _exists(resolved: str, written: str, target: Target) -> bool:
    if resolved in target.docs_files:
        return True
    if written.endswith("/") or "." not in posixpath.basename(resolved):
        url = resolved.rstrip("/") + "/" if resolved != "." else ""
        return url in target.urls
    return False


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
    for path in sorted(content.docs_dir.rglob("*")):
        if path.suffix.lower() in RASTER and path.is_file() and path.stat().st_size > limit:
            size_kb = path.stat().st_size // 1024
            rel = path.relative_to(content.docs_dir).as_posix()
            Problems(f"{base}/{rel}", problems.items).warning(
                1, "image-too-large", f"图片有 {size_kb} KB，超过 {config.images.warn_kb} KB",
                "发布时会自动缩小；原图太大仍会让仓库变大，可先用手机或电脑缩小到 3 MB 以内再提交")

