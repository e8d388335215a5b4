"""The search index written from the records, in the bundle format of Pagefind 1.5, for Pagefind's own pagefind.js.

Why not Pagefind's indexer: it holds about 370 bytes for each index word while it runs and
spends about 4 µs of a core on each; the site's text is cut into one word a character
(overlapping bigrams, ``text.py``), so at 10,000 real-length items it needed 5 GB and a minute
of both cores, while MkDocs renders on one of them. The records are simple (a title, a text,
facts, three metadata fields, filters), so the bundle is written here in one pass, in about
600 MB at 10,000 items (615 MB measured), on the core MkDocs leaves free. Pagefind still provides the search that runs in the
browser (pagefind.js, its worker and WebAssembly, taken from a Pagefind run over one page) and
the reference: ``tests/test_search.py`` indexes the same records with Pagefind and compares the
two bundles, word by word, page by page.

The structures (Pagefind's ``index_words.rs``, ``index_metadata.rs``, ``fragments``):

* ``pagefind.<lang>_<hash>.pf_meta``: [version, [[fragment, word count]] (one a page),
  [[first word, last word, chunk]], [[filter, file]], sorts, metadata fields];
* ``index/*.pf_index``: [[[word, [[page - previous page, locations, metadata locations]],
  [[variant, pages]]]]], the words in order, cut into chunks of about CHUNK_LOCS locations (Pagefind: 20,000);
  locations are grouped by weight, each group a negative weight mark, then positions as
  differences from the one before; metadata locations likewise, marked by field;
* ``fragment/*.pf_fragment``: the page's JSON (url, content, word count, filters, meta), named by ``Fragments``;
* ``filter/*.pf_filter``: [filter, [[value, [pages]]]].

Each file is gzipped behind Pagefind's ``pagefind_dcd`` signature, named by its content (fragments: ``Fragments``).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import cbor2
import numpy as np

from ..dates import cn_date
from ..deploy.finish import gzipped
from .errors import SearchIndexError
from .records import SearchRecord
from .text import HAN_RUN, cut_shown, fold
from .words import INCLUDE, Form, ends_sentence, forms

PAGEFIND_CHUNK_LOCS = 20_000  # Pagefind's chunk size: locations (one more for each page) in an index chunk before the next
CHUNK_LOCS = 6_000  # the site's: smaller chunks, less of other words in a query's download (see scripts/bench)
# A bigram whose pages take this much (CBOR, about 14 KB compressed: in about a quarter of 10,000 items) is common:
# search.json lists it with what it downloads, and search.js may leave it out of a long phrase (``common_bigrams``).
COMMON_BYTES = 32_000
COMMON_MOST = 2_000  # at most this many of them, the largest, are listed (search.json)
TITLE_WEIGHT = 168  # Pagefind weighs an <h1> 7 and stores weights times 24
TEXT_WEIGHT = 24
META_FIELDS = ("date", "kind", "title")  # in Pagefind's order (sorted): a metadata location is marked by its place here
SIGNATURE = b"pagefind_dcd"
# Pagefind writes its own ready-made interfaces too; the site uses pagefind.js only.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


@dataclass(frozen=True)
class Runtime:
    """What a Pagefind run gives besides an index: its browser files and the entry it writes."""

    folder: Path  # a Pagefind bundle over one page
    version: str
    language: str


def meta_values(record: SearchRecord) -> dict[str, str]:
    """The record's metadata, in META_FIELDS order: what a result shows, and words a query may match."""
    values = {"date": cn_date(record.date), "kind": record.kind, "title": record.title}
    return {field: values[field] for field in META_FIELDS}


def filters_of(record: SearchRecord) -> dict[str, list[str]]:
    values = {"kind": [record.kind], "year": [record.year]}
    if record.series:
        values["series"] = [record.series]
    return dict(sorted(values.items()))


def blocks_of(record: SearchRecord) -> list[tuple[list[str], list[str], list[int], int]]:
    """The record's words as Pagefind reads its page: the title (an <h1>), the text, the facts, each with the
    words shown in excerpts (a Han word by its first character: the browser needs no more), the words' places
    (``cut_shown``) and its weight.

    A block's last word gets the full stop Pagefind adds after a block that ends in a letter or digit.
    """
    blocks = []
    for text, weight in ((record.title, TITLE_WEIGHT), (record.text, TEXT_WEIGHT), (record.facts, TEXT_WEIGHT)):
        words, shown, places = cut_shown(fold(text))
        if words and ends_sentence(words[-1]):
            words[-1] += "."
            shown[-1] += "."
        blocks.append((words, shown, places, weight))
    return blocks


class Vocabulary(dict):
    """Each word of text to the number of the one index form it gives: -1 for none, -2 for several (in ``several``,
    each with the number its weight is divided by).

    Forms are numbered as they are first met; ``ranks`` gives their numbers in the index's order.
    """

    def __init__(self) -> None:
        super().__init__()
        self.numbers: dict[Form, int] = {}
        self.several: dict[str, tuple[tuple[int, int], ...]] = {}

    def __missing__(self, word: str) -> int:
        numbers = tuple((self.numbers.setdefault(form, len(self.numbers)), share) for form, share in forms(word))
        value = numbers[0][0] if len(numbers) == 1 else -2 if numbers else -1
        if value == -2:
            self.several[word] = numbers
        self[word] = value
        return value

    def ranks(self) -> tuple[list[Form], np.ndarray]:
        """The forms in index order (word, then its variants), and each form number's place in it."""
        ordered = sorted(self.numbers)
        rank = np.empty(len(ordered), dtype=np.int32)
        for place, form in enumerate(ordered):
            rank[self.numbers[form]] = place
        return ordered, rank


class Occurrences:
    """Every occurrence of an index form: its form, page, weight (or metadata field, from 256) and position.

    Held as arrays, one set a block: at 10,000 items, 13 million occurrences take 250 MB.
    """

    def __init__(self) -> None:
        self.vocabulary = Vocabulary()
        self.forms: list[np.ndarray] = []
        self.keys: list[np.ndarray] = []  # page << 9 | weight (or 256 + field)
        self.positions: list[np.ndarray] = []

    def add(self, page: int, words: list[str], group: int, places: list[int] | None = None, start: int = 0) -> None:
        """Words at their places (by default one each) from ``start``, of a weight (< 256) or a metadata field
        (256 + its place in META_FIELDS)."""
        numbers = np.fromiter(map(self.vocabulary.__getitem__, words), dtype=np.int32, count=len(words))
        positions = (np.arange(len(words), dtype=np.int32) if places is None
                     else np.fromiter(places, dtype=np.int32, count=len(words))) + start
        groups = np.full(len(words), group, dtype=np.int32)
        if (numbers == -2).any():  # a word with several forms (WebView): each at the word's position, parts lighter
            rows = [(n, p, group if group >= 256 else max(1, group // share))
                    for word, number, p in zip(words, numbers.tolist(), positions.tolist())
                    for n, share in (self.vocabulary.several[word] if number == -2 else ((number, 1),))]
            numbers, positions, groups = (np.array(column, dtype=np.int32) for column in zip(*rows))
        kept = numbers >= 0
        self.forms.append(numbers[kept])
        self.positions.append(positions[kept])
        self.keys.append(page << 9 | groups[kept])

    def add_record(self, page: int, record: SearchRecord) -> tuple[str, int] | None:
        """The record's words and metadata; returns the fragment's content text and word count, or None for
        a record whose text gives no index word at all (only marks: ！！！), which Pagefind leaves out too."""
        blocks = blocks_of(record)
        if all(self.vocabulary[word] == -1 for words, *_ in blocks for word in words):
            return None
        content: list[str] = []
        start = 0
        for words, shown, places, weight in blocks:
            self.add(page, words, weight, places, start)
            content += shown
            start += places[-1] + 1 if places else 0
        for field, value in enumerate(meta_values(record).values()):
            self.add(page, value.split(), 256 + field)
        return " ".join(content), len(content)

    def sorted(self) -> tuple[list[Form], np.ndarray, np.ndarray, np.ndarray]:
        """The forms in index order, and every occurrence sorted by form, page, weight, position."""
        ordered, rank = self.vocabulary.ranks()
        forms_ = rank[np.concatenate(self.forms or [np.zeros(0, dtype=np.int32)])]
        self.forms = []
        keys = np.concatenate(self.keys or [np.zeros(0, dtype=np.int32)])
        self.keys = []
        order = np.argsort(forms_.astype(np.int64) << 31 | keys, kind="stable")  # stable: positions stay in order
        positions = np.concatenate(self.positions or [np.zeros(0, dtype=np.int32)])[order]
        self.positions = []
        return ordered, forms_[order], keys[order], positions


class Fragments:
    """The pages' excerpt files, each named by the whole set's content and its number (und_3f9c0a12b4_1f).

    Pagefind names each by its own content's hash; the meta file lists every name, and at 10,000
    pages seven random hex digits a page were 52 of its 100 KB, downloaded by every first query.
    Numbers after one hash of all the fragments compress to almost nothing (the meta file: 100 -> 75 KB)
    and keep what content hashes give: a name never stands for other content, so a browser may
    keep the files for a year (deploy/nginx). A changed page renames them all: a reader who comes
    back after an update downloads the excerpts of the results they look at again, about 2 KB each.
    """

    def __init__(self, folder: Path, language: str) -> None:
        self.folder, self.language = folder, language
        self.count = 0
        self.digest = hashlib.sha256()
        folder.mkdir(parents=True, exist_ok=True)

    def add(self, data: bytes) -> None:
        """Written at once under its number (held, 10,000 of them added 90 MB to the writer's peak), named in ``names``."""
        (self.folder / f"{self.count}.tmp").write_bytes(_pack(data))
        self.digest.update(hashlib.sha256(data).digest())
        self.count += 1

    def names(self) -> list[str]:
        """Every fragment's name, once all are added: the files renamed to them."""
        names = [f"{self.language}_{self.digest.hexdigest()[:10]}_{n:x}" for n in range(self.count)]
        for n, name in enumerate(names):
            (self.folder / f"{n}.tmp").replace(self.folder / f"{name}.pf_fragment")
        return names


def write_bundle(records: Iterable[SearchRecord], runtime: Runtime, out: Path, chunk_locations: int = CHUNK_LOCS,
                 common_bytes: int = COMMON_BYTES) -> list[tuple[str, int]]:
    """The bundle for ``records`` (texts read), pages numbered in the records' order, index chunks of about
    ``chunk_locations`` locations; returns the common bigrams (``common_bigrams``)."""
    out.mkdir(parents=True, exist_ok=True)
    for item in sorted(runtime.folder.iterdir()):
        if item.is_file() and item.name not in UNUSED and item.name != "pagefind-entry.json" and item.suffix != ".pf_meta":
            shutil.copyfile(item, out / item.name)
    language = runtime.language
    occurrences, pages, filters, fragments = Occurrences(), [], {}, Fragments(out / "fragment", language)
    for record in records:
        page = len(pages)
        added = occurrences.add_record(page, record)
        if added is None:
            continue
        content, word_count = added
        record_filters = filters_of(record)
        for name, values in record_filters.items():
            for value in values:
                filters.setdefault(name, {}).setdefault(value, []).append(page)
        fragment = {"url": "/" + record.url, "content": content, "word_count": word_count,
                    "filters": record_filters, "meta": dict(sorted(meta_values(record).items())), "anchors": []}
        data = json.dumps(fragment, ensure_ascii=False, separators=(",", ":")).encode()
        fragments.add(data)
        pages.append(word_count)
    names = fragments.names()
    pages = [[name, word_count] for name, word_count in zip(names, pages)]
    chunks, sizes = _write_words(*occurrences.sorted(), out / "index", language, chunk_locations, common_bytes)
    filter_files = [[name, _write(out / "filter", language, ".pf_filter",
                                  cbor2.dumps([name, [[value, numbers] for value, numbers in sorted(values.items())]]), 7)]
                    for name, values in sorted(filters.items())]
    meta = cbor2.dumps([runtime.version, pages, chunks, filter_files, [], list(META_FIELDS)])
    meta_hash = _write(out, f"pagefind.{language}", ".pf_meta", meta, 11)
    entry = {"version": runtime.version, "languages": {language: {"hash": meta_hash, "wasm": None, "page_count": len(pages)}},
             "include_characters": sorted(INCLUDE)}
    (out / "pagefind-entry.json").write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return common_bigrams(sizes)


def common_bigrams(sizes: dict[str, tuple[int, int]]) -> list[tuple[str, int]]:
    """The Han bigrams among ``sizes`` (word: its entry's bytes in the index, its chunk file's bytes), each with
    the KB a query of it downloads, in order; the COMMON_MOST with the largest entries.

    A query downloads each of its words' chunks: a bigram found in most items (工作, and in generated text
    whole template sentences) is 50 KB, and Pagefind's scoring slows with every page its words are on.
    search.js leaves such bigrams out of a long phrase when they would take more than it allows (Elasticsearch's
    common terms query and Lucene's CommonGrams answer the same problem).
    """
    han = [w for w in sizes if len(w) == 2 and HAN_RUN.fullmatch(w)]
    largest = sorted(han, key=lambda w: (-sizes[w][0], w))[:COMMON_MOST]
    return [(w, -(-sizes[w][1] // 1024)) for w in sorted(largest)]


def _write_words(ordered: list[Form], forms_: np.ndarray, keys: np.ndarray, positions: np.ndarray,
                 folder: Path, language: str, chunk_locations: int,
                 large: int) -> tuple[list, dict[str, tuple[int, int]]]:
    """The words in order, each with its pages and variants, cut into chunks by Pagefind's rule
    (a chunk ends once it holds ``chunk_locations`` locations, a page counting one); the chunks' ranges as its meta
    lists them, and for each word whose entry (its pages and its variants', encoded) takes ``large`` bytes or more,
    that size and the size of the file its chunk is, what a query of it downloads."""
    listed: list = []
    sizes: dict[str, tuple[int, int]] = {}
    chunk: list[bytes] = []
    bounds: list[str] = []
    size = 0

    def close() -> None:
        nonlocal chunk, bounds, size
        data = _array(1) + _array(len(chunk)) + b"".join(chunk)
        name = _write(folder, language, ".pf_index", data, 7)
        listed.append([bounds[0], bounds[-1], name])
        file_size = (folder / f"{name}.pf_index").stat().st_size
        for word, entry in zip(bounds, chunk):
            if len(entry) >= large:
                sizes[word] = (len(entry), file_size)
        chunk, bounds, size = [], [], 0

    for word, (pages, word_size), variants in _words(ordered, _form_pages(forms_, keys, positions)):
        entry = _array(3) + _text(word) + pages + _array(len(variants))
        entry += b"".join(_array(2) + _text(variant) + encoded for variant, encoded in variants)
        chunk.append(entry)
        bounds.append(word)
        size += word_size
        if size >= chunk_locations:
            close()
    if chunk:
        close()
    return trim_ranges(listed), sizes


def _words(ordered: list[Form], form_pages):
    """(word, (its pages encoded, their size), [(variant, its pages encoded)]) in order, from the forms' pages."""
    word, base, variants = None, (_array(0), 0), []
    for number, encoded, size in form_pages:
        form_word, variant = ordered[number]
        if form_word != word:
            if word is not None:
                yield word, base, variants
            word, base, variants = form_word, (_array(0), 0), []
        if variant:
            variants.append((variant, encoded))
        else:
            base = (encoded, size)
    if word is not None:
        yield word, base, variants


BATCH = 500_000  # occurrences encoded at once: bounds the memory of the arrays (about 150 MB)


def _form_pages(forms_: np.ndarray, keys: np.ndarray, positions: np.ndarray):
    """For each form, in order: (form number, its pages as the CBOR array Pagefind writes, their size in locations)."""
    start, n = 0, len(forms_)
    while start < n:
        end = min(start + BATCH, n)
        end = int(np.searchsorted(forms_, forms_[end - 1], side="right"))  # a batch ends where a form does
        yield from _encode_batch(forms_[start:end], keys[start:end], positions[start:end])
        start = end


def _encode_batch(forms_: np.ndarray, keys: np.ndarray, positions: np.ndarray):
    """Each form's pages encoded at once for all the forms of a batch: a page is [page step, locations, metadata
    locations]; each list of locations is its groups (weights, or metadata fields) in order, each group a
    negative mark (-1 - weight) and its positions as steps from the one before."""
    n = len(forms_)
    forms_, keys, positions = forms_.astype(np.int64), keys.astype(np.int64), positions.astype(np.int64)
    pages, groups = keys >> 9, keys & 511
    step = np.ones(n, dtype=bool)
    new_form, new_page, new_group = step.copy(), step.copy(), step.copy()
    new_form[1:] = forms_[1:] != forms_[:-1]
    new_page[1:] = new_form[1:] | (pages[1:] != pages[:-1])
    new_group[1:] = new_page[1:] | (groups[1:] != groups[:-1])
    is_meta = groups >= 256
    values = positions.copy()
    values[1:] -= positions[:-1]
    values[new_group] = positions[new_group]
    marks = np.where(is_meta, groups - 256, groups)  # a negative mark -1 - m is CBOR's negative integer m

    page_rows = np.flatnonzero(new_page)
    page_of_row = np.cumsum(new_page) - 1
    last_rows = np.r_[page_rows[1:], n] - 1
    per_row = 1 + new_group  # a position, and a mark where a group starts
    locs = np.bincount(page_of_row, weights=per_row * ~is_meta, minlength=len(page_rows)).astype(np.int64)
    meta_locs = np.bincount(page_of_row, weights=per_row * is_meta, minlength=len(page_rows)).astype(np.int64)
    page_numbers = pages[page_rows]
    page_steps = page_numbers.copy()
    page_steps[1:] -= page_numbers[:-1]
    first_of_form = new_form[page_rows]
    page_steps[first_of_form] = page_numbers[first_of_form]
    first_meta = is_meta & (new_page | np.r_[True, ~is_meta[:-1]])
    meta_slot = 8 * last_rows + 7  # [metadata locations] after the page's last row when it has none
    meta_slot[page_of_row[first_meta]] = 8 * np.flatnonzero(first_meta) + 3

    # Every CBOR item at a slot that puts it in order: a page's head at 8r..8r+2 of its first row r,
    # a row's mark at 8r+4 and its position at 8r+5, the head of the metadata locations before their first row.
    group_rows = np.flatnonzero(new_group)
    slots = np.concatenate([8 * page_rows, 8 * page_rows + 1, 8 * page_rows + 2, meta_slot, 8 * group_rows + 4,
                            8 * np.arange(n) + 5])
    majors = np.concatenate([np.full(len(page_rows), 4), np.zeros(len(page_rows), dtype=np.int64),
                             np.full(len(page_rows), 4), np.full(len(page_rows), 4), np.ones(len(group_rows), dtype=np.int64),
                             np.zeros(n, dtype=np.int64)])
    items = np.concatenate([np.full(len(page_rows), 3), page_steps, locs, meta_locs, marks[group_rows], values])
    taken = np.zeros(8 * n, dtype=bool)  # slots are distinct: placing the items is a scatter, not a sort
    taken[slots] = True
    placed_majors, placed_items = np.zeros(8 * n, dtype=np.int64), np.zeros(8 * n, dtype=np.int64)
    placed_majors[slots], placed_items[slots] = majors, items
    data, offsets = _cbor_heads(placed_majors[taken], placed_items[taken])
    head_items = np.cumsum(taken)[8 * page_rows] - 1  # where each page's head is, in the items
    form_rows = np.flatnonzero(new_form)
    form_pages = np.flatnonzero(first_of_form)  # each form's first page
    starts = offsets[head_items[form_pages]]
    ends = np.r_[starts[1:], len(data)]
    counts = np.diff(np.r_[form_pages, len(page_rows)])
    sizes = np.add.reduceat(locs + meta_locs + 1, form_pages) if len(form_pages) else np.zeros(0, dtype=np.int64)
    raw = data.tobytes()
    for form, start, end, count, size in zip(forms_[form_rows].tolist(), starts.tolist(), ends.tolist(),
                                             counts.tolist(), sizes.tolist()):
        yield form, _array(count) + raw[start:end], size


def _cbor_heads(majors: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """CBOR items with no content (integers, array heads), encoded at once; and where each starts."""
    lengths = np.select([values < 24, values < 256, values < 65536], [1, 2, 3], 5)
    offsets = np.cumsum(lengths) - lengths
    data = np.zeros(int(lengths.sum()), dtype=np.uint8)
    info = np.select([values < 24, values < 256, values < 65536], [values, 24, 25], 26)
    data[offsets] = (majors << 5 | info).astype(np.uint8)
    for length, shifts in ((2, (0,)), (3, (8, 0)), (5, (24, 16, 8, 0))):
        at = offsets[lengths == length]
        chosen = values[lengths == length]
        for k, shift in enumerate(shifts, start=1):
            data[at + k] = (chosen >> shift & 255).astype(np.uint8)
    return data, offsets


def _head(major: int, n: int) -> bytes:
    if n < 24:
        return bytes([major << 5 | n])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | info]) + n.to_bytes(size, "big")
    raise ValueError(n)


def _array(n: int) -> bytes:
    return _head(4, n)


def _text(text: str) -> bytes:
    data = text.encode()
    return _head(3, len(data)) + data

def trim_ranges(chunks: list) -> list:
    """Each chunk's first and last word shortened to the prefix that tells it from its neighbour (Pagefind's chunk_meta)."""
    for before, after in zip(chunks, chunks[1:]):
        common = len(_common_prefix(before[1], after[0]))
        to, start = before[1][: common + 1], after[0][: common + 1]
        if to >= before[0]:
            before[1] = to
        after[0] = start
    return chunks


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def _write(folder: Path, prefix: str, suffix: str, data: bytes, digits: int) -> str:
    """Write Pagefind's compressed form of ``data`` under a name from its content; return the name's hash part.

    A name taken by other content is lengthened until it is free, as Pagefind does.
    """
    folder.mkdir(parents=True, exist_ok=True)
    language = prefix.rsplit(".", 1)[-1]
    packed = _pack(data)
    digest = hashlib.sha256(data).hexdigest()
    while True:
        name = f"{language}_{digest[:digits]}"
        path = folder / f"{f'pagefind.{name}' if prefix.startswith('pagefind.') else name}{suffix}"
        if not path.exists() or path.read_bytes() == packed:
            path.write_bytes(packed)
            return name
        digits += 1


def _pack(data: bytes) -> bytes:
    """A bundle file's bytes: Pagefind's signature and the data, gzipped as the build gzips (level 6: 9 takes five
    times as long for 1 % less; no name or time, so the same data gives the same file)."""
    return gzipped(SIGNATURE + data)


def decode(path: Path) -> object:
    """A bundle file's structure."""
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise SearchIndexError(f"无法读取搜索索引文件 {path.name}（Pagefind 版本与 requirements.txt 不符？）")
    return cbor2.loads(data[len(SIGNATURE):]) if path.suffix != ".pf_fragment" else json.loads(data[len(SIGNATURE):])
