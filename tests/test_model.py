"""The content model: what loads, and what it refuses, with file, line and fix."""

from __future__ import annotations

import datetime as dt

import pytest

from publicity.config import load_config
from publicity.loader import load_content
from publicity.model import Issue, NewsItem, Rule, State
from publicity.problems import ContentError

from conftest import write_docs

NEWS = """---
title: 区建设局集中整治破损井盖
date: 2009-05-12
department: 市政科
outlets:
  - 区政府网首页
  - name: 荆州日报
    date: 2009-05-14
    page: 第3版
---

正文。
"""


def load(tmp_path, files, config):
    docs = write_docs(tmp_path / "docs", files)
    return load_content(docs, config, root=tmp_path)


def codes(content):
    return sorted((p.path, p.line, p.code) for p in content.problems.items)


def test_news_item_loads_with_resolved_outlets(tmp_path, site_config):
    content = load(tmp_path, {"news/2009/0512-jinggai.md": NEWS}, site_config)
    assert codes(content) == []
    (item,) = content.items
    assert isinstance(item, NewsItem)
    assert item.url == "news/2009/0512-jinggai/"
    assert [(p.outlet.name, p.outlet.level, p.date) for p in item.placements] == [
        ("区政府网首页", "区级", dt.date(2009, 5, 12)),  # a placement's date defaults to the item's
        ("荆州日报", "市级", dt.date(2009, 5, 14)),
    ]


def test_newsletter_title_is_derived(tmp_path, site_config):
    text = "---\nseries: 城建情况\nissue: 3\ntotal_issue: 45\ndate: 2009-04-10\n---\n正文\n"
    content = load(tmp_path, {"newsletters/chengjian/2009-03.md": text}, site_config)
    (issue,) = content.items
    assert isinstance(issue, Issue)
    assert issue.title == "《城建情况》2009年第3期"
    assert issue.number_label == "2009年第3期（总第45期）"


def test_newsletter_distribution_is_read_as_printed(tmp_path, site_config):
    head = "---\nseries: 城建情况\nissue: {n}\ndate: 2009-04-1{n}\n{extra}---\n正文\n"
    content = load(tmp_path, {
        "newsletters/chengjian/2009-01.md": head.format(n=1, extra="title: 本期专题\ndistribution:\n  report: [市建委, 区委办公室。]\n"
                                                                  "  distribute: 局机关各科室、二级单位\n  copies: 30\n"),
        "newsletters/chengjian/2009-02.md": head.format(n=2, extra="distribution: {send: [], report: ''}\n"),
        "newsletters/chengjian/2009-03.md": head.format(n=3, extra="distribution:\n  抄送: [区文明办]\n  copies: 0\n"),
    }, site_config)
    assert [(path.rsplit("/", 1)[-1], line, code) for path, line, code in codes(content)] == [
        ("2009-03.md", 6, "unknown-field"), ("2009-03.md", 7, "field-type")]
    assert "是不是“send”" in str(content.problems.items[0])
    first, second = sorted(content.items, key=lambda i: i.issue)
    # Commas between the names, one full stop at the end, the names as written (区委、区政府 stays one name).
    assert first.distribution.lines == (("报", "市建委，区委办公室。"), ("发", "局机关各科室、二级单位。"))
    assert first.distribution.copies == 30 and first.has_own_title
    assert second.distribution is None and not second.has_own_title  # an empty block prints nothing


def test_rule_issuer_defaults_to_office_and_in_force(tmp_path, site_config):
    old = "---\ntitle: 旧制度\ndate: 2007-01-05\nstatus: 已修订\nrepealed: 2008-03-01\nsuperseded_by: new.md\n---\n"
    new = "---\ntitle: 新制度\ndate: 2008-02-01\neffective: 2008-03-01\nstatus: 现行有效\nsupersedes: old.md\n---\n"
    content = load(tmp_path, {"rules/old.md": old, "rules/new.md": new}, site_config)
    assert codes(content) == []
    rules = {r.title: r for r in content.items}
    assert all(isinstance(r, Rule) for r in rules.values())
    assert rules["新制度"].issuer == site_config.office.name
    assert rules["旧制度"].in_force(dt.date(2008, 2, 29)) and not rules["旧制度"].in_force(dt.date(2008, 3, 1))
    assert not rules["新制度"].in_force(dt.date(2008, 2, 29)) and rules["新制度"].in_force(dt.date(2008, 3, 1))


def test_draft_and_scheduled_states(tmp_path, site_config):
    draft = NEWS.replace("date: 2009-05-12", "date: 2009-05-12\ndraft: true")
    later = NEWS.replace("2009-05-12", "2027-01-01").replace("2009-05-14", "2027-01-02")
    content = load(tmp_path, {"news/a.md": NEWS, "news/b.md": draft, "news/c.md": later}, site_config)
    as_of = dt.date(2026, 11, 28)
    assert {i.src_path: i.state(as_of) for i in content.items} == {
        "news/a.md": State.PUBLISHED, "news/b.md": State.DRAFT, "news/c.md": State.SCHEDULED}
    assert [i.src_path for i in content.visible(as_of)] == ["news/a.md"]
    assert len(content.visible(as_of, preview=True)) == 3


BROKEN = {
    # path: (text, expected (line, code), words the message or fix must hold)
    "news/dotted.md": (NEWS.replace("2009-05-12", "2009.5.12"), (3, "date-format"), "2009-05-12"),
    "news/chinese-date.md": (NEWS.replace("2009-05-12", "2009年5月12日"), (3, "date-format"), "2009-05-12"),
    "news/no-such-day.md": (NEWS.replace("2009-05-12", "2009-02-30"), (3, "date-format"), "这一天不存在"),
    "news/fullwidth.md": (NEWS.replace("title: ", "title："), (2, "fullwidth-colon"), "半角冒号"),
    "news/typo.md": (NEWS.replace("title:", "titel:"), (2, "unknown-field"), "title"),
    "news/outlet.md": (NEWS.replace("name: 荆州日报", "name: 荆洲日报"), (7, "unknown-outlet"), "荆州日报"),
    "news/dept.md": (NEWS.replace("department: 市政科", "department: 市政股"), (4, "unknown-department"), "市政科"),
    "news/yaml.md": (NEWS.replace("department: 市政科", "department: [市政科"), (5, "yaml-syntax"), "front matter"),
    "news/tab.md": (NEWS.replace("  - 区政府网首页", "\t- 区政府网首页"), (6, "yaml-tab"), "空格"),
    "news/nofm.md": ("# 没有字段\n", (1, "front-matter-missing"), "---"),
    "news/cover.md": (NEWS.replace("department: 市政科", "cover: images/none.jpg"), (4, "missing-file"), "images/none.jpg"),
    "rules/status.md": ("---\ntitle: 制度\ndate: 2008-01-01\nstatus: 有效\n---\n", (4, "status-value"), "现行有效"),
    "rules/notitle.md": ("---\ndate: 2008-01-01\nstatus: 现行有效\n---\n", (1, "missing-field"), "title"),
    "newsletters/chengjian/series.md": ("---\nseries: 城建简报\nissue: 1\ndate: 2008-01-01\n---\n", (2, "unknown-series"), "城建情况"),
    "news/中文名.md": (NEWS, (1, "name-not-ascii"), "zhong-wen-ming.md"),
    "news/IMG_0512.md": (NEWS, (1, "name-not-ascii"), "img-0512.md"),
}


def test_every_problem_in_every_file_is_reported(tmp_path, site_config):
    content = load(tmp_path, {path: text for path, (text, _, _) in BROKEN.items()}, site_config)
    found = {(p.path, p.line, p.code): p for p in content.problems.items}
    for path, (_, (line, code), words) in BROKEN.items():
        key = (f"docs/{path}", line, code)
        assert key in found, f"{key} not in {sorted(found)}"
        assert words in str(found[key]), str(found[key])
    broken = {f"docs/{p}" for p, (_, (_, code), _) in BROKEN.items() if code != "name-not-ascii"}
    assert not broken & {f"docs/{i.src_path}" for i in content.items}, "a broken file was loaded as if fine"


def test_one_file_with_several_slips_reports_them_all(tmp_path, site_config):
    text = NEWS.replace("title: ", "title：").replace("2009-05-12", "2009.5.12").replace("  - 区政府网首页", "  - 区政府网")
    files = {"news/a.md": text, "news/b.md": text.encode("gbk")}
    content = load(tmp_path, files, site_config)
    for path in ("docs/news/a.md", "docs/news/b.md"):
        found = [(line, code) for p, line, code in codes(content) if p == path]
        assert [f for f in found if f[1] != "encoding-gbk"] == [(2, "fullwidth-colon"), (3, "date-format"), (6, "unknown-outlet")]
    assert ("docs/news/b.md", 2, "encoding-gbk") in codes(content)
    assert content.items == []


def test_problem_line_format(tmp_path, site_config):
    content = load(tmp_path, {"news/2009/0512-jinggai.md": NEWS.replace("2009-05-12", "2009.5.12")}, site_config)
    (problem,) = content.errors
    assert str(problem) == "docs/news/2009/0512-jinggai.md:3: 错误[date-format]: date 的日期“2009.5.12”无法识别（请写成 2009-05-12）"


def test_encodings(tmp_path, site_config):
    files = {
        "news/gbk.md": NEWS.encode("gbk"),
        "news/bom.md": "\ufeff" + NEWS,
        "news/crlf.md": NEWS.replace("\n", "\r\n"),
    }
    content = load(tmp_path, files, site_config)
    assert codes(content) == [("docs/news/bom.md", 1, "bom"), ("docs/news/gbk.md", 2, "encoding-gbk")]
    assert content.problems.warnings[0].code == "bom"
    assert sorted(i.src_path for i in content.items) == ["news/bom.md", "news/crlf.md"]
    assert "UTF-8" in str(content.errors[0])


def test_duplicate_issue_and_url(tmp_path, site_config):
    issue = "---\nseries: 城建情况\nissue: 2\ndate: 2009-03-01\n---\n"
    files = {"newsletters/chengjian/a.md": issue, "newsletters/chengjian/b.md": issue,
             "news/x.md": NEWS, "news/x/index.md": NEWS}
    content = load(tmp_path, files, site_config)
    assert ("docs/newsletters/chengjian/b.md", 3, "duplicate-issue") in codes(content)
    assert ("docs/news/x/index.md", 1, "duplicate-url") in codes(content)


def test_amended_rule_without_repealed_date_warns(tmp_path, site_config):
    text = "---\ntitle: 制度\ndate: 2008-01-01\nstatus: 已废止\n---\n"
    content = load(tmp_path, {"rules/r.md": text}, site_config)
    assert codes(content) == [("docs/rules/r.md", 4, "repealed-missing")]
    assert not content.problems.errors
    assert not content.items[0].in_force(dt.date(2020, 1, 1))


def test_config_is_validated_with_lines(tmp_path):
    path = tmp_path / "publicity.yml"
    path.write_text("office:\n  name: 某局\noutlets:\n  - {name: 某报, level: 县级, kind: media}\n"
                    "series:\n  - {name: 某刊, slug: 某刊}\ntimezone: Mars/Base\nfoo: 1\n", encoding="utf-8")
    with pytest.raises(ContentError) as exc:
        load_config(path)
    found = sorted((p.line, p.code) for p in exc.value.problems)
    assert found == [(4, "config-value"), (6, "config-value"), (7, "config-value"), (8, "config-key")]
    assert "国家级" in str(exc.value.problems[0]) or any("国家级" in str(p) for p in exc.value.problems)


def test_publish_target_is_validated(tmp_path):
    path = tmp_path / "publicity.yml"
    path.write_text("office:\n  name: 某局\npublish:\n  target: ftp\n", encoding="utf-8")
    with pytest.raises(ContentError) as exc:
        load_config(path)
    assert [(p.line, p.code) for p in exc.value.problems] == [(4, "config-value")]
    path.write_text("office:\n  name: 某局\npublish:\n  target: rsync\n  path: /var/www/site\n", encoding="utf-8")
    assert load_config(path).publish.target == "rsync"



def test_a_configuration_in_another_encoding_or_with_a_name_twice_is_refused(tmp_path):
    """config-encoding (saved as GBK by an old editor) and config-duplicate (an outlet registered twice)."""
    path = tmp_path / "publicity.yml"
    path.write_bytes("office:\n  name: 某局\n".encode("gbk"))
    with pytest.raises(ContentError) as exc:
        load_config(path)
    assert [(p.line, p.code) for p in exc.value.problems] == [(1, "config-encoding")]
    assert "不是 UTF-8 编码" in exc.value.problems[0].message
    path.write_text("office:\n  name: 某局\noutlets:\n  - {name: 某报, level: 市级}\n  - {name: 某报, level: 省级}\n",
                    encoding="utf-8")
    with pytest.raises(ContentError) as exc:
        load_config(path)
    assert [p.code for p in exc.value.problems] == ["config-duplicate"] and "某报" in exc.value.problems[0].message


def test_a_missing_content_folder_or_file_is_a_problem_not_a_traceback(tmp_path, site_config):
    """docs-missing (the build or a tool pointed at a folder that is not there) and unreadable (a file gone
    between the inventory and its reading)."""
    from publicity.source import read_source

    content = load_content(tmp_path / "no-docs", site_config, tmp_path)
    assert [(p.path, p.line, p.code) for p in content.problems.items] == [("no-docs", 1, "docs-missing")]
    source = read_source(tmp_path / "gone.md", "docs/gone.md", require_front_matter=True)
    assert [(p.path, p.line, p.code) for p in source.problems.items] == [("docs/gone.md", 1, "unreadable")]
    assert source.problems.items[0].message == "无法读取文件：文件不存在"  # the system's reason in Chinese, not English

def test_a_news_item_may_give_its_publication_time(tmp_path, site_config):
    content = load(tmp_path, {"news/2009/a.md": NEWS.replace("department:", "time: 9:05\ndepartment:"),
                              "news/2009/b.md": NEWS.replace("department:", "time: 09：30\ndepartment:"),
                              "rules/c.md": "---\ntitle: 制度\ndate: 2009-01-02\nstatus: 现行有效\n---\n\n第一条\n"}, site_config)
    assert codes(content) == []
    by_path = content.by_path
    assert by_path["news/2009/a.md"].publication_time == dt.datetime(2009, 5, 12, 9, 5)
    assert by_path["news/2009/b.md"].time == dt.time(9, 30)  # typed with a Chinese input method's colon
    assert by_path["rules/c.md"].publication_time == dt.datetime(2009, 1, 2, 0, 0)  # no time: 00:00


@pytest.mark.parametrize("written", ["24:00", "9:5", "0930", "09:30:00", "上午九点"])
def test_a_time_that_is_not_hh_mm_is_refused_on_its_line(tmp_path, site_config, written):
    content = load(tmp_path, {"news/2009/a.md": NEWS.replace("department:", f"time: {written}\ndepartment:")}, site_config)
    assert [(p.line, p.code) for p in content.problems.items] == [(4, "time-format")]
    assert "09:30" in content.problems.items[0].fix


@pytest.mark.parametrize("pattern, message", [
    ("{org_code}/{year}", "缺少序号"), ("{org}/{seq}", "不认识的“{org}”"), ("{seq:05q}", "写法不对"), ("{seq", "写法不对"),
    ("{0}-{seq}", "不认识的"), ("{seq.real}", "不认识的")])
def test_the_index_number_pattern_is_validated(tmp_path, pattern, message):
    path = tmp_path / "publicity.yml"
    path.write_text(f"office:\n  name: 某局\ndisclosure:\n  index_pattern: \"{pattern}\"\n", encoding="utf-8")
    with pytest.raises(ContentError) as exc:
        load_config(path)
    (problem,) = exc.value.problems
    assert (problem.line, problem.code) == (4, "config-value") and message in problem.message, problem


def test_the_next_index_number_follows_the_pattern_per_year(tmp_path, site_config):
    import dataclasses

    from publicity.disclosure import next_index_number

    rule = "---\ntitle: 制度{n}\ndate: {d}\nstatus: 现行有效\nindex_number: {i}\n---\n\n第一条\n"
    content = load(tmp_path, {
        "rules/a.md": rule.format(n=1, d="2009-01-02", i="011520456/2009-00007"),
        "rules/b.md": rule.format(n=2, d="2009-03-02", i="011520456/2009-00012"),
        "rules/c.md": rule.format(n=3, d="2008-03-02", i="011520456/2008-00030"),
        "rules/d.md": rule.format(n=4, d="2009-03-02", i="其他单位/2009-00099"),  # another office's numbers do not count
    }, site_config)
    rules = [i for i in content.items if isinstance(i, Rule)]
    assert next_index_number(site_config, rules, dt.date(2009, 6, 1)) == "011520456/2009-00013"
    assert next_index_number(site_config, rules, dt.date(2010, 1, 5)) == "011520456/2010-00001"
    overall = dataclasses.replace(site_config, index_pattern="JSJ-{seq:04d}")
    assert next_index_number(overall, rules, dt.date(2010, 1, 5)) == "JSJ-0001"
    assert next_index_number(dataclasses.replace(site_config, index_pattern=""), rules, dt.date(2010, 1, 5)) == ""
