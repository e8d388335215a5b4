"""A printed PDF's text layer made to say the characters the page shows.

Chromium writes each font's ToUnicode map from the font's own character map. CJK fonts (Noto
Sans/Serif CJK among them) draw a Kangxi radical and the ideograph it looks like with one glyph
(⼯ U+2F2F and 工 U+5DE5), and the map then names the radical: the PDF looks right, but search,
copy and screen readers get ⼯. In the sample's long rule that was 157 of 2,310 characters.
The Kangxi radicals' compatibility decompositions (NFKC) are the ideographs; the supplement's simplified
forms (⻔ for 门) have none, and come from a table. Each map is written again with the ideographs; every
other character stays as it was.

The maps are read with pdfminer's CMap parser (pdfplumber's, which the print tests use too)
and written back as plain bfchar entries, which every reader understands.
"""

from __future__ import annotations

import io
import unicodedata

KANGXI = (0x2F00, 0x2FDF)  # Kangxi Radicals: NFKC gives each its ideograph
# CJK Radicals Supplement: no compatibility form, so the pairs, radical then ideograph, are those that draw
# with one glyph in Noto Serif CJK and Noto Sans CJK (read from the fonts' cmaps with fontTools, 2026-11-29).
_SUPPLEMENT = "⺂乛⺃乚⺅亻⺇𠘨⺉刂⺋㔾⺍𭕄⺎兀⺏尣⺐尢⺒巳⺓幺⺔彑⺕彐⺖忄⺘扌⺙攵⺛旡⺞歺⺟母⺠民⺡氵⺣灬⺤爫⺦丬⺨犭⺩𤣩⺫罒⺭礻⺮𥫗⺯糹⺰纟⺱罓⺲罒⺳㓁⺹耂⺺肀⺽𦥑⺾艹⺿艹⻁虎⻂衤⻃覀⻄西⻅见⻆角⻇𧢲⻈讠⻉贝⻊𧾷⻋车⻌辶⻍辶⻎辶⻐钅⻑長⻒镸⻓长⻔门⻕𨸏⻖阝⻘青⻙韦⻚页⻛风⻜飞⻝食⻞𩙿⻟飠⻠饣⻡𩠐⻢马⻣骨⻤鬼⻥鱼⻦鸟⻧卤⻨麦⻩黄⻪黾⻫斉⻬齐⻭歯⻮齿⻯竜⻰龙⻱龜⻲亀⻳龟"
SUPPLEMENT = dict(zip(_SUPPLEMENT[::2], _SUPPLEMENT[1::2]))


def unradical(text: str) -> str:
    """``text`` with each radical that draws like an ideograph replaced by that ideograph."""
    return "".join(unicodedata.normalize("NFKC", c) if KANGXI[0] <= ord(c) <= KANGXI[1] else SUPPLEMENT.get(c, c)
                   for c in text)


def has_radicals(mapping: dict[int, str]) -> bool:
    return any(unradical(text) != text for text in mapping.values())


def read_to_unicode(data: bytes) -> dict[int, str]:
    """A ToUnicode CMap as code -> text."""
    from pdfminer.cmapdb import CMapParser, FileUnicodeMap

    cmap = FileUnicodeMap()
    CMapParser(cmap, io.BytesIO(data)).run()
    return dict(cmap.cid2unichr)


def write_to_unicode(mapping: dict[int, str], code_bytes: int) -> bytes:
    """A ToUnicode CMap for ``mapping``, codes of ``code_bytes`` bytes, as bfchar entries (at most 100 a block)."""
    width = 2 * code_bytes
    lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
             "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def", "1 begincodespacerange",
             f"<{0:0{width}X}> <{(1 << (8 * code_bytes)) - 1:0{width}X}>", "endcodespacerange"]
    entries = sorted(mapping.items())
    for start in range(0, len(entries), 100):
        block = entries[start:start + 100]
        lines.append(f"{len(block)} beginbfchar")
        lines += [f"<{code:0{width}X}> <{text.encode('utf-16-be').hex().upper()}>" for code, text in block]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return ("\n".join(lines) + "\n").encode("ascii")


def code_bytes_of(data: bytes) -> int:
    """The width of the map's codes, from its first codespace range (Chromium: one byte; Identity-H fonts: two)."""
    head = data.split(b"begincodespacerange", 1)[-1].split(b"endcodespacerange", 1)[0]
    first = head.split(b">", 1)[0].split(b"<")[-1].strip()
    return max(1, len(first) // 2)


def fix_text_layer(pdf) -> int:
    """Rewrite every font's ToUnicode map in an open pikepdf document; returns how many maps changed."""
    changed = 0
    seen: set = set()
    for page in pdf.pages:
        fonts = page.Resources.get("/Font", {}) if "/Resources" in page else {}
        for _name, font in fonts.items():
            stream = font.get("/ToUnicode")
            if stream is None or stream.objgen in seen:
                continue
            seen.add(stream.objgen)
            data = stream.read_bytes()
            mapping = read_to_unicode(data)
            if has_radicals(mapping):
                fixed = {code: unradical(text) for code, text in mapping.items()}
                stream.write(write_to_unicode(fixed, code_bytes_of(data)))  # compressed when the document is saved
                changed += 1
    return changed
