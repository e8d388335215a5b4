"""The pipeline: which images the content has, each processed (or taken from the cache), every problem collected."""

from __future__ import annotations

import os
import posixpath
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..config import Images
from ..inventory import FileKind
from ..loader import Content
from ..model import NewsItem
from ..problems import Problem, Problems, os_reason
from .cache import Cache, ContentHashes, cache_folder, cache_key
from .naming import published
from .pixels import decode, inspect, render
from .types import BadImage, ImageJob, Outcome, is_image


def content_jobs(content: Content, root: Path | None) -> list[ImageJob]:
    """Every raster image of the content, drafts' included: a bad one is an error before it is ever published.

    What a build leaves out (an unpublished item's photos) is decided later,
    by which files the site keeps; processing it costs one hash once cached.
    """
    covers = {item.cover for item in content.items if isinstance(item, NewsItem) and item.cover}
    return [ImageJob(e.rel, e.path, content.inventory.shown_path(e.rel), thumbnail=e.rel in covers)
            for e in content.inventory.of_kind(FileKind.RASTER)]


def verify_images(content: Content, root: Path, hashes: ContentHashes | None = None) -> Outcome:
    """What the checker calls: every problem ``process_images`` would find, without writing anything.

    An image already in the cache was decoded by an earlier build; any other is
    decoded here (at the reduced size a JPEG allows), as the build would.
    """
    settings, hashes = content.config.images, hashes or ContentHashes()
    cache = Cache(cache_folder(settings, root))
    outcome = Outcome([], Problems())

    def verify(job: ImageJob) -> BadImage | None:
        try:
            if cache.load(cache_key(job, settings, hashes)) is None:
                decode(job.path, settings)
        except BadImage as bad:
            return bad
        return None

    jobs = []
    for job in content_jobs(content, root):
        try:
            inspect(job.path)  # in the main thread: see pixels.inspect
            jobs.append(job)
        except BadImage as bad:
            Problems(job.shown, outcome.problems.items).error(1, bad.code, bad.message, bad.fix)
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        for job, bad in zip(jobs, pool.map(verify, jobs)):
            if bad is not None:
                Problems(job.shown, outcome.problems.items).error(1, bad.code, bad.message, bad.fix)
    outcome.problems.extend(_cover_problems(content, root))
    return outcome


def process_images(content: Content, root: Path, hashes: ContentHashes | None = None) -> Outcome:
    """What the build calls before rendering: publish every image, collect every problem."""
    settings = content.config.images
    outcome = publish_images(content_jobs(content, root), settings, cache_folder(settings, root), hashes=hashes)
    outcome.problems.extend(_cover_problems(content, root))
    return outcome


def _cover_problems(content: Content, root: Path | None) -> list[Problem]:
    """A cover is shown with <img>: a PDF or a Word file there would be a broken picture on every listing."""
    problems = Problems()
    base = content.inventory.shown
    for item in content.items:
        if isinstance(item, NewsItem) and item.cover and not is_image(item.cover):
            Problems(f"{base}/{item.src_path}", problems.items).error(
                item.line("cover"), "cover-not-image", f"封面“{posixpath.basename(item.cover)}”不是图片",
                "封面请用 JPEG、PNG、WebP、GIF 或 SVG 图片")
    return problems.items


def publish_images(jobs: list[ImageJob], settings: Images, cache_dir: Path, workers: int | None = None,
                   hashes: ContentHashes | None = None) -> Outcome:
    """Process every job (or take it from the cache) and report every bad image, all in one run."""
    outcome, hashes = Outcome([], Problems()), hashes or ContentHashes()
    cache = Cache(cache_dir)
    entries: dict[str, dict] = {}
    todo: list[tuple[ImageJob, str]] = []
    for job in jobs:
        try:
            key = cache_key(job, settings, hashes)
            entry = cache.load(key)
            if entry is None:
                inspect(job.path)  # header only, before any thread starts: see pixels.inspect
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
    outcome.published = [published(job, entries[job.uri], cache.folder / entries[job.uri]["key"])
                         for job in jobs if job.uri in entries]
    return outcome


def _make(job: ImageJob, key: str, settings: Images, cache: Cache) -> dict | BadImage:
    """Render one original into the cache; a BadImage when it cannot be decoded."""
    try:
        files, entry = render(job.path, settings, job.thumbnail)
    except BadImage as bad:
        return bad
    entry["key"] = key
    try:
        cache.store(key, files, entry)
    except OSError as exc:
        return BadImage("image-cache", f"无法写入图片缓存文件夹 {cache.folder}：{os_reason(exc)}",
                        "检查 publicity.yml 中 images.cache_dir 的位置和写入权限；这个文件夹可以随时删除")
    return entry
