"""Search records: what each published item puts into the index, and the page Pagefind reads for it."""

from __future__ import annotations

import dataclasses
import html
import json
from dataclasses import dataclass
from pathlib import Path

from ..dates import cn_date
from ..model import Issue, Item, NewsItem, Rule
from ..source import read_body
from .text import GRAM, cut, fold, fold_pairs, text_of_markdown

INDEX_LANGUAGE = "und"  # Pagefind's language for the records: not zh, so that Pagefind does not cut them again


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


def record_for(item: Item) -> SearchRecord:
    """The item's record; its body is read from the source when the record is indexed."""
    facts = [item.summary, *item.tags]
    series = ""
    if isinstance(item, NewsItem):
        facts += [item.department, item.author, item.category]
    elif isinstance(item, Issue):
        series = item.series.name
        facts += [item.series.display, item.number_label]
    elif isinstance(item, Rule):
        facts += [item.doc_number, item.issuer, item.index_number, item.category, item.department, item.status.value]
    return SearchRecord(url=item.url, title=item.title, kind=item.kind.label, date=item.date,
                        facts="、".join(f for f in facts if f), series=series, source=str(item.file), body_line=item.body_line)


def records_for(items: list[Item]) -> list[SearchRecord]:
    """The records of the items a build publishes; their bodies are read when they are indexed."""
    return [record_for(item) for item in items]


def record_html(record: SearchRecord) -> str:
    """The page Pagefind indexes for a record: cut words in the body, the rest as meta, filters and sort."""
    e = html.escape
    attrs = [("meta", "title", record.title), ("meta", "kind", record.kind), ("meta", "date", cn_date(record.date)),
             ("filter", "kind", record.kind), ("filter", "year", record.year)]
    if record.series:
        attrs.append(("filter", "series", record.series))
    tags = "".join(f'<span data-pagefind-{what}="{key}:{e(value)}"></span>' for what, key, value in attrs)
    return (f'<!doctype html><html lang="{INDEX_LANGUAGE}"><head><meta charset="utf-8"><title></title></head><body>'
            f'<main data-pagefind-body><h1>{e(cut(fold(record.title)))}</h1>'
            f'<p>{e(cut(fold(record.text)))}</p><p>{e(cut(fold(record.facts)))}</p>{tags}</main></body></html>')


def settings_json(records: list[SearchRecord], common: list[tuple[str, int]] = ()) -> str:
    """What search.js reads when the search opens: the filters' values, and which characters fold.

    The values come from the records, so that the filter lists need none of
    Pagefind's filter files until a reader picks one. The folding table itself
    (``fold_json``, 15 KB compressed) is asked for only when a query or a result's
    title holds a character it folds; the characters are listed here as the steps
    between their code points (2 KB compressed). ``common``: the index's common
    bigrams and the KB each downloads (``writer.common_bigrams``: 工作:52), for
    search.js to keep a long phrase's download within its budget.
    """
    kinds = [k for k in ("新闻", "简报", "制度") if any(r.kind == k for r in records)]
    filters = {"kind": kinds, "year": sorted({r.year for r in records}, reverse=True),
               "series": sorted({r.series for r in records if r.series})}
    points = sorted(map(ord, fold_pairs()))
    steps = ",".join(str(b - a) for a, b in zip([0, *points], points))
    # "pairs": empty, for a search.js of the site before fold.json that a browser still holds (an hour, deploy/nginx):
    # it searches unfolded until it asks again, instead of failing on the missing table.
    return json.dumps({"gram": GRAM, "records": len(records), "filters": filters, "folds": steps,
                       "common": " ".join(f"{word}:{kb}" for word, kb in common), "pairs": ""},
                      ensure_ascii=False, separators=(",", ":"))


def fold_json() -> str:
    """The folding table for search.js: each character that folds, then what it folds to."""
    pairs = fold_pairs()
    return json.dumps({"pairs": "".join(s + pairs[s] for s in sorted(pairs))}, ensure_ascii=False, separators=(",", ":"))
