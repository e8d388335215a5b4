"""The image pipeline: phone photos published upright, small and without GPS; bad images as content errors.

Every fixture image is made here with Pillow, small (the pipeline's
settings are scaled down with them), so the file runs in a few seconds.
"""

from __future__ import annotations

import hashlib
import shutil
import struct
import zlib
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from PIL import Image, ImageDraw

from publicity.config import Images
from publicity.images import ImageIndex, ImageJob, publish_images

from conftest import TEST_CONFIG, build, build_ok, page, write_docs

SETTINGS = Images(max_width=200, widths=(100, 200), quality=82)
RED, BLUE = (220, 20, 20), (30, 80, 160)
GPS_XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><exif:GPSLatitude>30,18.0N</exif:GPSLatitude></x:xmpmeta>'


# ---------------------------------------------------------------------------
# Fixture images.

def phone_photo(path: Path, size=(400, 300), orientation=6) -> Path:
    """As a phone stores it: landscape pixels with a red top-left corner, turned by EXIF, with GPS, XMP, a comment."""
    image = Image.new("RGB", size, BLUE)
    ImageDraw.Draw(image).rectangle((0, 0, size[0] // 4, size[1] // 4), fill=RED)
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (30.0, 18.0, 0.0), 3: "E", 4: (112.0, 14.0, 0.0)})
    image.save(path, "JPEG", quality=90, exif=exif, xmp=GPS_XMP, comment=b"taken at the site")
    assert Image.open(path).getexif().get_ifd(0x8825), "the fixture must carry GPS"
    return path


def png(path: Path, size: tuple[int, int], bit_depth: int, colour_type: int, pixel: bytes, claimed=None) -> Path:
    """A PNG written by hand: 16-bit RGB, or a header claiming more pixels than it holds (a decompression bomb)."""
    width, height = claimed or size
    rows = b"".join(b"\x00" + pixel * size[0] for _ in range(size[1]))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
    return path


def cmyk_jpeg(path: Path) -> Path:
    Image.new("CMYK", (120, 80), (0, 255, 255, 0)).save(path, "JPEG", quality=95)  # pure red in ink
    return path


def grey16_png(path: Path) -> Path:
    Image.new("I;16", (60, 40), 40000).save(path)  # 40000 of 65535: a mid grey, 156 of 255
    return path


def truncated_jpeg(path: Path, tmp: Path) -> Path:
    data = phone_photo(tmp / "whole.jpg").read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def job(path: Path, thumbnail=False) -> ImageJob:
    return ImageJob(path.name, path, f"docs/{path.name}", thumbnail)


def has_no_metadata(path: Path) -> bool:
    data = path.read_bytes()
    with Image.open(path) as image:
        clean = not image.getexif() and not {"exif", "xmp", "XML:com.adobe.xmp", "comment", "icc_profile"} & image.info.keys()
    return clean and b"Exif\x00\x00" not in data and b"GPSLatitude" not in data and b"PhoneMaker" not in data


def pixel(path: Path, xy):
    with Image.open(path) as image:
        return image.convert("RGB").getpixel(xy)


def near(colour, expected, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected))


# ---------------------------------------------------------------------------
# The pipeline on its own.

def test_a_phone_photo_is_published_upright_smaller_and_without_metadata(tmp_path):
    original = phone_photo(tmp_path / "photo.jpg")
    before = original.read_bytes()
    outcome = publish_images([job(original, thumbnail=True)], SETTINGS, tmp_path / "cache")
    assert not outcome.problems.items
    image = outcome.published[0]
    # Orientation 6: stored 400×300, shown 300×400; resized to the configured 200 wide.
    assert (image.main.width, image.main.height) == (200, 267)
    assert [(v.uri, v.width, v.height) for v in image.sizes] == [("photo.100w.jpg", 100, 133), ("photo.jpg", 200, 267)]
    assert [(v.uri, v.width) for v in image.webp] == [("photo.100w.webp", 100), ("photo.200w.webp", 200)]
    assert image.thumb.uri == "photo.thumb.jpg" and image.thumb_webp.uri == "photo.thumb.webp"
    for version in image.versions:
        assert has_no_metadata(version.file), version.uri
        with Image.open(version.file) as published:
            assert published.size == (version.width, version.height)
            assert published.format == ("WEBP" if version.uri.endswith(".webp") else "JPEG")
    # The red corner, stored top left, is top right once turned the way the phone was held.
    assert near(pixel(image.main.file, (190, 5)), RED) and near(pixel(image.main.file, (5, 5)), BLUE)
    assert original.read_bytes() == before  # the original is only read


def test_a_portrait_photo_is_bounded_by_its_height(tmp_path):
    # Stored 400×300 with orientation 6: shown 300×400, so the height bounds it (and its weight stays a landscape's).
    settings = Images(max_width=200, max_height=200, widths=(100, 200))
    (image,) = publish_images([job(phone_photo(tmp_path / "tall.jpg"))], settings, tmp_path / "cache").published
    assert (image.main.width, image.main.height) == (150, 200)
    assert [(v.width, v.height) for v in image.sizes] == [(100, 133), (150, 200)]


def test_widths_follow_the_settings_and_small_images_keep_their_size(tmp_path):
    wide = Image.new("RGB", (900, 600), BLUE)
    wide.save(tmp_path / "wide.png")
    Image.new("RGB", (80, 60), BLUE).save(tmp_path / "small.jpg")
    Image.new("RGBA", (150, 100), (0, 0, 0, 0)).save(tmp_path / "clear.webp")
    settings = Images(max_width=400, widths=(120, 240, 400))
    outcome = publish_images([job(tmp_path / n) for n in ("wide.png", "small.jpg", "clear.webp")], settings, tmp_path / "c")
    wide_, small, clear = outcome.published
    assert [(v.width, v.height) for v in wide_.sizes] == [(120, 80), (240, 160), (400, 267)]
    assert [v.uri for v in wide_.sizes] == ["wide.120w.png", "wide.240w.png", "wide.png"]
    assert [(v.width, v.height) for v in small.sizes] == [(80, 60)] and len(small.webp) == 1
    # A WebP original's versions are WebP already; its transparency is kept.
    assert [v.uri for v in clear.sizes] == ["clear.120w.webp", "clear.webp"] and clear.webp == ()
    with Image.open(clear.main.file) as image:
        assert image.mode == "RGBA"


def test_cmyk_becomes_rgb_and_16_bit_is_scaled_not_clipped(tmp_path):
    files = [cmyk_jpeg(tmp_path / "cmyk.jpg"), grey16_png(tmp_path / "grey16.png"),
             png(tmp_path / "rgb16.png", (40, 30), 16, 2, struct.pack(">HHH", 65535, 32768, 8192))]
    outcome = publish_images([job(f) for f in files], SETTINGS, tmp_path / "cache")
    assert not outcome.problems.items
    cmyk, grey, rgb = (image.main.file for image in outcome.published)
    with Image.open(cmyk) as image:
        assert image.mode == "RGB" and near(image.getpixel((60, 40)), (237, 28, 36), 60)
    with Image.open(grey) as image:
        assert image.mode == "L" and abs(image.getpixel((30, 20)) - 156) <= 1  # a plain conversion gives 255
    with Image.open(rgb) as image:
        assert image.mode == "RGB" and near(image.getpixel((20, 15)), (255, 128, 32), 1)
    for image in outcome.published:
        for version in image.versions:
            assert has_no_metadata(version.file), version.uri


def test_bad_images_are_problems_in_chinese_all_at_once(tmp_path):
    (tmp_path / "text.jpg").write_text("这不是图片", encoding="utf-8")
    bad = [
        (truncated_jpeg(tmp_path / "cut.jpg", tmp_path), "image-corrupt", "不完整"),
        (tmp_path / "text.jpg", "image-not-image", "不是能识别的图片"),
        # Headers claiming 100 and 900 million pixels: over Pillow's limit, and over twice it.
        (png(tmp_path / "bomb.png", (1, 1), 8, 2, b"\0\0\0", claimed=(10_000, 10_000)), "image-bomb", "解压炸弹"),
        (png(tmp_path / "huge.png", (1, 1), 8, 2, b"\0\0\0", claimed=(30_000, 30_000)), "image-bomb", "解压炸弹"),
        (_garbled(tmp_path / "garbled.png"), "image-corrupt", "损坏"),
    ]
    good = phone_photo(tmp_path / "good.jpg")
    outcome = publish_images([job(path) for path, *_ in bad] + [job(good)], SETTINGS, tmp_path / "cache")
    assert [p.uri for p in outcome.published] == ["good.jpg"]
    found = {p.path: p for p in outcome.problems.items}
    for path, code, words in bad:
        problem = found[f"docs/{path.name}"]
        assert problem.is_error and problem.code == code and words in problem.message, str(problem)
        assert problem.fix
    assert not any(p.name.startswith(".") for p in (tmp_path / "cache").iterdir())  # nothing half-written



def test_a_photo_that_vanished_or_a_cache_that_cannot_be_written_is_a_problem(tmp_path):
    """image-unreadable (the original went away between the inventory and the build) and image-cache (the
    cache folder cannot be written): a Chinese problem naming the photo, and the other photos still published."""
    good = phone_photo(tmp_path / "good.jpg")
    outcome = publish_images([job(tmp_path / "gone.jpg"), job(good)], SETTINGS, tmp_path / "cache")
    assert [p.uri for p in outcome.published] == ["good.jpg"]
    assert [(p.path, p.code) for p in outcome.problems.items] == [("docs/gone.jpg", "image-unreadable")]
    assert outcome.problems.items[0].message == "无法读取图片：文件不存在"
    blocked = tmp_path / "a-file-not-a-folder"
    blocked.write_text("", encoding="utf-8")
    outcome = publish_images([job(good)], SETTINGS, blocked)
    assert not outcome.published
    assert [(p.path, p.code) for p in outcome.problems.items] == [("docs/good.jpg", "image-cache")]
    assert "无法写入图片缓存文件夹" in outcome.problems.items[0].message and "cache_dir" in outcome.problems.items[0].fix

def _garbled(path: Path) -> Path:
    """A PNG whose header is right but whose pixel data is not even compressed data."""
    data = png(path, (32, 32), 8, 2, b"\x10\x20\x30").read_bytes()
    start = data.index(b"IDAT") - 4
    end = start + 12 + struct.unpack(">I", data[start:start + 4])[0]
    noise = b"these bytes are not zlib data"
    idat = struct.pack(">I", len(noise)) + b"IDAT" + noise + struct.pack(">I", zlib.crc32(b"IDAT" + noise))
    path.write_bytes(data[:start] + idat + data[end:])
    return path


def test_the_cache_skips_unchanged_images_and_is_safe_to_delete(tmp_path):
    photos = [phone_photo(tmp_path / f"p{n}.jpg", size=(300 + n, 200)) for n in range(3)]
    cache = tmp_path / "cache"
    first = publish_images([job(p) for p in photos], SETTINGS, cache)
    assert (first.made, first.reused) == (3, 0)
    stamps = {f: f.stat().st_mtime_ns for f in cache.rglob("*")}
    again = publish_images([job(p) for p in photos], SETTINGS, cache)
    assert (again.made, again.reused) == (0, 3)
    assert {f: f.stat().st_mtime_ns for f in cache.rglob("*")} == stamps  # nothing written
    # Other settings are other work; deleting the cache only costs time, never different bytes.
    assert publish_images([job(photos[0])], Images(max_width=150, widths=(150,)), cache).made == 1
    shutil.rmtree(cache)
    fresh = publish_images([job(p) for p in photos], SETTINGS, cache)
    assert fresh.made == 3
    assert [v.file.read_bytes() for p in fresh.published for v in p.versions] == \
        [v.file.read_bytes() for p in first.published for v in p.versions]


def test_img_tags_get_size_srcset_webp_and_lazy_loading(tmp_path):
    from publicity.render import Renderer, relative_url

    cover = publish_images([ImageJob("news/images/a.jpg", phone_photo(tmp_path / "a.jpg"), "a", True)], SETTINGS,
                           tmp_path / "cache").published
    index = ImageIndex(cover)
    assert index.thumbnail("news/images/a.jpg") == "news/images/a.thumb.jpg"
    assert index.thumbnail("news/images/b.svg") == "news/images/b.svg"
    body = ('![第一张](images/a.jpg)\n\n![又一张](images/a.jpg){ width="100" }\n\n'
            '![别处的](https://example.org/a.jpg)\n\n<img src="images/a.jpg" srcset="images/a.jpg 1x" alt="作者自己的">\n')
    out = BeautifulSoup(Renderer(index).render(body, "news/item.md").html, "html.parser")
    first, second = out.select("picture")
    assert first.source.attrs == {"type": "image/webp", "srcset": "../images/a.100w.webp 100w, ../images/a.200w.webp 200w",
                                  "sizes": "(max-width: 200px) 100vw, 200px"}
    assert (first.img["width"], first.img["height"]) == ("200", "267")
    assert first.img["srcset"] == "../images/a.100w.jpg 100w, ../images/a.jpg 200w"
    assert "loading" not in first.img.attrs and first.img["decoding"] == "async"  # the first is likely above the fold
    assert (second.img["width"], second.img["height"], second.img["loading"]) == ("100", "134", "lazy")  # in proportion
    assert not out.select('img[src^="https:"]')  # another host's picture is refused (external-image)
    assert out.find("img", alt="作者自己的")["srcset"] == "../images/a.jpg 1x"  # an author's own srcset is left as written
    thumb = index.picture(index.thumbnail("news/images/a.jpg"), lambda uri: relative_url(uri, "news/"), {"alt": ""}, eager=False)
    assert 'srcset="images/a.thumb.webp"' in thumb and 'width="200" height="150"' in thumb and 'loading="lazy"' in thumb
    assert index.picture("news/images/b.svg", lambda uri: relative_url(uri, "news/"), {"alt": "图"}, eager=True) == \
        '<img alt="图" src="images/b.svg">'


# ---------------------------------------------------------------------------
# The site build.

def config_file(tmp_path: Path) -> Path:
    """publicity.yml with the images scaled down to the fixtures, and a cache of the test's own."""
    data = yaml.safe_load(TEST_CONFIG.read_text(encoding="utf-8"))
    data["images"] = {**(data.get("images") or {}), "max_width": 200, "widths": [100, 200], "cache_dir": str(tmp_path / "cache")}
    path = tmp_path / "publicity.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


NEWS = "---\ntitle: {title}\ndate: 2009-05-12\ndepartment: 市政科\ncover: images/{cover}\n{extra}---\n\n{body}\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("images")
    images = tmp / "made"
    images.mkdir()
    gif = images / "anim.gif"
    Image.new("P", (12, 12)).save(gif)
    files = {
        "news/2009/0512-photos.md": NEWS.format(title="井盖维修现场照片", cover="cover.jpg", extra="", body=(
            "维修前后对比。\n\n![维修前的井盖](images/cmyk.jpg)\n\n![灰度扫描件](images/grey16.png)\n\n"
            "![动画](images/anim.gif)\n\n![示意图](images/plan.svg)\n")),
        "news/2009/0513-draft.md": NEWS.format(title="草稿新闻", cover="secret.jpg", extra="draft: true\n", body="草稿。"),
        "news/2009/images/cover.jpg": phone_photo(images / "cover.jpg").read_bytes(),
        "news/2009/images/secret.jpg": phone_photo(images / "secret.jpg").read_bytes(),
        "news/2009/images/cmyk.jpg": cmyk_jpeg(images / "cmyk.jpg").read_bytes(),
        "news/2009/images/grey16.png": grey16_png(images / "grey16.png").read_bytes(),
        "news/2009/images/anim.gif": gif.read_bytes(),
        "news/2009/images/plan.svg": SVG,
    }
    docs = write_docs(tmp / "docs", files)
    originals = {p: p.read_bytes() for p in docs.rglob("*") if p.is_file()}
    config = config_file(tmp)
    site = build_ok(docs, tmp / "site", PUBLICITY_CONFIG=str(config))
    return {"docs": docs, "site": site, "originals": originals, "config": config, "tmp": tmp}


@pytest.mark.build
def test_the_site_holds_only_processed_images_and_the_originals_are_untouched(built):
    site, docs = built["site"], built["docs"]
    for path in site.rglob("*"):
        if path.suffix in (".jpg", ".png", ".webp"):
            assert has_no_metadata(path), path
    folder = site / "news" / "2009" / "images"
    assert sorted(p.name for p in folder.iterdir()) == [
        "anim.gif", "cmyk.100w.jpg", "cmyk.100w.webp", "cmyk.120w.webp", "cmyk.jpg",
        "cover.100w.jpg", "cover.100w.webp", "cover.200w.webp", "cover.jpg", "cover.thumb.jpg", "cover.thumb.webp",
        "grey16.60w.webp", "grey16.png", "plan.svg", "plan.svg.gz"]  # nothing of the draft's cover; the .gz is for nginx
    with Image.open(folder / "cover.jpg") as cover:
        assert cover.size == (200, 267)  # upright: width and height swapped, then resized
    assert near(pixel(folder / "cover.jpg", (190, 5)), RED)
    assert (folder / "anim.gif").read_bytes() == (docs / "news/2009/images/anim.gif").read_bytes()
    assert (folder / "plan.svg").read_bytes() == SVG
    assert {p: p.read_bytes() for p in docs.rglob("*") if p.is_file()} == built["originals"]


@pytest.mark.build
def test_the_item_page_references_every_version(built):
    soup = page(built["site"], "news/2009/0512-photos/")
    cover = soup.select_one(".pub-cover picture")
    img = cover.img
    assert (img["width"], img["height"], img["alt"]) == ("200", "267", "井盖维修现场照片")
    assert img["srcset"] == "../images/cover.100w.jpg 100w, ../images/cover.jpg 200w" and img.get("sizes")
    assert "loading" not in img.attrs  # the cover is the first picture: it loads at once
    assert cover.source["type"] == "image/webp" and "../images/cover.200w.webp 200w" in cover.source["srcset"]
    body = [i for i in soup.select("article img") if i.find_parent(class_="pub-cover") is None]
    by_alt = {i["alt"]: i for i in body}
    assert (by_alt["维修前的井盖"]["width"], by_alt["维修前的井盖"]["height"]) == ("120", "80")
    assert (by_alt["灰度扫描件"]["width"], by_alt["灰度扫描件"]["height"]) == ("60", "40")
    for alt in ("维修前的井盖", "灰度扫描件"):
        assert by_alt[alt]["loading"] == "lazy" and by_alt[alt]["decoding"] == "async"
        assert by_alt[alt].parent.name == "picture"
    assert by_alt["动画"]["src"].endswith("anim.gif") and "width" not in by_alt["动画"].attrs  # passed through
    assert by_alt["示意图"]["src"].endswith("plan.svg")


@pytest.mark.build
def test_listings_and_the_home_page_show_the_cover_thumbnail(built):
    for url in ("news/", ""):
        thumb = page(built["site"], url).select_one(".pub-entry__thumb")
        assert thumb is not None, url
        site = built["site"]
        assert (site / url / thumb["src"]).resolve() == (site / "news/2009/images/cover.thumb.jpg").resolve()
        assert thumb["alt"] == ""
        assert (thumb["width"], thumb["height"]) == ("200", "150")
        assert thumb.parent.source["srcset"].endswith("cover.thumb.webp")


@pytest.mark.build
def test_a_rebuild_reuses_the_cache_and_gives_the_same_bytes(built):
    cache = built["tmp"] / "cache"
    entries = {p: p.stat().st_mtime_ns for p in cache.rglob("*")}
    again = build_ok(built["docs"], built["tmp"] / "again", PUBLICITY_CONFIG=str(built["config"]))
    assert {p: p.stat().st_mtime_ns for p in cache.rglob("*")} == entries  # nothing processed again
    assert digest(again) == digest(built["site"])


def digest(site: Path) -> str:
    """Of what the pipeline decides: every image and every page (the whole site's bytes are test_site's)."""
    total = hashlib.sha256()
    for path in sorted(p for p in site.rglob("*") if p.suffix in (".html", ".jpg", ".png", ".webp", ".gif", ".svg")):
        total.update(str(path.relative_to(site)).encode() + b"\0" + path.read_bytes())
    return total.hexdigest()


@pytest.mark.build
def test_bad_images_stop_the_build_with_every_problem_in_chinese(tmp_path):
    made = tmp_path / "made"
    made.mkdir()
    files = {
        "news/2009/0512-bad.md": NEWS.format(title="坏图片", cover="cut.jpg", extra="", body=(
            "![文本](images/text.jpg)\n\n![炸弹](images/bomb.png)\n\n![不存在](images/none.jpg)\n")),
        "news/2009/0513-date.md": "---\ntitle: 日期写错\ndate: 2009.5.13\n---\n\n正文。\n",
        "news/2009/images/cut.jpg": truncated_jpeg(made / "cut.jpg", made).read_bytes(),
        "news/2009/images/text.jpg": "这不是图片".encode(),
        "news/2009/images/bomb.png": png(made / "bomb.png", (1, 1), 8, 2, b"\0\0\0", claimed=(30_000, 30_000)).read_bytes(),
    }
    docs = write_docs(tmp_path / "docs", files)
    result = build(docs, tmp_path / "site", PUBLICITY_CONFIG=str(config_file(tmp_path)))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    for expected in ("news/2009/images/cut.jpg:1: 错误[image-corrupt]: 图片文件不完整",
                     "news/2009/images/text.jpg:1: 错误[image-not-image]: 文件扩展名是 .jpg，但内容不是能识别的图片",
                     "news/2009/images/bomb.png:1: 错误[image-bomb]: 图片的像素数超过上限",
                     "news/2009/0512-bad.md:12: 错误[missing-image]: 图片“images/none.jpg”不存在",
                     "news/2009/0513-date.md:3: 错误[date-format]"):  # all reported with the other content errors
        assert expected in result.stderr, expected + "\n" + result.stderr
    assert not (tmp_path / "site" / "index.html").exists()
