"""Start a new item with complete front matter in the right folder.

    python scripts/new.py news "区建设局开展井盖整治"
    python scripts/new.py newsletter --series 城建情况
    python scripts/new.py rule "来客接待制度" --slug laike-jiedai-2010
"""

from __future__ import annotations

import sys
from pathlib import Path

from publicity.cli import ArgumentParser, date_arg, run
from publicity.loader import load_content
from publicity.model import Kind
from publicity.problems import shown_path
from publicity.project import ROOT, as_of_date, load_site_config
from publicity.scaffold import ScaffoldError, new_item
from publicity.slugs import is_slug

KINDS = {"news": Kind.NEWS, "newsletter": Kind.NEWSLETTER, "rule": Kind.RULE}


def parser() -> ArgumentParser:
    p = ArgumentParser(prog="new.py", description="新建一篇内容（新闻、简报或制度），字段齐全，保存为草稿。")
    p.add_argument("kind", choices=tuple(KINDS), help="news 新闻、newsletter 简报、rule 制度")
    p.add_argument("title", nargs="?", default="", help="标题（简报可不写）")
    p.add_argument("--series", help="简报名称，例如 城建情况")
    p.add_argument("--slug", help="文件名（小写字母、数字、连字符），默认由标题的拼音生成")
    p.add_argument("--date", type=date_arg, metavar="YYYY-MM-DD", help="日期，默认今天（北京时间）")
    p.add_argument("--docs", type=Path, default=ROOT / "docs", help="内容文件夹，默认 docs/")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.slug and not is_slug(args.slug):
        print(f"错误：文件名“{args.slug}”只能用小写字母、数字和连字符", file=sys.stderr)
        return 2

    def work() -> int:
        config = load_site_config()
        today = args.date or as_of_date(config)
        content = load_content(args.docs, config, ROOT)
        try:
            item = new_item(KINDS[args.kind], args.title, content, config, today, args.series, args.slug)
        except ScaffoldError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return 2
        if item.path.exists():
            print(f"错误：{shown_path(item.path, ROOT)} 已存在，不会覆盖。请用 --slug 换一个文件名", file=sys.stderr)
            return 1
        item.path.parent.mkdir(parents=True, exist_ok=True)
        item.path.write_text(item.text, encoding="utf-8", newline="\n")
        print(shown_path(item.path, ROOT))
        return 0

    return run(work)


if __name__ == "__main__":
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
    sys.exit(main())
