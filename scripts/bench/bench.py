"""Benchmarks that print figures (never timed tests that flake).

    python scripts/bench/bench.py [--sizes 1000 10000] [--repeat 3] [--no-build] [--no-browser]

For each size it generates a corpus (scripts/corpus.py, ten years) and measures, in the same run
and each in a fresh process as staff run them:

* ``count.py``: best of ``--repeat`` runs;
* the project's full build (``mkdocs build``, search index included) and its peak memory: the
  MkDocs process's own peak plus the Pagefind indexer's (it runs while MkDocs holds its memory);
* a baseline: plain MkDocs with Material on the same Markdown, items out of the navigation, no
  hooks, search off (a generated ``mkdocs.yml``; MkDocs reads the front matter itself);
* the item page's HTML size;
* in Chromium, against the built site: what a first-time visitor's first query downloads (every
  response after the search is opened: the search code, its settings, Pagefind's files), and how
  long later queries take from typing to results shown, once loaded.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AS_OF = "2026-11-28"
FIRST_QUERIES = ["井盖", "文明创建", "排水管网", "区建设局"]  # each the first query of a fresh visitor
LATER_QUERIES = ["学雷锋", "建议提案", "汶川地震", "化粪池", "张银成", "老干部座谈"]

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
print(json.dumps({"code": code, "self_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "children_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}), file=sys.stderr)
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


def run(cmd: list[str], env: dict[str, str]) -> dict:
    """Wall time and peak memory (MB) of one run of a Python module's command line."""
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", _MEASURED, *cmd], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    report = json.loads(result.stderr.strip().splitlines()[-1])
    if report["code"] not in (0, None):
        sys.exit(f"{' '.join(cmd)} failed:\n{result.stderr[-3000:]}")
    return {"seconds": seconds, "self_mb": report["self_kb"] / 1024, "child_mb": report["children_kb"] / 1024}


def best(cmd: list[str], env: dict[str, str], repeat: int) -> float:
    return min(run(cmd, env)["seconds"] for _ in range(repeat))


def item_page_kb(site: Path) -> float:
    pages = list(site.glob("news/[0-9]*/*/index.html"))
    return sum(p.stat().st_size for p in pages) / len(pages) / 1024


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def browser_figures(site: Path) -> dict:
    """First-query download (KB, the largest over FIRST_QUERIES) and time to results once loaded (ms)."""
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    downloads, pagefind_only, times = [], [], []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
            for n, query in enumerate(FIRST_QUERIES):
                context = browser.new_context(viewport={"width": 1366, "height": 900})
                page = context.new_page()
                page.goto(f"{origin}/", wait_until="networkidle")
                sizes: dict[str, int] = {}
                page.on("response", lambda r, sizes=sizes: sizes.__setitem__(r.url, len(r.body())) if r.ok else None)
                page.locator(".md-search__input").click()
                page.keyboard.insert_text(query)
                page.wait_for_selector(".pub-search[data-search-ms]", timeout=60_000)
                page.wait_for_load_state("networkidle")
                downloads.append(sum(sizes.values()) / 1024)
                pagefind_only.append(sum(v for u, v in sizes.items() if "/pagefind/" in u) / 1024)
                if n == 0:  # loaded now: time later queries from typing to results shown
                    for later in LATER_QUERIES:
                        times.append(page.evaluate("""async (q) => {
                            const input = document.querySelector(".md-search__input");
                            const box = document.querySelector(".pub-search");
                            box.removeAttribute("data-search-ms");
                            const start = performance.now();
                            input.value = q;
                            input.dispatchEvent(new Event("input"));
                            while (!box.hasAttribute("data-search-ms")) await new Promise((r) => setTimeout(r, 2));
                            return performance.now() - start;
                        }""", later))
                context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return {"download_kb": max(downloads), "pagefind_kb": max(pagefind_only),
            "ms_median": statistics.median(times), "ms_max": max(times)}


def main() -> int:
    parser = argparse.ArgumentParser(description="性能基准：统计脚本、网站构建（含搜索索引）、对照构建与搜索下载量")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="新闻篇数")
    parser.add_argument("--repeat", type=int, default=3, help="统计脚本重复次数（取最快）")
    parser.add_argument("--no-build", action="store_true", help="只测统计脚本")
    parser.add_argument("--no-browser", action="store_true", help="不在 Chromium 中测搜索")
    args = parser.parse_args()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PUBLICITY_AS_OF": AS_OF}
    rows: dict[int, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            docs, site, base_site = Path(tmp, f"docs-{size}"), Path(tmp, f"site-{size}"), Path(tmp, f"baseline-{size}")
            subprocess.run([sys.executable, "scripts/corpus.py", str(docs), "--news", str(size), "--issues",
                            str(max(size // 30, 10)), "--rules", str(max(size // 100, 5)), "--years", "10"],
                           cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
            row = rows[size] = {"count": best(["scripts/count.py", "--docs", str(docs), "--format", "json"],
                                              env, args.repeat)}
            print(f"{size:>6} items: count.py {row['count']:.2f} s", flush=True)
            if args.no_build:
                continue
            build = run(["mkdocs", "build", "-q", "-d", str(site)], {**env, "PUBLICITY_DOCS": str(docs)})
            config = Path(tmp, f"baseline-{size}.yml")
            config.write_text(BASELINE_CONFIG.format(docs=docs, site=base_site), encoding="utf-8")
            baseline = run(["mkdocs", "build", "-q", "-f", str(config)], env)
            row.update(build=build["seconds"], baseline=baseline["seconds"], ratio=build["seconds"] / baseline["seconds"],
                       mkdocs_mb=build["self_mb"], indexer_mb=build["child_mb"], page_kb=item_page_kb(site),
                       baseline_page_kb=item_page_kb(base_site))
            print(f"        build {build['seconds']:.1f} s (MkDocs {build['self_mb']:.0f} MB + Pagefind {build['child_mb']:.0f} MB), "
                  f"baseline {baseline['seconds']:.1f} s, ratio {row['ratio']:.2f}, item page {row['page_kb']:.1f} KB "
                  f"(baseline {row['baseline_page_kb']:.1f} KB)", flush=True)
            if not args.no_browser:
                row.update(browser_figures(site))
                print(f"        first query downloads {row['download_kb']:.0f} KB (Pagefind {row['pagefind_kb']:.0f} KB), "
                      f"results in {row['ms_median']:.0f} ms (max {row['ms_max']:.0f} ms) once loaded", flush=True)
    print()
    print("| news items | count.py | build (search included) | baseline | ratio | peak memory (MkDocs + Pagefind) "
          "| item page HTML | first query downloads | results once loaded |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for size, r in rows.items():
        if "build" not in r:
            print(f"| {size:,} | {r['count']:.2f} s | | | | | | | |")
            continue
        search = (f"{r['download_kb']:.0f} KB | {r['ms_median']:.0f} ms (max {r['ms_max']:.0f})"
                  if "download_kb" in r else "| ")
        print(f"| {size:,} | {r['count']:.2f} s | {r['build']:.1f} s | {r['baseline']:.1f} s | {r['ratio']:.2f}× "
              f"| {r['mkdocs_mb'] + r['indexer_mb']:.0f} MB ({r['mkdocs_mb']:.0f} + {r['indexer_mb']:.0f}) "
              f"| {r['page_kb']:.1f} KB | {search} |")
    sizes = [s for s in rows if "build" in rows[s]]
    if len(sizes) >= 2:
        small, large = min(sizes), max(sizes)
        print(f"\n{large:,} items took {rows[large]['build'] / rows[small]['build']:.1f}× the time of {small:,} "
              f"({large / small:.0f}× the items).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
