"""Page weight and first render, measured in Chromium: the project's item page against plain Material.

    python scripts/bench/weight.py [--profile local|broadband|mobile] [--runs N]

Builds the sample content twice, with the project's configuration and with
plain MkDocs + Material (search off; the baseline of scripts/bench/bench.py), serves
both on 127.0.0.1 and loads the same item pages in Debian's Chromium with an
empty cache. Prints the bytes of HTML, CSS, JavaScript and fonts each page
loads (uncompressed) and the time to first contentful paint.

First paint on a 2-core machine moves by 10% and more from one load to the
next, so the loads come in rounds (project, Material and its copy, in every order
in turn), the ratio is the median of the rounds' ratios, and an A/A row (Material against
a second copy of itself) shows how far that ratio moves when nothing differs.
Main-thread time (Chromium's TaskDuration and LayoutDuration up to the load
event) is printed beside it: it says where a difference lies.

Three network profiles, emulated by Chromium: "local" (no latency: only the
browser's own work counts, as on a fast intranet), "broadband" (40 ms, 10 Mbit/s)
and "mobile" (Lighthouse's slow 4G: 150 ms, 1.6 Mbit/s, and a CPU 4x slower).
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench import BASELINE_CONFIG

ROOT = Path(__file__).resolve().parents[2]
PAGES = ("news/2008/0508-jinggai-zhengzhi/", "rules/laike-jiedai-2007/", "newsletters/chengjian/2008-03/")
KINDS = ("HTML", "CSS", "JavaScript", "fonts")


@dataclass(frozen=True)
class Profile:
    latency_ms: float | None  # None: no network emulation
    kbit_s: float = 0
    cpu_slowdown: float = 1
    runs: int = 25


PROFILES = {
    "local": Profile(None, runs=30),
    "broadband": Profile(40, 10_000, runs=18),
    "mobile": Profile(150, 1_600, cpu_slowdown=4, runs=12),
}


def build(tmp: Path) -> None:
    """The project's site in tmp/ours, plain Material's in tmp/baseline and a copy of it in tmp/baseline-copy."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PUBLICITY_AS_OF": "2026-11-28"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp / "ours")], cwd=ROOT, env=env, check=True)
    config = tmp / "baseline.yml"
    config.write_text(BASELINE_CONFIG.format(docs=ROOT / "docs", site=tmp / "baseline"), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)], cwd=tmp, env=env, check=True)
    shutil.copytree(tmp / "baseline", tmp / "baseline-copy")


def measure(browser, url: str, profile: Profile) -> dict:
    """One load with an empty cache: bytes by kind (decoded, i.e. uncompressed), first paint, main-thread time."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    if profile.latency_ms is not None:
        rate = profile.kbit_s * 1000 / 8
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": profile.latency_ms,
                                                      "downloadThroughput": rate, "uploadThroughput": rate})
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": profile.cpu_slowdown})
    page.goto(url, wait_until="networkidle")
    entries = page.evaluate("""() => [performance.getEntriesByType('navigation')[0],
        ...performance.getEntriesByType('resource')].map(e => [e.name, e.decodedBodySize, e.entryType])""")
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    result = {"fcp_ms": page.evaluate("performance.getEntriesByName('first-contentful-paint')[0]?.startTime || 0"),
              "task_ms": metrics["TaskDuration"] * 1000, "layout_ms": metrics["LayoutDuration"] * 1000}
    for name, size, entry_type in entries:
        kind = "HTML" if entry_type == "navigation" else _kind(name)
        if kind:
            result[kind] = result.get(kind, 0) + size
    context.close()
    return result


def _kind(url: str) -> str | None:
    suffix = url.split("?", 1)[0].rsplit(".", 1)[-1].lower()
    return {"css": "CSS", "js": "JavaScript", "woff": "fonts", "woff2": "fonts", "ttf": "fonts", "otf": "fonts"}.get(suffix)


def serve(root: Path):
    """A static server in its own process: served from this one, it would compete with the browser driver."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "http.server", "-b", "127.0.0.1", str(port), "-d", str(root)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    return server, f"http://127.0.0.1:{port}/"


PROJECT, MATERIAL, AGAIN = "project", "Material, search off", "Material again (A/A)"


def paired(rounds: list[dict], a: str, b: str, key: str) -> float:
    """The median over rounds of a's figure over b's, both loaded in the same round."""
    return statistics.median(r[a][key] / r[b][key] for r in rounds)


def run_profile(browser, sites: dict[str, str], name: str, profile: Profile, runs: int) -> None:
    print(f"\n{name}: " + ("no network emulation" if profile.latency_ms is None else
                           f"{profile.latency_ms:.0f} ms, {profile.kbit_s / 1000:g} Mbit/s") +
          (f", CPU {profile.cpu_slowdown:g}x slower" if profile.cpu_slowdown != 1 else "") + f", {runs} rounds\n")
    print("| page | site | HTML | CSS | JavaScript | fonts | total | first contentful paint | main thread | layout |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    keys = ("fcp_ms", "task_ms", "layout_ms")
    # Each round loads every site once. The rounds go through every order of the sites, so each
    # site takes each place in a round equally often and nothing that follows the place (a
    # warmer process, a busier machine) favours one of them.
    orders = list(itertools.permutations(sites))
    for path in PAGES:
        rounds = []
        for n in range(runs):
            rounds.append({site: measure(browser, sites[site] + path, profile) for site in orders[n % len(orders)]})
        for site in sites:
            last = rounds[-1][site]
            cells = " | ".join(f"{last.get(k, 0) / 1024:.1f} KB" for k in KINDS)
            medians = " | ".join(f"{statistics.median(r[site][k] for r in rounds):.0f} ms" for k in keys)
            print(f"| {path} | {site} | {cells} | {_total(last) / 1024:.1f} KB | {medians} |")
        for site in (PROJECT, AGAIN):
            size = _total(rounds[-1][site]) / _total(rounds[-1][MATERIAL])
            ratios = " | ".join(f"{paired(rounds, site, MATERIAL, k):.2f}" for k in keys)
            print(f"| {path} | ratio, {site} | | | | | {size:.3f} | {ratios} |")


def _total(result: dict) -> int:
    return sum(result.get(k, 0) for k in KINDS)


def main() -> int:
    parser = argparse.ArgumentParser(description="页面重量与首次渲染时间：本项目与原版 Material 对比")
    parser.add_argument("--profile", choices=PROFILES, action="append", help="网络条件（可重复；默认全部）")
    parser.add_argument("--runs", type=int, help="每页加载轮数（每轮三个网站各加载一次，依次采用所有顺序；取各轮比值的中位数）")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        build(Path(tmp))
        server, origin = serve(Path(tmp))
        sites = {PROJECT: origin + "ours/", MATERIAL: origin + "baseline/", AGAIN: origin + "baseline-copy/"}
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for name in args.profile or PROFILES:
            run_profile(browser, sites, name, PROFILES[name], args.runs or PROFILES[name].runs)
        browser.close()
        server.terminate()
    return 0

if __name__ == "__main__":
    sys.exit(main())
