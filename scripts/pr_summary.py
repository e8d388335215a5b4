"""Summarise what a change publishes, for the pull request's job summary.

    python scripts/pr_summary.py --base origin/main [--head HEAD] >> "$GITHUB_STEP_SUMMARY"

Without --head, the working tree is compared with --base.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from publicity.changes import diff_content, summary_markdown, yearly
from publicity.checker import examine
from publicity.cli import ArgumentParser, date_arg, run, utf8_console
from publicity.config import CONFIG_FILE, load_config
from publicity.loader import load_content
from publicity.project import ROOT, as_of_date


def parser() -> ArgumentParser:
    p = ArgumentParser(prog="pr_summary.py", description="列出一次修改新增、修改、删除的内容，以及各年统计数字的变化。")
    p.add_argument("--base", required=True, help="比较的起点（提交、分支或标签）")
    p.add_argument("--head", help="比较的终点，默认为当前工作目录")
    p.add_argument("--as-of", type=date_arg, metavar="YYYY-MM-DD", help="以哪一天为准判断已发布，默认今天")
    return p


def repository() -> Path:
    """The repository the command runs in (CI runs it from the checkout)."""
    top = subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True)
    return Path(top.stdout.strip()) if top.returncode == 0 else ROOT


def extract(repo: Path, rev: str, into: Path) -> Path:
    """The content and configuration of a commit, in a folder."""
    paths = [p for p in ("docs", CONFIG_FILE) if _exists(repo, rev, p)]
    archive = subprocess.run(["git", "archive", "--format=tar", rev, *paths], cwd=repo, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    (into / "docs").mkdir(exist_ok=True)
    return into


def _exists(repo: Path, rev: str, path: str) -> bool:
    return subprocess.run(["git", "cat-file", "-e", f"{rev}:{path}"], cwd=repo, capture_output=True).returncode == 0


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)

    def work() -> int:
        repo = repository()
        with tempfile.TemporaryDirectory() as tmp:
            try:
                base = extract(repo, args.base, Path(tmp, "base"))
                head = extract(repo, args.head, Path(tmp, "head")) if args.head else repo
            except subprocess.CalledProcessError as exc:
                print(f"错误：无法读取提交：{exc.stderr.decode('utf-8', 'replace').strip()}", file=sys.stderr)
                return 2
            old_config, new_config = load_config(base / CONFIG_FILE), load_config(head / CONFIG_FILE)
            as_of = args.as_of or as_of_date(new_config)
            old = load_content(base / "docs", old_config, base)
            # The head as check.py sees it: every file's first error is shown beside it.
            examination = examine(head / "docs", new_config, head, as_of)
            new = examination.content
            changes = diff_content(old, new, as_of, examination.problems)
            text = summary_markdown(changes, yearly(old, old_config, as_of), yearly(new, new_config, as_of), as_of)
            sys.stdout.write(text)
        return 0

    return run(work)


if __name__ == "__main__":
    utf8_console()
    sys.exit(main())
