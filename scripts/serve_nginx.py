"""Serve the built site with Debian's nginx and this project's configuration (deploy/nginx/), as the server will.

    python scripts/serve_nginx.py [--addr 127.0.0.1:8000] [SITE]

The site block of the configuration, security headers, compression and caching included, over plain HTTP
on ADDR (no redirect to HTTPS), in the foreground until Ctrl+C. `make serve-nginx ADDR=...` builds first.
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path

from publicity.cli import ArgumentParser, run
from publicity.deploy.nginx import DeployError, LocalNginx, readable_by_all, render, running_as_root, site_block
from publicity.project import ROOT


def address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise DeployError(f"地址 {text} 无法识别", "请写成 127.0.0.1:8000 或 [::1]:8000")
    return host.strip("[]"), int(port)


def main(argv: list[str] | None = None) -> int:
    p = ArgumentParser(prog="serve_nginx.py", description="用 nginx 和本项目的配置（deploy/nginx）提供构建好的网站")
    p.add_argument("site", nargs="?", type=Path, default=ROOT / "site", help="构建好的网站文件夹（默认 site/）")
    p.add_argument("--addr", default="127.0.0.1:8000", help="监听地址，默认 127.0.0.1:8000")
    args = p.parse_args(argv)

    def work() -> int:
        host, port = address(args.addr)
        block = site_block(args.site)  # an error naming `make build` when the site is not built
        if running_as_root() and not readable_by_all(args.site):
            raise DeployError(f"以 root 运行时 nginx 以 nobody 身份读取网站，但 {args.site} 或其上级文件夹不允许其他用户读取",
                              "请把网站放在其他用户可读的文件夹里，或以普通用户运行")
        # Ctrl+C, or a process manager's TERM, stops nginx with this script (even where SIGINT came in ignored).
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        nginx = LocalNginx()
        try:
            site_conf = nginx.write("publicity-site.conf", block)
            nginx.start(render("preview.conf", {"LISTEN": args.addr, "SITE_CONF": str(site_conf)}), [(host, port)])
            print(f"nginx 正在提供 {args.site}：http://{args.addr}/ （与服务器相同的安全响应头、压缩和缓存；按 Ctrl+C 停止）", flush=True)
            return nginx.wait()
        finally:
            nginx.stop()

    def guarded() -> int:
        try:
            return work()
        except DeployError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return 1

    return run(guarded)


if __name__ == "__main__":
    sys.exit(main())
