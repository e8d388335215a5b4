"""The published site is safe by construction: hostile content shows as text, nothing unsafe or unknown is published,
and the checker refuses exactly what the build refuses."""

from __future__ import annotations

import re
import subprocess
import sys
from urllib.parse import urlsplit

import pytest

from conftest import ROOT, build, build_ok, page, run_env, served, write_docs
from hostile import DISTRIBUTION, TITLES, write_hostile_site
from problem_corpus import CASES, PNG, write_case_files

_REPORTED = re.compile(r"(\S+):(\d+): (错误|警告)\[([a-z0-9-]+)\]")


def reported(text: str) -> set[tuple[str, int, str, str]]:
    return {(m[1], int(m[2]), m[3], m[4]) for m in _REPORTED.finditer(text)}


@pytest.fixture(scope="module")
def problem_docs(tmp_path_factory):
    return write_case_files(tmp_path_factory.mktemp("corpus") / "docs", CASES)


@pytest.mark.build
def test_checker_and_build_report_the_same_problems_for_every_file(problem_docs, tmp_path):
    checked = subprocess.run([sys.executable, str(ROOT / "scripts/check.py"), "--docs", str(problem_docs)], cwd=ROOT,
                             env=run_env(), capture_output=True, text=True, encoding="utf-8", timeout=300)
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")], cwd=ROOT,
                           env=run_env(PUBLICITY_DOCS=str(problem_docs)), capture_output=True, text=True, timeout=300)
    assert checked.returncode == 1 and built.returncode != 0
    assert "Traceback" not in checked.stderr + built.stderr
    by_checker, by_build = reported(checked.stdout), reported(built.stderr)
    assert len(by_checker) >= len([c for c in CASES if c.code])
    assert by_checker == by_build
    assert not (tmp_path / "site" / "news").exists()  # nothing of a refused content folder is published


def test_what_the_sanitiser_would_remove_is_what_the_checker_reports():
    """One implementation: a body the inspection finds nothing in comes out of the cleaner unchanged."""
    from publicity.render import Renderer

    renderer = Renderer()
    for case in CASES:
        if case.path.endswith(".md") and isinstance(case.content, str) and "---\n\n" in case.content:
            rendered = renderer.render(case.content.split("---\n\n", 1)[1], case.path)
            unsafe = case.code in ("html-tag", "html-attribute", "unsafe-link", "external-image")
            assert bool(rendered.findings) == unsafe, case.path
            for needle in ("<script", "onerror", "onclick", "javascript:", "<base", "<meta", "<style", "<form", "evil.example"):
                assert needle not in rendered.html, (case.path, needle)


# ---- hostile text ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    docs = write_hostile_site(tmp_path_factory.mktemp("hostile") / "docs")
    return build_ok(docs, docs.parent / "site")


def _pages(site):
    return [p for p in site.rglob("*.html") if "pagefind" not in p.parts]


@pytest.mark.build
def test_titles_are_printed_as_text_everywhere(hostile_site, site_config):
    item = page(hostile_site, "news/2009/0512-hostile/")
    assert item.h1.get_text() == TITLES[0]
    assert item.title.get_text() == f"{TITLES[0]} - {site_config.office.name}"
    og = {m["property"]: m["content"] for m in item.select("meta[property]")}
    assert og["og:title"] == TITLES[0] and og["og:description"] == '开展"我为群众办实事"活动'
    assert item.select_one('meta[name="description"]')["content"] == '开展"我为群众办实事"活动'
    # A heading's text in the page and in Material's table of contents, escaped once, not twice.
    heading = "井盖 & 路灯 & <b> 维修, 计划:一"
    assert heading in [h.get_text(strip=True) for h in item.select(".md-content h2")]
    assert item.select_one(".md-nav--secondary .md-nav__link").get_text(strip=True) == heading
    # The quotes cut nothing: every stylesheet is still in <head>.
    assert all(link.find_parent("head") for link in item.select('link[rel="stylesheet"]'))
    for url, title in (("", TITLES[0]), ("news/", TITLES[0]), ("news/archive/2009/", TITLES[2]),
                       ("news/2009/0513-quoted/", TITLES[0]), ("newsletters/chengjian/2009-01/", TITLES[3]),
                       ("rules/", TITLES[4])):
        text = page(hostile_site, url).get_text()
        assert title in text, (url, title)
    # The print-only distribution block of an issue, as text too.
    assert page(hostile_site, "newsletters/chengjian/2009-01/").select_one(".pub-distribution").get_text("", strip=True) == DISTRIBUTION


@pytest.mark.build
def test_page_tags_and_the_catalogue_print_content_as_text(hostile_site):
    """The 网页标签 carry hostile values as written (attribute-escaped), and so does the disclosure catalogue."""
    from hostile import ATTRIBUTE, QUOTED, TITLE

    item = page(hostile_site, "news/2009/0512-hostile/")
    found = {m["name"]: m["content"] for m in item.select("head meta[name]")}
    assert found["ArticleTitle"] == TITLE and found["Description"] == QUOTED
    assert found["Author"] == "<b onmouseover=alert(document.domain)>王小燕</b>"
    assert found["Keywords"].startswith("<script>alert(document.domain)</script>,")
    rule = {m["name"]: m["content"] for m in page(hostile_site, "rules/hostile/").select("head meta[name]")}
    assert rule["ContentSource"] == "<script>alert(document.domain)</script>"  # the issuer, as written
    row = page(hostile_site, "disclosure/").select_one(".pub-catalogue__table tbody tr")
    assert row.select("td")[0].get_text() == ATTRIBUTE and row.a.get_text() == f"{TITLE}制度"
    assert not row.select("i, script, svg")


@pytest.mark.build
def test_no_page_carries_markup_from_content(hostile_site):
    for path in _pages(hostile_site):
        soup = page(hostile_site, path.relative_to(hostile_site).as_posix())
        for element in soup.find_all(True):
            handlers = [a for a in element.attrs if a.lower().startswith("on")]
            assert not handlers, (path, element.name, handlers)
            for attr in ("href", "src", "action"):
                assert not str(element.get(attr, "")).lower().strip().startswith(("javascript:", "data:", "vbscript:")), path
        assert not soup.select("form[action], base, iframe, svg script"), path
        scripts = [s.get_text() for s in soup.find_all("script") if not s.get("src")]
        assert not any("alert(" in s for s in scripts), path


@pytest.mark.build
def test_feeds_are_valid_xml_with_titles_as_text(hostile_site):
    import xml.etree.ElementTree as ET

    for feed in (hostile_site / "feeds").glob("*.xml"):
        tree = ET.parse(feed)
        titles = [t.text for t in tree.iter("title")]
        if feed.name == "news.xml":
            assert TITLES[0] in titles and TITLES[1] in titles


# ---- files: only what the model knows ------------------------------------------------------------------------

ITEM = "---\ntitle: {title}\ndate: {date}\n{extra}---\n\n{body}\n"


@pytest.mark.build
def test_drafts_and_scheduled_items_keep_their_files_to_themselves(tmp_path):
    docs = write_docs(tmp_path / "docs", {
        "news/2009/0101-public.md": ITEM.format(title="公开", date="2009-01-01", extra="",
                                                body="![共用](images/shared.png)\n\n[公开附件](files/public.pdf)"),
        "news/2009/0102-draft.md": ITEM.format(title="草稿", date="2009-01-02", extra="draft: true\n",
                                               body="![草稿照片](images/draft-only.png)\n\n![共用](images/shared.png)\n\n"
                                                    "[草稿附件](files/draft.pdf)"),
        "news/2031/0101-later.md": ITEM.format(title="未来", date="2031-01-01", extra="",
                                               body="![未来照片](images/later.png)"),
        "news/2009/images/shared.png": PNG, "news/2009/images/draft-only.png": PNG, "news/2031/images/later.png": PNG,
        "news/2009/files/public.pdf": b"%PDF-1.4\n", "news/2009/files/draft.pdf": b"%PDF-1.4\n",
    })
    site = build_ok(docs, tmp_path / "site")
    published = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert "news/2009/images/shared.png" in published and "news/2009/files/public.pdf" in published
    leaked = [p for p in published if "draft" in p or "later" in p]
    assert not leaked, leaked
    preview = build_ok(docs, tmp_path / "preview", preview=True)
    assert (preview / "news/2009/images/draft-only.png").is_file()  # staff still see them in the preview


@pytest.mark.build
def test_a_symlink_publishes_nothing(tmp_path):
    secret = tmp_path / "secret"
    write_docs(secret, {"news/2009/0101-draft.md": ITEM.format(title="草稿", date="2009-01-01", extra="draft: true\n", body="x")})
    docs = write_docs(tmp_path / "docs", {"news/2009/0101-a.md": ITEM.format(title="正文", date="2009-01-01", extra="",
                                                                               body="[附件](files/x.pdf)")})
    (docs / "news/2009/files").mkdir()
    (docs / "news/2009/files/x.pdf").symlink_to("/etc/passwd")
    (docs / "news/2010").symlink_to(secret / "docs/news/2009")
    result = build(docs, tmp_path / "site")
    assert result.returncode != 0
    assert "错误[symlink]" in result.stderr and result.stderr.count("错误[symlink]") == 2
    assert not (tmp_path / "site" / "news").exists()


# ---- in the browser ------------------------------------------------------------------------------------------------

@pytest.mark.browser
def test_hostile_pages_stay_inert_in_chromium(hostile_site, browser):
    urls = ["", "news/", "news/archive/2009/", "news/2009/0512-hostile/", "news/2009/0513-quoted/",
            "news/2009/0511-template/", "newsletters/", "newsletters/chengjian/", "newsletters/chengjian/2009-01/",
            "rules/", "rules/hostile/", "stats/"]
    with served(hostile_site) as origin:
        context = browser.new_context()
        dialogs, foreign = [], []
        context.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

        def guard(route):
            host = urlsplit(route.request.url).netloc
            if host != urlsplit(origin).netloc:
                foreign.append(route.request.url)
                return route.abort()
            return route.continue_()

        context.route("**/*", guard)
        tab = context.new_page()
        for url in urls:
            tab.goto(f"{origin}/{url}", wait_until="networkidle")
            inline = tab.evaluate("""() => [...document.querySelectorAll('.md-content *')].flatMap(e =>
                [...e.attributes].filter(a => a.name.startsWith('on') || /^\\s*javascript:/i.test(a.value)).map(a => e.tagName + ' ' + a.name))""")
            assert not inline, (url, inline)
        tab.goto(f"{origin}/news/2009/0512-hostile/", wait_until="networkidle")
        assert tab.locator("h1").first.inner_text() == TITLES[0]
        # The search shows the titles as text too.
        tab.locator(".md-search__input").fill("新规")
        tab.wait_for_selector(".md-search-result__item")
        shown = tab.locator(".md-search-result__item h1").all_inner_texts()
        assert TITLES[0] in shown and any(t.startswith(TITLES[0]) for t in shown)
        tab.locator(".md-search__input").fill("活动")
        tab.wait_for_function("() => [...document.querySelectorAll('.md-search-result__item h1')]"
                              ".some(h => h.textContent.includes('我为群众办实事'))")
        context.close()
    assert not dialogs, dialogs
    assert not foreign, foreign
