"""What a district government site is judged on: page tags (网页标签), the disclosure catalogue and guide.

The built sample is read as HTML; the tags' values are derived from the content model and publicity.yml.
"""

from __future__ import annotations

import dataclasses
from urllib.parse import urlsplit

import pytest

from publicity.config import ColumnTypes
from publicity.model import Kind, Rule
from publicity.site_plan import plan_site

from conftest import AS_OF_DATE, page, published, write_docs

SITE = ("SiteName", "SiteDomain", "SiteIDCode")
COLUMN = ("ColumnName", "ColumnDescription", "ColumnKeywords", "ColumnType")
ARTICLE = ("ArticleTitle", "PubDate", "ContentSource")


def tags(soup) -> dict[str, str]:
    """The page tags of a page: <meta name> starting with a capital letter (the others are HTML's own)."""
    found = [(m["name"], m["content"]) for m in soup.select("head meta[name]") if m["name"][:1].isupper()]
    names = [name for name, _ in found]
    assert len(names) == len(set(names)), names  # each once
    return dict(found)


@pytest.mark.build
@pytest.mark.parametrize("kind", ["home", "news-listing", "news-listing-page-2", "archive", "news-item-with-cover",
                                  "newsletter-overview", "series", "issue-with-pdf", "rules-listing", "rule-item", "stats",
                                  "disclosure-catalogue", "disclosure-guide", "not-found"])
def test_every_page_carries_the_site_tags(sample_site, sample_urls, sample_config, kind):
    found = tags(page(sample_site, sample_urls[kind]))
    assert found["SiteName"] == sample_config.office.name
    assert found["SiteDomain"] == urlsplit(sample_config.site_url).hostname == "jsj.shashi.example"
    assert found["SiteIDCode"] == sample_config.office.site_code
    has_column = kind not in ("home", "not-found")
    assert all((name in found) == has_column for name in COLUMN), (kind, found)
    is_item = kind in ("news-item-with-cover", "issue-with-pdf", "rule-item")
    assert all((name in found) == is_item for name in ARTICLE), kind


@pytest.mark.build
@pytest.mark.parametrize("kind, name, column_type", [
    ("news-listing", "新闻动态", "新闻"), ("news-listing-page-2", "新闻动态", "新闻"), ("archive", "新闻动态", "新闻"),
    ("newsletter-overview", "工作简报", "简报"), ("series", "《城建情况》", "简报"), ("rules-listing", "规章制度", "政策文件"),
    ("stats", "公开统计", "统计"), ("disclosure-catalogue", "政府信息公开", "信息公开")])
def test_column_pages_name_their_column(sample_site, sample_urls, sample, kind, name, column_type):
    found = tags(page(sample_site, sample_urls[kind]))
    assert (found["ColumnName"], found["ColumnType"]) == (name, column_type)
    assert found["ColumnDescription"] and name.strip("《》") in found["ColumnKeywords"]
    if kind == "news-listing":  # the folder's index.md: its first paragraph describes the column
        assert found["ColumnDescription"] == sample.body(next(p for p in sample.pages if p.src_path == "news/index.md")).strip()


@pytest.mark.build
def test_item_pages_carry_the_article_tags(sample_site, sample, sample_config):
    site = sample_config.site_url
    news = next(i for i in published(sample, Kind.NEWS) if i.cover)
    assert news.time is not None  # the sample's news item with a cover gives its time
    found = tags(page(sample_site, news.url))
    assert found["ArticleTitle"] == news.title
    assert found["PubDate"] == f"{news.date.isoformat()} {news.time:%H:%M}"
    assert found["ContentSource"] == news.department and found["Author"] == news.author
    assert found["Description"] == news.summary and found["Keywords"] == ",".join(news.tags)
    assert found["Url"] == site + news.url and found["Image"] == site + news.cover
    assert (found["ColumnName"], found["ColumnType"]) == ("新闻动态", "新闻")
    untimed = next(i for i in published(sample, Kind.NEWS) if i.time is None)
    assert tags(page(sample_site, untimed.url))["PubDate"] == f"{untimed.date.isoformat()} 00:00"
    issue = published(sample, Kind.NEWSLETTER)[0]
    found = tags(page(sample_site, issue.url))
    assert found["PubDate"] == f"{issue.date.isoformat()} 00:00" and found["ColumnName"] == issue.series.display
    assert found["ContentSource"] == issue.series.publisher
    rule = next(r for r in published(sample, Kind.RULE) if r.department)
    found = tags(page(sample_site, rule.url))
    assert found["PubDate"] == f"{rule.publication_date.isoformat()} 00:00" and found["ContentSource"] == rule.department
    assert found["ColumnType"] == "政策文件"


def test_column_types_and_sources_follow_the_configuration(tmp_path, site_config):
    from publicity.checker import examine

    docs = write_docs(tmp_path / "docs", {
        "news/2009/a.md": "---\ntitle: 无科室新闻\ndate: 2009-05-12\n---\n\n正文。\n",
        "rules/a.md": "---\ntitle: 制度\ndate: 2009-01-01\nstatus: 现行有效\nissuer: 某某委员会\n---\n\n第一条\n",
        "news/index.md": "---\ntitle: 工作动态\ndescription: 本局的工作动态\nkeywords: 动态,工作\n---\n\n介绍文字。\n"})
    config = dataclasses.replace(site_config, column_types=ColumnTypes(news="工作动态", rules="规范性文件"), site_url="")
    content = examine(docs, config, tmp_path, AS_OF_DATE).content
    plan = plan_site(content, content.visible(AS_OF_DATE), config, AS_OF_DATE)
    news = dict(plan.page_tags("news/2009/a.md"))
    assert news["ColumnType"] == "工作动态" and news["ColumnName"] == "工作动态"
    assert (news["ColumnDescription"], news["ColumnKeywords"]) == ("本局的工作动态", "动态,工作")  # the index.md's own
    assert news["ContentSource"] == config.office.name  # no department: the office
    assert "Url" not in news and "Author" not in news  # no address configured, no author given
    rule = dict(plan.page_tags("rules/a.md"))
    assert rule["ColumnType"] == "规范性文件" and rule["ContentSource"] == "某某委员会"


@pytest.mark.build
def test_the_catalogue_lists_every_published_rule_and_links_to_it(sample_site, sample_urls, sample):
    soup = page(sample_site, sample_urls["disclosure-catalogue"])
    table = soup.select_one("table.pub-catalogue__table")
    assert [th.get_text(strip=True) for th in table.select("thead th")] == ["索引号", "名称", "发布机构", "生成日期", "文号", "有效性"]
    rules = published(sample, Kind.RULE)
    rows = table.select("tbody tr")
    assert len(rows) == len(rules) == len([r for r in sample.of_kind(Kind.RULE) if r.is_published(AS_OF_DATE)])
    for row, rule in zip(rows, rules):
        cells = [td.get_text(" ", strip=True) for td in row.select("td")]
        assert cells[0] == rule.index_number and cells[1].startswith(rule.title) and rule.summary in cells[1]
        assert cells[2] == rule.issuer and cells[3] == f"{rule.date.year}年{rule.date.month}月{rule.date.day}日"
        assert cells[4] == rule.doc_number and cells[5] == rule.standing(AS_OF_DATE).label
        link = row.select_one("a")["href"]
        assert (sample_site / "disclosure" / link / "index.html").resolve() == (sample_site / rule.url / "index.html").resolve()
    # Reachable from the rules listing and from every page's footer.
    for kind in ("rules-listing", "home", "rule-item"):
        here = sample_site / sample_urls[kind]
        hrefs = [a["href"] for a in page(sample_site, sample_urls[kind]).select(".pub-disclosure-links a, .pub-footer__links a")]
        assert any((here / href).resolve() == (sample_site / "disclosure").resolve() for href in hrefs), (kind, hrefs)
    # The sorting script is an external file of the site's: no inline script, no handler attribute.
    script = soup.select_one('script[src$="sort-table.js"]')
    assert script is not None and (sample_site / "disclosure" / script["src"]).resolve().is_file()


@pytest.mark.build
def test_the_guide_is_written_from_the_office(sample_site, sample_urls, sample_config):
    office = sample_config.office
    soup = page(sample_site, sample_urls["disclosure-guide"])
    assert soup.h1.get_text() == "政府信息公开指南"
    assert [h.get_text() for h in soup.select("article h2")] == ["一、主动公开的信息分类", "二、信息的编排体系", "三、获取信息的方式",
                                                                "四、政府信息公开工作机构"]
    facts = {dt.get_text(): dd.get_text() for dl in soup.select("dl.pub-guide") for dt, dd in zip(dl.select("dt"), dl.select("dd"))}
    assert facts["受理地址"] == office.application_address and facts["办公时间"] == office.hours
    assert facts["传真"] == office.fax and facts["联系电话"] == office.phone and facts["办公地址"] == office.address
    assert "电子邮箱" not in facts  # not set in the sample's configuration: left out
    categories = [a.get_text() for a in soup.select("article ul a")]
    assert categories == ["新闻动态", "工作简报", "规章制度", "政府信息公开目录"]


def test_the_guide_leaves_out_what_is_not_configured(site_config):
    from publicity.disclosure import make_guide

    bare = dataclasses.replace(site_config.office, hours="", fax="", application_address="", email="", phone="")
    guide = make_guide(bare, [("新闻动态", "news/")], "")
    labels = [label for label, _ in guide.obtaining + guide.contact]
    assert "受理地址" not in labels and "办公时间" not in labels and "传真" not in labels and "联系电话" not in labels
    assert "索引号由" not in guide.arrangement  # no pattern configured: nothing said about one
    full = make_guide(dataclasses.replace(bare, fax="0716-1"), [], "{org_code}/{year}-{seq:05d}")
    assert ("传真", "0716-1") in full.contact and "年份和当年序号" in full.arrangement


def test_rules_are_listed_in_the_catalogue_also_in_order(sample):
    """The model's catalogue: every visible rule, newest first (a preview shows drafts too)."""
    from publicity.project import load_site_config

    config = load_site_config()
    plan = plan_site(sample, sample.visible(AS_OF_DATE), config, AS_OF_DATE)
    expected = published(sample, Kind.RULE)
    assert plan.disclosure.rules == expected and all(isinstance(r, Rule) for r in expected)
