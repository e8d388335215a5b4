"""The preview's build: ``mkdocs.commands.build`` step by step, kept in memory between changes.

A full build runs MkDocs' own steps in its order (the plugin's ``on_config``, ``get_files``, ``on_files``,
``get_navigation``, ``_populate_page``, ``on_env``, the theme's templates, ``on_page_context`` through the
page's template), with the plugin told it runs for a preview: drafts and scheduled items shown and
marked, as ``PUBLICITY_PREVIEW=1 mkdocs build`` shows them. The plugin's ``on_nav`` only starts the
search index; the preview starts that itself, after the pages (``SearchRefresh``).

After a change of the content, the same steps run again, but:

* the checker's pipeline reuses what unchanged files gave last time (``publicity.reuse``);
* pages are rendered only when what they depend on changed (``fingerprints.py``): the page itself,
  its neighbours, the listings and archives it is on, the home page and statistics when counts change;
  the others keep their Page object and their file;
* files that are no longer part of the site are deleted, feeds and the sitemap written when they change;
* the search index is made again by the plugin's indexer, in its own process, once the pages are
  written, and moved in when it is done (``SearchRefresh``): a page never waits for it.

A change of mkdocs.yml, publicity.yml or the templates builds everything again, into a new folder
that replaces the served one when it is complete. The plugin's ``on_post_build`` is not called: it
waits for the search index and writes what nginx needs (``.gz`` copies, script hashes), neither of
which the preview serves.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from jinja2.exceptions import TemplateNotFound
from mkdocs.commands.build import _build_template, _populate_page, get_context
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files, InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page

from publicity.checker import Examination, examine
from publicity.images import ContentHashes
from publicity.problems import ContentError, Problem
from publicity.project import PREVIEW_ENV, as_of_date, load_site_config
from publicity.reuse import Reuse
from publicity.search import OUTPUT_DIR, Indexer, SearchIndexError, records_for
from publicity.sharing import QrCodes

from ..generator import PLUGIN, generator_problems
from ..pages import BodylessPage, make_bodyless
from .fingerprints import Signer, common_digest, page_digests

log = logging.getLogger("mkdocs.publicity.preview")


_LATER = ("news/page/",)  # the news listing's further pages (site_plan.RESERVED_FOLDERS)


class Refused(Exception):
    """The content (or the configuration) has errors: the problems, as check.py prints them."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} 个错误")
        self.problems = problems


@dataclass
class Outcome:
    """What one build or update did."""

    full: bool
    rendered: int = 0  # pages rendered
    written: int = 0  # files written (pages included)
    deleted: int = 0
    seconds: float = 0.0
    first_page: float | None = None  # seconds from the start to the first page written (a full build)


@dataclass
class _Site:
    """A good build's state: what the next change is compared with."""

    config: object
    plugin: object
    env: object
    out: Path
    pages: dict[str, Page] = field(default_factory=dict)  # src_uri -> its Page, populated
    digests: dict[str, str] = field(default_factory=dict)  # src_uri -> what its HTML was made from
    statics: dict[str, object] = field(default_factory=dict)  # dest_uri -> what it was written from
    outputs: set[str] = field(default_factory=set)  # dest_uris this build wrote (pages, files, templates)


class QrMemory:
    """The plugin's QR codes, remembered by address across changes: a page's code depends on its address only."""

    def __init__(self) -> None:
        self.known: dict[str, str] = {}

    def __call__(self, urls: list[str]) -> _RememberedQr:
        return _RememberedQr(self.known, QrCodes([u for u in urls if u not in self.known]))


class _RememberedQr:
    def __init__(self, known: dict[str, str], fresh: QrCodes):
        self.known, self.fresh = known, fresh

    def get(self, url: str) -> str:
        if url not in self.known:
            self.known[url] = self.fresh.get(url)
        return self.known[url]

    def close(self) -> None:
        self.fresh.close()


class Engine:
    """Builds the preview into ``folder``/site-N and keeps it up to date; one thread calls it at a time."""

    def __init__(self, config_file: Path, folder: Path, on_early=None):
        self.config_file = Path(config_file)
        self.root = self.config_file.parent
        self.folder = Path(folder)
        self.site: _Site | None = None  # the last good build
        self.reuse = Reuse()
        self.hashes = ContentHashes()
        self.qr = QrMemory()
        self.search = SearchRefresh(self.folder)
        self.signer = Signer()  # items' and bodies' digests, kept while the objects live (fingerprints.py)
        self._theme: list[tuple[str, str]] = []  # the theme's files (path, folder): they change only with a full build
        self.on_early = on_early  # called during an update when the pages a reader looks at first are written
        self._builds = 0
        self._examination: Examination | None = None
        self._names: list | None = None  # the names under docs/ when get_files last ran, and what it made
        self._made: list = []

    @property
    def out(self) -> Path | None:
        return self.site.out if self.site else None

    # ---- the content, examined once per change --------------------------------------------------------------------

    def _examine(self, config, *, fresh: bool) -> None:
        """The checker's pipeline, before MkDocs does anything: Refused with every error, as check.py lists them.

        ``fresh``: mkdocs.yml was just loaded (a full build) and is checked too; after the plugin's
        on_config it no longer looks as written (the plugin empties markdown_extensions)."""
        self._examination = None
        try:
            site = load_site_config(self.root)
            as_of = as_of_date(site)
        except ContentError as exc:
            raise Refused([p for p in exc.problems if p.is_error]) from None
        problems = generator_problems(config) if fresh else []
        if problems:
            raise Refused(problems)
        examination = examine(Path(config.docs_dir), site, self.root, as_of, publish_images=True,
                              hashes=self.hashes, reuse=self.reuse)
        if examination.errors:
            raise Refused(examination.errors)
        self._examination = examination

    def _examined(self, *args, **kwargs) -> Examination:
        """What the plugin's on_config gets instead of running the pipeline a second time."""
        examination, self._examination = self._examination, None
        return examination if examination is not None else examine(*args, **kwargs, hashes=self.hashes, reuse=self.reuse)

    # ---- a full build -------------------------------------------------------------------------------------------------

    def build(self, *, into_served: bool) -> Outcome:
        """Everything from mkdocs.yml on. ``into_served``: write into the folder the server already serves
        (the first build, so that pages show as they are made); else a new folder, swapped in when complete."""
        started = time.perf_counter()
        self._builds += 1
        out = self.folder / f"site-{self._builds}"
        out.mkdir(parents=True)
        config, plugin = self._load(out)
        site = _Site(config, plugin, None, out)
        if into_served:
            self.site = site  # the server shows its pages as they are written
        try:
            self._examine(config, fresh=True)
            site.config = config = config.plugins.on_config(config)
            config.plugins.on_pre_build(config=config)
            outcome = self._render(site, full=True, started=started)
        except BaseException:
            if into_served:
                self.site = None  # no good build yet
            shutil.rmtree(out, ignore_errors=True)
            raise
        old, self.site = self.site, site
        if old is not None and old.out != out:
            shutil.rmtree(old.out, ignore_errors=True)
        return outcome

    # ---- a change of the content ---------------------------------------------------------------------------------------

    def update(self) -> Outcome:
        """Bring the served site up to date with the content; Refused (the old pages untouched) on errors.

        mkdocs.yml is loaded again, as `mkdocs serve` did for each rebuild: the plugin's on_config
        changes the configuration it is given. The templates' environment is kept (compiled once)."""
        site = self.site
        assert site is not None, "a full build comes first"
        started = time.perf_counter()
        config, plugin = self._load(site.out)
        self._examine(config, fresh=True)
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        site.config, site.plugin = config, plugin
        return self._render(site, full=False, started=started)

    def _load(self, out: Path):
        os.environ[PREVIEW_ENV] = "1"  # drafts and scheduled items shown, marked: what `mkdocs serve` showed
        config = load_config(str(self.config_file), site_dir=str(out))
        # "preview": the plugin keeps publicity.yml's site_url (as `mkdocs build` does) and leaves out
        # what only the web server needs; see PublicityPlugin.on_post_build.
        config.plugins.on_startup(command="preview", dirty=False)
        plugin = config.plugins[PLUGIN]
        plugin.examine, plugin.qr_codes = self._examined, self.qr
        return config, plugin

    # ---- MkDocs' steps --------------------------------------------------------------------------------------------------

    def _render(self, site: _Site, *, full: bool, started: float) -> Outcome:
        config, outcome = site.config, Outcome(full)
        files = self._files(config, full)
        if full:
            env, before = config.theme.get_env(), {f.src_uri for f in files}
            files.add_files_from_theme(env, config)
            self._theme = [(f.src_uri, f.src_dir) for f in files if f.src_uri not in before]
        else:  # Files.add_files_from_theme, from the list the full build made (walking the theme costs 0.2 s)
            env = site.env
            for path, folder in self._theme:
                if files.get_file_from_path(path) is None:
                    files.append(File(path, folder, config.site_dir, config.use_directory_urls))
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        build = site.plugin.build
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
        in_nav = _nav_paths(config.nav)
        if not full:  # pages outside the navigation keep their Page (and their update date for the sitemap)
            for file in doc_files:
                old = site.pages.get(file.src_uri)
                if old is not None and file.src_uri not in in_nav:
                    old.file, file.page = file, old
        nav = get_navigation(files, config)
        make_bodyless(files)  # bodies come from the model: no Markdown converter per page (pages.py)
        # The plugin's on_nav only starts the search index (PublicityPlugin.on_nav): the preview starts it
        # itself, after the pages, in the background (SearchRefresh), so that no page waits for it.
        nav_pages = [p for p in nav.pages if p.file.inclusion.is_included()]
        for page in nav_pages:  # a handful; their titles are on every page
            _populate_page(page, config, files)
        common = common_digest(build, self.signer, nav_pages, (self.reuse.images_key, repr(config.nav)))
        digests = page_digests(build, [f.src_uri for f in doc_files], common, self.signer)
        todo = [f for f in doc_files if full or site.digests.get(f.src_uri) != digests[f.src_uri]]
        nav_srcs = {p.file.src_uri for p in nav_pages}
        for file in todo:
            if file.src_uri not in nav_srcs:
                if not full:  # a fresh Page, as a full build would have
                    BodylessPage(None, file, config)
                _populate_page(file.page, config, files)
        site.env = env = config.plugins.on_env(env, config=config, files=files)
        outputs: set[str] = set()
        # The pages a reader looks at first come first: the navigation's (the home page), the items, the first
        # page of each listing; last the news listing's further pages, which a new item shifts by one, every
        # one of them (500 at 10,000 items). The server is told when the first ones are there (on_early).
        ordered = sorted(todo, key=lambda f: (f.src_uri not in nav_srcs, f.src_uri.startswith(_LATER)))
        for n, file in enumerate(ordered):
            if self.on_early is not None and not full and file.src_uri.startswith(_LATER) and n and \
                    not ordered[n - 1].src_uri.startswith(_LATER):
                self.on_early()
            self._write(site, file.dest_uri, _render_page(file.page, config, doc_files, nav, env), outcome)
            outcome.rendered += 1
            if outcome.first_page is None:
                outcome.first_page = time.perf_counter() - started
        for file in doc_files:
            outputs.add(file.dest_uri)
        statics = {}
        for file in files:
            if file.is_documentation_page() or not file.inclusion.is_included():
                continue
            outputs.add(file.dest_uri)
            stamp = _stamp(file)
            statics[file.dest_uri] = stamp
            if full or site.statics.get(file.dest_uri) != stamp:
                self._write(site, file.dest_uri, file.content_bytes, outcome)
        site.pages = {f.src_uri: f.page for f in doc_files}
        for name in sorted(config.theme.static_templates):  # 404.html, sitemap.xml
            key = ("template", common, _sitemap_key(doc_files) if name == "sitemap.xml" else None)
            outputs.add(name)
            statics[name] = key
            if full or site.statics.get(name) != key:
                output = _theme_template(name, env, files, config, nav)
                if output is not None:
                    self._write(site, name, output.encode("utf-8"), outcome)
        if not full:
            for gone in sorted(site.outputs - outputs):
                _remove(site.out, gone)
                outcome.deleted += 1
        build.qr.close()
        site.digests, site.statics, site.outputs = digests, statics, outputs
        # The records of PublicityPlugin.on_nav: every item shown, in path order.
        self.search.start([view.item for _, view in sorted(build.plan.items.items())], site.out)
        outcome.seconds = time.perf_counter() - started
        return outcome

    def _files(self, config, full: bool) -> Files:
        """``get_files(config)``. Its File objects depend only on the names of the files under docs/ (and on
        mkdocs.yml: a full build), so while those names stay the same, copies of last time's serve: making
        11,000 File objects costs most of a second at 10,000 items."""
        names = _names(config.docs_dir)
        if full or names != self._names:
            files = get_files(config)
            self._names, self._made = names, [(f, f.inclusion) for f in files]
        return Files([_fresh(f, inclusion) for f, inclusion in self._made])

    def _write(self, site: _Site, dest_uri: str, data: bytes, outcome: Outcome) -> None:
        _write_atomic(site.out / dest_uri, data)
        outcome.written += 1

    def close(self) -> None:
        self.search.close()


def _names(docs: str) -> list:
    """The names get_files sees: its walk (os.walk, following links), names only."""
    return [(base, sorted(dirs), sorted(names)) for base, dirs, names in os.walk(docs, followlinks=True)]


def _fresh(file: File, inclusion) -> File:
    """A copy of a File as get_files made it: computed URLs and paths kept, what a build adds (its page,
    the plugin's inclusion) not."""
    copy = object.__new__(File)
    copy.__dict__.update(file.__dict__)
    copy.page = None
    copy.inclusion = inclusion
    return copy


def _render_page(page: Page, config, doc_files, nav, env) -> bytes:
    """``mkdocs.commands.build._build_page``, returning the bytes instead of writing them (written atomically by the caller)."""
    config._current_page = page
    try:
        page.active = True
        context = get_context(nav, doc_files, config, page)
        template = env.get_template(page.meta.get("template", "main.html"))
        context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
        output = template.render(context)
        output = config.plugins.on_post_page(output, page=page, config=config)
        return output.encode("utf-8", errors="xmlcharrefreplace")
    finally:
        page.active = False
        config._current_page = None


def _theme_template(name: str, env, files: Files, config, nav) -> str | None:
    """``mkdocs.commands.build._build_theme_template`` without the write (and without sitemap.xml.gz: nginx's business)."""
    try:
        template = env.get_template(name)
    except TemplateNotFound:
        return None
    output = _build_template(name, template, files, config, nav)
    return output if output.strip() else None


def _nav_paths(nav) -> set[str]:
    """The docs-relative paths mkdocs.yml's nav names (at any depth)."""
    found: set[str] = set()
    items = nav if isinstance(nav, list) else [nav] if nav else []
    for entry in items:
        values = entry.values() if isinstance(entry, dict) else [entry]
        for value in values:
            if isinstance(value, str):
                found.add(value)
            else:
                found |= _nav_paths(value)
    return found


def _sitemap_key(doc_files) -> tuple:
    return tuple((f.url, f.page.canonical_url, f.page.update_date) for f in doc_files if f.page is not None)


def _stamp(file) -> object:
    """What a file other than a page is written from: its content (feeds), or its source's size and time."""
    content = file._content
    if content is not None:
        return ("content", content if isinstance(content, bytes) else content.encode("utf-8"))
    try:
        stat = os.stat(file.abs_src_path)
    except OSError:
        return ("missing", file.abs_src_path)
    return ("file", file.abs_src_path, stat.st_mtime_ns, stat.st_size)


def _write_atomic(path: Path, data: bytes) -> None:
    """A reader never gets half a page: the file is written beside and renamed over the old one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{threading.get_ident()}.tmp")
    tmp.write_bytes(data)
    for attempt in range(5):
        try:
            os.replace(tmp, path)
            return
        except PermissionError:  # Windows: the server is reading the old file this very moment
            if attempt == 4:
                raise
            time.sleep(0.05)


def _remove(out: Path, dest_uri: str) -> None:
    path = out / dest_uri
    try:
        path.unlink()
    except FileNotFoundError:
        return
    folder = path.parent
    while folder != out:  # a removed item's folder goes with it, as a full build would not have it
        try:
            folder.rmdir()
        except OSError:
            break
        folder = folder.parent


class SearchRefresh:
    """The preview's search index, made again in the background after each change; the newest only.

    A second after the last change (a burst of saves makes one index), the plugin's indexer writes
    into a staging folder beside the served one; when it is done and checked, its ``pagefind/``
    replaces the served one. A newer change cancels an older index still being made.
    """

    QUIET = 1.0  # seconds without a newer change before indexing starts

    def __init__(self, folder: Path):
        self.folder = folder
        self._lock = threading.Lock()
        self._generation = 0
        self._indexer = None
        self.ready = threading.Event()  # the newest index is in place (the benchmark waits for it)
        self.problem: str | None = None

    def start(self, items: list, out: Path) -> None:
        with self._lock:
            self._generation += 1
            generation = self._generation
            self._cancel()
            self.ready.clear()
        threading.Thread(target=self._run, args=(generation, items, out), name="preview-search", daemon=True).start()

    def _current(self, generation: int) -> bool:
        return generation == self._generation

    def _run(self, generation: int, items: list, out: Path) -> None:
        time.sleep(self.QUIET)
        if not self._current(generation):
            return
        staging = self.folder / f"search-{generation}"
        staging.mkdir(parents=True, exist_ok=True)
        try:  # outside the lock: writing 10,000 records for the helper takes a second or two
            indexer = Indexer(records_for(items), staging, background=True)  # below the pages' priority
        except SearchIndexError as exc:
            with self._lock:
                self._failed(str(exc), staging)
            return
        with self._lock:
            if not self._current(generation):
                indexer.cancel()
                shutil.rmtree(staging, ignore_errors=True)
                return
            self._indexer = indexer
        try:
            indexer.finish()
        except Exception as exc:  # SearchIndexError, or cancelled by a newer change (its process killed)
            with self._lock:
                if self._current(generation):
                    self._failed(str(exc), staging)
                else:
                    shutil.rmtree(staging, ignore_errors=True)
            return
        with self._lock:
            if self._current(generation):
                served, old = out / OUTPUT_DIR, out / f".{OUTPUT_DIR}-old-{generation}"
                if served.exists():
                    os.replace(served, old)
                os.replace(staging / OUTPUT_DIR, served)
                shutil.rmtree(old, ignore_errors=True)
                self.problem, self._indexer = None, None
                self.ready.set()
            shutil.rmtree(staging, ignore_errors=True)

    def _failed(self, message: str, staging: Path) -> None:
        self.problem, self._indexer = message, None
        log.warning(f"搜索索引没有更新：{message}")
        shutil.rmtree(staging, ignore_errors=True)

    def _cancel(self) -> None:
        if self._indexer is not None:
            with contextlib.suppress(Exception):  # already finished, or closing its log
                self._indexer.cancel()
            self._indexer = None

    def close(self) -> None:
        with self._lock:
            self._generation += 1
            self._cancel()
