"""mammoth's document model as paragraphs and tables that know their plain text and their Markdown.

What Word keeps but a page does not need is cleaned away here: manual line breaks (a new
paragraph after a sentence's end, otherwise joined: Chinese needs no space), full-width spaces
used as indentation, empty paragraphs, bookmarks, page breaks. Runs of the same emphasis are
merged before they are marked, so Word's arbitrary run splits never show as ``**a****b**``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from mammoth import documents as d

_SENTENCE_END = tuple("。！？；：…”」』）)!?;:")
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060\ufeff\x00-\x08\x0b-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0\u3000\u2002-\u200a]+")
_HEADING = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.I)


@dataclass
class Picture:
    content_type: str
    open: Callable  # mammoth's opener of the image's bytes
    alt: str  # the picture's own description in Word ('' when none)
    name: str = ""  # its file name in images/, set when the item's name is known


@dataclass(frozen=True)
class Span:
    text: str
    bold: bool = False
    italic: bool = False
    href: str = ""


@dataclass(frozen=True)
class NoteRef:
    number: int


BREAK = "\n"


@dataclass
class Para:
    parts: list = field(default_factory=list)  # Span, Picture, NoteRef or BREAK
    style: str = ""
    align: str = ""
    numbering: tuple[int, bool] | None = None  # (level from 0, ordered)
    size: float | None = None  # the largest font size of its runs, in points

    @property
    def heading(self) -> int | None:
        """1 for Title and Heading 1, 2 for Heading 2...; None for a plain paragraph."""
        if self.style.lower() in ("title", "标题"):
            return 1
        match = _HEADING.match(self.style.strip())
        return int(match.group(1)) if match else None

    @property
    def plain(self) -> str:
        """The text as a reader sees it (tabs kept, for mastheads laid out with them)."""
        return "".join(p.text if isinstance(p, Span) else "\n" if p == BREAK else "" for p in self.parts).strip(" \u3000\n")

    @property
    def bold(self) -> bool:
        spans = [p for p in self.parts if isinstance(p, Span) and p.text.strip()]
        return bool(spans) and all(s.bold for s in spans)

    @property
    def pictures(self) -> list[Picture]:
        return [p for p in self.parts if isinstance(p, Picture)]

    @property
    def empty(self) -> bool:
        return not self.plain.strip() and not self.pictures


@dataclass
class Cell:
    paras: list[Para]
    colspan: int = 1
    rowspan: int = 1


@dataclass
class Table:
    rows: list[list[Cell]]


@dataclass
class Body:
    blocks: list  # Para and Table, in document order
    notes: dict[int, list[Para]] = field(default_factory=dict)  # footnotes and endnotes by their number

    @property
    def pictures(self) -> list[Picture]:
        paras = [p for block in self.blocks for p in paragraphs(block)] + [p for note in self.notes.values() for p in note]
        return [picture for para in paras for picture in para.pictures]


def paragraphs(block: Para | Table) -> list[Para]:
    return [p for row in block.rows for cell in row for p in cell.paras] if isinstance(block, Table) else [block]


def read_body(document) -> Body:
    reader = _Reader(document)
    blocks = reader.blocks(document.children)
    return Body(blocks, reader.notes)


class _Reader:
    def __init__(self, document):
        self.document = document
        self.notes: dict[int, list[Para]] = {}
        self.numbers: dict[tuple, int] = {}

    def blocks(self, children) -> list:
        out: list = []
        for child in children:
            if isinstance(child, d.Paragraph):
                out += self.paragraph(child)
            elif isinstance(child, d.Table):
                out.append(self.table(child))
            elif isinstance(child, d.HasChildren):
                out += self.blocks(child.children)  # content controls and the like: their paragraphs
        return out

    def paragraph(self, element) -> list[Para]:
        numbering = (int(element.numbering.level_index or 0), bool(element.numbering.is_ordered)) if element.numbering else None
        para = Para(style=element.style_name or "", align=element.alignment or "", numbering=numbering)
        self.inline(element.children, para, bold=False, italic=False, href="")
        return _split_at_breaks(para)

    def inline(self, children, para: Para, bold: bool, italic: bool, href: str) -> None:
        for child in children:
            if isinstance(child, d.Run):
                if child.font_size:
                    para.size = max(para.size or 0, float(child.font_size))
                self.inline(child.children, para, bold or child.is_bold, italic or child.is_italic, href)
            elif isinstance(child, d.Hyperlink):
                link = child.href or "" if (child.href or "").startswith(("http://", "https://", "mailto:")) else ""
                self.inline(child.children, para, bold, italic, link)
            elif isinstance(child, d.Text):
                text = _INVISIBLE.sub("", child.value)
                if text:
                    para.parts.append(Span(text, bold, italic, href))
            elif isinstance(child, d.Tab):
                para.parts.append(Span("\t", bold, italic, href))
            elif isinstance(child, d.Break):
                if child.break_type == "line":
                    para.parts.append(BREAK)
            elif isinstance(child, d.Image):
                para.parts.append(Picture(child.content_type or "", child.open, (child.alt_text or "").strip()))
            elif isinstance(child, d.NoteReference):
                para.parts.append(NoteRef(self.note(child)))
            elif isinstance(child, d.Checkbox):
                para.parts.append(Span("☑" if child.checked else "☐", bold, italic, href))
            elif isinstance(child, d.HasChildren):
                self.inline(child.children, para, bold, italic, href)
            # Bookmarks, comments' marks and deleted text are not part of what is read.

    def note(self, reference) -> int:
        key = (reference.note_type, reference.note_id)
        if key not in self.numbers:
            number = self.numbers[key] = len(self.numbers) + 1
            try:
                body = self.document.notes.resolve(reference).body
            except KeyError:
                body = []
            self.notes[number] = [p for p in self.blocks(body) if isinstance(p, Para)]
        return self.numbers[key]

    def table(self, element) -> Table:
        rows = []
        for row in element.children:
            if not isinstance(row, d.TableRow):
                continue
            cells = [Cell([p for p in self.blocks(cell.children) if isinstance(p, Para)], cell.colspan or 1, cell.rowspan or 1)
                     for cell in row.children if isinstance(cell, d.TableCell)]
            rows.append(cells)
        return Table(rows)


def _split_at_breaks(para: Para) -> list[Para]:
    """A manual line break after a sentence's end starts a new paragraph; inside a sentence it goes."""
    out, current = [], Para(style=para.style, align=para.align, numbering=para.numbering, size=para.size)
    for part in para.parts:
        if part == BREAK:
            if current.plain.endswith(_SENTENCE_END) or (current.pictures and not current.plain):
                out.append(current)
                current = Para(style=para.style, align=para.align, size=para.size)
            continue
        current.parts.append(part)
    out.append(current)
    return out


# ---- Markdown ---------------------------------------------------------------------------------------

_ESCAPE = {"\\": "\\\\", "*": "\\*", "_": "\\_", "`": "\\`", "[": "\\[", "]": "\\]", "{": "\\{", "}": "\\}",
           "&": "&amp;", "<": "&lt;", ">": "&gt;", "~": "&#126;", "|": "\\|", "^": "&#94;"}
_LINE_START = re.compile(r"^(#|[-+=]|!|\d+(?=[.)]))")


def escape(text: str) -> str:
    """Text as Markdown shows it literally: no emphasis, link, HTML, subscript (3~5天) or table cell by accident."""
    return "".join(_ESCAPE.get(ch, ch) for ch in text)


def clean_spaces(text: str) -> str:
    """Full-width and repeated spaces used for layout become one space; none at either end."""
    return _SPACES.sub(" ", text).strip()


def inline_markdown(para: Para, note_label: Callable[[int], str] = lambda n: f"[^{n}]") -> str:
    """The paragraph's text with emphasis, links, images and footnote marks, on one line."""
    pieces: list[str] = []
    for group in _merged(para.parts):
        if isinstance(group, Picture):
            if group.name:
                pieces.append(f"![{escape(clean_spaces(group.alt))}](images/{group.name})")
        elif isinstance(group, NoteRef):
            pieces.append(note_label(group.number))
        else:
            pieces.append(_span(group))
    text = "".join(pieces)
    text = clean_spaces(text)
    return _LINE_START.sub(lambda m: "\\" + m.group(1) if not m.group(1)[0].isdigit() else m.group(1) + "\\", text)


def _merged(parts: list) -> list:
    """Adjacent spans of the same emphasis and link as one."""
    out: list = []
    for part in parts:
        if part == BREAK:
            continue
        if isinstance(part, Span) and out and isinstance(out[-1], Span) and (out[-1].bold, out[-1].italic, out[-1].href) == (
                part.bold, part.italic, part.href):
            out[-1] = Span(out[-1].text + part.text, part.bold, part.italic, part.href)
        else:
            out.append(part)
    return out


def _span(span: Span) -> str:
    text = _SPACES.sub(" ", span.text)
    core = text.strip()
    if not core:
        return text
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    marked = escape(core)
    if span.bold and span.italic:
        marked = f"***{marked}***"
    elif span.bold:
        marked = f"**{marked}**"
    elif span.italic:
        marked = f"*{marked}*"
    if span.href:
        marked = f"[{marked}](<{span.href.replace('>', '%3E').replace(' ', '%20')}>)"
    return lead + marked + trail
