"""The index words Pagefind makes of a word of text, and of a metadata value, as Pagefind 1.5 makes them.

The site's index is written by ``writer.py``, not by Pagefind's indexer (see there why); the
browser still asks it with Pagefind's own code, which normalises a query word the same way.
What Pagefind's indexer does with a whitespace-separated word of a page (its ``track_word``):

* the word counts one position, whatever it holds (a lone ，or 。 too);
* its letters and digits, with Pagefind's ``include_characters`` (_ and a few joiners), lower-cased,
  are the index word; a word with none gives no index word;
* a word with diacritics is indexed without them, the form with them kept as a variant
  (café -> cafe, variant café), so that cafe and café both find it;
* a word holding other marks or a capital after its first letter (GB/T-9704, WebView, iPhone15)
  is also indexed as its parts, cut at ASCII punctuation, case changes and digits (gb, 9704;
  web, view; phone, 15), parts of one byte left out, each part weighing its share of the word.

What Pagefind does and this does not: emoji are not indexed on their own, and a few scripts'
case rules differ (Greek final sigma). The site's text is Chinese; ``tests/test_search.py``
compares a whole index with Pagefind's own on the sample and a generated corpus.
"""

from __future__ import annotations

import string
import unicodedata
from functools import lru_cache

# Pagefind's default include_characters (pagefind-entry.json): kept in index words although not alphanumeric.
INCLUDE = frozenset("_‿⁀⁔︳︴﹍﹎﹏＿")
_ASCII_PUNCTUATION = str.maketrans({c: " " for c in string.punctuation})
# Pagefind adds a full stop after a block (a heading, a paragraph) that ends in a letter, a digit or one
# of these (its parser's SENTENCE_CHARS, less ' and ", which the page has as entities, ending in ;), so that
# excerpts read as sentences; the stop becomes part of the block's last word.
SENTENCE_END = frozenset(")$*")

Form = tuple[str, str]  # (index word, variant with diacritics or "")


@lru_cache(maxsize=1 << 18)
def forms(word: str) -> tuple[tuple[Form, int], ...]:
    """Every index word (with its variant) that ``word`` gives, in the order Pagefind stores them, each with
    the number its weight is divided by: 1 for the word, the number of parts for each of its parts."""
    normalized = "".join(c.lower() if c.isupper() else c for c in word if c.isalnum() or c in INCLUDE)
    if not normalized:
        return ()
    out = [(_without_diacritics(normalized), 1)]
    if any(not c.isalnum() for c in word) or any(c.isupper() for c in word[1:]):
        parts = _discrete(word)
        if " " in parts or not normalized.startswith(parts):
            kept = [p for p in parts.split() if len(p.encode()) > 1]  # Pagefind leaves out parts of one byte
            out += [(_without_diacritics(p), len(kept)) for p in kept]
    return tuple(out)


def _without_diacritics(word: str) -> Form:
    bare = unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c)))
    return (bare, unicodedata.normalize("NFC", word)) if bare != word else (word, "")


def _discrete(word: str) -> str:
    """The word cut at ASCII punctuation, case changes and digits, lower-cased (Pagefind's get_discrete_words)."""
    out: list[str] = []
    for chunk in word.translate(_ASCII_PUNCTUATION).split():
        out += _case_words(chunk)
    return " ".join(w.lower() for w in out)


def _case_words(chunk: str) -> list[str]:
    """A chunk cut where case or digits change: webView -> web View, HTMLPage -> HTML Page, iPhone15 -> i Phone 15."""
    words, start = [], 0
    for i in range(1, len(chunk)):
        a, b = chunk[i - 1], chunk[i]
        after = chunk[i + 1] if i + 1 < len(chunk) else ""
        digits = _digit(a) != _digit(b) and (_digit(a) or a.isupper() or a.islower()) and \
            (_digit(b) or b.isupper() or b.islower())
        if (a.islower() and b.isupper()) or digits or (a.isupper() and b.isupper() and after.islower()):
            words.append(chunk[start:i])
            start = i
    words.append(chunk[start:])
    return [w for w in words if w]


def _digit(c: str) -> bool:
    return "0" <= c <= "9"  # ASCII only: ＬＥＤ２００ stays one word


def ends_sentence(word: str) -> bool:
    """Whether Pagefind puts a full stop after a block that ends in ``word``: a word character of its regex
    (a letter, a mark, a decimal or letter-like digit, a connector such as _; not ① or ½) or SENTENCE_END."""
    category = unicodedata.category(word[-1])
    return category[0] in "LM" or category in ("Nd", "Nl", "Pc") or word[-1] in SENTENCE_END
