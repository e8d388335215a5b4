"""The built site, read as HTML: listings, drafts, item pages, determinism, failures."""

from __future__ import annotations

import gzip
import shutil
import subprocess
import sys

import pytest

from publicity.generate import CorpusSpec, generate, sample_pool
from publicity.model import Kind, State

from conftest import AS_OF, AS_OF_DATE, DOCS, ROOT, build, build_ok, listed, newest_first, page, sample_env, tree_digest

pytestmark = pytest.mark.build


def news_listing_titles(site):
    titles, url = [], "news/"
    while url:
        soup = page(site, url)
        titles += listed(soup)
        older = soup.select_one(".pub-pages a[rel=next]")
        url = (url + older["href"]).replace("/./", "/") if older else None
        if url:
            url = str((site / url).resolve().relative_to(site.resolve())) + "/"
    return titles


def test_news_listing_holds_exactly_the_published_items_newest_first(sample_site, sample):
    published = [i for i in sample.of_kind(Kind.NEWS) if i.is_published(AS_OF_DATE)]
    assert news_listing_titles(sample_site) == [i.title for i in newest_first(published)]
    assert len(page(sample_site, "news/").select(".pub-entry")) == 20  # the configured page size


def test_unpublished_items_are_absent_from_the_build(sample_site, sample):
    held = sample.held_back(AS_OF_DATE)
    assert held[State.DRAFT] and held[State.SCHEDULED], "the sample must hold a draft and a future item"
    every_page = "\n".join(p.read_text(encoding="utf-8") for p in sample_site.rglob("*.html"))
    for item in held[State.DRAFT] + held[State.SCHEDULED]:
        assert not (sample_site / item.url).exists(), item.src_path
        assert item.title not in every_page, item.title


def test_build_log_says_what_was_held_back(tmp_path, sample):
    # INFO level, so that a --strict build still passes.
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
                            cwd=ROOT, env=sample_env(), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    held = sample.held_back(AS_OF_DATE)
    assert f"草稿 {len(held[State.DRAFT])} 篇、待发布 {len(held[State.SCHEDULED])} 篇未生成" in result.stderr


def test_preview_shows_unpublished_items_marked(preview_site, sample):
    held = sample.held_back(AS_OF_DATE)
    for state, label in ((State.DRAFT, "草稿"), (State.SCHEDULED, "待发布")):
        for item in held[state]:
            banner = page(preview_site, item.url).select_one(".pub-banner")
            assert banner is not None and label in banner.get_text(), item.src_path
    titles = news_listing_titles(preview_site)
    assert all(i.title in titles for i in held[State.DRAFT] + held[State.SCHEDULED] if i.kind is Kind.NEWS)


def test_item_page_shows_its_facts(sample_site, sample):
    news = next(i for i in newest_first(sample.of_kind(Kind.NEWS)) if i.is_published(AS_OF_DATE) and len(i.placements) > 1)
    soup = page(sample_site, news.url)
    assert soup.h1.get_text(strip=True) == news.title
    meta = soup.select_one(".pub-meta").get_text()
    assert f"{news.date.year}年{news.date.month}月{news.date.day}日" in meta and news.department in meta
    outlets = soup.select_one(".pub-outlets").get_text()
    for p in news.placements:
        assert p.outlet.name in outlets and p.outlet.level in outlets
    crumbs = [a.get_text(strip=True) for a in soup.select(".pub-breadcrumbs a")]
    assert crumbs == ["首页", "新闻动态"]


def test_previous_and_next_follow_the_listing(sample_site, sample):
    news = newest_first([i for i in sample.of_kind(Kind.NEWS) if i.is_published(AS_OF_DATE)])
    middle = news[5]
    soup = page(sample_site, middle.url)
    assert soup.select_one("a[rel=prev]").get_text() == "上一篇" + news[4].title
    assert soup.select_one("a[rel=next]").get_text() == "下一篇" + news[6].title
    assert page(sample_site, news[0].url).select_one(".pub-pager a[rel=prev]") is None


def test_newsletter_pages(sample_site, sample, site_config):
    for series in site_config.series:
        issues = [i for i in sample.of_kind(Kind.NEWSLETTER) if i.series == series and i.is_published(AS_OF_DATE)]
        soup = page(sample_site, f"newsletters/{series.slug}/")
        headings = [h.get_text(strip=True) for h in soup.select("article h2")]
        assert headings == [f"{y}年" for y in sorted({i.date.year for i in issues}, reverse=True)]
        assert len(soup.select(".pub-entry")) == len(issues)
    with_pdf = next(i for i in sample.of_kind(Kind.NEWSLETTER) if i.attachment)
    soup = page(sample_site, with_pdf.url)
    assert with_pdf.number_label in soup.select_one(".pub-meta").get_text()
    link = soup.select_one(".pub-attachment a")
    assert (sample_site / with_pdf.url / link["href"]).resolve().is_file()


def test_rules_listing_marks_status_and_successor(sample_site, sample):
    soup = page(sample_site, "rules/")
    rules = sample.of_kind(Kind.RULE)
    assert len(soup.select(".pub-entry")) == len([r for r in rules if r.is_published(AS_OF_DATE)])
    assert [h.get_text() for h in soup.select("article h2")] == sorted({r.category for r in rules})
    amended = next(r for r in rules if r.superseded_by)
    entry = next(li for li in soup.select(".pub-entry") if li.a.get_text() == amended.title)
    assert amended.status in entry.get_text()
    notice = page(sample_site, amended.url).select_one(".pub-notice")
    assert sample.by_path[amended.superseded_by].title in notice.get_text()
    facts = page(sample_site, amended.url).select_one(".pub-facts").get_text()
    for label in ("发文机关", "成文日期", "效力状态"):
        assert label in facts


def test_home_page(sample_site, sample, site_config):
    soup = page(sample_site, "")
    published = newest_first([i for i in sample.of_kind(Kind.NEWS) if i.is_published(AS_OF_DATE)])
    assert listed(soup.select_one(".pub-home__news"))[:3] == [i.title for i in published[:3]]
    issues_text = soup.select_one(".pub-home__issues").get_text()
    assert all(s.display in issues_text for s in site_config.series)
    figures = soup.select_one(".pub-figures").get_text()
    assert f"{len(published)} 篇" in figures


def test_404_page(sample_site):
    assert "页面不存在" in (sample_site / "404.html").read_text(encoding="utf-8")


def test_nothing_is_loaded_from_another_host(sample_site):
    for html in sample_site.rglob("*.html"):
        soup = page(sample_site, str(html.relative_to(sample_site)))
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
            for el in soup.find_all(tag):
                ref = el.get(attr) or ""
                if tag == "link" and "stylesheet" not in (el.get("rel") or []) and "icon" not in (el.get("rel") or []):
                    continue
                assert "//" not in ref, f"{html}: {el}"


def test_two_builds_give_identical_bytes(sample_site, tmp_path):
    # The second build pretends to run on another day (MkDocs reads SOURCE_DATE_EPOCH as the build time).
    again = build_ok(DOCS, tmp_path / "again", SOURCE_DATE_EPOCH="86400")
    assert tree_digest(again) == tree_digest(sample_site)


def test_sitemap_dates_are_the_items_own(sample_site, sample):
    sitemap = (sample_site / "sitemap.xml").read_text(encoding="utf-8")
    item = next(i for i in sample.of_kind(Kind.RULE) if i.is_published(AS_OF_DATE))
    assert f"{item.url}</loc>\n         <lastmod>{item.date.isoformat()}</lastmod>" in sitemap
    assert AS_OF not in sitemap


def test_a_malformed_file_fails_the_build_in_chinese(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    bad = docs / "news" / "2009" / "0512-broken.md"
    bad.write_text("---\ntitle: 坏文件\ndate: 2009.5.12\noutlets: [荆洲日报]\n---\n正文\n", encoding="utf-8")
    result = build(docs, tmp_path / "site")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "news/2009/0512-broken.md:3: 错误[date-format]" in result.stderr
    assert "请写成 2009-05-12" in result.stderr
    assert "news/2009/0512-broken.md:4: 错误[unknown-outlet]" in result.stderr  # every problem, not the first
    assert not (tmp_path / "site" / "index.html").exists()


def corpus(tmp_path, name, site_config, news):
    docs = tmp_path / name
    generate(docs, CorpusSpec(news=news, issues=10, rules=5, seed=7), site_config, sample_pool(DOCS, site_config), DOCS)
    # The same item planted in both corpora, so its page can be compared.
    (docs / "news" / "2008" / "0601-planted.md").write_text(
        "---\ntitle: 对照新闻\ndate: 2008-06-01\ndepartment: 办公室\noutlets: [荆州日报]\n---\n\n对照正文。\n", encoding="utf-8")
    return build_ok(docs, tmp_path / f"{name}-site")


def test_item_page_size_does_not_grow_with_the_corpus(tmp_path, site_config):
    small = corpus(tmp_path, "small", site_config, 60)
    large = corpus(tmp_path, "large", site_config, 600)
    url = "news/2008/0601-planted/index.html"
    small_size, large_size = ((s / url).stat().st_size for s in (small, large))
    assert abs(large_size - small_size) < 0.05 * small_size, (small_size, large_size)
    item_pages = [p for p in (large / "news").glob("[0-9]*/*/index.html")]
    assert len(item_pages) == 601
    assert max(p.stat().st_size for p in item_pages) < 60_000
    assert len(news_listing_titles(large)) == 601


def test_properdocs_builds_the_same_pages(sample_site, tmp_path):
    """ProperDocs, MkDocs' maintained fork, builds the same files, byte for byte but for the generator tag."""
    site = tmp_path / "properdocs"
    result = subprocess.run([sys.executable, "-m", "properdocs", "build", "-f", "mkdocs.yml", "--strict", "-q", "-d", str(site)],
                            cwd=ROOT, env=sample_env(PUBLICITY_DOCS=str(DOCS)), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    files = sorted(p.relative_to(sample_site) for p in sample_site.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    generator = '<meta name="generator" content="{}, Material for MkDocs">'
    for rel in files:
        ours, theirs = (sample_site / rel).read_bytes(), (site / rel).read_bytes()
        if rel.suffix == ".gz":  # the server's precompressed copy of a page: compared as the page
            ours, theirs, rel = gzip.decompress(ours), gzip.decompress(theirs), rel.with_suffix("")
        if rel.suffix == ".html":
            assert generator.format("MkDocs").encode() in ours and generator.format("ProperDocs").encode() in theirs
            theirs = theirs.replace(generator.format("ProperDocs").encode(), generator.format("MkDocs").encode())
        assert ours == theirs, rel
