"""Publishing the built site to the target named in publicity.yml (used by the publish workflow).

    python scripts/publish.py target          # prints target=rsync|github-pages|none
    python scripts/publish.py check-address   # exit 1 when site_url is empty, this machine or the sample's placeholder
    python scripts/publish.py rsync site/     # synchronises site/ to the server (the workflow: the package's)

For rsync the server comes from the environment (repository secrets):
PUBLISH_SSH_HOST, PUBLISH_SSH_USER, optional PUBLISH_SSH_PORT; the key and the
known_hosts entry are installed by the workflow beforehand.
"""

from __future__ import annotations

import os
import subprocess
import sys

from publicity.cli import ArgumentParser, run
from publicity.config import address_weakness
from publicity.deploy import HASHES_FILE
from publicity.project import load_site_config


def main(argv: list[str] | None = None) -> int:
    p = ArgumentParser(prog="publish.py", description="按 publicity.yml 的 publish 设置发布网站")
    p.add_argument("action", choices=("target", "check-address", "rsync"))
    p.add_argument("site", nargs="?", default="site", help="构建好的网站文件夹")
    args = p.parse_args(argv)

    def work() -> int:
        site = load_site_config()
        publish = site.publish
        if args.action == "target":
            print(f"target={publish.target}")
            return 0
        if args.action == "check-address":
            weak = address_weakness(site.site_url)
            if weak:
                print(f"错误：publicity.yml 的网站地址 site_url {weak}，不能发布：订阅、二维码和站点地图里的链接会指错。"
                      "请改成单位网站的真实地址后再发布", file=sys.stderr)
                return 1
            print(f"网站地址：{site.site_url}")
            return 0
        host, user = os.environ.get("PUBLISH_SSH_HOST"), os.environ.get("PUBLISH_SSH_USER")
        if publish.target != "rsync" or not host or not user:
            print("错误：publish.target 不是 rsync，或缺少 PUBLISH_SSH_HOST / PUBLISH_SSH_USER", file=sys.stderr)
            return 2
        port = os.environ.get("PUBLISH_SSH_PORT", "22")
        source, dest, ssh = args.site.rstrip("/"), f"{user}@{host}:{publish.path.rstrip('/')}", f"ssh -p {port}"
        # The server's CSP allows the inline scripts of the build its administrator installed the configuration
        # of. The list travels with the site (nginx refuses to serve it): a change means a new configuration.
        changed = subprocess.run(["rsync", "-rl", "--checksum", "--dry-run", "--itemize-changes", "-e", ssh,
                                  f"{source}/{HASHES_FILE}", f"{dest}/{HASHES_FILE}"], capture_output=True, text=True)
        # --delete keeps the server an exact copy: an item taken down disappears there too. --delay-updates and
        # --delete-after: the new files take their places together at the end, the old go last, so that a reader never
        # meets a search index whose excerpt files are not there yet.
        code = subprocess.run(["rsync", "-rlz", "--delete-after", "--delay-updates", "--checksum", "-e", ssh,
                                f"{source}/", f"{dest}/"]).returncode
        if code == 0 and (changed.returncode != 0 or changed.stdout.strip()):
            print("::warning::页面中的内联脚本变了（或服务器上还没有本网站的配置）：请服务器管理员用本次运行的安装包"
                  "（publicity-site）更新 nginx 配置并重新加载，否则这些脚本会被内容安全策略拦截。见安装包里的 README.md")
        return code

    return run(work)


if __name__ == "__main__":
    sys.exit(main())
