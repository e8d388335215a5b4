"""YAML as front matter and configuration need it: safe, YAML 1.2 scalars, every value with its line.

libyaml (through PyYAML) only *parses*: it turns the text into events. The
document is built from those events here, iteratively, with these rules:

- **YAML 1.2 core schema.** ``010`` is 10, ``0o10`` is 8; ``yes``, ``no``, ``on``
  and ``off`` are text; ``12:30`` is text (YAML 1.1 read it as 750). Dates stay
  text too: the schema's date field reads them, with the office's own hints.
- **Refused:** anchors and aliases (front matter has no use for them, and ten
  lines of nested aliases are gigabytes), duplicate keys (the last one would
  win silently), nesting deeper than ``MAX_DEPTH`` (libyaml's own composer
  crashes the process on a deeply nested file), more than ``MAX_NODES`` values,
  keys that are not plain text, and tags other than YAML's own.
- **Kept:** the line of every mapping key and list entry, and the text of every
  scalar as written, so that a text field takes ``0012`` as written.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import yaml

try:
    _Parser = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Parser = yaml.SafeLoader

MAX_DEPTH = 20
MAX_NODES = 5000

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT10 = re.compile(r"^[-+]?[0-9]+$")
_INT8 = re.compile(r"^0o[0-7]+$")
_INT16 = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")
_TAGS = {"tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
         "tag:yaml.org,2002:null", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "!"}

Path_ = tuple[object, ...]


@dataclass
class YamlDoc:
    data: object
    lines: dict[Path_, int]  # (key, index, ...) -> line counted from 1 within the text
    texts: dict[Path_, str] = field(default_factory=dict)  # the text of each scalar as written (quotes removed)

    def line(self, *path: object, default: int = 1) -> int:
        """The line of the deepest known prefix of ``path``."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return default

    def text(self, *path: object) -> str | None:
        """A scalar as written (``0012``, ``no``, ``12:30``), or None when it is not a scalar."""
        return self.texts.get(path)


class YamlSyntaxError(ValueError):
    """What could not be read, on its line; ``code`` says which rule refused it (problem codes in codes.py)."""

    def __init__(self, line: int, problem: str, code: str = "yaml-syntax"):
        self.line, self.problem, self.code = line, problem, code
        super().__init__(f"line {line}: {problem}")


def load(text: str) -> YamlDoc:
    """Parse one YAML document; raise YamlSyntaxError (Chinese, with a 1-based line) for anything refused."""
    parser = _Parser(text)
    try:
        return _Builder(parser).document()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and "end of stream" in (exc.problem or ""):
            mark = exc.context_mark  # an unclosed quote or bracket: where it was opened, not where the file ends
        raise YamlSyntaxError(mark.line + 1 if mark else 1, _explain(exc)) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(1, str(exc)) from None
    finally:
        parser.dispose()


class _Builder:
    """Builds the document from parser events with an explicit stack: no recursion, bounded size."""

    def __init__(self, parser) -> None:
        self.parser = parser
        self.lines: dict[Path_, int] = {}
        self.texts: dict[Path_, str] = {}
        self.nodes = 0

    def document(self) -> YamlDoc:
        self._expect(yaml.StreamStartEvent)
        if self.parser.check_event(yaml.StreamEndEvent):
            return YamlDoc(None, {}, {})
        self._expect(yaml.DocumentStartEvent)
        data = self._value((), 0)
        self._expect(yaml.DocumentEndEvent)
        if not self.parser.check_event(yaml.StreamEndEvent):
            raise YamlSyntaxError(self.parser.peek_event().start_mark.line + 1, "这里只能有一组字段，不能用 --- 再开始一组")
        return YamlDoc(data, self.lines, self.texts)

    def _expect(self, kind) -> yaml.Event:
        event = self.parser.get_event()
        if not isinstance(event, kind):  # libyaml guarantees the stream's structure; this is a safeguard
            raise YamlSyntaxError(event.start_mark.line + 1, "无法解析")
        return event

    def _value(self, path: Path_, depth: int) -> object:
        """The value starting at the next event; an explicit stack of open mappings and lists, no recursion."""
        event = self.parser.get_event()
        self._check(event, depth)
        root = self._start(event, path)
        stack: list[tuple[dict | list, Path_, list]] = [(root, path, [None])] if isinstance(root, (dict, list)) else []
        while stack:
            container, where, key = stack[-1]
            event = self.parser.get_event()
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                stack.pop()
                continue
            self._check(event, depth + len(stack))
            line = event.start_mark.line + 1
            if isinstance(container, dict) and key[0] is None:
                key[0] = self._key(event, container, where)
                continue
            if isinstance(container, dict):
                child = where + (key[0],)
                container[key[0]] = value = self._start(event, child)
                key[0] = None
            else:
                child = where + (len(container),)
                self.lines[child] = line
                container.append(value := self._start(event, child))
            if isinstance(value, (dict, list)):
                stack.append((value, child, [None]))
        return root

    def _key(self, event, mapping: dict, where: Path_) -> str:
        line = event.start_mark.line + 1
        if not isinstance(event, yaml.ScalarEvent):
            raise YamlSyntaxError(line, "字段名只能是文字")
        if event.value in mapping:
            raise YamlSyntaxError(line, f"字段“{event.value}”写了两次（前面已经有一行 {event.value}:）", "duplicate-key")
        self.lines[where + (event.value,)] = line
        mapping[event.value] = None  # taken, until its value comes
        return event.value

    def _check(self, event, depth: int) -> None:
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise YamlSyntaxError(line, "用了 & 或 * （锚点和引用）", "yaml-alias")
        tag = getattr(event, "tag", None)
        if tag is not None and tag not in _TAGS:
            raise YamlSyntaxError(line, f"用了 YAML 标签“{tag}”", "yaml-tag")
        self.nodes += 1
        if depth > MAX_DEPTH or self.nodes > MAX_NODES:
            raise YamlSyntaxError(line, "字段嵌套太深或数量太多", "yaml-size")

    def _start(self, event, path: Path_) -> object:
        if isinstance(event, yaml.MappingStartEvent):
            return {}
        if isinstance(event, yaml.SequenceStartEvent):
            return []
        self.texts[path] = event.value
        try:
            return scalar(event.value, plain=bool(event.implicit[0]) and event.tag is None, tag=event.tag)
        except YamlSyntaxError as exc:
            raise YamlSyntaxError(event.start_mark.line + 1, exc.problem, exc.code) from None


def scalar(text: str, plain: bool, tag: str | None = None) -> object:
    """A scalar's value under YAML 1.2's core schema (quoted and block scalars are always text)."""
    if not plain and tag in (None, "!", "tag:yaml.org,2002:str"):
        return text  # quoted, block, or tagged as text
    if tag == "tag:yaml.org,2002:null" or tag is None and _NULL.match(text):
        return None
    if text in _BOOL and tag in (None, "tag:yaml.org,2002:bool"):
        return _BOOL[text]
    if _INT10.match(text):
        return int(text, 10)
    if _INT8.match(text):
        return int(text[2:], 8)
    if _INT16.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text):
        return float(text)
    if _INF.match(text):
        return -math.inf if text.startswith("-") else math.inf
    if _NAN.match(text):
        return math.nan
    if tag is not None:
        raise YamlSyntaxError(1, f"“{text}”不是标签 {tag} 要求的值", "yaml-tag")
    return text


def _explain(exc: yaml.MarkedYAMLError) -> str:
    """libyaml's message, with a Chinese gloss for the mistakes staff make most."""
    problem = exc.problem or str(exc)
    context = exc.context or ""
    if "quoted scalar" in context:
        return f"引号没有成对（{problem}）"
    if "flow sequence" in context or "flow mapping" in context:
        return f"方括号或花括号没有成对（{problem}）"
    if "mapping values are not allowed" in problem:
        return f"值里有“: ”，需要给整个值加引号（{problem}）"
    if "found character '\\t'" in problem or "found character \\t" in problem:
        return f"不能用 Tab（{problem}）"
    return f"写法有误（{problem}）"
