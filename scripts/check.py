"""Check the content and print every problem, one a line.

    python scripts/check.py [PATH ...] [--format text|github] [--watch]

Exit status: 0 no errors (warnings allowed), 1 errors, 2 could not run.
See STAFF_GUIDE.md for what each message means.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from publicity.checker import github_annotation, run_checks
from publicity.cli import ArgumentParser, date_arg, run, utf8_console
from publicity.config import find_config
from publicity.guide import GUIDES, rewrite
from publicity.jsonschema import front_matter_schema
from publicity.model import Kind
from publicity.problems import ContentError, shown_path
from publicity.project import ROOT, as_of_date, load_site_config
from publicity.watch import snapshot


def parser() -> ArgumentParser:
    p = ArgumentParser(prog="check.py", description="检查内容：编码、字段、日期、登记的名称、期号、链接、图片和不安全的 HTML。")
    p.add_argument("paths", nargs="*", metavar="PATH", help="只报告这些文件或文件夹的问题（默认检查全部）")
    p.add_argument("--format", choices=("text", "github"), default="text", help="text（默认）或 github（GitHub 工作流注释）")
    p.add_argument("--docs", type=Path, default=ROOT / "docs", help="内容文件夹，默认 docs/")
    p.add_argument("--as-of", type=date_arg, metavar="YYYY-MM-DD", help="以哪一天为准，默认今天（北京时间）")
    p.add_argument("--watch", action="store_true", help="保存文件时自动重新检查（供编辑器使用）")
    p.add_argument("--write-schemas", action="store_true", help="按内容模型重新生成 schemas/ 下的 JSON Schema")
    p.add_argument("--write-guide", action="store_true", help="按内容模型重新生成 STAFF_GUIDE.md 和 devdocs/configuration.md 里的表格")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    only = [shown_path(Path(p), ROOT) for p in args.paths]
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        print(f"错误：找不到 {'、'.join(missing)}", file=sys.stderr)
        return 2
    outside = [p for p in args.paths if not _within(Path(p), args.docs)]
    if outside:
        # Otherwise nothing would be checked and the answer would be a clean "0 个文件".
        print(f"错误：{'、'.join(outside)} 不在内容文件夹 {args.docs} 里。"
              f"要检查另一个内容文件夹，请写 --docs {outside[0]}", file=sys.stderr)
        return 2
    if args.write_schemas:
        return run(_write_schemas)
    if args.write_guide:
        for guide in GUIDES:
            path = ROOT / guide
            path.write_text(rewrite(path.read_text(encoding="utf-8")), encoding="utf-8")
            print(guide)
        return 0
    if args.watch:
        return _watch(args, only)
    return _check_once(args, only)


def _write_schemas() -> int:
    config = load_site_config()
    folder = ROOT / "schemas"
    folder.mkdir(exist_ok=True)
    for kind in Kind:
        path = folder / f"{kind.folder}.schema.json"
        path.write_text(json.dumps(front_matter_schema(kind, config), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(path.relative_to(ROOT).as_posix())
    return 0


def _within(path: Path, folder: Path) -> bool:
    path, folder = path.resolve(), folder.resolve()
    return path == folder or folder in path.parents


def _check_once(args, only) -> int:
    try:
        config = load_site_config()
        as_of = args.as_of or as_of_date(config)
    except ContentError as exc:
        for problem in exc.problems:
            print(github_annotation(problem) if args.format == "github" else problem)
        where = "设置（PUBLICITY_AS_OF）" if all(p.code == "as-of-format" for p in exc.problems) else "配置文件"
        print(f"{where}有错误，无法检查内容。", file=sys.stderr)
        return 2
    if not args.docs.is_dir():
        print(f"错误：内容文件夹 {args.docs} 不存在", file=sys.stderr)
        return 2
    report = run_checks(args.docs, config, ROOT, as_of, only or None)
    if not only:
        report.problems[:0] = _generator_problems()
    for problem in report.problems:
        print(github_annotation(problem) if args.format == "github" else problem)
    summary = f"检查了 {report.files} 个文件：错误 {report.errors} 处，警告 {report.warnings} 处。"
    print(summary, file=sys.stderr)
    return 1 if report.errors else 0


def _generator_problems() -> list:
    """mkdocs.yml's settings the site depends on, as the build's adapter checks them (and whether it is enabled)."""
    from publicity_mkdocs.generator import load_and_check

    return load_and_check(ROOT / "mkdocs.yml")


def _watch(args, only) -> int:
    """Re-check whenever a file under docs/ or the configuration changes (for the editor's background task)."""
    last = None
    while True:
        stamp = snapshot(args.docs, find_config(ROOT), ROOT / "mkdocs.yml")
        if stamp != last:
            last = stamp
            print("开始检查……", flush=True)
            run(lambda: _check_once(args, only))
            print("检查完成。", flush=True)
        time.sleep(1.0)


if __name__ == "__main__":
    utf8_console()
    sys.exit(run(main))
