"""The cache of processed versions, keyed by the original's bytes and every setting that changes the output."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from ..config import Images
from ..problems import os_reason
from .types import BadImage, ImageJob

PIPELINE = "1"  # part of every cache key: change it when the processing changes
MANIFEST = "manifest.json"


def cache_folder(settings: Images, root: Path) -> Path:
    """``images.cache_dir``, relative to the project root unless absolute."""
    return root / settings.cache_dir


def cache_key(job: ImageJob, settings: Images, hashes: ContentHashes) -> str:
    """The original's bytes and every setting that changes the output: same key, same files."""
    recipe = [PIPELINE, job.path.suffix.lower(), settings.max_width, settings.max_height, list(settings.widths),
              settings.quality, job.thumbnail]
    return hashlib.sha256((hashes.of(job.path) + json.dumps(recipe)).encode()).hexdigest()


class ContentHashes:
    """Content hashes of originals, remembered by (size, mtime) for as long as their owner lives.

    A build owns one for its run; the preview server keeps one across rebuilds (one entry a file,
    replaced when the file changes), so that a save does not read every photo again.
    """

    def __init__(self) -> None:
        self._known: dict[str, tuple[int, int, str]] = {}

    def of(self, path: Path) -> str:
        try:
            stat = path.stat()
            known = self._known.get(str(path))
            if known is None or known[:2] != (stat.st_size, stat.st_mtime_ns):
                with path.open("rb") as original:
                    known = (stat.st_size, stat.st_mtime_ns, hashlib.file_digest(original, "sha256").hexdigest())
                self._known[str(path)] = known
        except OSError as exc:
            raise BadImage("image-unreadable", f"无法读取图片：{os_reason(exc)}", "检查文件是否存在、是否有读取权限") from None
        return known[2]


class Cache:
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
        if not isinstance(entry, dict) or entry.get("key") != key or not all((entry_dir / n).is_file() for n in names(entry)):
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


def names(entry: dict) -> list[str]:
    suffix = entry["suffix"]
    names = [f"{w}{suffix}" for w, _ in entry["sizes"]]
    if entry["webp"]:
        names += [f"{w}.webp" for w, _ in entry["sizes"]]
    if entry["thumb"]:
        names += [f"thumb{suffix}"] + (["thumb.webp"] if entry["webp"] else [])
    return names
