"""import_docx.py as staff meet it: real Word documents made here with python-docx (and LibreOffice), imported,
then read back as the checker and the loader read them."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import zipfile

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor
from PIL import Image

from conftest import ROOT, run_env, write_docs

IMPORT = [sys.executable, str(ROOT / "scripts" / "import_docx.py")]
CHECK = [sys.executable, str(ROOT / "scripts" / "check.py")]
GPS = {1: "N", 2: (30.0, 18.0, 0.0), 3: "E", 4: (112.0, 14.0, 0.0)}

# Every test runs import_docx.py (and often check.py) as a process, three of them LibreOffice too: about 40 s of
# CPU, so they run in make test and not in make test-fast's one-minute tier.
pytestmark = pytest.mark.office


def photo() -> bytes:
    """A phone photo: camera make and GPS position in its EXIF."""
    exif = Image.Exif()
    exif[0x010F] = "Canon"
    exif[0x8825] = GPS
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (120, 160, 200)).save(out, "JPEG", exif=exif)
    return out.getvalue()


def centred(doc, text, size=None, bold=False):
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    return p


def news_docx(path, title="区建设局开展井盖集中整治", day="2009年4月18日"):
    doc = Document()
    centred(doc, title, 22, True)
    centred(doc, "（市政科  王小燕）")
    doc.add_paragraph("\u3000\u30004月18日，区建设局组织市政科对城区破损井盖开展集中整治，3~5天完成。")
    p = doc.add_paragraph("共检查井盖")
    p.add_run("1200").bold = True
    p.add_run("座，其中")
    p.add_run("破损").italic = True
    p.add_run("井盖 *45* 座。")
    doc.add_paragraph("")
    doc.add_paragraph("整治分三步：")
    doc.add_paragraph("排查登记", style="List Number")
    doc.add_paragraph("集中更换", style="List Number")
    doc.add_paragraph("重点路段", style="List Bullet")
    doc.add_heading("整治情况", level=1)
    table = doc.add_table(rows=3, cols=3)
    for (r, c), text in {(0, 0): "路段", (0, 1): "井盖", (0, 2): "备注", (1, 0): "北京路", (1, 1): "12", (2, 0): "江津路",
                         (2, 1): "8"}.items():
        table.cell(r, c).text = text
    table.cell(1, 2).merge(table.cell(2, 2)).text = "已完成"
    doc.add_paragraph().add_run().add_picture(io.BytesIO(photo()))
    doc.add_paragraph("维修后的井盖").alignment = WD_ALIGN_PARAGRAPH.CENTER
    p = doc.add_paragraph("第一行没有句号")
    p.add_run().add_break()
    p.add_run("接着写完。")
    p.add_run().add_break()
    p.add_run("新的一段。")
    doc.add_paragraph(day).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.save(path)
    return path


NEWS_BODY = """4月18日，区建设局组织市政科对城区破损井盖开展集中整治，3&#126;5天完成。

共检查井盖**1200**座，其中*破损*井盖 \\*45\\* 座。

整治分三步：

1. 排查登记
1. 集中更换

- 重点路段

## 整治情况

| 路段 | 井盖 | 备注 |
| --- | --- | --- |
| 北京路 | 12 | 已完成 |
| 江津路 | 8 |   |

![维修后的井盖](images/0418-jing-gai-ji-zhong-zheng-1.jpg)

第一行没有句号接着写完。

新的一段。

2009年4月18日
"""


def newsletter_docx(path, publisher="沙市区建设局办公室"):
    doc = Document()
    centred(doc, "城建情况", 36, True).runs[0].font.color.rgb = RGBColor(255, 0, 0)
    centred(doc, "2009年第3期（总第45期）")
    doc.add_paragraph(f"{publisher}编\t\t二〇〇九年四月十八日")
    doc.add_heading("工作动态", level=1)
    doc.add_paragraph("区建设局召开文明创建推进会。")
    doc.add_heading("基层信息", level=1)
    doc.add_paragraph("城管执法大队开展夜查。")
    doc.save(path)
    return path


def rule_docx(path):
    doc = Document()
    doc.add_paragraph("沙建发〔2009〕12号").alignment = WD_ALIGN_PARAGRAPH.CENTER
    centred(doc, "沙市区建设局公务用车管理制度", 22, True)
    doc.add_paragraph("第一条　为规范公务用车管理，制定本制度。")
    doc.add_paragraph("第二条　公务用车由办公室统一调度。")
    doc.add_paragraph("第三条　本制度自二〇〇九年五月一日起施行。")
    doc.add_paragraph("沙市区建设局").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph("二〇〇九年四月十八日").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.save(path)
    return path


def run_import(*args, docs):
    result = subprocess.run(IMPORT + ["--docs", str(docs), *map(str, args)], cwd=ROOT, env=run_env(), capture_output=True,
                            text=True, encoding="utf-8", timeout=300)
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    return result


def check_clean(docs):
    result = subprocess.run(CHECK + ["--docs", str(docs)], cwd=ROOT, env=run_env(), capture_output=True, text=True,
                            encoding="utf-8", timeout=300)
    assert result.returncode == 0 and "错误[" not in result.stdout, result.stdout
    return result


def loaded(docs, rel, site_config):
    from publicity.loader import load_content

    content = load_content(docs, site_config)
    assert rel in content.by_path, [str(p) for p in content.problems.items]
    return content.by_path[rel], content.body(content.by_path[rel])


def tree(docs):
    return sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*"))


@pytest.fixture
def docs(tmp_path):
    return write_docs(tmp_path / "docs", {})


def test_a_news_release_becomes_a_draft_that_passes_the_checker(tmp_path, docs, site_config):
    source = news_docx(tmp_path / "井盖整治.docx")
    result = run_import(source, docs=docs)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"{docs.as_posix()}/news/2009/0418-jing-gai-ji-zhong-zheng.md"]
    item, body = loaded(docs, "news/2009/0418-jing-gai-ji-zhong-zheng.md", site_config)
    assert (item.title, str(item.date), item.department, item.author, item.draft) == (
        "区建设局开展井盖集中整治", "2009-04-18", "市政科", "王小燕", True)
    assert body.strip() == NEWS_BODY.strip()
    # The photo is the one in the document, EXIF and GPS included: the image pipeline strips them when publishing.
    saved = docs / "news/2009/images/0418-jing-gai-ji-zhong-zheng-1.jpg"
    assert saved.read_bytes() == photo()
    with Image.open(saved) as image:
        assert image.getexif().get_ifd(0x8825)
    assert "第 1 个表格有合并单元格" in result.stderr
    check_clean(docs)


def test_the_published_photo_has_no_position(tmp_path, docs, site_config):
    from publicity.images import process_images
    from publicity.loader import load_content

    run_import(news_docx(tmp_path / "a.docx"), docs=docs)
    outcome = process_images(load_content(docs, site_config), tmp_path)
    versions = [version for image in outcome.published for version in image.versions]
    assert [image.uri for image in outcome.published] == ["news/2009/images/0418-jing-gai-ji-zhong-zheng-1.jpg"]
    assert len(versions) >= 2
    for version in versions:
        with Image.open(version.file) as image:
            assert not image.getexif().get_ifd(0x8825) and 0x010F not in image.getexif(), version.uri


def test_a_newsletters_masthead_is_front_matter(tmp_path, docs, site_config):
    result = run_import(newsletter_docx(tmp_path / "城建情况第3期.docx"), docs=docs)
    assert result.returncode == 0, result.stderr
    issue, body = loaded(docs, "newsletters/chengjian/2009-03.md", site_config)
    assert (issue.series.name, issue.issue, issue.total_issue, str(issue.date)) == ("城建情况", 3, 45, "2009-04-18")
    assert issue.title == "《城建情况》2009年第3期"  # derived, never taken from the body
    assert body.strip() == "## 工作动态\n\n区建设局召开文明创建推进会。\n\n## 基层信息\n\n城管执法大队开展夜查。"
    assert "编印单位" not in result.stderr  # the same as the series' publisher: nothing to check


def test_a_masthead_publisher_is_compared_with_the_series_not_stored(tmp_path, docs, site_config):
    """An issue's publisher is its series' (publicity.yml): a masthead naming another is imported with a warning,
    and the file gets no field for it (the newsletter has none)."""
    result = run_import(newsletter_docx(tmp_path / "城建情况第3期.docx", publisher="沙市区城管局"), docs=docs)
    assert result.returncode == 0, result.stderr
    assert "报头的编印单位“沙市区城管局”与 publicity.yml 登记的“沙市区建设局办公室”不同，请核对" in result.stderr, result.stderr
    written = (docs / "newsletters/chengjian/2009-03.md").read_text(encoding="utf-8")
    assert "沙市区城管局" not in written and "publisher" not in written
    issue, _body = loaded(docs, "newsletters/chengjian/2009-03.md", site_config)
    assert issue.series.publisher == "沙市区建设局办公室"
    check_clean(docs)


def test_a_rule_with_its_number_and_effective_date(tmp_path, docs, site_config):
    result = run_import(rule_docx(tmp_path / "用车制度.docx"), docs=docs)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("rules/gong-wu-yong-che-guan.md")  # the office's name is no part of it
    rule, body = loaded(docs, "rules/gong-wu-yong-che-guan.md", site_config)
    assert (rule.title, rule.doc_number, str(rule.date), str(rule.effective), rule.status.value) == (
        "沙市区建设局公务用车管理制度", "沙建发〔2009〕12号", "2009-04-18", "2009-05-01", "现行有效")
    assert body.lstrip().startswith("第一条 为规范公务用车管理") and "沙建发" not in body
    assert re.fullmatch(r"011520456/2009-\d{5}", rule.index_number), rule.index_number  # as new.py gives one, by its year
    assert "index-number-missing" not in check_clean(docs).stdout


def test_what_is_not_found_is_left_empty_with_a_warning_naming_the_field(tmp_path, docs, site_config):
    doc = Document()
    doc.add_paragraph("一段没有标题、署名和日期的文字。")
    doc.save(tmp_path / "无题.docx")
    result = run_import(tmp_path / "无题.docx", docs=docs)
    assert result.returncode == 0, result.stderr
    for field in ("title", "date", "department", "author"):
        assert any(line.startswith("警告：") and field in line for line in result.stderr.splitlines()), field
    item, _ = loaded(docs, result.stdout.strip().split(f"{docs.as_posix()}/")[1], site_config)
    assert item.title == "无题" and item.department == "" and str(item.date) == "2026-11-28"
    check_clean(docs)


def libreoffice(args, cwd):
    soffice = shutil.which("soffice")
    assert soffice, "make install-test installs LibreOffice (make install-office)"
    subprocess.run([soffice, f"-env:UserInstallation={(cwd / 'profile').as_uri()}", "--headless", *args, "--outdir", str(cwd)],
                   cwd=cwd, capture_output=True, timeout=300, check=True)


def test_an_old_doc_is_converted_by_libreoffice(tmp_path, docs, site_config):
    rule_docx(tmp_path / "rule.docx")
    libreoffice(["--convert-to", "doc:MS Word 97", str(tmp_path / "rule.docx")], tmp_path)
    assert (tmp_path / "rule.doc").read_bytes().startswith(b"\xd0\xcf\x11\xe0")
    result = run_import(tmp_path / "rule.doc", docs=docs)
    assert result.returncode == 0, result.stderr
    rule, _ = loaded(docs, "rules/gong-wu-yong-che-guan.md", site_config)
    assert rule.doc_number == "沙建发〔2009〕12号" and str(rule.effective) == "2009-05-01"
    check_clean(docs)


def test_footnotes_and_bookmarks_from_a_document_libreoffice_wrote(tmp_path, docs, site_config):
    (tmp_path / "note.html").write_text(
        '<html><head><meta charset="utf-8"></head><body><p align="center"><b>区建设局完成汛前排水管网疏挖</b></p>'
        '<p><a name="_GoBack"></a>今年汛前共疏挖排水管网4500余米<a class="sdfootnoteanc" name="sdfootnote1anc" '
        'href="#sdfootnote1sym"><sup>1</sup></a>。</p><p>2009年5月20日</p><div id="sdfootnote1"><p class="sdfootnote">'
        '<a class="sdfootnotesym" name="sdfootnote1sym" href="#sdfootnote1anc">1</a>含主干管和支管。</p></div></body></html>',
        encoding="utf-8")
    libreoffice(["--infilter=HTML (StarWriter)", "--convert-to", "docx:MS Word 2007 XML", str(tmp_path / "note.html")], tmp_path)
    assert "word/footnotes.xml" in zipfile.ZipFile(tmp_path / "note.docx").namelist()
    result = run_import(tmp_path / "note.docx", docs=docs)
    assert result.returncode == 0, result.stderr
    _, body = loaded(docs, "news/2009/0520-wan-cheng-xun-qian-pai.md", site_config)
    assert body.strip() == "今年汛前共疏挖排水管网4500余米[^1]。\n\n2009年5月20日\n\n[^1]: 含主干管和支管。"
    check_clean(docs)


def test_without_libreoffice_a_doc_gets_the_way_out(tmp_path, docs):
    rule_docx(tmp_path / "old.docx")
    libreoffice(["--convert-to", "doc:MS Word 97", str(tmp_path / "old.docx")], tmp_path)
    result = subprocess.run(IMPORT + ["--docs", str(docs), str(tmp_path / "old.doc")], cwd=ROOT,
                            env=run_env(PATH=str(tmp_path / "no-programs")), capture_output=True, text=True, encoding="utf-8",
                            timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    line = result.stderr.strip()
    assert line.startswith("错误：") and "old.doc" in line and "make install-office" in line and "另存为" in line, line
    assert tree(docs) == tree(write_docs(tmp_path / "empty", {}))


def _encrypted(tmp_path):
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = news_docx(tmp_path / "plain.docx")
    out = io.BytesIO()
    with open(plain, "rb") as handle:
        OOXMLFile(handle).encrypt("mima", out)
    plain.unlink()
    return out.getvalue()


def _zip_of(names):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return out.getvalue()


BAD = {
    "empty": (lambda tmp: b"", "空的"),
    "damaged": (lambda tmp: news_docx(tmp / "whole.docx").read_bytes()[:3000], "损坏"),
    "damaged-old-format": (lambda tmp: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\1" * 1001, "损坏"),
    "encrypted": (_encrypted, "密码"),
    "not-word": (lambda tmp: "这是一个文本文件".encode(), "不是 Word 文档"),
    "a-spreadsheet": (lambda tmp: _zip_of(["[Content_Types].xml", "xl/workbook.xml"]), "不是 Word 文档"),
    "a-broken-package": (lambda tmp: _zip_of(["[Content_Types].xml", "word/document.xml"]), "损坏"),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_input_is_refused_in_chinese_and_nothing_is_written(tmp_path, docs, case):
    make, words = BAD[case]
    source = tmp_path / f"{case}.docx"
    source.write_bytes(make(tmp_path))
    before = tree(docs)
    result = run_import(source, docs=docs)
    assert result.returncode == 1 and result.stdout == ""
    line = result.stderr.strip().splitlines()[0]
    assert line.startswith("错误：") and f"{case}.docx" in line and words in line, result.stderr
    assert tree(docs) == before


@pytest.mark.parametrize("args, words", [
    (["--kind", "notice", "a.docx"], "无效的选项"),
    (["--series", "城建简报", "a.docx"], "城建情况"),
    (["missing.docx"], "找不到"),
    (["--kind", "rule", "--series", "城建情况", "a.docx"], "--series"),
    ([], "FILE_OR_FOLDER"),
])
def test_wrong_usage_exits_2(tmp_path, docs, args, words):
    news_docx(tmp_path / "a.docx")
    args = [str(tmp_path / a) if a.endswith(".docx") else a for a in args]
    result = subprocess.run(IMPORT + ["--docs", str(docs), *args], cwd=ROOT, env=run_env(), capture_output=True, text=True,
                            encoding="utf-8", timeout=120)
    assert result.returncode == 2 and words in result.stderr, result.stderr
    assert tree(docs) == tree(write_docs(tmp_path / "empty", {}))


def test_never_overwrites_and_a_clashing_name_gets_2(tmp_path, docs):
    first = run_import(news_docx(tmp_path / "a.docx"), docs=docs)
    written = docs / "news/2009/0418-jing-gai-ji-zhong-zheng.md"
    text = written.read_text(encoding="utf-8")
    again = run_import(tmp_path / "a.docx", docs=docs)
    assert again.returncode == 1 and again.stdout == ""
    assert "已经导入过" in again.stderr and "0418-jing-gai-ji-zhong-zheng.md" in again.stderr
    assert written.read_text(encoding="utf-8") == text
    # Another release of the same day whose title makes the same name: -2, its photo beside the first one's.
    other = run_import(news_docx(tmp_path / "b.docx", title="我局开展井盖集中整治行动"), docs=docs)
    assert first.returncode == other.returncode == 0, other.stderr
    assert other.stdout.strip().endswith("news/2009/0418-jing-gai-ji-zhong-zheng-2.md")
    assert (docs / "news/2009/images/0418-jing-gai-ji-zhong-zheng-2-1.jpg").is_file()
    check_clean(docs)


def test_a_folder_is_imported_whole_with_a_summary(tmp_path, docs):
    archive = tmp_path / "档案"
    (archive / "2009").mkdir(parents=True)
    news_docx(archive / "2009" / "b-news.docx")
    rule_docx(archive / "a-rule.docx")
    (archive / "2009" / "c-broken.docx").write_bytes(b"PK\x03\x04broken")
    (archive / "readme.txt").write_text("说明", encoding="utf-8")
    (archive / "~$a-rule.docx").write_bytes(b"lock")  # Word's lock file beside an open document
    result = run_import(archive, docs=docs)
    assert result.returncode == 1
    assert [line.split("/docs/")[1] for line in result.stdout.splitlines()] == [
        "news/2009/0418-jing-gai-ji-zhong-zheng.md", "rules/gong-wu-yong-che-guan.md"]
    assert "c-broken.docx" in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("共 3 个 Word 文档：导入 2 个，失败 1 个，跳过 1 个不是 Word 文档的文件")
    check_clean(docs)


def test_the_kind_can_be_said(tmp_path, docs, site_config):
    result = run_import("--kind", "rule", news_docx(tmp_path / "a.docx"), docs=docs)
    assert result.returncode == 0, result.stderr
    assert "doc_number" in result.stderr  # a rule without a document number: said, left empty
    rule, _ = loaded(docs, "rules/jing-gai-ji-zhong-zheng.md", site_config)
    assert rule.status.value == "现行有效"
