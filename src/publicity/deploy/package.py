"""The package for the server's administrator: one archive with the built site, the nginx configuration made
for this build (its script hashes, the server's name and web root) and a short Chinese README.

The same site gives the same archive, byte for byte: entries in sorted order, one fixed time, no owner.
"""

from __future__ import annotations

import gzip
import io
import tarfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..config import SiteConfig
from ..project import ROOT
from .nginx import DeployError, Servers, site_block

TOP = "publicity-site"  # the archive's one folder
README = ROOT / "deploy" / "README.md"
DEFAULT_ROOT = "/var/www/publicity-site"
# Where the configuration goes on a Debian or Ubuntu server (the README says so, and where else it may go).
SITE_CONF = "/etc/nginx/snippets/publicity-site.conf"
CERTIFICATE, CERTIFICATE_KEY = "/etc/nginx/ssl/publicity-site.crt", "/etc/nginx/ssl/publicity-site.key"
# One time for every entry (2000-01-01): a time from the build would make every archive differ. Unpack with
# `rsync --checksum` as the README says, so that a changed file gets a new time (and ETag) on the server.
MTIME = 946684800


@dataclass
class Package:
    path: Path
    files: int
    size: int
    server_name: str
    root: str


def server_values(config: SiteConfig) -> tuple[str, str]:
    """The server's name (site_url's host) and web root (publish.path), for the configuration."""
    url = urlsplit(config.site_url or "")
    if url.path not in ("", "/"):
        raise DeployError(f"publicity.yml 的 site_url（{config.site_url}）带有路径 {url.path}，而 nginx 配置把网站放在域名的根目录",
                          "请让网站使用独立的域名（如 https://jsj.example.gov.cn/），或自行修改配置")
    return url.hostname or "_", config.publish.path or DEFAULT_ROOT


def write_package(site: Path, out: Path, config: SiteConfig) -> Package:
    server_name, root = server_values(config)
    servers = Servers(server_name=server_name, certificate=CERTIFICATE, certificate_key=CERTIFICATE_KEY, site_conf=SITE_CONF)
    made = {"README.md": README.read_bytes(), "nginx/publicity.conf": servers.render().encode("utf-8"),
            "nginx/publicity-site.conf": site_block(site, root).encode("utf-8")}
    files = sorted(p for p in site.rglob("*") if p.is_file() or p.is_dir())
    out.parent.mkdir(parents=True, exist_ok=True)
    with (out.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6) as packed,
          tarfile.open(fileobj=packed, mode="w", format=tarfile.PAX_FORMAT) as tar):
        for folder in (TOP, f"{TOP}/nginx", f"{TOP}/site"):
            tar.addfile(_entry(folder, tarfile.DIRTYPE))
        for name, data in made.items():
            tar.addfile(_entry(f"{TOP}/{name}", size=len(data)), io.BytesIO(data))
        for path in files:
            name = f"{TOP}/site/{path.relative_to(site).as_posix()}"
            if path.is_dir():
                tar.addfile(_entry(name, tarfile.DIRTYPE))
            else:
                with path.open("rb") as f:
                    tar.addfile(_entry(name, size=path.stat().st_size), f)
    return Package(out, sum(1 for p in files if p.is_file()), out.stat().st_size, server_name, root)


def _entry(name: str, kind: bytes = tarfile.REGTYPE, size: int = 0) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.size, info.mtime = kind, size, MTIME
    info.mode = 0o755 if kind == tarfile.DIRTYPE else 0o644
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    return info
