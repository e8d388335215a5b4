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
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import yamlio
from .problems import ContentError, Problems

LEVELS = ("国家级", "省级", "市级", "区级")  # ordered from the centre outwards
OUTLET_KINDS = ("media", "portal")
CONFIG_FILE = "publicity.yml"
SLUG_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-")


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
    """The image pipeline's settings (see README, 图片)."""

    max_width: int = 1600  # widest published version, px
    max_height: int = 1600  # tallest: a portrait photo is bounded by its height, so it weighs what a landscape one does
    widths: tuple[int, ...] = (480, 960, 1600)  # versions written for srcset (those under the original's width)
    quality: int = 70  # JPEG/WebP quality: a 4000×3000 photo publishes under 300 KB at 1600 px
    warn_kb: int = 3072  # the checker warns about source images larger than this
    cache_dir: str = ".cache/images"  # relative to the project root; safe to delete


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
    timezone: str = "Asia/Shanghai"
    page_size: int = 20
    home_news: int = 8
    series: list[Series] = field(default_factory=list)
    outlets: list[Outlet] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)
    report_templates: dict[str, str] = field(default_factory=dict)
    images: Images = field(default_factory=Images)
    publish: Publish = field(default_factory=Publish)
    path: Path | None = None

    def __post_init__(self) -> None:
        self.series_by_name = {s.name: s for s in self.series}
        self.outlets_by_name = {o.name: o for o in self.outlets}

    def series_named(self, name: str) -> Series | None:
        return self.series_by_name.get(name.strip("《》 "))


def find_config(root: Path) -> Path:
    """``$PUBLICITY_CONFIG`` if set, else ``publicity.yml`` in the project root."""
    override = os.environ.get("PUBLICITY_CONFIG")
    return Path(override) if override else root / CONFIG_FILE


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
        problems.error(exc.line, "config-syntax", f"配置文件无法解析：{exc.problem}", "检查缩进和冒号")
        raise ContentError(problems.items) from None
    config = _build(doc, problems)
    if problems.errors:
        raise ContentError(problems.items)
    config.path = path
    return config


_TOP_KEYS = {"office", "timezone", "listing", "series", "outlets", "departments", "report", "images", "publish"}


def _build(doc: yamlio.YamlDoc, problems: Problems) -> SiteConfig:
    data = doc.data if isinstance(doc.data, dict) else {}
    if not isinstance(doc.data, dict):
        problems.error(1, "config-shape", "配置文件应当是“键: 值”的映射", "参照 README 中的配置说明")
    for key in data.keys() - _TOP_KEYS:
        problems.error(doc.line(key), "config-key", f"未知的配置项“{key}”", f"可用的配置项：{'、'.join(sorted(_TOP_KEYS))}")
    office = _office(data.get("office"), doc, problems)
    timezone = str(data.get("timezone", "Asia/Shanghai"))
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.error(doc.line("timezone"), "config-timezone", f"时区“{timezone}”无效", "写成 Asia/Shanghai 这样的时区名")
    listing = data.get("listing") or {}
    page_size = _positive_int(listing, "page_size", 20, doc, problems)
    home_news = _positive_int(listing, "home_news", 8, doc, problems)
    return SiteConfig(
        office=office,
        timezone=timezone,
        page_size=page_size,
        home_news=home_news,
        series=_series(data.get("series"), doc, problems),
        outlets=_outlets(data.get("outlets"), doc, problems),
        departments=_departments(data.get("departments"), doc, problems),
        report_templates=_templates(data.get("report"), doc, problems),
        images=_images(data.get("images"), doc, problems),
        publish=_publish(data.get("publish"), doc, problems),
    )


def _positive_int(section: dict, key: str, default: int, doc: yamlio.YamlDoc, problems: Problems,
                  where: str = "listing") -> int:
    value = section.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        problems.error(doc.line(where, key), "config-value", f"{where}.{key} 应为正整数，现在是“{value}”", f"例如 {default}")
        return default
    return value


def _section(raw: object, name: str, known: set[str], doc: yamlio.YamlDoc, problems: Problems, hint: str = "") -> dict | None:
    """A "key: value" section of the configuration, its unknown keys reported; None when absent or not a mapping."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        problems.error(doc.line(name), "config-shape", f"{name} 应当是“键: 值”的映射", "参照 README 中的配置说明")
        return None
    for key in raw.keys() - known:
        problems.error(doc.line(name, key), "config-key", f"{name} 下未知的配置项“{key}”",
                       f"可用：{'、'.join(sorted(known))}{hint}")
    return raw


def _publish(raw: object, doc: yamlio.YamlDoc, problems: Problems) -> Publish:
    raw = _section(raw, "publish", {"target", "path"}, doc, problems, "（服务器地址、用户和密钥放在仓库的 Secrets 里）")
    if raw is None:
        return Publish()
    target, path = str(raw.get("target") or "none"), str(raw.get("path") or "")
    if target not in PUBLISH_TARGETS:
        problems.error(doc.line("publish", "target"), "config-value", f"publish.target“{target}”无效", f"只能是 {'、'.join(PUBLISH_TARGETS)}")
        return Publish()
    if target == "rsync" and not path.startswith("/"):
        problems.error(doc.line("publish", "path"), "config-value", "publish.target 为 rsync 时需要服务器上的绝对路径 publish.path",
                       "例如 path: /var/www/jsj")
        return Publish()
    return Publish(target, path)


def _images(raw: object, doc: yamlio.YamlDoc, problems: Problems) -> Images:
    raw = _section(raw, "images", set(Images.__dataclass_fields__), doc, problems)
    if raw is None:
        return Images()
    default = Images()
    widths = raw.get("widths", list(default.widths))
    if not isinstance(widths, list) or not widths or not all(isinstance(w, int) and not isinstance(w, bool) and w > 0 for w in widths):
        problems.error(doc.line("images", "widths"), "config-value", "images.widths 应为正整数列表", "例如 [480, 960, 1600]")
        widths = list(default.widths)
    max_width = _positive_int(raw, "max_width", default.max_width, doc, problems, "images")
    max_height = _positive_int(raw, "max_height", default.max_height, doc, problems, "images")
    quality = _positive_int(raw, "quality", default.quality, doc, problems, "images")
    if quality > 100:
        problems.error(doc.line("images", "quality"), "config-value", "images.quality 应在 1 到 100 之间", "例如 82")
        quality = default.quality
    return Images(max_width=max_width, max_height=max_height, widths=tuple(sorted({min(w, max_width) for w in widths})), quality=quality,
                  warn_kb=_positive_int(raw, "warn_kb", default.warn_kb, doc, problems, "images"),
                  cache_dir=str(raw.get("cache_dir") or default.cache_dir))


def _office(raw: object, doc: yamlio.YamlDoc, problems: Problems) -> Office:
    if not isinstance(raw, dict) or not raw.get("name"):
        problems.error(doc.line("office"), "config-office", "缺少单位名称 office.name", "例如 office: {name: 荆州市沙市区建设局}")
        return Office(name="")
    known = set(Office.__dataclass_fields__)
    _section(raw, "office", known, doc, problems)
    return Office(**{k: str(v) for k, v in raw.items() if k in known and v is not None})


def _entries(raw: object, section: str, doc: yamlio.YamlDoc, problems: Problems) -> list[tuple[int, dict]]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.error(doc.line(section), "config-shape", f"{section} 应当是列表（每项以“- ”开头）", "参照 README 中的配置说明")
        return []
    out = []
    for index, entry in enumerate(raw):
        if not isinstance(entry, dict):
            problems.error(doc.line(section, index), "config-shape", f"{section} 的第 {index + 1} 项应当是“键: 值”的映射", "参照 README 中的配置说明")
            continue
        out.append((index, entry))
    return out


def _series(raw: object, doc: yamlio.YamlDoc, problems: Problems) -> list[Series]:
    result: list[Series] = []
    for index, entry in _entries(raw, "series", doc, problems):
        line = doc.line("series", index)
        name, slug = str(entry.get("name") or "").strip("《》 "), str(entry.get("slug") or "")
        if not name:
            problems.error(line, "config-series", "简报系列缺少 name", "例如 name: 城建情况")
            continue
        if not slug or set(slug) - SLUG_CHARS:
            problems.error(line, "config-series", f"简报《{name}》的 slug“{slug}”无效", "只用小写字母、数字和连字符，例如 chengjian")
            continue
        if any(s.name == name or s.slug == slug for s in result):
            problems.error(line, "config-duplicate", f"简报系列《{name}》（{slug}）重复登记", "删除重复的一项")
            continue
        result.append(Series(name, slug, str(entry.get("publisher") or ""), str(entry.get("frequency") or "")))
    return result


def _outlets(raw: object, doc: yamlio.YamlDoc, problems: Problems) -> list[Outlet]:
    result: list[Outlet] = []
    for index, entry in _entries(raw, "outlets", doc, problems):
        line = doc.line("outlets", index)
        name, level, kind = str(entry.get("name") or ""), entry.get("level"), entry.get("kind", "media")
        if not name:
            problems.error(line, "config-outlet", "媒体缺少 name", "例如 name: 荆州日报")
        elif level not in LEVELS:
            problems.error(line, "config-outlet", f"媒体“{name}”的级别“{level}”无效", f"级别只能是 {'、'.join(LEVELS)}")
        elif kind not in OUTLET_KINDS:
            problems.error(line, "config-outlet", f"媒体“{name}”的类型“{kind}”无效", "类型只能是 media（媒体）或 portal（政府网站）")
        elif any(o.name == name for o in result):
            problems.error(line, "config-duplicate", f"媒体“{name}”重复登记", "删除重复的一项")
        else:
            result.append(Outlet(name, level, kind))
    return result


def _departments(raw: object, doc: yamlio.YamlDoc, problems: Problems) -> list[str]:
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(d, str) and d for d in raw):
        problems.error(doc.line("departments"), "config-shape", "departments 应当是科室名称的列表", "例如 departments: [办公室, 城建科]")
        return []
    return list(dict.fromkeys(raw))


def _templates(raw: object, doc: yamlio.YamlDoc, problems: Problems) -> dict[str, str]:
    templates = (raw or {}).get("templates") if isinstance(raw, dict) else None
    if templates is None:
        return {}
    if not isinstance(templates, dict) or not all(isinstance(v, str) for v in templates.values()):
        problems.error(doc.line("report"), "config-report", "report.templates 应当是“名称: 模板文字”的映射", "参照 README 中的配置说明")
        return {}
    return dict(templates)
