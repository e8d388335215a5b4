"""Running Pagefind over the records, beside the pages MkDocs renders."""

from __future__ import annotations

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

from .bundle import check_segmented, make_deterministic
from .errors import SearchIndexError
from .records import SearchRecord, record_html, settings_json

OUTPUT_DIR = "pagefind"  # Pagefind's bundle, relative to the site
SETTINGS_FILE = "pagefind/search.json"  # what the browser needs besides Pagefind: folding table, filter values
# Pagefind writes its own ready-made interfaces too; the site uses pagefind.js only.
_UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
           "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


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


class Indexer:
    """One Pagefind run over the records, into ``site_dir/pagefind``.

    It starts as soon as the records are known and runs beside MkDocs (its own
    process, on the machine's other core) while MkDocs renders the pages;
    ``finish`` waits for it and checks the result. The records go to Pagefind's
    command-line indexer as small pages in a temporary folder: the Python API
    of the ``pagefind`` package waits 0.1 s for each answer of the indexer,
    1,000 s for 10,000 records.
    """

    def __init__(self, records: list[SearchRecord], site_dir: Path, *, binary: Path | None = None):
        self.records = records
        self.site_dir = Path(site_dir)
        self.out = self.site_dir / OUTPUT_DIR
        self.started = time.perf_counter()
        if self.out.exists():
            shutil.rmtree(self.out)
        self.tmp = tempfile.mkdtemp(prefix="publicity-search-")
        self.process = None
        if not records:  # nothing to search yet: Pagefind refuses an empty site
            return
        try:
            # Reading the bodies and writing the record pages is work too: a helper process does it
            # (_index_records below), then becomes Pagefind, so that MkDocs does not wait for either.
            job = {"records": [_as_json(r) for r in records], "site": os.path.join(self.tmp, "site"),
                   "cmd": [str(binary or pagefind_binary()), "--site", os.path.join(self.tmp, "site"),
                           "--output-path", str(self.out), "--silent"]}
            with open(os.path.join(self.tmp, "job.json"), "w", encoding="utf-8") as f:
                json.dump(job, f, ensure_ascii=False)
            self.log = open(os.path.join(self.tmp, "pagefind.log"), "w+", encoding="utf-8", errors="replace")  # noqa: SIM115 - read and closed by finish()
            helper = "import sys; from publicity.search.indexer import _index_records; _index_records(sys.argv[1])"
            # One thread for Pagefind: MkDocs renders the pages on the other core meanwhile (measured at
            # 10,000 items, Pagefind's own threads took that core from MkDocs and slowed the whole build).
            env = {"RAYON_NUM_THREADS": "1", **os.environ}
            self.process = subprocess.Popen([sys.executable, "-c", helper, os.path.join(self.tmp, "job.json")],
                                            stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
        except BaseException:
            shutil.rmtree(self.tmp, ignore_errors=True)
            raise

    def finish(self) -> IndexReport:
        """Wait for Pagefind, complete the bundle and check it; SearchIndexError when it is unusable."""
        if self.process is None:
            self.out.mkdir(parents=True)
            (self.site_dir / SETTINGS_FILE).write_text(settings_json(self.records), encoding="utf-8")
            self.cancel()
            return IndexReport(0, time.perf_counter() - self.started, 1, (self.site_dir / SETTINGS_FILE).stat().st_size)
        try:
            waiting = time.perf_counter()
            code = self.process.wait()
            waited = time.perf_counter() - waiting
            self.log.seek(0)
            output = self.log.read().strip().splitlines()
            if code != 0 or not (self.out / "pagefind.js").is_file():
                raise SearchIndexError("Pagefind 生成搜索索引失败：" + " / ".join(output[-5:] or [f"退出码 {code}"]))
            for name in _UNUSED:
                (self.out / name).unlink(missing_ok=True)
            make_deterministic(self.out)
            (self.site_dir / SETTINGS_FILE).write_text(settings_json(self.records), encoding="utf-8")
            check_segmented(self.out, self.records)
        finally:
            self.cancel()
        files = [p for p in self.out.rglob("*") if p.is_file()]
        return IndexReport(len(self.records), time.perf_counter() - self.started, len(files),
                           sum(p.stat().st_size for p in files), waited)

    def cancel(self) -> None:
        """Stop Pagefind if it still runs (the build failed) and remove the temporary records."""
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


def _index_records(job_file: str) -> None:
    """The helper process: write the records as pages for Pagefind, then become Pagefind."""
    with open(job_file, encoding="utf-8") as f:
        job = json.load(f)
    for data in job["records"]:
        record = SearchRecord(**{**data, "date": dt.date.fromisoformat(data["date"])}).with_text()
        folder = os.path.join(job["site"], record.url)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "index.html"), "w", encoding="utf-8") as f:
            f.write(record_html(record))
    os.makedirs(job["site"], exist_ok=True)
    sys.stdout.flush()
    if os.name == "nt":  # no exec on Windows: wait for Pagefind instead
        sys.exit(subprocess.call(job["cmd"]))
    os.execv(job["cmd"][0], job["cmd"])
