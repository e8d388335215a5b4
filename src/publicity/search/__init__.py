"""The site's search: records from the content model, Chinese folding and cutting, the index in Pagefind's format.

Pagefind's browser code serves the index (chunked, so a query downloads only the
part of the index its words are in). What goes into it is decided here:

* **Records, not crawled pages.** Each published item becomes one record built
  from the model: title, kind (新闻/简报/制度), date, year, series, body text
  and the facts a reader may type (文号, 科室, 期号...). Listings and the home
  page are not records, so a query finds items only (``records.py``).
* **Folding.** Traditional characters are folded to Simplified (OpenCC's
  character table), full-width letters and digits to ASCII, in the index and
  in the query alike (the browser gets the same table, ``fold.json``, when it needs it), so 井蓋
  finds 井盖 and 井盖 finds 井蓋 (``text.py``).
* **Cutting.** Every run of Chinese characters is cut into overlapping bigrams
  with positions (集中整治 -> 集中 中整 整治 治), as Lucene's CJK analysis does; the
  browser asks a query's bigrams as an exact phrase, so any part of the text,
  wherever a dictionary would put its word boundaries, is found (``text.py``,
  ``search.js``); a long phrase without the bigrams common in the index where it
  can spare them (``writer.common_bigrams``).
* **Writing.** The index is written here in Pagefind 1.5's format, from the
  records, in one pass over NumPy arrays (``writer.py``, ``words.py``): Pagefind's
  own indexer needs 5 GB for 10,000 real-length items cut this way. The tests
  compare the two indexes of the same records.

After indexing, ``bundle.check_segmented`` reads the index back and stops the build
if words from the content cannot be found in it.
"""

from .errors import SearchIndexError
from .indexer import FOLD_FILE, OUTPUT_DIR, SETTINGS_FILE, Indexer, IndexReport, pagefind_binary
from .records import INDEX_LANGUAGE, SearchRecord, record_for, record_html, records_for
from .text import GRAM, cut, fold, fold_pairs, text_of_markdown

__all__ = ["FOLD_FILE", "GRAM", "INDEX_LANGUAGE", "OUTPUT_DIR", "SETTINGS_FILE", "IndexReport", "Indexer", "SearchIndexError",
           "SearchRecord", "cut", "fold", "fold_pairs", "pagefind_binary", "record_for", "record_html", "records_for",
           "text_of_markdown"]
