"""check.py and new.py as staff and reviewers meet them."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from conftest import DOCS, ROOT, run_env, sample_env, write_docs
from problem_corpus import CASES, expected, write_case_files

CHECK = [sys.executable, str(ROOT / "scripts" / "check.py")]
NEW = [sys.executable, str(ROOT / "scripts" / "new.py")]

@pytest.fixture(scope="module")
def problem_docs(tmp_path_factory):
    return write_case_files(tmp_path_factory.mktemp("problems") / "docs", CASES)


def check(*args, cwd=ROOT, sample=False):
    """check.py on a content folder of the tests' (their configuration), or on the sample (the project's)."""
    result = subprocess.run(CHECK + list(args), cwd=cwd, env=sample_env() if sample else run_env(), capture_output=True,
                            text=True, encoding="utf-8", timeout=120)
    assert "Traceback" not in result.stderr + result.stdout
    return result


def test_the_sample_content_is_clean():
    result = check(sample=True)
    assert result.returncode == 0, result.stdout
    # Only the sample's placeholder address is pointed out, as it must be until the office sets its own.
    assert result.stdout.splitlines() == [next(line for line in result.stdout.splitlines() if "警告[site-url]" in line)]


def test_every_problem_is_found_with_file_line_and_code(problem_docs):
    result = check("--docs", str(problem_docs))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    for start in expected(CASES, problem_docs.as_posix()):
        assert any(entry.startswith(start) for entry in lines), f"missing: {start}\n" + "\n".join(lines)
    assert "错误" in result.stderr and "警告" in result.stderr  # the summary line


def test_hints_name_the_fix(problem_docs):
    out = check("--docs", str(problem_docs)).stdout
    for words in ("请写成 2009-05-12", "是不是“title”", "是不是“date”", "荆州日报", "建议改名为 news/jing-gai.md",
                  "iconv -f GBK -t UTF-8", "现行有效、已修订、已废止", "缺第2期、第3期", "最接近的已登记名称：城建情况"):
        assert words in out, words


def test_paths_limit_the_report(problem_docs):
    out = check("--docs", str(problem_docs), str(problem_docs / "rules")).stdout.splitlines()
    assert out and all("/rules/" in line for line in out)


def test_github_annotations(problem_docs):
    out = check("--docs", str(problem_docs), "--format", "github").stdout.splitlines()
    date_line = next(line for line in out if "dotted-date.md" in line)
    assert date_line.startswith("::error file=") and ",line=3,title=date-format::" in date_line
    assert "%0A" not in date_line and "::warning file=" in "\n".join(out)


def test_github_escaping():
    from publicity.checker import github_annotation
    from publicity.problems import Problem

    text = github_annotation(Problem("docs/a,b:c.md", 2, "x", "50% 完成\r\n下一行", "改"))
    assert text == "::error file=docs/a%2Cb%3Ac.md,line=2,title=x::50%25 完成%0D%0A下一行（改）"


def test_could_not_run_exits_2(tmp_path):
    assert check("--docs", str(tmp_path / "none")).returncode == 2
    assert check(str(tmp_path / "nothing-here.md")).returncode == 2
    # A folder outside the content folder is refused, not answered with "0 个文件".
    outside = check(str(tmp_path))
    assert outside.returncode == 2 and f"--docs {tmp_path}" in outside.stderr, outside.stderr


def new(*args, docs):
    return subprocess.run(NEW + ["--docs", str(docs), *args], cwd=ROOT, env=run_env(), capture_output=True, text=True,
                          encoding="utf-8", timeout=120)


@pytest.mark.parametrize("args, where", [
    (["news", "区建设局开展井盖整治", "--date", "2010-03-05"], "news/2010/0305-jing-gai-zheng-zhi.md"),
    (["newsletter", "--series", "城建情况", "--date", "2009-08-01"], "newsletters/chengjian/2009-05.md"),
    (["newsletter", "--series", "沙市城管", "--date", "2010-01-05"], "newsletters/shashi-chengguan/2010-01.md"),
    (["rule", "公务用车管理制度", "--slug", "gongwu-yongche"], "rules/gongwu-yongche.md"),
])
def test_new_items_pass_the_checker_and_are_never_overwritten(tmp_path, args, where):
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    result = new(*args, docs=docs)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith(where)
    written = (docs / where).read_text(encoding="utf-8")
    assert "draft: true" in written
    assert check("--docs", str(docs)).returncode == 0
    if "newsletter" in args:
        assert "total_issue:" in written
    else:
        again = new(*args, docs=docs)
        assert again.returncode == 1 and "不会覆盖" in again.stderr and where in again.stderr
        assert (docs / where).read_text(encoding="utf-8") == written


def test_names_come_from_the_distinctive_words_and_a_clash_gets_2(tmp_path):
    docs = write_docs(tmp_path / "docs", {})
    titles = ["区建设局开展井盖整治", "我局积极开展井盖整治", "沙市区建设局开展井盖整治"]
    written = [new("news", title, "--date", "2010-03-05", docs=docs) for title in titles]
    assert [r.returncode for r in written] == [0, 0, 0], [r.stderr for r in written]
    assert [r.stdout.strip().rsplit("/", 1)[1] for r in written] == [
        "0305-jing-gai-zheng-zhi.md", "0305-jing-gai-zheng-zhi-2.md", "0305-jing-gai-zheng-zhi-3.md"]
    rule = new("rule", "沙市区建设局关于印发公务接待管理制度的通知", docs=docs)
    assert rule.stdout.strip().endswith("rules/gong-wu-jie-dai-guan.md")  # five syllables at most
    assert check("--docs", str(docs)).returncode == 0


def test_the_checker_suggests_the_name_new_py_would_write(tmp_path):
    docs = write_docs(tmp_path / "docs", {"news/2009/0512-区建设局开展井盖整治.md": "---\ntitle: 井盖\ndate: 2009-05-12\n---\n\n正文。\n"})
    out = check("--docs", str(docs)).stdout
    assert "建议改名为 news/2009/0512-jing-gai-zheng-zhi.md" in out, out


def test_a_rule_is_revised_in_one_step(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    old = docs / "rules/xuexi-zhidu.md"
    before = old.read_text(encoding="utf-8")
    made = new("rule", "--revises", "xuexi-zhidu.md", "沙市区建设局学习制度（2010年修订）", "--date", "2010-03-01", docs=docs)
    assert made.returncode == 0, made.stderr
    draft = docs / made.stdout.strip().split("/docs/", 1)[1]
    assert draft.name == "xue-xi-zhi-du-2010.md"
    assert "supersedes: xuexi-zhidu.md" in draft.read_text(encoding="utf-8")
    # While the new rule is a draft the old one stays as it is, and everything checks.
    assert old.read_text(encoding="utf-8") == before
    assert check("--docs", str(docs)).returncode == 0
    draft.write_text(draft.read_text(encoding="utf-8").replace("effective:  #", "effective: 2010-04-01  #"), encoding="utf-8")
    published = new("publish", str(draft), docs=docs)
    assert published.returncode == 0, published.stderr
    assert [line.split("/docs/", 1)[1] for line in published.stdout.splitlines()] == [
        "rules/xue-xi-zhi-du-2010.md：删除 draft: true",
        "rules/xuexi-zhidu.md：加上 superseded_by: xue-xi-zhi-du-2010.md",
        "rules/xuexi-zhidu.md：status: 现行有效 → 已修订",
        "rules/xuexi-zhidu.md：加上 repealed: 2010-04-01",
    ]
    assert "draft:" not in draft.read_text(encoding="utf-8")
    assert check("--docs", str(docs)).returncode == 0
    again = new("publish", "rules/xue-xi-zhi-du-2010.md", docs=docs)
    assert again.returncode == 0 and "没有需要修改" in again.stdout


@pytest.mark.parametrize("args, code, words", [
    (["rule", "--revises", "nothing.md", "新制度"], 2, "找不到"),
    (["rule", "--revises", "../news/2008/0508-jinggai-zhengzhi.md", "新制度"], 2, "应当是一篇制度"),
    (["news", "--revises", "xuexi-zhidu.md", "新闻"], 2, "只用于制度"),
    (["publish"], 2, "要发布的文件"),
])
def test_revise_and_publish_refuse_what_they_cannot_do(tmp_path, args, code, words):
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    result = new(*args, docs=docs)
    assert result.returncode == code and words in result.stderr, result.stderr


def test_a_new_rule_gets_the_next_index_number_and_a_rule_without_one_is_pointed_out(tmp_path):
    docs = shutil.copytree(DOCS, tmp_path / "docs")  # the sample's rules hold 011520456/2007-00023 at most in 2007
    assert new("rule", "公务用车管理制度", "--slug", "gongwu-yongche", "--date", "2007-12-01", docs=docs).returncode == 0
    written = (docs / "rules/gongwu-yongche.md").read_text(encoding="utf-8")
    assert "\nindex_number: 011520456/2007-00024\n" in written
    # Without it: a warning naming the next free number of the rule's year (the draft's number is taken).
    (docs / "rules/gongwu-yongche.md").write_text(written.replace("index_number: 011520456/2007-00024", "index_number:"),
                                                   encoding="utf-8")
    (docs / "rules/other.md").write_text("---\ntitle: 其他制度\ndate: 2007-05-01\nstatus: 现行有效\nindex_number: "
                                         "011520456/2007-00024\n---\n\n第一条\n", encoding="utf-8")
    result = check("--docs", str(docs))
    assert result.returncode == 0
    (line,) = [entry for entry in result.stdout.splitlines() if "index-number-missing" in entry]
    assert line.startswith(f"{docs.as_posix()}/rules/gongwu-yongche.md:1: 警告[index-number-missing]: 制度没有索引号")
    assert "index_number: 011520456/2007-00025" in line


def test_new_refuses_to_overwrite_a_file_in_its_way(tmp_path):
    docs = write_docs(tmp_path / "docs", {"newsletters/chengjian/2009-01.md": "旧文件，不是简报\n"})
    result = new("newsletter", "--series", "城建情况", "--date", "2009-03-01", docs=docs)
    assert result.returncode == 1 and "不会覆盖" in result.stderr
    assert (docs / "newsletters/chengjian/2009-01.md").read_text(encoding="utf-8") == "旧文件，不是简报\n"


def test_new_newsletter_needs_a_known_series(tmp_path):
    docs = write_docs(tmp_path / "docs", {})
    result = new("newsletter", "--series", "城建简报", docs=docs)
    assert result.returncode == 2 and "城建情况" in result.stderr


# ---- JSON Schemas for editors -------------------------------------------------

def _as_editor_sees(meta):
    """YAML dates arrive as date objects; an editor validating YAML sees the text."""
    import datetime as dt

    if isinstance(meta, dict):
        return {k: _as_editor_sees(v) for k, v in meta.items()}
    if isinstance(meta, list):
        return [_as_editor_sees(v) for v in meta]
    return meta.isoformat() if isinstance(meta, dt.date) else meta


def _front_matter(path):
    from publicity.source import read_source

    return _as_editor_sees(read_source(path, path.name, require_front_matter=True).meta)


def _validator(kind, site_config):
    import jsonschema

    from publicity.jsonschema import front_matter_schema

    return jsonschema.Draft7Validator(front_matter_schema(kind, site_config), format_checker=jsonschema.FormatChecker())


def test_committed_schemas_are_up_to_date(site_config):
    import json

    from publicity.jsonschema import front_matter_schema
    from publicity.model import Kind

    for kind in Kind:
        committed = json.loads((ROOT / "schemas" / f"{kind.folder}.schema.json").read_text(encoding="utf-8"))
        assert committed == front_matter_schema(kind, site_config), "run: python scripts/check.py --write-schemas"


def test_schemas_accept_every_sample_file(site_config):
    from publicity.model import Kind

    for kind in Kind:
        validator = _validator(kind, site_config)
        files = [p for p in (DOCS / kind.folder).rglob("*.md") if p.name != "index.md"]
        assert files
        for path in files:
            errors = list(validator.iter_errors(_front_matter(path)))
            assert not errors, f"{path}: {errors[0].message}"


@pytest.mark.parametrize("path", [c.path for c in CASES if c.code in (
    "unknown-field", "missing-field", "date-format", "status-value", "unknown-series", "unknown-outlet", "unknown-department")])
def test_schemas_reject_each_broken_file(problem_docs, site_config, path):
    from publicity.model import Kind

    kind = Kind.for_folder(path.split("/")[0])
    assert list(_validator(kind, site_config).iter_errors(_front_matter(problem_docs / path))), path


def test_editor_problem_matchers_read_the_checkers_output(problem_docs):
    import json
    import re

    tasks = json.loads((ROOT / ".vscode" / "tasks.json").read_text(encoding="utf-8"))
    matchers = [m for task in tasks["tasks"] for m in task["problemMatcher"]]
    out = check("--docs", str(problem_docs)).stdout.splitlines()
    for line in out:
        hits = [(m["severity"], re.match(m["pattern"]["regexp"], line)) for m in matchers]
        hits = [(severity, h) for severity, h in hits if h]
        assert hits, line
        severity, match = hits[0]
        assert severity == ("error" if "错误[" in line else "warning")
        assert match.group(1).startswith(str(problem_docs)) or match.group(1) == "publicity.yml"
        assert int(match.group(2)) >= 1


# ---- the pull request's summary ----------------------------------------------

def git(repo, *args):
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args], cwd=repo, check=True,
                   capture_output=True)


def test_summary_lists_exactly_what_a_change_publishes(tmp_path):
    from PIL import Image

    repo = tmp_path / "repo"
    shutil.copytree(DOCS, repo / "docs")
    shutil.copy(ROOT / "publicity.yml", repo / "publicity.yml")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    # A new item with a new photo, a retitled item carried by one more outlet, a rule marked 已废止, a removed rule,
    # a file with an error and a page; an untouched image.
    (repo / "docs/news/2010/images").mkdir(parents=True)
    Image.new("RGB", (4000, 3000), (90, 140, 60)).save(repo / "docs/news/2010/images/xinnian.jpg", quality=95)
    (repo / "docs/news/2010/0105-xinnian.md").write_text(
        "---\ntitle: 新年第一篇\ndate: 2010-01-05\noutlets: [荆州日报]\n---\n\n![新年](images/xinnian.jpg)\n", encoding="utf-8")
    (repo / "docs/news/2010/0106-cuowu.md").write_text("---\ntitle: 日期写错的稿件\ndate: 2010.1.6\n---\n\n正文。\n",
                                                        encoding="utf-8")
    old = repo / "docs/news/2008/0508-jinggai-zhengzhi.md"
    old.write_text(old.read_text(encoding="utf-8").replace("title: 区建设局集中整治破损井盖", "title: 集中整治破损井盖")
                   .replace("  - 区政府网首页\n", "  - 区政府网首页\n  - 湖北日报\n"), encoding="utf-8")
    laike = repo / "docs/rules/laike-jiedai.md"
    laike.write_text(laike.read_text(encoding="utf-8").replace("status: 现行有效", "status: 已废止\nrepealed: 2010-01-01"),
                     encoding="utf-8")
    (repo / "docs/rules/wenming-jiating.md").unlink()
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "change")
    result = subprocess.run([sys.executable, str(ROOT / "scripts/pr_summary.py"), "--base", "HEAD~1", "--head", "HEAD",
                             "--as-of", "2026-11-28"], cwd=repo, env=run_env(), capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    entries = [line for line in out.splitlines() if line.startswith("- ")]
    assert entries[1].startswith("- 新闻：`docs/news/2010/0106-cuowu.md` —— **有错误**：第 3 行 [date-format] date 的日期“2010.1.6”")
    assert entries[:1] + entries[2:] == [
        "- 新闻：新年第一篇（`docs/news/2010/0105-xinnian.md`）",
        "- 图片：`docs/news/2010/images/xinnian.jpg` —— 发布为 1600×1200，" + entries[2].split("，", 1)[1],
        "- 新闻：集中整治破损井盖（`docs/news/2008/0508-jinggai-zhengzhi.md`） —— 原标题：区建设局集中整治破损井盖；"
        "增加刊发：湖北日报（2008-05-08）",
        "- 制度：沙市区建设局来客接待制度（2008年修订）（`docs/rules/laike-jiedai.md`） —— 效力 现行有效 → 已废止",
        "- 制度：沙市区建设局文明家庭评选制度（`docs/rules/wenming-jiating.md`）",
    ]
    size = entries[2].split("，")[1].split("（")[0]
    assert size.endswith("KB") and float(size.split()[0]) < 300  # a 4000×3000 photo publishes under 300 KB
    assert "**新增 3 个文件**" in out and "**修改 2 个文件**" in out and "**删除 1 个文件**" in out
    assert "| 2010 | 0 | 0 → **1** | 0 → **1** | 0 | 0 |" in out and "| 2008 |" in out.split("[!WARNING]")[0]
    assert "2007年" in out.split("[!WARNING]")[1]  # the removed rule was issued in 2007: a past year's figure changed
    assert "[!CAUTION]" in out and "`docs/news/2010/0106-cuowu.md`" in out.split("[!CAUTION]")[1]



def test_the_summary_sees_the_files_the_build_sees(tmp_path, site_config):
    """The summary takes the files from the build's inventory: hidden files are not content; a symbolic link (to a
    file, to nothing, to a folder) and a file the site refuses are listed with their error, and no link is read
    through."""
    import datetime as dt

    from publicity.changes import ADDED, diff_content
    from publicity.loader import load_content

    news = "---\ntitle: 新闻\ndate: 2009-05-12\n---\n\n正文。\n"
    before = write_docs(tmp_path / "before", {"news/2009/a.md": news})
    after = write_docs(tmp_path / "after", {"news/2009/a.md": news, "news/2009/b.md": news.replace("新闻", "另一条新闻"),
                                            "news/2009/.notes.md": "个人笔记", "news/2009/page.html": "<script></script>"})
    outside = write_docs(tmp_path / "outside", {"news/2009/c.md": news})
    (after / "news/2009/c.md").symlink_to(outside / "news/2009/c.md")
    (after / "news/2009/gone.md").symlink_to(tmp_path / "nowhere.md")
    (after / "news/2008").symlink_to(outside / "news/2009", target_is_directory=True)
    changes = diff_content(load_content(before, site_config, tmp_path), load_content(after, site_config, tmp_path),
                           dt.date(2009, 6, 1))
    assert {c.what for c in changes} == {ADDED}
    listed = {c.src_path: (c.title, c.problem.split("]")[0] + "]" if c.problem else "") for c in changes}
    assert listed == {"news/2009/b.md": ("另一条新闻", ""), "news/2009/page.html": ("", "第 1 行 [file-type]"),
                      "news/2009/c.md": ("", "第 1 行 [symlink]"), "news/2009/gone.md": ("", "第 1 行 [symlink]"),
                      "news/2008": ("", "第 1 行 [symlink]")}

def test_the_guide_says_what_the_declarations_say():
    """STAFF_GUIDE.md's field tables and code table are written from the model (check.py --write-guide)."""
    from publicity.guide import GUIDES, rewrite

    for name in GUIDES:
        guide = (ROOT / name).read_text(encoding="utf-8")
        assert rewrite(guide) == guide, f"{name}: run python scripts/check.py --write-guide"
    assert (ROOT / "STAFF_GUIDE.md").read_text(encoding="utf-8").count("<!-- generated:") == 4


# Codes no file of the problem corpus can show: the test that covers each says so by naming the code.
ELSEWHERE = {"unreadable", "image-unreadable", "image-cache", "docs-missing", "home-missing", "as-of-format", "report-template",
             "config-missing", "config-encoding", "config-syntax", "config-shape", "config-key", "config-value",
             "config-required", "config-duplicate", "site-url", "mkdocs-config"}


def test_every_declared_code_is_shown_by_the_corpus_or_a_test():
    from publicity.codes import CODES

    in_corpus = {c.code for c in CASES if c.code}
    assert set(CODES) == in_corpus | ELSEWHERE, sorted(set(CODES) ^ (in_corpus | ELSEWHERE))
    literals = _test_literals()
    untested = sorted(code for code in ELSEWHERE if code not in literals and not any(f"[{code}]" in s for s in literals))
    assert not untested, f"no test shows these codes: {untested}"


def _test_literals() -> set[str]:
    """Every string literal the test modules use as a value (f-strings' fixed parts included).

    Left out: ELSEWHERE's definition, which names every code it holds and so would find them all; docstrings,
    comments and names, which claim rather than check. A code is shown when a test compares a problem's code
    with it, or expects it in printed output as 错误[code] or 警告[code].
    """
    import ast

    found: set[str] = set()
    for path in (ROOT / "tests").glob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        left_out = {id(n) for top in tree.body if isinstance(top, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == "ELSEWHERE" for t in top.targets) for n in ast.walk(top)}
        left_out |= {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)}
        found |= {n.value for n in ast.walk(tree)
                  if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in left_out}
    return found


def test_workflows_parse_and_call_what_exists():
    """The CI files cannot run here; at least they are valid YAML and call the project's real commands."""
    import re

    import yaml

    for name in ("pull-request.yml", "publish.yml"):
        text = (ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8")
        flow = yaml.safe_load(text)
        assert flow["jobs"], name
        for job in flow["jobs"].values():
            assert job.get("container", "python:3.11-bookworm").startswith("python:3.11-bookworm")
        for script in re.findall(r"scripts/[a-z_]+\.py", text):
            assert (ROOT / script).is_file(), script
        for target in re.findall(r"\bmake ([a-z-]+)", text):
            assert re.search(rf"^{target}:", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M), target
    schedule = yaml.safe_load((ROOT / ".github/workflows/publish.yml").read_text(encoding="utf-8"))[True]["schedule"]
    assert schedule == [{"cron": "0 16 * * *"}]  # 00:00 in Asia/Shanghai
