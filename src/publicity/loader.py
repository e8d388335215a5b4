"""Loading the content folder into the model, collecting every problem.

Nothing stops at the first problem: each file is read, each field checked,
then the cross-file checks run (duplicate issue numbers, URL clashes,
successor links). A file with an error is left out of ``items`` and its
problems say why, so a caller can refuse to go on without losing track.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from . import schema
from .config import SiteConfig
from .inventory import FileKind, Inventory, take_inventory
from .model import Issue, Item, Kind, NewsItem, Page, Rule, RuleStatus, State, url_for
from .problems import Problem, Problems, shown_path
from .reuse import Reuse
from .source import Source, read_source


@dataclass
class Content:
    config: SiteConfig
    docs_dir: Path
    items: list[Item] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)

    def __post_init__(self) -> None:
        self.by_path: dict[str, Item] = {}
        self.inventory = Inventory(self.docs_dir, str(self.docs_dir))
        self.bodies: dict[str, str] = {}  # each document's Markdown body, read once by the loader
        # Bodies as their pages show them (render.Rendered), filled by the checks: the build puts them on the pages.
        self.rendered: dict[str, object] = {}

    def body(self, document: Item | Page) -> str:
        """A document's Markdown body as the loader read it."""
        return self.bodies[document.src_path]

    @property
    def documents(self) -> list[Item | Page]:
        return [*self.items, *self.pages]

    def index(self) -> None:
        self.items.sort(key=lambda i: (i.kind.value, i.date, i.src_path))
        self.by_path = {i.src_path: i for i in self.items}

    @property
    def errors(self) -> list[Problem]:
        return self.problems.errors

    def of_kind(self, kind: Kind) -> list[Item]:
        return [i for i in self.items if i.kind is kind]

    def visible(self, as_of: dt.date, preview: bool = False) -> list[Item]:
        """What a build shows: the published items, or everything in a preview."""
        return list(self.items) if preview else [i for i in self.items if i.is_published(as_of)]

    def held_back(self, as_of: dt.date) -> dict[State, list[Item]]:
        held: dict[State, list[Item]] = {State.DRAFT: [], State.SCHEDULED: []}
        for item in self.items:
            state = item.state(as_of)
            if state is not State.PUBLISHED:
                held[state].append(item)
        return held


def load_content(docs_dir: Path, config: SiteConfig, root: Path | None = None, reuse: Reuse | None = None) -> Content:
    """``reuse``: a long-running caller's memory of unchanged files (the preview's; see reuse.py)."""
    content = Content(config, docs_dir)
    if not docs_dir.is_dir():
        content.problems.path = shown_path(docs_dir, root)
        content.problems.error(1, "docs-missing", "内容文件夹不存在", "检查路径，或在项目根目录运行")
        return content
    base = shown_path(docs_dir, root)  # resolved once: per-file resolving costs seconds at 10,000 files
    content.inventory = take_inventory(docs_dir, base, config.namer)
    content.problems.extend(content.inventory.problems)
    if reuse is not None:  # what a file gives depends on the configuration too
        reuse.context(repr(config))
    for entry in content.inventory.of_kind(FileKind.MARKDOWN):
        _load_file(entry.path, entry.rel, f"{base}/{entry.rel}", content, reuse)
    content.index()
    _cross_checks(content, root)
    return content


def _load_file(path: Path, rel: str, shown: str, content: Content, reuse: Reuse | None = None) -> None:
    if reuse is None:
        problems, body, document, _ = _read_file(path, rel, shown, content)
    else:  # the preview: an unchanged file gives what it gave last time (reuse.py)
        problems, body, document = reuse.loaded(path, shown, content.inventory.__contains__,
                                                lambda: _read_file(path, rel, shown, content, reuse))
    content.problems.extend(problems)
    if body is not None:
        content.bodies[rel] = body
    if isinstance(document, Page):
        content.pages.append(document)
    elif document is not None:
        content.items.append(document)


def _read_file(path: Path, rel: str, shown: str, content: Content, reuse: Reuse | None = None) -> tuple:
    """One file read and validated: its problems, its body (None when unreadable), what it is in the model, and
    the files its front matter named, each with whether it exists ((path, bool) pairs: what else it depends on)."""
    kind = Kind.for_folder(rel.split("/", 1)[0]) if "/" in rel else None
    is_item = kind is not None and not rel.endswith("/index.md")
    if reuse is None:
        source = read_source(path, shown, require_front_matter=is_item)
    else:
        source = reuse.source(path, shown, is_item, lambda: read_source(path, shown, require_front_matter=is_item))
    problems = list(source.problems.items)
    if source.meta is None:
        return problems, None, None, ()
    if not is_item:
        return problems, source.body, Page(rel, path, source.body_line, dict(source.meta)), ()
    files = _Asked(content.inventory)
    ctx = schema.Context(source, rel, content.config, Problems(shown, problems), files)
    values = schema.validate(kind, ctx)
    item = _build(kind, rel, source, values, content.config) if values is not None and not source.problems.errors else None
    return problems, source.body, item, tuple(files.asked.items())


class _Asked:
    """The inventory as validation sees it (``target in inventory``), remembering what was asked and the answers."""

    def __init__(self, inventory: Inventory):
        self.inventory = inventory
        self.asked: dict[str, bool] = {}

    def __contains__(self, target: str) -> bool:
        there = self.asked[target] = target in self.inventory
        return there


_MODELS = {Kind.NEWS: NewsItem, Kind.NEWSLETTER: Issue, Kind.RULE: Rule}


def _build(kind: Kind, rel: str, source: Source, values: dict, config: SiteConfig) -> Item:
    """The model object from the validated values: each field becomes the attribute its declaration names."""
    fields = {f.attribute: values[f.name] for f in schema.FIELDS[kind] if f.name in values}
    fields.setdefault("title", "")
    if kind is Kind.NEWSLETTER and not fields["title"]:
        fields["title"] = Issue.default_title(values["series"], values["date"].year, values["issue"])
    if kind is Kind.RULE:
        fields.setdefault("issuer", config.office.name)
    return _MODELS[kind](kind=kind, src_path=rel, file=source.path, body_line=source.body_line,
                         lines={str(k): source.line(k) for k in source.meta or {}}, **fields)


def _cross_checks(content: Content, root: Path | None) -> None:
    base = shown_path(content.docs_dir, root)
    shown = lambda rel: f"{base}/{rel}"  # noqa: E731
    problems = content.problems
    if "index.md" not in content.inventory:
        Problems(shown("index.md"), problems.items).error(1, "home-missing", "内容文件夹里没有首页 index.md",
                                                          "从仓库恢复 docs/index.md，或新建一个 index.md（第一行写 # 首页 即可）")
    _check_issue_numbers(content, shown, problems)
    _check_urls(content, shown, problems)
    for rule in content.of_kind(Kind.RULE):
        _check_rule_links(rule, content, shown, problems)


def _check_issue_numbers(content: Content, shown, problems: Problems) -> None:
    seen: dict[tuple, Issue] = {}
    for issue in content.of_kind(Kind.NEWSLETTER):
        key = (issue.series.name, issue.date.year, issue.issue)
        if key in seen:
            Problems(shown(issue.src_path), problems.items).error(
                issue.line("issue"), "duplicate-issue", f"{issue.series.display}{key[1]}年第{key[2]}期重复：{seen[key].src_path} 也是这一期",
                "检查期号 issue 和日期 date")
        else:
            seen[key] = issue


def _check_urls(content: Content, shown, problems: Problems) -> None:
    by_url: dict[str, list[str]] = defaultdict(list)
    for rel in [i.src_path for i in content.items] + [p.src_path for p in content.pages]:
        by_url[url_for(rel)].append(rel)
    for url, paths in sorted(by_url.items()):
        for rel in sorted(paths)[1:]:
            Problems(shown(rel), problems.items).error(
                1, "duplicate-url", f"与 {sorted(paths)[0]} 发布到同一个网址 /{url}", "给其中一个文件改名")


def _check_rule_links(rule: Rule, content: Content, shown, problems: Problems) -> None:
    here = Problems(shown(rule.src_path), problems.items)
    for name in ("supersedes", "superseded_by"):
        target = getattr(rule, name)
        if target and not isinstance(content.by_path.get(target), Rule):
            here.error(rule.line(name), "link-not-rule", f"{name} 指向的“{target}”不是一篇制度", "指向 docs/rules/ 下的制度文件")
    if rule.status is not RuleStatus.IN_FORCE and rule.repealed is None:
        here.warning(rule.line("status"), "repealed-missing", f"制度标为“{rule.status}”，但没有写失效日期 repealed",
                     "加一行 repealed: YYYY-MM-DD；没有日期时统计按“已失效”计")
    _check_revision(rule, content, here)


def _check_revision(rule: Rule, content: Content, here: Problems) -> None:
    """A revision is stated on both sides, or the old rule is counted in force beside the new one.

    While the new rule is a draft, the old one rightly stays as it is.
    """
    old = content.by_path.get(rule.supersedes)
    if isinstance(old, Rule) and not rule.draft and (old.superseded_by != rule.src_path or old.status is RuleStatus.IN_FORCE):
        here.error(rule.line("supersedes"), "rule-link-one-sided",
                   f"本制度取代 {old.src_path}，但那篇还没有写 superseded_by 指向本制度并改为已修订或已废止",
                   f"在 {old.src_path} 里写 superseded_by: {posixpath.relpath(rule.src_path, posixpath.dirname(old.src_path))}、"
                   "status: 已修订 和 repealed（失效日期）；或运行 python scripts/new.py publish 本文件")
    new = content.by_path.get(rule.superseded_by)
    if isinstance(new, Rule) and new.supersedes != rule.src_path:
        here.error(rule.line("superseded_by"), "rule-link-one-sided",
                   f"本制度写着被 {new.src_path} 取代，但那篇没有写 supersedes 指向本制度",
                   f"在 {new.src_path} 里写 supersedes: {posixpath.relpath(rule.src_path, posixpath.dirname(new.src_path))}")
    elif rule.superseded_by and rule.status is RuleStatus.IN_FORCE:
        here.error(rule.line("status"), "rule-link-one-sided", "本制度写了 superseded_by（已被取代），效力状态却还是现行有效",
                   "把 status 改为 已修订（或 已废止），并写 repealed（失效日期）")
