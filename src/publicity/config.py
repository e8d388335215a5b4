"""The project's own configuration (``publicity.yml``), loaded without MkDocs.

It holds the office's details, the time zone for "today", the report
templates and the registries (newsletter series, outlets, departments) that
content refers to by name. Everything is validated on load; all problems are
reported at once, each with its line.
"""

from __future__ import annotations

import dataclasses
import os
import string
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import yamlio
from .fields import Choice, Field, ListOf, Mapping, Pattern, PositiveInt, Section, Text, Url, Where
from .problems import ContentError, Problems, os_reason
from .slugs import DEFAULT_OFFICE_NAMES, DEFAULT_OPENINGS, SLUG_PATTERN, Namer, office_names

LEVELS = ("国家级", "省级", "市级", "区级")  # ordered from the centre outwards
OUTLET_KINDS = ("media", "portal")
CONFIG_FILE = "publicity.yml"


@dataclass(frozen=True)
class Series:
    name: str  # 城建情况 (without 《》)
    slug: str  # URL segment: newsletters/<slug>/
    publisher: str = ""
    frequency: str = ""
    update_days: int | None = None  # the self-inspection's period for this series (default: audit.newsletter_days)

    @property
    def display(self) -> str:
        return f"《{self.name}》"


@dataclass(frozen=True)
class Outlet:
    name: str
    level: str  # one of LEVELS
    kind: str  # "media" (counted as 篇次) or "portal" (the government site's pages)

    @property
    def is_media(self) -> bool:
        return self.kind == "media"


@dataclass(frozen=True)
class Office:
    """The office, and what a government site's footer carries (《政府网站发展指引》); each shown only when set."""

    name: str
    short_name: str = ""
    address: str = ""
    phone: str = ""
    postcode: str = ""
    email: str = ""
    organizer: str = ""  # 主办单位 (defaults to name)
    operator: str = ""  # 承办单位
    site_code: str = ""  # 网站标识码
    icp: str = ""  # ICP 备案号, e.g. 鄂ICP备12345678号
    police_record: str = ""  # 公安机关备案号, e.g. 鄂公网安备 42100202000123号
    gov_mark_url: str = ""  # the 党政机关网站标识 certificate page given by the registration authority
    # 政府信息公开指南 (《政府信息公开条例》 art. 12) and 索引号; each shown only when set.
    org_code: str = ""  # 组织机构代码: the {org_code} of the index-number pattern
    hours: str = ""  # 办公时间
    fax: str = ""  # 传真
    application_address: str = ""  # where applications for disclosure (依申请公开) are received

    @property
    def police_record_code(self) -> str:
        """The digits of the public-security record number, for the record site's link."""
        return "".join(ch for ch in self.police_record if ch.isdigit())


@dataclass(frozen=True)
class Images:
    """The image pipeline's settings (see devdocs/images.md)."""

    max_width: int = 1600  # widest published version, px
    max_height: int = 1600  # tallest: a portrait photo is bounded by its height, so it weighs what a landscape one does
    widths: tuple[int, ...] = (480, 960, 1600)  # versions written for srcset (those under the original's width)
    quality: int = 70  # JPEG/WebP quality: a 4000×3000 photo publishes under 300 KB at 1600 px
    warn_kb: int = 3072  # the checker warns about source images larger than this
    cache_dir: str = ".cache/images"  # relative to the project root; safe to delete


@dataclass(frozen=True)
class FileNames:
    """What item names leave out of titles (slugs.Namer): the office's own name and common openings."""

    office_names: tuple[str, ...] = DEFAULT_OFFICE_NAMES  # besides office.name and short_name, which are always left out
    openings: tuple[str, ...] = DEFAULT_OPENINGS


PUBLISH_TARGETS = ("none", "rsync", "github-pages")


@dataclass(frozen=True)
class ColumnTypes:
    """The ColumnType page tag (网页标签) of each column."""

    news: str = "新闻"
    newsletters: str = "简报"
    rules: str = "政策文件"
    stats: str = "统计"
    disclosure: str = "信息公开"


@dataclass(frozen=True)
class Audit:
    """The self-inspection's thresholds (scripts/audit.py), as the national inspection (国办秘函〔2019〕19号) sets them."""

    home_days: int = 14  # the home page is stale after this many days without anything new
    news_days: int = 14  # news-type columns
    rules_days: int = 180  # notice and policy columns
    newsletter_days: int = 90  # each newsletter series, unless its series entry says otherwise
    warn_days: int = 7  # early warning (预警): a column that goes stale within this many days
    stale_columns: int = 5  # this many stale columns fail the inspection outright
    empty_columns: int = 5  # this many empty columns fail it outright
    timeout: int = 10  # seconds per external link (--external)
    concurrency: int = 8  # external links checked at once


@dataclass(frozen=True)
class Publish:
    """Where the main branch's build goes (the workflow .github/workflows/publish.yml reads it).

    The server's address, user and key are repository secrets, never configuration.
    """

    target: str = "none"  # one of PUBLISH_TARGETS
    path: str = ""  # rsync: the folder on the server the site is synchronised into


@dataclass
class SiteConfig:
    office: Office
    site_url: str = ""  # the public address: feeds, QR codes, the sitemap and canonical links are made from it
    timezone: str = "Asia/Shanghai"
    page_size: int = 20
    home_news: int = 8
    series: list[Series] = field(default_factory=list)
    outlets: list[Outlet] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)
    report_templates: dict[str, str] = field(default_factory=dict)
    images: Images = field(default_factory=Images)
    publish: Publish = field(default_factory=Publish)
    file_names: FileNames = field(default_factory=FileNames)
    column_types: ColumnTypes = field(default_factory=ColumnTypes)
    index_pattern: str = ""  # 索引号 pattern, e.g. {org_code}/{year}-{seq:05d}; new.py proposes the next number from it
    audit: Audit = field(default_factory=Audit)
    path: Path | None = None
    problems: list = field(default_factory=list)  # warnings found while loading (an error raises instead)

    def __post_init__(self) -> None:
        self.series_by_name = {s.name: s for s in self.series}
        self.outlets_by_name = {o.name: o for o in self.outlets}

    def series_named(self, name: str) -> Series | None:
        return self.series_by_name.get(name.strip("《》 "))

    @property
    def namer(self) -> Namer:
        """How new.py, the Word import and the checker's suggestions name an item after its title."""
        names = office_names((self.office.name, self.office.short_name), self.file_names.office_names)
        return Namer(names, self.file_names.openings)


def find_config(root: Path) -> Path:
    """``$PUBLICITY_CONFIG`` if set, else ``publicity.yml`` in the project root."""
    override = os.environ.get("PUBLICITY_CONFIG")
    return Path(override) if override else root / CONFIG_FILE


class TimeZone(Text):
    def read(self, raw: object, where: Where) -> object:
        text = super().read(raw, where)
        try:
            ZoneInfo(text)
        except (ZoneInfoNotFoundError, ValueError, TypeError):
            return where.bad(f"时区“{text}”无效", "写成 Asia/Shanghai 这样的时区名")
        return text

    def json_schema(self, config) -> dict:
        return {"type": "string"}


class IndexPattern(Text):
    """A 索引号 pattern: Python format fields {org_code}, {year} and {seq} (with a width, {seq:05d}) and fixed text."""

    FIELDS = ("org_code", "year", "seq")

    def read(self, raw: object, where: Where) -> object:
        text = super().read(raw, where)
        if not text:
            return text
        example = "例如 {org_code}/{year}-{seq:05d}（org_code 组织机构代码、year 年份、seq 当年序号）"
        try:
            names = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
        except ValueError:
            return where.bad(f"索引号格式“{text}”写法不对", example)
        unknown = [name for name in names if name not in self.FIELDS]
        if unknown or "seq" not in names:
            return where.bad(f"索引号格式“{text}”" + (f"里有不认识的“{{{unknown[0]}}}”" if unknown else "缺少序号 {seq}"), example)
        try:
            text.format(org_code="0", year=2000, seq=1)
        except ValueError:  # a format spec that does not fit: {seq:05q}
            return where.bad(f"索引号格式“{text}”写法不对", example)
        return text


_TEXT, _COUNT = Text(), PositiveInt()
_SLUG = Pattern(SLUG_PATTERN, "chengjian（小写字母、数字和连字符）")

OFFICE = Section((
    Field("name", _TEXT, True, "单位全称：制度的默认发文机关、页脚的主办单位"),
    Field("short_name", _TEXT, help="简称"),
    Field("address", _TEXT, help="地址"),
    Field("postcode", Pattern(r"^\d{6}$", "434000"), help="邮政编码"),
    Field("phone", _TEXT, help="电话"),
    Field("email", _TEXT, help="电子邮箱"),
    Field("organizer", _TEXT, help="主办单位（不填则用 name）"),
    Field("operator", _TEXT, help="承办单位"),
    Field("site_code", Pattern(r"^\d{10}$", "4210020000（10 位数字：6 位行政区划代码加 4 位顺序号）"), help="网站标识码"),
    Field("icp", _TEXT, help="ICP 备案号"),
    Field("police_record", _TEXT, help="公安机关备案号"),
    Field("gov_mark_url", Url(), help="党政机关网站标识的证书页面地址"),
    Field("org_code", _TEXT, help="组织机构代码（索引号的前缀 {org_code}）"),
    Field("hours", _TEXT, help="办公时间（政府信息公开指南）"),
    Field("fax", _TEXT, help="传真（政府信息公开指南）"),
    Field("application_address", _TEXT, help="依申请公开的受理地址（政府信息公开指南）"),
))
SERIES = Section((
    Field("name", _TEXT, True, "刊名（不带书名号）"),
    Field("slug", _SLUG, True, "网址中的名字"),
    Field("publisher", _TEXT, help="编印单位"),
    Field("frequency", _TEXT, help="刊期"),
    Field("update_days", _COUNT, help="自查时多少天没有新一期算未更新（不填则用 audit.newsletter_days）"),
))
OUTLET = Section((
    Field("name", _TEXT, True, "媒体名称"),
    Field("level", Choice(LEVELS), True, "级别"),
    Field("kind", Choice(OUTLET_KINDS), help="media（各级媒体，按篇次统计）或 portal（政府网站）"),
))
IMAGES = Section(tuple(Field(name, kind, help=help) for name, kind, help in (
    ("max_width", _COUNT, "发布的最大宽度（像素）"), ("max_height", _COUNT, "发布的最大高度（像素）"),
    ("widths", ListOf(PositiveInt(example=480), "例如 [480, 960, 1600]"), "为小屏生成的宽度"), ("quality", PositiveInt(100, 70), "JPEG/WebP 质量（1 到 100）"),
    ("warn_kb", _COUNT, "检查时提示超过这个大小（KB）的原图"), ("cache_dir", _TEXT, "处理结果缓存文件夹"))))
PUBLISH = Section((
    Field("target", Choice(PUBLISH_TARGETS), help="none、rsync 或 github-pages"),
    Field("path", _TEXT, help="rsync 时服务器上的网站目录（绝对路径）"),
), hint_suffix="（服务器地址、用户和密钥放在仓库的 Secrets 里）")
COLUMN_TYPES = Section(tuple(Field(f.name, _TEXT, help=f"{label}栏目的 ColumnType（默认 {f.default}）") for f, label in zip(
    dataclasses.fields(ColumnTypes), ("新闻", "简报", "规章制度", "公开统计", "信息公开目录和指南"))))
AUDIT = Section(tuple(Field(name, _COUNT, help=help) for name, help in (
    ("home_days", "首页多少天没有更新算未更新（默认 14）"), ("news_days", "新闻栏目的期限（天，默认 14）"),
    ("rules_days", "规章制度栏目的期限（天，默认 180）"), ("newsletter_days", "每种简报的期限（天，默认 90）"),
    ("warn_days", "距期限不到多少天时预警（默认 7）"), ("stale_columns", "几个栏目未更新即单项否决（默认 5）"),
    ("empty_columns", "几个栏目为空即单项否决（默认 5）"), ("timeout", "检查外部链接时每个链接最多等多少秒（默认 10）"),
    ("concurrency", "同时检查几个外部链接（默认 8）"))))
CONFIG = Section((
    Field("site_url", Url(), help="网站的正式地址（订阅、二维码、站点地图由它生成）"),
    Field("office", OFFICE, True, "单位信息"),
    Field("timezone", TimeZone(), help="判断“今天”的时区"),
    Field("listing", Section((Field("page_size", _COUNT, help="新闻列表每页条数"),
                              Field("home_news", _COUNT, help="首页新闻条数"))), help="列表"),
    Field("series", ListOf(SERIES), help="简报系列"),
    Field("outlets", ListOf(OUTLET), help="刊发媒体"),
    Field("departments", ListOf(_TEXT, "例如 departments: [办公室, 城建科]"), help="科室"),
    Field("report", Section((Field("templates", Mapping(_TEXT), help="汇报用语模板"),)), help="汇报用语"),
    Field("images", IMAGES, help="图片处理"),
    Field("publish", PUBLISH, help="发布"),
    Field("file_names", Section((
        Field("office_names", ListOf(_TEXT, "例如 office_names: [我局, 本局]"),
              help="文件名里去掉的本单位名称（office 的 name、short_name 及其“区建设局”“建设局”等写法总会去掉）"),
        Field("openings", ListOf(_TEXT, "例如 openings: [关于, 开展, 召开]"), help="文件名里去掉的常见开头词（写了就代替默认的一组）"),
    )), help="新建、导入时由标题生成文件名的规则"),
    Field("page_tags", Section((Field("column_types", COLUMN_TYPES, help="各栏目的 ColumnType"),)), help="网页标签"),
    Field("disclosure", Section((Field("index_pattern", IndexPattern(), help="索引号格式，例如 {org_code}/{year}-{seq:05d}"),)),
          help="政府信息公开"),
    Field("audit", AUDIT, help="网站自查（scripts/audit.py）的期限"),
))


def load_config(path: Path, display: str | None = None) -> SiteConfig:
    """Load and validate; raise ContentError listing every problem found."""
    problems = Problems(display or path.name)
    try:
        doc = yamlio.load(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        # The OS's reason is in English ("No such file or directory"): staff read the common case in Chinese.
        reason = "文件不存在" if isinstance(exc, FileNotFoundError) else f"无法读取：{os_reason(exc)}"
        problems.error(1, "config-missing", f"找不到配置文件（{reason}）",
                       f"在项目根目录放一个 {CONFIG_FILE}，或从仓库恢复：git checkout {CONFIG_FILE}")
        raise ContentError(problems.items) from None
    except UnicodeDecodeError:
        problems.error(1, "config-encoding", "配置文件不是 UTF-8 编码", "请另存为 UTF-8")
        raise ContentError(problems.items) from None
    except yamlio.YamlSyntaxError as exc:
        problems.error(exc.line, "config-syntax", f"配置文件无法解析：{exc.problem}", "检查缩进、冒号和引号；同一个配置项只写一次")
        raise ContentError(problems.items) from None
    where = Where(doc, (), problems, "", "config-value")
    if not isinstance(doc.data, dict):
        where.bad("配置文件应当是“键: 值”的映射", "参照 publicity.yml 的示例", code="config-shape")
        raise ContentError(problems.items)
    config = _build(CONFIG.read(doc.data, where), where)
    if problems.errors:
        raise ContentError(problems.items)
    weak = address_weakness(config.site_url)
    if weak:
        problems.warning(doc.line("site_url"), "site-url", f"网站地址 site_url {weak}：订阅、二维码和站点地图里的链接会指错",
                         "上线前写成单位网站的真实地址，例如 site_url: https://jsj.example.gov.cn/")
    config.path, config.problems = path, problems.items
    return config


def address_weakness(url: str) -> str:
    """Why an address cannot be the public site's ('' when it can): empty, this machine, or the sample's placeholder."""
    host = (urlsplit(url).hostname or "").lower()
    if not url.strip():
        return "没有填写"
    if host in ("localhost", "0.0.0.0", "::1") or host.startswith("127.") or host.endswith(".localhost"):
        return f"是本机地址（{host}）"
    if host.endswith((".example", ".invalid", ".test")) or host in ("example.com", "example.net", "example.org"):
        return f"还是示例地址（{host}）"
    return ""


def _build(values: dict, where: Where) -> SiteConfig:
    """The configuration from its validated values, and the checks across entries (duplicates, rsync's path)."""
    listing = values.get("listing", {})
    images = values.get("images", {})
    default = Images()
    widths = images.get("widths", list(default.widths))
    max_width = images.get("max_width", default.max_width)
    return SiteConfig(
        office=Office(**{"name": "", **values.get("office", {})}),
        site_url=values.get("site_url", ""),
        timezone=values.get("timezone", "Asia/Shanghai"),
        page_size=listing.get("page_size", 20),
        home_news=listing.get("home_news", 8),
        series=_unique([Series(**{**s, "name": s["name"].strip("《》 ")}) for s in values.get("series", []) if {"name", "slug"} <= s.keys()],
                       "series", where, lambda s: (s.name, s.slug)),
        outlets=_unique([Outlet(o["name"], o["level"], o.get("kind", "media")) for o in values.get("outlets", [])
                         if {"name", "level"} <= o.keys()], "outlets", where, lambda o: (o.name,)),
        departments=list(dict.fromkeys(values.get("departments", []))),
        report_templates=values.get("report", {}).get("templates", {}),
        images=Images(max_width=max_width, max_height=images.get("max_height", default.max_height),
                      widths=tuple(sorted({min(w, max_width) for w in widths})), quality=images.get("quality", default.quality),
                      warn_kb=images.get("warn_kb", default.warn_kb), cache_dir=images.get("cache_dir", default.cache_dir)),
        publish=_publish(values.get("publish", {}), where),
        file_names=FileNames(**{k: tuple(v) for k, v in values.get("file_names", {}).items()}),
        column_types=ColumnTypes(**values.get("page_tags", {}).get("column_types", {})),
        index_pattern=values.get("disclosure", {}).get("index_pattern", ""),
        audit=Audit(**values.get("audit", {})),
    )


def _unique(entries: list, section: str, where: Where, key) -> list:
    result, seen = [], set()
    for index, entry in enumerate(entries):
        names = key(entry)
        if any(n in seen for n in names):
            where.child(section).child(index).bad(f"{section} 第 {index + 1} 项（{names[0]}）重复登记", "删除重复的一项",
                                                  code="config-duplicate")
            continue
        seen.update(names)
        result.append(entry)
    return result


def _publish(values: dict, where: Where) -> Publish:
    target, path = values.get("target", "none"), values.get("path", "")
    if target == "rsync" and not path.startswith("/"):
        where.child("publish").child("path").bad("publish.target 为 rsync 时需要服务器上的绝对路径 publish.path",
                                                 "例如 path: /var/www/jsj")
        return Publish()
    return Publish(target, path)
