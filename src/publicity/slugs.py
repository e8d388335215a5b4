"""ASCII names for files: pinyin for Chinese, so that shared URLs stay readable.

The rule for a name in a URL (a file's stem, a folder, a series' slug) is declared here once.
"""

from __future__ import annotations

import re

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"  # lowercase ASCII letters, digits and hyphens, not starting with a hyphen
_SLUG = re.compile(SLUG_PATTERN)


def is_slug(text: str) -> bool:
    return bool(_SLUG.match(text))


def slugify(text: str, max_length: int = 32) -> str:
    """区建设局集中整治井盖 -> qu-jian-she-ju-ji-zhong; IMG_0512 -> img-0512.

    Whole syllables are kept up to ``max_length`` characters.
    """
    words = _romanize(text)
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length and slug:
            break
        slug = candidate
    return slug[:max_length].strip("-")


def _romanize(text: str) -> list[str]:
    if re.search(r"[\u3400-\u9fff]", text):
        from pypinyin import lazy_pinyin  # imported only when needed: it loads a dictionary

        text = " ".join(lazy_pinyin(text, errors=lambda chars: " "))
    return [w for w in re.split(r"[^a-z0-9]+", text.lower()) if w]
