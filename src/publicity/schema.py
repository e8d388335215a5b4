"""The front-matter fields of each kind, declared once.

Validation (here), the model's constructors (``loader.py``), ``new.py``
(``scaffold.py``), the editors' JSON Schemas (``jsonschema.py``) and the field
tables in STAFF_GUIDE.md all read these declarations. A field's type
(``fields.py``, and the content's own types below) knows how to read it.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from typing import Any

from .config import SiteConfig
from .dates import DateFormatError, parse_date
from .fields import INVALID, Bool, Date, Field, FieldType, PositiveInt, Text, Url, Where
from .inventory import Inventory
from .model import Distribution, Kind, Placement, RuleStatus, resolve
from .problems import Problems
from .source import Source


@dataclass
class Context:
    """What a field check needs to know besides the value."""

    source: Source
    src_path: str
    config: SiteConfig
    problems: Problems
    inventory: Inventory  # the files a path may point to


# ---- the content's own field types ---------------------------------------------------------------------------

class Tags(FieldType):
    empty = "[]"

    def read(self, raw: object, where: Where) -> Any:
        items = raw if isinstance(raw, list) else [raw]
        texts = []
        for n, item in enumerate(items):
            entry = where.child(n) if isinstance(raw, list) else where
            if isinstance(item, (dict, list)):
                return where.bad("tags 应当是标签列表", "例如 tags: [井盖, 市政设施]")
            text = Text().read(item, entry)
            if text is INVALID:
                return INVALID
            texts.append(text)
        # A comma typed with a Chinese input method (井盖，市政) is one YAML string: split it.
        return tuple(t.strip() for text in texts for t in text.replace("，", ",").replace("、", ",").split(",") if t.strip())

    def json_schema(self, config: SiteConfig) -> dict:
        return {"type": ["array", "string"], "items": {"type": ["string", "number"]}}


class ContentPath(FieldType):
    """A file of the content, written relative to the Markdown file (images/photo.jpg, ../rules/old.md)."""

    def read(self, raw: object, where: Where) -> Any:
        ctx: Context = where.context
        text = str(raw).strip()
        if "://" in text or text.startswith("/") or ":" in text.split("/", 1)[0]:
            return where.bad(f"{where.name} 应当是相对本文件的路径，现在是“{text}”", "例如 images/photo.jpg 或 ../rules/old.md",
                             code="path-format")
        target = resolve(ctx.src_path, text)
        if target.startswith("../") or target not in ctx.inventory:
            return where.bad(f"{where.name} 指向的文件“{text}”不存在", "检查文件名和相对路径（相对于本 Markdown 文件所在的文件夹）",
                             code="missing-file")
        return target

    def json_schema(self, config: SiteConfig) -> dict:
        return {"type": "string", "pattern": r"^(?![a-zA-Z][a-zA-Z0-9+.-]*:|/)"}


class Registered(FieldType):
    """A name registered in publicity.yml (series, departments): a typo gets the closest registered names."""

    def __init__(self, section: str, code: str, what: str):
        self.section, self.code, self.what = section, code, what

    def names(self, config: SiteConfig) -> list[str]:
        return [s.name for s in config.series] if self.section == "series" else list(config.departments)

    def read(self, raw: object, where: Where) -> Any:
        config: SiteConfig = where.context.config
        text = str(where.text if where.text is not None else raw).strip()
        if self.section == "series":
            found = config.series_named(text)
            return found if found is not None else where.bad(f"简报“{text}”未登记", closest(text, self.names(config), "series"),
                                                             code=self.code)
        if config.departments and text not in config.departments:
            return where.bad(f"{self.what}“{text}”未登记", closest(text, self.names(config), "departments"), code=self.code)
        return text

    def json_schema(self, config: SiteConfig) -> dict:
        names = self.names(config)
        return {"enum": names} if names or self.section == "series" else {"type": "string"}

    def hint(self, config: SiteConfig) -> str:
        return "：" + "、".join(self.names(config)) if self.section == "departments" and config.departments else ""


class ClockTime(FieldType):
    """A time of day, HH:MM (24-hour): a news item's publication time for the PubDate page tag."""

    def read(self, raw: object, where: Where) -> Any:
        text = str(where.text if where.text is not None else raw).strip().replace("：", ":")
        hours, _, minutes = text.partition(":")
        digits = hours.isdigit() and minutes.isdigit() and len(hours) <= 2 and len(minutes) == 2
        if digits and int(hours) < 24 and int(minutes) < 60:
            return dt.time(int(hours), int(minutes))
        return where.bad(f"发布时间“{text}”写法不对", "写成 24 小时制的 时:分，例如 time: 09:30", code="time-format")

    def json_schema(self, config: SiteConfig) -> dict:
        return {"type": "string", "pattern": r"^([01]?\d|2[0-3])[:：][0-5]\d$"}

    def scaffold(self, value: object) -> str:
        return f'"{value:%H:%M}"' if isinstance(value, dt.time) else str(value)


class Status(FieldType):
    def read(self, raw: object, where: Where) -> Any:
        text = str(where.text if where.text is not None else raw).strip()
        try:
            return RuleStatus(text)
        except ValueError:
            return where.bad(f"效力状态“{text}”无效", f"只能是 {'、'.join(s.value for s in RuleStatus)}", code="status-value")

    def json_schema(self, config: SiteConfig) -> dict:
        return {"enum": [s.value for s in RuleStatus]}

    def scaffold(self, value: object) -> str:
        return value.value if isinstance(value, RuleStatus) else str(value)


_PLACEMENT_KEYS = ("name", "date", "page", "url")


class Placements(FieldType):
    """Where a news item was carried: an outlet's name, or {name, date, page, url}."""

    empty = "[]"

    def read(self, raw: object, where: Where) -> Any:
        entries = raw if isinstance(raw, list) else [raw]
        result = []
        for index, entry in enumerate(entries):
            placement = self._one(entry, where.child(index, f"outlets 第 {index + 1} 项") if isinstance(raw, list) else where, index)
            if placement is INVALID:
                return INVALID  # a dropped placement would be a silently smaller count
            result.append(placement)
        return tuple(result)

    def _one(self, entry: object, where: Where, index: int) -> Any:
        ctx: Context = where.context
        name_where = where if isinstance(entry, str) else where.child("name")
        if isinstance(entry, str):
            entry = {"name": entry}
        if not isinstance(entry, dict) or not entry.get("name"):
            return where.bad(f"outlets 第 {index + 1} 项格式不对", "写媒体名称，或 {name: 荆州日报, date: 2009-05-14, page: 第3版}",
                             code="outlet-format")
        for key in entry.keys() - set(_PLACEMENT_KEYS):
            close = difflib.get_close_matches(str(key), _PLACEMENT_KEYS, n=1)
            return where.child(key).bad(f"outlets 第 {index + 1} 项有未知字段“{key}”",
                                        f"是不是“{close[0]}”？" if close else "可用：name、date、page、url", code="unknown-field")
        name = str(entry["name"]).strip()
        outlet = ctx.config.outlets_by_name.get(name)
        if outlet is None:
            return name_where.bad(f"媒体“{name}”未登记", closest(name, list(ctx.config.outlets_by_name), "outlets"),
                                  code="unknown-outlet")
        when = self._date(entry, where, index)
        page = Text().read(entry["page"], where.child("page")) if entry.get("page") not in (None, "") else ""
        url = Url().read(entry["url"], where.child("url", f"outlets 第 {index + 1} 项的网址")) if entry.get("url") else ""
        return INVALID if INVALID in (when, page, url) else Placement(outlet, when, page, url)

    def _date(self, entry: dict, where: Where, index: int) -> Any:
        if entry.get("date") is None:
            try:
                return parse_date((where.context.source.meta or {}).get("date"))
            except DateFormatError:
                return INVALID  # the item's own date is reported already
        return Date().read(entry["date"], where.child("date", "刊发日期"))

    def json_schema(self, config: SiteConfig) -> dict:
        outlets = [o.name for o in config.outlets]
        return {"type": "array", "items": {"anyOf": [
            {"enum": outlets},
            {"type": "object", "required": ["name"], "additionalProperties": False,
             "properties": {"name": {"enum": outlets}, "date": Date().json_schema(config), "page": {"type": ["string", "number"]},
                            "url": Url().json_schema(config)}},
        ]}}

    def hint(self, config: SiteConfig) -> str:
        return "；已登记：" + "、".join(o.name for o in config.outlets) if config.outlets else ""


_LISTS = {"report": "报", "send": "送", "distribute": "发"}
# What staff may write instead of the key: the printed labels, 抄送 from official documents, 份数.
_DISTRIBUTION_SYNONYMS = {"报": "report", "送": "send", "抄送": "send", "发": "distribute", "印发": "distribute",
                          "份数": "copies", "共印": "copies", "印数": "copies"}
_DISTRIBUTION_EXAMPLE = "例如\ndistribution:\n  report: [区委办公室, 区政府办公室]\n  distribute: 局属各科室\n  copies: 40"


class Recipients(FieldType):
    """The names on one line of a newsletter's distribution (报、送 or 发): a list, or one name."""

    def read(self, raw: object, where: Where) -> Any:
        entries = raw if isinstance(raw, list) else [raw]
        names = []
        for n, entry in enumerate(entries):
            at = where.child(n, f"{where.name} 第 {n + 1} 项") if isinstance(raw, list) else where
            if isinstance(entry, (dict, list)):
                return at.bad(f"{at.name} 应当是单位名称", "每个单位写一项，例如 report: [区委办公室, 区政府办公室]")
            text = Text().read(entry, at) if entry is not None else ""
            if text is INVALID:
                return INVALID
            if text:
                names.append(text)
        return tuple(names)

    def json_schema(self, config: SiteConfig) -> dict:
        return {"anyOf": [{"type": ["string", "number"]}, {"type": "array", "items": {"type": ["string", "number"]}}]}


class DistributionType(FieldType):
    """A newsletter's distribution block (版记): the names for 报, 送 and 发, and the number of copies printed."""

    def read(self, raw: object, where: Where) -> Any:
        if not isinstance(raw, dict):
            return where.bad("distribution 应当分行写 report（报）、send（送）、distribute（发）和 copies（共印份数）",
                             _DISTRIBUTION_EXAMPLE)
        known = (*_LISTS, "copies")
        values: dict[str, Any] = {}
        for key in raw:
            if key not in known:
                meant = _DISTRIBUTION_SYNONYMS.get(str(key)) or next(iter(difflib.get_close_matches(str(key), known, n=1)), "")
                fix = f"是不是“{meant}”？" if meant else "可用：report（报）、send（送）、distribute（发）、copies（共印份数）"
                values[key] = where.child(key).bad(f"distribution 里有未知字段“{key}”", fix, code="unknown-field")
        values |= {key: Recipients().read(raw[key], where.child(key)) for key in _LISTS if raw.get(key) is not None}
        if raw.get("copies") is not None:
            values["copies"] = PositiveInt(example=40).read(raw["copies"], where.child("copies"))
        if INVALID in values.values():
            return INVALID  # every problem is reported first
        found = Distribution(**values)
        return found if found.lines or found.copies else None  # an empty block prints nothing

    def json_schema(self, config: SiteConfig) -> dict:
        lists = {key: {"description": f"{label}：单位名称列表", **Recipients().json_schema(config)} for key, label in _LISTS.items()}
        return {"type": "object", "additionalProperties": False,
                "properties": {**lists, "copies": {"description": "共印份数", **PositiveInt().json_schema(config)}}}


def closest(value: str, known: list[str], section: str) -> str:
    close = difflib.get_close_matches(value, known, n=3, cutoff=0.3)
    hint = f"最接近的已登记名称：{'、'.join(close)}" if close else f"已登记：{'、'.join(known[:12])}"
    return f"{hint}；新的名称请先在 publicity.yml 的 {section} 中登记"


# ---- the fields ----------------------------------------------------------------------------------------------

TEXT, DATE, PATH = Text(), Date(), ContentPath()
DEPARTMENT = Registered("departments", "unknown-department", "科室")

_COMMON = (
    Field("title", TEXT, True, "标题"),
    Field("date", DATE, True, "发布日期（制度为成文日期），写成 YYYY-MM-DD"),
    Field("summary", TEXT, help="摘要，显示在列表和搜索结果里"),
    Field("tags", Tags(), help="标签列表，例如 [井盖, 市政设施]"),
    Field("draft", Bool(), help="true 表示草稿：不发布、不计数"),
)

FIELDS: dict[Kind, tuple[Field, ...]] = {
    Kind.NEWS: _COMMON + (
        Field("time", ClockTime(), help="发布时间，24 小时制的 时:分，例如 09:30（不写按 00:00）"),
        Field("outlets", Placements(), help="刊发媒体：媒体名称，或 {name, date, page, url}", attr="placements"),
        Field("department", DEPARTMENT, help="撰稿科室"),
        Field("author", TEXT, help="作者"),
        Field("category", TEXT, help="栏目分类"),
        Field("cover", PATH, help="封面图片，相对本文件的路径"),
    ),
    Kind.NEWSLETTER: (Field("title", TEXT, help="标题；不写则为《系列》某年第N期"),) + _COMMON[1:] + (
        Field("series", Registered("series", "unknown-series", "简报"), True, "简报名称，须在 publicity.yml 的 series 中登记"),
        Field("issue", PositiveInt(), True, "当年期号"),
        Field("total_issue", PositiveInt(example=45), help="总期号（总第N期）"),
        Field("attachment", PATH, help="PDF 版，相对本文件的路径（python scripts/pdf.py 本文件 可由网页打印生成）"),
        Field("distribution", DistributionType(),
              help="印在简报末尾的分送范围：report（报）、send（送）、distribute（发）各写单位名称列表，copies 写共印份数"),
    ),
    Kind.RULE: _COMMON + (
        Field("status", Status(), True, "效力状态：现行有效、已修订或已废止"),
        Field("doc_number", TEXT, help="发文字号，例如 沙建发〔2008〕12号"),
        Field("issuer", TEXT, help="发文机关；不写则为本单位名称"),
        Field("index_number", TEXT, help="索引号"),
        Field("category", TEXT, help="主题分类"),
        Field("effective", DATE, help="施行日期；不写则同成文日期"),
        Field("published", DATE, help="发布日期（在网站公开的日期）；不写则同成文日期"),
        Field("repealed", DATE, help="失效日期（已修订、已废止的制度必填）"),
        Field("department", DEPARTMENT, help="起草科室"),
        Field("supersedes", PATH, help="本制度取代的旧制度文件，相对路径"),
        Field("superseded_by", PATH, help="取代本制度的新制度文件，相对路径"),
    ),
}


def validate(kind: Kind, ctx: Context) -> dict[str, object] | None:
    """Typed values of the front matter, or None when any field is unusable."""
    meta = ctx.source.meta or {}
    doc = ctx.source.yaml
    fields = {f.name: f for f in FIELDS[kind]}
    for key in meta:
        if key not in fields:
            _unknown_key(str(key), kind, fields, ctx)
    before = len(ctx.problems.items)
    values: dict[str, object] = {}
    for name, spec in fields.items():
        raw = meta.get(name)
        if raw is None or raw == "":
            if spec.required:
                ctx.problems.error(1, "missing-field", f"缺少必填字段“{name}”（{spec.help}）", f"在 front matter 里加一行 {name}: …")
            continue
        value = spec.type.read(raw, Where(doc, (name,), ctx.problems, name, "field-type", ctx, offset=1))
        if value is not INVALID:
            values[name] = value
    # Any error leaves the whole item out (and the build stops): an item loaded
    # without its bad field would be a page or a count silently wrong.
    return None if any(p.is_error for p in ctx.problems.items[before:]) else values


def _unknown_key(key: str, kind: Kind, fields: dict[str, Field], ctx: Context) -> None:
    close = difflib.get_close_matches(key, list(fields), n=1, cutoff=0.5)
    fix = f"是不是“{close[0]}”？" if close else f"{kind.label}可用的字段：{'、'.join(fields)}"
    ctx.problems.error(ctx.source.line(key), "unknown-field", f"未知字段“{key}”", fix)
