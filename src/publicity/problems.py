"""Problems found in content or configuration, collected rather than raised.

Every tool (build, checker, counter) reports problems in one format:

    docs/news/2009/0512-jinggai.md:3: 错误[date-format]: 日期“2009.5.12”无法识别（请写成 2009-05-12）
"""

from __future__ import annotations

import errno
from dataclasses import dataclass, field
from pathlib import Path

from .codes import CODES, Severity


@dataclass(frozen=True)
class Problem:
    path: str  # relative to the repository root, forward slashes
    line: int  # counted from 1; 1 where no line applies
    code: str  # short, stable, ASCII: what tests and editors match on
    message: str  # what is wrong, in Chinese
    fix: str = ""  # what to do about it, in Chinese
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}: {self.severity.value}[{self.code}]: {self.message}"
        return f"{text}（{self.fix}）" if self.fix else text


@dataclass
class Problems:
    """Collects problems for one source file (or the whole run)."""

    path: str = ""
    items: list[Problem] = field(default_factory=list)

    def error(self, line: int, code: str, message: str, fix: str = "") -> None:
        self.add(Problem(self.path, max(line, 1), code, message, fix))

    def warning(self, line: int, code: str, message: str, fix: str = "") -> None:
        self.add(Problem(self.path, max(line, 1), code, message, fix, Severity.WARNING))

    def add(self, problem: Problem) -> None:
        declared = CODES.get(problem.code)
        if declared is None or declared.severity is not problem.severity:  # a programming slip: codes.py is the list
            raise ValueError(f"problem code {problem.code!r} ({problem.severity.name}) is not declared in codes.py")
        self.items.append(problem)

    def extend(self, other: Problems | list[Problem]) -> None:
        self.items.extend(other.items if isinstance(other, Problems) else other)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if not p.is_error]

    def sorted(self) -> list[Problem]:
        return sorted(self.items, key=lambda p: (p.path, p.line, p.code))


def shown_path(path: Path, root: Path | None) -> str:
    """A path as staff see it in messages: relative to the project, forward slashes (as given when outside it)."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()


class ContentError(Exception):
    """Raised by a tool when the content has errors; carries all of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = sum(p.is_error for p in problems)
        super().__init__(f"内容有 {errors} 处错误，请按上面的提示逐一修改后重试。")


_OS_REASONS = {
    errno.ENOENT: "文件不存在", errno.EACCES: "没有权限", errno.EPERM: "没有权限", errno.EISDIR: "这是一个文件夹",
    errno.ENOTDIR: "路径中有一段不是文件夹", errno.ENOSPC: "磁盘已满", errno.EROFS: "磁盘是只读的",
    errno.ENAMETOOLONG: "路径太长", errno.EIO: "读写出错（磁盘或网络盘有故障）", errno.EMFILE: "打开的文件太多",
    errno.EBUSY: "文件正被别的程序占用", errno.ETXTBSY: "文件正被别的程序占用",
}


def os_reason(exc: OSError) -> str:
    """Why a file could not be read or written, in Chinese (the system's own words are English)."""
    return _OS_REASONS.get(exc.errno, f"系统错误 {exc.errno}") if exc.errno is not None else "系统错误"
