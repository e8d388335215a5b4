"""Reading a Markdown source file: its encoding, front matter and body.

This is the only place front matter is split from the body and parsed; the
site build, the counter and the checker all go through ``read_source``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import yamlio
from .problems import Problems, os_reason

BOM = "\ufeff"
_FENCE = re.compile(r"^---[ \t]*$")
_FENCE_END = re.compile(r"^(---|\.\.\.)[ \t]*$")
# A key typed with a full-width colon (title：…) or space, as Chinese input methods do.
_FULLWIDTH_KEY = re.compile(r"^(\s*)([A-Za-z_][\w\u3000 ]*?)\s*：")


@dataclass
class Source:
    """A decoded Markdown file; ``meta`` is None when its front matter is unusable."""

    path: Path
    text: str = ""
    meta: dict | None = None
    yaml: yamlio.YamlDoc | None = None
    body: str = ""
    body_line: int = 1  # line of the body's first line in the file
    problems: Problems = field(default_factory=Problems)

    def line(self, *key: object) -> int:
        """File line of a front-matter key (1 where unknown)."""
        if self.yaml is None:
            return 1
        return self.yaml.line(*key, default=0) + 1 if key else 1


def decode(raw: bytes, problems: Problems) -> str | None:
    """UTF-8 text with LF endings; an error when it is not UTF-8 (None when unreadable)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        if _looks_like_gbk(raw):
            problems.error(line, "encoding-gbk", "文件不是 UTF-8 编码，看起来是 GBK（Windows 记事本的“ANSI”）",
                           "请用记事本“另存为”并把编码选为 UTF-8，或运行 iconv -f GBK -t UTF-8")
            # Read it as GBK anyway, so that its other problems are reported in the same run.
            return raw.decode("gbk").replace("\r\n", "\n").replace("\r", "\n")
        else:
            problems.error(line, "encoding", "文件不是 UTF-8 编码，无法读取", "请把文件另存为 UTF-8 编码")
        return None
    if text.startswith(BOM):
        text = text[1:]
        problems.warning(1, "bom", "文件以 UTF-8 BOM 开头（已按 UTF-8 读取）",
                         "保存时选“UTF-8”而不是“UTF-8 带 BOM”")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _looks_like_gbk(raw: bytes) -> bool:
    try:
        raw.decode("gbk")
    except UnicodeDecodeError:
        return False
    return True


def read_source(path: Path, display_path: str, *, require_front_matter: bool) -> Source:
    problems = Problems(display_path)
    source = Source(path=path, problems=problems)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.error(1, "unreadable", f"无法读取文件：{os_reason(exc)}", "检查文件是否存在、是否有读取权限")
        return source
    text = decode(raw, problems)
    if text is None:
        return source
    source.text = text
    split_front_matter(source, require_front_matter)
    return source


def split_front_matter(source: Source, required: bool) -> None:
    lines = source.text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        source.body, source.meta = source.text, {}
        if required:
            source.meta = None
            source.problems.error(1, "front-matter-missing", "文件开头没有 front matter（用 --- 包起来的字段）",
                                  "在第一行写 ---，下面逐行写 title:、date: 等字段，再写一行 --- 结束")
        return
    end = next((i for i in range(1, len(lines)) if _FENCE_END.match(lines[i])), None)
    if end is None:
        source.problems.error(1, "front-matter-unclosed", "front matter 没有结束标记",
                              "在字段之后单独写一行 ---")
        return
    source.body = "\n".join(lines[end + 1:])
    source.body_line = end + 2
    # Typing slips are reported, then repaired in memory so that the rest of
    # the file is still checked; the file stays refused (its problems are errors).
    header = _repair_typing(lines[1:end], source.problems)
    try:
        doc = yamlio.load("\n".join(header))
    except yamlio.YamlSyntaxError as exc:
        message, fix = _YAML_REFUSED.get(exc.code, ("front matter 无法解析：{}", "检查这一行的缩进、冒号后的空格和引号是否成对"))
        source.problems.error(exc.line + 1, exc.code, message.format(exc.problem), fix)
        return
    if doc.data is None:
        doc.data = {}
    if not isinstance(doc.data, dict):
        source.problems.error(2, "yaml-not-mapping", "front matter 应当是“字段: 值”的列表",
                              "每行写一个字段，例如 title: 标题")
        return
    source.yaml, source.meta = doc, doc.data


_YAML_REFUSED = {  # code -> (message, fix) for what yamlio refuses on purpose
    "duplicate-key": ("{}", "删掉其中一行：两行都在时只会用到一个，文章可能以错误的日期或标题发布"),
    "yaml-alias": ("front matter 里{}", "把值直接写出来：字段区不需要锚点和引用"),
    "yaml-tag": ("front matter 里{}", "去掉以 ! 开头的标签，直接写值"),
    "yaml-size": ("front matter 里{}", "字段区只需要“字段: 值”和简单的列表；正文写在第二个 --- 之后"),
}


def _repair_typing(header: list[str], problems: Problems) -> list[str]:
    """Report what Chinese input methods type into YAML, and return the lines as meant."""
    repaired = []
    for number, line in enumerate(header, start=2):
        indent = line[: len(line) - len(line.lstrip())]
        if "\t" in indent:
            problems.error(number, "yaml-tab", "front matter 里用了 Tab 缩进", "YAML 只能用空格缩进，请把 Tab 换成两个空格")
            line = indent.replace("\t", "  ") + line.lstrip()
        match = _FULLWIDTH_KEY.match(line)
        if match and ":" not in line[: match.end()]:
            key = match.group(2).replace("\u3000", "").strip()
            problems.error(number, "fullwidth-colon", f"字段“{key}”后面用了全角冒号“：”",
                           f"改成半角冒号加空格，例如“{key}: …”")
            line = f"{match.group(1)}{key}: {line[match.end():].lstrip()}"
        elif re.match(r"^\s*\S*\u3000\S*\s*:", line):
            problems.error(number, "fullwidth-space", "字段名里有全角空格", "删掉字段名里的全角空格")
            key_part, rest = line.split(":", 1)
            line = key_part.replace("\u3000", "") + ":" + rest
        repaired.append(line)
    return repaired


def read_body(path: Path, body_line: int) -> str:
    """The Markdown body of a file loaded before: skips the front matter by line, no YAML parse.

    For a process that did not load it (the search index's helper); the run that did keeps
    its bodies (``Content.body``).
    """
    text = decode(path.read_bytes(), Problems()) or ""
    return "\n".join(text.split("\n")[body_line - 1:]) if body_line > 1 else text


def render_document(meta: dict, body: str) -> str:
    """A Markdown file with YAML front matter, as the loader reads it back."""
    import yaml  # local: only writers need the dumper

    header = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, default_flow_style=None, width=1000)
    return f"---\n{header}---\n\n{body.strip()}\n"
