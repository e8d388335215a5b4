"""The project's own configuration (``publicity.yml``), loaded without MkDocs.

It holds the office's details, the time zone for "today", the report
templates and the registries (newsletter series, outlets, departments) that
content refers to by name. Everything is validated on load; all problems are
reported at once, each with its line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import yamlio
from .fields import Choice, Field, ListOf, Mapping, Pattern, PositiveInt, Section, Text, Url, Where
from .problems import ContentError, Problems
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
))
SERIES = Section((
    Field("name", _TEXT, True, "刊名（不带书名号）"),
    Field("slug", _SLUG, True, "网址中的名字"),
    Field("publisher", _TEXT, help="编印单位"),
    Field("frequency", _TEXT, help="刊期"),
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
))


def load_config(path: Path, display: str | None = None) -> SiteConfig:
    """Load and validate; raise ContentError listing every problem found."""
    problems = Problems(display or path.name)
    try:
        doc = yamlio.load(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        problems.error(1, "config-missing", f"找不到配置文件：{exc.strerror}", f"在项目根目录放一个 {CONFIG_FILE}")
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
