"""What a public office's site carries: feeds, sitemap, sharing tags, QR codes, footer, rule disclosure."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime

import pytest

from publicity.model import Kind
from publicity.project import load_site_config

from conftest import AS_OF_DATE, DOCS, ROOT, build_ok, page

pytestmark = pytest.mark.build
SITE_URL = load_site_config(ROOT).site_url  # publicity.yml: the address every build of the sample writes


def feed_items(site, path):
    root = ET.parse(site / path).getroot()  # parses: the feed is well-formed XML
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    return channel, channel.findall("item")


@pytest.mark.parametrize("path, kind, series", [
    ("feeds/news.xml", Kind.NEWS, None), ("feeds/rules.xml", Kind.RULE, None),
    ("feeds/chengjian.xml", Kind.NEWSLETTER, "城建情况"), ("feeds/shashi-chengguan.xml", Kind.NEWSLETTER, "沙市城管"),
])
def test_feeds_hold_the_published_items_newest_first(sample_site, sample, path, kind, series):
    channel, items = feed_items(sample_site, path)
    expected = [i for i in sample.of_kind(kind) if i.is_published(AS_OF_DATE) and (series is None or i.series.name == series)]
    expected.sort(key=lambda i: (i.date, i.src_path), reverse=True)
    assert [e.findtext("title") for e in items] == [i.title for i in expected[:50]]
    for element, item in zip(items, expected):
        assert element.findtext("link") == SITE_URL + item.url
        assert element.findtext("guid") == SITE_URL + item.url  # stable: the address
        assert parsedate_to_datetime(element.findtext("pubDate")).date() == item.date
    assert channel.findtext("link").startswith(SITE_URL)
    held = [i.title for i in sample.items if not i.is_published(AS_OF_DATE)]
    assert not set(held) & {e.findtext("title") for e in items}


def test_feeds_are_listed_in_the_head_and_linked_from_listings(sample_site):
    head = page(sample_site, "")
    assert len(head.select('link[rel~=alternate][type="application/rss+xml"]')) == 4
    for listing, feed in (("news/", "feeds/news.xml"), ("rules/", "feeds/rules.xml"),
                          ("newsletters/chengjian/", "feeds/chengjian.xml")):
        link = page(sample_site, listing).select_one(".pub-feed a")
        assert link is not None and link["href"].endswith(feed)


def test_sitemap_lists_items_with_their_own_dates(sample_site, sample):
    root = ET.parse(sample_site / "sitemap.xml").getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    entries = {u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns) for u in root.findall("s:url", ns)}
    for item in sample.items:
        if item.is_published(AS_OF_DATE):
            assert entries[SITE_URL + item.url] == item.date.isoformat()
        else:
            assert SITE_URL + item.url not in entries


def test_item_pages_carry_description_open_graph_and_a_qr_code(sample_site, sample):
    item = next(i for i in sample.of_kind(Kind.NEWS) if i.cover and i.is_published(AS_OF_DATE))
    soup = page(sample_site, item.url)
    meta = {m.get("property") or m.get("name"): m.get("content") for m in soup.find_all("meta")}
    assert meta["description"] == (item.summary or item.title)
    assert meta["og:title"] == item.title and meta["og:url"] == SITE_URL + item.url
    assert meta["og:image"] == SITE_URL + item.cover
    assert meta["renderer"] == "webkit"
    qr = soup.select_one(".pub-share svg")
    assert qr is not None and qr.title.get_text() == "本页二维码" and len(qr.select("path")) == 1
    assert qr["role"] == "img" and qr["aria-label"] == "本页二维码"


def test_qr_code_decodes_to_the_address(sample):
    """Draw the SVG's runs as a scanner would see them, and read the code back."""
    import re

    import zxingcpp
    from PIL import Image, ImageDraw

    from publicity.sharing import qr_svg

    url = SITE_URL + next(i for i in sample.items if i.kind.value == "news" and i.is_published(AS_OF_DATE)).url
    svg = qr_svg(url)
    size = int(re.search(r'viewBox="-4 -4 (\d+)', svg).group(1))
    scale = 8
    image = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(image)
    for x, y, n in re.findall(r"M(\d+) (\d+)\.5h(\d+)", svg):
        x, y, n = int(x) + 4, int(y) + 4, int(n)
        draw.rectangle([x * scale, y * scale, (x + n) * scale - 1, (y + 1) * scale - 1], fill=0)
    (found,) = zxingcpp.read_barcodes(image)
    assert found.text == url
    assert len(svg) < 4000


def test_footer_shows_what_is_configured(sample_site, sample_config):
    office = sample_config.office
    footer = page(sample_site, "").select_one("footer.pub-footer")
    text = footer.get_text(" ", strip=True)
    for value in (office.organizer, office.operator, office.address, office.phone, office.site_code, office.icp,
                  office.police_record):
        assert value and value in text
    links = {a.get_text(strip=True) or a.img["alt"]: a["href"] for a in footer.find_all("a")}
    assert links[office.icp] == "https://beian.miit.gov.cn/"
    assert links[office.police_record].endswith("recordcode=42100202000000")
    assert links["我为政府网站找错"].endswith(f"site_code={office.site_code}")
    assert "党政机关网站标识" not in links  # gov_mark_url is not set in the sample configuration
    for img in footer.find_all("img"):
        assert "//" not in img["src"]  # the marks are the site's own static images, not the official embeds


def test_footer_hides_what_is_not_configured(tmp_path):
    import yaml

    data = yaml.safe_load((ROOT / "publicity.yml").read_text(encoding="utf-8"))
    data["office"] = {"name": "某某局"}  # the registries stay; only the office's details go
    config = tmp_path / "publicity.yml"
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    site = build_ok(DOCS, tmp_path / "site", PUBLICITY_CONFIG=str(config), strict=False)
    text = page(site, "").select_one("footer.pub-footer").get_text(" ", strip=True)
    assert "主办单位：某某局" in text
    for label in ("承办单位", "网站标识码", "ICP", "公网安备", "电话"):
        assert label not in text


def test_rule_pages_carry_the_disclosure_block(sample_site, sample):
    rule = next(r for r in sample.of_kind(Kind.RULE) if r.index_number and r.doc_number)
    rows = {tr.th.get_text(): tr.td.get_text(" ", strip=True) for tr in page(sample_site, rule.url).select(".pub-facts tr")}
    assert list(rows)[:7] == ["索引号", "发文机关", "主题分类", "成文日期", "发文字号", "发布日期", "施行日期"]
    assert rows["索引号"] == rule.index_number and rows["发文字号"] == rule.doc_number
    assert rows["成文日期"] == f"{rule.date.year}年{rule.date.month}月{rule.date.day}日"
    assert rule.status in rows["效力状态"]
