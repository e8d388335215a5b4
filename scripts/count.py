"""Count what was published in a period, for the office's reports.

    python scripts/count.py --from 2007-07-01 --to 2009-06-30 --format report

See devdocs/counting.md for what is counted and how.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from publicity.cli import ArgumentParser, date_arg, run, utf8_console
from publicity.counting import Period, count
from publicity.loader import load_content
from publicity.problems import ContentError
from publicity.project import ROOT, as_of_date, load_site_config
from publicity.report import (
    BREAKDOWNS,
    breakdown_tables,
    comparison_sentence,
    period_line,
    render_csv,
    render_markdown,
    render_text,
    report_sentence,
    summary_table,
)

FORMATS = ("table", "json", "csv", "markdown", "report")
COMPARE = {"prev": "上期（环比）", "yoy": "去年同期（同比）"}


def parser() -> ArgumentParser:
    p = ArgumentParser(prog="count.py", description="统计一段时间内发布的简报、新闻、媒体发表篇次和制度。")
    p.add_argument("--from", dest="start", type=date_arg, metavar="YYYY-MM-DD", help="起始日期（含），不写则从最早算起")
    p.add_argument("--to", dest="end", type=date_arg, metavar="YYYY-MM-DD", help="截止日期（含），不写则到最新")
    p.add_argument("--as-of", type=date_arg, metavar="YYYY-MM-DD", help="以哪一天为准判断“已发布”，默认今天（北京时间）")
    p.add_argument("--by", nargs="+", choices=BREAKDOWNS, default=[], metavar="维度",
                   help=f"分类统计，可多选：{'、'.join(BREAKDOWNS)}")
    p.add_argument("--format", choices=FORMATS, default="table", help="输出格式：table（默认）、json、csv、markdown、report（汇报用语）")
    p.add_argument("--compare", choices=tuple(COMPARE), help="对比：prev 上一个等长期间（环比），yoy 去年同期（同比）")
    p.add_argument("--template", default="default", help="report 格式使用的汇报模板名称（publicity.yml 的 report.templates）")
    p.add_argument("--output", type=Path, metavar="FILE",
                   help="写入文件而不是显示；CSV 每张表一个文件：FILE 是总表，--by 的每张分类表写在 FILE-维度.csv")
    p.add_argument("--docs", type=Path, default=ROOT / "docs", help="内容文件夹，默认 docs/")
    return p


def main(argv: list[str] | None = None) -> int:
    p = parser()
    args = p.parse_args(argv)
    if args.start and args.end and args.start > args.end:
        p.error(f"--from {args.start} 晚于 --to {args.end}，请对调")
    if args.compare and not (args.start and args.end):
        p.error("--compare 需要同时给出 --from 和 --to")
    if args.format == "csv" and len(args.by) > 1 and not args.output:
        p.error("CSV 每个文件只放一张表，才能在 Excel 里排序：--by 只写一个维度，或用 --output 文件名（每张表写一个文件）")
    if args.output and not args.output.parent.is_dir():
        p.error(f"--output 的文件夹 {args.output.parent} 不存在")
    return run(lambda: _count(args))


def _count(args) -> int:
    config = load_site_config()
    as_of = args.as_of or as_of_date(config)
    content = load_content(args.docs, config, ROOT)
    if content.errors:
        # Counting around a broken file would give a silently smaller number.
        raise ContentError(content.problems.sorted())
    for problem in content.problems.warnings:
        print(problem, file=sys.stderr)
    period = Period(args.start, args.end)
    current = count(content.items, config, period, as_of)
    other = None
    if args.compare:
        other_period = period.previous() if args.compare == "prev" else period.year_earlier()
        other = count(content.items, config, other_period, as_of)
    outputs = _csv(args, current, other, config) if args.format == "csv" else {args.output: _render(args, current, other, config)}
    for path, text in outputs.items():
        if path is None:
            sys.stdout.write(text)
        else:
            path.write_text(text, encoding="utf-8", newline="")
            print(f"已写入 {path}", file=sys.stderr)
    return 0


def _csv(args, current, other, config) -> dict:
    """One table a file: the summary (or the one --by table) to FILE or the screen; each --by table to FILE-维度.csv."""
    label = COMPARE[args.compare] if other else ""
    summary = summary_table(current, config, other, label)
    breakdowns = dict(zip(args.by, breakdown_tables(current, config, args.by)))
    if args.output is None:
        return {None: "\ufeff" + render_csv(breakdowns[args.by[0]] if args.by else summary)}
    files = {args.output: "\ufeff" + render_csv(summary)}
    for name, table in breakdowns.items():
        files[args.output.with_name(f"{args.output.stem}-{name}{args.output.suffix or '.csv'}")] = "\ufeff" + render_csv(table)
    return files


def _render(args, current, other, config) -> str:
    if args.format == "json":
        data = current.as_dict()
        if other is not None:
            data["compare"] = {"kind": args.compare, **other.as_dict()}
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if args.format == "report":
        sentence = report_sentence(current, config, args.template)
        return sentence + "\n" + (comparison_sentence(current, other, COMPARE[args.compare].split("（")[0]) + "\n" if other else "")
    label = f"{COMPARE[args.compare]}" if other else ""
    tables = [summary_table(current, config, other, label)] + breakdown_tables(current, config, args.by)
    heading = period_line(current) + (f"；对比期间：{other.period.start} 至 {other.period.end}" if other else "")
    if args.format == "markdown":
        return render_markdown(tables, heading)
    return render_text(tables, heading)


if __name__ == "__main__":
    utf8_console(csv=True)  # Windows: no mangled Chinese, CSV line ends kept
    sys.exit(main())
