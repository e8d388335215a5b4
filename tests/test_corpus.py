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
