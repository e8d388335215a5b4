"""The front-matter fields of each kind, declared once.

Validation (here), the model's constructors (``loader.py``) and the editors'
JSON Schema all read these declarations, so a field is described in one place.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Callable
from urllib.parse import urlsplit

from .config import SiteConfig
from .inventory import Inventory
from .dates import DateFormatError, parse_date
from .model import RULE_STATUSES, Kind, Placement, resolve
from .problems import Problems
from .source import Source


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # text, date, int, bool, tags, path, placements, status, series, department
    required: bool = False
    help: str = ""


_COMMON = (
    Field("title", "text", True, "标题"),
    Field("date", "date", True, "发布日期（制度为成文日期），写成 YYYY-MM-DD"),
    Field("summary", "text", help="摘要，显示在列表和搜索结果里"),
    Field("tags", "tags", help="标签列表，例如 [井盖, 市政设施]"),
    Field("draft", "bool", help="true 表示草稿：不发布、不计数"),
)

FIELDS: dict[Kind, tuple[Field, ...]] = {
    Kind.NEWS: _COMMON + (
        Field("outlets", "placements", help="刊发媒体：媒体名称，或 {name, date, page, url}"),
        Field("department", "department", help="撰稿科室"),
        Field("author", "text", help="作者"),
        Field("category", "text", help="栏目分类"),
        Field("cover", "path", help="封面图片，相对本文件的路径"),
    ),
    Kind.NEWSLETTER: (Field("title", "text", help="标题；不写则为《系列》某年第N期"),) + _COMMON[1:] + (
        Field("series", "series", True, "简报名称，须在 publicity.yml 的 series 中登记"),
        Field("issue", "int", True, "当年期号"),
        Field("total_issue", "int", help="总期号（总第N期）"),
        Field("attachment", "path", help="PDF 版，相对本文件的路径"),
    ),
    Kind.RULE: _COMMON + (
        Field("status", "status", True, "效力状态：现行有效、已修订或已废止"),
        Field("doc_number", "text", help="发文字号，例如 沙建发〔2008〕12号"),
        Field("issuer", "text", help="发文机关；不写则为本单位名称"),
        Field("index_number", "text", help="索引号"),
        Field("category", "text", help="主题分类"),
        Field("effective", "date", help="施行日期；不写则同成文日期"),
        Field("published", "date", help="发布日期（在网站公开的日期）；不写则同成文日期"),
        Field("repealed", "date", help="失效日期（已修订、已废止的制度必填）"),
        Field("department", "department", help="起草科室"),
        Field("supersedes", "path", help="本制度取代的旧制度文件，相对路径"),
        Field("superseded_by", "path", help="取代本制度的新制度文件，相对路径"),
    ),
}


@dataclass
class Context:
    """What a field check needs to know besides the value."""

    source: Source
    src_path: str
    config: SiteConfig
    problems: Problems
    inventory: Inventory  # the files a path may point to


def validate(kind: Kind, ctx: Context) -> dict[str, object] | None:
    """Typed values of the front matter, or None when a required field is unusable."""
    meta = ctx.source.meta or {}
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
        value = _CHECKS[spec.type](raw, name, ctx)
        if value is not _INVALID:
            values[name] = value
    # Any error leaves the whole item out (and the build stops): an item loaded
    # without its bad field would be a page or a count silently wrong.
    return None if any(p.is_error for p in ctx.problems.items[before:]) else values


def _unknown_key(key: str, kind: Kind, fields: dict[str, Field], ctx: Context) -> None:
    close = difflib.get_close_matches(key, list(fields), n=1, cutoff=0.5)
    fix = f"是不是“{close[0]}”？" if close else f"{kind.label}可用的字段：{'、'.join(fields)}"
    ctx.problems.error(ctx.source.line(key), "unknown-field", f"未知字段“{key}”", fix)


_INVALID = object()


def _text(raw: object, name: str, ctx: Context) -> object:
    if isinstance(raw, (dict, list)):
        ctx.problems.error(ctx.source.line(name), "field-type", f"字段“{name}”应当是一段文字", "去掉多余的缩进或方括号")
        return _INVALID
    return str(raw).strip()


def _date(raw: object, name: str, ctx: Context) -> object:
    try:
        return parse_date(raw)
    except DateFormatError as exc:
        ctx.problems.error(ctx.source.line(name), "date-format", f"{name} 的{exc}", exc.hint)
        return _INVALID


def _int(raw: object, name: str, ctx: Context) -> object:
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1:
        ctx.problems.error(ctx.source.line(name), "field-type", f"字段“{name}”应当是正整数，现在是“{raw}”", f"例如 {name}: 3")
        return _INVALID
    return raw


def _bool(raw: object, name: str, ctx: Context) -> object:
    if not isinstance(raw, bool):
        ctx.problems.error(ctx.source.line(name), "field-type", f"字段“{name}”只能是 true 或 false，现在是“{raw}”", f"写成 {name}: true")
        return _INVALID
    return raw


def _tags(raw: object, name: str, ctx: Context) -> object:
    items = raw if isinstance(raw, list) else [raw]
    if not all(isinstance(t, (str, int)) for t in items):
        ctx.problems.error(ctx.source.line(name), "field-type", "tags 应当是标签列表", "例如 tags: [井盖, 市政设施]")
        return _INVALID
    # A comma typed with a Chinese input method (井盖，市政) is one YAML string: split it.
    return tuple(t.strip() for item in items for t in str(item).replace("，", ",").replace("、", ",").split(",") if t.strip())


def _path(raw: object, name: str, ctx: Context) -> object:
    text = str(raw).strip()
    if "://" in text or text.startswith("/"):
        ctx.problems.error(ctx.source.line(name), "path-format", f"{name} 应当是相对本文件的路径，现在是“{text}”",
                           "例如 images/photo.jpg 或 ../rules/old.md")
        return _INVALID
    target = resolve(ctx.src_path, text)
    if target.startswith("../") or target not in ctx.inventory:
        ctx.problems.error(ctx.source.line(name), "missing-file", f"{name} 指向的文件“{text}”不存在",
                           "检查文件名和相对路径（相对于本 Markdown 文件所在的文件夹）")
        return _INVALID
    return target


def _status(raw: object, name: str, ctx: Context) -> object:
    if raw not in RULE_STATUSES:
        ctx.problems.error(ctx.source.line(name), "status-value", f"效力状态“{raw}”无效", f"只能是 {'、'.join(RULE_STATUSES)}")
        return _INVALID
    return raw


def _series(raw: object, name: str, ctx: Context) -> object:
    series = ctx.config.series_named(str(raw))
    if series is None:
        known = [s.name for s in ctx.config.series]
        ctx.problems.error(ctx.source.line(name), "unknown-series", f"简报“{raw}”未登记", _closest(str(raw), known, "series"))
        return _INVALID
    return series


def _department(raw: object, name: str, ctx: Context) -> object:
    text = str(raw).strip()
    if ctx.config.departments and text not in ctx.config.departments:
        ctx.problems.error(ctx.source.line(name), "unknown-department", f"科室“{text}”未登记",
                           _closest(text, ctx.config.departments, "departments"))
        return _INVALID
    return text


def _placements(raw: object, name: str, ctx: Context) -> object:
    entries = raw if isinstance(raw, list) else [raw]
    item_date = (ctx.source.meta or {}).get("date")
    result = []
    for index, entry in enumerate(entries):
        placement = _placement(entry, index, item_date, ctx)
        if placement is _INVALID:
            return _INVALID  # a dropped placement would be a silently smaller count
        result.append(placement)
    return tuple(result)


_PLACEMENT_KEYS = ("name", "date", "page", "url")


def _placement(entry: object, index: int, item_date: object, ctx: Context) -> object:
    line = ctx.source.line("outlets", index)
    if isinstance(entry, str):
        entry = {"name": entry}
    if not isinstance(entry, dict) or not entry.get("name"):
        ctx.problems.error(line, "outlet-format", f"outlets 第 {index + 1} 项格式不对",
                           "写媒体名称，或 {name: 荆州日报, date: 2009-05-14, page: 第3版}")
        return _INVALID
    for key in entry.keys() - set(_PLACEMENT_KEYS):
        close = difflib.get_close_matches(str(key), _PLACEMENT_KEYS, n=1)
        ctx.problems.error(ctx.source.line("outlets", index, key), "unknown-field", f"outlets 第 {index + 1} 项有未知字段“{key}”",
                           f"是不是“{close[0]}”？" if close else "可用：name、date、page、url")
        return _INVALID
    outlet = ctx.config.outlets_by_name.get(str(entry["name"]).strip())
    if outlet is None:
        ctx.problems.error(ctx.source.line("outlets", index, "name"), "unknown-outlet", f"媒体“{entry['name']}”未登记",
                           _closest(str(entry["name"]), list(ctx.config.outlets_by_name), "outlets"))
        return _INVALID
    try:
        when = parse_date(entry.get("date") or item_date)
    except DateFormatError as exc:
        if entry.get("date") is None:
            return _INVALID  # the item's own date is reported already
        ctx.problems.error(ctx.source.line("outlets", index, "date"), "date-format", f"刊发{exc}", exc.hint)
        return _INVALID
    url = str(entry.get("url") or "").strip()
    if url and not is_web_address(url):
        ctx.problems.error(ctx.source.line("outlets", index, "url"), "url-format", f"outlets 第 {index + 1} 项的网址“{url[:60]}”不是网页地址",
                           "网址要以 http:// 或 https:// 开头，例如 https://www.hubeidaily.net/…；没有网址就删掉 url 这一行")
        return _INVALID
    return Placement(outlet, when, str(entry.get("page") or ""), url)


def is_web_address(text: str) -> bool:
    """An http(s) address with a host and no spaces: the only kind a page may link to from front matter."""
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not any(c.isspace() or ord(c) < 32 for c in text)


def _closest(value: str, known: list[str], section: str) -> str:
    close = difflib.get_close_matches(value, known, n=3, cutoff=0.3)
    hint = f"最接近的已登记名称：{'、'.join(close)}" if close else f"已登记：{'、'.join(known[:12])}"
    return f"{hint}；新的名称请先在 publicity.yml 的 {section} 中登记"


_CHECKS: dict[str, Callable[[object, str, Context], object]] = {
    "text": _text, "date": _date, "int": _int, "bool": _bool, "tags": _tags, "path": _path,
    "status": _status, "series": _series, "department": _department, "placements": _placements,
}

