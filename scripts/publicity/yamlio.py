"""YAML loading that remembers where each value was written.

One parse gives both the data and the line of every mapping key and list
entry, so that a problem can name its line without reading the file again.
libyaml's C loader is used when present: it reads front matter several times
faster than the pure-Python one.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

try:
    _Base = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Base = yaml.SafeLoader


class _Loader(_Base):
    """The safe loader, except that an impossible date (2008-13-40) stays text, so that the
    schema's date check reports it on its field's line instead of PyYAML raising ValueError."""


def _timestamp_or_text(loader: _Loader, node: yaml.ScalarNode) -> object:
    try:
        return _Base.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)

Path_ = tuple[object, ...]


@dataclass
class YamlDoc:
    data: object
    lines: dict[Path_, int]  # (key, index, ...) -> line counted from 1 within the text

    def line(self, *path: object, default: int = 1) -> int:
        """The line of the deepest known prefix of ``path``."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return default


class YamlSyntaxError(ValueError):
    def __init__(self, line: int, problem: str):
        self.line = line
        self.problem = problem
        super().__init__(f"line {line}: {problem}")


def load(text: str) -> YamlDoc:
    """Parse one YAML document; raise YamlSyntaxError with a 1-based line."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and "end of stream" in (exc.problem or ""):
            mark = exc.context_mark  # an unclosed quote or bracket: where it was opened, not where the file ends
        line = mark.line + 1 if mark else 1
        raise YamlSyntaxError(line, _explain(exc)) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(1, str(exc)) from None
    finally:
        loader.dispose()
    lines: dict[Path_, int] = {}
    if node is not None:
        _collect_lines(node, (), lines)
    return YamlDoc(data, lines)


def _collect_lines(node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            lines[path + (key,)] = key_node.start_mark.line + 1
            _collect_lines(value_node, path + (key,), lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            lines[path + (index,)] = child.start_mark.line + 1
            _collect_lines(child, path + (index,), lines)


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
    return problem
