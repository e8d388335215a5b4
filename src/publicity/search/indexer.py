"""Running Pagefind over the records, beside the pages MkDocs renders."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ..problems import os_reason
from .bundle import check_segmented
from .errors import SearchIndexError
from .records import INDEX_LANGUAGE, SearchRecord, fold_json, record_html, settings_json
from .words import INCLUDE
from .writer import Runtime, write_bundle

OUTPUT_DIR = "pagefind"  # Pagefind's bundle, relative to the site
SETTINGS_FILE = "pagefind/search.json"  # what the browser needs besides Pagefind: filter values, which characters fold
FOLD_FILE = "pagefind/fold.json"  # the folding table, asked for when a query or a title needs it
COMMON_FILE = "common.json"  # the helper's common bigrams (writer.common_bigrams), in its folder, for search.json


@dataclass
class IndexReport:
    records: int
    seconds: float
    files: int
    bytes: int
    waited: float = 0.0  # how long the build waited for Pagefind after rendering the pages


def pagefind_binary() -> Path:
    """The Pagefind executable the pinned Python package installed ($PAGEFIND_BINARY_PATH overrides it)."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        get_executable = None
    binary = get_executable() if get_executable else None
    if binary is None or not Path(binary).is_file():
        raise SearchIndexError(f"找不到 Pagefind 搜索索引程序{f' {binary}' if binary else ''}："
                               "请运行 make install（安装 requirements.txt 中的 pagefind[extended]）")
    return Path(binary)


def _lower_priority() -> dict:
    """Popen's arguments for a helper that yields the CPU to the pages (the preview's refresh of the index:
    on two cores it would otherwise slow the page a reader waits for). POSIX: see _yield_cpu."""
    return {} if hasattr(os, "setpriority") else {"creationflags": getattr(subprocess, "BELOW_NORMAL_PRIORITY_CLASS", 0)}


def _yield_cpu(pid: int) -> None:
    # Set from outside once it runs (not preexec_fn, which is unsafe in the preview's threaded server).
    if hasattr(os, "setpriority"):
        with contextlib.suppress(OSError):  # it may have ended already
            os.setpriority(os.PRIO_PROCESS, pid, 10)


class Indexer:
    """The search index of the records, into ``site_dir/pagefind``, built beside the pages.

    It starts as soon as the records are known, in a helper process on the machine's
    other core, while MkDocs renders the pages; ``finish`` waits for it and checks the
    result. The helper reads the bodies and writes the bundle (``writer.py``); Pagefind
    runs once, over a one-page site, for the files the browser needs to search.
    """

    def __init__(self, records: list[SearchRecord], site_dir: Path, *, binary: Path | None = None, background: bool = False):
        self.records = records
        self.site_dir = Path(site_dir)
        self.out = self.site_dir / OUTPUT_DIR
        self.started = time.perf_counter()
        self.tmp = tempfile.mkdtemp(prefix="publicity-search-")
        # Written apart and moved into the site at the end: the index may start before MkDocs empties the site.
        self.staging = Path(self.tmp) / OUTPUT_DIR
        self.process = None
        if not records:  # nothing to search yet: Pagefind refuses an empty site
            return
        try:
            job = {"records": [_as_json(r) for r in records], "folder": self.tmp, "out": str(self.staging),
                   "binary": str(binary or pagefind_binary())}
            with open(os.path.join(self.tmp, "job.json"), "w", encoding="utf-8") as f:
                json.dump(job, f, ensure_ascii=False)
            self.log = open(os.path.join(self.tmp, "pagefind.log"), "w+", encoding="utf-8", errors="replace")  # noqa: SIM115 - read and closed by finish()
            self.process = subprocess.Popen([sys.executable, "-m", "publicity.search.indexer", os.path.join(self.tmp, "job.json")],
                                            stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                            **(_lower_priority() if background else {}))
            if background:
                _yield_cpu(self.process.pid)
        except BaseException:
            shutil.rmtree(self.tmp, ignore_errors=True)
            raise

    def write_settings(self) -> None:
        """search.js's own files beside the bundle."""
        told = Path(self.tmp) / COMMON_FILE
        common = json.loads(told.read_text(encoding="utf-8")) if told.is_file() else []
        (self.site_dir / SETTINGS_FILE).write_text(settings_json(self.records, common), encoding="utf-8")
        (self.site_dir / FOLD_FILE).write_text(fold_json(), encoding="utf-8")

    def finish(self) -> IndexReport:
        """Wait for the index, complete the bundle and check it; SearchIndexError when it is unusable."""
        if self.process is None:
            self.out.mkdir(parents=True, exist_ok=True)
            self.write_settings()
            self.cancel()
            return IndexReport(0, time.perf_counter() - self.started, 1, (self.site_dir / SETTINGS_FILE).stat().st_size)
        try:
            waiting = time.perf_counter()
            code = self.process.wait()
            waited = time.perf_counter() - waiting
            self.log.seek(0)
            output = self.log.read().strip().splitlines()
            if code != 0 or not (self.staging / "pagefind.js").is_file():
                raise SearchIndexError("生成搜索索引失败：" + " / ".join(output[-5:] or [f"退出码 {code}"]))
            if self.out.exists():
                shutil.rmtree(self.out)
            self.out.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(self.staging, self.out)
            self.write_settings()
            check_segmented(self.out, self.records)
        finally:
            self.cancel()
        files = [p for p in self.out.rglob("*") if p.is_file()]
        return IndexReport(len(self.records), time.perf_counter() - self.started, len(files),
                           sum(p.stat().st_size for p in files), waited)

    def cancel(self) -> None:
        """Stop the helper if it still runs (the build failed) and remove the temporary records."""
        if self.process is not None:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            self.log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


def _as_json(record: SearchRecord) -> dict:
    data = dataclasses.asdict(record)
    data["date"] = record.date.isoformat()
    return data


def main(job_file: str) -> int:
    """The helper process: the records' texts read, the bundle written; a failure said in Chinese, for finish()."""
    with open(job_file, encoding="utf-8") as f:
        job = json.load(f)
    folder = Path(job["folder"])
    try:
        runtime = pagefind_runtime(Path(job["binary"]), folder / "runtime")
        records = (SearchRecord(**{**data, "date": dt.date.fromisoformat(data["date"])}).with_text() for data in job["records"])
        common = write_bundle(records, runtime, Path(job["out"]))
        (folder / COMMON_FILE).write_text(json.dumps(common, ensure_ascii=False), encoding="utf-8")
    except SearchIndexError as exc:
        print(exc)
        return 1
    except OSError as exc:  # the disk full, a folder not writable
        print(f"写入 {exc.filename or job['out']} 时出错：{os_reason(exc)}")
        return 1
    return 0


def pagefind_runtime(binary: Path, folder: Path) -> Runtime:
    """Pagefind run over a one-page site: its browser files, version and language, for ``write_bundle``."""
    page = SearchRecord(url="", title="搜索", kind="新闻", date=dt.date(2000, 1, 1), text="搜索")
    (folder / "site").mkdir(parents=True, exist_ok=True)
    (folder / "site" / "index.html").write_text(record_html(page), encoding="utf-8")
    cmd = [str(binary), "--site", str(folder / "site"), "--output-path", str(folder / "bundle"), "--silent"]
    result = subprocess.run(cmd, env={**os.environ, "RAYON_NUM_THREADS": "1"}, stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, errors="replace")
    entry_file = folder / "bundle" / "pagefind-entry.json"
    if result.returncode != 0 or not entry_file.is_file():
        raise SearchIndexError("Pagefind 运行失败：" + (result.stderr.strip()[-300:] or f"退出码 {result.returncode}"))
    entry = json.loads(entry_file.read_text(encoding="utf-8"))
    if set(entry.get("include_characters", [])) != INCLUDE or INDEX_LANGUAGE not in entry.get("languages", {}):
        raise SearchIndexError(f"Pagefind {entry.get('version')} 与本项目写索引的方式不符："
                               "请用 requirements.txt 中固定的版本（make install）")
    return Runtime(folder / "bundle", entry["version"], INDEX_LANGUAGE)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
