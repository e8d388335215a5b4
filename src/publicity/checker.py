"""The content checker: loading plus every check, filtered to the paths asked about.

``scripts/check.py`` is its command-line face; the build runs the same checks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .checks import check_content
from .config import SiteConfig
from .images import ContentHashes, ImageIndex, Outcome, process_images, verify_images
from .inventory import FileKind
from .loader import Content, load_content
from .problems import Problem, shown_path
from .reuse import Reuse
from .site_plan import generated_paths


@dataclass
class Report:
    problems: list[Problem]
    files: int  # how many files were checked (after filtering)

    @property
    def errors(self) -> int:
        return sum(p.is_error for p in self.problems)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors


@dataclass
class Examination:
    """The content loaded and every check run on it: what the checker reports and the build refuses."""

    content: Content
    problems: list[Problem]  # sorted, each once
    images: Outcome  # the images processed (a build) or only verified (the checker)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def examine(docs: Path, config: SiteConfig, root: Path, as_of: dt.date, *, publish_images: bool = False,
            hashes: ContentHashes | None = None, reuse: Reuse | None = None,
            loaded: Callable[[Content], None] | None = None) -> Examination:
    """Load the content and run every check: the one pipeline of ``check.py`` and the site build.

    The build asks for the images to be published (processed into the cache);
    the checker only verifies them, with the same code and the same problems.
    ``reuse``: the preview's memory of unchanged files' work (reuse.py); the result is the same.
    ``loaded``: called with the content as soon as it is read, before the checks (the build starts its
    search index there, on the core the checks leave free).
    """
    if reuse is not None:
        reuse.start()
    content = load_content(docs, config, root, reuse)
    if loaded is not None:
        loaded(content)
    # Images first: a build's bodies are rendered with their pictures.
    images = process_images(content, root, hashes) if publish_images else verify_images(content, root, hashes)
    index = ImageIndex(images.published) if publish_images else None
    if reuse is not None:
        reuse.images((publish_images, repr(images.published)))
    # Every page a preview could generate, so that a link to a listing page is never taken for broken.
    generated = generated_paths(content, content.visible(as_of, preview=True), config)
    problems = config.problems + content.problems.items + images.problems.items
    problems += check_content(content, config, root, generated, as_of, index, reuse)
    if reuse is not None:
        reuse.finish()
    return Examination(content, sorted(set(problems), key=lambda p: (p.path, p.line, p.code, p.message)), images)


def run_checks(docs: Path, config: SiteConfig, root: Path, as_of: dt.date, only: list[str] | None = None) -> Report:
    """Check all content; keep the problems of ``only`` (repo-relative paths or folders) when given.

    Cross-file checks (duplicate issues, URL clashes, links) always look at
    everything, so a file is judged the same whether checked alone or not.
    """
    examination = examine(docs, config, root, as_of)
    problems = examination.problems
    markdown = examination.content.inventory.of_kind(FileKind.MARKDOWN)
    files = len(markdown)
    if only:
        prefixes = [o.rstrip("/") for o in only]
        problems = [p for p in problems if any(_within(p.path, o) for o in prefixes)]
        files = sum(1 for e in markdown if any(_within(shown_path(e.path, root), o) for o in prefixes))
    return Report(problems, files)


def _within(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + "/")


def github_annotation(problem: Problem) -> str:
    """A GitHub Actions workflow command, escaped as the runner requires."""
    kind = "error" if problem.is_error else "warning"
    text = f"{problem.message}（{problem.fix}）" if problem.fix else problem.message
    return (f"::{kind} file={_escape_property(problem.path)},line={problem.line},"
            f"title={_escape_property(problem.code)}::{_escape_data(text)}")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
