"""The preview's figures (`make serve`, scripts/serve.py): start, and save -> the served page shows it.

    python scripts/bench/bench_preview.py [--items 1000 10000] [--repeat 3]

For each size it generates a corpus (scripts/corpus.py --text real, ten years; issues and rules as
bench.py makes them), starts scripts/serve.py on it in a fresh process, as staff do, and measures as a
reader's browser would see it, asking the server every 20 ms:

* start: from starting the process to the home page served, to every page ready (the state says
  the first build is done), and to the search index ready (it is made after the pages, in the background);
* an edited item: from saving a new title into an item to its page showing it;
* a new item: from saving a new news item (the newest) to the news listing showing its title;
* an edited item again, saved while the search index of the save before is being written.

Each save is made on an idle preview (the previous change done, its search index too), ``--repeat`` times;
the figures are the median and the slowest. Also printed: how long after an edit the search index is refreshed.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AS_OF = "2026-11-28"
POLL = 0.02  # seconds between a poller's requests
INDEXING = 1.0  # the preview starts refreshing its search index this long after the last change (SearchRefresh.QUIET)


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def wait_until(test, limit: float = 600) -> float:
    """Seconds until ``test()`` is true, asked every POLL seconds."""
    start = time.perf_counter()
    while not test():
        if time.perf_counter() - start > limit:
            raise SystemExit(f"超时：{limit} 秒内没有等到")
        time.sleep(POLL)
    return time.perf_counter() - start


def state(origin: str) -> dict:
    return json.loads(get(origin + "/__preview/state")[1])


def settled(origin: str, after: int) -> dict:
    """The state once the preview has done everything after version ``after``, its search index included:
    each save is measured on an idle preview, as a person saves, looks, and saves again."""
    while True:
        now = state(origin)
        if now["version"] > after and not now["building"] and now["search"]:
            return now
        time.sleep(POLL)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def measure(size: int, repeat: int, tmp: Path, env: dict) -> dict:
    docs = tmp / f"docs-{size}"
    subprocess.run([sys.executable, "scripts/corpus.py", str(docs), "--news", str(size), "--issues", str(max(size // 30, 10)),
                    "--rules", str(max(size // 100, 5)), "--years", "10", "--text", "real"],
                   cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    log = (tmp / f"serve-{size}.log").open("w", encoding="utf-8")
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, "scripts/serve.py", "--addr", f"127.0.0.1:{port}"], cwd=ROOT,
                              env={**env, "PUBLICITY_DOCS": str(docs)}, stdout=log, stderr=subprocess.STDOUT)
    figures: dict = {"size": size}
    try:
        def home_served() -> bool:
            try:
                return get(origin + "/")[0] == 200
            except OSError:
                return False
        wait_until(home_served)
        figures["first_page"] = time.perf_counter() - started
        wait_until(lambda: state(origin)["version"] >= 1 and not state(origin)["building"])
        figures["all_pages"] = time.perf_counter() - started
        version = settled(origin, 0)["version"]
        figures["search"] = time.perf_counter() - started
        news = sorted((docs / "news").rglob("[0-9]*.md"))
        edited, added, searched, busy = [], [], [], []
        for n in range(repeat):
            item = news[len(news) // 3 + n * 7]
            url = f"{origin}/{item.relative_to(docs).with_suffix('').as_posix()}/"
            title = f"改过的标题第{n}次".encode()
            text = item.read_text(encoding="utf-8")
            saved = time.perf_counter()
            item.write_text(text.replace("title: ", f"title: {title.decode()}", 1), encoding="utf-8")
            wait_until(lambda url=url, title=title: title in get(url)[1])
            edited.append(time.perf_counter() - saved)
            version = settled(origin, version)["version"]
            searched.append(time.perf_counter() - saved)

            # Saving again while the search index of the save before is being written, as staff do: the
            # index's helper runs at a lower priority and must not slow the page.
            mark, title = f"又{n}".encode(), f"再次改过的标题第{n}次".encode()
            item.write_text(text.replace("title: ", f"title: {mark.decode()}", 1), encoding="utf-8")
            wait_until(lambda url=url, mark=mark: mark in get(url)[1])
            wait_until(lambda: not state(origin)["search"])
            time.sleep(INDEXING + 1)  # the refresh has started
            saved = time.perf_counter()
            item.write_text(text.replace("title: ", f"title: {title.decode()}", 1), encoding="utf-8")
            wait_until(lambda url=url, title=title: title in get(url)[1])
            busy.append(time.perf_counter() - saved)
            version = settled(origin, version)["version"]

            new = docs / "news" / "2026" / f"1127-bench-{n}.md"
            new.parent.mkdir(exist_ok=True)
            title = f"基准测试新增新闻第{n}篇".encode()
            saved = time.perf_counter()
            new.write_text(f"---\ntitle: {title.decode()}\ndate: 2026-11-27\ndepartment: 办公室\n---\n\n新增新闻的正文。\n",
                           encoding="utf-8")
            wait_until(lambda title=title: title in get(origin + "/news/")[1])
            added.append(time.perf_counter() - saved)
            version = settled(origin, version)["version"]
        figures.update(edited=edited, added=added, searched=searched, busy=busy)
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()
    figures["log"] = (tmp / f"serve-{size}.log").read_text(encoding="utf-8")
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description="预览（make serve）的性能：启动时间，保存后页面显示改动的时间")
    parser.add_argument("--items", type=int, nargs="+", default=[1000, 10000], help="新闻篇数")
    parser.add_argument("--repeat", type=int, default=3, help="每种改动测几次")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PUBLICITY_")}
    env.update(NO_MKDOCS_2_WARNING="1", PUBLICITY_AS_OF=AS_OF)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.items:
            row = measure(size, args.repeat, Path(tmp), env)
            rows.append(row)
            print(f"{size:>6} items: first page {row['first_page']:.1f} s, all pages {row['all_pages']:.1f} s, "
                  f"search index {row['search']:.1f} s; edited item {_spread(row['edited'])}; "
                  f"new item on the news listing {_spread(row['added'])}; search index after an edit {_spread(row['searched'])}; "
                  f"edited item while the index is written {_spread(row['busy'])}",
                  flush=True)
            updates = [line for line in row["log"].splitlines() if line.startswith("已更新")]
            for line in updates:
                print(f"        {line}")
    print()
    print("| news items (+ issues, rules) | start: home page served | start: every page ready | start: search ready "
          "| save → edited item shows it | … while the search index is written | save → new item on the news listing "
          "| save → search index refreshed (edit) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        size = r["size"]
        print(f"| {size:,} (+{max(size // 30, 10)}, +{max(size // 100, 5)}) | {r['first_page']:.1f} s | {r['all_pages']:.1f} s "
              f"| {r['search']:.1f} s | {_spread(r['edited'])} | {_spread(r['busy'])} | {_spread(r['added'])} "
              f"| {_spread(r['searched'])} |")
    return 0


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s (slowest {max(values):.2f})"


if __name__ == "__main__":
    sys.exit(main())
