"""scripts/corpus.py: repeatable corpora, valid by the content model."""

from __future__ import annotations

import subprocess
import sys

from publicity.loader import load_content
from publicity.model import Kind

from conftest import ROOT, run_env, tree_digest


def corpus(out, *args):
    result = subprocess.run([sys.executable, "scripts/corpus.py", str(out), *args], cwd=ROOT, env=run_env(),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return out


def test_same_seed_same_bytes_and_valid(tmp_path, site_config):
    args = ("--news", "120", "--issues", "12", "--rules", "6", "--years", "2", "--seed", "5")
    first, second = corpus(tmp_path / "a", *args), corpus(tmp_path / "b", *args)
    assert tree_digest(first) == tree_digest(second)
    assert tree_digest(corpus(tmp_path / "c", *args[:-1], "6")) != tree_digest(first)
    content = load_content(first, site_config)
    assert content.problems.items == []
    assert [len(content.of_kind(k)) for k in Kind] == [120, 12, 6]
    assert {i.date.year for i in content.items} <= {2007, 2008}


def test_text_comes_from_the_sample(tmp_path, site_config):
    out = corpus(tmp_path / "c", "--news", "5", "--issues", "0", "--rules", "0")
    body = next((out / "news").rglob("*.md")).read_text(encoding="utf-8").split("---\n", 2)[2]
    sample = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").rglob("*.md"))
    paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
    assert paragraphs and all(p in sample for p in paragraphs)


def test_real_text_has_real_lengths_and_varies(tmp_path, site_config):
    # What the benchmarks index: news of 800–1,500 characters, issues of 2,000–5,000, rules of 1,000–5,000,
    # naming roads, works, departments and figures, in sentences that do not repeat.
    args = ("--news", "60", "--issues", "8", "--rules", "6", "--years", "2", "--text", "real")
    out = corpus(tmp_path / "real", *args)
    assert tree_digest(out) == tree_digest(corpus(tmp_path / "again", *args))
    content = load_content(out, site_config)
    assert content.problems.items == []
    lengths = {kind: [len("".join(content.bodies[item.src_path].replace("#", "").split())) for item in content.of_kind(kind)]
               for kind in Kind}  # characters, without spaces and the headings' marks
    assert all(800 <= n <= 1500 for n in lengths[Kind.NEWS]), lengths[Kind.NEWS]
    assert all(2000 <= n <= 5000 for n in lengths[Kind.NEWSLETTER]), lengths[Kind.NEWSLETTER]
    assert all(1000 <= n <= 5000 for n in lengths[Kind.RULE]), lengths[Kind.RULE]
    text = "".join(content.bodies[item.src_path] for item in content.items)
    sentences = [s for s in text.replace("\n", "").split("。") if len(s) > 10]
    assert len(set(sentences)) > 0.9 * len(sentences)
    assert len({item.title for item in content.of_kind(Kind.NEWS)}) >= 55  # titles repeat now and then, as real ones do
    assert any(road in text for road in ("北京中路", "荆沙大道", "江津路")) and "万元" in text and "科" in text


def test_titles_sharing_one_prefix(tmp_path, site_config):
    out = corpus(tmp_path / "prefix", "--news", "30", "--issues", "0", "--rules", "0", "--title-prefix", "城建动态")
    titles = sorted(item.title for item in load_content(out, site_config).of_kind(Kind.NEWS))
    assert titles[:2] == ["城建动态第10号", "城建动态第11号"] and len(set(titles)) == 30
