"""What every command-line face shares: Chinese messages, exit codes, no tracebacks."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from .problems import ContentError, os_reason


def utf8_console(*, csv: bool = False) -> None:
    """Chinese output as UTF-8 wherever it goes (a Windows console, a pipe, a file); ``csv`` keeps CSV's own line
    ends on standard output instead of Windows' translation."""
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8", **({"newline": ""} if csv else {}))
        sys.stderr.reconfigure(encoding="utf-8")


def run(work: Callable[[], int]) -> int:
    """Run a tool's work; content problems exit 1 with their messages, never a traceback."""
    try:
        return work()
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        print(f"错误：无法读写文件 {exc.filename or ''}：{os_reason(exc)}", file=sys.stderr)
        return 2


# argparse's own messages, in the staff's language. argparse looks up its
# module-level ``_`` at call time, so a translating function can stand in.
_ZH = {
    "usage: ": "用法：",
    "options": "选项",
    "positional arguments": "参数",
    "show this help message and exit": "显示本帮助并退出",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "expected one argument": "需要一个值",
    "expected at least one argument": "至少需要一个值",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项 %(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是：%(matches)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
}


class ArgumentParser(argparse.ArgumentParser):
    """argparse with Chinese messages; usage errors exit with status 2."""

    def error(self, message: str):  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{message}\n")


def _translate(message: str) -> str:
    return _ZH.get(message, message)


argparse._ = _translate  # type: ignore[attr-defined]
argparse.ngettext = lambda singular, plural, n: _translate(singular if n == 1 else plural)  # type: ignore[attr-defined]


def date_arg(value: str):
    """An argparse type for YYYY-MM-DD, with the same hints as front matter."""
    from .dates import DateFormatError, parse_date

    try:
        return parse_date(value)
    except DateFormatError as exc:
        raise argparse.ArgumentTypeError(f"{exc}，{exc.hint}") from None
