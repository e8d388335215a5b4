"""Bad input, as new staff and attackers write it: YAML surprises, configuration slips, wrong addresses, data at risk.

Each gets a Chinese message naming the file, the line and the fix; nothing is lost; the checker and the build agree.
"""

from __future__ import annotations

import datetime as dt
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from publicity.loader import load_content

from conftest import DOCS, ROOT, TEST_CONFIG, build, build_ok, page, run_env, sample_env, write_docs
from problem_corpus import LAUGHS

CHECK = [sys.executable, str(ROOT / "scripts" / "check.py")]


def check(*args, **env):
    result = subprocess.run(CHECK + list(args), cwd=ROOT, env=run_env(**env), capture_output=True, text=True,
                            encoding="utf-8", timeout=120)
    assert "Traceback" not in result.stdout + result.stderr
    return result


# ---- YAML as staff mean it (YAML 1.2's core schema) ---------------------------------------------------------

@pytest.mark.build
def test_numbers_and_words_are_read_as_written(tmp_path, site_config):
    docs = write_docs(tmp_path / "docs", {
        "newsletters/chengjian/2009-10.md": "---\nseries: 城建情况\nissue: 010\ndate: 2009-05-12\nsummary: 12:30\n---\n\n正文。\n",
        "rules/r.md": "---\ntitle: 制度\ndate: 2009-01-01\nstatus: 现行有效\ndoc_number: 0012\ntags: [no, on, yes]\n---\n\n第一条\n",
    })
    content = load_content(docs, site_config, tmp_path)
    assert not content.problems.errors, content.problems.errors
    issue, rule = content.by_path["newsletters/chengjian/2009-10.md"], content.by_path["rules/r.md"]
    assert issue.issue == 10 and issue.number_label == "2009年第10期" and issue.summary == "12:30"
    assert rule.doc_number == "0012" and rule.tags == ("no", "on", "yes")
    site = build_ok(docs, tmp_path / "site")
    assert "2009年第10期" in page(site, "newsletters/chengjian/2009-10/").h1.get_text()


def test_yes_and_no_are_not_booleans(tmp_path, site_config):
    docs = write_docs(tmp_path / "docs", {"news/a.md": "---\ntitle: 标题\ndate: 2009-05-12\ndraft: no\n---\n\n正文。\n"})
    problems = load_content(docs, site_config, tmp_path).problems.errors
    assert [(p.line, p.code) for p in problems] == [(4, "field-type")]
    assert "true 或 false" in problems[0].message and "“no”" in problems[0].message


def test_nested_aliases_are_refused_in_bounded_time_and_memory(tmp_path):
    docs = write_docs(tmp_path / "docs", {"news/a.md": f"---\ntitle: 标题\ndate: 2009-05-12\n{LAUGHS}---\n\n正文。\n"})
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    result = check("--docs", str(docs))
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert result.returncode == 1 and "a.md:4: 错误[yaml-alias]" in result.stdout
    assert seconds < 10  # the whole checker process, start-up included; the YAML itself is refused at once
    assert peak_mb < 200 or before / 1024 >= 200, peak_mb


# ---- one check suite --------------------------------------------------------------------------------------

@pytest.mark.build
def test_a_missing_home_page_is_found_by_the_checker_and_the_build(tmp_path):
    docs = write_docs(tmp_path / "docs", {})
    (docs / "index.md").unlink()
    checked = check("--docs", str(docs))
    assert checked.returncode == 1 and f"{docs.as_posix()}/index.md:1: 错误[home-missing]" in checked.stdout
    built = build(docs, tmp_path / "site")
    assert built.returncode != 0 and "错误[home-missing]" in built.stderr


@pytest.mark.build
def test_the_builds_last_line_is_chinese_when_it_stops(tmp_path):
    docs = write_docs(tmp_path / "docs", {"news/a.md": "---\ntitle: 标题\ndate: 2009.5.12\n---\n\n正文。\n"})
    result = build(docs, tmp_path / "site")
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("构建失败：") and "Aborted" not in result.stderr, result.stderr


@pytest.mark.build
def test_a_rule_not_yet_in_effect_says_so_and_is_not_counted_in_force(tmp_path, site_config):
    later = (dt.date.fromisoformat(run_env()["PUBLICITY_AS_OF"]) + dt.timedelta(days=30)).isoformat()
    docs = write_docs(tmp_path / "docs", {
        "rules/r.md": f"---\ntitle: 新制度\ndate: 2009-01-01\nstatus: 现行有效\neffective: {later}\n---\n\n第一条\n"})
    site = build_ok(docs, tmp_path / "site")
    assert "尚未施行" in page(site, "rules/r/").select_one(".pub-facts").get_text()
    assert "尚未施行" in page(site, "rules/").select_one(".pub-status").get_text()
    assert "新制度" not in page(site, "").select_one(".pub-home__rules").get_text()
    counted = subprocess.run([sys.executable, str(ROOT / "scripts/count.py"), "--docs", str(docs), "--format", "json"],
                             cwd=ROOT, env=run_env(), capture_output=True, text=True, encoding="utf-8")
    assert '"in_force": 0' in counted.stdout


# ---- the site's address -------------------------------------------------------------------------------------

def _config(tmp_path, replace: tuple[str, str]) -> str:
    """The tests' configuration with one change, written to tmp_path."""
    text = TEST_CONFIG.read_text(encoding="utf-8")
    assert replace[0] in text
    path = tmp_path / "publicity.yml"
    path.write_text(text.replace(*replace), encoding="utf-8")
    return str(path)


def _line(path: str | Path, marker: str) -> int:
    """The line of a file where ``marker`` first appears: where a message about it must point."""
    text = Path(path).read_text(encoding="utf-8")
    return text[: text.index(marker)].count("\n") + 1


def _site_url(address: str) -> tuple[str, str]:
    line = next(line for line in TEST_CONFIG.read_text(encoding="utf-8").splitlines() if line.startswith("site_url:"))
    return line, f'site_url: "{address}"'


@pytest.mark.parametrize("address, weakness", [("", "没有填写"), ("http://127.0.0.1:8000/", "本机地址")])
@pytest.mark.build
def test_an_empty_or_local_address_is_warned_about_and_not_published(tmp_path, address, weakness):
    config = _config(tmp_path, _site_url(address))
    checked = check(PUBLICITY_CONFIG=config)
    assert checked.returncode == 0 and "警告[site-url]" in checked.stdout and weakness in checked.stdout
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(tmp_path / "site")], cwd=ROOT,
                           env=run_env(PUBLICITY_CONFIG=config), capture_output=True, text=True, timeout=300)
    assert built.returncode == 0 and "警告[site-url]" in built.stderr
    published = subprocess.run([sys.executable, str(ROOT / "scripts/publish.py"), "check-address"], cwd=ROOT,
                               env=run_env(PUBLICITY_CONFIG=config), capture_output=True, text=True, encoding="utf-8")
    assert published.returncode == 1 and "不能发布" in published.stderr


@pytest.mark.build
def test_the_configured_address_is_the_one_every_build_writes(tmp_path, site_config):
    config = _config(tmp_path, _site_url("https://jsj.real-office.cn/"))
    site = tmp_path / "site"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)], cwd=ROOT,
                            env=run_env(PUBLICITY_CONFIG=config), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "<loc>https://jsj.real-office.cn/news/" in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<link>https://jsj.real-office.cn/news/" in (site / "feeds/news.xml").read_text(encoding="utf-8")
    assert subprocess.run([sys.executable, str(ROOT / "scripts/publish.py"), "check-address"], cwd=ROOT,
                          env=run_env(PUBLICITY_CONFIG=config), capture_output=True).returncode == 0


# ---- configuration --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("replace, marker, code", [
    (("listing:\n  page_size: 20      # 新闻列表每页条数\n  home_news: 8       # 首页显示的最新新闻条数", "listing: 20"), "listing: 20",
     "config-shape"),
    (("{name: 人民日报,     level: 国家级, kind: media}", "{name: 人民日报,     levle: 国家级, kind: media}"), "levle", "config-key"),
    (("report:\n  templates:", "report:\n  - templates:"), "report:", "config-shape"),
    (("  name: 测试市测试区建设局        #", "  name: [荆州市, 沙市区]        #"), "name: [", "config-value"),
    (("timezone: Asia/Shanghai", "timezone: Mars/Base"), "Mars/Base", "config-value"),
    (("  quality: 70 ", "  quality: 700 "), "quality: 700", "config-value"),
    (("  site_code: \"4210020000\"", "  site_code: \"42100\""), "42100\"", "config-value"),
    (("  gov_mark_url: \"\"", "  gov_mark_url: javascript:alert(1)"), "javascript:", "url-format"),
    (("timezone: Asia/Shanghai", "timezone: Asia/Shanghai\ntimezone: UTC"), "timezone: UTC", "config-syntax"),
])
@pytest.mark.build
def test_every_configuration_slip_is_a_chinese_error_on_its_line(tmp_path, replace, marker, code):
    config = _config(tmp_path, replace)
    _refused_by_check_and_build(tmp_path, config, f"publicity.yml:{_line(config, marker)}: 错误[{code}]")


@pytest.mark.build
def test_a_missing_required_key_is_not_a_missing_file(tmp_path):
    """A left-out key is config-required on its entry's line, naming the key and the fix; config-missing, which
    STAFF_GUIDE explains as "找不到配置文件", is kept for a file that is not there."""
    config = _config(tmp_path, ("{name: 人民日报,     level: 国家级, kind: media}", "{name: 人民日报, kind: media}"))
    _refused_by_check_and_build(tmp_path, config, f"publicity.yml:{_line(config, '人民日报')}: 错误[config-required]: "
                                "outlets 第 1 项 缺少必填的配置项“level”（级别）（在 outlets 第 1 项 里加上 level: …）")
    absent = str(tmp_path / "elsewhere" / "publicity.yml")
    _refused_by_check_and_build(tmp_path, absent, f"{absent}:1: 错误[config-missing]: 找不到配置文件（文件不存在）"
                                "（在项目根目录放一个 publicity.yml，或从仓库恢复：git checkout publicity.yml）")


def _refused_by_check_and_build(tmp_path: Path, config: str, expected: str) -> None:
    """check.py stops with exit 2 and the build with exit 1, both printing ``expected``; the build's last line in Chinese."""
    checked = check(PUBLICITY_CONFIG=config)
    assert checked.returncode == 2
    assert expected in checked.stdout, checked.stdout
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(tmp_path / "site")], cwd=ROOT,
                           env=run_env(PUBLICITY_CONFIG=config), capture_output=True, text=True, timeout=300)
    assert built.returncode == 1 and expected in built.stderr, built.stderr
    assert "Traceback" not in built.stderr and built.stderr.strip().splitlines()[-1].startswith("构建失败")


@pytest.mark.parametrize("replace, marker", [
    (("use_directory_urls: true", "use_directory_urls: false"), "use_directory_urls"),
    (("plugins:\n  - publicity", "plugins: []"), "plugins: []"),
])
def test_a_wrong_mkdocs_setting_is_named_by_the_checker(tmp_path, replace, marker):
    project = tmp_path / "project"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(".venv", ".git", "site", ".cache", "__pycache__"))
    mkdocs = project / "mkdocs.yml"
    text = mkdocs.read_text(encoding="utf-8")
    assert replace[0] in text
    mkdocs.write_text(text.replace(*replace), encoding="utf-8")
    result = subprocess.run([sys.executable, str(project / "scripts/check.py")], cwd=project, env=sample_env(PUBLICITY_ROOT=str(project)),
                            capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert result.returncode == 1 and f"mkdocs.yml:{_line(mkdocs, marker)}: 错误[mkdocs-config]" in result.stdout, result.stdout


# ---- nothing lost ---------------------------------------------------------------------------------------------

def corpus(*args):
    return subprocess.run([sys.executable, str(ROOT / "scripts/corpus.py"), *args, "--news", "3", "--issues", "2",
                           "--rules", "1"], cwd=ROOT, env=run_env(), capture_output=True, text=True, encoding="utf-8",
                          timeout=120)


def test_the_corpus_generator_never_deletes_what_it_did_not_write(tmp_path):
    snapshot = {p: p.read_bytes() for p in DOCS.rglob("*") if p.is_file()}
    refused = corpus(str(DOCS / "news"))
    assert refused.returncode == 2 and "--force" in refused.stderr
    assert corpus(str(ROOT)).returncode == 2
    out = tmp_path / "out"
    assert corpus(str(out)).returncode == 0
    mine = tmp_path / "out/notes.txt"
    mine.write_text("员工自己的文件", encoding="utf-8")
    again = corpus(str(out))
    assert again.returncode == 2 and "不是空的" in again.stderr
    forced = corpus(str(out), "--force")
    assert forced.returncode == 0, forced.stderr
    assert mine.read_text(encoding="utf-8") == "员工自己的文件"
    assert len(list((out / "news").rglob("*.md"))) == 4  # 3 items and the section page: the earlier run's replaced
    forced_in_docs = corpus(str(DOCS / "news"), "--force")
    assert forced_in_docs.returncode == 2 and "不会覆盖" in forced_in_docs.stderr
    assert {p: p.read_bytes() for p in DOCS.rglob("*") if p.is_file()} == snapshot
