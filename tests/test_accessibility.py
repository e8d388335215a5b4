"""The public site as readers meet it: an axe-core audit, the elder-friendly mode and text size, keyboard use.

Both reading modes are audited on every page kind, on a desktop and on a phone (where the header shows other
controls: Lighthouse audits a phone), the search results, the statistics page and the read-aloud controls
included. The axe-core is tests/vendor/axe-core (4.14.1, newer than the one axe-playwright-python bundles),
checked against its published hash. Debian's Chromium, driven by Playwright.
"""

from __future__ import annotations

import base64
import hashlib
from contextlib import contextmanager

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import DESKTOP, PHONE, ROOT, STUB, ZH, Recorder, ask, open_search

pytestmark = pytest.mark.browser

# One page of each kind, taken from the model (conftest.sample_urls), the 404 page and an archive year included.
PAGES = ["home", "news-listing", "news-item-with-cover", "newsletter-overview", "series", "issue-with-pdf", "rules-listing",
         "rule-item", "stats", "archive", "disclosure-catalogue", "disclosure-guide", "not-found"]
ELDER = "localStorage.setItem('pub-elder', '1');"
AXE_FILE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
AXE_VERSION, AXE_SRI = "4.14.1", "sha256-KTSJmUUM3yhJqOcLeRL8LahahJ2jnA0NU5T1HUqe2Vw="  # from axe-core's sri-history.json
_axe = Axe.from_file(AXE_FILE)


@pytest.fixture(scope="module")
def origin(sample_origin):
    return sample_origin


@pytest.fixture(scope="module")
def at(sample_origin, sample_urls):
    """The address of a page kind of the sample: at("rules-listing")."""
    return lambda kind: f"{sample_origin}/{sample_urls[kind]}"


@contextmanager
def new_page(browser, *, elder: bool = False, phone: bool = False, storage_state: dict | None = None, speech: bool = False):
    """A page in a fresh browser profile (or one carrying storage_state), closed afterwards.

    ``speech``: a stubbed speech engine with a Chinese voice, so that the read-aloud controls show.
    """
    context = browser.new_context(**(PHONE if phone else DESKTOP), storage_state=storage_state)
    context.set_default_timeout(15_000)
    if elder:
        context.add_init_script(ELDER)
    if speech:
        context.add_init_script(STUB % ZH)
    try:
        yield context.new_page()
    finally:
        context.close()


def test_the_audit_uses_the_vendored_current_axe_core(browser, origin):
    digest = base64.b64encode(hashlib.sha256(AXE_FILE.read_bytes()).digest()).decode()
    assert f"sha256-{digest}" == AXE_SRI  # the file as Deque published it
    with new_page(browser) as page:
        page.goto(origin + "/")
        assert _axe.run(page).response["testEngine"]["version"] == AXE_VERSION


def serious(page) -> list[str]:
    result = _axe.run(page)
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:4]} {v['nodes'][0].get('failureSummary', '')[:160]}"
            for v in result.response["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_nothing_serious(browser, origin, at, name, elder, phone):
    with new_page(browser, elder=elder, phone=phone, speech=name in ("news-item-with-cover", "rule-item")) as page:
        seen = Recorder(page)
        page.goto(at(name))
        page.wait_for_timeout(400)  # Material's tabs fade in
        assert page.evaluate("document.documentElement.dataset.pubElder") == ("1" if elder else "0")
        assert serious(page) == []
        assert all(url.startswith((origin, "data:")) for url in seen.requests), seen.requests


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_axe_while_reading_aloud_and_on_a_sorted_catalogue(browser, at, elder, phone):
    with new_page(browser, elder=elder, phone=phone, speech=True) as page:
        page.goto(at("news-item-with-cover"))
        page.get_by_role("button", name="朗读").click()
        page.wait_for_function("window.__speech.spoken.length > 0")
        assert page.get_by_role("button", name="停止").is_visible()
        assert serious(page) == []
        page.goto(at("disclosure-catalogue"))
        page.get_by_role("button", name="索引号").click()
        assert serious(page) == []


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_axe_on_the_search_results(browser, origin, elder):
    with new_page(browser, elder=elder) as page:
        page.goto(origin + "/")
        open_search(page)
        assert ask(page, "井盖")
        assert serious(page) == []


def body_text_px(page) -> float:
    return page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-typeset p:not([class])')).fontSize)")


def test_elder_mode_is_larger_contrasted_and_remembered(browser, origin, at):
    with new_page(browser) as page:
        page.goto(at("news-item-with-cover"))
        normal = body_text_px(page)
        line = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-typeset p:not([class])')).lineHeight)")
        toggle = page.locator("[data-pub-elder-toggle]")
        assert toggle.get_attribute("aria-pressed") == "false"
        toggle.click()
        assert toggle.get_attribute("aria-pressed") == "true"
        assert body_text_px(page) >= 1.25 * normal - 0.01
        assert page.evaluate("getComputedStyle(document.querySelector('.md-typeset p:not([class])')).color") == "rgb(0, 0, 0)"
        wider = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-typeset p:not([class])')).lineHeight)")
        assert wider / body_text_px(page) > line / normal
        # Another page of the site, and a later visit (same browser profile): still on.
        page.goto(at("rule-item"))
        assert page.locator("[data-pub-elder-toggle]").get_attribute("aria-pressed") == "true"
        assert body_text_px(page) >= 1.25 * normal - 0.01
        state = page.context.storage_state()
    with new_page(browser, storage_state=state) as page:
        page.goto(at("news-item-with-cover"))
        assert page.evaluate("document.documentElement.dataset.pubElder") == "1"
        page.locator("[data-pub-elder-toggle]").click()
        assert abs(body_text_px(page) - normal) < 0.01  # and it switches back off


def test_text_size_control_is_remembered(browser, origin, at):
    with new_page(browser) as page:
        page.goto(at("news-item-with-cover"))
        medium = body_text_px(page)
        page.get_by_role("button", name="大字号").click()
        large = body_text_px(page)
        assert large > medium
        page.goto(at("rules-listing"))
        assert page.get_by_role("button", name="大字号").get_attribute("aria-pressed") == "true"
        page.get_by_role("button", name="小字号").click()
        page.goto(at("news-item-with-cover"))
        assert body_text_px(page) < medium


def test_skip_link_and_visible_focus(browser, origin, at):
    with new_page(browser) as page:
        page.goto(at("rule-item"))
        page.keyboard.press("Tab")
        focused = page.evaluate("({text: document.activeElement.textContent.trim(), cls: document.activeElement.className})")
        assert "md-skip" in focused["cls"], focused
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") != ""
        # Every control in the header is reachable, each with a visible focus.
        seen = []
        for _ in range(25):
            page.keyboard.press("Tab")
            style = page.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e);
                return {label: e.getAttribute('aria-label') || e.textContent.trim().slice(0, 12), body: e === document.body,
                        outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0, shadow: s.boxShadow !== 'none'}; }""")
            if style["body"]:
                continue  # focus left the page for the browser's own controls, then comes back
            seen.append(style["label"])
            assert style["outline"] or style["shadow"], style
        for control in ("适老模式", "大字号", "中字号", "小字号", "一篇", "首页"):  # 一篇: the pager (上一篇 or 下一篇)
            assert any(control in label for label in seen), (control, seen)


def test_headings_are_in_order_and_images_have_alt_text(browser, origin, at):
    with new_page(browser) as page:
        for url in map(at, PAGES):
            page.goto(url)
            levels = page.evaluate("[...document.querySelectorAll('article h1, article h2, article h3, article h4')]"
                                   ".map(h => +h.tagName[1])")
            assert levels and levels[0] == 1, url
            assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), (url, levels)
            assert page.evaluate("[...document.images].every(i => i.hasAttribute('alt'))"), url


def test_reading_controls_at_phone_width(browser, origin, at):
    with new_page(browser, phone=True) as page:
        page.goto(at("news-item-with-cover"))
        toggle = page.locator("[data-pub-elder-toggle]")
        assert toggle.is_visible()
        toggle.click()
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")
