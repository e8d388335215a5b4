"""Pagefind's private bundle format: read back, made deterministic, checked.

Pagefind 1.5 writes its index as gzipped CBOR behind a ``pagefind_dcd`` signature.
Nothing here is Pagefind's documented interface: a Pagefind upgrade is checked
by the tests (make test), which read the bundle back.
"""

from __future__ import annotations

import bisect
import gzip
import hashlib
import json
from pathlib import Path

from .errors import SearchIndexError
from .records import SearchRecord
from .text import GRAM, HAN_RUN, fold


def make_deterministic(out: Path) -> None:
    """Write Pagefind's filter files in one order, so that the same content gives the same bytes.

    Pagefind 1.5 lists a filter's values (新闻, 简报, 制度...) in the order of a
    Rust hash map, which changes from run to run, and names each file after its
    content. The values are sorted here; the files get names from the sorted
    content, and the metadata and entry files that name them are rewritten.
    """
    import cbor2

    entry_path = out / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, index in entry["languages"].items():
        meta_path = out / f"pagefind.{index['hash']}.pf_meta"
        meta = _decode(meta_path)  # [version, pages, index chunks, filters [[name, file]], sorts, meta fields]
        filters = []
        for name, old in meta[3]:
            values = _decode(out / "filter" / f"{old}.pf_filter")  # [name, [[value, [pages]]]]
            values[1].sort(key=lambda v: v[0])
            new = _write(out / "filter", language, ".pf_filter", cbor2.dumps(values), 7)
            if new != old:
                (out / "filter" / f"{old}.pf_filter").unlink()
            filters.append([name, new])
        meta[3] = sorted(filters)
        new = _write(out, f"pagefind.{language}", ".pf_meta", cbor2.dumps(meta), 11)
        if new != index["hash"]:
            meta_path.unlink()
        index["hash"] = new
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _write(folder: Path, prefix: str, suffix: str, data: bytes, digits: int) -> str:
    """Write Pagefind's compressed form of ``data`` under a name from its content; return the name's hash part."""
    language = prefix.rsplit(".", 1)[-1]
    name = f"{language}_{hashlib.sha256(data).hexdigest()[:digits]}"
    stem = f"pagefind.{name}" if prefix.startswith("pagefind.") else name
    (folder / f"{stem}{suffix}").write_bytes(gzip.compress(b"pagefind_dcd" + data, mtime=0))
    return name


def _decode(path: Path) -> object:
    import cbor2

    data = gzip.decompress(path.read_bytes())
    if not data.startswith(b"pagefind_dcd"):
        raise SearchIndexError(f"无法读取搜索索引文件 {path.name}（Pagefind 版本与 requirements.txt 不符？）")
    return cbor2.loads(data[len(b"pagefind_dcd"):])


def index_words(out: Path, prefixes: list[str]) -> dict[str, bool]:
    """The index words in the chunks that may hold words starting with ``prefixes``.

    Maps each word to whether it occurs in record text (True) or only in meta
    fields such as the title, which Pagefind indexes whole.
    """
    metas = sorted(out.glob("pagefind.*.pf_meta"))
    if not metas:
        raise SearchIndexError("搜索索引不完整：找不到 pagefind.*.pf_meta")
    words: dict[str, bool] = {}
    for meta in metas:
        chunks = _decode(meta)[2]  # [version, pages, index chunks [from, to, hash], filters, sorts, meta fields]
        wanted = {h for first, last, h in chunks if any(first[:len(p)] <= p <= last[:len(p)] for p in prefixes)}
        for h in sorted(wanted):
            for word, pages, *_ in _decode(out / "index" / f"{h}.pf_index")[0]:  # [[word, [[page, locs, meta locs]], variants]]
                words[word] = words.get(word, False) or any(page[1] for page in pages)
    return words


def probe_terms(records: list[SearchRecord], count: int = 8) -> list[str]:
    """Parts of titles a reader might type, both from the start of a run and from inside it."""
    probes: list[str] = []
    for record in sorted(records, key=lambda r: r.url):
        runs = sorted(HAN_RUN.findall(fold(record.title)), key=len, reverse=True)
        if runs and len(runs[0]) >= 4:
            run = runs[0]
            probes += [run[:2], run[1:4]]  # 区建设局… -> 区建, 建设局: the second starts inside a word
        if len(probes) >= count:
            break
    return list(dict.fromkeys(probes))


def check_segmented(out: Path, records: list[SearchRecord]) -> None:
    """Stop with SearchIndexError unless words from the content can be found in the index as readers type them.

    A build whose Chinese text went into the index uncut (whole sentences as
    single words) or cut differently from what the browser looks up would
    ship a search that finds nothing; this reads the written index back.
    """
    probes = probe_terms(records)
    if not probes:
        return
    found = index_words(out, probes)
    words = sorted(w for w, in_text in found.items() if in_text)
    missing = [p for p in probes if not _has_prefix(words, p)]
    too_long = [w for w in words if len(w) > GRAM and HAN_RUN.fullmatch(w)]
    if missing or too_long:
        example = f"；索引里却有整句：“{too_long[0][:20]}”" if too_long else ""
        raise SearchIndexError(
            "搜索索引检查失败：中文没有按词切分，读者将搜不到内容。"
            f"索引中找不到标题里的这些词：{'、'.join(f'“{p}”' for p in missing) or '（无）'}{example}。"
            "请用 requirements.txt 中固定的 pagefind 版本重新安装（make install）后再构建")


def _has_prefix(words: list[str], prefix: str) -> bool:
    at = bisect.bisect_left(words, prefix)
    return at < len(words) and words[at].startswith(prefix)
