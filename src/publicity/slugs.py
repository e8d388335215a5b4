"""ASCII names for files: pinyin for Chinese, so that shared URLs stay readable.

The rule for a name in a URL (a file's stem, a folder, a series' slug) is declared here once,
and so is the rule for naming an item after its title (``name_for``), which ``new.py``, the
Word import and the checker's suggested names all use:

- the office's own name (区建设局, 沙市区建设局...) and common openings (关于, 开展, 召开...) say
  nothing about one item, so they are dropped: 区建设局开展井盖整治 -> jing-gai-zheng-zhi;
- at most five syllables are kept (a name is a handle, not the title);
- a name already taken gets -2, -3 (``unique``) instead of failing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"  # lowercase ASCII letters, digits and hyphens, not starting with a hyphen
_SLUG = re.compile(SLUG_PATTERN)
_HAN = re.compile(r"[\u3400-\u9fff]")
MAX_SYLLABLES = 5

# What publicity.yml's file_names section falls back to (config.FileNames).
DEFAULT_OFFICE_NAMES = ("我局", "本局", "全局")
DEFAULT_OPENINGS = ("关于", "印发", "转发", "开展", "召开", "举行", "举办", "组织", "启动", "部署", "积极", "认真", "扎实",
                    "深入", "全面", "切实", "大力", "加强", "进一步", "圆满完成", "顺利完成", "成功")
# Words that join others and name nothing: dropped when something else is left.
_JOINERS = ("的", "之", "和", "与", "及")


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


@dataclass(frozen=True)
class Namer:
    """Names items after the distinctive words of their titles (see the module's docstring)."""

    office_names: tuple[str, ...] = DEFAULT_OFFICE_NAMES
    openings: tuple[str, ...] = DEFAULT_OPENINGS
    max_syllables: int = MAX_SYLLABLES

    def distinctive(self, title: str) -> str:
        """The words of a title that tell it from others: 区建设局开展井盖整治 -> 井盖整治."""
        text = re.sub(r"[\s\u3000《》〈〉“”\"'「」『』（）()【】]+", "", title)
        for name in sorted(self.office_names, key=len, reverse=True):
            text = text.replace(name, "") if name else text
        stripped = True
        while stripped:  # openings may follow one another: 关于印发…, 积极开展…
            stripped = False
            for opening in sorted(self.openings, key=len, reverse=True):
                if opening and text.startswith(opening) and len(text) > len(opening):
                    text, stripped = text[len(opening):], True
        plain = "".join(ch for ch in text if ch not in _JOINERS)
        return plain or text

    def name(self, title: str) -> str:
        """An ASCII file name (no extension) for a title; '' when the title has nothing to romanize."""
        words = _romanize(self.distinctive(title))[: self.max_syllables] or _romanize(title)[: self.max_syllables]
        return "-".join(words)[:48].strip("-")


def office_names(full: Iterable[str], extra: Iterable[str]) -> tuple[str, ...]:
    """The office's names as titles write them: 荆州市沙市区建设局 is also 沙市区建设局, 区建设局 and 建设局."""
    names: list[str] = []
    for name in full:
        name = name.strip()
        names += [name] + [name[i + 1:] for i, ch in enumerate(name[:-2]) if ch in "省市区县"]
    names += [n.strip() for n in extra]
    return tuple(dict.fromkeys(n for n in names if len(n) >= 2))


def unique(stem: str, taken: Callable[[str], bool]) -> str:
    """``stem``, or ``stem-2``, ``stem-3``... the first that is not taken."""
    candidate, n = stem, 1
    while taken(candidate):
        n += 1
        candidate = f"{stem}-{n}"
    return candidate


def _romanize(text: str) -> list[str]:
    if _HAN.search(text):
        from pypinyin import lazy_pinyin  # imported only when needed: it loads a dictionary

        text = " ".join(lazy_pinyin(text, errors=lambda chars: chars.lower()))  # ASCII (2009, GPS) kept as it is
    return [w for w in re.split(r"[^a-z0-9]+", text.lower()) if w]
