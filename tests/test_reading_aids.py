"""Reading aids in Debian's Chromium: read-aloud (语音朗读) with a stubbed speech engine, the large cursor of
适老模式, and the disclosure catalogue's sorting.

The speech engine is replaced before any of the page's scripts run (an init script), so that the tests see
exactly what the page asks it to say, and can end each sentence as the engine would.
"""

from __future__ import annotations

import pytest

from publicity.model import Kind

from conftest import DESKTOP, MEASURE, PHONE, STUB, ZH, Recorder, published

pytestmark = pytest.mark.browser

EN = '[{name: "English", lang: "en-US", default: true, localService: true, voiceURI: "en"}]'
HIGHLIGHTED = "(CSS.highlights.get('pub-aloud') ? [...CSS.highlights.get('pub-aloud')].map(r => r.toString()) : [])"


def speaking_page(browser, voices: str = ZH, *, phone: bool = False, elder: bool = False):
    context = browser.new_context(**(PHONE if phone else DESKTOP))
    context.set_default_timeout(15_000)
    if voices:
        context.add_init_script(STUB % voices)
    if elder:
        context.add_init_script("localStorage.setItem('pub-elder', '1');")
    return context, context.new_page()


@pytest.fixture(scope="module")
def news(sample):
    """A news item of the sample (the one with a cover)."""
    return next(i for i in published(sample, Kind.NEWS) if i.cover)


def test_read_aloud_reads_the_title_then_the_body_sentence_by_sentence(browser, sample_origin, news):
    context, page = speaking_page(browser)
    seen = Recorder(page)
    page.goto(f"{sample_origin}/{news.url}")
    play = page.get_by_role("button", name="朗读")
    assert play.is_visible()
    assert not any("read-aloud.js" in url for url in seen.requests)  # nothing loaded until it is used
    play.click()
    page.wait_for_function("window.__speech.spoken.length === 1")
    assert page.evaluate("window.__speech.spoken") == [news.title]
    assert page.evaluate("window.__speech.langs") == ["zh-CN"]
    assert page.evaluate(HIGHLIGHTED) == [news.title]
    assert any(url.endswith("/assets/javascripts/read-aloud.js") for url in seen.requests)
    # The body, one sentence at a time, each highlighted while it is said.
    paragraph = page.evaluate("[...document.querySelectorAll('[data-pub-body] p')].find(p => p.textContent.trim()).textContent")
    first = paragraph.strip().split("。")[0]
    page.evaluate("__finish()")
    said = page.evaluate("window.__speech.spoken")
    assert len(said) == 2 and said[1].startswith(first[:6]) and said[1] in paragraph
    assert page.evaluate(HIGHLIGHTED) == [said[1]]
    assert page.locator(".pub-aloud-now").count() == 1
    # Its state is announced to screen readers.
    status = page.locator("[data-pub-aloud-status]")
    assert status.get_attribute("role") == "status" and status.text_content() == "开始朗读"
    assert seen.console_errors == []
    context.close()


def test_pause_resume_and_stop_by_keyboard(browser, sample_origin, news):
    context, page = speaking_page(browser)
    page.goto(f"{sample_origin}/{news.url}")
    play = page.locator("[data-pub-aloud-play]")
    play.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("window.__speech.spoken.length === 1")
    status = page.locator("[data-pub-aloud-status]")
    assert play.text_content() == "暂停"
    page.keyboard.press("Enter")
    assert page.evaluate("window.__speech.calls.at(-1)") == "pause"
    assert play.text_content() == "继续" and status.text_content() == "已暂停"
    page.keyboard.press("Space")
    assert page.evaluate("window.__speech.calls.at(-1)") == "resume" and status.text_content() == "继续朗读"
    stop = page.get_by_role("button", name="停止")
    assert stop.is_visible()
    page.keyboard.press("Tab")  # from the play button to the stop button
    assert page.evaluate("document.activeElement.textContent") == "停止"
    page.keyboard.press("Enter")
    assert page.evaluate("window.__speech.calls.at(-1)") == "cancel"
    assert play.text_content() == "朗读" and status.text_content() == "已停止朗读" and stop.is_hidden()
    assert page.evaluate(HIGHLIGHTED) == [] and page.locator(".pub-aloud-now").count() == 0
    assert page.evaluate("document.activeElement.getAttribute('data-pub-aloud-play')") == ""  # focus kept in place
    # A canceled sentence does not go on to the next one; pressing again starts over from the title.
    spoken = page.evaluate("window.__speech.spoken.length")
    page.keyboard.press("Enter")
    page.wait_for_function(f"window.__speech.spoken.length === {spoken + 1}")
    assert page.evaluate("window.__speech.spoken.at(-1)") == news.title
    context.close()


def test_the_reading_ends_by_itself_after_the_last_sentence(browser, sample_origin, sample):
    rule = published(sample, Kind.RULE)[-1]
    context, page = speaking_page(browser)
    page.goto(f"{sample_origin}/{rule.url}")
    page.get_by_role("button", name="朗读").click()
    page.wait_for_function("window.__speech.spoken.length === 1")
    for _ in range(400):
        if page.locator("[data-pub-aloud-play]").text_content() == "朗读":
            break
        page.evaluate("__finish()")
    assert page.locator("[data-pub-aloud-status]").text_content() == "朗读结束"
    spoken = page.evaluate("window.__speech.spoken")
    body = page.locator("[data-pub-body]").inner_text()
    assert spoken[0] == rule.title and all(s in body for s in spoken[1:]) and len(spoken) > 5
    assert "".join(spoken[1:]).replace(" ", "") in body.replace("\n", "").replace(" ", "")  # all of it, in order
    context.close()


@pytest.mark.parametrize("voices", [EN, None], ids=["no-chinese-voice", "no-speech-synthesis"])
def test_read_aloud_is_hidden_where_the_browser_cannot_speak_chinese(browser, sample_origin, news, voices):
    context = browser.new_context(**DESKTOP)
    if voices:
        context.add_init_script(STUB % voices)
    else:
        context.add_init_script("Object.defineProperty(window, 'speechSynthesis', {value: undefined, configurable: true});")
    page = context.new_page()
    page.goto(f"{sample_origin}/{news.url}")
    assert page.locator("[data-pub-aloud]").count() == 1 and page.locator("[data-pub-aloud]").is_hidden()
    assert page.get_by_role("button", name="朗读").count() == 0
    context.close()


def test_read_aloud_is_on_item_pages_only_and_fits_a_phone(browser, sample_origin, sample_urls, news):
    context, page = speaking_page(browser, phone=True, elder=True)
    page.goto(f"{sample_origin}/{news.url}")
    assert page.get_by_role("button", name="朗读").is_visible()
    width = page.evaluate(MEASURE)
    assert width["scroll"] <= width["layout"] + 1, width
    page.goto(f"{sample_origin}/{sample_urls['news-listing']}")
    assert page.locator("[data-pub-aloud]").count() == 0
    context.close()


def test_elder_mode_has_a_large_cursor(browser, sample_origin, news):
    context, page = speaking_page(browser, voices="")
    page.goto(f"{sample_origin}/{news.url}")
    cursor = "getComputedStyle(document.querySelector(%r)).cursor"
    assert "url(" not in page.evaluate(cursor % "body")
    page.locator("[data-pub-elder-toggle]").click()
    body, link = page.evaluate(cursor % "body"), page.evaluate(cursor % ".pub-breadcrumbs a")
    assert "cursor-arrow.svg" in body and body.endswith("auto") and "cursor-hand.svg" in link
    for name in ("cursor-arrow.svg", "cursor-hand.svg"):  # served by the site, 48 px: twice the usual size
        size = page.evaluate("""async (url) => { const img = new Image(); img.src = url; await img.decode();
                                return [img.naturalWidth, img.naturalHeight]; }""", f"{sample_origin}/assets/images/{name}")
        assert size == [48, 48]
    context.close()


def test_the_catalogue_sorts_by_any_column_with_mouse_or_keyboard(browser, sample_origin, sample_urls, sample):
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    seen = Recorder(page)
    page.goto(f"{sample_origin}/{sample_urls['disclosure-catalogue']}")
    rules = published(sample, Kind.RULE)

    def column(n):
        return page.evaluate(f"[...document.querySelectorAll('.pub-catalogue__table tbody tr')].map(r => r.cells[{n}].textContent.trim())")

    assert column(0) == [r.index_number for r in rules]  # as built: newest first
    headings = page.locator(".pub-catalogue__table thead th")
    assert headings.nth(3).get_attribute("aria-sort") == "descending"
    page.get_by_role("button", name="索引号").click()
    assert column(0) == sorted(r.index_number for r in rules)
    assert headings.nth(0).get_attribute("aria-sort") == "ascending" and headings.nth(3).get_attribute("aria-sort") is None
    assert page.locator(".pub-catalogue [role=status]").text_content() == "已按索引号升序排列"
    page.get_by_role("button", name="索引号").focus()
    page.keyboard.press("Enter")
    assert column(0) == sorted((r.index_number for r in rules), reverse=True)
    page.get_by_role("button", name="生成日期").click()
    assert column(3)[0] == f"{min(r.date for r in rules).year}年{min(r.date for r in rules).month}月{min(r.date for r in rules).day}日"
    before = column(5)
    assert before != sorted(before, key=lambda s: s != "现行有效")  # the amended rule sits between rules in force
    page.get_by_role("button", name="有效性").click()
    assert column(5) == sorted(before, key=lambda s: s != "现行有效")  # pinyin order: 现行有效 (xian) before 已修订 (yi)
    assert seen.console_errors == [] and all(u.startswith(sample_origin) for u in seen.requests)
    context.close()


# ---- the statistics page for elderly readers ---------------------------------------------------------------------

CHART = """() => {
    const svg = document.querySelector('svg.pub-chart'), scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const sizes = [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
    const wrapped = [...document.querySelectorAll('.pub-chart-data th')].filter(th => {
        const r = document.createRange(); r.selectNodeContents(th); return r.getClientRects().length > 1; })
        .map(th => th.textContent);
    return {smallest: Math.min(...sizes), largest: Math.max(...sizes), texts: sizes.length, wrapped,
            body: parseFloat(getComputedStyle(document.querySelector('article.md-typeset')).fontSize),
            scripts: [...document.querySelectorAll('.pub-chart-layout script, svg.pub-chart script')].length,
            rows: document.querySelectorAll('.pub-chart-data tbody tr').length};
}"""


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_the_chart_text_is_body_size_and_follows_the_text_size(browser, sample_origin, phone, elder):
    context = browser.new_context(**(PHONE if phone else DESKTOP))
    context.add_init_script(f"localStorage.setItem('pub-elder', '{int(elder)}');")
    page = context.new_page()
    page.goto(f"{sample_origin}/stats/")
    sizes = {}
    for size in ("small", "medium", "large"):
        if not phone:  # a phone has no 大/中/小 buttons in its header: the size is the one saved on a desktop
            page.get_by_role("button", name={"small": "小字号", "medium": "中字号", "large": "大字号"}[size]).click()
        else:
            page.evaluate(f"localStorage.setItem('pub-size', '{size}'); pubReading.apply()")
        found = page.evaluate(CHART)
        assert found["texts"] > 24 and found["smallest"] >= found["body"] - 0.25, (size, found)  # at least the body size
        assert found["wrapped"] == [], (size, found["wrapped"])  # 2009年11月 on one line, also at 390 px
        assert found["scripts"] == 0 and found["rows"] == 24  # still drawn without JavaScript, still with its table
        sizes[size] = found["smallest"]
        width = page.evaluate(MEASURE)
        assert width["scroll"] <= width["layout"] + 1, (size, width)  # the page itself never scrolls sideways
    assert sizes["small"] < sizes["medium"] < sizes["large"], sizes
    if elder:
        assert sizes["medium"] >= 20 - 0.25  # 适老模式: 1.25 times the 16 px body text
    context.close()
