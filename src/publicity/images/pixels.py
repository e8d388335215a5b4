"""The pixel work: is it an image, the picture upright in sRGB with no metadata, its versions encoded.

Pillow decodes, resizes and encodes without holding the GIL, so the pipeline runs
these in threads. Nothing here reads or writes the cache or knows about pages.
"""

from __future__ import annotations

import io
import math
import warnings
from pathlib import Path

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from ..config import Images
from .types import FORMATS, BadImage

THUMB_SIZE = (240, 180)  # listing thumbnails: 4:3, shown at 4.8rem × 3.6rem, sharp on 2–3× phone screens
_SRGB = ImageCms.createProfile("sRGB")
# EXIF orientation -> the transpose that makes the picture upright (as Pillow's exif_transpose).
_UPRIGHT = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
            5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
            8: Image.Transpose.ROTATE_90}
_SIDEWAYS = {5, 6, 7, 8}  # orientations that swap width and height


def inspect(path: Path) -> None:
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


def render(path: Path, settings: Images, thumbnail: bool) -> tuple[dict[str, bytes], dict]:
    suffix = path.suffix.lower()
    picture, (width, height) = decode(path, settings)
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


def decode(path: Path, settings: Images) -> tuple[Image.Image, tuple[int, int]]:
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
