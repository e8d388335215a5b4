"""Shared helpers: building a site from a content folder, reading its HTML.

Every build pins its "as of" date so that tests keep their meaning as the
calendar moves.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
AS_OF = "2026-11-28"
PYTHON = sys.executable


def run_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PUBLICITY_")}
    env.update(NO_MKDOCS_2_WARNING="1", PYTHONIOENCODING="utf-8", PUBLICITY_AS_OF=AS_OF)
    env.update(extra)
    return env


def build(docs: Path, site: Path, *, preview: bool = False, strict: bool = True, **env: str) -> subprocess.CompletedProcess:
    """`mkdocs build` of ``docs`` into ``site``, as staff and CI run it."""
    extra = {"PUBLICITY_DOCS": str(docs), **env}
    if preview:
        extra["PUBLICITY_PREVIEW"] = "1"
    cmd = [PYTHON, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site)] + (["--strict"] if strict else [])
    return subprocess.run(cmd, cwd=ROOT, env=run_env(**extra), capture_output=True, text=True, timeout=600)


def build_ok(docs: Path, site: Path, **kw) -> Path:
    result = build(docs, site, **kw)
    assert result.returncode == 0, result.stderr
    return site


def page(site: Path, url: str) -> BeautifulSoup:
    """The built HTML at a site URL such as 'news/' or 'news/2008/0512-jinggai/'."""
    path = site / url / "index.html" if not url.endswith(".html") else site / url
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def listed(soup: BeautifulSoup) -> list[str]:
    """Titles of the entries a listing shows, in order."""
    return [a.get_text(strip=True) for a in soup.select(".pub-entry .pub-entry__title")]


def write_docs(root: Path, files: dict[str, str]) -> Path:
    """A content folder holding the section pages and the given files."""
    for rel in ("index.md", "news/index.md", "newsletters/index.md", "rules/index.md"):
        files.setdefault(rel, "")
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    return build_ok(DOCS, tmp_path_factory.mktemp("sample") / "site")


@pytest.fixture(scope="session")
def preview_site(tmp_path_factory) -> Path:
    return build_ok(DOCS, tmp_path_factory.mktemp("preview") / "site", preview=True)


@pytest.fixture(scope="session")
def site_config():
    from publicity.project import load_site_config

    return load_site_config(ROOT)
