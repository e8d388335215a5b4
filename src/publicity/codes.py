"""Every problem code, declared once: its severity and what it means for staff.

``Problems`` refuses a code that is not here, STAFF_GUIDE.md's table of codes
is written from here (``python scripts/check.py --write-guide``), and a test
keeps the two the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "错误"
    WARNING = "警告"


ERROR, WARNING = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True)
class Code:
    name: str  # short, stable, ASCII: what tests and editors match on
    severity: Severity
    explanation: str  # what it means and what to do, in words staff understand (Markdown)


CODES: dict[str, Code] = {c.name: c for c in (
    Code("encoding", ERROR,
         "文件不是 UTF-8 编码。用记事本或 VS Code“另存为”，编码选 UTF-8。"),
    Code("encoding-gbk", ERROR,
         "文件是 GBK 编码（记事本的“ANSI”）。另存为 UTF-8；其他问题仍会一并列出。"),
    Code("bom", WARNING,
         "文件开头有 BOM（“UTF-8 带 BOM”）。可以读，但请改存为不带 BOM 的 UTF-8。"),
    Code("unreadable", ERROR,
         "文件读不出来（权限或文件损坏）。"),
    Code("name-not-ascii", ERROR,
         "文件名或文件夹名有中文、大写字母、空格或下划线。按提示的拼音文件名改名。"),
    Code("front-matter-missing", ERROR,
         "文件开头没有用 `---` 包起来的字段。"),
    Code("front-matter-unclosed", ERROR,
         "字段后面少了一行 `---`。"),
    Code("yaml-syntax", ERROR,
         "字段写法有误：常见的是引号或括号不成对、值里有“: ”需要加引号、缩进不齐。"),
    Code("yaml-not-mapping", ERROR,
         "字段区域不是“字段: 值”的形式。"),
    Code("yaml-tab", ERROR,
         "用了 Tab 缩进。换成两个空格。"),
    Code("fullwidth-colon", ERROR,
         "字段名后用了中文冒号“：”。改成英文冒号加空格“: ”。"),
    Code("fullwidth-space", ERROR,
         "字段名里有中文全角空格。删掉。"),
    Code("unknown-field", ERROR,
         "不认识的字段，多半是拼错了（如 `titel`、`dat`），按“是不是……”的提示改。"),
    Code("missing-field", ERROR,
         "缺少必填字段（如 `title`、`date`、制度的 `status`、简报的 `series` 和 `issue`）。"),
    Code("field-type", ERROR,
         "字段值的类型不对，例如期号不是数字、`draft` 不是 true/false。"),
    Code("date-format", ERROR,
         "日期写法不对。一律写成 `2009-05-12`（不要写 2009.5.12 或 2009年5月12日）。"),
    Code("time-format", ERROR,
         "新闻的发布时间 `time` 写法不对。写成 24 小时制的 `09:30`（时:分）；不知道具体时间可以不写，按 00:00 计。"),
    Code("index-number-missing", WARNING,
         "制度没有索引号 `index_number`。政府信息公开目录按索引号编排，国家检查也看它。按提示的下一个索引号补上（`new.py rule` 会自动填写）。"),
    Code("status-value", ERROR,
         "效力状态只能是 现行有效、已修订、已废止。"),
    Code("repealed-missing", WARNING,
         "标为已修订/已废止的制度没写失效日期 `repealed`。补上；没有日期时统计按“已失效”计。"),
    Code("unknown-series", ERROR,
         "刊名未登记。按提示改成已登记的刊名；新刊物请管理员在 `publicity.yml` 登记。"),
    Code("unknown-outlet", ERROR,
         "媒体名称未登记（常见的是错别字，如“荆洲日报”）。按提示改；新媒体请管理员登记。"),
    Code("unknown-department", ERROR,
         "科室名称未登记。按提示改。"),
    Code("outlet-format", ERROR,
         "`outlets` 的某一项写法不对。写媒体名称，或 `{name: 荆州日报, date: 2009-05-14, page: 第3版}`。"),
    Code("path-format", ERROR,
         "图片、附件或制度的路径应写相对路径，不能是网址或以 `/` 开头。"),
    Code("missing-file", ERROR,
         "字段里写的封面、附件或制度文件不存在。检查文件名和位置。"),
    Code("link-not-rule", ERROR,
         "`supersedes`/`superseded_by` 指向的不是一篇制度。"),
    Code("duplicate-issue", ERROR,
         "同一刊物同一年有两期用了同一个期号。"),
    Code("issue-gap", WARNING,
         "期号不连续（缺了某一期）。确认期号没写错；确实缺期可以不改。"),
    Code("issue-date-order", WARNING,
         "期号大的一期日期反而更早。检查期号和日期。"),
    Code("duplicate-url", ERROR,
         "两个文件会发布到同一个网址，或文件放在了网站自动生成页面的位置（如 `news/page/`、`news/archive/`）。给其中一个改名。"),
    Code("missing-image", ERROR,
         "正文里插入的图片不存在。检查文件名（区分大小写）和位置。"),
    Code("broken-link", ERROR,
         "正文里的链接指向不存在的页面或文件。链接其他文章时写它的 `.md` 文件相对路径。"),
    Code("image-alt-missing", WARNING,
         "图片没有图片说明（`![这里](…)` 为空）。写一句说明。"),
    Code("image-too-large", WARNING,
         "原图太大。发布时会自动缩小，但请先缩小到 3 MB 以内再提交，免得仓库越来越大。"),
    Code("image-corrupt", ERROR,
         "图片文件已损坏或不完整（常见于没复制完的照片）。从手机或相机重新复制一份。"),
    Code("image-not-image", ERROR,
         "文件扩展名是 `.jpg`、`.png` 或 `.webp`，但内容不是图片（例如把 Word 文件改了扩展名）。重新导出为 JPEG 或 PNG。"),
    Code("image-bomb", ERROR,
         "图片像素数大得异常（超过约 8900 万像素），可能是损坏或恶意的文件。缩小到 4000×3000 以内再放入。"),
    Code("image-unreadable", ERROR,
         "图片文件读不出来（权限或磁盘问题）。"),
    Code("image-cache", ERROR,
         "写不进图片缓存文件夹（`publicity.yml` 的 `images.cache_dir`）。检查权限；这个文件夹可以随时删除。"),
    Code("cover-not-image", ERROR,
         "`cover` 指向的文件不是图片。封面请用 JPEG、PNG、WebP、GIF 或 SVG。"),
    Code("html-tag", ERROR,
         "正文里有网页不能发布的 HTML 标签（`<script>`、`<style>`、`<iframe>`、`<form>`、`<base>`、`<meta>`、`<svg>` 等）。删掉它。正文里只能有文字、标题、列表、表格、图片、链接、脚注和提示框；要嵌入视频或地图请找管理员。"),
    Code("html-attribute", ERROR,
         "正文的 HTML 或 `{: …}` 里有网页不能发布的属性：`onclick=`、`onerror=` 这类会执行脚本，`style=` 会改页面样式，`class`、`id` 只能用网站自己的（提示框、脚注）。删掉这个属性；要加粗用 `**文字**`，要提示框用 `!!! note`。"),
    Code("unsafe-link", ERROR,
         "链接或图片的地址不能发布（`javascript:`、`data:`、`vbscript:` 等，哪怕写成 `&#x61;` 这样的编码也一样）。链接只能指向网页（`http://`、`https://`）、邮箱（`mailto:`）、电话（`tel:`）或本站的文件。"),
    Code("external-image", ERROR,
         "图片放在其他网站上（`![](https://…)`）：读者的浏览器会去那个网站取图，单位内网里也看不到。把图片下载下来放进本文旁边的 `images/` 文件夹再插入。"),
    Code("svg-unsafe", ERROR,
         "SVG 图片里有脚本、`on…` 事件、嵌入的网页（`foreignObject`）或指向其他网站的链接；这样的 SVG 单独打开时会在本站运行脚本。用绘图软件导出不含脚本和交互的 SVG，或改用 PNG。"),
    Code("svg-invalid", ERROR,
         "SVG 文件无法解析（文件损坏或不完整）。重新导出，或改用 PNG。"),
    Code("symlink", ERROR,
         "内容文件夹里有符号链接（快捷方式）。网站不会发布它，也不会发布它指向的文件或文件夹。把真正的文件放进来，删掉链接。"),
    Code("file-type", ERROR,
         "网站不发布这种类型的文件（例如 `.html`、`.js`、`.exe`，或苹果手机的 `.heic` 照片）。能发布的是 Markdown、图片（JPEG、PNG、WebP、GIF、SVG）和 PDF、Word、WPS、Excel 等文档；HEIC 照片请先转成 JPEG。"),
    Code("reserved-path", ERROR,
         "文件放在了网站自身文件的位置（`assets/`、`pagefind/`、`feeds/`、`search/`，或 `sitemap.xml`、`404.html`），会替换网站的样式、脚本、搜索或订阅。把文件移到栏目文件夹里。"),
    Code("name-clash", ERROR,
         "同一文件夹里两张图片只有扩展名不同（如 `photo.jpg` 和 `photo.png`）：发布时会生成同名文件，读者会看到另一张。给其中一张改名。"),
    Code("unused-file", WARNING,
         "没有任何内容用到这个文件（图片或附件），网站不会发布它。在正文里插入或链接它，或者删掉它。草稿用到的文件，等草稿发布时才会一起发布。"),
    Code("url-format", ERROR,
         "刊发媒体的网址 `url` 不是以 `http://` 或 `https://` 开头的网页地址。改正，或删掉这一行。"),
    Code("link-unpublished", ERROR,
         "已发布（或更早发布）的内容链接到了草稿或日期未到的内容：正式网站上那一页还不存在，链接会失效，每天的自动构建也会因此失败。等那篇发布后再加链接，或把本文的日期改到它之后。"),
    Code("docs-missing", ERROR,
         "找不到内容文件夹（命令不是在仓库根目录运行，或 `--docs` 写错）。"),
    Code("as-of-format", ERROR,
         "`--as-of` 或 `PUBLICITY_AS_OF` 的日期写法不对。"),
    Code("report-template", ERROR,
         "汇报用语模板找不到，或花括号里的统计项名称写错。"),
    Code("config-missing", ERROR,
         "找不到配置文件 `publicity.yml`（文件被删了或改了名，或环境变量 `PUBLICITY_CONFIG` 指向的文件不存在）。从仓库恢复：`git checkout publicity.yml`。缺的是文件里的某一项时，代码是 `config-required`。"),
    Code("config-encoding", ERROR,
         "`publicity.yml` 不是 UTF-8 编码。"),
    Code("config-syntax", ERROR,
         "`publicity.yml` 写法有误（缩进、冒号）。"),
    Code("config-shape", ERROR,
         "`publicity.yml` 某一节的格式不对（应是列表或“键: 值”）。"),
    Code("config-key", ERROR,
         "`publicity.yml` 里有不认识的配置项。"),
    Code("config-value", ERROR,
         "`publicity.yml` 里某个值不合要求（如每页条数不是正整数）。"),
    Code("config-duplicate", ERROR,
         "同一刊物或媒体登记了两次。"),
    Code("duplicate-key", ERROR,
         "同一个字段写了两次（例如两行 `date:`）。两行都在时只会用到一个，文章可能以错误的日期或标题发布。删掉多余的一行。"),
    Code("yaml-alias", ERROR,
         "字段区用了 `&` 或 `*`（YAML 的锚点和引用）。字段区用不着它们，而且它们能让检查和构建耗尽内存。把值直接写出来。"),
    Code("yaml-tag", ERROR,
         "字段区用了以 `!` 开头的 YAML 标签（如 `!!python/…`）。去掉标签，直接写值。"),
    Code("yaml-size", ERROR,
         "字段区嵌套太深或字段太多。字段区只需要“字段: 值”和简单的列表，正文写在第二个 `---` 之后。"),
    Code("control-char", ERROR,
         "字段里有看不见的控制字符（多半是从其他软件粘贴带进来的），网页和订阅都无法显示。删掉这一行重新输入。"),
    Code("home-missing", ERROR,
         "内容文件夹里没有首页 `index.md`。从仓库恢复它（`git checkout docs/index.md`），或新建一个只写一行标题的 `index.md`。"),
    Code("rule-link-one-sided", ERROR,
         "制度的修订关系只写了一半：新制度写了 `supersedes: 旧制度.md`，旧制度却没有写 `superseded_by: 新制度.md` 并把 `status` 改为 `已修订` 或 `已废止`（或者反过来）。两边都写上；`python scripts/new.py publish 新制度.md` 会自动改好旧制度。新制度还是草稿时不用改旧制度。"),
    Code("file-too-large", ERROR,
         "Markdown 文件超过 1 MB。正文里不要粘贴图片的编码或整本文件：图片放进 `images/`，长文件作为 PDF 附件。"),
    Code("config-required", ERROR,
         "`publicity.yml` 缺少必填的配置项（例如 `office.name`、简报的 `name` 和 `slug`、媒体的 `level`）。按提示补上。"),
    Code("site-url", WARNING,
         "`publicity.yml` 的 `site_url`（网站正式地址）是空的、本机地址（127.0.0.1、localhost）或示例地址：订阅、二维码和站点地图里的链接会指向错误的地方，发布工作流也会拒绝发布。上线前改成单位网站的真实地址。"),
    Code("mkdocs-config", ERROR,
         "`mkdocs.yml` 里网站依赖的设置被改了（例如 `plugins` 里少了 `publicity`，或改了 `use_directory_urls`、`theme`、`markdown_extensions`）。按提示改回；正文的 Markdown 扩展在 `src/publicity/render.py` 里配置。"),
)}


def guide_table() -> str:
    """STAFF_GUIDE.md's table of codes."""
    rows = ["| 代码 | 级别 | 意思和改法 |", "| --- | --- | --- |"]
    rows += [f"| `{c.name}` | {c.severity.value} | {c.explanation} |" for c in CODES.values()]
    return "\n".join(rows)
