"""A rule or a newsletter issue printed on A4: the document, its facts and address; no site clutter.

Printed to PDF by Debian's Chromium, then read back with poppler (pdftotext,
pdftoppm), as a person checking the printout would.
"""

from __future__ import annotations

import subprocess

import pytest

from publicity.dates import cn_date
from publicity.model import Kind
from publicity.project import load_site_config

from conftest import ROOT, published

pytestmark = pytest.mark.browser
SITE_URL = load_site_config(ROOT).site_url  # publicity.yml: the address a printout of the sample shows
CLUTTER = ("新闻动态", "工作简报", "公开统计", "上一篇", "下一篇", "主办单位", "网站标识码", "用手机扫码")


@pytest.fixture(scope="module")
def printed(browser, sample_origin, tmp_path_factory):
    """Print a page of the served sample site to PDF; returns (text, PNG pages)."""
    out = tmp_path_factory.mktemp("print")

    def print_page(url: str):
        tab = browser.new_page()
        tab.goto(f"{sample_origin}/{url}", wait_until="load")
        pdf = out / (url.strip("/").replace("/", "-") + ".pdf")
        tab.pdf(path=str(pdf), format="A4", prefer_css_page_size=True)
        tab.close()
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(pdf.with_suffix(""))], check=True)
        return text, sorted(out.glob(pdf.stem + "-*.png"))

    return print_page


def test_a_rule_prints_on_one_a4_page_without_clutter(printed, sample):
    rule = min((r for r in published(sample, Kind.RULE) if r.doc_number), key=lambda r: len(sample.body(r)))
    text, pages = printed(rule.url)
    assert len(pages) == 1
    flat = text.replace(" ", "")
    assert rule.title in flat and rule.doc_number.replace(" ", "") in flat and cn_date(rule.date) in flat
    assert f"本文地址：{SITE_URL}{rule.url}" in flat
    for word in CLUTTER:
        assert word not in flat, word


def test_a_newsletter_issue_prints_with_its_number(printed, sample):
    issue = min(published(sample, Kind.NEWSLETTER), key=lambda i: len(sample.body(i)))
    text, pages = printed(issue.url)
    flat = text.replace(" ", "")
    assert issue.title in flat and issue.number_label in flat
    assert f"本文地址：{SITE_URL}{issue.url}" in flat.replace("\n", "")
    assert len(pages) == 1
    for word in CLUTTER:
        assert word not in flat, word
