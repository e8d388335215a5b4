"""`make serve` (scripts/serve.py): the preview gives the pages a full preview build gives, after every kind of
change; mistakes are listed on the pages over the last good version and go away when fixed; it starts with
mistakes; a taken port is said in Chinese; Material's notices never appear.

The timings are a benchmark, not a test: scripts/bench/bench_preview.py.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import PYTHON, ROOT, TEST_CONFIG, build_ok, run_env

pytestmark = pytest.mark.build

LIVE_TAG = re.compile(rb'<script src="/__preview/live\.js" data-site="\d+"></script>')
NOTICES = ("MkDocs 2", "end of life", "Zensical", "ProperDocs", "NO_MKDOCS_2_WARNING")


def _ignored(rel: str) -> bool:
    """The search index (refreshed in the background), and what only `mkdocs build` writes for nginx."""
    return rel.startswith("pagefind/") or rel.endswith(".gz") or rel == ".csp-script-hashes"


def site_files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() and not _ignored(p.relative_to(site).as_posix())}


def get(url: str, timeout: float = 10) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def state(origin: str) -> dict:
    return json.loads(get(origin + "/__preview/state")[1])


def settle(origin: str, after: int, deadline: float = 120) -> dict:
    """The state once a change made after version ``after`` is done and nothing more happened for a second."""
    end = time.monotonic() + deadline
    last, since = None, time.monotonic()
    while time.monotonic() < end:
        now = state(origin)
        if now["version"] > after and not now["building"]:
            if last is not None and now["version"] == last["version"]:
                if time.monotonic() - since >= 1.0:
                    return now
            else:
                last, since = now, time.monotonic()
        time.sleep(0.1)
    raise AssertionError(f"the preview did not settle: {state(origin)}")


def corpus(out: Path) -> Path:
    subprocess.run([PYTHON, "scripts/corpus.py", str(out), "--news", "30", "--issues", "8", "--rules", "5", "--years", "3",
                    "--seed", "2", "--text", "real"], cwd=ROOT, env=run_env(), check=True, capture_output=True)
    (out / ".corpus-files").unlink(missing_ok=True)
    return out


@pytest.fixture
def project(tmp_path) -> tuple[Path, Path]:
    """A content folder and a publicity.yml of its own, to change under the preview."""
    docs = corpus(tmp_path / "docs")
    config = tmp_path / "publicity.yml"
    shutil.copyfile(TEST_CONFIG, config)
    return docs, config


@contextmanager
def preview_in_process(docs: Path, config: Path, monkeypatch):
    """The preview server in this process (its folder can be compared file by file), on a free port."""
    for name, value in run_env(PUBLICITY_DOCS=str(docs), PUBLICITY_CONFIG=str(config), PUBLICITY_PREVIEW="1").items():
        if name.startswith("PUBLICITY_"):
            monkeypatch.setenv(name, value)
    from publicity_mkdocs.preview.server import Preview

    lines: list[str] = []
    preview = Preview(ROOT / "mkdocs.yml", "127.0.0.1", 0, say=lines.append)
    preview.start()
    try:
        yield preview, preview.address.rstrip("/"), lines
    finally:
        preview.stop()


def compare_with_full_build(preview, origin: str, docs: Path, config: Path, tmp: Path) -> None:
    """Every file the preview serves is the full preview build's, byte for byte, but for the live script's tag."""
    full = build_ok(docs, tmp / f"full-{time.monotonic_ns()}", preview=True, strict=False, PUBLICITY_CONFIG=str(config))
    expected, served = site_files(full), site_files(preview.engine.out)
    assert served == expected, f"only served: {sorted(served - expected)[:5]}; only built: {sorted(expected - served)[:5]}"
    for rel in sorted(expected):
        status, body = get(f"{origin}/{urllib.parse.quote(rel)}")
        assert status == 200, rel
        if rel.endswith(".html"):
            assert len(LIVE_TAG.findall(body)) == 1, rel
            body = LIVE_TAG.sub(b"", body)
        assert body == (full / rel).read_bytes(), f"{rel} differs from the full preview build"


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_every_change_gives_the_pages_of_a_full_build(project, monkeypatch, tmp_path):
    docs, config = project
    news = sorted((docs / "news").rglob("[0-9]*.md"))
    with preview_in_process(docs, config, monkeypatch) as (preview, origin, lines):
        version = settle(origin, 0)["version"]
        assert not state(origin)["problems"]
        compare_with_full_build(preview, origin, docs, config, tmp_path)

        def step(change) -> None:
            nonlocal version
            change()
            now = settle(origin, version)
            assert not now["problems"], now["problems"]
            version = now["version"]
            compare_with_full_build(preview, origin, docs, config, tmp_path)

        # An edit: the title (on its listing, its neighbours' pager, the home page) and the body.
        middle = news[len(news) // 2]
        step(lambda: (_edit(middle, "title: ", "title: 改过的标题："), _edit(middle, "\n---\n\n", "\n---\n\n新加的第一段。\n\n")))
        # An addition, newer than everything: the home page, the first listing page, the feeds, the statistics.
        added = docs / "news" / "2009" / "1231-xin.md"
        step(lambda: added.write_text("---\ntitle: 年末新增的一篇新闻\ndate: 2009-12-31\ndepartment: 办公室\n---\n\n新增的正文。\n",
                                      encoding="utf-8"))
        # A deletion.
        step(lambda: news[3].unlink())
        # A rename: the old address goes, the new one comes.
        renamed = news[5].with_name("0101-gaiming.md")
        step(lambda: news[5].rename(renamed))
        assert get(f"{origin}/{news[5].relative_to(docs).with_suffix('').as_posix()}/")[0] == 404
        # A date moving an item to the year before: both years' archives, the neighbours on both sides.
        moving = next(p for p in news if "/2009/" in p.as_posix() and p.exists() and p != middle)
        year = re.search(r"date: (2009)-", moving.read_text(encoding="utf-8"))
        assert year
        step(lambda: _edit(moving, "date: 2009-", "date: 2008-"))
        # A series' issue number: the series' listing, the issue's own heading, its neighbours.
        issue = sorted((docs / "newsletters" / "chengjian").glob("*.md"))[-1]
        number = int(re.search(r"issue: (\d+)", issue.read_text(encoding="utf-8")).group(1))
        step(lambda: _edit(issue, f"issue: {number},", f"issue: {number + 5},"))
        # A section's own page: its title is in every item's breadcrumbs.
        step(lambda: _edit(docs / "news" / "index.md", "title: 新闻动态", "title: 本局动态"))
        # The configuration: the office's name is on every page.
        step(lambda: _edit(config, "name: 测试市测试区建设局", "name: 测试市测试区住房和城乡建设局"))
        # A change that leaves the pages as they were renders nothing.
        before = len(lines)
        step(lambda: _edit(news[0], "\n---\n", "\n---\n", 1) or os.utime(news[0]))
        assert any("重新生成 0 个页面" in line for line in lines[before:]), lines[before:]


@contextmanager
def serve(docs: Path, config: Path, *args: str, drop: tuple[str, ...] = ()):
    """scripts/serve.py as staff run it (make serve), on a free port; its output is read after it stops."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = docs.parent / f"serve-{port}.log"
    with out.open("w", encoding="utf-8") as log:
        process = subprocess.Popen([PYTHON, "scripts/serve.py", "--addr", f"127.0.0.1:{port}", *args], cwd=ROOT,
                                   env={k: v for k, v in run_env(PUBLICITY_DOCS=str(docs), PUBLICITY_CONFIG=str(config)).items()
                                        if k not in drop},
                                   stdout=log, stderr=subprocess.STDOUT)
    origin = f"http://127.0.0.1:{port}"
    result = {"output": ""}
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                state(origin)
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, out.read_text(encoding="utf-8")
                time.sleep(0.2)
        yield origin, result
    finally:
        process.terminate()
        process.wait(timeout=30)
        result["output"] = out.read_text(encoding="utf-8")
        result["code"] = process.returncode


def test_a_mistake_shows_a_panel_over_the_last_good_page_until_it_is_fixed(project, desktop):
    docs, config = project
    item = sorted((docs / "news" / "2008").glob("*.md"))[0]
    url_path = item.relative_to(docs).with_suffix("").as_posix() + "/"
    title = re.search(r"title: (.+)", item.read_text(encoding="utf-8")).group(1)
    with serve(docs, config) as (origin, _):
        version = settle(origin, 0)["version"]
        desktop.goto(f"{origin}/{url_path}")
        assert desktop.locator("h1").first.inner_text() == title
        original = item.read_text(encoding="utf-8")
        _edit(item, "date: 2008-", "date: 2008.")  # 2008.04.17: the way staff write dates
        panel = desktop.locator("#pub-preview-problems")
        panel.wait_for(state="visible", timeout=30_000)
        text = panel.inner_text()
        shown = f"{item.relative_to(docs).as_posix()}:3"
        assert "处错误" in text and shown in text and "date" in text and "改法" in text, text
        # The last good version stays readable behind it, and the server answers at once meanwhile.
        assert desktop.locator("h1").first.inner_text() == title
        status, body = get(f"{origin}/{url_path}", timeout=2)
        assert status == 200 and title.encode() in body
        problems = settle(origin, version)["problems"]
        assert [p["code"] for p in problems] == ["date-format"] and problems[0]["line"] == 3
        item.write_text(original.replace(f"title: {title}", "title: 改好了的标题"), encoding="utf-8")
        panel.wait_for(state="detached", timeout=30_000)
        desktop.wait_for_function("() => document.querySelector('h1').textContent === '改好了的标题'", timeout=30_000)


def test_it_starts_with_a_mistake_and_shows_the_pages_once_it_is_fixed(project, desktop):
    docs, config = project
    item = sorted((docs / "news" / "2009").glob("*.md"))[0]
    good = item.read_text(encoding="utf-8")
    item.write_text(good.replace("date: 2009-", "date: 2009年"), encoding="utf-8")
    with serve(docs, config) as (origin, result):
        now = settle(origin, 0)
        assert now["problems"] and now["problems"][0]["path"].endswith(item.relative_to(docs).as_posix())
        status, body = get(origin + "/")
        assert status == 503 and "还没有可以预览的页面".encode() in body
        desktop.goto(origin + "/news/")
        panel = desktop.locator("#pub-preview-problems")
        panel.wait_for(state="visible", timeout=30_000)
        assert item.relative_to(docs).as_posix() in panel.inner_text()
        item.write_text(good, encoding="utf-8")
        desktop.wait_for_function("() => document.querySelector('.pub-entry') !== null", timeout=60_000)
        assert desktop.locator("#pub-preview-problems").count() == 0
    output = result["output"]
    assert "错误[" in output and "还没有可以预览的页面" in output and "预览已就绪" in output
    assert "Traceback" not in output and not any(n in output for n in NOTICES), output


@pytest.mark.parametrize("quiet", [True, False], ids=["NO_MKDOCS_2_WARNING set", "unset"])
def test_no_notice_of_material_with_or_without_the_variable(project, quiet):
    docs, config = project
    with serve(docs, config, drop=() if quiet else ("NO_MKDOCS_2_WARNING",)) as (origin, result):
        settle(origin, 0)
        assert get(origin + "/news/")[0] == 200
    assert result["code"] == 0 and "预览已停止" in result["output"]
    assert not any(n in result["output"] for n in NOTICES), result["output"]


def test_a_taken_port_is_said_in_chinese(project):
    docs, config = project
    holder = socket.socket()
    try:
        try:
            holder.bind(("127.0.0.1", 8000))
            holder.listen()
        except OSError:
            pass  # something else holds 8000 already: taken either way
        result = subprocess.run([PYTHON, "scripts/serve.py"], cwd=ROOT, capture_output=True, text=True, timeout=60,
                                env=run_env(PUBLICITY_DOCS=str(docs), PUBLICITY_CONFIG=str(config)))
    finally:
        holder.close()
    assert result.returncode == 1
    assert "已被占用" in result.stderr and "make serve ADDR=127.0.0.1:8001" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr + result.stdout and "Errno" not in result.stderr


def test_a_wrong_address_is_said_in_chinese(project):
    docs, config = project
    result = subprocess.run([PYTHON, "scripts/serve.py", "--addr", "localhost"], cwd=ROOT, capture_output=True, text=True,
                            timeout=60, env=run_env(PUBLICITY_DOCS=str(docs), PUBLICITY_CONFIG=str(config)))
    assert result.returncode == 1 and "写法不对" in result.stderr and "Traceback" not in result.stderr


def test_the_published_build_has_no_live_script(sample_site):
    for page in sample_site.rglob("*.html"):
        assert b"__preview" not in page.read_bytes(), page



def test_the_checks_pages_are_the_plans(sample, sample_config):
    """What the checks take for the build's own pages (site_plan.generated_paths) is what the plan makes."""
    from publicity.site_plan import generated_paths, plan_site

    from conftest import AS_OF_DATE

    visible = sample.visible(AS_OF_DATE, preview=True)
    assert generated_paths(sample, visible, sample_config) == plan_site(sample, visible, sample_config, AS_OF_DATE).generated_paths
