"""Shared helpers: building a site from a content folder, reading its HTML.

Every build pins its "as of" date so that tests keep their meaning as the
calendar moves.
"""

from __future__ import annotations

import functools
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
AS_OF = "2026-11-28"
PYTHON = sys.executable


def run_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PUBLICITY_")}
    env.update(NO_MKDOCS_2_WARNING="1", PYTHONIOENCODING="utf-8", PUBLICITY_AS_OF=AS_OF)
    env.update(extra)
    return env


def build(docs: Path, site: Path, *, preview: bool = False, strict: bool = True, **env: str) -> subprocess.CompletedProcess:
    """`mkdocs build` of ``docs`` into ``site``, as staff and CI run it."""
    extra = {"PUBLICITY_DOCS": str(docs), **env}
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
    from publicity.project import load_site_config

    return load_site_config(ROOT)


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
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
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
