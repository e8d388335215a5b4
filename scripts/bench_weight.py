"""Page weight and first render, measured in Chromium: the project's item page against plain Material.

    python scripts/bench_weight.py [--runs 5]

Builds the sample content twice, with the project's configuration and with
plain MkDocs + Material (search off; the baseline of scripts/bench.py), serves
both on 127.0.0.1 and loads the same item pages in Debian's Chromium with an
empty cache. Prints the bytes of HTML, CSS, JavaScript and fonts each page
loads (uncompressed) and the median time to first contentful paint.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from bench import BASELINE_CONFIG

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("news/2008/0508-jinggai-zhengzhi/", "rules/laike-jiedai-2007/", "newsletters/chengjian/2008-03/")
KINDS = ("HTML", "CSS", "JavaScript", "fonts")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def build(tmp: Path) -> tuple[Path, Path]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PUBLICITY_AS_OF": "2026-11-28"}
    ours, base = tmp / "ours", tmp / "baseline"
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(ours)], cwd=ROOT, env=env, check=True)
    config = tmp / "baseline.yml"
    config.write_text(BASELINE_CONFIG.format(docs=ROOT / "docs", site=base), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)], cwd=tmp, env=env, check=True)
    return ours, base


def measure(browser, origin: str, path: str, runs: int) -> dict:
    """Bytes by kind (decoded, i.e. uncompressed) and the median first contentful paint."""
    weights: dict[str, int] = {}
    paints = []
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        page = context.new_page()
        page.goto(origin + path, wait_until="networkidle")
        entries = page.evaluate("""() => [performance.getEntriesByType('navigation')[0],
            ...performance.getEntriesByType('resource')].map(e => [e.name, e.decodedBodySize, e.entryType])""")
        paints.append(page.evaluate("performance.getEntriesByName('first-contentful-paint')[0]?.startTime || 0"))
        weights = {}
        for name, size, entry_type in entries:
            kind = "HTML" if entry_type == "navigation" else _kind(name)
            if kind:
                weights[kind] = weights.get(kind, 0) + size
        context.close()
    return {**weights, "fcp_ms": statistics.median(paints)}


def _kind(url: str) -> str | None:
    suffix = url.split("?", 1)[0].rsplit(".", 1)[-1].lower()
    return {"css": "CSS", "js": "JavaScript", "woff": "fonts", "woff2": "fonts", "ttf": "fonts", "otf": "fonts"}.get(suffix)


def serve(site: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def main() -> int:
    parser = argparse.ArgumentParser(description="页面重量与首次渲染时间：本项目与原版 Material 对比")
    parser.add_argument("--runs", type=int, default=25, help="每页加载次数（两个网站交替加载，取中位数）")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        ours, base = build(Path(tmp))
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        servers = [serve(ours), serve(base)]
        print("| page | site | HTML | CSS | JavaScript | fonts | total | first contentful paint |")
        print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for path in PAGES:
            # Loads alternate between the two sites, so that whatever else the machine does
            # falls on both alike; the medians of many loads are compared.
            runs = [[measure(browser, origin, path, 1) for _, origin in servers] for _ in range(args.runs)]
            totals, paints = [], []
            for n, name in enumerate(("project", "Material, search off")):
                last = runs[-1][n]
                total = sum(last.get(k, 0) for k in KINDS)
                paint = statistics.median(r[n]["fcp_ms"] for r in runs)
                totals.append(total)
                paints.append(paint)
                cells = " | ".join(f"{last.get(k, 0) / 1024:.1f} KB" for k in KINDS)
                print(f"| {path} | {name} | {cells} | {total / 1024:.1f} KB | {paint:.0f} ms |")
            print(f"| {path} | ratio | | | | | {totals[0] / totals[1]:.3f} | {paints[0] / paints[1]:.2f} |")
        browser.close()
        for server, _ in servers:
            server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
