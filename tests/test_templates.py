"""The site's own templates, rendered with a stub context: no build, escaping and content as readers get them.

The environment is the one the adapter sets up (overrides/ over Material's templates, autoescape on),
with stand-ins for MkDocs' filters. Items come from the content model, loaded from files the tests write.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import jinja2
import pytest
from bs4 import BeautifulSoup

from publicity.dates import cn_date
from publicity.loader import load_content
from publicity.model import Kind, State
from publicity.site_plan import Link

from conftest import AS_OF_DATE, ROOT, write_docs
from hostile import ATTRIBUTE, CLOSING, QUOTED, TITLE


@pytest.fixture(scope="module")
def env():
    import material

    loader = jinja2.FileSystemLoader([str(ROOT / "overrides"), str(Path(material.__file__).parent / "templates")])
    environment = jinja2.Environment(loader=loader, autoescape=True)
    environment.filters.update(url=lambda value: value, cn_date=cn_date,
                               picture=lambda uri, **kw: jinja2.utils.markupsafe.Markup(f'<img src="{uri}" alt="">'))
    return environment


@pytest.fixture(scope="module")
def content(tmp_path_factory, site_config):
    later = (AS_OF_DATE + dt.timedelta(days=10)).isoformat()
    docs = write_docs(tmp_path_factory.mktemp("templates") / "docs", {
        "news/2009/a.md": f"---\ntitle: '{TITLE}'\ndate: 2009-05-12\ndepartment: 市政科\n---\n\n正文。\n",
        "news/2009/b.md": f"---\ntitle: '{QUOTED}'\ndate: 2009-05-13\ndraft: true\n---\n\n正文。\n",
        "newsletters/chengjian/2009-01.md": f"---\nseries: 城建情况\nissue: 1\ntotal_issue: 45\ndate: 2009-05-10\n"
                                            f"summary: '{ATTRIBUTE}'\n---\n\n正文。\n",
        "rules/now.md": f"---\ntitle: '{CLOSING}'\ndate: 2009-01-01\nstatus: 现行有效\ndoc_number: 沙建发〔2009〕3号\n---\n\n第一条\n",
        "rules/later.md": f"---\ntitle: 新制度\ndate: 2009-01-01\nstatus: 现行有效\neffective: {later}\n---\n\n第一条\n",
        "rules/old.md": "---\ntitle: 旧制度\ndate: 2008-01-01\nstatus: 已废止\nrepealed: 2009-01-01\n---\n\n第一条\n",
    })
    loaded = load_content(docs, site_config, docs.parent)
    assert not loaded.problems.errors, loaded.problems.errors
    return loaded


def render_macro(env, macro: str, item) -> BeautifulSoup:
    template = env.from_string('{% import "partials/entries.html" as entries with context %}{{ entries[kind](item) }}')
    return BeautifulSoup(template.render(kind=macro, item=item, as_of=AS_OF_DATE), "html.parser")


def test_a_news_entry_shows_its_title_as_text_and_its_facts(env, content):
    item = content.by_path["news/2009/a.md"]
    soup = render_macro(env, "news", item)
    assert soup.select_one(".pub-entry__title").get_text() == TITLE and not soup.select("img[onerror]")
    assert soup.select_one("time")["datetime"] == "2009-05-12" and "2009年5月12日 · 市政科" in soup.get_text()


def test_a_draft_entry_carries_its_badge(env, content):
    soup = render_macro(env, "news", content.by_path["news/2009/b.md"])
    assert soup.select_one(".pub-badge").get_text() == State.DRAFT.label
    assert soup.select_one(".pub-entry__title").get_text() == QUOTED


def test_a_newsletter_entry_shows_its_numbers_and_summary_as_text(env, content):
    soup = render_macro(env, "newsletter", content.by_path["newsletters/chengjian/2009-01.md"])
    assert soup.select_one(".pub-entry__title").get_text(strip=True) == "第1期（总第45期）"
    assert soup.select_one(".pub-entry__summary").get_text() == ATTRIBUTE and not soup.select("svg")


@pytest.mark.parametrize("path, standing, valid", [
    ("rules/now.md", "现行有效", True), ("rules/later.md", "尚未施行", False), ("rules/old.md", "已废止", False)])
def test_a_rule_entry_says_where_it_stands_today(env, content, path, standing, valid):
    soup = render_macro(env, "rule", content.by_path[path])
    status = soup.select_one(".pub-status")
    assert status.get_text() == standing
    assert ("pub-status--valid" in status["class"]) == valid


def test_the_disclosure_block_escapes_every_fact(env, content):
    rule = content.by_path["rules/now.md"]
    view = type("View", (), {"successor": None, "predecessor": None})()
    html = env.get_template("partials/item-rule.html").render(item=rule, item_view=view, as_of=AS_OF_DATE)
    soup = BeautifulSoup(html, "html.parser")
    facts = {th.get_text(): td.get_text(strip=True) for th, td in zip(soup.select("th"), soup.select("td"))}
    assert facts["发文字号"] == "沙建发〔2009〕3号" and facts["效力状态"] == "现行有效"
    assert facts["发文机关"] == content.config.office.name and "<script" not in html


def test_breadcrumbs_print_titles_as_text(env):
    html = env.get_template("partials/breadcrumbs.html").render(crumbs=[Link("首页", ""), Link(TITLE, "news/")])
    soup = BeautifulSoup(html, "html.parser")
    assert [a.get_text() for a in soup.select("a")] == ["首页", TITLE] and not soup.select("img")


def test_the_footer_shows_what_is_configured_and_hides_the_rest(env, site_config):
    import dataclasses

    office = site_config.office
    html = env.get_template("partials/site-footer.html").render(config={"extra": {"office": office}})
    text = BeautifulSoup(html, "html.parser").get_text(" ", strip=True)
    assert f"主办单位：{office.organizer or office.name}" in text and office.icp in text and office.site_code in text
    bare = dataclasses.replace(office, icp="", police_record="", site_code="", operator="")
    text = BeautifulSoup(env.get_template("partials/site-footer.html").render(config={"extra": {"office": bare}}),
                         "html.parser").get_text(" ", strip=True)
    assert "承办单位" not in text and "网站标识码" not in text and "备" not in text


def test_the_preview_banner_names_the_state(env, content):
    item = content.by_path["news/2009/b.md"]
    view = type("View", (), {"item": item})()
    html = env.get_template("partials/state-banner.html").render(item_state=item.state(AS_OF_DATE), item_view=view,
                                                                  as_of=AS_OF_DATE)
    assert "草稿" in BeautifulSoup(html, "html.parser").get_text()


def test_every_kind_has_an_entry_macro(env):
    names = env.get_template("partials/entries.html").module.__dict__
    assert all(kind.value in names for kind in Kind)
