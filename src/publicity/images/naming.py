"""Where each processed file is published: beside its original, under names no content file can have."""

from __future__ import annotations

import posixpath
from pathlib import Path

from .types import ImageJob, Published, Version


def published(job: ImageJob, entry: dict, folder: Path) -> Published:
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
