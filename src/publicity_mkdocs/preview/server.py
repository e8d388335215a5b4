"""The preview server: answers at once, always; builds and watches in a thread of its own.

* Requests are served from the engine's folder by a small threaded HTTP server. Every HTML page gets
  the live script (``/__preview/live.js``), which asks ``/__preview/state`` what changed.
* The first build runs in the background and writes the navigation's pages first; a page not made
  yet answers with a Chinese "正在生成" page that refreshes itself.
* The watcher compares snapshots of the content (``publicity.watch``) and of the configuration
  and templates every 0.3 s: the content changed, the engine updates what depends on it; the
  configuration or the templates changed, everything is built again in a new folder while the old
  pages stay served.
* Errors in the content leave the last good pages in place; the state lists the problems, as
  check.py prints them, and the live script shows them on every page until they are fixed.
"""

from __future__ import annotations

import contextlib
import html
import http.server
import json
import logging
import mimetypes
import os
import posixpath
import shutil
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from publicity.config import find_config
from publicity.problems import Problem

from .engine import Engine, Outcome, Refused

log = logging.getLogger("mkdocs.publicity.preview")
LIVE_JS = Path(__file__).with_name("live.js")
POLL_SECONDS = 0.3  # how often the watcher looks at the files


@dataclass
class State:
    """What ``/__preview/state`` answers; changed under ``Preview.lock`` only."""

    version: int = 0  # one more after every build or update, good or not (tests wait for it)
    site: int = 0  # one more whenever the pages changed: the live script reloads the page
    building: bool = True
    problems: list[dict] = field(default_factory=list)

    def as_json(self, search: bool) -> bytes:
        return json.dumps({"version": self.version, "site": self.site, "building": self.building, "search": search,
                           "problems": self.problems}, ensure_ascii=False).encode("utf-8")


def problem_json(problem: Problem) -> dict:
    return {"path": problem.path, "line": problem.line, "code": problem.code, "message": problem.message,
            "fix": problem.fix, "text": str(problem)}


class Preview:
    def __init__(self, config_file: Path, host: str, port: int, *, say=print):
        self.config_file = Path(config_file).resolve()
        self.say = say  # the terminal's lines, in Chinese
        # Bound first, before anything is built: a taken port is said at once (OSError for the caller).
        self.httpd = _Server((host, port), _handler(self))
        self.folder = Path(tempfile.mkdtemp(prefix="publicity-preview-"))
        self.engine = Engine(self.config_file, self.folder, on_early=self._early)
        self.lock = threading.Lock()
        self.state = State()
        self.filling = False  # a build writes into the served folder: a page not there yet is being made
        self.stopping = threading.Event()
        self.address = f"http://{host}:{self.httpd.server_address[1]}/"

    # ---- running ------------------------------------------------------------------------------------------------

    def start(self) -> None:
        threading.Thread(target=self.httpd.serve_forever, name="preview-http", daemon=True).start()
        self.worker = threading.Thread(target=self._work, name="preview-build", daemon=True)
        self.worker.start()

    def stop(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        if getattr(self, "worker", None) is not None:
            self.worker.join(timeout=30)
        self.engine.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _watched(self) -> tuple[Path, list[Path]]:
        """The content folder, and what means a full build when it changes: mkdocs.yml, publicity.yml, the templates."""
        from mkdocs.config import load_config

        os.environ.setdefault("PUBLICITY_PREVIEW", "1")
        config = load_config(str(self.config_file))
        others = [self.config_file]
        with contextlib.suppress(Exception):  # a missing publicity.yml is the build's to say
            others.append(find_config(self.config_file.parent))
        if config.theme.custom_dir:
            others.append(Path(config.theme.custom_dir))
        return Path(config.docs_dir), others

    def _work(self) -> None:
        first, need_full, before, watched = True, True, None, None
        while not self.stopping.is_set():
            try:
                if watched is None:
                    watched = self._watched()
                docs, others = watched
                now = (stamps([docs]), stamps(others))
            except Exception as exc:  # mkdocs.yml unreadable: said like any other problem
                if first or before is not None:
                    self._finish(None, [_failure(exc)], full=True)
                first, need_full, before, watched = False, True, None, None
                self.stopping.wait(POLL_SECONDS)
                continue
            config_changed = before is not None and now[1] != before[1]
            if first or config_changed or (before is not None and now[0] != before[0]):
                full = first or need_full or config_changed
                need_full = self._step(full)
                if full:
                    watched = None  # mkdocs.yml may now name another content or templates folder
                first = False
            before = now
            self.stopping.wait(POLL_SECONDS)

    def _step(self, full: bool) -> bool:
        """One build or update; returns whether the next one must be a full build."""
        with self.lock:
            self.state.building = True
        # The adapter's notes (drafts held back, warnings) once per full build, not after every save.
        notes = logging.getLogger("mkdocs.publicity")
        level = notes.level
        if not full:
            notes.setLevel(logging.WARNING)
        try:
            if full:
                into_served = self.engine.site is None
                self.say("正在生成全部页面……" if into_served else "配置或模板有改动，正在重新生成全部页面（其间仍显示原来的页面）……")
                self.filling = into_served
                outcome = self.engine.build(into_served=into_served)
            else:
                outcome = self.engine.update()
        except Refused as refused:
            self._finish(None, refused.problems, full=full)
            return full or self.engine.site is None
        except Exception as exc:  # a bug or a broken template: said, and the server goes on
            self._finish(None, [_failure(exc)], full=full)
            return True
        finally:
            self.filling = False
            notes.setLevel(level)
        self._finish(outcome, [], full=full)
        return False

    def _early(self) -> None:
        """The pages a reader looks at first are written (the rest follow): open pages may reload now."""
        with self.lock:
            self.state.site += 1

    def _finish(self, outcome: Outcome | None, problems: list[Problem], *, full: bool) -> None:
        with self.lock:
            self.state.version += 1
            if outcome is not None and (outcome.written or outcome.deleted or full):
                self.state.site += 1
            self.state.problems = [problem_json(p) for p in problems]
            self.state.building = False
        if problems:
            for problem in problems:
                self.say(str(problem))
            kept = "预览保留上一次没有错误时的页面" if self.engine.site is not None else "还没有可以预览的页面"
            self.say(f"内容有 {len(problems)} 处错误：{kept}，页面上列出了这些错误；改正并保存后自动更新。")
        elif outcome is not None and outcome.full:
            first = f"第一个页面 {outcome.first_page:.1f} 秒后可以打开，" if outcome.first_page is not None else ""
            self.say(f"预览已就绪：生成 {outcome.rendered} 个页面，{first}共用时 {outcome.seconds:.1f} 秒（搜索索引在后台生成）。"
                     f" {self.address}")
        elif outcome is not None:
            self.say(f"已更新：重新生成 {outcome.rendered} 个页面、删除 {outcome.deleted} 个文件，用时 {outcome.seconds:.2f} 秒。")

    # ---- answering ----------------------------------------------------------------------------------------------------

    def state_json(self) -> bytes:
        """``search``: the search index is up to date with the pages (it follows them, in the background)."""
        with self.lock:
            return self.state.as_json(self.engine.search.ready.is_set())


def stamps(paths: list[Path]) -> dict[str, tuple[int, int]]:
    """Size and modification time of every file under ``paths`` (files or folders), hidden ones included.

    The preview's watcher only asks whether anything changed; a change the content does not
    see (a hidden file) costs one update that renders nothing. One ``scandir`` walk: at 10,000
    items it takes a fraction of the inventory's time (publicity.watch), which applies the policy too.
    """
    found: dict[str, tuple[int, int]] = {}
    todo = list(paths)
    while todo:
        path = todo.pop()
        try:
            if path.is_dir() and not path.is_symlink():
                with os.scandir(path) as entries:
                    for entry in entries:
                        if entry.is_dir(follow_symlinks=False):
                            todo.append(Path(entry.path))
                        else:
                            stat = entry.stat(follow_symlinks=False)
                            found[entry.path] = (stat.st_mtime_ns, stat.st_size)
            else:
                stat = path.lstat()
                found[str(path)] = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            found[str(path)] = (0, -1)
    return found


def _failure(exc: BaseException) -> Problem:
    """An unexpected error as one problem staff can pass on; the traceback goes to the log's debug level only."""
    log.debug("".join(traceback.format_exception(exc)))
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    place = f"{Path(where.filename).name}:{where.lineno}" if where else ""
    return Problem("预览", 1, "preview-error", f"生成预览时出错（{type(exc).__name__}: {exc}{'，' + place if place else ''}）",
                   "请把终端里的这一行发给网站管理员；改正内容或配置后保存，预览会再试")


class _Server(http.server.ThreadingHTTPServer):
    # On Windows SO_REUSEADDR lets a second server take a port already in use: a taken port must fail there too.
    allow_reuse_address = sys.platform != "win32"
    daemon_threads = True


_BUILDING_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">{refresh}<title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family:sans-serif;font-size:18px;line-height:1.6;margin:2em">
<h1>{title}</h1><p>{text}</p>
<script src="/__preview/live.js" data-site="{site}"></script>
</body></html>
"""


def _handler(preview: Preview):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "publicity-preview"
        sys_version = ""

        def log_message(self, format, *args):
            pass

        def do_HEAD(self):
            self._answer(head=True)

        def do_GET(self):
            self._answer(head=False)

        def _answer(self, head: bool) -> None:
            path = unquote(urlsplit(self.path).path)
            if path == "/__preview/state":
                return self._send(200, "application/json; charset=utf-8", preview.state_json(), head)
            if path == "/__preview/live.js":
                return self._send(200, "text/javascript; charset=utf-8", LIVE_JS.read_bytes(), head)
            for _attempt in range(3):  # a full build may swap the folder between finding a file and reading it
                out = preview.engine.out
                if out is None:
                    return self._waiting(head)
                target = _resolve(out, path)
                if target is None:
                    return self._send(400, "text/plain; charset=utf-8", "地址不对".encode(), head)
                if target.is_dir():
                    if not path.endswith("/"):
                        return self._redirect(path + "/")
                    target = target / "index.html"
                try:
                    data = target.read_bytes()
                except FileNotFoundError:
                    if preview.filling:
                        return self._waiting(head)
                    if out is not preview.engine.out:
                        continue
                    return self._not_found(out, head)
                except OSError:
                    continue
                kind = _content_type(target.name)
                if kind.startswith("text/html"):
                    data = _with_live_script(data, preview)
                return self._send(200, kind, data, head)
            return self._send(503, "text/plain; charset=utf-8", "请稍后刷新".encode(), head)

        def _waiting(self, head: bool) -> None:
            with preview.lock:
                problems, site = bool(preview.state.problems), preview.state.site
            if problems and preview.engine.out is None:
                title, text, refresh = "还没有可以预览的页面", "内容有错误，网站还没有生成。错误列在下面；改正并保存后，页面会自动出现。", ""
            else:
                title, text = "正在生成", "预览正在生成这一页，稍候会自动显示。内容很多时，第一次生成需要一些时间。"
                refresh = '<meta http-equiv="refresh" content="1">'
            body = _BUILDING_PAGE.format(title=title, text=html.escape(text), refresh=refresh, site=site).encode("utf-8")
            self._send(503, "text/html; charset=utf-8", body, head)

        def _not_found(self, out: Path, head: bool) -> None:
            try:
                data = _with_live_script((out / "404.html").read_bytes(), preview)
            except OSError:
                data = "页面不存在".encode()
            self._send(404, "text/html; charset=utf-8", data, head)

        def _redirect(self, location: str) -> None:
            self.send_response(301)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _send(self, status: int, kind: str, data: bytes, head: bool) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Cache-Control", "no-store")  # a preview: always the newest
                self.end_headers()
                if not head:
                    self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the browser went away (a reload)

    return Handler


def _resolve(out: Path, path: str) -> Path | None:
    """The file under ``out`` a URL path names; None when it would climb out."""
    clean = posixpath.normpath("/" + path.lstrip("/"))
    parts = [p for p in clean.split("/") if p]
    if any(p in ("..", ".") or "\\" in p or "\0" in p for p in parts):
        return None
    return out.joinpath(*parts) if parts else out


def _content_type(name: str) -> str:
    if name.endswith((".html", ".htm")):
        return "text/html; charset=utf-8"
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if name.endswith(".js"):
        kind = "text/javascript"
    elif name.endswith(".wasm") or ".pf_" in name:
        kind = "application/wasm" if name.endswith(".wasm") else "application/octet-stream"
    return kind + ("; charset=utf-8" if kind.startswith("text/") or kind.endswith(("xml", "json")) else "")


def _with_live_script(page: bytes, preview: Preview) -> bytes:
    """The live script before </body> (the last one: templates may mention the tag earlier, in text)."""
    with preview.lock:
        site = preview.state.site
    tag = f'<script src="/__preview/live.js" data-site="{site}"></script>'.encode()
    at = page.rfind(b"</body>")
    return page[:at] + tag + page[at:] if at >= 0 else page + tag


def wait_forever(preview: Preview) -> None:
    """Until Ctrl+C (or a polite kill): then the server stops and its folder is removed."""
    import signal

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        preview.stop()
        sys.stdout.flush()
