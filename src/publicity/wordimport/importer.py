"""One Word document in, one draft item out: named as new.py names it, its photos in images/, never overwriting.

Everything is made in memory first (the Markdown and every photo's bytes); only then is
anything written, each file created exclusively, and a failure takes back what was written,
so a refused document leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from ..config import Series, SiteConfig
from ..disclosure import next_index_number
from ..loader import Content
from ..model import Issue, Kind, Rule
from ..scaffold import AlreadyThere, issue_path, item_path, next_numbers, render, same_item
from ..slugs import unique
from .blocks import Body, Para, Picture, Table, clean_spaces, escape, inline_markdown, paragraphs, read_body
from .facts import Facts, clean_title, detect_kind, find_facts
from .reading import Refused, open_document

# Photos the site publishes as they are; others are converted to PNG; the rest cannot be shown on a page.
_KEEP = {"image/jpeg": ".jpg", "image/pjpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp"}
_CONVERT = {"image/bmp", "image/x-bmp", "image/tiff", "image/x-ms-bmp"}
_GENERIC_ALT = re.compile(r"^(?:图片|picture|image|img|图像|photo|dsc|图)[\s_-]*\d*(?:\.\w{3,4})?$|\.(?:jpe?g|png|gif|bmp|tiff?|emf|wmf)$", re.I)
_CAPTION_START = ("图", "▲", "△", "↑", "（图", "(图", "上图", "下图", "图为")


@dataclass
class Imported:
    source: Path
    path: Path  # the Markdown file written
    kind: Kind
    pictures: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Planned:
    """What one run has written so far: later documents of the run must not take the same names or be the same item."""

    paths: set[Path] = field(default_factory=set)
    items: list[tuple[Kind, str, object, Path]] = field(default_factory=list)
    index_numbers: list[str] = field(default_factory=list)  # 索引号 given to the run's rules

    def taken(self, path: Path) -> bool:
        return path in self.paths or path.exists()


def import_document(source: Path, content: Content, config: SiteConfig, today: dt.date, planned: Planned,
                    kind: Kind | None = None, series: Series | None = None) -> Imported:
    """Import one document; ``Refused`` (Chinese reason) or ``AlreadyThere`` when it cannot be, with nothing written."""
    opened = open_document(source)
    body = read_body(opened.document)
    paras = [(n, b) for n, b in enumerate(body.blocks) if isinstance(b, Para) and not b.empty]
    if not paras and not any(isinstance(b, Table) for b in body.blocks):
        raise Refused("文档里没有文字，无法导入")
    kind = kind or (Kind.NEWSLETTER if series else detect_kind(paras, config))
    facts = find_facts(body.blocks, kind, config, series)
    values, path = _front_matter(source, facts, content, config, today, planned)
    _name_pictures(body, path, planned)
    warnings = list(facts.warnings)
    markdown = _markdown(body, facts.consumed, warnings)
    files = _picture_files(body, path, warnings)
    text = render(kind, values, config, markdown)
    written = _write(path, text, files)
    planned.paths.update([path, *files])
    planned.items.append((kind, str(values.get("title", "")), values.get("date"), path))
    return Imported(source, path, kind, written, warnings)


def _front_matter(source: Path, facts: Facts, content: Content, config: SiteConfig, today: dt.date,
                  planned: Planned) -> tuple[dict, Path]:
    values: dict[str, object] = {**facts.values, "draft": True}
    values.setdefault("date", today)
    day = values["date"]
    assert isinstance(day, dt.date)
    docs = content.docs_dir
    if facts.kind is Kind.NEWSLETTER:
        series = config.series_named(str(values.get("series", "")))
        if series is None:
            raise Refused(f"没有在报头找到已登记的刊名（{'、'.join(s.name for s in config.series)}），请用 --series 指定")
        if "issue" not in values:
            values["issue"], total = next_numbers(content, series, day.year)
            values.setdefault("total_issue", total)
            facts.warnings.append(f"报头里没有找到期号（第N期），issue 暂填 {values['issue']}，请核对")
        for item in content.of_kind(Kind.NEWSLETTER):
            if isinstance(item, Issue) and item.series == series and item.date.year == day.year and item.issue == values["issue"]:
                raise AlreadyThere(item)
        path = issue_path(docs, series, day.year, int(values["issue"]))  # type: ignore[call-overload]
        if planned.taken(path):
            raise AlreadyThere(path)
        return values, path
    values.setdefault("title", clean_title(source.stem))
    title = str(values["title"])
    same = same_item(content, facts.kind, title, day)
    if same is not None:
        raise AlreadyThere(same)
    earlier = next((p for k, t, d, p in planned.items if (k, t, d) == (facts.kind, title, day)), None)
    if earlier is not None:
        raise AlreadyThere(earlier)
    if facts.kind is Kind.RULE and not values.get("index_number"):  # as new.py gives one, by the rule's year
        rules = [r for r in content.of_kind(Kind.RULE) if isinstance(r, Rule)]
        number = next_index_number(config, rules, day, planned.index_numbers)
        if number:
            values["index_number"] = number
            planned.index_numbers.append(number)
    return values, item_path(docs, facts.kind, title, day, config, taken=planned.taken)


def _name_pictures(body: Body, path: Path, planned: Planned) -> None:
    folder = path.parent / "images"
    for number, picture in enumerate(body.pictures, 1):
        suffix = _KEEP.get(picture.content_type.lower(), ".png")
        stem = unique(f"{path.stem}-{number}", lambda s, suffix=suffix: planned.taken(folder / f"{s}{suffix}") or any(
            (folder / f"{s}{ext}").exists() for ext in (".jpg", ".png", ".gif", ".webp")))
        picture.name = f"{stem}{suffix}"


def _picture_files(body: Body, path: Path, warnings: list[str]) -> dict[Path, bytes]:
    """Each photo's bytes as the image pipeline takes them (EXIF kept: the pipeline strips it when publishing)."""
    files: dict[Path, bytes] = {}
    for number, picture in enumerate(body.pictures, 1):
        if not picture.name:
            continue
        data = _picture_bytes(picture, number, warnings)
        if data is None:
            picture.name = ""
        else:
            files[path.parent / "images" / picture.name] = data
    return files


def _picture_bytes(picture: Picture, number: int, warnings: list[str]) -> bytes | None:
    kind = picture.content_type.lower()
    if kind not in _KEEP and kind not in _CONVERT:
        warnings.append(f"第 {number} 张图片是网页不能显示的格式（{kind or '未知'}），没有导入。请在 Word 里把它另存为 PNG 或 JPEG 后插在正文里")
        return None
    try:
        with picture.open() as stream:
            data = stream.read()
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        if kind in _CONVERT:
            with Image.open(io.BytesIO(data)) as image:
                out = io.BytesIO()
                image.convert("RGBA" if "A" in image.getbands() else "RGB").save(out, "PNG")
                return out.getvalue()
        return data
    except (OSError, UnidentifiedImageError, SyntaxError, ValueError, KeyError):
        warnings.append(f"第 {number} 张图片已损坏，没有导入。请从原始照片重新插入")
        return None


def _markdown(body: Body, consumed: set[int], warnings: list[str]) -> str:
    chunks: list[str] = []
    blocks = body.blocks
    skip: set[int] = set(consumed)
    tables = 0
    open_list: bool | None = None  # whether the top-level list going on is numbered (None: no list)
    for n, block in enumerate(blocks):
        if n in skip or isinstance(block, Para) and block.empty:
            continue
        numbering = block.numbering if isinstance(block, Para) and not block.pictures else None
        # A list goes on while items follow items; a numbered list after a bulleted one (at the top level) is a new one.
        joined = open_list is not None and numbering is not None and (numbering[0] > 0 or numbering[1] == open_list)
        if numbering is None or numbering[0] == 0:
            open_list = numbering[1] if numbering else None
        if isinstance(block, Table):
            tables += 1
            chunks.append(_table(block, tables, warnings))
            continue
        if block.pictures:
            caption = _caption(blocks, n, skip)
            chunks += _picture_paragraphs(block, caption, warnings)
            continue
        text = inline_markdown(block)
        if block.heading:
            chunks.append("#" * min(block.heading + 1, 6) + " " + text)
        elif block.numbering:
            level, ordered = block.numbering
            item = "    " * level + ("1. " if ordered else "- ") + text
            if joined:
                chunks[-1] += "\n" + item
            else:
                chunks.append(item)
        else:
            chunks.append(text)
    for number, paras in body.notes.items():
        note = " ".join(inline_markdown(p) for p in paras if not p.empty) or "（脚注内容为空）"
        chunks.append(f"[^{number}]: {note}")
    return "\n\n".join(c for c in chunks if c.strip())


def _caption(blocks: list, n: int, skip: set[int]) -> str:
    """The caption under a photo: the next short paragraph, centred or starting 图…, not a sentence of the story."""
    picture = blocks[n]
    if picture.plain.strip():
        return ""
    for m in range(n + 1, min(n + 3, len(blocks))):
        block = blocks[m]
        if not isinstance(block, Para) or block.pictures:
            return ""
        if block.empty:
            continue
        text = clean_spaces(block.plain)
        if len(text) <= 60 and (block.align == "center" or text.startswith(_CAPTION_START) or not text.endswith("。")) \
                and not block.heading and not block.numbering:
            skip.add(m)
            return re.sub(r"^[▲△↑]\s*", "", text)
        return ""
    return ""


def _picture_paragraphs(para: Para, caption: str, warnings: list[str]) -> list[str]:
    out = []
    text_only = Para([p for p in para.parts if not isinstance(p, Picture)], para.style, para.align, para.numbering)
    if not text_only.empty:
        out.append(inline_markdown(text_only))
    for picture in para.pictures:
        if not picture.name:
            continue
        alt = caption or ("" if _GENERIC_ALT.search(picture.alt) else picture.alt)
        if not alt:
            warnings.append(f"图片 images/{picture.name} 没有图片说明，请在 ![…] 的方括号里补上一句")
        out.append(f"![{escape(clean_spaces(alt))}](images/{picture.name})")
        caption = ""  # one caption, for the photo it is under
    return out


def _table(table: Table, number: int, warnings: list[str]) -> str:
    """A Markdown table; a merged cell keeps its text in its first cell, the others stay empty (said in a warning)."""
    grid: list[list[str]] = []
    below: dict[int, int] = {}  # column -> rows still covered by a cell merged from above
    merged = False
    for row in table.rows:
        cells: list[str] = []
        queue = list(row)
        column = 0
        while queue or any(c >= column for c in below):
            if below.get(column, 0) > 0:
                below[column] -= 1
                cells.append("")
                column += 1
                continue
            if not queue:
                column += 1
                if column > 200:
                    break
                continue
            cell = queue.pop(0)
            text = "<br>".join(inline_markdown(p) for p in cell.paras if not p.empty)
            cells += [text] + [""] * (cell.colspan - 1)
            if cell.colspan > 1 or cell.rowspan > 1:
                merged = True
                for c in range(column, column + cell.colspan):
                    if cell.rowspan > 1:
                        below[c] = cell.rowspan - 1
            column += cell.colspan
        below = {c: r for c, r in below.items() if r > 0}
        grid.append(cells)
    width = max((len(r) for r in grid), default=1) or 1
    grid = [r + [""] * (width - len(r)) for r in grid] or [[""]]
    if merged:
        warnings.append(f"第 {number} 个表格有合并单元格：网页表格不能合并，合并的内容放在了第一格，其余留空，请核对")
    lines = ["| " + " | ".join(c.replace("\n", " ") or " " for c in grid[0]) + " |", "|" + " --- |" * width]
    lines += ["| " + " | ".join(c.replace("\n", " ") or " " for c in row) + " |" for row in grid[1:]]
    return "\n".join(lines)


def _write(path: Path, text: str, files: dict[Path, bytes]) -> list[Path]:
    """Create every file exclusively; on any failure remove the ones this call created."""
    created: list[Path] = []
    made_folders: list[Path] = []
    try:
        for target, data in [*files.items(), (path, text.encode("utf-8"))]:
            for folder in reversed(target.parents):
                if not folder.exists():
                    folder.mkdir()
                    made_folders.append(folder)
            with target.open("xb") as handle:
                created.append(target)
                handle.write(data)
    except BaseException:
        for target in created:
            target.unlink(missing_ok=True)
        for folder in reversed(made_folders):
            if not any(folder.iterdir()):
                folder.rmdir()
        raise
    return [p for p in created if p != path]


__all__ = ["AlreadyThere", "Imported", "Planned", "Refused", "import_document", "paragraphs"]
