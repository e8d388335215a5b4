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

from .errors import SearchIndexError
from .indexer import OUTPUT_DIR, SETTINGS_FILE, Indexer, IndexReport, pagefind_binary
from .records import INDEX_LANGUAGE, SearchRecord, record_for, record_html, records_for
from .text import GRAM, cut, fold, fold_pairs, text_of_markdown

__all__ = ["GRAM", "INDEX_LANGUAGE", "OUTPUT_DIR", "SETTINGS_FILE", "IndexReport", "Indexer", "SearchIndexError",
           "SearchRecord", "cut", "fold", "fold_pairs", "pagefind_binary", "record_for", "record_html", "records_for",
           "text_of_markdown"]
