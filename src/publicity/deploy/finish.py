"""The build's last step: precompressed copies for the web server, and the inline scripts' hashes for its CSP.

One walk of the built site. Every HTML, CSS, JS, JSON, XML and SVG file (and source map) gets a ``.gz`` beside
it when that is smaller, which nginx's ``gzip_static`` sends as it is: the server spends no CPU on compressing.
Level 6: on the sample's pages level 9 saved 0.2 % more for two to three times the time. Every page's inline
scripts are hashed (``csp.inline_script_hashes``) and the list written to ``HASHES_FILE`` in the site, from
which the configuration is made (``deploy/``); the server refuses dotfiles, so nginx never serves it.
"""

from __future__ import annotations

import gzip
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .csp import inline_script_hashes

COMPRESSED = (".html", ".css", ".js", ".json", ".xml", ".svg", ".map")
HASHES_FILE = ".csp-script-hashes"


@dataclass
class Finished:
    compressed: int = 0  # files that got a .gz
    bytes_in: int = 0  # their size
    bytes_out: int = 0  # their .gz's size
    hashes: list[str] = field(default_factory=list)  # every inline script's CSP hash, sorted

    def __add__(self, other: Finished) -> Finished:
        return Finished(self.compressed + other.compressed, self.bytes_in + other.bytes_in, self.bytes_out + other.bytes_out,
                        sorted({*self.hashes, *other.hashes}))


def gzipped(data: bytes) -> bytes:
    """Same bytes, same .gz: no name and no time in the header (the build is deterministic)."""
    return gzip.compress(data, compresslevel=6, mtime=0)


def finish_site(site: Path, later: str | None = None) -> Finished:
    """Compress and hash the site's files, and write the hashes. With ``later`` (a top folder still being written,
    such as the search index), everything else only: ``finish_folder`` does that folder afterwards."""
    done = _finish(sorted(_files(site, skip=later)))
    if later is None:
        write_hashes(site, done.hashes)
    return done


def finish_folder(site: Path, folder: str, before: Finished) -> Finished:
    """The rest of ``finish_site(site, later=folder)``: the folder's files, added to what was done ``before``."""
    done = before + _finish(sorted(_files(site / folder)))
    write_hashes(site, done.hashes)
    return done


def write_hashes(site: Path, hashes: list[str]) -> None:
    (site / HASHES_FILE).write_text("".join(f"{h}\n" for h in hashes), encoding="utf-8")


def _finish(paths: list[Path]) -> Finished:
    # zlib lets go of the GIL while it compresses: two threads use both cores.
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(_finish_file, paths))
    done = Finished(hashes=sorted(set().union(*(hashes for hashes, _ in results))))
    for _, sizes in results:
        if sizes:
            done.compressed += 1
            done.bytes_in += sizes[0]
            done.bytes_out += sizes[1]
    return done


def _finish_file(path: Path) -> tuple[set[str], tuple[int, int] | None]:
    """One file: the hashes of its inline scripts (a page), its sizes before and after compression (if any)."""
    if path.suffix not in COMPRESSED:
        return set(), None
    data = path.read_bytes()
    hashes = inline_script_hashes(data) if path.suffix == ".html" else set()
    packed, target = gzipped(data), path.with_name(path.name + ".gz")
    if len(packed) < len(data):
        target.write_bytes(packed)
        return hashes, (len(data), len(packed))
    target.unlink(missing_ok=True)  # e.g. MkDocs' sitemap.xml.gz of a tiny sitemap: the server would send it
    return hashes, None


def read_hashes(site: Path) -> list[str]:
    """The hashes a finished build wrote; FileNotFoundError when ``site`` is not one (built before this step)."""
    return (site / HASHES_FILE).read_text(encoding="utf-8").split()


def _files(site: Path, skip: str | None = None):
    for folder, subfolders, names in os.walk(site):
        if skip is not None and Path(folder) == site:
            subfolders[:] = [f for f in subfolders if f != skip]
        for name in names:
            if not name.endswith(".gz"):
                yield Path(folder, name)
