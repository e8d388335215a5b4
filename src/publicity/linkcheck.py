"""Checking links to other sites: each with a bounded wait, a bounded number at once.

A link is asked for with HEAD (no body is fetched), then with GET where a
server refuses HEAD. Redirects are followed. A link is broken when the answer
is an HTTP error, or there is no answer within the time-out.
"""

from __future__ import annotations

import http.client
import socket
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

USER_AGENT = "publicity-audit/1 (site self-inspection)"


@dataclass(frozen=True)
class LinkResult:
    url: str
    status: int | None  # the HTTP status, None when there was no answer
    reason: str  # why it is broken, in Chinese ('' when it works)

    @property
    def ok(self) -> bool:
        return not self.reason


def check_links(urls: list[str], timeout: float, concurrency: int) -> list[LinkResult]:
    """Each distinct URL checked once, in the order given; at most ``concurrency`` at a time."""
    distinct = list(dict.fromkeys(urls))
    if not distinct:
        return []
    with ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="linkcheck") as pool:
        return list(pool.map(lambda url: check_link(url, timeout), distinct))


def check_link(url: str, timeout: float) -> LinkResult:
    if urlsplit(url).scheme not in ("http", "https"):  # urllib would open file: and ftp: too
        return LinkResult(url, None, "不是网页地址")
    try:
        status = _ask(url, "HEAD", timeout)
    except urllib.error.HTTPError as exc:
        if exc.code not in (403, 405, 501):  # some servers refuse HEAD only
            return LinkResult(url, exc.code, f"HTTP {exc.code}")
        try:
            status = _ask(url, "GET", timeout)
        except urllib.error.HTTPError as again:
            return LinkResult(url, again.code, f"HTTP {again.code}")
        except (OSError, http.client.HTTPException, ValueError) as failure:
            return LinkResult(url, None, _why(failure))
    except (OSError, http.client.HTTPException, ValueError) as exc:
        return LinkResult(url, None, _why(exc))
    return LinkResult(url, status, "")


def _ask(url: str, method: str, timeout: float) -> int:
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # http and https only (check_link)
        return response.status


def _why(exc: BaseException) -> str:
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, (TimeoutError, socket.timeout)) or "timed out" in str(reason):
        return "超时无响应"
    if isinstance(reason, ConnectionRefusedError):
        return "拒绝连接"
    if isinstance(reason, socket.gaierror):
        return "域名无法解析"
    return f"无法访问（{type(reason).__name__}）"
