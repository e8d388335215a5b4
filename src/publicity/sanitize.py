"""What of a body's HTML may reach a page: one allowlist, used both to report and to clean.

The rendered HTML of every Markdown body (whatever Markdown, ``md_in_html``
or ``attr_list`` produced, raw HTML included) goes through three steps:

1. **Normalise.** nh3 (Ammonia, on html5ever: the parser browsers use) parses
   it and writes it out again with every tag and attribute kept, so that what
   follows sees the document as a browser would (a tag split over lines, an
   entity-encoded ``jav&#x61;script:``, a ``<img/src=x/onerror=…>``).
2. **Inspect.** Each element and attribute is held against the allowlist below;
   whatever the cleaner would remove becomes a ``Finding``. The checker reports
   findings as errors on their lines, and the build refuses the same files.
3. **Clean.** nh3 removes everything outside the same allowlist, so that even a
   finding the inspection missed never reaches a page.

The allowlist is what the content model supports, after GitHub's Markdown
allowlist: headings, paragraphs, lists, tables, images (with what the image
pipeline writes), footnotes, admonitions, details and links. No script, event
handler, style, form, frame, ``<base>`` or ``<meta>``; links only to http(s),
mailto and tel or within the site; images only from the site itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3

_TEXT = frozenset({"id", "title"})
_CELL = frozenset({"align", "colspan", "rowspan", "id"})
TAGS: dict[str, frozenset[str]] = {  # element -> its allowed attributes (class is separate: CLASSES)
    **{h: frozenset({"id"}) for h in ("h1", "h2", "h3", "h4", "h5", "h6")},
    **{t: frozenset({"id"}) for t in ("p", "div", "span", "blockquote", "pre", "code", "ul", "dl", "dt", "dd",
                                      "figure", "figcaption", "table", "thead", "tbody", "tfoot", "caption")},
    **{t: frozenset() for t in ("br", "hr", "strong", "em", "b", "i", "u", "s", "del", "ins", "sub", "small",
                                "mark", "summary", "q", "cite", "kbd", "samp", "var")},
    "sup": frozenset({"id"}), "abbr": frozenset({"title"}),
    "ol": frozenset({"id", "start", "type", "reversed"}), "li": frozenset({"id", "value"}),
    "tr": frozenset({"id"}), "th": _CELL | {"scope"}, "td": _CELL,
    "a": _TEXT | {"href"},
    "img": _TEXT | {"src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes"},
    "picture": frozenset(), "source": frozenset({"srcset", "sizes", "type", "media", "width", "height"}),
    "details": frozenset({"open", "id"}),
}
# Classes the Markdown extensions write (admonitions, details, footnotes); an author's own are not kept.
_ADMONITIONS = frozenset({"admonition", "note", "abstract", "summary", "info", "tip", "hint", "important", "success",
                          "check", "done", "question", "help", "faq", "warning", "caution", "attention", "failure",
                          "fail", "missing", "danger", "error", "bug", "example", "quote", "cite"})
CLASSES: dict[str, frozenset[str]] = {
    "div": _ADMONITIONS | {"footnote"}, "details": _ADMONITIONS, "p": frozenset({"admonition-title"}),
    "a": frozenset({"footnote-ref", "footnote-backref"}),
}
LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
URL_ATTRIBUTES = frozenset({"href", "src", "srcset"})
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
# The page's own elements: an id in the content must not take theirs (Material's __search, the site's pub-main).
_RESERVED_ID = re.compile(r"^(__|pub-)", re.I)


@dataclass(frozen=True)
class Finding:
    """Something the cleaner would remove: a code, what it is (as staff would write it), where to look for it."""

    code: str  # html-tag, html-attribute, unsafe-link, external-image
    what: str  # <script>, onerror="…", javascript:alert(1)
    needles: tuple[str, ...]  # text to look for in the source to find its line, most specific first


@dataclass(frozen=True)
class Reference:
    """A link (a href) or an image (img src) in the body, as the browser will see it."""

    tag: str  # a or img
    value: str  # as written

    @property
    def is_image(self) -> bool:
        return self.tag in ("img", "source")


def url_finding(tag: str, attr: str, value: str) -> Finding | None:
    """Why a URL attribute may not stay, or None. Whitespace and control characters are ignored as browsers do."""
    compact = re.sub(r"[\x00-\x20\x7f]+", "", value)
    scheme = _SCHEME.match(compact)
    if tag == "a":
        if scheme and scheme.group(1).lower() not in LINK_SCHEMES:
            return Finding("unsafe-link", _short(value), (value, f"{scheme.group(1)}:", scheme.group(1)))
        return None
    if scheme or compact.startswith("//"):  # an image or a source from another host (or a data: URI)
        what = "data:" if scheme and scheme.group(1).lower() == "data" else _short(value)
        code = "unsafe-link" if scheme and scheme.group(1).lower() not in ("http", "https") else "external-image"
        return Finding(code, what, (value, what, "data:", "http"))
    return None


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def srcset_urls(value: str) -> list[str]:
    """The URLs of a srcset: 'a.jpg 480w, b.jpg 960w' -> ['a.jpg', 'b.jpg']."""
    return [part.split()[0] for part in value.split(",") if part.split()]


class _Inspector(HTMLParser):
    """Walks normalised HTML and lists what is outside the allowlist."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[Finding] = []
        self.images_without_alt: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        allowed = TAGS.get(tag)
        if allowed is None:
            self.findings.append(Finding("html-tag", f"<{tag}>", (f"<{tag}", tag)))
            return
        for name, value in attrs:
            self._attribute(tag, name, value or "", allowed)
        if tag == "img" and not (dict(attrs).get("alt") or "").strip():
            self.images_without_alt.append(dict(attrs).get("src") or "")

    handle_startendtag = handle_starttag

    def _attribute(self, tag: str, name: str, value: str, allowed: frozenset[str]) -> None:
        if name == "class":
            extra = [c for c in value.split() if c not in CLASSES.get(tag, ())]
            if extra:
                self.findings.append(Finding("html-attribute", f'class="{extra[0]}"', (extra[0], "class")))
            return
        if name not in allowed:
            self.findings.append(Finding("html-attribute", f"{name}=", (name,)))
        elif name == "id" and _RESERVED_ID.match(value):
            self.findings.append(Finding("html-attribute", f'id="{value}"', (value, "id")))
        elif name in URL_ATTRIBUTES:
            for url in srcset_urls(value) if name == "srcset" else [value]:
                finding = url_finding(tag, name, url)
                if finding:
                    self.findings.append(finding)


@dataclass
class Cleaned:
    html: str  # safe to print on a page
    findings: list[Finding]  # what the cleaning removed or would have removed; empty for an acceptable body
    references: list[Reference]
    images_without_alt: list[str]


class Sanitiser:
    """The allowlist as two nh3 cleaners; reusable across documents (one per run).

    The normaliser keeps everything and the cleaner keeps what is allowed; both
    rewrite the same URLs. When their outputs are equal, nothing was removed:
    that is the common case, and it costs two passes in Rust. Otherwise the
    normalised HTML is inspected to say what was removed and where.
    """

    def __init__(self) -> None:
        every_tag = set(TAGS) | _OTHER_TAGS
        self._rewrite: Callable[[str, str, str], str] | None = None
        self._seen: list[Reference] = []
        self._normaliser = nh3.Cleaner(tags=every_tag, clean_content_tags=set(), generic_attribute_prefixes={""},
                                       attribute_filter=self._keep, link_rel=None, strip_comments=True,
                                       url_schemes=set(_ALL_SCHEMES))
        self._cleaner = nh3.Cleaner(
            tags=set(TAGS), clean_content_tags={"script", "style"},
            attributes={tag: set(attrs) for tag, attrs in TAGS.items()},
            allowed_classes={tag: set(classes) for tag, classes in CLASSES.items()},
            attribute_filter=self._filter, link_rel=None, strip_comments=True, url_schemes=set(LINK_SCHEMES))

    def clean(self, html: str, rewrite: Callable[[str, str, str], str] | None = None) -> Cleaned:
        """Inspect and clean one body; ``rewrite(tag, attr, url)`` maps each kept URL (links to pages, images)."""
        normalised = self._run(self._normaliser, html, rewrite)
        cleaned = self._run(self._cleaner, html, rewrite)
        references = self._seen
        findings: list[Finding] = []
        if cleaned != normalised:
            findings = inspect(self._run(self._normaliser, html, None))  # the URLs as written
            if not findings:  # the cleaner changed something no rule names: still never silently
                findings = [Finding("html-tag", "HTML", ("<",))]
        # Images without alt text, named as staff wrote them.
        written = {self._rewritten(rewrite, "img", "src", r.value): r.value for r in references if r.tag == "img"}
        missing_alt = [written.get(src, src) for src in images_without_alt(cleaned)]
        return Cleaned(cleaned, findings, references, missing_alt)

    def _run(self, cleaner: nh3.Cleaner, html: str, rewrite: Callable[[str, str, str], str] | None) -> str:
        self._rewrite, self._seen = rewrite, []
        try:
            return cleaner.clean(html)
        finally:
            self._rewrite = None

    def _keep(self, tag: str, attr: str, value: str) -> str:
        if attr in URL_ATTRIBUTES and tag in URL_TAGS and not _unsafe(tag, attr, value):
            return self._rewritten(self._rewrite, tag, attr, value)
        return value

    def _filter(self, tag: str, attr: str, value: str) -> str | None:
        if attr == "id" and _RESERVED_ID.match(value):
            return None
        if attr not in URL_ATTRIBUTES:
            return value
        if _unsafe(tag, attr, value):
            return None
        if attr != "srcset":  # a srcset lists versions of its img's src (the image pipeline's, usually): not references
            self._seen.append(Reference(tag, value))
        return self._rewritten(self._rewrite, tag, attr, value)

    @staticmethod
    def _rewritten(rewrite: Callable[[str, str, str], str] | None, tag: str, attr: str, value: str) -> str:
        if rewrite is None:
            return value
        if attr != "srcset":
            return rewrite(tag, attr, value)
        return ", ".join(" ".join([rewrite(tag, attr, part.split()[0]), *part.split()[1:]])
                         for part in value.split(",") if part.split())


def images_without_alt(cleaned: str) -> list[str]:
    """The src of each image with no alt text, in cleaned (html5ever-serialised) HTML.

    Only the ``<img …>`` tags are parsed: in serialised HTML5 a ``>`` inside an
    attribute value is written ``&gt;``, so each tag ends at the first ``>``.
    Parsing whole bodies with html.parser would cost a millisecond and a half each.
    """
    missing = []
    start = cleaned.find("<img")
    while start != -1:
        end = cleaned.find(">", start)
        tag = _Inspector()
        tag.feed(cleaned[start:end + 1])
        tag.close()
        missing += tag.images_without_alt
        start = cleaned.find("<img", end)
    return missing


def inspect(html: str) -> list[Finding]:
    """What of ``html`` is outside the allowlist, in document order."""
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector.findings


def _unsafe(tag: str, attr: str, value: str) -> bool:
    return any(url_finding(tag, attr, url) for url in (srcset_urls(value) if attr == "srcset" else [value]))


URL_TAGS = frozenset({"a", "img", "source"})
_OTHER_TAGS = frozenset({"script", "style", "iframe", "object", "embed", "form", "input", "button", "textarea", "select",
                         "option", "base", "meta", "link", "svg", "math", "frame", "frameset", "video", "audio",
                         "noscript", "template", "canvas", "title", "applet", "portal", "area", "map", "dialog",
                         "marquee", "xmp", "plaintext", "noembed", "param", "track", "slot", "label", "fieldset",
                         "legend", "output", "head", "body", "html", "nav", "section", "article", "aside", "header",
                         "footer", "main", "center", "font", "big", "tt", "strike", "bdi", "bdo", "wbr", "time",
                         "data", "ruby", "rt", "rp", "col", "colgroup", "menu", "address", "hgroup", "search"})
# Every scheme is let through the normaliser, which only re-serialises; the inspection judges them.
_ALL_SCHEMES = ("http", "https", "mailto", "tel", "javascript", "vbscript", "data", "file", "ftp", "blob", "about", "ws",
                "wss", "sms", "callto", "news", "irc", "ssh", "git", "market", "intent", "chrome", "jar", "view-source")


# ---------------------------------------------------------------------------
# SVG files. An SVG opened on its own is a document of the site's origin: its script would run there.

_SVG_ACTIVE = frozenset({"script", "foreignobject", "iframe", "embed", "object", "handler", "listener"})
_IMAGE_DATA = re.compile(r"^data:image/(png|jpeg|gif|webp);", re.I)
_CSS_URL = re.compile(r"@import|url\(\s*['\"]?\s*(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)", re.I)


def svg_findings(data: bytes) -> list[Finding]:
    """What makes an SVG file unsafe to publish: script, event handlers, foreignObject, entities,
    links to script or to other hosts. A file that does not parse is one finding too."""
    import xml.parsers.expat

    findings: list[Finding] = []
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    in_style = False

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal in_style
        local = name.rsplit(" ", 1)[-1].lower()
        in_style = local == "style"
        if local in _SVG_ACTIVE:
            findings.append(Finding("svg-unsafe", f"<{local}>", (f"<{local}", local)))
        for key, value in attrs.items():
            attr = key.rsplit(" ", 1)[-1].lower()
            if attr.startswith("on"):
                findings.append(Finding("svg-unsafe", f"{attr}=", (attr,)))
            elif attr == "href" and not (value.startswith("#") or _IMAGE_DATA.match(value)
                                         or not (_SCHEME.match(value) or value.startswith("//"))):
                findings.append(Finding("svg-unsafe", _short(value), (value,)))
            elif attr == "style" and _CSS_URL.search(value):
                findings.append(Finding("svg-unsafe", "style=", ("style",)))

    def text(data: str) -> None:
        if in_style and _CSS_URL.search(data):
            findings.append(Finding("svg-unsafe", "<style>", ("@import", "url(")))

    def entity(name, *args) -> None:
        findings.append(Finding("svg-unsafe", f"<!ENTITY {name}>", ("<!ENTITY",)))

    parser.StartElementHandler = start
    parser.CharacterDataHandler = text
    parser.EntityDeclHandler = entity
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        findings.append(Finding("svg-invalid", f"第 {exc.lineno} 行：{xml.parsers.expat.ErrorString(exc.code)}", ()))
    return findings
