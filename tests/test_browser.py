"""The built site in a real browser: requests, navigation, phones, the chart, keyboard.

Debian's Chromium (/usr/bin/chromium) is driven through Playwright; no browser
is ever downloaded. The sample site is served over HTTP from 127.0.0.1, so
"another host" means anything that is not that origin.
"""

from __future__ import annotations

import pytest

from publicity.model import Kind

from conftest import MEASURE, PHONE, Recorder, published

pytestmark = pytest.mark.browser



@pytest.fixture(scope="module")
def origin(sample_origin):
    return sample_origin


@pytest.fixture(scope="module")
def urls(sample_urls):
    return sample_urls


def main_h1(page):
    return page.locator(".md-content h1").first


# ---------------------------------------------------------------------------
# The tests.

PAGE_KINDS = ["home", "news-listing", "news-item-with-cover", "newsletter-overview", "series", "issue-with-pdf",
              "rules-listing", "rule-item", "stats", "news-listing-page-2", "disclosure-catalogue", "disclosure-guide"]


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_no_request_leaves_the_site_and_nothing_fails(desktop, origin, urls, kind):
    seen = Recorder(desktop)
    response = desktop.goto(f"{origin}/{urls[kind]}", wait_until="networkidle")
    assert response is not None and response.status == 200
    elsewhere = [u for u in seen.requests if not (u.startswith((origin + "/", "data:")))]
    assert not elsewhere, f"{kind}: requests to another host: {elsewhere}"
    assert not seen.failed, f"{kind}: failed requests: {seen.failed}"
    assert not seen.bad_status, f"{kind}: error responses: {seen.bad_status}"
    assert not seen.console_errors, f"{kind}: console errors: {seen.console_errors}"
    if kind == "news-item-with-cover":
        # One of the cover's published versions (jinggai.jpg, jinggai.480w.webp ...: the browser picks).
        stem = urls["_cover"].rsplit(".", 1)[0]
        assert any(u.startswith(f"{origin}/{stem}.") for u in seen.requests), seen.requests
        # The cover shows either as .pub-cover or inside the body, when the body already has it.
        images = desktop.locator(".md-content img")
        assert images.count() > 0
        assert images.evaluate_all("imgs => imgs.every(i => i.complete && i.naturalWidth > 0)")


def test_a_visitor_reads_the_news_by_clicking(desktop, origin):
    desktop.goto(f"{origin}/")
    desktop.locator(".md-tabs").get_by_role("link", name="新闻动态", exact=True).click()
    desktop.wait_for_url(f"{origin}/news/")

    entries = desktop.locator(".pub-entry .pub-entry__title")
    first_title = entries.nth(0).inner_text().strip()
    second_title = entries.nth(1).inner_text().strip()
    entries.nth(0).click()
    desktop.wait_for_url(lambda u: u != f"{origin}/news/")
    first_url = desktop.url
    assert main_h1(desktop).inner_text().strip() == first_title

    next_link = desktop.locator(".pub-pager a[rel=next]")
    assert next_link.locator("span").inner_text().strip() == "下一篇"
    next_link.click()
    desktop.wait_for_url(lambda u: u != first_url)
    assert main_h1(desktop).inner_text().strip() == second_title

    desktop.locator(".pub-breadcrumbs").get_by_role("link", name="新闻动态", exact=True).click()
    desktop.wait_for_url(f"{origin}/news/")
    assert desktop.locator(".pub-entry").count() > 0
    assert entries.nth(0).inner_text().strip() == first_title


PHONE_PAGES = ["home", "news-listing", "news-item-with-cover", "news-item-long-title", "rule-item", "stats"]

@pytest.mark.parametrize("kind", PHONE_PAGES)
def test_pages_fit_a_phone(phone, origin, urls, kind, shots):
    phone.goto(f"{origin}/{urls[kind]}")
    phone.screenshot(path=str(shots / f"phone-{kind}.png"), full_page=True)
    width = phone.evaluate(MEASURE)
    # Tables may scroll inside their own wrapper (.md-typeset__scrollwrap); the page itself may not.
    assert width["scroll"] <= min(width["inner"], width["layout"], PHONE["viewport"]["width"]) + 1, (
        f"{urls[kind]}: page is {width['scroll']}px wide on a {PHONE['viewport']['width']}px phone "
        f"(innerWidth {width['inner']}, layout viewport {width['layout']}); too wide: {width['wide']}")
    assert main_h1(phone).is_visible()


def test_stats_chart_and_its_table(desktop, origin):
    desktop.goto(f"{origin}/stats/")
    chart = desktop.locator("svg.pub-chart")
    assert chart.count() == 1
    box = chart.bounding_box()
    assert box is not None and box["width"] > 0 and box["height"] > 0, box
    assert chart.is_visible()
    assert desktop.locator(".pub-chart-data tbody tr").count() == 24


def test_following_older_pages_shows_every_published_news_item(desktop, origin, sample):
    expected = published(sample, Kind.NEWS)
    desktop.goto(f"{origin}/news/")
    titles, visited = [], []
    while True:
        assert desktop.url not in visited, f"the pages loop back: {visited + [desktop.url]}"
        visited.append(desktop.url)
        titles += [t.strip() for t in desktop.locator(".pub-entry .pub-entry__title").all_inner_texts()]
        older = desktop.locator(".pub-pages a[rel=next]")
        if older.count() == 0:
            break
        older.click()
        desktop.wait_for_url(lambda u: u not in visited)
    assert len(visited) > 1, "the sample should need more than one listing page"
    assert len(titles) == len(expected)
    assert titles == [i.title for i in expected]


def test_keyboard_reaches_the_breadcrumbs_with_a_visible_focus(desktop, origin, urls):
    desktop.goto(f"{origin}/{urls['news-item-with-cover']}")
    for _ in range(30):
        desktop.keyboard.press("Tab")
        if desktop.evaluate("() => !!document.activeElement.closest('.pub-breadcrumbs a')"):
            break
    else:
        pytest.fail("30 presses of Tab never reached a breadcrumb link")
    focus = desktop.evaluate("""() => {
        const s = getComputedStyle(document.activeElement);
        return {text: document.activeElement.textContent.trim(), outlineStyle: s.outlineStyle,
                outlineWidth: s.outlineWidth, boxShadow: s.boxShadow};
    }""")
    outlined = focus["outlineStyle"] != "none" and focus["outlineWidth"] != "0px"
    shadowed = focus["boxShadow"] not in ("", "none")
    assert outlined or shadowed, f"the focused breadcrumb shows no focus indicator: {focus}"
