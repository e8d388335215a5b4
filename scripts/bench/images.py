"""Benchmark of the image pipeline: prints figures (never a timed test that flakes).

    python scripts/bench/images.py [--photos 8] [--quality Q] [--keep DIR]

It generates phone-like photos (4000×3000 JPEG at quality 92, EXIF
orientation and GPS, with a scene, texture and sensor grain so that they
compress like real photos, not like a flat colour), puts each into a news
item as its cover, and runs what the build runs before rendering
(``process_images``) twice with the project's settings: once with an empty
cache, once with the cache warm. It prints the published sizes at the
largest width and at the smallest, both times and their ratio.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageStat

from publicity.images import ContentHashes, process_images
from publicity.loader import load_content
from publicity.project import ROOT, load_site_config

SIZE = (4000, 3000)


def phone_photo(path: Path, seed: int, orientation: int) -> Path:
    """A street scene as a phone stores it: shapes under a sky, natural texture, grain, EXIF and GPS.

    The texture is "1/f" noise (every octave, from a quarter of the frame
    down to two pixels, with the same amplitude), the statistics of natural
    images; the finest detail is softened a little, as a phone's lens and
    noise reduction do. Nothing here is tuned to a file size.
    """
    rnd = random.Random(seed)
    width, height = SIZE
    small = Image.new("RGB", (400, 300))
    draw = ImageDraw.Draw(small)
    for y in range(300):  # sky fading into the ground
        t = y / 299
        draw.line((0, y, 399, y), fill=(int(120 + 90 * t), int(160 + 40 * t), int(220 - 120 * t)))
    for _ in range(40):  # buildings, trees, cars, people
        x, y = rnd.randrange(400), rnd.randrange(60, 300)
        w, h = rnd.randrange(8, 90), rnd.randrange(8, 120)
        colour = tuple(rnd.randrange(30, 230) for _ in range(3))
        (draw.rectangle if rnd.random() < 0.6 else draw.ellipse)((x, y - h, x + w, y), fill=colour)
    scene = small.filter(ImageFilter.GaussianBlur(0.6)).resize(SIZE, Image.Resampling.BICUBIC)
    texture = _one_over_f(SIZE).filter(ImageFilter.GaussianBlur(0.7))
    texture = Image.blend(texture, Image.effect_noise(SIZE, 128), 0.04)  # sensor grain left after noise reduction
    ground = Image.linear_gradient("L").resize(SIZE).point(lambda v: min(255, 60 + v * 2))  # the sky is smoother
    texture = Image.composite(texture, Image.new("L", SIZE, 128), ground)
    photo = ImageChops.add(scene, Image.merge("RGB", [texture] * 3), scale=1.0, offset=-128)
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F], exif[0x0110] = "Phone", "Model X"
    exif.get_ifd(0x8825).update({1: "N", 2: (30.0, 18.0, 25.5), 3: "E", 4: (112.0, 14.0, 41.2)})
    photo.save(path, "JPEG", quality=92, exif=exif)
    return path


def _one_over_f(size: tuple[int, int], deviation: float = 28.0) -> Image.Image:
    """Grey texture around 128: octaves of noise of equal amplitude, scaled to a standard deviation."""
    texture = None
    for n, step in enumerate((1024, 512, 256, 128, 64, 32, 16, 8, 4, 2)):
        octave = Image.effect_noise((max(2, size[0] // step), max(2, size[1] // step)), 64).resize(size, Image.Resampling.BICUBIC)
        texture = octave if texture is None else Image.blend(texture, octave, 1 / (n + 1))  # running mean: equal weights
    spread = ImageStat.Stat(texture).stddev[0] or 1.0
    return texture.point(lambda v: 128 + (v - 128) * deviation / spread)


NEWS = "---\ntitle: 现场照片 {n}\ndate: 2009-05-{day:02d}\ncover: images/photo-{n}.jpg\n---\n\n![现场照片](images/photo-{n}.jpg)\n"


def main() -> int:
    parser = argparse.ArgumentParser(description="图片处理基准")
    parser.add_argument("--photos", type=int, default=8, help="照片张数（4000×3000）")
    parser.add_argument("--keep", type=Path, help="把生成的内容和缓存留在这个文件夹")
    parser.add_argument("--quality", type=int, help="试用另一个 images.quality（默认用 publicity.yml 的）")
    args = parser.parse_args()
    config = load_site_config(ROOT)
    with tempfile.TemporaryDirectory() as scratch:
        work = args.keep or Path(scratch)
        docs = work / "docs"
        (docs / "news" / "images").mkdir(parents=True, exist_ok=True)
        for n in range(args.photos):
            # Every other photo held upright (orientation 6: published 1600 wide and 2133 tall).
            phone_photo(docs / "news" / "images" / f"photo-{n}.jpg", seed=n, orientation=6 if n % 2 else 1)
            (docs / "news" / f"0{n + 501}-photo.md").write_text(NEWS.format(n=n, day=n % 28 + 1), encoding="utf-8")
        config.images = dataclasses.replace(config.images, cache_dir=str(work / "cache"),  # a cold cache of its own
                                            quality=args.quality or config.images.quality)
        content = load_content(docs, config, work)
        sources = sorted((docs / "news" / "images").glob("*.jpg"))
        print(f"{len(sources)} photos {SIZE[0]}×{SIZE[1]}, originals {sum(p.stat().st_size for p in sources) / len(sources) / 1e6:.1f} MB "
              f"on average; settings: max_width {config.images.max_width}, widths {list(config.images.widths)}, "
              f"quality {config.images.quality}")
        hashes = ContentHashes()  # the preview server keeps one across rebuilds; a build has its own
        start = time.perf_counter()
        first = process_images(content, work, hashes)
        cold = time.perf_counter() - start
        start = time.perf_counter()
        process_images(content, work, hashes)  # as the preview rebuilds: same process, originals not read again
        serve = time.perf_counter() - start
        start = time.perf_counter()
        again = process_images(content, work)  # a new build: it reads and hashes every original
        warm = time.perf_counter() - start
        assert not first.problems.items and (first.made, again.made) == (len(sources), 0)
        for label, image in (("landscape (orientation 1)", first.published[0]), ("portrait (orientation 6)", first.published[1])):
            main_, webp, small = image.main, image.webp[-1], image.webp[0]
            print(f"{label}: largest {main_.width}×{main_.height} JPEG {main_.file.stat().st_size / 1024:.0f} KB, "
                  f"WebP {webp.file.stat().st_size / 1024:.0f} KB; smallest {small.width} px WebP {small.file.stat().st_size / 1024:.0f} KB")
        print(f"first build: {cold:.2f} s ({cold / len(sources):.2f} s a photo); rebuild with the cache warm: {warm * 1000:.0f} ms "
              f"= {100 * warm / cold:.1f}% of the first (in `mkdocs serve`: {serve * 1000:.0f} ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
