"""Field types: how a value written in YAML becomes a typed value, declared once per type.

A field (``Field``) is a name, a type, whether it is required and a line of
help. Its type knows everything else about it:

- ``read``: the typed value, or a problem on the value's line (``INVALID``);
- ``json_schema``: the JSON Schema editors check the YAML with;
- ``scaffold``: what ``new.py`` writes for it, filled or empty.

Front matter (``schema.py``) and ``publicity.yml`` (``config.py``) are both
declared with these types, so both give the same messages for the same slips.
"""

from __future__ import annotations

import datetime as dt
import difflib
import unicodedata
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .dates import DateFormatError, parse_date
from .problems import Problems
from .yamlio import YamlDoc

INVALID: Any = object()  # what ``read`` returns after reporting a problem


@dataclass
class Where:
    """A value's place in a YAML document, and how to report a problem with it."""

    doc: YamlDoc
    path: tuple  # keys and indexes from the document's top
    problems: Problems
    name: str  # the value's name in messages: issue, listing.page_size, outlets 第 2 项
    type_code: str = "field-type"  # the code of a value of the wrong type: field-type (front matter), config-value
    context: Any = None  # what some types need besides the value: schema.Context for front matter
    offset: int = 0  # the document's first line in its file, less one (front matter starts after its ---)

    @property
    def label(self) -> str:
        """字段“issue” in front matter; listing.page_size in publicity.yml."""
        return f"字段“{self.name}”" if self.type_code == "field-type" else f"{self.name} "

    @property
    def line(self) -> int:
        return self.doc.line(*self.path) + self.offset

    @property
    def text(self) -> str | None:
        """The scalar as written (0012, no, 12:30): what a text field takes."""
        return self.doc.text(*self.path)

    def child(self, key: object, name: str | None = None) -> Where:
        default = f"{self.name}.{key}" if self.name else str(key)
        return Where(self.doc, self.path + (key,), self.problems, name or default, self.type_code, self.context, self.offset)

    def bad(self, message: str, fix: str = "", code: str | None = None) -> Any:
        self.problems.error(self.line, code or self.type_code, message, fix)
        return INVALID


class FieldType:
    """One kind of value. Subclasses say how it is read, described for editors, and scaffolded."""

    empty = ""  # what new.py writes for the field when it is left empty

    def read(self, raw: object, where: Where) -> Any:
        raise NotImplementedError

    def json_schema(self, config: Any) -> dict:
        raise NotImplementedError

    def scaffold(self, value: object) -> str:
        return yaml_scalar(value)

    def hint(self, config: Any) -> str:
        """What new.py adds to the field's help in its comment (registered names, say)."""
        return ""


@dataclass(frozen=True)
class Field:
    name: str
    type: FieldType
    required: bool = False
    help: str = ""
    attr: str = ""  # the model's attribute, when it is not the name

    @property
    def attribute(self) -> str:
        return self.attr or self.name


def yaml_scalar(value: object) -> str:
    """A value as new.py writes it: quoted where YAML would read it as something else."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    special = any(c in text for c in ":#[]{}&*!|>'\"%@`,") or text != text.strip() or not text
    return f'"{text}"' if special or _looks_typed(text) else text


def _looks_typed(text: str) -> bool:
    from .yamlio import scalar

    return not isinstance(scalar(text, plain=True), str)


# ---- the types ------------------------------------------------------------------------------------------------

def control_characters(text: str) -> list[str]:
    """Characters a page or a feed cannot carry: C0/C1 controls (except tab and newline), lone surrogates."""
    return [c for c in text if c not in "\t\n" and unicodedata.category(c) in ("Cc", "Cs")]


class Text(FieldType):
    """Text as written: ``0012`` stays 0012 and ``no`` stays no (YAML would make them 12 and false)."""

    def __init__(self, multiline: bool = False):
        self.multiline = multiline

    def read(self, raw: object, where: Where) -> Any:
        if isinstance(raw, (dict, list)):
            return where.bad(f"{where.label}应当是一段文字", "去掉多余的缩进或方括号")
        text = where.text if where.text is not None else str(raw)
        bad = control_characters(text)
        if bad:
            return where.bad(f"{where.label}里有看不见的控制字符（{', '.join(f'U+{ord(c):04X}' for c in bad[:3])}）",
                             "多半是从其他软件粘贴带进来的：删掉这一行重新输入", code="control-char")
        return text.strip()

    def json_schema(self, config: Any) -> dict:
        return {"type": ["string", "number"]}


class Url(Text):
    """A web address: http or https, with a host. Anything else (javascript:, a bare path) is refused."""

    def read(self, raw: object, where: Where) -> Any:
        text = super().read(raw, where)
        if text is INVALID or not text:
            return text
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in text):
            return where.bad(f"{where.label}“{text[:60]}”不是网页地址", "网址要以 http:// 或 https:// 开头，例如 https://www.example.gov.cn/",
                             code="url-format")
        return text

    def json_schema(self, config: Any) -> dict:
        return {"type": "string", "pattern": r"^https?://\S+$"}


class Pattern(Text):
    """Text of a fixed form, such as a 10-digit site code."""

    def __init__(self, regex: str, example: str):
        super().__init__()
        import re

        self.regex, self.example, self._compiled = regex, example, re.compile(regex)

    def read(self, raw: object, where: Where) -> Any:
        text = super().read(raw, where)
        if text is INVALID or not text or self._compiled.match(text):
            return text
        return where.bad(f"{where.label}“{text}”格式不对", f"例如 {self.example}")

    def json_schema(self, config: Any) -> dict:
        return {"type": ["string", "number"], "pattern": self.regex}


class Date(FieldType):
    empty = ""

    def read(self, raw: object, where: Where) -> Any:
        try:
            return parse_date(raw)
        except DateFormatError as exc:
            return where.bad(f"{where.name} 的{exc}", exc.hint, code="date-format")

    def json_schema(self, config: Any) -> dict:
        return {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date"}


class PositiveInt(FieldType):
    def __init__(self, maximum: int | None = None, example: int = 3):
        self.maximum, self.example = maximum, example

    def read(self, raw: object, where: Where) -> Any:
        if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1 or (self.maximum and raw > self.maximum):
            limit = f"（1 到 {self.maximum}）" if self.maximum else ""
            return where.bad(f"{where.label}应当是正整数{limit}，现在是“{where.text if where.text is not None else raw}”",
                             f"例如 {where.path[-1]}: {self.example}")
        return raw

    def json_schema(self, config: Any) -> dict:
        schema = {"type": "integer", "minimum": 1}
        return schema | ({"maximum": self.maximum} if self.maximum else {})


class Bool(FieldType):
    def read(self, raw: object, where: Where) -> Any:
        if not isinstance(raw, bool):
            return where.bad(f"{where.label}只能是 true 或 false，现在是“{where.text if where.text is not None else raw}”",
                             f"写成 {where.path[-1]}: true")
        return raw

    def json_schema(self, config: Any) -> dict:
        return {"type": "boolean"}


class Choice(FieldType):
    """One of a fixed list of words."""

    def __init__(self, values: tuple[str, ...], code: str | None = None):
        self.values, self.code = values, code

    def read(self, raw: object, where: Where) -> Any:
        text = where.text if where.text is not None else str(raw)
        if text not in self.values:
            return where.bad(f"{where.label}“{text}”无效", f"只能是 {'、'.join(self.values)}", code=self.code)
        return text

    def json_schema(self, config: Any) -> dict:
        return {"enum": list(self.values)}


class ListOf(FieldType):
    empty = "[]"

    def __init__(self, item: FieldType, example: str = ""):
        self.item, self.example = item, example

    def read(self, raw: object, where: Where) -> Any:
        if not isinstance(raw, list):
            return where.bad(f"{where.label}应当是列表（每项以“- ”开头）", self.example or "参照 STAFF_GUIDE.md", code=_shape(where))
        values = [self.item.read(entry, where.child(n, f"{where.name} 第 {n + 1} 项")) for n, entry in enumerate(raw)]
        return INVALID if any(v is INVALID for v in values) else values

    def json_schema(self, config: Any) -> dict:
        return {"type": "array", "items": self.item.json_schema(config)}


class Mapping(FieldType):
    """Names of one's own choosing, each with a value of one type (report templates)."""

    def __init__(self, value: FieldType):
        self.value = value

    def read(self, raw: object, where: Where) -> Any:
        if not isinstance(raw, dict):
            return where.bad(f"{where.label}应当是“名称: 值”的映射", "参照 STAFF_GUIDE.md 中的配置说明", code=_shape(where))
        values = {str(k): self.value.read(v, where.child(k)) for k, v in raw.items()}
        return INVALID if INVALID in values.values() else values

    def json_schema(self, config: Any) -> dict:
        return {"type": "object", "additionalProperties": self.value.json_schema(config)}


@dataclass
class Section(FieldType):
    """A mapping with declared keys: unknown ones and missing required ones are reported with their lines."""

    fields: tuple[Field, ...]
    unknown_code: str = "config-key"
    hint_suffix: str = ""
    by_name: dict[str, Field] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.by_name = {f.name: f for f in self.fields}

    def read(self, raw: object, where: Where) -> Any:
        if raw is None:
            raw = {}
        if not isinstance(raw, dict):
            return where.bad(f"{where.label}应当是“键: 值”的映射", "参照 STAFF_GUIDE.md 中的配置说明", code=_shape(where))
        for key in raw:
            if key not in self.by_name:
                close = difflib.get_close_matches(str(key), list(self.by_name), n=1, cutoff=0.5)
                fix = f"是不是“{close[0]}”？" if close else f"可用：{'、'.join(self.by_name)}{self.hint_suffix}"
                where.child(key).bad(f"{where.name} 下未知的配置项“{key}”" if where.path else f"未知的配置项“{key}”", fix,
                                     code=self.unknown_code)
        values: dict[str, Any] = {}
        for f in self.fields:
            value = raw.get(f.name)
            if value is None or value == "":
                if f.required:
                    _required_missing(where, f)
                continue
            values[f.name] = f.type.read(value, where.child(f.name))
        # What could be read: the caller refuses the whole file on any error, after all are reported.
        return {k: v for k, v in values.items() if v is not INVALID}

    def json_schema(self, config: Any) -> dict:
        return {"type": "object", "properties": {f.name: {"description": f.help, **f.type.json_schema(config)} for f in self.fields},
                "required": [f.name for f in self.fields if f.required], "additionalProperties": False}


def _required_missing(where: Where, f: Field) -> None:
    """A required key left out (or left empty): config-required, on the line of the entry that lacks it.

    Not config-missing, which staff look up as "the file publicity.yml is not there".
    """
    owner = f"{where.name} " if where.name else ""
    place = f"在 {where.name} 里" if where.name else "在文件里"
    where.bad(f"{owner}缺少必填的配置项“{f.name}”（{f.help}）", f"{place}加上 {f.name}: …", code="config-required")


def _shape(where: Where) -> str:
    return "config-shape" if where.type_code == "config-value" else where.type_code
