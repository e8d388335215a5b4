"""Property-based tests (Hypothesis): generated front matter, bodies, hostile strings and random bytes.

The properties:
- no traceback, whatever the files hold;
- every problem has a file, a line and Chinese text;
- what the checker accepts, the build accepts;
- no generated string reaches a built page as markup.

`make test` runs a bounded number of examples (the "ci" profile, set in conftest.py);
`make fuzz` runs many more and prints what it found.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from publicity.checker import examine
from publicity.config import load_config
from publicity.counting import Period, count
from publicity.render import Renderer
from publicity.sanitize import inspect

from conftest import AS_OF, ROOT, TEST_CONFIG

pytestmark = pytest.mark.fuzz
CONFIG = load_config(TEST_CONFIG)
AS_OF_DATE = dt.date.fromisoformat(AS_OF)
CJK = re.compile(r"[\u4e00-\u9fff]")
FRAGMENTS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '"', "'", "<", ">", "&", "&amp;", "{{ x }}",
             "{% raw %}", "`", "\\", "*", "_", "[a](javascript:alert(1))", "{: onclick=x }", "\x00", "\u2028", "\ufeff",
             "：", "—", "井盖", "沙建发〔2008〕12号", "\n", "  ", "---", "#", "![x](http://evil.example/x.png)", "<base href=//e/>",
             "<svg onload=alert(1)>", "jav&#x61;script:", "<!--", "]]>", "\t", "%s", "\U0001F600"]
hostile_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=6).map("".join)
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10, 10_000), st.floats(allow_nan=False), hostile_text,
                    st.dates(dt.date(1990, 1, 1), dt.date(2040, 1, 1)))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                       st.dictionaries(st.text(max_size=6), inner, max_size=3)), max_leaves=8)
KEYS = ["title", "date", "summary", "tags", "draft", "outlets", "department", "author", "category", "cover", "series", "issue",
        "total_issue", "attachment", "status", "doc_number", "issuer", "effective", "repealed", "supersedes", "titel"]
front_matter = st.dictionaries(st.sampled_from(KEYS), values, max_size=8)
FOLDERS = ["news/2009", "newsletters/chengjian", "rules", "news"]


def _file_text(meta: dict, body: str) -> str:
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, default_flow_style=None) + "---\n\n" + body + "\n"


files = st.lists(st.tuples(st.sampled_from(FOLDERS), st.one_of(
    st.tuples(front_matter, hostile_text).map(lambda mb: _file_text(*mb).encode("utf-8", "surrogatepass")),
    st.binary(max_size=200),
    hostile_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.text(max_size=200).map(lambda t: ("---\n" + t + "\n---\n正文\n").encode("utf-8", "surrogatepass")),
)), min_size=1, max_size=5)


def _docs(root: Path, generated: list[tuple[str, bytes]]) -> Path:
    docs = root / "docs"
    for rel in ("index.md", "news/index.md", "newsletters/index.md", "rules/index.md"):
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text("", encoding="utf-8")
    for n, (folder, data) in enumerate(generated):
        path = docs / folder / f"f{n}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return docs


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(files)
def test_loading_and_checking_never_raise_and_every_problem_says_where_and_what(generated):
    with tempfile.TemporaryDirectory() as tmp:
        docs = _docs(Path(tmp), generated)
        examination = examine(docs, CONFIG, ROOT, AS_OF_DATE)
        base = docs.as_posix()
        for problem in examination.problems:
            assert problem.path.startswith(base) or problem.path == "publicity.yml", problem
            assert problem.line >= 1, problem
            assert CJK.search(problem.message) and (not problem.fix or CJK.search(problem.fix)), problem
        # Counting what loaded never fails and adds up.
        counts = count(examination.content.items, CONFIG, Period(), AS_OF_DATE)
        assert counts.issues == sum(counts.by_series.values()) and counts.media_placements == sum(counts.by_level.values())


config_sections = st.dictionaries(st.sampled_from(["office", "timezone", "listing", "series", "outlets", "departments", "report",
                                                  "images", "publish", "site_url", "levle"]), values, max_size=6)


@given(st.one_of(config_sections.map(lambda d: yaml.safe_dump(d, allow_unicode=True)), st.text(max_size=300)))
def test_any_configuration_is_loaded_or_refused_with_lines(text):
    from publicity.config import load_config
    from publicity.problems import ContentError

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "publicity.yml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            load_config(path)
        except ContentError as exc:
            assert exc.problems and all(p.line >= 1 and CJK.search(p.message) for p in exc.problems)


@settings(deadline=None)
@given(hostile_text, st.lists(st.sampled_from(["# ", "## ", "- ", "> ", "!!! note\n    ", "| a | b |\n|---|---|\n| ",
                                                 "[^1]\n\n[^1]: ", "```\n", "<div markdown>\n", "\n\n"]), max_size=4),
       hostile_text)
def test_no_body_reaches_a_page_with_markup_outside_the_allowlist(before, blocks, after):
    body = before + "".join(blocks) + after
    rendered = Renderer().render(body, "news/2009/a.md")
    assert inspect(rendered.html) == [], rendered.html  # no tag, attribute or link scheme outside the allowlist


# ---- what the checker accepts, the build accepts, and shows as text ------------------------------------------------

# Text that is valid in a field (no control characters) and as hostile as possible otherwise.
printable = st.lists(st.one_of(st.sampled_from([f for f in FRAGMENTS if not any(c in f for c in "\x00\t\n")]),
                               st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=8)), max_size=6).map("".join)
titles = printable.filter(lambda t: t.strip())
valid_items = st.lists(st.tuples(titles, printable, st.dates(dt.date(2005, 1, 1), dt.date(2009, 12, 31))), min_size=1, max_size=3)


@settings(max_examples=settings.default.max_examples // 5, deadline=None,  # builds are slow: a fifth as many
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture])
@given(valid_items)
@pytest.mark.build
def test_what_the_checker_accepts_the_build_accepts_and_shows_as_text(monkeypatch_env, items):
    with tempfile.TemporaryDirectory() as tmp:
        generated = [("news/2009", _file_text({"title": title, "date": day, "summary": summary}, "正文。")
                      .encode("utf-8", "surrogatepass")) for title, summary, day in items]
        docs = _docs(Path(tmp), generated)
        examination = examine(docs, CONFIG, ROOT, AS_OF_DATE)
        assume(not examination.errors)
        site = Path(tmp) / "site"
        _build_in_process(docs, site)
        for path in site.rglob("*.html"):
            soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
            for element in soup.find_all(True):
                assert not [a for a in element.attrs if a.startswith("on")], (path, element)
            inline = [s.get_text() for s in soup.find_all("script") if not s.get("src")]
            assert not any("alert(" in s for s in inline), path
        page = BeautifulSoup((site / "news/2009/f0/index.html").read_text(encoding="utf-8"), "html.parser")
        assert page.select_one(".md-content h1").get_text() == examination.content.by_path["news/2009/f0.md"].title


@pytest.fixture
def monkeypatch_env(monkeypatch):
    monkeypatch.setenv("PUBLICITY_AS_OF", AS_OF)
    monkeypatch.setenv("PUBLICITY_CONFIG", str(TEST_CONFIG))
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.delenv("PUBLICITY_PREVIEW", raising=False)


def _build_in_process(docs: Path, site: Path) -> None:
    """`mkdocs build --strict`, without a new interpreter for each example."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(site), strict=True)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
