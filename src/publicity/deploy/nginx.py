"""The nginx configuration, made from the templates in ``deploy/nginx/``, and a local nginx that runs it.

The templates are real nginx files with ``@NAME@`` where a value goes (nginx's own ``$variables`` stay as
they are). The script hashes come from the build (``HASHES_FILE``); the rest from the server (package) or the
machine (preview, tests). ``LocalNginx`` runs Debian's nginx in the foreground as an ordinary user, with its
own pid, temp and log paths: as ``nobody`` when started by root, so that it never serves with privileges.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ..project import ROOT
from .csp import policy
from .finish import HASHES_FILE, read_hashes

TEMPLATES = ROOT / "deploy" / "nginx"
NGINX = "/usr/sbin/nginx"
_NAME = re.compile(r"@[A-Z0-9_]+@")  # a placeholder in our own templates; nginx itself never uses '@NAME@'
_PLAIN = re.compile(r"[\w.\-/:\[\]]*")
_HASH = re.compile(r"'sha256-[A-Za-z0-9+/]+={0,2}'")


class DeployError(Exception):
    """A deployment step that cannot go on: a Chinese message saying what to do."""

    def __init__(self, message: str, fix: str = "") -> None:
        super().__init__(f"{message}（{fix}）" if fix else message)


def render(template: str, values: dict[str, str]) -> str:
    """``deploy/nginx/<template>`` with every ``@NAME@`` replaced; a name left without a value is an error."""
    text = (TEMPLATES / template).read_text(encoding="utf-8")
    for name, value in values.items():
        # A path or an address, nothing nginx would read as syntax or a $variable (the CSP is made by policy()).
        if name != "CSP" and not _PLAIN.fullmatch(value):
            raise DeployError(f"nginx 配置的值 {name}={value!r} 含有空格、引号、分号、$ 等 nginx 会当作语法的字符",
                              "请改用只含字母、数字和 . _ - / : [ ] 的路径或地址")
        text = text.replace(f"@{name}@", value)
    left = sorted(set(_NAME.findall(text)))
    if left:
        raise DeployError(f"deploy/nginx/{template} 中的 {', '.join(left)} 没有给出值")
    return text


def site_hashes(site: Path) -> list[str]:
    try:
        hashes = read_hashes(site)
    except FileNotFoundError:
        raise DeployError(f"{site} 不是完整构建的网站（没有 {HASHES_FILE}）", "请先运行 make build") from None
    wrong = [h for h in hashes if not _HASH.fullmatch(h)]
    if wrong:
        raise DeployError(f"{site / HASHES_FILE} 中有不是脚本哈希的内容：{' '.join(wrong)}", "请重新运行 make build")
    return hashes


def site_block(site: Path, root: str | None = None) -> str:
    """The site block for the built ``site``, served from ``root`` (the folder on the server; default: ``site``)."""
    return render("publicity-site.conf", {"ROOT": root or str(site.resolve()), "CSP": policy(site_hashes(site))})


@dataclass
class Servers:
    """Where publicity.conf listens and what it names: the server's ports, or a test's."""

    server_name: str
    certificate: str
    certificate_key: str
    site_conf: str  # the path of the site block on that machine
    http: str = "80"
    http6: str = "[::]:80"
    https: str = "443"
    https6: str = "[::]:443"

    def render(self) -> str:
        port = self.https.rpartition(":")[2]
        return render("publicity.conf", {
            "SERVER_NAME": self.server_name, "CERTIFICATE": self.certificate, "CERTIFICATE_KEY": self.certificate_key,
            "SITE_CONF": self.site_conf, "HTTP_LISTEN": self.http, "HTTP_LISTEN6": self.http6,
            "HTTPS_LISTEN": self.https, "HTTPS_LISTEN6": self.https6, "HTTPS_PORT": "" if port == "443" else f":{port}"})


def installed() -> bool:
    return os.access(NGINX, os.X_OK)


class LocalNginx:
    """nginx in the foreground, from a folder of its own (pid, temp paths, the configuration's files).

    ``write`` puts a file there (the site block, a certificate) and returns its path; ``start`` runs the
    given server blocks and returns once every (host, port) in ``addresses`` answers.
    """

    def __init__(self) -> None:
        if not installed():
            raise DeployError(f"没有找到 nginx（{NGINX}）", "请运行 make serve-nginx 或 bash scripts/install-nginx.sh 安装")
        self.prefix = Path(tempfile.mkdtemp(prefix="publicity-nginx-"))
        self.process: subprocess.Popen | None = None

    def write(self, name: str, content: str | bytes) -> Path:
        path = self.prefix / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    def start(self, servers: str, addresses: list[tuple[str, int]], *, wait: float = 20) -> LocalNginx:
        self.write("servers.conf", servers)
        self.write("nginx.conf", render("local.conf", {"PREFIX": str(self.prefix), "SERVERS": str(self.prefix / "servers.conf")}))
        user = _unprivileged()
        if user:
            for path in [self.prefix, *self.prefix.iterdir()]:
                os.chown(path, user.pw_uid, user.pw_gid)
        command = [NGINX, "-e", "stderr", "-p", str(self.prefix), "-c", str(self.prefix / "nginx.conf")]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                        **({"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []} if user else {}))
        self._wait_for(addresses, wait)
        return self

    def _wait_for(self, addresses: list[tuple[str, int]], seconds: float) -> None:
        deadline, waiting = time.monotonic() + seconds, list(addresses)
        while waiting:
            if self.process.poll() is not None:
                errors = self.process.stderr.read()
                self.stop()
                raise DeployError(f"nginx 没有启动：{errors.strip()}")
            try:
                with socket.create_connection(waiting[0], timeout=1):
                    waiting.pop(0)
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise DeployError(f"nginx 在 {seconds:.0f} 秒内没有在 {waiting[0]} 上应答") from None
                time.sleep(0.05)

    def wait(self) -> int:
        """Until nginx ends (``make serve-nginx``: until Ctrl-C)."""
        return self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # graceful: workers finish what they are sending
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process is not None and self.process.stderr:
            self.process.stderr.close()
        shutil.rmtree(self.prefix, ignore_errors=True)


def running_as_root() -> bool:
    return os.geteuid() == 0


def _unprivileged() -> pwd.struct_passwd | None:
    """Whom nginx runs as when root starts it (``nobody``); None when the caller is an ordinary user already."""
    return pwd.getpwnam("nobody") if running_as_root() else None


def readable_by_all(path: Path) -> bool:
    """Can ``nobody`` read ``path``: the folder and every folder above it open to others."""
    path = path.resolve()
    if not path.stat().st_mode & 0o004:
        return False
    return all(parent.stat().st_mode & 0o001 for parent in path.parents)
