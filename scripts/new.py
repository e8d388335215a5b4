"""Start a new item with complete front matter in the right folder; publish a draft.

    python scripts/new.py news "区建设局开展井盖整治"
    python scripts/new.py newsletter --series 城建情况
    python scripts/new.py rule "来客接待制度" --slug laike-jiedai-2010
    python scripts/new.py rule --revises xuexi-zhidu.md "沙市区建设局学习制度（2010年修订）"
    python scripts/new.py publish docs/rules/xuexi-zhidu-2.md

Exit status: 0 done, 1 the content stands in the way (a file already there, errors), 2 wrong usage.
"""

from __future__ import annotations

import sys
from pathlib import Path

from publicity.cli import ArgumentParser, date_arg, run
from publicity.loader import Content, load_content
from publicity.model import Item, Kind, Rule
from publicity.problems import shown_path
from publicity.project import ROOT, as_of_date, load_site_config
from publicity.release import ReleaseError, apply, publish_changes
from publicity.scaffold import AlreadyThere, ScaffoldError, new_item
from publicity.slugs import is_slug

KINDS = {"news": Kind.NEWS, "newsletter": Kind.NEWSLETTER, "rule": Kind.RULE}


def parser() -> ArgumentParser:
    p = ArgumentParser(prog="new.py", description="新建一篇内容（新闻、简报或制度），字段齐全，保存为草稿；publish 发布一篇草稿。")
    p.add_argument("kind", choices=(*KINDS, "publish"), help="news 新闻、newsletter 简报、rule 制度；publish 发布草稿")
    p.add_argument("title", nargs="?", default="", help="标题（简报可不写）；publish 时是要发布的文件")
    p.add_argument("--series", help="简报名称，例如 城建情况")
    p.add_argument("--slug", help="文件名（小写字母、数字、连字符），默认由标题的拼音生成")
    p.add_argument("--revises", metavar="FILE", help="制度修订：被新制度取代的旧制度文件，例如 xuexi-zhidu.md")
    p.add_argument("--date", type=date_arg, metavar="YYYY-MM-DD", help="日期，默认今天（北京时间）")
    p.add_argument("--docs", type=Path, default=ROOT / "docs", help="内容文件夹，默认 docs/")
    return p


def main(argv: list[str] | None = None) -> int:
    p = parser()
    args = p.parse_intermixed_args(argv)  # new.py rule --revises old.md "标题": the title after an option
    if args.slug and not is_slug(args.slug):
        p.error(f"文件名“{args.slug}”只能用小写字母、数字和连字符")
    if args.revises and args.kind != "rule":
        p.error("--revises 只用于制度：new.py rule --revises 旧制度.md \"新标题\"")
    if args.kind == "publish" and not args.title:
        p.error("请给出要发布的文件，例如：new.py publish docs/rules/xuexi-zhidu-2.md")
    return run(lambda: _publish(args) if args.kind == "publish" else _new(args))


def _new(args) -> int:
    config = load_site_config()
    today = args.date or as_of_date(config)
    content = load_content(args.docs, config, ROOT)
    try:
        revises = _rule(args.revises, content) if args.revises else None
        item = new_item(KINDS[args.kind], args.title, content, config, today, args.series, args.slug, revises)
    except AlreadyThere as exc:
        print(f"错误：已经有同一标题和日期的{KINDS[args.kind].label}：{shown_path(exc.existing, ROOT)}，不会覆盖。"
              "要另写一篇，请换一个标题或日期", file=sys.stderr)
        return 1
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


def _publish(args) -> int:
    config = load_site_config()
    content = load_content(args.docs, config, ROOT)
    try:
        item = _item(args.title, content)
        changes = publish_changes(item, content)
    except (ScaffoldError, ReleaseError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    if not changes:
        print(f"{shown_path(item.file, ROOT)} 已经是发布状态，没有需要修改的地方。")
        return 0
    apply(changes)
    for change in changes:
        print(f"{shown_path(change.file, ROOT)}：{change.describe()}")
    return 0


def _item(name: str, content: Content) -> Item:
    """An item named as staff name it: a path from here, a path in docs/, or a file name in docs/rules/."""
    docs = content.docs_dir.resolve()
    for path in (Path(name), content.docs_dir / name, content.docs_dir / "rules" / name):
        path = path.resolve()
        if path.is_file() and docs in path.parents:
            rel = path.relative_to(docs).as_posix()
            item = content.by_path.get(rel)
            if item is None:
                problems = [p for p in content.problems.items if p.path.endswith(rel) and p.is_error]
                detail = f"：{problems[0]}" if problems else ""
                raise ScaffoldError(f"{shown_path(path, ROOT)} 不是一篇可以读取的新闻、简报或制度{detail}")
            return item
    raise ScaffoldError(f"在内容文件夹 {shown_path(content.docs_dir, ROOT)} 里找不到“{name}”")


def _rule(name: str, content: Content) -> Rule:
    item = _item(name, content)
    if not isinstance(item, Rule):
        raise ScaffoldError(f"--revises 应当是一篇制度，“{name}”是{item.kind.label}")
    return item


if __name__ == "__main__":
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
    sys.exit(main())
