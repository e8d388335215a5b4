"""Benchmarks that print figures (never timed tests that flake).

    python scripts/bench/bench.py [--sizes 1000 10000] [--previous REV] [--repeat 3] [--no-browser] [--no-previous]

For each size it generates a corpus of real-length items (scripts/corpus.py --text real, ten years:
news of 800–1,500 characters, issues of 2,000–5,000, rules of 1,000–5,000) and measures, in the
same run and each in a fresh process as staff run them:

* ``count.py``: best of ``--repeat`` runs;
* the project's full build (``mkdocs build``, search index included), with the peak memory of the
  MkDocs process and of the largest process it started (the search index writer, the QR codes);
* the same build by the previous design (``--previous``, a commit checked out in a temporary
  worktree and run from there), on the same corpus, so that a gain is measured, not claimed;
* a baseline: plain MkDocs with Material on the same Markdown, items out of the navigation, no
  hooks, search off (a generated ``mkdocs.yml``; MkDocs reads the front matter itself);
* the search index's size and the item page's HTML size;
* in Chromium, against each built site: what a first-time visitor's first query downloads (every
  response after the search is opened: the search code, its settings, Pagefind's files), on the wire
  as nginx sends it (gzip_static: compressed for the types the build compresses) and uncompressed, for
  four words and for eight ten-character phrases from inside items' texts, and how long later queries
  take from typing to results shown, once loaded;
* CPU seconds beside every build's wall time (the process and all it started): on a shared machine
  the wall times move, the CPU seconds much less.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AS_OF = "2026-11-28"
PREVIOUS = "69c1893"  # the last commit with the previous search design (a word at every position, up to 6 characters)
FIRST_QUERIES = ["井盖", "文明创建", "排水管网", "区建设局"]  # each the first query of a fresh visitor (+ a phrase from a text)
LATER_QUERIES = ["学雷锋", "建议提案", "汶川地震", "化粪池", "张银成", "老干部座谈"]
HAN_RUN = re.compile("[\u4e00-\u9fff]{14,}")
PHRASES = 8  # ten-character phrases, each from another item's text

# Runs a command's Python entry point in this process, then prints the peak memory of the process
# itself and of the largest child it waited for (the Pagefind indexer), in KB.
_MEASURED = """
import json, resource, runpy, sys
sys.argv = sys.argv[1:]
try:
    if sys.argv[0].endswith(".py"):
        runpy.run_path(sys.argv[0], run_name="__main__")
    else:
        runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
except SystemExit as exc:
    code = exc.code
else:
    code = 0
me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"code": code, "self_kb": me.ru_maxrss, "children_kb": children.ru_maxrss,
                  "cpu": me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime}), file=sys.stderr)
"""

BASELINE_CONFIG = """\
# Baseline for scripts/bench/bench.py: plain MkDocs with Material on the same Markdown, no hooks,
# items out of the navigation, search off.
site_name: 荆州市沙市区建设局
docs_dir: {docs}
site_dir: {site}
use_directory_urls: true
theme:
  name: material
  language: zh
  font: false
  features:
    - navigation.tabs
plugins: []
markdown_extensions:
  - toc:
      permalink: false
  - tables
  - attr_list
  - md_in_html
  - admonition
  - footnotes
  - pymdownx.tilde
  - pymdownx.details
nav:
  - 首页: index.md
  - 新闻动态: news/index.md
  - 工作简报: newsletters/index.md
  - 规章制度: rules/index.md
validation:
  omitted_files: info
  absolute_links: info
  unrecognized_links: info
"""


def run(cmd: list[str], env: dict[str, str], cwd: Path = ROOT, may_fail: bool = False) -> dict:
    """Wall time and peak memory (MB) of one run of a Python module's command line: the process, and the
    largest process it waited for. A failed run stops the benchmark, unless ``may_fail`` (the previous design):
    then its last line is given as ``failed``."""
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", _MEASURED, *cmd], cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    report = json.loads(result.stderr.strip().splitlines()[-1])
    if report["code"] not in (0, None):
        if not may_fail:
            sys.exit(f"{' '.join(cmd)} failed:\n{result.stderr[-3000:]}")
        lines = [line for line in result.stderr.splitlines() if line.strip() and not line.startswith("{")]
        return {"seconds": seconds, "self_mb": report["self_kb"] / 1024, "child_mb": report["children_kb"] / 1024,
                "cpu": report["cpu"], "failed": lines[-1] if lines else f"exit {report['code']}"}
    return {"seconds": seconds, "self_mb": report["self_kb"] / 1024, "child_mb": report["children_kb"] / 1024,
            "cpu": report["cpu"]}


def best(cmd: list[str], env: dict[str, str], repeat: int) -> float:
    return min(run(cmd, env)["seconds"] for _ in range(repeat))


def item_page_kb(site: Path) -> float:
    pages = list(site.glob("news/[0-9]*/*/index.html"))
    return sum(p.stat().st_size for p in pages) / len(pages) / 1024


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and p.suffix != ".gz") / 1024 / 1024


def phrases_from_texts(docs: Path, count: int = PHRASES) -> dict[str, str]:
    """Ten characters from inside the texts of ``count`` news items spread over the corpus: phrases a reader copies,
    each with its item's address (news/2009/0512-x/)."""
    items = sorted((docs / "news").rglob("*.md"))
    phrases = {}
    for n in range(count):
        item = items[(2 * n + 1) * len(items) // (2 * count)]
        body = item.read_text(encoding="utf-8").split("---\n", 2)[2]
        run_ = HAN_RUN.findall(body)[1]
        phrases[run_[2:12]] = f"{item.parent.relative_to(docs).as_posix()}/{item.stem}/"
    return phrases


def wire_bytes(site: Path, url: str, body: bytes) -> int:
    """What nginx sends for a response (deploy/nginx: gzip_static): compressed when the type is one the build
    compresses. Compressed here for both designs alike (the previous one wrote no .gz files)."""
    from publicity.deploy.finish import COMPRESSED, gzipped

    return min(len(body), len(gzipped(body))) if Path(url.split("?", 1)[0]).suffix in COMPRESSED else len(body)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def browser_figures(site: Path, queries: list[str], items: dict[str, str] | None = None) -> dict:
    """First-query download (KB, the largest over ``queries``, and the phrase's) and time to results once loaded (ms);
    for a query in ``items``, whether its item is among the results shown first (the first ten)."""
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    downloads, wire, times, found, each, shown = {}, {}, [], {}, {}, {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
            for n, query in enumerate(queries):
                context = browser.new_context(viewport={"width": 1366, "height": 900})
                page = context.new_page()
                page.goto(f"{origin}/", wait_until="networkidle")
                responses: list = []
                page.on("response", lambda response, responses=responses: responses.append(response))
                page.locator(".md-search__input").click()
                page.keyboard.insert_text(query)
                page.wait_for_selector(".pub-search[data-search-ms]", timeout=120_000)
                page.wait_for_load_state("networkidle")
                sizes = {r.url: r.body() for r in responses if r.ok and r.request.method == "GET"}
                downloads[query] = sum(map(len, sizes.values())) / 1024
                wire[query] = sum(wire_bytes(site, url, body) for url, body in sizes.items()) / 1024
                found[query] = page.locator(".md-search-result__item").count()
                if items and query in items:
                    hrefs = page.eval_on_selector_all("a.md-search-result__link", "links => links.map(a => a.href)")
                    shown[query] = any(h.endswith("/" + items[query]) for h in hrefs)
                if n == 0:  # loaded now: time later queries from typing to results shown
                    for later in LATER_QUERIES:
                        ms, said = page.evaluate(_TIMED_QUERY, later)
                        times.append(ms)
                        each[later] = f"{ms:.0f} ms ({said})"
                context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    words, phrases = queries[:len(FIRST_QUERIES)], queries[len(FIRST_QUERIES):]
    return {"download_kb": max(downloads[q] for q in words), "wire_kb": max(wire[q] for q in words),
            "phrase_kb": max(downloads[q] for q in phrases), "phrase_wire_kb": [wire[q] for q in phrases],
            "phrase_found": min(found[q] for q in phrases), "ms_median": statistics.median(times), "ms_max": max(times),
            "each": each, "own_item_shown": sum(shown.values()), "shown": shown}


_TIMED_QUERY = """async (q) => {
    const input = document.querySelector(".md-search__input");
    const box = document.querySelector(".pub-search");
    box.removeAttribute("data-search-ms");
    const start = performance.now();
    input.value = q;
    input.dispatchEvent(new Event("input"));
    while (!box.hasAttribute("data-search-ms")) await new Promise((r) => setTimeout(r, 2));
    return [performance.now() - start, box.querySelector(".md-search-result__meta")?.textContent || ""];
}"""


def previous_worktree(rev: str, folder: Path) -> Path:
    """The previous design's code, checked out beside the project: its build runs from there."""
    subprocess.run(["git", "worktree", "add", "--detach", "--force", str(folder), rev], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return folder


def build_figures(label: str, cmd: list[str], env: dict[str, str], cwd: Path, site: Path, may_fail: bool = False) -> dict:
    result = run(cmd, env, cwd, may_fail)
    if "failed" in result:
        print(f"        {label}: FAILED after {result['seconds']:.1f} s ({result['cpu']:.0f} s of CPU), MkDocs "
              f"{result['self_mb']:.0f} MB, largest other process {result['child_mb']:.0f} MB: {result['failed']}", flush=True)
        return {"build": result["seconds"], "cpu": result["cpu"], "mkdocs_mb": result["self_mb"],
                "other_mb": result["child_mb"], "failed": result["failed"]}
    figures = {"build": result["seconds"], "cpu": result["cpu"], "mkdocs_mb": result["self_mb"], "other_mb": result["child_mb"],
               "index_mb": folder_mb(site / "pagefind"), "page_kb": item_page_kb(site)}
    print(f"        {label}: build {figures['build']:.1f} s ({figures['cpu']:.0f} s of CPU), MkDocs {figures['mkdocs_mb']:.0f} MB, largest other process "
          f"{figures['other_mb']:.0f} MB, search index {figures['index_mb']:.1f} MB, item page {figures['page_kb']:.1f} KB",
          flush=True)
    return figures


def measure(size: int, tmp: Path, args, env: dict[str, str], previous: Path | None) -> dict:
    docs = tmp / f"docs-{size}"
    subprocess.run([sys.executable, "scripts/corpus.py", str(docs), "--news", str(size), "--issues", str(max(size // 30, 10)),
                    "--rules", str(max(size // 100, 5)), "--years", "10", "--text", "real"],
                   cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    row: dict = {"count": best(["scripts/count.py", "--docs", str(docs), "--format", "json"], env, args.repeat)}
    print(f"{size:>6} items: count.py {row['count']:.2f} s", flush=True)
    config = tmp / f"baseline-{size}.yml"
    config.write_text(BASELINE_CONFIG.format(docs=docs, site=tmp / f"baseline-{size}"), encoding="utf-8")
    baseline = run(["mkdocs", "build", "-q", "-f", str(config)], env)
    row["baseline"], row["baseline_cpu"] = baseline["seconds"], baseline["cpu"]
    print(f"        baseline (plain Material, no search): {row['baseline']:.1f} s ({row['baseline_cpu']:.0f} s of CPU)",
          flush=True)
    site = tmp / f"site-{size}"
    row["now"] = build_figures("this design", ["mkdocs", "build", "-q", "-d", str(site)], {**env, "PUBLICITY_DOCS": str(docs)},
                               ROOT, site)
    sites = {"now": site}
    if previous is not None:
        old_site = tmp / f"previous-{size}"
        old_env = {**env, "PUBLICITY_DOCS": str(docs), "PYTHONPATH": str(previous / "src")}
        row["before"] = build_figures(f"previous design ({args.previous})", ["mkdocs", "build", "-q", "-d", str(old_site)],
                                      old_env, previous, old_site, may_fail=True)
        if "failed" not in row["before"]:
            sites["before"] = old_site
    if not args.no_browser:
        phrases = phrases_from_texts(docs)
        for key, built in sites.items():
            f = row[key]
            f.update(browser_figures(built, [*FIRST_QUERIES, *phrases], phrases))
            print(f"        {key}: a first query of a word downloads up to {f['wire_kb']:.0f} KB on the wire "
                  f"({f['download_kb']:.0f} KB uncompressed); of a phrase ({'、'.join(phrases)}) "
                  f"{'、'.join(f'{kb:.0f}' for kb in f['phrase_wire_kb'])} KB (uncompressed up to {f['phrase_kb']:.0f} KB; "
                  f"each found ≥ {f['phrase_found']} results, its own item among the first ten for "
                  f"{f['own_item_shown']} of {len(phrases)}); results in {f['ms_median']:.0f} ms (max {f['ms_max']:.0f} ms) "
                  f"once loaded: {'; '.join(f'{q} {said}' for q, said in f['each'].items())}", flush=True)
    return row


def table(rows: dict[int, dict]) -> None:
    print("\n| news items | design | build, search included (CPU) | baseline (CPU) | ratio | MkDocs | largest other process "
          "| search index | first query of a word | of a 10-character phrase (median, largest) | results once loaded "
          "| count.py |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for size, r in rows.items():
        for key, name in (("before", "previous"), ("now", "this")):
            if key not in r:
                continue
            f = r[key]
            if "failed" in f:
                print(f"| {size:,} | {name} | failed after {f['build']:.1f} s ({f['cpu']:.0f} s): {f['failed']} "
                      f"| {r['baseline']:.1f} s ({r['baseline_cpu']:.0f} s) | | {f['mkdocs_mb']:,.0f} MB | {f['other_mb']:,.0f} MB "
                      "| | | | | |")
                continue
            search = (f"{f['wire_kb']:.0f} KB | {statistics.median(f['phrase_wire_kb']):.0f} KB, {max(f['phrase_wire_kb']):.0f} KB "
                      f"| {f['ms_median']:.0f} ms (max {f['ms_max']:.0f})" if "wire_kb" in f else " | | ")
            print(f"| {size:,} | {name} | {f['build']:.1f} s ({f['cpu']:.0f} s) | {r['baseline']:.1f} s ({r['baseline_cpu']:.0f} s) "
                  f"| {f['build'] / r['baseline']:.2f}× "
                  f"| {f['mkdocs_mb']:,.0f} MB | {f['other_mb']:,.0f} MB | {f['index_mb']:.1f} MB | {search} "
                  f"| {r['count']:.2f} s |")


def main() -> int:
    parser = argparse.ArgumentParser(description="性能基准：统计脚本、网站构建（含搜索索引）、以前的设计、对照构建、搜索下载量")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="新闻篇数")
    parser.add_argument("--previous", default=PREVIOUS, help="以前的设计所在的提交")
    parser.add_argument("--no-previous", action="store_true", help="不测以前的设计")
    parser.add_argument("--repeat", type=int, default=3, help="统计脚本重复次数（取最快）")
    parser.add_argument("--no-browser", action="store_true", help="不在 Chromium 中测搜索")
    args = parser.parse_args()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PUBLICITY_AS_OF": AS_OF}
    print(f"{time.strftime('%Y-%m-%d %H:%M')} · {platform.node()} · {os.cpu_count()} cores · "
          f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB · load {os.getloadavg()[0]:.1f}", flush=True)
    rows: dict[int, dict] = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        previous = None if args.no_previous else previous_worktree(args.previous, tmp / "previous-code")
        try:
            for size in args.sizes:
                rows[size] = measure(size, tmp, args, env, previous)
        finally:
            if previous is not None:
                subprocess.run(["git", "worktree", "remove", "--force", str(previous)], cwd=ROOT, check=False)
    table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
