"""Print items' pages to PDF as the site prints them (GB/T 9704-2012), into each item's files/ folder.

    python scripts/pdf.py docs/newsletters/chengjian/2009-03.md [ITEM.md ...]
    make pdf ARGS="docs/newsletters/chengjian/2009-03.md"

The site is built with drafts (a preview: an issue can be printed before it is published) into a temporary
folder, and each item's page is printed by Debian's Chromium, the browser the tests use, through Playwright:
the same stylesheet (overrides/assets/stylesheets/print.css) as a reader's Ctrl+P. The page is opened at its
public address (publicity.yml's site_url), answered from the built folder, so that its links point to the
public site.

- A newsletter issue's PDF goes where its ``attachment`` points; without one, to ``files/<name>.pdf`` beside
  it, and ``attachment: files/<name>.pdf`` is written into its front matter. A news item's or a rule's PDF
  goes to ``files/<name>.pdf`` too: linked from its body, it is published.
- Same page, same bytes: Chromium stamps the time of printing, so the dates are set to the item's own date and
  the document ID is derived from the content. An unchanged PDF is left alone, and the published attachment
  and the page always agree.
- A file this script did not make is never overwritten (a scanned issue, say): nothing is printed then.

Exit status: 0 done, 1 content problems or a file it will not overwrite, 2 could not run (no Chromium, say).
"""

from __future__ import annotations

import datetime as dt
import io
import mimetypes
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from publicity.cli import ArgumentParser, run
from publicity.loader import load_content
from publicity.model import Issue, Item
from publicity.pdf_text import fix_text_layer
from publicity.problems import shown_path
from publicity.project import PREVIEW_ENV, ROOT, load_site_config

CHROMIUM = "/usr/bin/chromium"  # Debian's, as in the tests: never a downloaded browser
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
ORIGIN_WITHOUT_ADDRESS = "https://publicity.invalid/"  # where pages are opened when publicity.yml has no site_url
MARK = "/PublicitySource"  # the document-information key that says this script made a PDF, and from what


def parser() -> ArgumentParser:
    p = ArgumentParser(prog="pdf.py", description="把简报（以及新闻、制度）的网页按公文格式打印成 PDF，放在它的 files/ 文件夹里。")
    p.add_argument("items", nargs="+", metavar="ITEM.md", help="要打印的内容文件，例如 docs/newsletters/chengjian/2009-03.md")
    p.add_argument("--docs", type=Path, default=ROOT / "docs", help="内容文件夹，默认 docs/")
    return p


@dataclass
class Job:
    item: Item
    target: Path  # where the PDF goes
    attach: str = ""  # the attachment to write into the front matter ("" when it is set already)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)

    def work() -> int:
        browser_problem = _browser_problem()
        if browser_problem:
            print(browser_problem, file=sys.stderr)
            return 2
        config = load_site_config()
        content = load_content(args.docs, config, ROOT)
        jobs = _jobs(args, content)
        if jobs is None:
            return 1
        origin = config.site_url or ORIGIN_WITHOUT_ADDRESS
        with tempfile.TemporaryDirectory(prefix="publicity-pdf-") as tmp:
            site = Path(tmp) / "site"
            if not _build(args.docs, site):
                return 1
            pages = _print(site, origin, [job.item.url for job in jobs])
        for job, pdf in zip(jobs, pages):
            _deliver(job, _fixed(pdf, job.item, config.timezone))
        return 0

    return run(work)


# ---- what to print, and where ------------------------------------------------------------------------------------

def _jobs(args, content) -> list[Job] | None:
    """Where each item's PDF goes; None (after saying why) when any item cannot be printed."""
    jobs = []
    for name in args.items:
        item = _item(name, content)
        job = _job(item, content.docs_dir) if item else None
        if job and job.target.exists() and not _made_here(job.target):
            print(f"错误：{shown_path(job.target, ROOT)} 已存在，不是 pdf.py 打印的（可能是扫描件），不会覆盖。"
                  f"要改用网页打印的 PDF：移走这个文件{'，删掉 attachment 这一行' if job.attach == '' and isinstance(item, Issue) else ''}，"
                  "再运行一次", file=sys.stderr)
            job = None
        jobs.append(job)
    return None if None in jobs else jobs


def _item(name: str, content) -> Item | None:
    path, docs = Path(name).resolve(), content.docs_dir.resolve()
    rel = path.relative_to(docs).as_posix() if docs in path.parents else ""
    item = content.by_path.get(rel)
    problems = [p for p in content.errors if rel and p.path.endswith("/" + rel)]
    if item is None and problems:
        print("\n".join(str(p) for p in problems), file=sys.stderr)
        print(f"错误：{name} 有错误，改正后再打印（python scripts/check.py {name}）", file=sys.stderr)
    elif item is None and not path.is_file():
        print(f"错误：找不到 {name}", file=sys.stderr)
    elif item is None:
        print(f"错误：{name} 不是内容文件夹 {shown_path(docs, ROOT)} 里的新闻、简报或制度", file=sys.stderr)
    return item


def _job(item: Item, docs: Path) -> Job:
    if isinstance(item, Issue) and item.attachment:
        return Job(item, docs / item.attachment)
    name = f"{item.file.stem}.pdf"
    return Job(item, item.file.parent / "files" / name, f"files/{name}" if isinstance(item, Issue) else "")


def _browser_problem() -> str:
    try:
        import pikepdf  # noqa: F401
        import playwright  # noqa: F401
    except ImportError:
        return "错误：打印 PDF 需要测试环境里的 Playwright 和 pikepdf。运行 make install-test，或直接用 make pdf ARGS=\"…\""
    if not os.access(CHROMIUM, os.X_OK):
        return f"错误：找不到 Chromium（{CHROMIUM}）。运行 make browser 安装 Debian 的 chromium"
    return ""


# ---- building and printing ---------------------------------------------------------------------------------------

def _build(docs: Path, site: Path) -> bool:
    """The site with drafts and scheduled items (a preview), as `mkdocs build` makes it."""
    env = {**os.environ, PREVIEW_ENV: "1", "PUBLICITY_DOCS": str(docs.resolve()), "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site)],
                            cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8")
    if result.returncode != 0:
        print(result.stderr.strip(), file=sys.stderr)
        print("错误：网站构建失败，没有打印。按上面的提示改正后再运行", file=sys.stderr)
        return False
    return True


def _print(site: Path, origin: str, urls: list[str]) -> list[bytes]:
    """Each page printed by Chromium as a reader prints it: A4 from the page's own @page rules, no header or footer."""
    from playwright.sync_api import sync_playwright

    base = origin if origin.endswith("/") else origin + "/"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1366, "height": 900})
            context.route("**/*", lambda route: _answer(route, site, base))
            page = context.new_page()
            pages = []
            for url in urls:
                page.goto(base + url, wait_until="load")
                # Pictures below the first load lazily: a printout needs them all.
                page.evaluate("""() => Promise.all([...document.images].map(img => {
                    img.loading = "eager"; return img.decode().catch(() => null); })).then(() => document.fonts.ready)""")
                # Untagged, as a reader's print: Chromium names a tagged PDF's structure elements by DOM node
                # numbers, which differ from run to run, and the same page would not give the same bytes.
                pages.append(page.pdf(prefer_css_page_size=True))
            return pages
        finally:
            browser.close()


def _answer(route, site: Path, base: str) -> None:
    """The built file at the requested address; anything else (another host, a missing file) is refused."""
    url = route.request.url
    if not url.startswith(base):
        route.abort()
        return
    rel = unquote(urlsplit(url).path[len(urlsplit(base).path):])
    path = (site / rel / "index.html") if rel == "" or rel.endswith("/") else site / rel
    path = path.resolve()
    if site.resolve() not in path.parents or not path.is_file():
        route.fulfill(status=404, body="")
        return
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    route.fulfill(status=200, body=path.read_bytes(), content_type=kind)


# ---- the same page, the same bytes ---------------------------------------------------------------------------

def _fixed(pdf: bytes, item: Item, timezone: str) -> bytes:
    """Chromium's PDF with the item's date for its dates, an ID from its content, and the mark of this script."""
    import pikepdf

    stamp = dt.datetime.combine(item.date, dt.time(), ZoneInfo(timezone))
    offset = stamp.strftime("%z")
    when = f"D:{stamp:%Y%m%d%H%M%S}{offset[:3]}'{offset[3:]}'"
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        doc.docinfo["/CreationDate"] = when
        doc.docinfo["/ModDate"] = when
        doc.docinfo[MARK] = item.src_path
        if "/Metadata" in doc.Root:  # an XMP copy of the dates, if a Chromium writes one
            del doc.Root.Metadata
        fix_text_layer(doc)  # search and copy get 工, not the Kangxi radical ⼯ Chromium names for the shared glyph
        out = io.BytesIO()
        doc.save(out, deterministic_id=True)
    return out.getvalue()


def _made_here(path: Path) -> bool:
    import pikepdf

    try:
        with pikepdf.open(path) as doc:
            return MARK in doc.docinfo
    except (pikepdf.PdfError, OSError):
        return False


def _deliver(job: Job, pdf: bytes) -> None:
    """Write the PDF unless it is unchanged (the file there is this script's: _jobs saw to it); link it from the issue."""
    shown = shown_path(job.target, ROOT)
    if job.target.exists() and job.target.read_bytes() == pdf:
        print(f"{shown}：未变化")
        _attach(job)
        return
    job.target.parent.mkdir(parents=True, exist_ok=True)
    partial = job.target.with_name(job.target.name + ".part")
    partial.write_bytes(pdf)
    partial.replace(job.target)
    print(shown)
    if not isinstance(job.item, Issue):
        print(f"提示：新闻和制度没有 attachment 字段。要发布这个 PDF，在正文里链接它，例如 [打印版（PDF）](files/{job.target.name})；"
              "只为打印存档的，取走后删掉它（留着不用，检查会提示“未使用的文件”）")
    _attach(job)


def _attach(job: Job) -> None:
    """Write ``attachment: files/<name>.pdf`` into an issue's front matter: on its empty line, or before the closing ---."""
    if not job.attach:
        return
    path = job.item.file
    raw = path.read_bytes()
    newline = b"\r\n" if b"\r\n" in raw else b"\n"
    lines = raw.split(newline)
    entry = f"attachment: {job.attach}".encode()
    at = job.item.line("attachment") - 1 if "attachment" in job.item.lines else None
    if at is not None and lines[at].startswith(b"attachment:"):
        lines[at] = entry  # the empty field new.py writes (its comment goes: the field is filled now)
    else:
        lines.insert(job.item.body_line - 2, entry)  # the closing --- (the body starts on the line after it)
    path.write_bytes(newline.join(lines))
    print(f"{shown_path(path, ROOT)}：attachment: {job.attach}")


if __name__ == "__main__":
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
    sys.exit(main())
