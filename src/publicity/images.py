"""The image pipeline: what the site publishes for the photos staff put next to their Markdown.

Staff photos come from phones: 4000×3000, several megabytes, turned by an
EXIF orientation tag and carrying the GPS position where they were taken.
For every raster image in the content (JPEG, PNG, WebP) this module writes,
into a cache folder outside ``docs/`` and ``site/``:

- the picture turned upright, in 8-bit sRGB, re-encoded with no metadata at
  all (no EXIF, GPS, XMP, comment or ICC profile);
- within ``images.max_width`` x ``images.max_height``, plus the smaller configured widths for
  ``srcset``, each also as WebP (a picture already small keeps its size);
- for news covers, a small cropped thumbnail for the listings.

The files in ``docs/`` are only ever read; GIF and SVG are not touched.
Work is cached by content hash and settings, so an unchanged image costs one
hash on the next build. A bad image (damaged, truncated, not an image, a
decompression bomb) is a ``Problem`` like any content error, never an
exception, and every one is reported in the same run.

``ImageIndex`` then rewrites a page's ``<img>`` tags to use what was
published. Nothing here knows MkDocs: the adapter turns the published
versions into MkDocs files. (Missing images, alt text and oversized
originals are the checker's: ``checks.py``.)
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import posixpath
import re
import shutil
import tempfile
import warnings
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from .config import Images
from .inventory import FileKind
from .loader import Content, display_path
from .model import NewsItem
from .problems import Problem, Problems

FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}  # processed, by extension
PASSTHROUGH = (".gif", ".svg")  # published untouched: animations and drawings
THUMB_SIZE = (240, 180)  # listing thumbnails: 4:3, shown at 4.8rem × 3.6rem, sharp on 2–3× phone screens
CONTENT_WIDTH = 800  # CSS px: the widest the article column gets, for ``sizes``
PIPELINE = "1"  # part of every cache key: change it when the processing changes
MANIFEST = "manifest.json"

_SRGB = ImageCms.createProfile("sRGB")
# EXIF orientation -> the transpose that makes the picture upright (as Pillow's exif_transpose).
_UPRIGHT = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
            5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
            8: Image.Transpose.ROTATE_90}
_SIDEWAYS = {5, 6, 7, 8}  # orientations that swap width and height
_IMG_TAG = re.compile(r"<img\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.IGNORECASE)
_ATTR = re.compile(r"([^\s\"'<>/=]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?")


def is_raster(path: str) -> bool:
    """An image the pipeline processes (by extension, as browsers and servers go by it)."""
    return posixpath.splitext(path)[1].lower() in FORMATS


def is_image(path: str) -> bool:
    return is_raster(path) or path.lower().endswith(PASSTHROUGH)


def cache_folder(settings: Images, root: Path) -> Path:
    """``images.cache_dir``, relative to the project root unless absolute."""
    return root / settings.cache_dir


def content_jobs(content: Content, root: Path | None) -> list[ImageJob]:
    """Every raster image of the content, drafts' included: a bad one is an error before it is ever published.

    What a build leaves out (an unpublished item's photos) is decided later,
    by which files the site keeps; processing it costs one hash once cached.
    """
    covers = {item.cover for item in content.items if isinstance(item, NewsItem) and item.cover}
    return [ImageJob(e.rel, e.path, content.inventory.shown_path(e.rel), thumbnail=e.rel in covers)
            for e in content.inventory.of_kind(FileKind.RASTER)]


def verify_images(content: Content, root: Path) -> Outcome:
    """What the checker calls: every problem ``process_images`` would find, without writing anything.

    An image already in the cache was decoded by an earlier build; any other is
    decoded here (at the reduced size a JPEG allows), as the build would.
    """
    settings = content.config.images
    cache = _Cache(cache_folder(settings, root))
    outcome = Outcome([], Problems())

    def verify(job: ImageJob) -> BadImage | None:
        try:
            if cache.load(_cache_key(job, settings)) is None:
                _decode(job.path, settings)
        except BadImage as bad:
            return bad
        return None

    jobs = []
    for job in content_jobs(content, root):
        try:
            _inspect(job.path)  # in the main thread: see _inspect
            jobs.append(job)
        except BadImage as bad:
            Problems(job.shown, outcome.problems.items).error(1, bad.code, bad.message, bad.fix)
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        for job, bad in zip(jobs, pool.map(verify, jobs)):
            if bad is not None:
                Problems(job.shown, outcome.problems.items).error(1, bad.code, bad.message, bad.fix)
    outcome.problems.extend(_cover_problems(content, root))
    return outcome


def process_images(content: Content, root: Path) -> Outcome:
    """What the build calls before rendering: publish every image, collect every problem."""
    settings = content.config.images
    outcome = publish_images(content_jobs(content, root), settings, cache_folder(settings, root))
    outcome.problems.extend(_cover_problems(content, root))
    return outcome


def _cover_problems(content: Content, root: Path | None) -> list[Problem]:
    """A cover is shown with <img>: a PDF or a Word file there would be a broken picture on every listing."""
    problems = Problems()
    base = display_path(content.docs_dir, root)
    for item in content.items:
        if isinstance(item, NewsItem) and item.cover and not is_image(item.cover):
            Problems(f"{base}/{item.src_path}", problems.items).error(
                item.line("cover"), "cover-not-image", f"封面“{posixpath.basename(item.cover)}”不是图片",
                "封面请用 JPEG、PNG、WebP、GIF 或 SVG 图片")
    return problems.items


def _local_target(src: str, folder: str) -> str | None:
    """Docs-relative path of ``src`` written in ``folder``; None for a web address, data URI or site-absolute path."""
    path = unquote(src.split("#", 1)[0].split("?", 1)[0])
    if not path or path.startswith("/") or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", path):
        return None
    target = posixpath.normpath(posixpath.join(folder, path))
    return None if target == ".." or target.startswith("../") else target


def _unquote_attr(value: str) -> str:
    return value[1:-1] if len(value) > 1 and value[0] in "\"'" and value[-1] == value[0] else value


# ---------------------------------------------------------------------------
# Processing: what the site publishes for each image.

@dataclass(frozen=True)
class ImageJob:
    """One image the site publishes."""

    uri: str  # docs-relative path of the original; the main version is published at the same URL
    path: Path  # the original file, read only
    shown: str  # how problems name it: relative to the repository root
    thumbnail: bool = False  # a news cover: also make the listing thumbnail


@dataclass(frozen=True)
class Version:
    """One published file."""

    uri: str  # docs-relative URL in the site
    file: Path  # the cached file to publish
    width: int
    height: int


@dataclass(frozen=True)
class Published:
    uri: str  # of the original, and of the main version
    sizes: tuple[Version, ...]  # in the original's format, narrowest first; the last one is at ``uri``
    webp: tuple[Version, ...]  # the same widths as WebP (empty when the original is WebP)
    thumb: Version | None = None
    thumb_webp: Version | None = None

    @property
    def main(self) -> Version:
        return self.sizes[-1]

    @property
    def versions(self) -> tuple[Version, ...]:
        extra = tuple(v for v in (self.thumb, self.thumb_webp) if v is not None)
        return self.sizes + self.webp + extra


@dataclass
class Outcome:
    published: list[Published]  # in the jobs' order; bad images are left out
    problems: Problems
    made: int = 0  # processed in this run
    reused: int = 0  # taken from the cache


class BadImage(Exception):
    """An original the pipeline cannot publish: becomes a Problem, with its code and fix."""

    def __init__(self, code: str, message: str, fix: str):
        super().__init__(message)
        self.code, self.message, self.fix = code, message, fix


def publish_images(jobs: list[ImageJob], settings: Images, cache_dir: Path, workers: int | None = None) -> Outcome:
    """Process every job (or take it from the cache) and report every bad image, all in one run."""
    outcome = Outcome([], Problems())
    cache = _Cache(cache_dir)
    entries: dict[str, dict] = {}
    todo: list[tuple[ImageJob, str]] = []
    for job in jobs:
        try:
            key = _cache_key(job, settings)
            entry = cache.load(key)
            if entry is None:
                _inspect(job.path)  # header only, before any thread starts: see _inspect
                todo.append((job, key))
            else:
                entries[job.uri] = entry
                outcome.reused += 1
        except BadImage as bad:
            Problems(job.shown, outcome.problems.items).error(1, bad.code, bad.message, bad.fix)
    # Pillow decodes, resizes and encodes without holding the GIL: threads use every core.
    with ThreadPoolExecutor(max_workers=workers or min(4, os.cpu_count() or 1)) as pool:
        for (job, _key), result in zip(todo, pool.map(lambda task: _make(*task, settings, cache), todo)):
            if isinstance(result, BadImage):
                Problems(job.shown, outcome.problems.items).error(1, result.code, result.message, result.fix)
            else:
                entries[job.uri] = result
                outcome.made += 1
    outcome.published = [_published(job, entries[job.uri], cache.folder / entries[job.uri]["key"])
                         for job in jobs if job.uri in entries]
    return outcome


def _cache_key(job: ImageJob, settings: Images) -> str:
    """The original's bytes and every setting that changes the output: same key, same files."""
    recipe = [PIPELINE, job.path.suffix.lower(), settings.max_width, settings.max_height, list(settings.widths),
              settings.quality, job.thumbnail]
    return hashlib.sha256((_content_hash(job.path) + json.dumps(recipe)).encode()).hexdigest()


# Content hashes by (path, size, mtime) for the life of the process: `mkdocs serve` rebuilds on
# every save, and re-reading every photo each time would cost a second per thousand megabytes.
_HASHES: dict[tuple[str, int, int], str] = {}


def _content_hash(path: Path) -> str:
    try:
        stat = path.stat()
        known = (str(path), stat.st_size, stat.st_mtime_ns)
        if known not in _HASHES:
            with path.open("rb") as original:
                _HASHES[known] = hashlib.file_digest(original, "sha256").hexdigest()
    except OSError as exc:
        raise BadImage("image-unreadable", f"无法读取图片：{exc.strerror}", "检查文件是否存在、是否有读取权限") from None
    return _HASHES[known]


def _inspect(path: Path) -> None:
    """Is it an image, and not a decompression bomb? Reads the header only.

    Runs in the main thread: making Pillow's DecompressionBombWarning an
    error needs the process-wide warning filters, which threads would race on.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(path) as image:
                width, height = image.size
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _bomb() from None
        except UnidentifiedImageError:
            if _is_heic(path):
                raise BadImage("image-not-image", f"这是苹果手机的 HEIC 照片，只是扩展名写成了 {path.suffix}：浏览器和网站都不能显示",
                               "用看图软件打开后另存为 JPEG，或在手机“设置→相机→格式”选“兼容性最佳”后重新拍摄") from None
            raise BadImage("image-not-image", f"文件扩展名是 {path.suffix}，但内容不是能识别的图片",
                           "用看图软件打开看看；请重新导出为 JPEG 或 PNG 再放入") from None
        except Exception as exc:  # Pillow's parsers raise many types (SyntaxError, struct.error, ...) on a damaged header
            raise _corrupt(exc) from None
    if width * height > (Image.MAX_IMAGE_PIXELS or math.inf):
        raise _bomb()


def _is_heic(path: Path) -> bool:
    """HEIF/HEIC files start with an ISO box 'ftyp' naming a HEIF brand."""
    with path.open("rb") as f:
        head = f.read(12)
    return head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif")


def _bomb() -> BadImage:
    limit = (Image.MAX_IMAGE_PIXELS or 0) // 1_000_000
    return BadImage("image-bomb", f"图片的像素数超过上限（约 {limit} 百万像素），可能是损坏或恶意的“解压炸弹”文件",
                    "把图片缩小到 4000×3000 像素以内再放入")


def _corrupt(exc: Exception) -> BadImage:
    if "truncated" in str(exc).lower():
        return BadImage("image-corrupt", "图片文件不完整（可能没有复制或上传完），无法解码",
                        "重新从手机或相机复制这张图片")
    return BadImage("image-corrupt", "图片文件已损坏，无法解码",
                    "重新从手机或相机导出这张图片，或用看图软件打开后另存一份")


def _make(job: ImageJob, key: str, settings: Images, cache: _Cache) -> dict | BadImage:
    """Render one original into the cache; a BadImage when it cannot be decoded."""
    try:
        files, entry = _render(job.path, settings, job.thumbnail)
    except BadImage as bad:
        return bad
    entry["key"] = key
    try:
        cache.store(key, files, entry)
    except OSError as exc:
        return BadImage("image-cache", f"无法写入图片缓存文件夹 {cache.folder}：{exc.strerror}",
                        "检查 publicity.yml 中 images.cache_dir 的位置和写入权限；这个文件夹可以随时删除")
    return entry


def _render(path: Path, settings: Images, thumbnail: bool) -> tuple[dict[str, bytes], dict]:
    suffix = path.suffix.lower()
    picture, (width, height) = _decode(path, settings)
    # Heights from the original's proportions, not from an already rounded version.
    sizes = [(w, picture.height if w == picture.width else max(1, round(height * w / width)))
             for w in _widths(picture.width, settings)]
    files: dict[str, bytes] = {}
    webp = FORMATS[suffix] != "WEBP"  # a WebP original's versions are WebP already
    for w, h in sizes:
        version = picture if w == picture.width else picture.resize((w, h), Image.Resampling.LANCZOS)
        files[f"{w}{suffix}"] = _encode(version, FORMATS[suffix], settings.quality, suffix)
        if webp:
            files[f"{w}.webp"] = _encode(version, "WEBP", settings.quality, suffix)
    thumb = None
    if thumbnail:
        small = _thumbnail(picture)
        thumb = list(small.size)
        files[f"thumb{suffix}"] = _encode(small, FORMATS[suffix], settings.quality, suffix)
        if webp:
            files["thumb.webp"] = _encode(small, "WEBP", settings.quality, suffix)
    return files, {"suffix": suffix, "sizes": [list(s) for s in sizes], "webp": webp, "thumb": thumb}


def _scale(upright: tuple[int, int], settings: Images) -> float:
    """How much to shrink: to fit max_width by max_height (a portrait photo is bounded by its height), never enlarging."""
    return min(1.0, settings.max_width / upright[0], settings.max_height / upright[1])


def _decode(path: Path, settings: Images) -> tuple[Image.Image, tuple[int, int]]:
    """The original upright, 8-bit, sRGB, within max_width x max_height, with no metadata left on it; and its upright size."""
    with Image.open(path) as image:
        stored = image.size
        if image.format in ("JPEG", "MPO"):
            _draft(image, settings)
        try:
            image.load()
        except Exception as exc:  # truncated or damaged data: OSError, SyntaxError, EOFError, zlib.error ...
            raise _corrupt(exc) from None
        orientation = _orientation(image)  # after load: a PNG's EXIF may come after its pixels
        icc = image.info.get("icc_profile")
        picture = image.transpose(_UPRIGHT[orientation]) if orientation in _UPRIGHT else image.copy()
    upright = stored[::-1] if orientation in _SIDEWAYS else stored
    scale = _scale(upright, settings)
    target = (max(1, round(upright[0] * scale)), max(1, round(upright[1] * scale)))
    picture = _eight_bit(picture)
    if picture.size != target:
        picture = picture.resize(target, Image.Resampling.LANCZOS)
    picture = _srgb(picture, icc)
    picture.info = {}  # EXIF, GPS, XMP, comments, profile: nothing of the original's metadata reaches an encoder
    return picture, upright


def _draft(image: Image.Image, settings: Images) -> None:
    """Let JPEG decode at 1/2, 1/4 or 1/8 scale directly: a phone photo shrinks at a fraction of the cost.

    The scale never goes below the published size, so quality is kept (the
    final resize is still Lanczos). A JPEG's EXIF is in its header: reading
    the orientation here does not decode the pixels.
    """
    orientation = _orientation(image)
    upright = image.size[::-1] if orientation in _SIDEWAYS else image.size
    scale = _scale(upright, settings)
    image.draft(image.mode, (math.ceil(image.width * scale), math.ceil(image.height * scale)))


def _orientation(image: Image.Image) -> int:
    try:
        return int(image.getexif().get(0x0112, 1))
    except Exception:  # a damaged EXIF block: the picture itself may be fine, so show it as stored
        return 1


def _eight_bit(picture: Image.Image) -> Image.Image:
    """What every browser shows: 8 bits per channel, in L, LA, RGB, RGBA (or CMYK, converted by _srgb)."""
    if picture.mode in ("L", "LA", "RGB", "RGBA", "CMYK"):
        return picture  # a 16-bit RGB(A) PNG is already here: Pillow keeps each sample's high byte, a scaling
    if picture.mode.startswith("I"):
        # 16-bit grey: scale 0–65535 onto 0–255; a plain convert("L") clips everything above 255 to white.
        return picture.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    alpha = picture.has_transparency_data
    if picture.mode in ("1", "P") and not alpha:
        return picture.convert("L" if picture.mode == "1" else "RGB")
    return picture.convert("RGBA" if alpha else "RGB")


def _srgb(picture: Image.Image, icc: bytes | None) -> Image.Image:
    """Colours as browsers assume them when there is no profile: sRGB (CMYK becomes RGB)."""
    if icc and picture.mode in ("RGB", "RGBA", "CMYK"):
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            return ImageCms.profileToProfile(picture, profile, _SRGB, outputMode="RGBA" if picture.mode == "RGBA" else "RGB")
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # a damaged or unusual profile: the plain conversion below is close enough
    return picture.convert("RGB") if picture.mode == "CMYK" else picture


def _widths(width: int, settings: Images) -> list[int]:
    """The published widths: the configured ones narrower than the picture, and the picture's own."""
    return sorted({w for w in settings.widths if w < width} | {width})


def _thumbnail(picture: Image.Image) -> Image.Image:
    """A 4:3 crop from the centre, so that every line of a listing has the same shape."""
    w, h = THUMB_SIZE
    scale = min(1.0, picture.width / w, picture.height / h)  # never enlarge a tiny picture
    return ImageOps.fit(picture, (max(1, round(w * scale)), max(1, round(h * scale))), Image.Resampling.LANCZOS)


def _encode(picture: Image.Image, fmt: str, quality: int, original_suffix: str) -> bytes:
    """Bytes of one version. Only the options given here reach the encoder: no metadata is passed."""
    out = io.BytesIO()
    if fmt == "JPEG":
        # Progressive: on a slow link the whole picture shows early and sharpens.
        _opaque(picture).save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    elif fmt == "PNG":
        picture.save(out, "PNG", optimize=True)
    else:
        webp = picture if picture.mode in ("RGB", "RGBA") else picture.convert("RGBA" if "A" in picture.mode else "RGB")
        # A PNG is a drawing or a screenshot more often than a photo: lossy WebP would blur its text.
        webp.save(out, "WEBP", quality=quality, method=4, lossless=original_suffix == ".png")
    return out.getvalue()


def _opaque(picture: Image.Image) -> Image.Image:
    """JPEG has no transparency: lay the picture on white rather than on black."""
    if picture.mode not in ("LA", "RGBA"):
        return picture
    background = Image.new(picture.mode[:-1], picture.size, "white")
    background.paste(picture, mask=picture.getchannel("A"))
    return background


class _Cache:
    """Processed versions by key: a folder per key holding the files and a manifest.

    A folder appears whole or not at all (written aside, then renamed), so
    an interrupted or concurrent build never leaves half an entry. The whole
    cache can be deleted at any time: the next build makes it again.
    """

    def __init__(self, folder: Path):
        self.folder = folder

    def load(self, key: str) -> dict | None:
        entry_dir = self.folder / key
        try:
            entry = json.loads((entry_dir / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.get("key") != key or not all((entry_dir / n).is_file() for n in _names(entry)):
            return None
        return entry

    def store(self, key: str, files: dict[str, bytes], entry: dict) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        aside = Path(tempfile.mkdtemp(prefix=f".{key[:12]}-", dir=self.folder))
        aside.chmod(0o755)  # mkdtemp makes it private; an entry is as readable as any build output
        for name, data in files.items():
            (aside / name).write_bytes(data)
        (aside / MANIFEST).write_text(json.dumps(entry, sort_keys=True), encoding="utf-8")
        target = self.folder / key
        if target.exists() and self.load(key) is None:
            shutil.rmtree(target, ignore_errors=True)  # a damaged entry (files deleted by hand): replace it
        try:
            os.rename(aside, target)
        except OSError:
            shutil.rmtree(aside, ignore_errors=True)
            if self.load(key) is None:  # not another build storing the same bytes first: a real failure
                raise


def _names(entry: dict) -> list[str]:
    suffix = entry["suffix"]
    names = [f"{w}{suffix}" for w, _ in entry["sizes"]]
    if entry["webp"]:
        names += [f"{w}.webp" for w, _ in entry["sizes"]]
    if entry["thumb"]:
        names += [f"thumb{suffix}"] + (["thumb.webp"] if entry["webp"] else [])
    return names


def _published(job: ImageJob, entry: dict, folder: Path) -> Published:
    """Where each cached file is published: next to the original, named ``photo.480w.jpg``, ``photo.thumb.webp``.

    The main version keeps the original's URL, so a plain link to it still
    works. A dot cannot appear in a content file's stem (the loader refuses
    such names), so these names never clash with a file staff add.
    """
    suffix = posixpath.splitext(job.uri)[1]
    stem = job.uri[: -len(suffix)]
    sizes = entry["sizes"]
    widest = sizes[-1][0]
    main = tuple(Version(job.uri if w == widest else f"{stem}.{w}w{suffix}", folder / f"{w}{entry['suffix']}", w, h)
                 for w, h in sizes)
    webp = tuple(Version(f"{stem}.{w}w.webp", folder / f"{w}.webp", w, h) for w, h in sizes) if entry["webp"] else ()
    thumb = thumb_webp = None
    if entry["thumb"]:
        tw, th = entry["thumb"]
        thumb = Version(f"{stem}.thumb{suffix}", folder / f"thumb{entry['suffix']}", tw, th)
        if entry["webp"]:
            thumb_webp = Version(f"{stem}.thumb.webp", folder / "thumb.webp", tw, th)
    return Published(job.uri, main, webp, thumb, thumb_webp)


# ---------------------------------------------------------------------------
# Pages: the <img> tags that show a published image.

class ImageIndex:
    """The published images by their URL; rewrites a page's ``<img>`` tags to use every version."""

    def __init__(self, published: Iterable[Published]):
        self.by_uri: dict[str, tuple[Published, bool]] = {}  # uri -> (image, is its thumbnail)
        for image in published:
            self.by_uri[image.uri] = (image, False)
            if image.thumb is not None:
                self.by_uri[image.thumb.uri] = (image, True)

    def get(self, uri: str) -> Published | None:
        """The image whose original is at ``uri`` (docs-relative)."""
        found = self.by_uri.get(uri)
        return found[0] if found and not found[1] else None

    def thumbnail(self, uri: str) -> str:
        """The listing thumbnail of a cover (docs-relative); an unprocessed cover (SVG, GIF) stands for itself."""
        found = self.by_uri.get(uri)
        return found[0].thumb.uri if found and found[0].thumb is not None else uri

    def rewrite(self, html: str, page_url: str) -> str:
        """Every ``<img>`` of a published image gets its size, srcset, a WebP source and lazy loading.

        The first such image of the page is likely above the fold: it loads
        at once; the others load as the reader scrolls to them.
        """
        if "<img" not in html:
            return html
        count = 0

        def replace(match: re.Match) -> str:
            nonlocal count
            attrs = _attributes(match[0])
            src = _unquote_attr(attrs.get("src") or "")
            found = self._lookup(src, page_url)
            if found is None:
                return match[0]
            count += 1
            return _picture(match[0], attrs, src, *found, first=count == 1)

        return _IMG_TAG.sub(replace, html)

    def _lookup(self, src: str, page_url: str) -> tuple[Published, bool] | None:
        # src is relative to the page's URL, as MkDocs and the templates write it.
        folder = page_url.rstrip("/") if page_url.endswith("/") else posixpath.dirname(page_url)
        target = _local_target(src, folder)
        return self.by_uri.get(target) if target else None


def _attributes(tag: str) -> dict[str, str | None]:
    """Attributes of a tag in order, values as written (quotes included), None for a bare attribute."""
    inner = tag[4:-1].rstrip("/")
    return {name.lower(): (value or None) for name, value in _ATTR.findall(inner)}


def _picture(tag: str, attrs: dict[str, str | None], src: str, image: Published, thumb: bool, first: bool) -> str:
    folder = src[: src.rfind("/") + 1]  # the versions sit next to the original

    def url(version: Version) -> str:
        return folder + posixpath.basename(version.uri)

    if thumb:
        main, sizes, webp = image.thumb, (), (image.thumb_webp,) if image.thumb_webp else ()
    else:
        main, sizes, webp = image.main, image.sizes, image.webp
    out = dict(attrs)
    _set_size(out, main.width, main.height)
    has_srcset = "srcset" in attrs
    width = min(main.width, CONTENT_WIDTH)
    size_hint = f"(max-width: {width}px) 100vw, {width}px"
    if len(sizes) > 1 and not has_srcset:
        out["srcset"] = '"' + ", ".join(f"{url(v)} {v.width}w" for v in sizes) + '"'
        out["sizes"] = f'"{size_hint}"'
    if not first:
        out.setdefault("loading", '"lazy"')
    out.setdefault("decoding", '"async"')
    img = "<img " + " ".join(name if value is None else f"{name}={value}" for name, value in out.items()) + \
        (" />" if tag.rstrip(">").endswith("/") else ">")
    if not webp or has_srcset:  # an author's own srcset is left as written
        return img
    candidates = ", ".join(f"{url(v)} {v.width}w" for v in webp) if len(webp) > 1 else url(webp[0])
    hint = f' sizes="{size_hint}"' if len(webp) > 1 else ""
    return f'<picture><source type="image/webp" srcset="{candidates}"{hint}>{img}</picture>'


def _set_size(attrs: dict[str, str | None], width: int, height: int) -> None:
    """width and height reserve the picture's space before it loads; an author's own width is kept, in proportion."""
    given_w, given_h = (_number(attrs.get(k)) for k in ("width", "height"))
    if given_w is None and given_h is None:
        attrs["width"], attrs["height"] = f'"{width}"', f'"{height}"'
    elif given_h is None and given_w:
        attrs["height"] = f'"{round(given_w * height / width)}"'
    elif given_w is None and given_h:
        attrs["width"] = f'"{round(given_h * width / height)}"'


def _number(value: str | None) -> int | None:
    text = _unquote_attr(value or "")
    return int(text) if text.isdigit() else None
