"""The site's search (scripts/publicity/search.py, overrides/partials/search.html, assets/javascripts/search.js).

Queries go through the real search box in Debian's Chromium, as readers type them, on the sample
content and on a generated corpus with planted words; each must find its item in the top 5. The
index is also read back directly, and a build whose Chinese is not cut as the browser looks it up
must fail.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from publicity import search
from publicity.config import load_config
from publicity.generate import CorpusSpec, generate, sample_pool
from publicity.loader import load_content
from publicity.search import writer
from publicity.search.bundle import check_segmented, index_words
from publicity.search.indexer import pagefind_runtime
from publicity.search.words import forms
from publicity.search.writer import decode, write_bundle

from conftest import (
    AS_OF,
    DOCS,
    MEASURE,
    PHONE,
    ROOT,
    Recorder,
    ask,
    build,
    build_ok,
    open_search,
    sample_env,
    served,
    write_docs,
)

pytestmark = pytest.mark.build
AS_OF_DATE = dt.date.fromisoformat(AS_OF)

# (query as typed, the item it must find: part of its title). Words that cut across a
# segmenter's word boundaries are marked "across": 损井盖 is 破损|井盖, 座谈庆 is 座谈|庆.
SAMPLE_QUERIES = [
    ("井盖", "集中整治破损井盖"),
    ("损井盖", "集中整治破损井盖"),  # across
    ("治破损", "集中整治破损井盖"),  # across
    ("跳盖", "集中整治破损井盖"),
    ("防盗井盖", "集中整治破损井盖"),
    ("井盖 整治", "集中整治破损井盖"),  # two words, as a person types them
    ("规范化达标", "规范化达标半年自查"),
    ("挑刺", "上门“挑刺”"),
    ("座谈庆", "女职工座谈庆"),  # across
    ("无故缺席", "学习制度"),
    ("火英雄", "送去学费"),  # across
    ("纸化办", "无纸化办公"),  # across
    ("象棋乒乓", "象棋乒乓球比赛"),
    ("十七大精神", "学习贯彻党的十七大精神"),
    ("渍水点", "城区道路渍水点"),
    ("隐患排查", "安全隐患排查"),
    ("评比制度", "评比制度"),
    ("实施方案", "创建文明单位实施方案"),
    ("来客接待", "来客接待制度"),
    ("文明家庭评选", "文明家庭评选制度"),
    ("汶川地震", "汶川地震灾区捐款"),
    ("特殊党费", "特殊党费"),
    ("城管执法大队", "城管执法大队集中整治占道经营"),
    ("限时办结", "投诉限时办结"),
    ("沙建发〔2007〕8号", "学习制度"),  # the document number, typed with its brackets
]

# Planted in a generated corpus: (file, front matter, body). The words are found nowhere else.
PLANTED = {
    "news/2008/0601-planted-zhanqiao.md": ("title: 城南片区完成一批市政设施维修\ndate: 2008-06-01",
                                           "据了解，城南片区的鹭鸶湖栈桥加固工程已经完工，市民可以正常通行。"),
    "news/2008/0602-planted-laojie.md": ("title: 老城区道路改造有序推进\ndate: 2008-06-02",
                                         "近日，局里为青石板老街铺设了透水砖，雨天不再积水。"),
    "news/2009/0603-planted-bengzhan.md": ("title: 汛前准备工作全面展开\ndate: 2009-06-03",
                                           "经过两个月施工，梧桐巷排涝泵站投入使用，可保障周边小区排水。"),
    "news/2009/0604-planted-jianzhi.md": ("title: 区建设局举办荆楚剪纸艺术展\ndate: 2009-06-04",
                                          "展览为期一周，展出职工作品六十余件。"),
    # Every bigram of 梧桐巷排涝, several times, but never the phrase: it must rank below the item with the phrase.
    "news/2009/0607-planted-wutong.md": ("title: 社区环境整治检查\ndate: 2009-06-07",
                                         "梧桐巷口的梧桐树下，桐巷小学门前，巷排水沟由专人清理。汛期排涝前，梧桐树、"
                                         "桐巷小学和巷排水沟都要逐一检查，排涝物资提前备好。"),
    # 涝泵站投入使用 without 梧桐巷排: found when the common bigrams of 梧桐巷排涝泵站投入使用 are left out of the query.
    "news/2009/0608-planted-fanglao.md": ("title: 城东防涝设施检查\ndate: 2009-06-08", "城东防涝泵站投入使用前，泵站投入使用的调试已经完成，\n"
                                          "防涝泵站投入使用后运行平稳，城东防涝泵站投入使用。"),
    "news/2009/0605-planted-ludeng.md": ("title: 城区路灯节能改造完成\ndate: 2009-06-05",
                                         "今年共完成LED路灯改造1200盏，每年可节约电费十余万元。"),
    "news/2008/0606-planted-fanti.md": ("title: 舊城區井蓋普查結束\ndate: 2008-06-06",
                                        "經過一個月的普查，全區共登記井蓋三千餘座，建立了電子檔案。"),
    "newsletters/chengjian/2008-50.md": ("series: 城建情况\nissue: 50\ndate: 2008-09-09",
                                         "## 工作动态\n\n翠微岭登山步道整修完成，新增休息亭三座。"),
    "rules/planted-shitang.md": ("title: 机关食堂管理办法\ndate: 2008-03-03\nstatus: 现行有效\ncategory: 机关管理",
                                 "第五条　机关食堂实行刷卡就餐制度，外来人员凭条就餐。"),
}
PLANTED_QUERIES = [
    ("鹭鸶湖栈桥", "城南片区完成一批市政设施维修"),
    ("栈桥加固", "城南片区完成一批市政设施维修"),  # across
    ("青石板老街", "老城区道路改造有序推进"),
    ("老街铺设", "老城区道路改造有序推进"),  # across
    ("梧桐巷排涝", "汛前准备工作全面展开"),
    ("涝泵站", "汛前准备工作全面展开"),  # across
    ("剪纸艺术", "荆楚剪纸艺术展"),  # in the title only
    ("LED路灯", "城区路灯节能改造完成"),
    ("翠微岭", "《城建情况》2008年第50期"),
    ("山步道整", "《城建情况》2008年第50期"),  # across
    ("刷卡就餐", "机关食堂管理办法"),
    ("堂实行刷", "机关食堂管理办法"),  # across
]
# Simplified and Traditional fold together, both ways.
FOLDING_QUERIES = [
    ("井蓋", "集中整治破损井盖"),  # Traditional finds Simplified (sample)
    ("井盖普查", "舊城區井蓋普查結束"),  # Simplified finds Traditional (planted)
    ("井蓋普查", "舊城區井蓋普查結束"),
    ("旧城区", "舊城區井蓋普查結束"),
    ("电子档案", "舊城區井蓋普查結束"),
]


# ---------------------------------------------------------------------------
# Sites, served; one browser.


@pytest.fixture(scope="module")
def planted_site(tmp_path_factory, site_config, sample_config):
    docs = tmp_path_factory.mktemp("planted") / "docs"
    generate(docs, CorpusSpec(news=150, issues=12, rules=6, seed=11), site_config, sample_pool(DOCS, sample_config), DOCS)
    for rel, (front, body) in PLANTED.items():
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\n{front}\n---\n\n{body}\n", encoding="utf-8")
    return build_ok(docs, docs.parent / "site"), docs


@pytest.fixture(scope="module")
def planted_origin(planted_site):
    with served(planted_site[0]) as origin:
        yield origin


def top5_misses(page, origin: str, queries) -> list[str]:
    """Asks each query in the search box on the home page: those whose item is not in the top 5, with what came."""
    page.goto(f"{origin}/")
    open_search(page)
    misses = []
    for n, (query, wanted) in enumerate(queries):
        titles = [r["title"] for r in ask(page, query, type_it=n % 4 == 0)[:5]]
        if not any(wanted in t for t in titles):
            misses.append(f"{query} -> {titles}")
    return misses


# ---------------------------------------------------------------------------
# Queries through the search box.

@pytest.mark.browser
def test_queries_find_their_item_in_the_sample(desktop, sample_origin, sample):
    texts = {i.title: search.fold(i.title + search.text_of_markdown(i.file.read_text(encoding="utf-8")) + i.summary
                                  + getattr(i, "doc_number", "")) for i in sample.items if i.is_published(AS_OF_DATE)}
    for query, wanted in SAMPLE_QUERIES:  # the list itself: each word is in its item
        words = [w for w in query.replace("〔", " ").replace("〕", " ").split() if w]
        assert any(wanted in t and all(search.fold(w) in texts[t] for w in words) for t in texts), query
    misses = top5_misses(desktop, sample_origin, SAMPLE_QUERIES + FOLDING_QUERIES[:1])
    assert not misses, misses


@pytest.mark.browser
def test_planted_words_are_found_in_a_generated_corpus(desktop, planted_origin):
    misses = top5_misses(desktop, planted_origin, PLANTED_QUERIES)
    assert not misses, misses


@pytest.mark.browser
def test_the_exact_phrase_ranks_above_its_words_apart(desktop, planted_origin):
    desktop.goto(f"{planted_origin}/")
    open_search(desktop)
    for phrase in ("梧桐巷排涝", "梧桐巷排"):  # odd and even lengths: asked as 梧桐 巷排 (and 排涝 apart)
        titles = [r["title"] for r in ask(desktop, phrase)]
        assert titles[0] == "汛前准备工作全面展开" and "社区环境整治检查" in titles[1:], (phrase, titles)


@pytest.mark.browser
def test_a_long_phrase_of_common_bigrams_is_asked_by_its_least_common_part(desktop, planted_site, tmp_path):
    """A large site's search.json lists the bigrams in about a quarter of its items or more with what each downloads
    (writer.common_bigrams); a small one lists none, so two bigrams are made common here by hand."""
    site = tmp_path / "site"
    shutil.copytree(planted_site[0], site)
    settings_file = site / search.SETTINGS_FILE
    settings = json.loads(settings_file.read_text(encoding="utf-8"))
    assert settings["common"] == ""
    phrase = "梧桐巷排涝泵站投入使用"
    with served(site) as origin:
        desktop.goto(f"{origin}/")
        asked = desktop.evaluate("async (q) => (await import('/assets/javascripts/search.js')).plan([q], 2)", phrase)
        assert asked == {"phrase": ["梧桐", "巷排", "涝泵", "站投", "入使"], "terms": ["使用"], "whole": None}
        # As if each took 160 KB to download: more than a query may spend on common bigrams.
        settings_file.write_text(json.dumps({**settings, "common": "梧桐:160 巷排:160"}, ensure_ascii=False), encoding="utf-8")
        desktop.goto(f"{origin}/")
        asked = desktop.evaluate("""async (q) => (await import('/assets/javascripts/search.js'))
                                    .plan([q], 2, new Map([['梧桐', 160], ['巷排', 160]]))""", phrase)
        assert asked == {"phrase": ["涝泵", "站投", "入使"], "terms": ["使用"], "whole": phrase}
        # Pagefind's own ranking of what is asked puts the other item first: shorter, and the part three times.
        ranked = desktop.evaluate("""async () => {
            document.documentElement.lang = "und";  // as search.js creates it: no segmenting of the query
            const pagefind = (await import('/pagefind/pagefind.js')).createInstance({ basePath: '/pagefind/' });
            const found = await pagefind.search('涝泵 站投 入使 使用');
            return Promise.all(found.results.slice(0, 2).map(async (r) => (await r.data()).meta.title));
        }""")
        assert ranked == ["城东防涝设施检查", "汛前准备工作全面展开"]
        desktop.goto(f"{origin}/")
        open_search(desktop)
        results = ask(desktop, phrase)
        # Both hold 涝泵站投入使用; the item with the whole phrase comes first, marked.
        assert [r["title"] for r in results[:2]] == ["汛前准备工作全面展开", "城东防涝设施检查"]
        assert f"<mark>{phrase}</mark>" in results[0]["excerpt"]


@pytest.mark.browser
def test_simplified_and_traditional_fold_together(desktop, planted_origin):
    misses = top5_misses(desktop, planted_origin, FOLDING_QUERIES)
    assert not misses, misses
    # 井盖 marks 井蓋 in the Traditional item's excerpt, and the other way round: on a fresh page too, where
    # a Simplified query has not needed the folding table (fold.json) until a Traditional title came.
    asked: list[str] = []
    desktop.on("request", lambda request: asked.append(request.url))
    desktop.goto(f"{planted_origin}/")
    open_search(desktop)
    assert ask(desktop, "梧桐巷排涝")[0]["title"] == "汛前准备工作全面展开"
    assert not [url for url in asked if url.endswith("/fold.json")]
    result = next(r for r in ask(desktop, "井盖普查") if "舊城區" in r["title"])
    assert "<mark>井蓋普查</mark>" in result["titleHtml"]
    assert len([url for url in asked if url.endswith("/pagefind/fold.json")]) == 1
    results = ask(desktop, "井蓋")
    assert results and all("<mark>井盖</mark>" in r["excerpt"] or "<mark>井盖</mark>" in r["titleHtml"] for r in results)


@pytest.mark.browser
def test_more_results_come_ten_at_a_time_and_once(desktop, planted_origin):
    desktop.goto(f"{planted_origin}/")
    open_search(desktop)
    first = ask(desktop, "工作")
    total = int(desktop.locator(".md-search-result__meta").inner_text().removeprefix("找到 ").removesuffix(" 条结果"))
    assert len(first) == 10 and total > 20
    more = desktop.locator(".pub-search__more button")
    assert more.inner_text() == f"显示更多（还有 {total - 10} 条）"
    more.dblclick()  # a second click before the next ten arrive adds nothing
    desktop.wait_for_function("() => document.querySelectorAll('.md-search-result__item').length >= 20")
    desktop.wait_for_timeout(300)
    hrefs = desktop.eval_on_selector_all("a.md-search-result__link", "links => links.map(a => a.href)")
    assert len(hrefs) == 20 and len(set(hrefs)) == 20 and hrefs[:10] == [r["href"] for r in first]
    assert desktop.evaluate("() => document.activeElement.href") == hrefs[10]  # the keyboard goes on from the first new one
    assert desktop.locator(".pub-search__more button").inner_text() == f"显示更多（还有 {total - 20} 条）"


@pytest.mark.browser
def test_results_still_show_when_the_folding_table_cannot_be_loaded(desktop, planted_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(planted_site[0], site)
    (site / search.FOLD_FILE).unlink()  # a dropped connection, or a proxy that refuses it
    asked: list[str] = []
    desktop.on("request", lambda request: asked.append(request.url))
    with served(site) as origin:
        desktop.goto(f"{origin}/")
        open_search(desktop)
        titles = [r["title"] for r in ask(desktop, "井盖普查")]  # the Traditional title needs the table to be marked
        assert "舊城區井蓋普查結束" in titles

        def tries() -> int:
            return len([url for url in asked if url.endswith("/pagefind/fold.json")])

        assert tries() == 1
        assert ask(desktop, "梧桐巷排涝")[0]["title"] == "汛前准备工作全面展开"
        ask(desktop, "舊城區")  # asked again, not given up for good
        assert tries() > 1


@pytest.mark.browser
def test_a_result_shows_title_kind_date_and_a_marked_excerpt(desktop, planted_origin):
    desktop.goto(f"{planted_origin}/news/")
    open_search(desktop)
    results = ask(desktop, "梧桐巷排涝")
    first = results[0]
    assert first["title"] == "汛前准备工作全面展开"
    assert first["kind"] == "新闻" and first["date"] == "2009年6月3日"
    assert "<mark>梧桐巷排涝</mark>泵站投入使用" in first["excerpt"]
    assert first["href"].endswith("/news/2009/0603-planted-bengzhan/")
    for query, kind in (("翠微岭", "简报"), ("刷卡就餐", "制度")):
        assert ask(desktop, query)[0]["kind"] == kind
    meta = desktop.locator(".md-search-result__meta").inner_text()
    assert "找到" in meta and "条结果" in meta
    assert ask(desktop, "氪氙钋") == []
    assert "没有找到" in desktop.locator(".md-search-result__meta").inner_text()


@pytest.mark.browser
def test_filters_by_kind_year_and_series(desktop, planted_origin):
    desktop.goto(f"{planted_origin}/")
    open_search(desktop)
    unfiltered = ask(desktop, "工作")
    assert unfiltered
    desktop.select_option(".pub-search select[name=kind]", "简报")
    results = ask(desktop, "工作")
    assert results and {r["kind"] for r in results} == {"简报"}
    desktop.select_option(".pub-search select[name=kind]", "")
    desktop.select_option(".pub-search select[name=year]", "2008")
    results = ask(desktop, "工作")
    assert results and all(r["date"].startswith("2008年") for r in results)
    desktop.select_option(".pub-search select[name=year]", "")
    desktop.select_option(".pub-search select[name=series]", "沙市城管")
    results = ask(desktop, "工作")
    assert results and all(r["title"].startswith("《沙市城管》") for r in results)
    years = desktop.locator(".pub-search select[name=year] option").all_inner_texts()
    assert years[0] == "全部" and years[1:] == sorted(years[1:], reverse=True) and "2008年" in years


@pytest.mark.browser
def test_keyboard_only(desktop, planted_origin):
    desktop.goto(f"{planted_origin}/rules/")
    desktop.keyboard.press("/")
    assert desktop.evaluate("() => document.activeElement.classList.contains('md-search__input')")
    assert desktop.evaluate("() => document.getElementById('__search').checked")
    desktop.keyboard.type("梧桐巷排涝")
    desktop.wait_for_selector(".md-search-result__item")
    for _ in range(3):  # the results' scrolling area (focusable, as in Material), then the filters
        desktop.keyboard.press("Tab")
        if desktop.evaluate("() => document.activeElement.matches('.pub-search select')"):
            break
    else:
        pytest.fail("Tab from the search box does not reach the filters")
    desktop.locator(".md-search__input").focus()
    desktop.keyboard.press("ArrowDown")
    focused = desktop.evaluate("() => document.activeElement.getAttribute('href') || ''")
    assert focused.endswith("/news/2009/0603-planted-bengzhan/")
    outline = desktop.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    desktop.keyboard.press("Enter")
    desktop.wait_for_url("**/news/2009/0603-planted-bengzhan/")
    assert desktop.locator(".md-content h1").first.inner_text() == "汛前准备工作全面展开"
    desktop.keyboard.press("s")
    desktop.keyboard.press("Escape")
    assert not desktop.evaluate("() => document.getElementById('__search').checked")


@pytest.mark.browser
def test_search_works_at_phone_width(phone, planted_origin, shots):
    phone.goto(f"{planted_origin}/news/")
    button = phone.locator("label.md-header__button[for=__search]")  # on a phone the search is behind a button
    assert button.is_visible()
    button.click()
    field = phone.locator(".md-search__input")
    assert field.is_visible()
    ask(phone, "青石板老街", type_it=True)
    # Material's search dialog grows out of the button for 0.4 s, then locks the page behind it.
    phone.wait_for_function("() => document.body.hasAttribute('data-md-scrolllock')")
    first = phone.locator(".md-search-result__item").first
    assert first.is_visible() and "老城区道路改造有序推进" in first.inner_text()
    box = first.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["viewport"]["width"] + 1
    for select in phone.locator(".pub-search select").all():
        b = select.bounding_box()
        assert b["x"] + b["width"] <= PHONE["viewport"]["width"] + 1
    width = phone.evaluate(MEASURE)
    assert width["scroll"] <= PHONE["viewport"]["width"] + 1, width
    phone.screenshot(path=str(shots / "phone-search.png"))
    first.locator("a").click()
    phone.wait_for_url("**/news/2008/0602-planted-laojie/")


@pytest.mark.browser
def test_search_code_loads_when_opened_and_nothing_leaves_the_site(desktop, sample_origin):
    seen = Recorder(desktop)
    desktop.goto(f"{sample_origin}/news/", wait_until="networkidle")
    loaded = [u for u in seen.requests if "/pagefind/" in u or "search.js" in u or "search.css" in u]
    assert not loaded, f"search files loaded before the search was opened: {loaded}"
    # Its results panel is not laid out before then either (a <template>, see search.html).
    assert desktop.locator(".md-search__output").count() == 0
    open_search(desktop)
    assert desktop.locator(".md-search__output").count() == 1
    ask(desktop, "井盖")
    desktop.wait_for_load_state("networkidle")
    assert any(u.endswith("/assets/javascripts/search.js") for u in seen.requests)
    assert any("/pagefind/" in u and u.endswith(".pf_index") for u in seen.requests)
    elsewhere = [u for u in seen.requests if not (u.startswith((sample_origin + "/", "data:")))]
    assert not elsewhere, elsewhere
    assert not seen.failed and not seen.bad_status, (seen.failed, seen.bad_status)
    assert not seen.console_errors, seen.console_errors


# ---------------------------------------------------------------------------
# The index itself, and the build's check.


def test_the_index_holds_cut_chinese_words(sample_site):
    out = sample_site / search.OUTPUT_DIR
    words = index_words(out, ["井盖", "损井", "治破"])
    in_text = sorted(w for w, text in words.items() if text)
    # Every position of 集中整治破损井盖 begins a word of two characters: overlapping bigrams.
    assert {"井盖", "损井", "治破"} <= set(in_text)
    assert all(len(w) <= search.GRAM for w in in_text if search.text.HAN_RUN.fullmatch(w))
    settings = json.loads((sample_site / search.SETTINGS_FILE).read_text(encoding="utf-8"))
    assert settings["gram"] == search.GRAM and settings["pairs"] == ""  # the table is in fold.json
    assert "蓋盖" in json.loads((sample_site / search.FOLD_FILE).read_text(encoding="utf-8"))["pairs"]
    folds = list(itertools.accumulate(map(int, settings["folds"].split(","))))  # the characters that fold, as steps
    assert ord("蓋") in folds and ord("盖") not in folds and len(folds) == len(search.fold_pairs())
    assert settings["filters"]["kind"] == ["新闻", "简报", "制度"]
    # Only the items are records, not listings or the home page.
    fragments = list((out / "fragment").glob("*.pf_fragment"))
    assert len(fragments) == len(list(sample_site.glob("news/20*/*/index.html")) + list(
        sample_site.glob("newsletters/*/20*/index.html")) + [p for p in sample_site.glob("rules/*/index.html")])


def test_folding_and_cutting():
    assert search.fold("舊城區井蓋普查，ＬＥＤ２００") == "旧城区井盖普查，LED200"
    assert len(search.fold("龍與鳳")) == 3
    assert search.cut("破损井盖，64个") == "破损 损井 井盖 盖 ， 64 个"
    assert search.cut("沙建发〔2007〕8号 LED") == "沙建 建发 发 〔 2007 〕 8 号 LED"
    # Bigrams two characters apart stand at consecutive places, from either character: a phrase is asked by half its bigrams.
    words, shown, places = search.text.cut_shown("集中整治，64个井盖")
    assert shown == ["集", "中", "整", "治", "，", "64", "个", "井", "盖"]
    assert list(zip(words, places)) == [("集中", 0), ("中整", 0), ("整治", 1), ("治", 1), ("，", 2), ("64", 3), ("个井", 4),
                                        ("井盖", 4), ("盖", 5)]
    assert search.text_of_markdown("**井盖**整治 [详见](a.md) ![图](b.jpg)\n\n| 甲 | 乙 |\n|---|---|") == "井盖整治 详见\n甲 乙"


def fake_pagefind(tmp_path: Path, extra: str) -> Path:
    script = tmp_path / "pagefind"
    script.write_text(f'#!/bin/sh\nexec "{search.pagefind_binary()}" "$@" {extra}\n', encoding="utf-8")
    script.chmod(0o755)
    return script


def test_a_failed_pagefind_fails_the_build(tmp_path):
    result = build(DOCS, tmp_path / "site", PAGEFIND_BINARY_PATH=str(fake_pagefind(tmp_path, "--no-such-option")))
    assert result.returncode != 0 and "生成搜索索引失败" in result.stderr and "Pagefind 运行失败" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_pagefind_of_another_version_fails_the_build(tmp_path):
    # The index is written in Pagefind 1.5's format: a Pagefind that writes another entry is refused by name.
    script = tmp_path / "pagefind"
    script.write_text(f"""#!{sys.executable}
import json, subprocess, sys
subprocess.run([{str(search.pagefind_binary())!r}, *sys.argv[1:]], check=True)
out = sys.argv[sys.argv.index("--output-path") + 1] + "/pagefind-entry.json"
entry = json.load(open(out))
entry["include_characters"] = ["_"]
json.dump(entry, open(out, "w"))
""", encoding="utf-8")
    script.chmod(0o755)
    result = build(DOCS, tmp_path / "site", PAGEFIND_BINARY_PATH=str(script))
    assert result.returncode != 0 and "与本项目写索引的方式不符" in result.stderr and "make install" in result.stderr
    assert "Traceback" not in result.stderr


def sample_records() -> list[search.SearchRecord]:
    config = load_config(ROOT / "publicity.yml")
    content = load_content(DOCS, config, ROOT)
    return [r.with_text() for r in search.records_for(sorted(content.visible(AS_OF_DATE, preview=False), key=lambda i: i.url))]


def pagefind_bundle(records: list[search.SearchRecord], folder: Path, *extra: str) -> Path:
    """Pagefind's own index of the records: each as the page record_html makes, indexed by Pagefind's indexer."""
    for record in records:
        target = folder / "site" / record.url
        target.mkdir(parents=True, exist_ok=True)
        (target / "index.html").write_text(search.record_html(record), encoding="utf-8")
    subprocess.run([str(search.pagefind_binary()), "--site", str(folder / "site"), "--output-path", str(folder / "bundle"),
                    "--silent", *extra], check=True)
    return folder / "bundle"


def our_bundle(records: list[search.SearchRecord], folder: Path, chunk_locations: int = writer.PAGEFIND_CHUNK_LOCS) -> Path:
    write_bundle(records, pagefind_runtime(search.pagefind_binary(), folder / "runtime"), folder / "bundle", chunk_locations)
    return folder / "bundle"


def places_of(record: search.SearchRecord) -> list[int]:
    """Where the site places each of a record's words, in the order Pagefind counts them (one a word)."""
    out, start = [], 0
    for _words, _shown, places, _weight in writer.blocks_of(record):
        out += [start + place for place in places]
        start += places[-1] + 1 if places else 0
    return out


def placed(locs: list, places: list[int]) -> list:
    """Pagefind's locations of a word in a page (marks, then positions as steps) with each position replaced by its place."""
    out, last = [], None
    for value in locs:
        if value < 0:  # a weight's mark: positions after it start again from 0
            out.append(value)
            last = None
            continue
        position = value if last is None else last + value
        out.append(places[position] - (0 if last is None else places[last]))
        last = position
    return out


def bundle_content(out: Path, places: dict[str, list[int]] | None = None) -> dict:
    """What a bundle tells the browser, with pages named by their address instead of their number; with
    ``places`` (Pagefind's bundle), the positions Pagefind counts word by word are given as the site places them."""
    meta = decode(next(out.glob("pagefind.*.pf_meta")))
    fragments = [decode(out / "fragment" / f"{name}.pf_fragment") for name, _ in meta[1]]
    urls = [f["url"] for f in fragments]
    for fragment in fragments:  # the excerpt's words: a Han word by its first character, as the site writes them
        fragment["content"] = " ".join(w[0] if len(w) == 2 and all(search.text.HAN_RUN.fullmatch(c) for c in w) else w
                                       for w in fragment["content"].split(" "))

    def pages(listed):
        number, found = 0, {}
        for step, locs, meta_locs in listed:
            number += step
            found[urls[number]] = (placed(locs, places[urls[number]]) if places else locs, meta_locs)
        return found

    words = {}
    for _first, _last, chunk in meta[2]:
        for word, listed, variants in decode(out / "index" / f"{chunk}.pf_index")[0]:
            words[word] = (pages(listed), {variant: pages(p) for variant, p in variants})
    filters = {name: {value: sorted(urls[p] for p in numbers) for value, numbers in decode(out / "filter" / f"{f}.pf_filter")[1]}
               for name, f in meta[3]}
    return {"version": meta[0], "fields": meta[5], "pages": {f["url"]: (f, count) for f, (_, count) in zip(fragments, meta[1])},
            "words": words, "filters": filters, "chunks": [len(decode(out / "index" / f"{c}.pf_index")[0]) for _, _, c in meta[2]]}


def assert_same_index(ours: Path, theirs: Path, records: list[search.SearchRecord]) -> None:
    mine, pagefind = bundle_content(ours), bundle_content(theirs, {"/" + record.url.lstrip("/"): places_of(record) for record in records})
    for part in ("version", "fields", "filters", "chunks", "pages"):
        assert mine[part] == pagefind[part], part
    different = [w for w in mine["words"].keys() | pagefind["words"].keys() if mine["words"].get(w) != pagefind["words"].get(w)]
    assert not different, [(w, mine["words"].get(w), pagefind["words"].get(w)) for w in sorted(different)[:5]]


def test_the_index_is_the_one_pagefind_makes_of_the_same_records(tmp_path, site_config):
    # The site writes its index itself (search/writer.py), in Pagefind's format: on the sample and a
    # generated corpus of real-length items, it holds what Pagefind's own indexer makes of the same
    # records, word by word, page by page, to the chunks the browser downloads.
    docs = tmp_path / "docs"
    generate(docs, CorpusSpec(news=150, issues=6, rules=4, seed=3, text="real"), site_config, sample_pool(DOCS, site_config), DOCS)
    content = load_content(docs, site_config, tmp_path)
    generated = [r.with_text() for r in search.records_for(sorted(content.visible(AS_OF_DATE, preview=False), key=lambda i: i.url))]
    for name, records in (("sample", sample_records()), ("generated", generated)):
        assert_same_index(our_bundle(records, tmp_path / name / "ours"), pagefind_bundle(records, tmp_path / name / "pagefind"),
                          records)


# Words of every kind Pagefind treats in its own way: Latin with case and diacritics, ASCII punctuation
# inside a word, digits, full-width forms, Chinese punctuation, underscores.
WORD_PIECES = ["井盖", "整治", "沙建发", "〔2007〕", "8号", "GB/T-9704", "WebView", "HTMLPage", "h5页面", "café", "Über",
               "naïve", "x_y", "__init__", "ＬＥＤ２００", "《城建动态》", "“挑刺”", "（试行）", "第1号", "A-B", "3.5%", "e-mail",
               "iPhone15", "ABCdef", "Ⅻ", "①", "℃", "—", "…", "·", "、", "。", "，", "!", "?", "'quote'", '"q"', "(a)", "$5", "*"]


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.lists(st.sampled_from(WORD_PIECES), min_size=1, max_size=6),
                          st.lists(st.sampled_from(WORD_PIECES), max_size=30),
                          st.lists(st.sampled_from(WORD_PIECES), max_size=4),
                          st.sampled_from(["", " "])),
                min_size=1, max_size=25))
def test_the_index_is_pagefinds_for_words_of_every_kind(tmp_path_factory, pages):
    folder = tmp_path_factory.mktemp("kinds")
    records = [search.SearchRecord(url=f"news/2009/{n:04d}/", title=joiner.join(title), kind="新闻", date=dt.date(2009, 1, 1 + n % 28),
                                   text=joiner.join(text), facts="、".join(facts), series="城建情况" if n % 3 == 0 else "")
               for n, (title, text, facts, joiner) in enumerate(pages)]
    # Pagefind refuses a site with no word to index (only marks such as ℃): nothing to compare then.
    assume(any(forms(word) for record in records for words, *_ in writer.blocks_of(record) for word in words))
    assert_same_index(our_bundle(records, folder / "ours"), pagefind_bundle(records, folder / "pagefind"), records)


def test_the_previews_index_helper_yields_the_cpu_to_the_pages(tmp_path):
    # On two cores the preview's refresh of the index would slow the page a reader waits for (make serve).
    for background, niceness in ((True, 10), (False, os.getpriority(os.PRIO_PROCESS, 0))):
        indexer = search.Indexer(sample_records(), tmp_path / str(background), background=background)
        try:
            assert os.getpriority(os.PRIO_PROCESS, indexer.process.pid) == niceness
        finally:
            indexer.cancel()


def test_the_chunk_size_changes_only_how_words_are_grouped(tmp_path):
    # The site cuts its index into smaller chunks than Pagefind (less of other words in a query's download).
    records = sample_records()
    site, pagefind_sized = (bundle_content(our_bundle(records, tmp_path / name, size))
                            for name, size in (("site", writer.CHUNK_LOCS), ("pagefind", writer.PAGEFIND_CHUNK_LOCS)))
    assert writer.CHUNK_LOCS < writer.PAGEFIND_CHUNK_LOCS and len(site["chunks"]) > len(pagefind_sized["chunks"])
    assert site["words"] == pagefind_sized["words"] and site["pages"] == pagefind_sized["pages"]


def test_an_index_whose_chinese_is_not_cut_fails_the_check(tmp_path, monkeypatch):
    # Two broken indexes of the sample: Pagefind's own, with its Chinese segmentation (jieba) instead of
    # the site's cutting, and the site's writer given whole sentences. The check finds both, in Chinese.
    records = sample_records()
    check_segmented(our_bundle(records, tmp_path / "ours"), records)  # the site's own passes
    segmented = pagefind_bundle(records, tmp_path / "jieba", "--force-language", "zh")
    with pytest.raises(search.SearchIndexError, match="搜索索引检查失败：中文没有按词切分"):
        check_segmented(segmented, records)
    monkeypatch.setattr(writer, "cut_shown", lambda text: (text.split(), text.split(), list(range(len(text.split())))))
    with pytest.raises(search.SearchIndexError, match="索引里却有整句"):
        check_segmented(our_bundle(records, tmp_path / "uncut"), records)


def test_excerpt_files_are_named_by_all_of_them_and_their_number(tmp_path):
    def names(folder: Path, texts: list[bytes]) -> list[str]:
        fragments = writer.Fragments(folder, "und")
        for text in texts:
            fragments.add(text)
        return fragments.names()

    first = names(tmp_path / "a", [b'{"url":"/a/"}', b'{"url":"/b/"}', b'{"url":"/c/"}'])
    assert [n.rsplit("_", 1)[1] for n in first] == ["0", "1", "2"] and len({n.rsplit("_", 1)[0] for n in first}) == 1
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == sorted(f"{n}.pf_fragment" for n in first)  # no .tmp left
    assert writer.decode(tmp_path / "a" / f"{first[1]}.pf_fragment") == {"url": "/b/"}
    assert names(tmp_path / "b", [b'{"url":"/a/"}', b'{"url":"/b/"}', b'{"url":"/c/"}']) == first  # same content, same names
    changed = names(tmp_path / "c", [b'{"url":"/a/"}', b'{"url":"/B/"}', b'{"url":"/c/"}'])
    assert not set(changed) & set(first)  # one changed: every name changes, so none stands for other content


def test_common_bigrams_are_the_large_chinese_ones():
    sizes = {"工作": (40_000, 53_000), "建设": (32_000, 20_480), "ab": (90_000, 9), "工": (90_000, 9), "1号": (90_000, 9)}
    assert writer.common_bigrams(sizes) == [("工作", 52), ("建设", 20)]  # what a query of each downloads, in KB
    many = {chr(0x4E00 + n) + "一": (40_000 + n, 50_000) for n in range(writer.COMMON_MOST + 5)}
    kept = [word for word, _ in writer.common_bigrams(many)]
    assert len(kept) == writer.COMMON_MOST and chr(0x4E00) + "一" not in kept  # the largest are kept
    assert kept == sorted(kept)


def test_the_index_tells_search_json_its_common_bigrams(tmp_path):
    """What a large site's search.json lists, made small: one bigram on many pages, many times each."""
    records = [search.SearchRecord(url=f"news/{n}/", title=f"第{n}号", kind="新闻", date=dt.date(2009, 1, 1),
                                   text="工作" * 10_000 + "。abab" * 100 + "井盖") for n in range(4)]
    indexer = search.Indexer(records, tmp_path / "site")
    indexer.finish()
    settings = json.loads((tmp_path / "site" / search.SETTINGS_FILE).read_text(encoding="utf-8"))
    listed = dict(entry.split(":") for entry in settings["common"].split())
    assert {"工作", "作工"} <= set(listed) and "井盖" not in listed and "abab" not in listed
    chunk = max(p.stat().st_size for p in (tmp_path / "site" / search.OUTPUT_DIR / "index").glob("*.pf_index"))
    assert int(listed["工作"]) == -(-chunk // 1024)  # the chunk it is in: here the largest, both bigrams
    assert settings["pairs"] == ""  # a search.js from before fold.json, still in a browser's cache, searches unfolded


def test_a_site_with_nothing_to_search_still_builds(tmp_path):
    site = build_ok(write_docs(tmp_path / "docs", {}), tmp_path / "site")
    settings = json.loads((site / search.SETTINGS_FILE).read_text(encoding="utf-8"))
    assert settings["records"] == 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_builds_the_index_too():
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--no-livereload", "-a", f"127.0.0.1:{port}"],
                              cwd=ROOT, env=sample_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/pagefind/search.json", timeout=5) as response:
                    settings = json.loads(response.read().decode("utf-8"))
                break
            except (urllib.error.URLError, OSError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/pagefind/pagefind-entry.json", timeout=5) as response:
            entry = json.loads(response.read().decode("utf-8"))
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert settings["gram"] == search.GRAM
    assert entry["languages"][search.INDEX_LANGUAGE]["page_count"] > 0


# ---------------------------------------------------------------------------
# At scale: 10,000 titles that share a prefix.

def test_ten_thousand_titles_with_one_prefix_index_and_are_found(tmp_path, browser, site_config):
    """城建动态第1号 … 第10000号: the index check passes, and a reader finds them by any part."""
    docs = write_docs(tmp_path / "docs", {"news/2009/0101-a.md": "---\ntitle: 城建动态第0号\ndate: 2009-01-01\n---\n\n正文。\n"})
    site = build_ok(docs, tmp_path / "site")
    records = [search.SearchRecord(url=f"news/x/{n}/", title=f"城建动态第{n}号", kind="新闻", date=dt.date(2009, 1, 1))
               for n in range(1, 10_001)]
    search.Indexer(records, site).finish()  # raises SearchIndexError when the check fails
    with served(site) as origin:
        page = browser.new_page()
        page.goto(f"{origin}/")
        open_search(page)
        for query, wanted in (("城建动态第1234号", "城建动态第1234号"), ("第4321号", "城建动态第4321号"),
                              ("建动态第9", "城建动态第9号")):
            titles = [r["title"] for r in ask(page, query)][:5]
            assert wanted in titles, (query, titles)
        page.close()
