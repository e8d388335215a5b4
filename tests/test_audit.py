"""scripts/audit.py, the self-inspection: columns against their periods, early warnings, the outright failures,
broken links inside the site and, with --external, to other sites (a local server plays the other sites)."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import subprocess
import sys
import time
from contextlib import contextmanager

import yaml

from publicity.model import Kind

from conftest import ROOT, TEST_CONFIG, run_env, sample_env, serving, write_docs

AUDIT = [sys.executable, str(ROOT / "scripts" / "audit.py")]
NEWS = "---\ntitle: 新闻{n}\ndate: {d}\n---\n\n正文{n}。\n"


def audit(*args, docs=None, config=None, sample=False):
    env = sample_env() if sample else run_env(**({"PUBLICITY_CONFIG": str(config)} if config else {}))
    cmd = AUDIT + list(args) + (["--docs", str(docs)] if docs else [])
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def config_with(tmp_path, **sections):
    data = yaml.safe_load(TEST_CONFIG.read_text(encoding="utf-8"))
    for key, value in sections.items():
        data[key] = {**data.get(key, {}), **value} if isinstance(value, dict) else value
    path = tmp_path / "publicity.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def newest(sample, kind, as_of, series=None):
    return max(i.date for i in sample.of_kind(kind) if i.date <= as_of and not i.draft and (series is None or i.series == series))


def test_the_sample_on_a_day_it_is_up_to_date(sample, sample_config):
    as_of = dt.date(2009, 9, 1)
    result = audit("--as-of", as_of.isoformat(), "--format", "json", sample=True)
    assert result.returncode == 0, result.stdout
    report = json.loads(result.stdout)
    assert report["passed"] is True and report["vetoes"] == []
    columns = {c["name"]: c for c in report["columns"]}
    assert list(columns) == ["新闻动态", *(s.display for s in sample_config.series), "规章制度"]
    news = newest(sample, Kind.NEWS, as_of)
    assert columns["新闻动态"]["last_update"] == news.isoformat() and columns["新闻动态"]["days_since"] == (as_of - news).days
    assert columns["新闻动态"]["limit_days"] == 14 and columns["规章制度"]["limit_days"] == 180
    assert columns["《城建情况》"]["limit_days"] == 90
    assert columns["规章制度"]["state"] == "stale"  # the sample's newest rule is from 2008: one stale column of five allowed
    assert report["stale_columns"] == 1 and report["empty_columns"] == 0 and report["undated"] == []
    assert report["home"]["last_update"] == max(newest(sample, k, as_of) for k in Kind).isoformat()


def test_a_home_page_not_updated_for_two_weeks_fails_outright(sample):
    as_of = newest(sample, Kind.NEWS, dt.date(2009, 12, 31)) + dt.timedelta(days=15)
    result = audit("--as-of", as_of.isoformat(), sample=True)
    assert result.returncode == 1
    assert "结论：有 1 项单项否决" in result.stdout
    assert "✗ 首页已 15 天未更新（期限 14 天）" in result.stdout
    assert "新闻动态（动态类，期限 14 天）" in result.stdout and "【未按期更新】" in result.stdout
    # The day before it counts, the column is still in time, and it is announced (预警).
    day_before = audit("--as-of", (as_of - dt.timedelta(days=1)).isoformat(), sample=True)
    assert day_before.returncode == 0 and "结论：没有单项否决项。" in day_before.stdout


def test_columns_about_to_go_stale_are_announced(sample, sample_config):
    series = sample_config.series[1]
    last = newest(sample, Kind.NEWSLETTER, dt.date(2009, 12, 31), series)
    as_of = last + dt.timedelta(days=90 - 3)  # 4 days before it goes stale, within the 7 days of warning
    report = audit("--as-of", as_of.isoformat(), sample=True).stdout
    warning = report.split("四、预警")[1]
    due = last + dt.timedelta(days=91)
    assert f"{series.display}：{due.year}年{due.month}月{due.day}日 起超期，还有 4 天" in warning


def test_thresholds_come_from_the_configuration(tmp_path):
    docs = write_docs(tmp_path / "docs", {
        "news/2009/a.md": NEWS.format(n=1, d="2009-05-01"),
        "newsletters/chengjian/2009-01.md": "---\nseries: 城建情况\nissue: 1\ndate: 2009-05-01\n---\n\n正文\n"})
    strict = config_with(tmp_path, audit={"news_days": 3, "home_days": 30, "stale_columns": 1, "empty_columns": 2})
    result = audit("--as-of", "2009-05-10", "--format", "json", docs=docs, config=strict)
    report = json.loads(result.stdout)
    assert result.returncode == 1
    assert report["vetoes"] == ["1 个栏目未按期更新（达到 1 个即否决）", "2 个空白栏目（达到 2 个即否决）"]
    assert {c["name"]: c["state"] for c in report["columns"]} == {
        "新闻动态": "stale", "《城建情况》": "ok", "《沙市城管》": "empty", "规章制度": "empty"}
    # A series may have its own period.
    data = yaml.safe_load(strict.read_text(encoding="utf-8"))
    data["series"][0]["update_days"] = 5
    strict.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    columns = json.loads(audit("--as-of", "2009-05-10", "--format", "json", docs=docs, config=strict).stdout)["columns"]
    assert next(c for c in columns if c["name"] == "《城建情况》")["state"] == "stale"


def test_items_without_a_date_and_broken_links_are_reported(tmp_path):
    docs = write_docs(tmp_path / "docs", {
        "news/2009/a.md": NEWS.format(n=1, d="2009-05-01"),
        "news/2009/b.md": "---\ntitle: 无日期\n---\n\n正文。\n",
        "news/2009/c.md": "---\ntitle: 断链\ndate: 2009-05-02\n---\n\n见[旧闻](none.md)。\n"})
    result = audit("--as-of", "2009-05-03", docs=docs)
    assert result.returncode == 1
    assert "没有发布日期的内容：1 篇" in result.stdout and "news/2009/b.md:1: 错误[missing-field]" in result.stdout
    assert "✗ 1 篇内容没有可用的发布日期" in result.stdout
    assert "站内断链：1 处" in result.stdout and "news/2009/c.md:6: 错误[broken-link]" in result.stdout
    assert "内容检查：错误 2 处" in result.stdout  # the build stops on either: the site would not be updated


def test_could_not_run_exits_2(tmp_path):
    assert audit("--docs", str(tmp_path / "none")).returncode == 2
    bad = tmp_path / "bad.yml"
    bad.write_text("office: [\n", encoding="utf-8")
    result = audit(config=bad)
    assert result.returncode == 2 and "配置文件有错误" in result.stderr
    assert audit("--as-of", "2009.5.1").returncode == 2


# ---- links to other sites, against a local server -------------------------------------------------------------

class _Sites(http.server.BaseHTTPRequestHandler):
    """/ok answers, /gone is 404, /no-head refuses HEAD but answers GET, /slow answers after the time-out."""

    arrivals: list[tuple[float, str]] = []  # (when, path) of each request

    def log_message(self, *args):
        pass

    def _answer(self, body: bool):
        type(self).arrivals.append((time.monotonic(), self.path))
        try:
            if self.path.startswith("/slow"):
                time.sleep(2.5)
            status = 404 if self.path.startswith("/gone") else 405 if self.path.startswith("/no-head") and not body else 200
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            if body:
                self.wfile.write(b"ok")
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_HEAD(self):
        self._answer(False)

    def do_GET(self):
        self._answer(True)


@contextmanager
def other_sites():
    with serving(_Sites) as origin:
        yield origin


def test_external_links_are_checked_with_bounded_waits_and_concurrency(tmp_path):
    import socket

    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        refused = f"http://127.0.0.1:{closed.getsockname()[1]}/"
    with other_sites() as origin:
        links = [f"{origin}/ok", f"{origin}/gone", f"{origin}/no-head", refused] + [f"{origin}/slow{n}" for n in range(4)]
        body = "\n\n".join(f"[链接{n}]({url})" for n, url in enumerate(links))
        docs = write_docs(tmp_path / "docs", {
            "news/2009/a.md": "---\ntitle: 有外链\ndate: 2009-05-01\noutlets:\n  - name: 荆州日报\n"
                              f"    url: {origin}/gone\n---\n\n{body}\n"})
        config = config_with(tmp_path, audit={"timeout": 1, "concurrency": 3})
        _Sites.arrivals.clear()
        started = time.monotonic()
        result = audit("--as-of", "2009-05-02", "--external", "--format", "json", docs=docs, config=config)
        elapsed = time.monotonic() - started
        slow = sorted(when for when, path in _Sites.arrivals if path.startswith("/slow"))
        text = audit("--as-of", "2009-05-02", "--external", docs=docs, config=config).stdout
    report = json.loads(result.stdout)["external_links"]
    broken = {b["url"]: b for b in report["broken"]}
    assert report["checked"] == len(links)  # the outlet's address is the same as a body link: checked once
    assert set(broken) == {f"{origin}/gone", refused, *(f"{origin}/slow{n}" for n in range(4))}
    assert broken[f"{origin}/gone"]["status"] == 404 and broken[f"{origin}/gone"]["in"] == ["news/2009/a.md"]
    assert broken[refused]["reason"] == "拒绝连接"
    assert all(broken[f"{origin}/slow{n}"]["reason"] == "超时无响应" for n in range(4))
    # Never more at once than configured: the fourth slow link is asked for only once a first one has timed out.
    assert len(slow) == 4 and slow[3] - slow[0] > 0.9, [round(t - slow[0], 2) for t in slow]
    assert elapsed < 8, elapsed  # four 2.5-second answers cut at 1 second, three at a time
    assert result.returncode == 0  # broken links cost points; they do not fail the inspection outright
    assert f"{origin}/gone：HTTP 404（news/2009/a.md）" in text and "打不开 6 个" in text


def test_the_daily_workflow_audits_after_publishing_in_its_own_job():
    flow = yaml.safe_load((ROOT / ".github/workflows/publish.yml").read_text(encoding="utf-8"))
    job = flow["jobs"]["audit"]
    assert set(job["needs"]) == {"build", "rsync", "pages"}  # after publishing, whichever way it went
    assert "needs.build.result == 'success'" in job["if"] and "!cancelled()" in job["if"]
    runs = " ".join(step.get("run", "") for step in job["steps"])
    assert "scripts/audit.py" in runs
    # Publishing never waits for it: no other job needs the audit.
    assert not any("audit" in (other.get("needs") or []) for name, other in flow["jobs"].items() if name != "audit")
