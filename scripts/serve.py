"""Preview the site while writing: `make serve` runs this (Windows: .venv\\Scripts\\python scripts\\serve.py).

    python scripts/serve.py [--addr 127.0.0.1:8000] [--config-file mkdocs.yml]

The site as `PUBLICITY_PREVIEW=1 mkdocs build` makes it (drafts and scheduled items shown, marked),
served at once and kept up to date as files are saved: only the pages a change touches are made
again. Mistakes in the content are listed on every page, over the last good version, until fixed.
The published site is still made by `mkdocs build` only (src/publicity_mkdocs/preview/, devdocs/preview.md).

Exit status: 0 stopped with Ctrl+C, 1 could not start (the port taken, a wrong address), 2 wrong arguments.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from publicity.cli import ArgumentParser
from publicity.project import ROOT

DEFAULT_ADDR = "127.0.0.1:8000"


def parser() -> ArgumentParser:
    p = ArgumentParser(prog="serve.py", description="预览网站（含草稿）：保存文件后自动更新，内容有错误时在页面上列出。")
    p.add_argument("--addr", default=DEFAULT_ADDR, metavar="主机:端口", help=f"预览的地址，默认 {DEFAULT_ADDR}")
    p.add_argument("--config-file", type=Path, default=ROOT / "mkdocs.yml", metavar="mkdocs.yml", help="网站的 mkdocs.yml")
    return p


def say(line: str) -> None:
    print(line, flush=True)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    host, _, port = args.addr.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        print(f"无法启动预览：地址“{args.addr}”的写法不对，应写成 主机:端口，例如 make serve ADDR={DEFAULT_ADDR}", file=sys.stderr)
        return 1
    host = host.strip("[]")
    _quiet_logging()
    from publicity_mkdocs.preview.server import Preview, wait_forever

    try:
        preview = Preview(args.config_file, host, int(port), say=say)
    except OSError as exc:
        taken = exc.errno in (98, 48, 10048) or "in use" in str(exc).lower()
        other = f"{host}:{int(port) + 1}" if int(port) < 65535 else "127.0.0.1:8001"
        if taken:
            print(f"无法启动预览：地址 {host}:{port} 已被占用（可能已经有一个预览或别的程序在用它）。"
                  f"请先关掉它，或换一个端口：make serve ADDR={other}", file=sys.stderr)
        else:
            print(f"无法启动预览：不能在 {host}:{port} 上等待访问（{exc.strerror or exc}）。"
                  f"请换一个地址，例如 make serve ADDR={DEFAULT_ADDR}", file=sys.stderr)
        return 1
    say(f"预览地址：{preview.address} （按 Ctrl+C 停止）")
    preview.start()
    wait_forever(preview)
    say("预览已停止。")
    return 0


def _quiet_logging() -> None:
    """MkDocs' warnings and the adapter's lines in the terminal, as `mkdocs build` shows them; nothing else."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    mkdocs = logging.getLogger("mkdocs")
    mkdocs.addHandler(handler)
    mkdocs.setLevel(logging.WARNING)
    mkdocs.propagate = False
    logging.getLogger("mkdocs.publicity").setLevel(logging.INFO)


if __name__ == "__main__":
    sys.exit(main())
