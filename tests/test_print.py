"""Printed items follow the layout of official documents (GB/T 9704-2012), measured on the PDF.

A long rule (several pages, chapters, a table), a newsletter issue with its masthead and distribution, a
news item and a repealed rule are printed twice: by Chromium from the served site, as a reader's Ctrl+P,
and by ``scripts/pdf.py``. Both PDFs are read back with pdfplumber (each character's position, size, font
and colour; each rule drawn) and measured as a person with a ruler would: the page, the margins of the
text, the size of the type, the line pitch, the page numbers, the red masthead, no site chrome.

Positions are in millimetres from the page's top left corner. A character's square (its em box) is taken
from its baseline, where CJK fonts put it: 0.88 of its size above, 0.12 below.
"""

from __future__ import annotations

import collections
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from publicity.pdf_text import unradical

from conftest import DOCS, PYTHON, ROOT, build_ok, published, run_env, served, write_docs

pytestmark = pytest.mark.browser
PDF_PY = ROOT / "scripts" / "pdf.py"
MM = 72 / 25.4  # points in a millimetre

# GB/T 9704-2012: A4; the type area 156 × 225 mm, 37 mm from the top and 28 mm from the left.
PAGE_W, PAGE_H = 210, 297
LEFT, TOP, WIDTH, HEIGHT = 28, 37, 156, 225
RIGHT, BOTTOM = LEFT + WIDTH, TOP + HEIGHT
BODY_PT, TITLE_PT, NUMBER_PT = 16, 22, 14  # 3号, 2号, 4号
PITCH_PT = 28.95  # 22 lines in the type area
CHAR_MM = 15.75 / MM  # one character's advance: 28 to a line
TOLERANCE = 2  # mm, for the margins of the text
# Words of the site around a document: none may be printed.
CHROME = ("首页", "新闻动态", "工作简报", "规章制度", "公开统计", "上一篇", "下一篇", "当前位置", "跳转至", "搜索", "适老模式",
          "主办单位", "网站标识码", "备案", "扫码", "二维码", "索引号", "发文机关", "效力状态", "刊发媒体", "标签", "下载本期",
          "本文地址", "http", "www", ".cn", "荆州日报")

# ---- the documents ---------------------------------------------------------------------------------------------

HAN = "为加强机关管理规范工作程序提高办事效率根据上级有关规定结合本局实际制定本制度各科室二级单位要认真执行局办公室负责督促检查"


def paragraph(lines: int, start: int = 0) -> str:
    """A paragraph that fills exactly ``lines`` lines of 28 characters (two of the first are its indent)."""
    count = 28 * lines - 3
    text = (HAN * (count // len(HAN) + 2))[start % len(HAN):][:count]
    return text + "。"


CHAPTERS = ("第一章", "第二章", "第三章")
# Page 1: 发文字号, a blank line, the title, a blank line (4 lines); 第一章 and 16 lines of text leave the 22nd
# line to 第二章, which must go over to page 2 with its text. Page 2 is then 22 lines of text, and the table
# on page 3 has rows of three lines, so that a page ends inside one of them.
RULE_BODY = "\n\n".join([
    f"## {CHAPTERS[0]}　总则", paragraph(5), paragraph(4, 3), paragraph(3, 7), paragraph(4, 11),
    f"## {CHAPTERS[1]}　职责", paragraph(6, 13), paragraph(5, 17), paragraph(5, 19), paragraph(5, 23), paragraph(7, 29),
    f"## {CHAPTERS[2]}　检查考核", paragraph(2, 31),
    "| 项目 | 要求 | 科室 |\n| --- | --- | --- |\n" + "\n".join(
        f"| 第{n}项 | 起{n:02d}{HAN[n:n + 40]}止{n:02d} | 办公室 |" for n in range(1, 19)),
])
LONG_RULE = f"""---
title: 沙市区建设局机关工作管理制度
date: 2008-03-10
status: 现行有效
doc_number: 沙建发〔2008〕12号
department: 办公室
---

{RULE_BODY}
"""
OLD_RULE = """---
title: 沙市区建设局来客接待制度
date: 2007-01-10
status: 已废止
repealed: 2009-01-01
---

第一条　来客接待由局办公室统一安排，各科室不得自行安排公务接待；接待标准按区有关规定执行，不得超标准接待。
"""
ISSUE = f"""---
series: 城建情况
issue: 3
total_issue: 47
date: 2008-05-22
attachment:  # PDF 版，相对本文件的路径（new.py writes the field so, empty）
distribution:
  report: [市建委, 区委办公室, 区政府办公室]
  send: 区文明办
  distribute: [局机关各科室, 二级单位]
  copies: 40
---

## 抗震救灾

{paragraph(3)}

## 工作动态

{paragraph(2, 5)}

- 市政科连夜处置胜利街化粪池漫溢问题。
"""
NEWS = f"""---
title: 区建设局集中整治破损井盖
date: 2008-05-08
department: 市政科
author: 李志强
tags: [井盖]
outlets: [荆州日报]
---

{paragraph(3, 2)}

详见[区政府网](https://www.shashi.example.cn/)。
"""
OTHER_NEWS = "---\ntitle: 区建设局开展植树活动\ndate: 2008-03-12\n---\n\n正文。\n"
SECOND_ISSUE = "newsletters/chengjian/2008-04.md"  # written by hand: no attachment line to fill
FILES = {SECOND_ISSUE: "---\nseries: 城建情况\nissue: 4\ndate: 2008-06-20\n---\n\n正文。\n", "rules/guanli.md": LONG_RULE, "rules/laike.md": OLD_RULE, "newsletters/chengjian/2008-03.md": ISSUE,
         "news/2008/0508-jinggai.md": NEWS, "news/2008/0312-zhishu.md": OTHER_NEWS}
PRINTED = {"rule": "rules/guanli.md", "old-rule": "rules/laike.md", "issue": "newsletters/chengjian/2008-03.md",
           "news": "news/2008/0508-jinggai.md"}


def url_of(rel: str) -> str:
    return rel[:-3] + "/"


# ---- reading a PDF back --------------------------------------------------------------------------------------

@dataclass
class Line:
    """Characters sharing a baseline, left to right; positions in mm."""

    chars: list[dict]
    page_height: float  # pt

    @property
    def text(self) -> str:
        return "".join(_character(c["text"]) for c in self.chars if not c["text"].isspace())

    @property
    def x0(self) -> float:
        return self.chars[0]["x0"] / MM

    @property
    def x1(self) -> float:
        return max(c["x1"] for c in self.chars) / MM

    @property
    def size(self) -> float:
        return collections.Counter(round(c["size"], 1) for c in self.chars).most_common(1)[0][0]

    @property
    def baseline(self) -> float:
        return (self.page_height - self.chars[0]["matrix"][5]) / MM

    @property
    def top(self) -> float:
        """The top of the line's character squares."""
        return self.baseline - 0.88 * self.size / MM

    @property
    def middle(self) -> float:
        return self.baseline - 0.38 * self.size / MM

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def fonts(self) -> set[str]:
        return {c["fontname"] for c in self.chars if not c["text"].isspace()}

    @property
    def colours(self) -> set[tuple]:
        return {tuple(round(v, 2) for v in c["non_stroking_color"] or ()) for c in self.chars if not c["text"].isspace()}


@dataclass
class Sheet:
    """One printed page: its size, its lines of text and the rules drawn on it (mm)."""

    width: float
    height: float
    lines: list[Line]
    rules: list[dict] = field(default_factory=list)  # x0, x1, top, height, colour

    @property
    def number(self) -> Line | None:
        found = [line for line in self.lines if re.fullmatch(r"—\d+—", line.text)]
        return found[-1] if found else None

    @property
    def body(self) -> list[Line]:
        """Every line but the page number."""
        return [line for line in self.lines if line is not self.number]

    @property
    def text(self) -> str:
        return "".join(line.text for line in self.lines)


def read_pdf(path: Path) -> list[Sheet]:
    import pdfplumber

    sheets = []
    with pdfplumber.open(path) as pdf:
        for pg in pdf.pages:
            by_baseline: dict[float, list[dict]] = collections.defaultdict(list)
            for c in pg.chars:
                by_baseline[round(c["matrix"][5] * 2) / 2].append(c)
            lines = [Line(sorted(cs, key=lambda c: c["x0"]), pg.height) for _, cs in sorted(by_baseline.items(), reverse=True)]
            rules = [{"x0": r["x0"] / MM, "x1": r["x1"] / MM, "top": r["top"] / MM, "height": r["height"] / MM,
                      "colour": tuple(round(v, 2) for v in r["non_stroking_color"] or ())} for r in pg.rects]
            sheets.append(Sheet(pg.width / MM, pg.height / MM, [line for line in lines if line.text], rules))
    return sheets


def _character(text: str) -> str:
    """The character a reader sees. Chromium embeds CJK fonts as drawn glyphs, and a glyph that two characters
    share (工 and the Kangxi radical ⼯) is read back as the radical in a browser's own printout: folded back
    here as pdf.py folds its PDFs' text (publicity.pdf_text)."""
    return unradical(text)


def is_red(colour: tuple) -> bool:
    return len(colour) == 3 and colour[0] > 0.8 and colour[1] < 0.2 and colour[2] < 0.2


def is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3000" <= char <= "\u303f" or "\uff00" <= char <= "\uffef"


# ---- printing them, both ways ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def print_docs(tmp_path_factory) -> Path:
    return write_docs(tmp_path_factory.mktemp("print") / "docs", dict(FILES))


@pytest.fixture(scope="module")
def print_site(print_docs) -> Path:
    return build_ok(print_docs, print_docs.parent / "site")


@pytest.fixture(scope="module")
def browser_prints(print_site, browser, tmp_path_factory) -> dict[str, list[Sheet]]:
    """Each page printed from the served site by Chromium, as a reader prints it (A4 from the page's own rules)."""
    site = print_site
    out = tmp_path_factory.mktemp("browser-pdf")
    prints = {}
    with served(site) as origin:
        tab = browser.new_page()
        for name, rel in PRINTED.items():
            tab.goto(f"{origin}/{url_of(rel)}", wait_until="load")
            tab.pdf(path=str(out / f"{name}.pdf"), prefer_css_page_size=True)
            prints[name] = read_pdf(out / f"{name}.pdf")
        tab.close()
    return prints


def pdf_py(docs: Path, *rels: str) -> subprocess.CompletedProcess:
    result = subprocess.run([PYTHON, str(PDF_PY), "--docs", str(docs), *(str(docs / rel) for rel in rels)], cwd=ROOT,
                            env=run_env(), capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    return result


def made_by_pdf_py(rel: str) -> str:
    """Where pdf.py puts an item's PDF: the item's files/ folder."""
    folder, _, name = rel.rpartition("/")
    return f"{folder}/files/{name[:-3]}.pdf"


@pytest.fixture(scope="module")
def script_docs(tmp_path_factory) -> Path:
    """The same documents printed by scripts/pdf.py, in a content folder of their own (it writes into it)."""
    docs = write_docs(tmp_path_factory.mktemp("pdf-py") / "docs", dict(FILES))
    result = pdf_py(docs, *PRINTED.values(), SECOND_ISSUE)
    assert result.returncode == 0, result.stderr
    for rel in [*PRINTED.values(), SECOND_ISSUE]:
        assert made_by_pdf_py(rel) in result.stdout
    # A rule has no attachment field: the script says how its PDF gets published.
    assert "在正文里链接它，例如 [打印版（PDF）](files/guanli.pdf)" in result.stdout
    return docs


@pytest.fixture(scope="module")
def script_prints(script_docs) -> dict[str, list[Sheet]]:
    return {name: read_pdf(script_docs / made_by_pdf_py(rel)) for name, rel in PRINTED.items()}


@pytest.fixture(params=["browser", "pdf.py"])
def printed(request) -> dict[str, list[Sheet]]:
    return request.getfixturevalue("browser_prints" if request.param == "browser" else "script_prints")


# ---- the page and the type area --------------------------------------------------------------------------------

def test_every_page_is_a4(printed):
    for name, sheets in printed.items():
        for sheet in sheets:
            assert abs(sheet.width - PAGE_W) < 1 and abs(sheet.height - PAGE_H) < 1, name


def test_a_long_rule_runs_over_several_pages(printed):
    assert len(printed["rule"]) >= 3
    assert [len(printed[name]) for name in ("issue", "old-rule")] == [1, 1]


def test_the_text_starts_at_the_type_areas_top_left_corner(printed):
    for name, sheets in printed.items():
        for n, sheet in enumerate(sheets, start=1):
            assert abs(min(line.x0 for line in sheet.body) - LEFT) <= TOLERANCE, (name, n)
            assert abs(sheet.body[0].top - TOP) <= TOLERANCE, (name, n, sheet.body[0].text, sheet.body[0].top)


def test_no_text_passes_the_type_areas_right_edge(printed):
    # pdfminer's box of a character is its whole 16 pt square, a quarter point wider than the 15.75 pt it is
    # set in; Chromium rounds the type area to whole CSS pixels (590 px, 156.1 mm).
    for name, sheets in printed.items():
        for n, sheet in enumerate(sheets, start=1):
            widest = max(sheet.body, key=lambda line: line.x1)
            assert widest.x1 <= RIGHT + 0.5, (name, n, widest.text, widest.x1)
            assert max(line.baseline for line in sheet.body) <= BOTTOM, (name, n)


def test_body_text_is_3hao_in_a_fangsong_or_serif_face(printed):
    for name, sheets in printed.items():
        chars = [c for sheet in sheets for line in sheet.body for c in line.chars if not c["text"].isspace()]
        size, count = collections.Counter(round(c["size"], 1) for c in chars).most_common(1)[0]
        assert size == BODY_PT and count > len(chars) / 2, name
        body_fonts = {c["fontname"] for c in chars if round(c["size"], 1) == BODY_PT}
        assert any(re.search(r"FangSong|Fangsong|NotoSerifCJK|SourceHanSerif", f) for f in body_fonts), body_fonts


def test_lines_are_28_95_points_apart_22_to_a_page_28_characters_long(printed):
    sheets = printed["rule"]
    for n, sheet in enumerate(sheets, start=1):
        body = [line for line in sheet.body if line.size == BODY_PT]
        gaps = [(b.baseline - a.baseline) * MM for a, b in zip(body, body[1:])]
        # Chromium puts each line on a whole CSS pixel (0.75 pt): one gap is 28.5 pt, the next 29.25 pt.
        assert all(abs(gap - PITCH_PT) <= 0.8 for gap in gaps if gap < 1.5 * PITCH_PT), (n, gaps)
        assert len(body) <= 22, n
    full = [sheet for sheet in sheets if len(sheet.body) == 22 and all(line.size == BODY_PT for line in sheet.body)]
    assert full, [len(sheet.body) for sheet in sheets]
    lines = full[0].body
    assert abs((lines[-1].baseline - lines[0].baseline) * MM / 21 - PITCH_PT) <= 0.1
    assert max(len(line.text) for line in lines) == 28
    assert sum(len(line.text) == 28 for line in lines) >= 15  # the last line of a paragraph is shorter


def test_page_numbers_on_every_page_outside_one_character_in(printed):
    for name, sheets in printed.items():
        for n, sheet in enumerate(sheets, start=1):
            number = sheet.number
            assert number is not None and number.text == f"—{n}—", (name, n, [line.text for line in sheet.lines[-2:]])
            assert abs(number.size - NUMBER_PT) <= 0.2, (name, n)
            assert abs(number.middle - (BOTTOM + 7)) <= 1.5, (name, n, number.middle)  # 7 mm below the type area
            one = NUMBER_PT / MM
            if n % 2:  # odd pages on the right, even ones on the left
                assert abs(number.x1 - (RIGHT - one)) <= 1, (name, n, number.x1)
            else:
                assert abs(number.x0 - (LEFT + one)) <= 1, (name, n, number.x0)


def test_nothing_of_the_site_is_printed(printed):
    for name, sheets in printed.items():
        text = "".join(sheet.text for sheet in sheets)
        for word in CHROME:
            assert word not in text, (name, word)
    assert "区政府网。" in printed["news"][0].text and not printed["news"][0].rules  # a link prints as its words, not underlined


# ---- each kind of item -----------------------------------------------------------------------------------------

def test_a_rule_prints_its_number_title_issuer_and_date(printed, site_config):
    first, last = printed["rule"][0].body, printed["rule"][-1].body
    number, title = first[0], first[1]
    assert number.text == "沙建发〔2008〕12号" and abs(number.centre - (LEFT + WIDTH / 2)) <= 1
    assert title.text == "沙市区建设局机关工作管理制度" and title.size == TITLE_PT and abs(title.centre - (LEFT + WIDTH / 2)) <= 1
    issuer, date = last[-2], last[-1]
    assert issuer.text == site_config.office.name and date.text == "2008年3月10日"
    assert abs(date.x1 - (RIGHT - 4 * CHAR_MM)) <= 1, date.x1  # 右空四字
    assert abs(issuer.centre - date.centre) <= 1  # the issuer centred over the date


def test_a_rule_not_in_force_says_so_under_its_title(printed):
    lines = printed["old-rule"][0].body
    assert lines[0].text == "沙市区建设局来客接待制度" and lines[1].text == "（已废止，2009年1月1日起失效）"
    assert "（" not in "".join(line.text for line in printed["rule"][0].body[:3])  # a rule in force says nothing


def test_a_heading_never_ends_a_page(printed):
    sheets = printed["rule"]
    assert sheets[1].body[0].text.startswith(CHAPTERS[1])  # it would have been page 1's last line
    for n, sheet in enumerate(sheets, start=1):
        assert not sheet.body[-1].text.startswith(CHAPTERS), n


def test_a_table_row_never_splits_over_two_pages(printed):
    texts = [sheet.text for sheet in printed["rule"]]
    split = [n for n in range(1, 19) if next(i for i, t in enumerate(texts) if f"起{n:02d}" in t)
             != next(i for i, t in enumerate(texts) if f"止{n:02d}" in t)]
    assert not split
    on_pages = {i for i, t in enumerate(texts) for n in range(1, 19) if f"起{n:02d}" in t}
    assert len(on_pages) >= 2  # the table does go over a page
    assert all("项目要求科室" in texts[i] for i in on_pages)  # and its header row with it


def test_an_issue_has_its_red_masthead(printed, site_config):
    sheet = printed["issue"][0]
    name, number, imprint = sheet.body[:3]
    assert name.text == "城建情况" and all(is_red(c) for c in name.colours), name.colours
    assert name.size >= TITLE_PT and abs(name.centre - (LEFT + WIDTH / 2)) <= 1
    assert number.text == "第3期（总第47期）" and abs(number.centre - (LEFT + WIDTH / 2)) <= 1
    publisher = next(s.publisher for s in site_config.series if s.name == "城建情况")
    assert imprint.text == publisher + "2008年5月22日"
    assert imprint.x0 < LEFT + 2 * CHAR_MM and imprint.x1 > RIGHT - 2 * CHAR_MM  # one on the left, one on the right
    red = [r for r in sheet.rules if is_red(r["colour"]) and abs(r["x0"] - LEFT) < 1 and abs(r["x1"] - RIGHT) < 1]
    assert len(red) == 1 and imprint.baseline < red[0]["top"] < sheet.body[3].top, red
    assert "《城建情况》2008年第3期" not in sheet.text  # its title is its masthead


def test_an_issue_ends_with_its_distribution_between_a_thick_and_a_thin_rule(printed):
    sheet = printed["issue"][0]
    ruled = sorted((r for r in sheet.rules if not is_red(r["colour"]) and r["x1"] - r["x0"] > WIDTH - 1), key=lambda r: r["top"])
    assert len(ruled) == 2 and ruled[0]["height"] > ruled[1]["height"], ruled
    inside = [line.text for line in sheet.body if ruled[0]["top"] < line.baseline < ruled[1]["top"]]
    assert inside == ["报：市建委，区委办公室，区政府办公室。", "送：区文明办。", "发：局机关各科室，二级单位。", "共印40份"]
    assert sheet.body[-1].text == "共印40份" and abs(sheet.body[-1].x1 - (RIGHT - NUMBER_PT / MM)) <= 1


def test_a_news_item_has_its_title_date_and_department_and_no_masthead(printed):
    lines = printed["news"][0].body
    assert lines[0].text == "区建设局集中整治破损井盖" and lines[0].size == TITLE_PT
    assert lines[1].text == "2008年5月8日·市政科·李志强"
    assert not any(is_red(c) for sheet in printed["news"] for line in sheet.lines for c in line.colours)


def test_the_print_layout_costs_the_screen_nothing(print_site, desktop):
    """What only print shows stays out of the screen's way, and the screen never waits for print.css."""
    with served(print_site) as origin:
        desktop.goto(f"{origin}/{url_of(PRINTED['issue'])}", wait_until="load")
        assert desktop.locator('link[href$="print.css"]').get_attribute("media") == "print"
        for selector in (".pub-masthead", ".pub-distribution"):
            assert desktop.locator(selector).count() == 1 and not desktop.locator(selector).is_visible(), selector
        assert desktop.locator("h1").is_visible()  # the title the masthead replaces in print
        desktop.goto(f"{origin}/{url_of(PRINTED['rule'])}", wait_until="load")
        assert not desktop.locator(".pub-doc-number").is_visible() and not desktop.locator(".pub-signature").is_visible()
        assert desktop.locator(".pub-facts").is_visible()


def test_the_readers_text_settings_do_not_change_the_printout(print_site, browser, browser_prints, tmp_path):
    """适老模式 and 大字号 are for the screen: a printed rule is the same with them on."""
    context = browser.new_context()
    tab = context.new_page()
    with served(print_site) as origin:
        tab.goto(f"{origin}/{url_of(PRINTED['rule'])}", wait_until="load")
        tab.evaluate("() => { localStorage.setItem('pub-elder', '1'); localStorage.setItem('pub-size', 'large'); }")
        tab.reload(wait_until="load")
        assert tab.evaluate("() => document.documentElement.getAttribute('data-pub-elder')") == "1"
        tab.pdf(path=str(tmp_path / "elder.pdf"), prefer_css_page_size=True)
    context.close()

    def layout(sheets):
        return [(line.text, round(line.x0, 1), round(line.baseline, 1), line.size) for sheet in sheets for line in sheet.lines]

    assert layout(read_pdf(tmp_path / "elder.pdf")) == layout(browser_prints["rule"])


# ---- scripts/pdf.py --------------------------------------------------------------------------------------------

def test_pdf_py_links_the_issue_to_its_pdf_and_the_site_publishes_it(script_docs, tmp_path):
    # The empty field new.py writes is filled; a file without the field gets it before its closing ---.
    assert "\nattachment: files/2008-03.pdf\ndistribution:\n" in (script_docs / PRINTED["issue"]).read_text(encoding="utf-8")
    assert "\ndate: 2008-06-20\nattachment: files/2008-04.pdf\n---\n" in (script_docs / SECOND_ISSUE).read_text(encoding="utf-8")
    site = build_ok(script_docs, tmp_path / "site")
    assert (site / "newsletters/chengjian/files/2008-03.pdf").read_bytes() == (script_docs / made_by_pdf_py(PRINTED["issue"])).read_bytes()


def test_pdf_py_dates_its_pdf_by_the_item_and_reprints_only_what_changed(script_docs):
    import pikepdf

    issue_pdf, rule_pdf = (script_docs / made_by_pdf_py(PRINTED[name]) for name in ("issue", "rule"))
    before = {path: path.read_bytes() for path in (issue_pdf, rule_pdf)}
    with pikepdf.open(issue_pdf) as doc:
        assert doc.docinfo["/CreationDate"] == doc.docinfo["/ModDate"] == "D:20080522000000+08'00'"
        assert len(doc.trailer.ID) == 2
    issue = script_docs / PRINTED["issue"]
    issue.write_text(issue.read_text(encoding="utf-8") + "\n局机关开展植树活动。\n", encoding="utf-8")
    result = pdf_py(script_docs, PRINTED["issue"], PRINTED["rule"])
    assert result.returncode == 0, result.stderr
    assert f"{made_by_pdf_py(PRINTED['rule'])}：未变化" in result.stdout  # the same page gives the same bytes
    assert rule_pdf.read_bytes() == before[rule_pdf]
    assert issue_pdf.read_bytes() != before[issue_pdf]
    assert "局机关开展植树活动。" in read_pdf(issue_pdf)[0].text
    assert issue.read_text(encoding="utf-8").count("attachment:") == 1


def test_pdf_py_puts_the_characters_the_page_shows_into_the_pdfs_text(script_docs):
    # Chromium's text layer names the Kangxi radical ⼯ (U+2F2F) for the glyph it shares with 工: search, copy
    # and screen readers would get radicals (157 of the long rule's 2,310 characters). pdf.py writes the maps again.
    import pdfplumber

    for name in ("rule", "issue"):
        with pdfplumber.open(script_docs / made_by_pdf_py(PRINTED[name])) as pdf:
            text = "".join(page.extract_text() or "" for page in pdf.pages)
        assert not [c for c in text if "\u2e80" <= c <= "\u2fdf"], name
        assert "工" in text or "日" in text, name


def test_pdf_py_never_overwrites_a_pdf_it_did_not_make(tmp_path):
    docs = write_docs(tmp_path / "docs", {PRINTED["issue"]: re.sub(r"attachment:.*", "attachment: files/scan.pdf", ISSUE),
                                          "newsletters/chengjian/files/scan.pdf": b"%PDF-1.4\n% a scanned issue\n"})
    result = pdf_py(docs, PRINTED["issue"], "index.md", "news/none.md")
    assert result.returncode == 1
    assert "files/scan.pdf 已存在，不是 pdf.py 打印的" in result.stderr and "不会覆盖" in result.stderr
    assert "index.md 不是内容文件夹" in result.stderr and "找不到" in result.stderr
    assert (docs / "newsletters/chengjian/files/scan.pdf").read_bytes() == b"%PDF-1.4\n% a scanned issue\n"


def test_the_samples_attachment_is_its_page_printed(sample, browser, sample_site, tmp_path):
    """The sample issue's PDF was made by pdf.py from its page; it still says what the page prints."""
    import pikepdf

    from publicity.model import Kind

    issue = next(i for i in published(sample, Kind.NEWSLETTER) if i.attachment)
    with pikepdf.open(DOCS / issue.attachment) as doc:
        assert doc.docinfo["/PublicitySource"] == issue.src_path
    with served(sample_site) as origin:
        tab = browser.new_page()
        tab.goto(f"{origin}/{issue.url}", wait_until="load")
        tab.pdf(path=str(tmp_path / "page.pdf"), prefer_css_page_size=True)
        tab.close()
    page_text = "".join(sheet.text for sheet in read_pdf(tmp_path / "page.pdf"))
    attachment_text = "".join(sheet.text for sheet in read_pdf(DOCS / issue.attachment))
    assert attachment_text == page_text, f"run: make pdf ARGS=\"docs/{issue.src_path}\" (after deleting the old PDF)"
