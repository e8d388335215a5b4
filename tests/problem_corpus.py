"""The problem corpus: one small file per mistake staff make and per attack, with what must be said about it.

``check.py`` and the site build are both run over it (tests/test_staff_tools.py,
tests/test_trust.py): each file must get the expected code on the expected
line, and the two must agree on every file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

GOOD = "---\ntitle: 区建设局集中整治破损井盖\ndate: 2009-05-12\ndepartment: 市政科\noutlets:\n  - 区政府网首页\n---\n\n正文。\n"
ISSUE = "---\nseries: 城建情况\nissue: {n}\ndate: {d}\n---\n\n正文。\n"
RULE = "---\ntitle: 制度\ndate: 2008-01-01\nstatus: {s}\n---\n\n第一条\n"
BODY_LINE = 11  # the first line GOOD's body text can add: GOOD has 9 lines, then a blank one
EVIL_SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">\n<rect width="10" height="10"/>\n'
            b'<script>alert(document.domain)</script>\n</svg>\n')
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000040000000308020000003b963991000000144944415478"
                    "9c633c2127c700034c0c480085030026da010a40003b0f0000000049454e44ae426082")  # 4×3, red


def _jpeg() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 90, 160)).save(out, "JPEG", quality=90)
    return out.getvalue()


def _png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims a size it does not have: a decompression bomb's signature."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


JPEG = _jpeg()
LAUGHS = "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9) if i else ', '.join(['lol'] * 9)}]\n" for i in range(10))


@dataclass(frozen=True)
class Link:
    """A symbolic link to write instead of a file."""

    target: str  # absolute, or relative to the link's folder


@dataclass(frozen=True)
class Case:
    path: str  # docs-relative
    content: str | bytes | Link
    line: int = 0  # where the problem is reported; 0: a helper file with no problem of its own
    code: str = ""
    severity: str = "错误"


def body(text: str) -> str:
    return GOOD + "\n" + text + "\n"


CASES = [
    # Encoding, names and front matter.
    Case("news/utf16.md", GOOD.encode("utf-16"), 1, "encoding"),
    Case("news/gbk.md", GOOD.encode("gbk"), 2, "encoding-gbk"),
    Case("news/bom.md", "\ufeff" + GOOD, 1, "bom", "警告"),
    Case("news/井盖.md", GOOD, 1, "name-not-ascii"),
    Case("news/yaml.md", GOOD.replace("department: 市政科", "department: '市政科"), 4, "yaml-syntax"),
    Case("news/fullwidth-colon.md", GOOD.replace("date: ", "date："), 3, "fullwidth-colon"),
    Case("news/fullwidth-space.md", GOOD.replace("department:", "depart\u3000ment:"), 4, "fullwidth-space"),
    Case("news/tab.md", GOOD.replace("  - 区政府网首页", "\t- 区政府网首页"), 6, "yaml-tab"),
    Case("news/titel.md", GOOD.replace("title:", "titel:"), 2, "unknown-field"),
    Case("news/dat.md", GOOD.replace("date:", "dat:"), 3, "unknown-field"),
    Case("news/no-title.md", GOOD.replace("title: 区建设局集中整治破损井盖\n", ""), 1, "missing-field"),
    Case("news/dotted-date.md", GOOD.replace("2009-05-12", "2009.5.12"), 3, "date-format"),
    Case("news/chinese-date.md", GOOD.replace("2009-05-12", "2009年5月12日"), 3, "date-format"),
    Case("news/no-such-day.md", GOOD.replace("2009-05-12", "2009-13-40"), 3, "date-format"),
    Case("rules/bad-status.md", RULE.format(s="有效"), 4, "status-value"),
    Case("news/bad-time.md", GOOD.replace("department: 市政科", "time: 25:70"), 4, "time-format"),
    Case("rules/no-index.md", RULE.format(s="现行有效"), 1, "index-number-missing", "警告"),
    Case("rules/no-repealed.md", RULE.format(s="已废止"), 4, "repealed-missing", "警告"),
    Case("newsletters/chengjian/unknown.md", ISSUE.format(n=1, d="2001-01-01").replace("城建情况", "城建简报"), 2, "unknown-series"),
    Case("news/outlet.md", GOOD.replace("  - 区政府网首页", "  - 荆洲日报"), 6, "unknown-outlet"),
    Case("news/department.md", GOOD.replace("市政科", "市政股"), 4, "unknown-department"),
    Case("newsletters/chengjian/2002-01.md", ISSUE.format(n=1, d="2002-01-10")),
    Case("newsletters/chengjian/2002-01-again.md", ISSUE.format(n=1, d="2002-02-10"), 3, "duplicate-issue"),
    Case("newsletters/chengjian/2002-04.md", ISSUE.format(n=4, d="2002-03-10"), 3, "issue-gap", "警告"),
    Case("newsletters/chengjian/2002-05.md", ISSUE.format(n=5, d="2002-03-01"), 4, "issue-date-order", "警告"),
    Case("news/same.md", GOOD),
    Case("news/same/index.md", GOOD, 1, "duplicate-url"),
    Case("news/page/2.md", GOOD, 1, "duplicate-url"),
    Case("news/no-image.md", body("![井盖](images/none.jpg)"), BODY_LINE, "missing-image"),
    Case("news/no-cover.md", GOOD.replace("department: 市政科", "cover: images/none.jpg"), 4, "missing-file"),
    Case("newsletters/chengjian/2004-01.md", ISSUE.format(n=1, d="2004-01-10").replace("---\n\n", "distribution:\n  报: [区委]\n---\n\n"),
         6, "unknown-field"),
    Case("newsletters/chengjian/2005-01.md", ISSUE.format(n=1, d="2005-01-10").replace("---\n\n", "distribution:\n  copies: 四十\n---\n\n"),
         6, "field-type"),
    Case("newsletters/chengjian/no-pdf.md", ISSUE.format(n=1, d="2003-01-01").replace("---\n\n", "attachment: x.pdf\n---\n\n"),
         5, "missing-file"),
    Case("news/broken-link.md", body("见[旧闻](../2001/0101-none.md)。"), BODY_LINE, "broken-link"),
    Case("news/no-alt.md", body("![](images/ok.png)"), BODY_LINE, "image-alt-missing", "警告"),
    Case("news/images/ok.png", PNG),
    Case("news/images/big.jpg", b"\xff\xd8" + b"0" * (3073 * 1024), 1, "image-too-large", "警告"),
    # Script in a body, however it is hidden (each passed the old line-based check).
    Case("news/script.md", body("<script>alert(1)</script>"), BODY_LINE, "html-tag"),
    Case("news/iframe.md", body('<iframe src="x.html"></iframe>'), BODY_LINE, "html-tag"),
    Case("news/onclick.md", body('<p onclick="steal()">点我</p>'), BODY_LINE, "html-attribute"),
    Case("news/js-link.md", body("[点我](javascript:alert(1))"), BODY_LINE, "unsafe-link"),
    Case("news/split-tag.md", body('<img src="images/ok.png" alt="井盖"\nonerror="alert(document.domain)">'), BODY_LINE + 1,
         "html-attribute"),
    Case("news/escaped-backtick.md", body("注意 \\`<script>alert(document.domain)</script>\\` 这一句"), BODY_LINE, "html-tag"),
    Case("news/attr-list.md", body('一段文字\n{: onclick="alert(document.domain)" }'), BODY_LINE + 1, "html-attribute"),
    Case("news/entity-href.md", body('<a href="jav&#x61;script:alert(document.domain)">点我</a>'), BODY_LINE, "unsafe-link"),
    Case("news/reference-link.md", body("请[点这里][1]报名。\n\n[1]: javascript:alert(document.domain)"), BODY_LINE + 2,
         "unsafe-link"),
    Case("news/base.md", body('<base href="//evil.example/">'), BODY_LINE, "html-tag"),
    Case("news/refresh.md", body('<meta http-equiv="refresh" content="0;url=https://evil.example/">'), BODY_LINE, "html-tag"),
    Case("news/style.md", body("<style>body { display: none }</style>"), BODY_LINE, "html-tag"),
    Case("news/form.md", body('<form action="https://evil.example/"><input name="q"></form>'), BODY_LINE, "html-tag"),
    Case("news/external-image.md", body("![井盖](https://evil.example/track.png)"), BODY_LINE, "external-image"),
    Case("news/data-image.md", body("![井盖](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)"), BODY_LINE, "unsafe-link"),
    Case("news/taken-id.md", body("## 搜索 {#__search}"), BODY_LINE, "html-attribute"),
    Case("news/outlet-url.md", GOOD.replace("  - 区政府网首页", "  - name: 荆州日报\n    url: javascript:alert(1)"), 7,
         "url-format"),
    # Files that must not be published.
    Case("news/images/evil.svg", EVIL_SVG, 3, "svg-unsafe"),
    Case("news/files/page.html", "<script>alert(document.domain)</script>", 1, "file-type"),
    Case("news/images/photo.heic", b"\x00\x00\x00\x18ftypheic", 1, "file-type"),
    Case("assets/javascripts/site.js", "alert(document.domain)", 1, "reserved-path"),
    Case("feeds/news.xml", "<rss/>", 1, "reserved-path"),
    Case("news/files/passwd.pdf", Link("/etc/passwd"), 1, "symlink"),
    Case("news/linked", Link("/etc"), 1, "symlink"),
    Case("news/images/photo.jpg", PNG),
    Case("news/images/photo.png", PNG, 1, "name-clash"),
    Case("news/files/unused.pdf", b"%PDF-1.4\n", 1, "unused-file", "警告"),
    # YAML surprises: refused on their lines, in bounded time and memory.
    Case("news/dup-key.md", GOOD.replace("department: 市政科", "date: 2010-01-01\ndepartment: 市政科"), 4, "duplicate-key"),
    Case("news/laughs.md", GOOD.replace("department: 市政科\n", LAUGHS), 4, "yaml-alias"),
    Case("news/deep.md", GOOD.replace("department: 市政科", "tags: " + "[" * 60 + "]" * 60), 4, "yaml-size"),
    Case("news/python-tag.md", GOOD.replace("department: 市政科", "author: !!python/object/apply:os.system [id]"), 4, "yaml-tag"),
    Case("news/nul-title.md", GOOD.replace("title: 区建设局集中整治破损井盖", 'title: "区建设局\\0集中整治"'), 2, "control-char"),
    Case("news/huge.md", GOOD + "正文。" * 200_000, 1, "file-too-large"),
    # What used to pass the checker and fail the build (or the daily build, later).
    Case("news/draft.md", GOOD.replace("---\n\n", "draft: true\n---\n\n")),
    Case("news/later.md", GOOD.replace("2009-05-12", "2031-01-01")),
    Case("news/link-draft.md", body("详见[草稿](draft.md)。"), BODY_LINE, "link-unpublished"),
    Case("news/link-later.md", body("详见[未来的文章](later.md)。"), BODY_LINE, "link-unpublished"),
    Case("rules/old.md", RULE.format(s="现行有效")),
    Case("rules/new.md", RULE.format(s="现行有效").replace("---\n\n", "supersedes: old.md\n---\n\n"), 5, "rule-link-one-sided"),
    Case("rules/old-2.md", RULE.format(s="现行有效")),
    Case("rules/new-draft.md", RULE.format(s="现行有效").replace("---\n\n", "supersedes: old-2.md\ndraft: true\n---\n\n")),
    Case("rules/stale.md", RULE.format(s="现行有效").replace("---\n\n", "superseded_by: old-2.md\n---\n\n"), 5,
         "rule-link-one-sided"),
    Case("news/images/corrupt.jpg", JPEG[:200] + bytes(range(256)) * 4, 1, "image-corrupt"),
    Case("news/images/truncated.jpg", JPEG[: len(JPEG) // 2], 1, "image-corrupt"),
    Case("news/images/not-image.jpg", "这不是图片".encode(), 1, "image-not-image"),
    Case("news/images/renamed-heic.jpg", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64), 1, "image-not-image"),
    Case("news/images/bomb.png", _png_claiming(100_000, 100_000), 1, "image-bomb"),
    Case("news/no-front-matter.md", "区建设局集中整治破损井盖\n\n正文。\n", 1, "front-matter-missing"),
    Case("news/unclosed.md", GOOD.replace("---\n\n", "\n"), 1, "front-matter-unclosed"),
    Case("news/list-front-matter.md", "---\n- title\n- date\n---\n\n正文。\n", 2, "yaml-not-mapping"),
    Case("news/outlet-list.md", GOOD.replace("  - 区政府网首页", "  - [区政府网首页]"), 6, "outlet-format"),
    Case("news/absolute-cover.md", GOOD.replace("department: 市政科", "cover: /etc/passwd"), 4, "path-format"),
    Case("news/pdf-cover.md", GOOD.replace("department: 市政科", "cover: files/cover.pdf"), 4, "cover-not-image"),
    Case("news/files/cover.pdf", b"%PDF-1.4\n"),
    Case("news/draft-no.md", GOOD.replace("---\n\n", "draft: no\n---\n\n"), 7, "field-type"),
    Case("news/images/broken.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><rect>\n</svg>\n', 1, "svg-invalid"),
    Case("rules/not-a-rule.md", RULE.format(s="现行有效").replace("---\n\n", "supersedes: ../news/same.md\n---\n\n"), 5,
         "link-not-rule"),
]


def write_case_files(docs: Path, cases: list[Case]) -> Path:
    """A content folder holding the section pages and the cases' files (links made as links)."""
    for rel in ("index.md", "news/index.md", "newsletters/index.md", "rules/index.md"):
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).touch()
    for case in cases:
        path = docs / case.path
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(case.content, Link):
            os.symlink(case.content.target, path)
        elif isinstance(case.content, bytes):
            path.write_bytes(case.content)
        else:
            path.write_text(case.content, encoding="utf-8")
    return docs


def expected(cases: list[Case], base: str) -> list[str]:
    """The start of the line each case must get: 'base/path:line: 错误[code]: '."""
    return [f"{base}/{c.path}:{c.line}: {c.severity}[{c.code}]: " for c in cases if c.code]
