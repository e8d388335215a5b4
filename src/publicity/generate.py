"""A generated corpus in the project's format, for tests and benchmarks.

Text is drawn from the sample content (titles and paragraphs), dates spread
over the chosen years, outlets, series and departments from the registries;
the same options and seed give the same files, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from . import textgen
from .config import SiteConfig
from .loader import load_content
from .model import Kind, RuleStatus
from .source import render_document

_FALLBACK_PARAGRAPHS = [
    "近年来，我局坚持把文明创建作为机关建设的重要内容，以塑造勤政、廉政、务实、高效、文明的公仆形象为目标，扎实开展各项工作。",
    "局机关坚持每周四组织集中学习，学习政治理论与业务知识，干部职工的业务综合素质不断提高。",
    "我局实行社会承诺，对居民群众举报和投诉的问题做到限时办结，维修、更换各类井盖，疏挖排水管网。",
]
_SECTION_PAGES = ("index.md", "news/index.md", "newsletters/index.md", "rules/index.md")


@dataclass(frozen=True)
class CorpusSpec:
    news: int = 100
    issues: int = 20
    rules: int = 10
    start_year: int = 2007
    years: int = 3
    seed: int = 1
    paragraphs: int = 3  # per item body, with the sample's text
    text: str = "sample"  # "sample": the sample's titles and paragraphs; "real": varied text at real lengths (textgen.py)
    title_prefix: str = ""  # news titles "<prefix>第N号" (all sharing one prefix), instead of varied ones


@dataclass
class Pool:
    titles: list[str]
    paragraphs: list[str]


def sample_pool(sample_docs: Path, config: SiteConfig) -> Pool:
    """Titles and paragraphs of the sample content (a built-in few if it is missing)."""
    content = load_content(sample_docs, config)
    titles = [i.title for i in content.items if i.kind is Kind.NEWS]
    paragraphs = []
    for item in content.items:
        body = content.body(item)
        paragraphs += [p.strip() for p in body.split("\n\n") if len(p.strip()) > 30 and not p.lstrip().startswith(("#", "!", "|", "-"))]
    return Pool(titles or ["局机关开展文明创建活动"], paragraphs or _FALLBACK_PARAGRAPHS)


MANIFEST = ".corpus-files"  # in the output folder: every file a generation wrote, and nothing else


class CorpusError(Exception):
    """The output folder cannot be used without risking files that are not the generator's (message in Chinese)."""


def generate(out: Path, spec: CorpusSpec, config: SiteConfig, pool: Pool, sample_docs: Path | None = None,
             *, force: bool = False, protected: tuple[Path, ...] = ()) -> dict[str, int]:
    """Write the corpus into ``out``; return how many files of each kind.

    Nothing that is not the generator's own is ever deleted or overwritten. A folder
    that is not empty, or that lies inside ``protected`` (the real content), is refused
    unless ``force``; even then only the files listed in the folder's manifest (what an
    earlier generation wrote) are removed, and a file of anyone else's in the way is an error.
    """
    _prepare(out, force, protected)
    written: list[str] = []
    rng = random.Random(spec.seed)
    if spec.text == "real":
        textgen.use_prose(pool.paragraphs)
    writers = ((Kind.NEWS, spec.news, _news), (Kind.NEWSLETTER, spec.issues, _issues), (Kind.RULE, spec.rules, _rules))
    try:
        for rel in _SECTION_PAGES:
            source = sample_docs / rel if sample_docs else None
            _write_text(out, rel, source.read_text(encoding="utf-8") if source and source.is_file() else "", written)
        return {kind.value: writer(out, count, spec, config, pool, rng, written) for kind, count, writer in writers}
    finally:
        if written:  # so that the next run (with --force) can remove exactly these
            (out / MANIFEST).write_text("\n".join(written) + "\n", encoding="utf-8")


def _prepare(out: Path, force: bool, protected: tuple[Path, ...]) -> None:
    out = out.resolve()
    inside = next((p for p in protected if out == p.resolve() or p.resolve() in out.parents), None)
    existing = out.is_dir() and any(out.iterdir())
    if out.exists() and not out.is_dir():
        raise CorpusError(f"{out} 是一个文件，不是文件夹")
    if (inside or existing) and not force:
        why = f"在正式内容文件夹 {inside} 里" if inside else "不是空的"
        raise CorpusError(f"输出文件夹 {out} {why}：生成的内容会和已有文件混在一起。请换一个空文件夹，"
                          "或加 --force（只会删除以前生成的文件，不会动其他文件）")
    manifest = out / MANIFEST
    if manifest.is_file():
        for rel in manifest.read_text(encoding="utf-8").splitlines():
            path = (out / rel).resolve()
            if rel and out in path.parents and path.is_file():
                path.unlink()
        manifest.unlink()
        for folder in sorted((p for p in out.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
            if not any(folder.iterdir()):
                folder.rmdir()
    out.mkdir(parents=True, exist_ok=True)


def _write_text(out: Path, rel: str, text: str, written: list[str]) -> None:
    path = out / rel
    if path.exists():
        raise CorpusError(f"{path} 已经存在，而且不是以前生成的：不会覆盖它。请换一个空文件夹")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    written.append(rel)


def _dates(count: int, spec: CorpusSpec, rng: random.Random) -> list[dt.date]:
    start = dt.date(spec.start_year, 1, 1)
    span = (dt.date(spec.start_year + spec.years, 1, 1) - start).days
    return sorted(start + dt.timedelta(days=rng.randrange(span)) for _ in range(count))


def _body(pool: Pool, spec: CorpusSpec, rng: random.Random, real=textgen.news_body) -> str:
    if spec.text == "real":
        return real(rng)
    return "\n\n".join(rng.choice(pool.paragraphs) for _ in range(spec.paragraphs))


def _news_title(n: int, pool: Pool, spec: CorpusSpec, rng: random.Random) -> str:
    if spec.title_prefix:
        return f"{spec.title_prefix}第{n}号"
    return textgen.news_title(rng) if spec.text == "real" else f"{rng.choice(pool.titles)}（{n}）"


def _write(out: Path, rel: str, meta: dict, body: str, written: list[str]) -> None:
    _write_text(out, rel, render_document(meta, body), written)


def _news(out: Path, count: int, spec: CorpusSpec, config: SiteConfig, pool: Pool, rng: random.Random,
          written: list[str]) -> int:
    per_day: dict[dt.date, int] = defaultdict(int)
    for n, day in enumerate(_dates(count, spec, rng), start=1):
        per_day[day] += 1
        outlets = rng.sample([o.name for o in config.outlets], k=min(len(config.outlets), rng.randint(0, 3)))
        meta = {"title": _news_title(n, pool, spec, rng), "date": day}
        if config.departments:
            meta["department"] = rng.choice(config.departments)
        if outlets:
            meta["outlets"] = outlets
        _write(out, f"news/{day.year}/{day:%m%d}-{per_day[day]}.md", meta, _body(pool, spec, rng), written)
    return count


def _issues(out: Path, count: int, spec: CorpusSpec, config: SiteConfig, pool: Pool, rng: random.Random,
          written: list[str]) -> int:
    if not config.series:
        return 0
    numbers: dict[tuple[str, int], int] = defaultdict(int)
    totals: dict[str, int] = defaultdict(int)
    for n, day in enumerate(_dates(count, spec, rng)):
        series = config.series[n % len(config.series)]
        numbers[(series.name, day.year)] += 1
        totals[series.name] += 1
        number = numbers[(series.name, day.year)]
        meta = {"series": series.name, "issue": number, "total_issue": totals[series.name], "date": day}
        _write(out, f"newsletters/{series.slug}/{day.year}-{number:02d}.md", meta, _body(pool, spec, rng, textgen.issue_body),
               written)
    return count


def _rules(out: Path, count: int, spec: CorpusSpec, config: SiteConfig, pool: Pool, rng: random.Random,
          written: list[str]) -> int:
    categories = ("机关管理", "文明创建", "党风廉政", "业务规范")
    for n, day in enumerate(_dates(count, spec, rng), start=1):
        meta = {"title": f"{config.office.short_name or config.office.name}管理制度（{n}）", "date": day,
                "status": RuleStatus.IN_FORCE.value, "category": rng.choice(categories),
                "doc_number": f"沙建发〔{day.year}〕{n}号"}
        body = textgen.rule_body(rng) if spec.text == "real" else \
            "\n\n".join(f"第{i}条　{rng.choice(pool.paragraphs)}" for i in range(1, spec.paragraphs + 2))
        _write(out, f"rules/rule-{n:05d}.md", meta, body, written)
    return count
