"""count.py: every figure on a corpus with known numbers, formats, errors, the seed's sentence."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from publicity.config import load_config

from conftest import ROOT, TEST_CONFIG, page, run_env, sample_env, write_docs

COUNT = [sys.executable, str(ROOT / "scripts" / "count.py")]
SEED_SENTENCE = "共编发《城建情况》、《沙市城管》26期，在各级媒体发表新闻稿件38篇（次），在区政府网首页发布单位新闻26条。"


def news(title, day, outlets, extra=""):
    lines = "".join(f"  - {o}\n" for o in outlets)
    return f"---\ntitle: {title}\ndate: {day}\n{extra}outlets:\n{lines}---\n\n正文。\n"


def issue(series, number, day, extra=""):
    return f"---\nseries: {series}\nissue: {number}\ndate: {day}\n{extra}---\n\n正文。\n"


def rule(title, day, status, extra=""):
    return f"---\ntitle: {title}\ndate: {day}\nstatus: {status}\n{extra}---\n\n第一条　正文。\n"


KNOWN = {
    "news/a.md": news("第一天", "2009-01-01", ["荆州日报", "区政府网首页"]),
    "news/b.md": news("最后一天", "2009-06-30", ["{name: 湖北日报}", "{name: 人民日报, date: 2009-07-02}"]),
    "news/c.md": news("去年的稿件今年刊发", "2008-12-28", ["{name: 沙市报, date: 2009-01-03}"]),
    "news/d.md": news("两家媒体", "2009-03-15", ["荆州日报", "荆州电视台"]),
    "news/e.md": news("草稿", "2009-04-01", ["荆州日报"], "draft: true\n"),
    "news/f.md": news("只上政府网", "2009-05-01", ["区政府网首页"]),
    "news/h.md": news("晚些见报", "2009-06-01", ["{name: 荆州日报, date: 2009-06-29}"]),
    "newsletters/chengjian/2009-01.md": issue("城建情况", 1, "2009-02-01"),
    "newsletters/chengjian/2009-02.md": issue("城建情况", 2, "2009-06-30"),
    "newsletters/chengjian/2009-03.md": issue("城建情况", 3, "2009-05-01", "draft: true\n"),
    "newsletters/shashi-chengguan/2008-01.md": issue("沙市城管", 1, "2008-12-30"),
    "newsletters/shashi-chengguan/2009-01.md": issue("沙市城管", 1, "2009-03-01"),
    "rules/r1.md": rule("一号制度", "2008-01-01", "现行有效"),
    "rules/r2.md": rule("二号制度", "2009-02-01", "已修订", "repealed: 2009-05-01\nsuperseded_by: r3.md\n"),
    "rules/r3.md": rule("三号制度", "2009-04-15", "现行有效", "effective: 2009-05-01\nsupersedes: r2.md\n"),
    "rules/r4.md": rule("四号制度", "2009-03-01", "已废止"),
    "rules/r5.md": rule("五号制度", "2009-06-01", "现行有效", "effective: 2009-08-01\n"),
}
PERIOD = ["--from", "2009-01-01", "--to", "2009-06-30"]
OUTLETS = [o.name for o in load_config(TEST_CONFIG).outlets]  # every registered outlet, in the configuration's order


def count(*args, docs=None, check=True):
    """count.py on ``docs`` with the tests' configuration, or on the sample with the project's."""
    cmd = COUNT + (["--docs", str(docs)] if docs else []) + list(args)
    env = run_env() if docs else sample_env()
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8", timeout=120)
    if check:
        assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def counted(*args, docs):
    return json.loads(count(*args, "--format", "json", docs=docs).stdout)


@pytest.fixture(scope="module")
def known(tmp_path_factory):
    return write_docs(tmp_path_factory.mktemp("known") / "docs", dict(KNOWN))


def outlets(**nonzero):
    return {name: nonzero.get(name, 0) for name in OUTLETS}


def test_every_figure_on_the_known_corpus(known):
    data = counted(*PERIOD, "--as-of", "2009-07-10", docs=known)
    assert data["period"] == {"from": "2009-01-01", "to": "2009-06-30", "as_of": "2009-07-10"}
    assert data["newsletters"] == {"issues": 3, "by_series": {"城建情况": 2, "沙市城管": 1}}
    news_ = data["news"]
    assert (news_["items"], news_["media_placements"], news_["media_articles"], news_["portal_placements"]) == (5, 6, 5, 2)
    assert news_["by_outlet"] == outlets(湖北日报=1, 荆州日报=3, 荆州电视台=1, 沙市报=1, 区政府网首页=2)
    assert news_["by_level"] == {"国家级": 0, "省级": 1, "市级": 4, "区级": 1}
    assert data["rules"] == {"issued": 4, "in_force": 2, "by_status": {"现行有效": 3, "已修订": 1, "已废止": 1}}
    assert data["excluded"] == {"draft": 2, "scheduled": 0}


def test_what_is_not_yet_published_is_not_counted(known):
    # As of 2009-06-28: the item and the issue dated 06-30 are scheduled; the placement dated 06-29 has not run yet.
    data = counted(*PERIOD, "--as-of", "2009-06-28", docs=known)
    assert data["newsletters"] == {"issues": 2, "by_series": {"城建情况": 1, "沙市城管": 1}}
    news_ = data["news"]
    assert (news_["items"], news_["media_placements"], news_["media_articles"], news_["portal_placements"]) == (4, 4, 3, 2)
    assert news_["by_outlet"] == outlets(荆州日报=2, 荆州电视台=1, 沙市报=1, 区政府网首页=2)
    assert data["excluded"] == {"draft": 2, "scheduled": 2}


def test_report_sentence_holds_the_figures(known):
    out = count(*PERIOD, "--as-of", "2009-07-10", "--format", "report", docs=known).stdout.strip()
    assert out == "共编发《城建情况》、《沙市城管》3期，在各级媒体发表新闻稿件6篇（次），在区政府网首页发布单位新闻2条。"



def test_a_wrong_template_or_day_is_a_chinese_error(known):
    """report-template (a template name not in publicity.yml) and as-of-format (PUBLICITY_AS_OF not a date): each a
    Chinese line on standard error naming where it comes from, and nothing counted."""
    wrong = count(*PERIOD, "--format", "report", "--template", "无此模板", docs=known, check=False)
    assert wrong.returncode == 1 and not wrong.stdout
    assert "publicity.yml:1: 错误[report-template]: 没有名为“无此模板”的汇报模板（已有的模板：default" in wrong.stderr, wrong.stderr
    day = subprocess.run(COUNT + ["--docs", str(known)], cwd=ROOT, env=run_env(PUBLICITY_AS_OF="2009.13.1"),
                         capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert day.returncode == 1 and not day.stdout and "Traceback" not in day.stderr
    assert "PUBLICITY_AS_OF:1: 错误[as-of-format]: PUBLICITY_AS_OF 的日期“2009.13.1”无法识别" in day.stderr, day.stderr

def test_the_sample_gives_the_seeds_sentence():
    out = count("--from", "2007-07-01", "--to", "2009-06-30", "--format", "report").stdout.strip()
    assert out == SEED_SENTENCE


def test_compare_periods(known):
    data = counted("--from", "2009-04-01", "--to", "2009-06-30", "--as-of", "2009-07-10", "--compare", "prev", docs=known)
    assert data["compare"]["kind"] == "prev"
    assert data["compare"]["period"]["from"] == "2008-12-31" and data["compare"]["period"]["to"] == "2009-03-31"
    assert data["compare"]["news"]["media_placements"] == 4  # A (1), C (1, dated 2009-01-03), D (2)
    yoy = counted(*PERIOD, "--as-of", "2009-07-10", "--compare", "yoy", docs=known)["compare"]
    assert yoy["period"] == {"from": "2008-01-01", "to": "2008-06-30", "as_of": "2009-07-10"}
    table = count(*PERIOD, "--as-of", "2009-07-10", "--compare", "yoy", docs=known).stdout
    assert "去年同期（同比）" in table and "增减" in table


def test_formats(known):
    raw = subprocess.run(COUNT + ["--docs", str(known), *PERIOD, "--as-of", "2009-07-10", "--format", "csv"],
                         cwd=ROOT, env=run_env(), capture_output=True, timeout=120).stdout
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 BOM for Excel and WPS"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert ["各级媒体发表（篇次）", "6"] in rows and ["简报（期）：《城建情况》", "2"] in rows
    md = count(*PERIOD, "--as-of", "2009-07-10", "--format", "markdown", "--by", "outlet", "month", docs=known).stdout
    assert "| 各级媒体发表（篇次） | 6 |" in md and "| 荆州日报 | 市级 | 媒体 | 3 |" in md and "| 2009-06 |" in md
    table = count(*PERIOD, "--as-of", "2009-07-10", "--by", "series", "level", "department", "year", docs=known).stdout
    for heading in ("按简报", "按媒体级别", "按科室", "按年"):
        assert heading in table


def test_yoy_report_prints_the_comparison_sentence(known):
    out = count(*PERIOD, "--as-of", "2009-07-10", "--compare", "yoy", "--format", "report", docs=known).stdout.splitlines()
    assert len(out) == 2 and out[0].startswith("共编发")
    # 2008's first half: 0 issues, 0 media placements, 0 portal items in the known corpus.
    assert out[1] == ("与去年同期（2008-01-01 至 2008-06-30）相比，编发简报增加3期，在各级媒体发表新闻稿件增加6篇（次），"
                      "在政府网站发布单位新闻增加2条。")


def _csv_rows(raw: bytes) -> list[list[str]]:
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_csv_is_one_sortable_table_per_file(known, tmp_path):
    rows = _csv_rows(subprocess.run(COUNT + ["--docs", str(known), *PERIOD, "--as-of", "2009-07-10", "--format", "csv", "--by",
                                             "month"], cwd=ROOT, env=run_env(), capture_output=True, timeout=120).stdout)
    assert rows[0] == ["月份", "简报（期）", "新闻（条）", "各级媒体发表（篇次）", "政府网站发布（条）"]
    assert rows[1][0] == "2009-01" and all(len(r) == 5 and r[0][:4] == "2009" for r in rows[1:])
    assert sum(int(r[3]) for r in rows[1:]) == 6  # the period's media placements, month by month
    out = tmp_path / "统计.csv"
    result = count(*PERIOD, "--as-of", "2009-07-10", "--format", "csv", "--by", "outlet", "department", "--output", str(out),
                   docs=known)
    assert result.stdout == "" and "已写入" in result.stderr
    tables = {path.name: _csv_rows(path.read_bytes()) for path in sorted(tmp_path.glob("*.csv"))}
    assert list(tables) == ["统计-department.csv", "统计-outlet.csv", "统计.csv"]
    for rows in tables.values():
        assert len({len(r) for r in rows}) == 1 and [] not in rows  # rectangular, no blank separator rows
        assert not any(cell.startswith(("\u3000", " ")) for r in rows for cell in r)  # no indentation to lose on sorting
    assert ["荆州日报", "市级", "媒体", "3"] in tables["统计-outlet.csv"]
    refused = count(*PERIOD, "--format", "csv", "--by", "outlet", "month", docs=known, check=False)
    assert refused.returncode == 2 and "--output" in refused.stderr


def test_output_writes_any_format_to_a_file(known, tmp_path):
    for fmt in ("report", "markdown", "json", "table"):
        target = tmp_path / f"out.{fmt}"
        result = count(*PERIOD, "--as-of", "2009-07-10", "--format", fmt, "--output", str(target), docs=known)
        assert result.stdout == "" and str(target) in result.stderr
        assert target.read_text(encoding="utf-8") == count(*PERIOD, "--as-of", "2009-07-10", "--format", fmt, docs=known).stdout


BAD = {
    "unknown-series": ({"newsletters/x/2009-01.md": issue("城建简报", 1, "2009-01-05")}, "unknown-series", "城建情况"),
    "unknown-outlet": ({"news/x.md": news("稿件", "2009-01-05", ["荆洲日报"])}, "unknown-outlet", "荆州日报"),
    "unknown-department": ({"news/x.md": news("稿件", "2009-01-05", ["荆州日报"], "department: 城建股\n")},
                           "unknown-department", "城建科"),
    "date-format": ({"news/x.md": news("稿件", "2009.1.5", ["荆州日报"])}, "date-format", "2009-01-05"),
    "encoding-gbk": ({"news/x.md": news("稿件", "2009-01-05", ["荆州日报"]).encode("gbk")}, "encoding-gbk", "UTF-8"),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_content_is_refused_with_file_and_fix(tmp_path, case):
    files, code, fix = BAD[case]
    docs = write_docs(tmp_path / "docs", {**KNOWN, **files})
    result = count(*PERIOD, "--format", "json", docs=docs, check=False)
    assert result.returncode == 1
    assert result.stdout == ""  # never a (smaller) number
    line = next(line for line in result.stderr.splitlines() if f"[{code}]" in line)
    assert "/x" in line.split(":")[0] and fix in line, line


@pytest.mark.parametrize("args, words", [
    (["--from", "2009-07-01", "--to", "2009-01-01"], "晚于"),
    (["--frm", "2009-01-01"], "无法识别的参数"),
    (["--from", "2009年1月1日"], "2009-01-01"),
    (["--format", "pdf"], "无效的选项"),
    (["--compare", "yoy"], "--from 和 --to"),
])
def test_wrong_usage_exits_2_in_chinese(args, words):
    result = count(*args, check=False)
    assert result.returncode == 2
    assert words in result.stderr, result.stderr


@pytest.mark.build
def test_statistics_page_shows_the_scripts_figures(sample_site):
    rows = {tr.th.get_text(): [td.get_text() for td in tr.find_all("td")]
            for tr in page(sample_site, "stats/").select(".pub-stats-table tbody tr")}
    years = sorted(int(label[:4]) for label in rows if label != "合计")
    assert years, "the statistics page lists no year"
    for year in years:
        data = json.loads(count("--from", f"{year}-01-01", "--to", f"{year}-12-31", "--format", "json").stdout)
        expected = [data["newsletters"]["issues"], data["news"]["items"], data["news"]["media_placements"],
                    data["news"]["portal_placements"], data["rules"]["issued"]]
        assert rows[f"{year}年"] == [str(n) for n in expected], year
    svg = page(sample_site, "stats/").select_one("svg.pub-chart")
    assert svg is not None and len(svg.select("rect")) > 24
    assert len(page(sample_site, "stats/").select(".pub-chart-data tbody tr")) == 24
