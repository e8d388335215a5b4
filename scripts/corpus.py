"""Write a generated corpus in the project's format (for tests and benchmarks).

    python scripts/corpus.py OUT [--news N] [--issues N] [--rules N]
                                 [--start-year Y] [--years N] [--seed S]
"""

from __future__ import annotations

import sys
from pathlib import Path

from publicity.cli import ArgumentParser, run
from publicity.generate import CorpusError, CorpusSpec, generate, sample_pool
from publicity.project import ROOT, load_site_config


def main(argv: list[str] | None = None) -> int:
    parser = ArgumentParser(prog="corpus.py", description="生成测试与基准用的内容（与 docs/ 格式相同）")
    parser.add_argument("out", type=Path, help="输出文件夹：须为空或不存在（--force 时只删除以前生成的文件）")
    parser.add_argument("--news", type=int, default=100, help="新闻篇数")
    parser.add_argument("--issues", type=int, default=20, help="简报期数")
    parser.add_argument("--rules", type=int, default=10, help="制度项数")
    parser.add_argument("--start-year", type=int, default=2007, help="起始年份")
    parser.add_argument("--years", type=int, default=3, help="跨越年数")
    parser.add_argument("--seed", type=int, default=1, help="随机种子：相同种子生成相同内容")
    parser.add_argument("--sample", type=Path, default=ROOT / "docs", help="取材的样例内容文件夹")
    parser.add_argument("--text", choices=("sample", "real"), default="sample",
                        help="sample：取样例内容的段落；real：真实长度的多样文字（新闻 800–1,500 字，简报 2,000–5,000 字，制度 1,000–5,000 字）")
    parser.add_argument("--title-prefix", default="", help="新闻标题都用“前缀第N号”（测试共同前缀的标题）")
    parser.add_argument("--force", action="store_true", help="输出文件夹不空时仍然生成：只删除以前生成的文件，其他文件不动")
    args = parser.parse_args(argv)

    def work() -> int:
        config = load_site_config()
        spec = CorpusSpec(args.news, args.issues, args.rules, args.start_year, args.years, args.seed, text=args.text,
                          title_prefix=args.title_prefix)
        try:
            counts = generate(args.out, spec, config, sample_pool(args.sample, config), args.sample, force=args.force,
                              protected=(ROOT / "docs", args.sample))
        except CorpusError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return 2
        print(f"已生成：新闻 {counts['news']} 篇、简报 {counts['newsletter']} 期、制度 {counts['rule']} 项 → {args.out}")
        return 0

    return run(work)


if __name__ == "__main__":
    sys.exit(main())
