"""Benchmarks that print figures (never timed tests that flake).

    python scripts/bench.py [--sizes 1000 10000] [--repeat 3] [--no-build]

For each size it generates a corpus (scripts/corpus.py), then measures the
counting script and the full site build, each in a fresh process as staff
run them, and prints wall time, peak memory and the item page size.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def measure(cmd: list[str], env: dict[str, str], repeat: int) -> tuple[float, float]:
    """Best wall time of ``repeat`` runs, and the peak RSS (MB) of the slowest-memory one."""
    best, peak = float("inf"), 0.0
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - start)
        peak = max(peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, before / 1024)
    return best, peak


def main() -> int:
    parser = argparse.ArgumentParser(description="性能基准：统计脚本与网站构建")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="新闻篇数")
    parser.add_argument("--repeat", type=int, default=3, help="统计脚本重复次数（取最快）")
    parser.add_argument("--no-build", action="store_true", help="只测统计脚本")
    args = parser.parse_args()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PUBLICITY_AS_OF": "2026-11-28"}
    python = sys.executable
    print(f"{'items':>7}  {'count.py':>9}  {'build':>8}  {'build peak':>10}  {'item page':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            docs, site = Path(tmp, f"docs-{size}"), Path(tmp, f"site-{size}")
            subprocess.run([python, "scripts/corpus.py", str(docs), "--news", str(size), "--issues", str(max(size // 30, 10)),
                            "--rules", str(max(size // 100, 5)), "--years", "10"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
            count_time, _ = measure([python, "scripts/count.py", "--docs", str(docs), "--format", "json"], env, args.repeat)
            line = f"{size:>7}  {count_time:>8.2f}s"
            if not args.no_build:
                build_time, peak = measure([python, "-m", "mkdocs", "build", "-q", "-d", str(site)],
                                           {**env, "PUBLICITY_DOCS": str(docs)}, 1)
                pages = list(site.glob("news/[0-9]*/*/index.html"))
                size_kb = sum(p.stat().st_size for p in pages) / len(pages) / 1024
                line += f"  {build_time:>7.1f}s  {peak:>8.0f}MB  {size_kb:>7.1f}KB"
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
