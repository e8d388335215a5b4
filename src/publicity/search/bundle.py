"""Reading a written search bundle back: the words it holds, and the check that Chinese was cut into them."""

from __future__ import annotations

from pathlib import Path

from .errors import SearchIndexError
from .records import SearchRecord
from .text import GRAM, HAN_RUN, fold
from .writer import decode


def index_words(out: Path, words: list[str]) -> dict[str, bool]:
    """The index words of the chunks that would hold ``words``, each mapped to whether it occurs in record text
    (True) or only in meta fields such as the title, which Pagefind indexes whole.

    Pagefind's meta file lists each index chunk with the first and last word it holds (sometimes
    shortened to a prefix), so a word is looked for in every chunk whose range could hold it.
    """
    metas = sorted(out.glob("pagefind.*.pf_meta"))
    if not metas:
        raise SearchIndexError("搜索索引不完整：找不到 pagefind.*.pf_meta")
    found: dict[str, bool] = {}
    for meta in metas:
        chunks = decode(meta)[2]  # [version, pages, index chunks [from, to, hash], filters, sorts, meta fields]
        wanted = {h for first, last, h in chunks if any(_may_hold(first, last, w) for w in words)}
        for h in sorted(wanted):
            for word, pages, *_ in decode(out / "index" / f"{h}.pf_index")[0]:  # [[word, [[page, locs, meta locs]], variants]]
                found[word] = found.get(word, False) or any(page[1] for page in pages)
    return found


def _may_hold(first: str, last: str, word: str) -> bool:
    return first <= word <= last or word.startswith(first) or last.startswith(word[: len(last)])


def probe_terms(records: list[SearchRecord], count: int = 8) -> list[str]:
    """Index words a reader's query is cut into, from titles: a run's first bigram and one from inside it."""
    probes: list[str] = []
    for record in sorted(records, key=lambda r: r.url):
        runs = sorted(HAN_RUN.findall(fold(record.title)), key=len, reverse=True)
        if runs and len(runs[0]) >= 3:
            run = runs[0]
            probes += [run[:GRAM], run[1:1 + GRAM]]  # 区建设局… -> 区建, 建设: the second starts inside a word
        if len(probes) >= count:
            break
    return list(dict.fromkeys(probes))


def check_segmented(out: Path, records: list[SearchRecord]) -> None:
    """Stop with SearchIndexError unless the index holds the words a reader's query is cut into.

    A build whose Chinese text went into the index uncut (whole sentences as single words) or cut
    differently from the browser's queries would ship a search that finds nothing; this reads the
    written index back. It looks for exact words, never for prefixes of others, so a site whose
    titles all share a prefix (城建动态第1号 … 第10000号) passes when its index is right.
    """
    probes = probe_terms(records)
    if not probes:
        return
    found = index_words(out, probes)
    missing = [p for p in probes if not found.get(p)]
    too_long = [w for w, in_text in found.items() if in_text and len(w) > GRAM and HAN_RUN.fullmatch(w)]
    if missing or too_long:
        example = f"；索引里却有整句：“{too_long[0][:20]}”" if too_long else ""
        raise SearchIndexError(
            "搜索索引检查失败：中文没有按词切分，读者将搜不到内容。"
            f"索引中找不到标题里的这些词：{'、'.join(f'“{p}”' for p in missing) or '（无）'}{example}。"
            "请用 requirements.txt 中固定的 pagefind 版本重新安装（make install）后再构建")
