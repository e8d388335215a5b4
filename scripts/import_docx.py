"""Import Word documents (.docx; .doc and .wps through LibreOffice) as draft items.

    python scripts/import_docx.py [--kind news|newsletter|rule] [--series NAME] [--docs DIR] FILE_OR_FOLDER...

Each Markdown file written is printed on standard output, one a line, in the order the
documents were given; warnings (fields not found, merged table cells) and failures go to
standard error, one Chinese line each. A folder is imported whole, with a summary at the end.

Exit status: 0 every document imported, 1 any failed (nothing is written for it), 2 wrong usage.
"""

from __future__ import annotations

import sys
from pathlib import Path

from publicity.checker import run_checks
from publicity.cli import ArgumentParser, date_arg, run, utf8_console
from publicity.loader import load_content
from publicity.model import Kind
from publicity.problems import ContentError, shown_path
from publicity.project import ROOT, as_of_date, load_site_config
from publicity.wordimport.importer import AlreadyThere, Planned, Refused, import_document
from publicity.wordimport.reading import WORD_SUFFIXES

KINDS = {"news": Kind.NEWS, "newsletter": Kind.NEWSLETTER, "rule": Kind.RULE}


def parser() -> ArgumentParser:
    p = ArgumentParser(prog="import_docx.py", description="把 Word 文档（.docx，以及经 LibreOffice 转换的 .doc、.wps）导入为草稿。")
    p.add_argument("paths", nargs="+", type=Path, metavar="FILE_OR_FOLDER", help="Word 文件或文件夹（文件夹里的文档全部导入）")
    p.add_argument("--kind", choices=tuple(KINDS), help="news 新闻、newsletter 简报、rule 制度；不写则按文档内容判断")
    p.add_argument("--series", help="简报名称，例如 城建情况（不写则从报头识别）")
    p.add_argument("--date", type=date_arg, metavar="YYYY-MM-DD", help="找不到落款日期时用的日期，默认今天（北京时间）")
    p.add_argument("--docs", type=Path, default=ROOT / "docs", help="内容文件夹，默认 docs/")
    return p


def main(argv: list[str] | None = None) -> int:
    p = parser()
    args = p.parse_args(argv)
    missing = [str(path) for path in args.paths if not path.exists()]
    if missing:
        p.error(f"找不到 {'、'.join(missing)}")
    if args.series and args.kind not in (None, "newsletter"):
        p.error("--series 只用于简报（--kind newsletter）")
    return run(lambda: _import(args, p))


def documents(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """The documents to import, in the order given (a folder's sorted), and the other files of the folders."""
    found, others = [], []
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith((".", "~$"))):
                (found if child.suffix.lower() in WORD_SUFFIXES else others).append(child)
        else:
            found.append(path)
    return found, others


def _import(args, p: ArgumentParser) -> int:
    config = load_site_config()
    series = None
    if args.series:
        series = config.series_named(args.series)
        if series is None:
            p.error(f"简报“{args.series}”未登记，可选：{'、'.join(s.name for s in config.series)}")
    if not args.docs.is_dir():
        p.error(f"内容文件夹 {args.docs} 不存在")
    today = args.date or as_of_date(config)
    content = load_content(args.docs, config, ROOT)
    files, others = documents(args.paths)
    planned, written, failed = Planned(), [], 0
    for source in files:
        shown = shown_path(source, ROOT)
        try:
            result = import_document(source, content, config, today, planned, KINDS.get(args.kind or ""), series)
        except Refused as exc:
            print(f"错误：{shown}：{exc}", file=sys.stderr)
            failed += 1
            continue
        except AlreadyThere as exc:
            print(f"错误：{shown}：已经导入过，内容里已有同一{_what(exc)}：{shown_path(exc.existing, ROOT)}（不会覆盖）", file=sys.stderr)
            failed += 1
            continue
        print(shown_path(result.path, ROOT), flush=True)
        for warning in result.warnings:
            print(f"警告：{shown}：{warning}", file=sys.stderr)
        written.append(result.path)
    errors = _check(written, args.docs, config, today)
    if len(files) > 1 or any(path.is_dir() for path in args.paths):
        skipped = f"，跳过 {len(others)} 个不是 Word 文档的文件" if others else ""
        print(f"共 {len(files)} 个 Word 文档：导入 {len(written)} 个，失败 {failed} 个{skipped}。导入的都是草稿（draft: true），"
              "请逐篇核对后删除 draft 一行再发布。", file=sys.stderr)
    return 1 if failed or errors else 0


def _what(exc: AlreadyThere) -> str:
    return "期简报" if "/newsletters/" in exc.existing.as_posix() else "标题和日期的内容"


def _check(written: list[Path], docs: Path, config, today) -> int:
    """The imported files as check.py sees them: an error here is the importer's fault and is said plainly."""
    if not written:
        return 0
    try:
        report = run_checks(docs, config, ROOT, today, [shown_path(path, ROOT) for path in written])
    except ContentError:
        return 0
    errors = [problem for problem in report.problems if problem.is_error]
    for problem in errors:
        print(f"{problem}（导入的文件有错误，请按提示修改）", file=sys.stderr)
    return len(errors)


if __name__ == "__main__":
    utf8_console()
    sys.exit(main())
