"""What the image pipeline works with: jobs, published versions, outcomes, and a bad image."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path

from ..problems import Problems

FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}  # processed, by extension
PASSTHROUGH = (".gif", ".svg")  # published untouched: animations and drawings


def is_raster(path: str) -> bool:
    """An image the pipeline processes (by extension, as browsers and servers go by it)."""
    return posixpath.splitext(path)[1].lower() in FORMATS


def is_image(path: str) -> bool:
    return is_raster(path) or path.lower().endswith(PASSTHROUGH)


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
