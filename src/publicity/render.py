"""A Markdown body made into the HTML its page shows: rendered, links made relative, sanitised.

The content model renders every body itself, once per run, with the Markdown
extensions declared here: the checker judges exactly the HTML the site
publishes, and the adapter (``publicity_mkdocs``) puts that HTML on the
page instead of rendering the Markdown a second time.

Links and images are written relative to the Markdown file, as staff see
them in their editor (``../2009/0512-jinggai.md``, ``images/jinggai.jpg``);
here they become relative to the page's URL (``../../2009/0512-jinggai/``),
as MkDocs would make them with ``use_directory_urls``.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import unquote

import markdown

from .images.markup import ImageIndex, ImagesExtension
from .model import url_for
from .sanitize import Finding, Reference, Sanitiser

# The Markdown the site supports. Tables say their alignment with align="…" rather than style="…",
# so that no style attribute is ever needed; footnotes' return links are titled in Chinese.
EXTENSIONS = ("toc", "tables", "attr_list", "md_in_html", "admonition", "footnotes", "pymdownx.tilde", "pymdownx.details")
EXTENSION_CONFIGS = {
    "toc": {"permalink": False},
    "tables": {"use_align_attribute": True},
    "footnotes": {"BACKLINK_TITLE": "返回正文第 %d 处"},
}
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass
class Rendered:
    """A body as its page shows it, and what the checks need to know about it."""

    html: str  # sanitised, links relative to the page's URL
    toc: list[dict]  # Python-Markdown's toc tokens: level, id, name (escaped text), children
    findings: list[Finding]  # what the sanitiser removed: each an error
    references: list[Reference]  # links and images as written, in order
    images_without_alt: list[str] = field(default_factory=list)

    @property
    def h1(self) -> str:
        """The text of the first level-1 heading ('' if none): a page's title when its front matter has none."""
        first = next((t for t in self.toc if t["level"] == 1), None)
        return html.unescape(first["name"]) if first else ""


class Renderer:
    """One Markdown instance and one sanitiser for a whole run: building them costs more than a body.

    With the run's published images (a build), each of their ``<img>`` becomes a ``<picture>``
    with every version (``images.markup``); the checker renders without them.
    """

    def __init__(self, images: ImageIndex | None = None) -> None:
        self._pictures = ImagesExtension(images, docs_target) if images is not None else None
        extensions = [*EXTENSIONS, *([self._pictures] if self._pictures else [])]
        self._md = markdown.Markdown(extensions=extensions, extension_configs=EXTENSION_CONFIGS)
        self._sanitiser = Sanitiser()

    def render(self, body: str, src_path: str, first_image_eager: bool = True) -> Rendered:
        """``first_image_eager``: whether the body's first picture is likely above the fold (no cover before it)."""
        self._md.reset()
        if self._pictures is not None:
            self._pictures.start(src_path, first_image_eager)
        raw = self._md.convert(body)
        page_url = url_for(src_path)
        cleaned = self._sanitiser.clean(raw, lambda tag, attr, value: page_relative(value, src_path, page_url))
        return Rendered(cleaned.html, list(getattr(self._md, "toc_tokens", [])), cleaned.findings, cleaned.references,
                        cleaned.images_without_alt)


def docs_target(written: str, src_path: str) -> str | None:
    """The docs-relative path a link or image written in ``src_path`` points to; None for another site, an anchor
    or a site-absolute path. A path that climbs out of the content folder keeps its leading ``../``."""
    path = unquote(written.split("#", 1)[0].split("?", 1)[0]).strip()
    if not path or path.startswith("/") or _SCHEME.match(path):
        return None
    target = posixpath.normpath(posixpath.join(posixpath.dirname(src_path), path))
    return target + "/" if path.endswith("/") and target != "." else ("" if target == "." else target)


def page_relative(written: str, src_path: str, page_url: str) -> str:
    """A link or image as the browser needs it on the page at ``page_url``."""
    target = docs_target(written, src_path)
    if target is None or target.startswith("../") or target == "..":
        return written
    suffix = written[len(written.split("#", 1)[0].split("?", 1)[0]):]  # ?query#fragment, as written
    if target.endswith(".md"):
        target = url_for(target)
    return relative_url(target, page_url) + suffix


def relative_url(target: str, page_url: str) -> str:
    """``target`` (site-relative) as seen from the page at ``page_url`` (a directory URL, '' for the home page)."""
    rel = posixpath.relpath(target or ".", page_url or ".")
    if target.endswith("/") or not target:
        rel = rel.rstrip("/") + "/" if rel != "." else "./"
    return rel
