"""The site's self-inspection (自查), by the national inspection's rules (国办秘函〔2019〕19号).

    python scripts/audit.py [--as-of YYYY-MM-DD] [--format text|json] [--external]

Reports every column's last update against its period (publicity.yml's ``audit``), what goes stale soon (预警),
empty columns, items without a date, broken links inside the site and, with --external, links to other sites.
Exit status: 1 when anything fails the inspection outright (单项否决) on that day, 0 otherwise, 2 could not run.
See STAFF_GUIDE.md (网站自查) for how to read it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from publicity.checker import examine
from publicity.cli import ArgumentParser, date_arg, run, utf8_console
from publicity.inspection import inspect, render_text
from publicity.problems import ContentError
from publicity.project import ROOT, as_of_date, load_site_config


def parser() -> ArgumentParser:
    p = ArgumentParser(prog="audit.py", description="网站自查：各栏目更新情况、空白栏目、无日期内容、断链，以及单项否决项。")
    p.add_argument("--as-of", type=date_arg, metavar="YYYY-MM-DD", help="以哪一天为准，默认今天（北京时间）")
    p.add_argument("--format", choices=("text", "json"), default="text", help="text（默认）或 json")
    p.add_argument("--external", action="store_true", help="也检查指向其他网站的链接（需要联网，较慢）")
    p.add_argument("--docs", type=Path, default=ROOT / "docs", help="内容文件夹，默认 docs/")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)

    def work() -> int:
        try:
            config = load_site_config()
            as_of = args.as_of or as_of_date(config)
        except ContentError as exc:
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            print("配置文件有错误，无法自查。", file=sys.stderr)
            return 2
        if not args.docs.is_dir():
            print(f"错误：内容文件夹 {args.docs} 不存在", file=sys.stderr)
            return 2
        result = inspect(examine(args.docs, config, ROOT, as_of), config, as_of, external=args.external)
        if args.format == "json":
            sys.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n")
        else:
            sys.stdout.write(render_text(result))
        return 1 if result.vetoes else 0

    return run(work)


if __name__ == "__main__":
    utf8_console()
    sys.exit(main())
