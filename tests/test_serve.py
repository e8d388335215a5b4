"""`make serve` (scripts/serve.py) previews drafts and scheduled items, marked, as staff see them before publishing."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from conftest import ROOT, sample_env

pytestmark = pytest.mark.build


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, deadline: float) -> str:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            if exc.code != 503 or time.monotonic() > deadline:
                raise  # the server is up and answered: a 404 here is a failure, not a wait
            time.sleep(0.3)  # 正在生成: the first build is still making this page
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_serve_shows_draft_and_scheduled_items_with_a_banner():
    port = free_port()
    server = subprocess.Popen([sys.executable, "scripts/serve.py", "--addr", f"127.0.0.1:{port}"],
                              cwd=ROOT, env=sample_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 90
        base = f"http://127.0.0.1:{port}/"
        draft = fetch(base + "news/2009/0305-xueleifeng-zhiyuan/", deadline)
        scheduled = fetch(base + "news/2027/0315-paishui-shuwa-gonggao/", deadline)
        listing = fetch(base + "news/", deadline)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert 'class="pub-banner"' in draft and "<strong>草稿</strong>" in draft
    assert 'class="pub-banner"' in scheduled and "<strong>待发布</strong>" in scheduled
    assert '<span class="pub-badge">待发布</span>' in listing
