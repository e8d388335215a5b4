"""The package for the server's administrator: the built site, the nginx configuration with this build's
values and a Chinese README, in one archive (`make package`, used by the publish workflow).

    python scripts/package.py [--site site] [--out dist/publicity-site.tar.gz]
"""

from __future__ import annotations

import sys
from pathlib import Path

from publicity.cli import ArgumentParser, run
from publicity.config import address_weakness
from publicity.deploy.nginx import DeployError
from publicity.deploy.package import write_package
from publicity.project import ROOT, load_site_config


def main(argv: list[str] | None = None) -> int:
    p = ArgumentParser(prog="package.py", description="把构建好的网站、nginx 配置和说明打成一个安装包")
    p.add_argument("--site", type=Path, default=ROOT / "site", help="构建好的网站文件夹（默认 site/）")
    p.add_argument("--out", type=Path, default=ROOT / "dist" / "publicity-site.tar.gz", help="安装包的路径")
    args = p.parse_args(argv)

    def work() -> int:
        config = load_site_config()
        try:
            package = write_package(args.site, args.out, config)
        except DeployError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return 1
        weak = address_weakness(config.site_url)
        if weak:
            print(f"注意：publicity.yml 的网站地址 site_url {weak}；配置里的 server_name 是 {package.server_name}", file=sys.stderr)
        print(f"安装包：{package.path}（{package.size / 1e6:.1f} MB，网站 {package.files} 个文件；"
              f"server_name {package.server_name}，网站根目录 {package.root}）。安装方法见包里的 README.md")
        return 0

    return run(work)


if __name__ == "__main__":
    sys.exit(main())
