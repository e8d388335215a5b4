"""What the content folder holds: one walk, one policy, every file classified.

Every consumer (the loader, the checks, the image pipeline, the site build)
takes the files from here, so they all see the same ones:

- hidden files and folders (``.git``, ``.DS_Store``) are not content and are skipped;
- a symbolic link is never followed: it is an error, and nothing behind it is
  published (a link could publish ``/etc/passwd`` or a folder of drafts);
- a file whose type the site does not publish (``.html``, ``.js``, ``.exe``...)
  is an error: an HTML file in the content would run script on the site's origin;
- a file where the site's own files live (``assets/``, ``pagefind/``, ``feeds/``...)
  is an error: it would replace the theme's script or a generated file;
- names are lowercase ASCII, digits and hyphens, so that shared URLs stay readable;
- two photos that would publish under the same names (``photo.jpg`` and
  ``photo.png`` both make ``photo.480w.webp``) are an error.
"""

from __future__ import annotations

import os
import posixpath
from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from .problems import Problems
from .slugs import Namer, is_slug, slugify


class FileKind(StrEnum):
    MARKDOWN = "markdown"
    RASTER = "raster"  # processed by the image pipeline
    DRAWING = "drawing"  # GIF and SVG: published as they are (an SVG only once it is checked)
    ATTACHMENT = "attachment"  # documents readers download


EXTENSIONS: dict[str, FileKind] = {
    ".md": FileKind.MARKDOWN,
    ".jpg": FileKind.RASTER, ".jpeg": FileKind.RASTER, ".png": FileKind.RASTER, ".webp": FileKind.RASTER,
    ".gif": FileKind.DRAWING, ".svg": FileKind.DRAWING,
    **{ext: FileKind.ATTACHMENT for ext in (
        ".pdf", ".ofd", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".et", ".ppt", ".pptx", ".dps",
        ".txt", ".csv", ".zip", ".rar", ".7z", ".mp3", ".mp4")},
}
# Where the site's own files are published: the theme's and the site's assets, the search index,
# the feeds, the sitemap and the 404 page. Content there would replace them.
RESERVED_PREFIXES = ("assets/", "pagefind/", "feeds/", "search/")
RESERVED_FILES = ("404.html", "sitemap.xml", "sitemap.xml.gz", "robots.txt")
MAX_MARKDOWN = 1024 * 1024  # an article is a few KB; a megabyte is a pasted image or book, and slow to render
_HINTS = {".heic": "苹果手机的 HEIC 照片请先转存为 JPEG（在手机“设置→相机→格式”选“兼容性最佳”，或用看图软件另存）",
          ".heif": "HEIF 照片请先转存为 JPEG", ".tif": "TIFF 图片请另存为 JPEG 或 PNG", ".tiff": "TIFF 图片请另存为 JPEG 或 PNG",
          ".bmp": "BMP 图片请另存为 PNG", ".htm": "网页文件不能直接发布：把内容写进 Markdown", ".html": "网页文件不能直接发布：把内容写进 Markdown"}


@dataclass(frozen=True)
class Entry:
    rel: str  # docs-relative, forward slashes
    path: Path
    kind: FileKind

    @property
    def suffix(self) -> str:
        return posixpath.splitext(self.rel)[1].lower()


@dataclass
class Inventory:
    """The content folder's files that may be published, by docs-relative path, in a fixed order."""

    docs_dir: Path
    shown: str  # how problems name the folder: relative to the repository root
    entries: dict[str, Entry] = field(default_factory=dict)
    problems: Problems = field(default_factory=Problems)
    # Every file and link the walk met, refused ones included (a symbolic link, an .html file): what a change to
    # the content can touch, so that the PR summary lists it with its problem instead of leaving it out.
    met: dict[str, Path] = field(default_factory=dict)

    def of_kind(self, *kinds: FileKind) -> list[Entry]:
        return [e for e in self.entries.values() if e.kind in kinds]

    def __contains__(self, rel: str) -> bool:
        return rel in self.entries

    def shown_path(self, rel: str) -> str:
        return f"{self.shown}/{rel}"


def take_inventory(docs_dir: Path, shown: str, namer: Namer | None = None) -> Inventory:
    """``namer`` names the suggested file names (the configuration's, so they match what new.py writes)."""
    inventory = Inventory(docs_dir, shown)
    for rel, path in _walk(docs_dir, inventory):
        entry = _classify(rel, path, inventory, namer or Namer())
        if entry is not None:
            inventory.entries[rel] = entry
    _check_clashes(inventory)
    return inventory


def _walk(docs_dir: Path, inventory: Inventory):
    """Every regular file below docs_dir, sorted; hidden ones skipped, links reported and not followed."""
    top = str(docs_dir)
    for folder, dirs, files in os.walk(top):  # followlinks=False: a linked folder is listed, never entered
        prefix = os.path.relpath(folder, top).replace(os.sep, "/")
        prefix = "" if prefix == "." else prefix + "/"
        for name in sorted(dirs):
            if os.path.islink(os.path.join(folder, name)) and not name.startswith("."):
                inventory.met[prefix + name] = Path(folder, name)
                _symlink(inventory, prefix + name, folder=True)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not os.path.islink(os.path.join(folder, d)))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(folder, name)
            if path.is_symlink():
                inventory.met[prefix + name] = path
                _symlink(inventory, prefix + name, folder=False)
            elif path.is_file():
                inventory.met[prefix + name] = path
                yield prefix + name, path


def _symlink(inventory: Inventory, rel: str, folder: bool) -> None:
    what = "文件夹" if folder else "文件"
    Problems(inventory.shown_path(rel), inventory.problems.items).error(
        1, "symlink", f"这个{what}是符号链接（快捷方式），网站不会发布它，也不会发布它指向的内容",
        f"把真正的{what}放进内容文件夹，删除这个链接")


def _classify(rel: str, path: Path, inventory: Inventory, namer: Namer) -> Entry | None:
    here = Problems(inventory.shown_path(rel), inventory.problems.items)
    suffix = posixpath.splitext(rel)[1]
    kind = EXTENSIONS.get(suffix.lower())
    if rel.startswith(RESERVED_PREFIXES) or rel in RESERVED_FILES:
        here.error(1, "reserved-path", f"“{rel}”是网站自身文件的位置（样式、脚本、搜索索引、订阅或站点地图），放在这里会替换掉它们",
                   "把文件移到栏目文件夹里，例如 news/2009/files/")
        return None
    if kind is None:
        hint = _HINTS.get(suffix.lower(), "能发布的有：Markdown（.md）、图片（JPEG、PNG、WebP、GIF、SVG）和 PDF、Word、WPS、Excel 等文档")
        here.error(1, "file-type", f"网站不发布“{suffix or '无扩展名'}”类型的文件", hint)
        return None
    _check_name(rel, here, namer)
    if kind is FileKind.MARKDOWN and path.stat().st_size > MAX_MARKDOWN:
        here.error(1, "file-too-large", f"Markdown 文件有 {path.stat().st_size // 1024} KB，超过 {MAX_MARKDOWN // 1024} KB",
                   "正文里不要粘贴图片的编码或整本文件：图片放进 images/，长文件作为 PDF 附件")
        return None
    return Entry(rel, path, kind)


def _check_name(rel: str, problems: Problems, namer: Namer) -> None:
    *folders, name = rel.split("/")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    bad = [s for s in folders + [stem] if not is_slug(s)]
    if bad or ext != ext.lower():
        suggestion = "/".join([slugify(s) or s for s in folders] + [(_suggest(stem, namer) or "item") + (f".{ext.lower()}" if ext else "")])
        problems.error(1, "name-not-ascii", f"文件名或文件夹名“{'/'.join(bad) or name}”不合规范：网址里只能用小写字母、数字和连字符",
                       f"建议改名为 {suggestion}")


def _suggest(stem: str, namer: Namer) -> str:
    """A stem as new.py would name it: a news file keeps its 0512- day, the rest is named after its words."""
    day, dash, rest = stem.partition("-")
    if dash and len(day) == 4 and day.isdigit() and rest:
        return f"{day}-{namer.name(rest) or slugify(rest)}"
    return namer.name(stem) or slugify(stem)


def _check_clashes(inventory: Inventory) -> None:
    """Photos of one folder and stem publish the same versions (photo.480w.webp): one would show for the other."""
    stems: dict[str, list[str]] = defaultdict(list)
    for entry in inventory.of_kind(FileKind.RASTER):
        stems[posixpath.splitext(entry.rel)[0]].append(entry.rel)
    for stem, rels in sorted(stems.items()):
        for rel in rels[1:]:
            Problems(inventory.shown_path(rel), inventory.problems.items).error(
                1, "name-clash", f"与 {posixpath.basename(rels[0])} 同名（只有扩展名不同）：发布时两张图片会生成同名的文件，读者会看到另一张",
                f"给其中一张改名，例如 {posixpath.basename(stem)}-2{posixpath.splitext(rel)[1]}")
