"""The tests' one shared module: building a site, reading its HTML, serving it, the browser, and helpers.

Every build pins its "as of" date so that tests keep their meaning as the
calendar moves. Content the tests write for themselves is checked and built
with the tests' own configuration (tests/fixtures/publicity.yml); only the
sample in docs/ is built with the project's publicity.yml.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import http.server
import os
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import settings

# Property-based tests: a bounded number of examples in `make test`, many more in `make fuzz`.
settings.register_profile("ci", max_examples=40, deadline=None, print_blob=True)
settings.register_profile("fuzz", max_examples=2000, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SAMPLE_CONFIG = ROOT / "publicity.yml"
TEST_CONFIG = ROOT / "tests" / "fixtures" / "publicity.yml"
AS_OF = "2026-11-28"
AS_OF_DATE = dt.date.fromisoformat(AS_OF)
PYTHON = sys.executable


def run_env(**extra: str) -> dict[str, str]:
    """A tool's environment: the pinned day, the tests' own configuration (unless ``extra`` names another)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PUBLICITY_")}
    env.update(NO_MKDOCS_2_WARNING="1", PYTHONIOENCODING="utf-8", PUBLICITY_AS_OF=AS_OF, PUBLICITY_CONFIG=str(TEST_CONFIG))
    env.update(extra)
    return env


def sample_env(**extra: str) -> dict[str, str]:
    """The environment of a tool run on the sample: the project's own publicity.yml."""
    return run_env(PUBLICITY_CONFIG=str(SAMPLE_CONFIG), **extra)


def build(docs: Path, site: Path, *, preview: bool = False, strict: bool = True, **env: str) -> subprocess.CompletedProcess:
    """`mkdocs build` of ``docs`` into ``site``, as staff and CI run it (the sample with the project's configuration)."""
    extra = {"PUBLICITY_DOCS": str(docs), **({"PUBLICITY_CONFIG": str(SAMPLE_CONFIG)} if docs == DOCS else {}), **env}
    if preview:
        extra["PUBLICITY_PREVIEW"] = "1"
    cmd = [PYTHON, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site)] + (["--strict"] if strict else [])
    return subprocess.run(cmd, cwd=ROOT, env=run_env(**extra), capture_output=True, text=True, timeout=600)


def build_ok(docs: Path, site: Path, **kw) -> Path:
    result = build(docs, site, **kw)
    assert result.returncode == 0, result.stderr
    return site


def page(site: Path, url: str) -> BeautifulSoup:
    """The built HTML at a site URL such as 'news/' or 'news/2008/0512-jinggai/'."""
    path = site / url / "index.html" if not url.endswith(".html") else site / url
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def listed(soup: BeautifulSoup) -> list[str]:
    """Titles of the entries a listing shows, in order."""
    return [a.get_text(strip=True) for a in soup.select(".pub-entry .pub-entry__title")]


def write_docs(root: Path, files: dict[str, str]) -> Path:
    """A content folder holding the section pages and the given files."""
    for rel in ("index.md", "news/index.md", "newsletters/index.md", "rules/index.md"):
        files.setdefault(rel, "")
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    return build_ok(DOCS, tmp_path_factory.mktemp("sample") / "site")


@pytest.fixture(scope="session")
def preview_site(tmp_path_factory) -> Path:
    return build_ok(DOCS, tmp_path_factory.mktemp("preview") / "site", preview=True)


@pytest.fixture(scope="session")
def site_config():
    """The tests' own configuration, for content the tests write."""
    from publicity.config import load_config

    return load_config(TEST_CONFIG)


@pytest.fixture(scope="session")
def sample_config():
    """The project's publicity.yml, which the sample in docs/ is written against."""
    from publicity.config import load_config

    return load_config(SAMPLE_CONFIG)


@pytest.fixture(scope="session")
def sample(sample_config):
    """The sample content, loaded by the model: tests derive what they expect from it, never from copies."""
    from publicity.loader import load_content

    return load_content(DOCS, sample_config, ROOT)


def newest_first(items):
    return sorted(items, key=lambda i: (i.date, i.src_path), reverse=True)


def published(content, kind):
    """The published items of a kind, newest first, as the listings show them."""
    return newest_first([i for i in content.of_kind(kind) if i.is_published(AS_OF_DATE)])


@pytest.fixture(scope="session")
def sample_urls(sample, sample_config):
    """Site URL of one page of each kind of the sample, taken from the content model."""
    from publicity.model import Kind

    news, issues = published(sample, Kind.NEWS), published(sample, Kind.NEWSLETTER)
    with_cover = next(i for i in news if i.cover)
    return {
        "home": "",
        "news-listing": "news/",
        "news-listing-page-2": "news/page/2/",
        "news-item-with-cover": with_cover.url,
        "newsletter-overview": "newsletters/",
        "series": f"newsletters/{sample_config.series[0].slug}/",
        "issue-with-pdf": next(i for i in issues if i.attachment).url,
        "rules-listing": "rules/",
        # The longest titles: the hardest case for a phone's header and for wrapping.
        "news-item-long-title": max(news, key=lambda i: len(i.title)).url,
        "rule-item": max(published(sample, Kind.RULE), key=lambda i: len(i.title)).url,
        "archive": f"news/archive/{news[-1].date.year}/",
        "stats": "stats/",
        "disclosure-catalogue": "disclosure/",
        "disclosure-guide": "disclosure/guide/",
        "not-found": "404.html",
        "_cover": with_cover.cover,
    }


def tree_digest(site: Path) -> str:
    """One hash of every file of a built site and its path: equal digests, equal bytes."""
    digest = hashlib.sha256()
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(site)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


# ---- the browser: Debian's Chromium driven by Playwright (never a downloaded browser) ----

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
PHONE = dict(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2)
DESKTOP = dict(viewport={"width": 1366, "height": 900})  # wide enough for Material's tabs (>= 76.25em)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextmanager
def served(site: Path):
    """A built site served at http://127.0.0.1:<free port>, as a web server would."""
    with serving(functools.partial(_QuietHandler, directory=str(site))) as origin:
        yield origin


@contextmanager
def serving(handler):
    """``handler`` (an http.server request handler) answering at http://127.0.0.1:<free port>, in a thread."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def sample_origin(sample_site):
    with served(sample_site) as origin:
        yield origin


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _page(browser, options):
    context = browser.new_context(**options)
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def desktop(browser):
    yield from _page(browser, DESKTOP)


@pytest.fixture
def phone(browser):
    yield from _page(browser, PHONE)


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where a test saves its screenshots: under tmp_path, or $PUBLICITY_SHOTS when someone wants to look."""
    folder = Path(os.environ["PUBLICITY_SHOTS"]) if os.environ.get("PUBLICITY_SHOTS") else tmp_path / "shots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Recorder:
    """Everything a page asks for and everything that goes wrong while it loads."""

    def __init__(self, page):
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.bad_status: list[str] = []
        self.console_errors: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url}: {r.failure}"))
        page.on("response", lambda r: r.status >= 400 and self.bad_status.append(f"{r.status} {r.url}"))
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(f"{m.text} @ {m.location}"))
        page.on("pageerror", lambda e: self.console_errors.append(f"uncaught: {e}"))


# With is_mobile, Chromium zooms a page that is too wide out until it fits, as phones do, and
# window.innerWidth grows with it (404 for a page 404px wide). So the page's width is also compared
# with the layout viewport (documentElement.clientWidth), which stays at the phone's 390px.
MEASURE = """() => {
    const limit = Math.min(window.innerWidth, document.documentElement.clientWidth);
    const wide = [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > limit + 1 && !e.closest('.md-typeset__scrollwrap'))
        .slice(0, 6)
        .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} right=${e.getBoundingClientRect().right}`);
    return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
            layout: document.documentElement.clientWidth, wide};
}"""


# A speech engine that records (read-aloud tests, and the pages checked under nginx and for accessibility): what is said (in order), each call, and the utterances waiting to end.
STUB = """(() => {
  const voices = %s;
  const log = window.__speech = {spoken: [], calls: [], queue: [], langs: []};
  const synth = {
    speaking: false, paused: false, pending: false,
    getVoices: () => voices,
    speak(u) { log.queue.push(u); log.spoken.push(u.text); log.langs.push(u.lang); log.calls.push("speak"); },
    pause() { log.calls.push("pause"); }, resume() { log.calls.push("resume"); },
    cancel() { log.calls.push("cancel"); log.queue.splice(0).forEach(u => u.onerror && u.onerror({error: "canceled"})); },
    addEventListener() {}, removeEventListener() {},
  };
  window.__finish = () => { const u = log.queue.shift(); if (u && u.onend) u.onend({}); };
  Object.defineProperty(window, "speechSynthesis", {value: synth, configurable: true});
  window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; this.lang = ""; this.voice = null; } };
})();"""
ZH = '[{name: "普通话", lang: "zh-CN", default: true, localService: true, voiceURI: "zh-CN"}]'

def open_search(page) -> None:
    page.locator(".md-search__input").click()


def ask(page, query: str, *, type_it: bool = False) -> list[dict]:
    """Type a query into the header's search box; the results shown, once they are."""
    page.evaluate("() => document.querySelector('.pub-search').removeAttribute('data-search-ms')")
    field = page.locator(".md-search__input")
    if type_it:
        field.fill("")
        field.press_sequentially(query, delay=20)
    else:
        field.fill(query)
    # Results shown for this very query: typed character by character, each step shows its own on the way.
    page.wait_for_function("""() => { const box = document.querySelector('.pub-search');
        return box.hasAttribute('data-search-ms') && box.dataset.searchQuery === document.querySelector('.md-search__input').value; }""")
    return page.evaluate("""() => [...document.querySelectorAll('.md-search-result__item')].map(li => ({
        title: li.querySelector('h1').textContent, href: li.querySelector('a').href,
        kind: li.querySelector('.pub-search__kind').textContent, date: li.querySelector('.pub-search__date').textContent,
        excerpt: li.querySelector('.pub-search__excerpt').innerHTML, titleHtml: li.querySelector('h1').innerHTML}))""")
