"""Pictures on pages: each published image shown with its size, every width, a WebP source and lazy loading.

Two ways in, no HTML parsed with patterns:

- **Bodies.** A Markdown tree processor (``ImagesExtension``) works on the
  element tree before it is written out: each ``<img>`` of a published image
  gets ``width``/``height`` (its space is kept before it loads), ``srcset`` and
  ``sizes``, ``decoding="async"``, ``loading="lazy"`` but for the first one,
  and a ``<picture>`` around it with the WebP versions.
- **Templates.** Covers and listing thumbnails call ``ImageIndex.picture``
  (the adapter's ``picture`` filter), which writes the same markup.

URLs are written as the author wrote the original's (relative to the Markdown
file, or to the page for templates): the versions sit beside the original.
"""

from __future__ import annotations

import html
import posixpath
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable

import markdown
from markdown.treeprocessors import Treeprocessor

from .types import Published, Version

CONTENT_WIDTH = 800  # CSS px: the widest the article column gets, for ``sizes``


class ImageIndex:
    """The published images by their docs-relative URL (a cover's thumbnail too)."""

    def __init__(self, published: Iterable[Published]):
        self.by_uri: dict[str, tuple[Published, bool]] = {}  # uri -> (image, is its thumbnail)
        for image in published:
            self.by_uri[image.uri] = (image, False)
            if image.thumb is not None:
                self.by_uri[image.thumb.uri] = (image, True)

    def get(self, uri: str) -> Published | None:
        """The image whose original is at ``uri`` (docs-relative)."""
        found = self.by_uri.get(uri)
        return found[0] if found and not found[1] else None

    def thumbnail(self, uri: str) -> str:
        """The listing thumbnail of a cover (docs-relative); an unprocessed cover (SVG, GIF) stands for itself."""
        found = self.by_uri.get(uri)
        return found[0].thumb.uri if found and found[0].thumb is not None else uri

    def picture(self, uri: str, url: Callable[[str], str], attrs: dict[str, str], *, eager: bool) -> str:
        """Markup for the image (or thumbnail) at ``uri``, ``url`` writing a docs-relative URL for the page:
        a ``<picture>`` with every version, or a plain ``<img>`` for what is published as it is (GIF, SVG)."""
        found = self.by_uri.get(uri)
        if found is None:
            return f"<img{_attrs(dict(attrs, src=url(uri)))}>"
        main, sizes, webp = _versions(*found)
        img = dict(attrs, src=url(main.uri))
        source = _enrich(img, main, sizes, webp, url, eager)
        tags = [f"<source{_attrs(source)}>"] if source else []
        return f"<picture>{''.join(tags)}<img{_attrs(img)}></picture>" if source else f"<img{_attrs(img)}>"


def _versions(image: Published, thumb: bool) -> tuple[Version, tuple[Version, ...], tuple[Version, ...]]:
    if thumb:
        return image.thumb, (), (image.thumb_webp,) if image.thumb_webp else ()
    return image.main, image.sizes, image.webp


def _enrich(img: dict[str, str], main: Version, sizes: tuple[Version, ...], webp: tuple[Version, ...],
            url: Callable[[str], str], eager: bool) -> dict[str, str] | None:
    """Set the img's size, srcset and loading; return the WebP source's attributes (None if there is none).

    An author's own srcset is left as written, and so is the picture without a WebP source then.
    """
    _set_size(img, main.width, main.height)
    own_srcset = "srcset" in img
    width = min(main.width, CONTENT_WIDTH)
    hint = f"(max-width: {width}px) 100vw, {width}px"
    if len(sizes) > 1 and not own_srcset:
        img["srcset"] = ", ".join(f"{url(v.uri)} {v.width}w" for v in sizes)
        img["sizes"] = hint
    if not eager:
        img.setdefault("loading", "lazy")
    img.setdefault("decoding", "async")
    if not webp or own_srcset:
        return None
    if len(webp) == 1:
        return {"type": "image/webp", "srcset": url(webp[0].uri)}
    return {"type": "image/webp", "srcset": ", ".join(f"{url(v.uri)} {v.width}w" for v in webp), "sizes": hint}


def _set_size(attrs: dict[str, str], width: int, height: int) -> None:
    """width and height reserve the picture's space before it loads; an author's own width is kept, in proportion."""
    given_w, given_h = (_number(attrs.get(k)) for k in ("width", "height"))
    if given_w is None and given_h is None:
        attrs["width"], attrs["height"] = str(width), str(height)
    elif given_h is None and given_w:
        attrs["height"] = str(round(given_w * height / width))
    elif given_w is None and given_h:
        attrs["width"] = str(round(given_h * width / height))


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _attrs(attrs: dict[str, str]) -> str:
    return "".join(f' {name}="{html.escape(value, quote=True)}"' for name, value in attrs.items())


# ---- bodies: a Markdown tree processor ----------------------------------------------------------------------------

class ImagesExtension(markdown.Extension):
    """Registers the tree processor; ``start`` says which document comes next and how to find its images."""

    def __init__(self, index: ImageIndex, target: Callable[[str, str], str | None]):
        super().__init__()
        self.processor: _Pictures | None = None
        self.index, self.target = index, target

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        self.processor = _Pictures(md, self.index, self.target)
        md.treeprocessors.register(self.processor, "publicity-pictures", 1)  # after inline processing: images exist

    def start(self, src_path: str, first_eager: bool) -> None:
        self.processor.src_path, self.processor.first_eager = src_path, first_eager


class _Pictures(Treeprocessor):
    def __init__(self, md: markdown.Markdown, index: ImageIndex, target: Callable[[str, str], str | None]):
        super().__init__(md)
        self.index, self.target = index, target
        self.src_path, self.first_eager = "", True

    def run(self, root: ET.Element) -> None:
        eager = self.first_eager
        for parent in list(root.iter()):
            for position, img in enumerate(list(parent)):
                if img.tag != "img":
                    continue
                written = img.get("src", "")
                uri = self.target(written, self.src_path)
                image = self.index.get(uri) if uri else None
                if image is None:
                    continue
                folder = written[: written.rfind("/") + 1]  # the versions sit beside the original

                def url(version_uri: str, folder: str = folder) -> str:
                    return folder + posixpath.basename(version_uri)

                attrs = dict(img.attrib)
                source = _enrich(attrs, image.main, image.sizes, image.webp, url, eager)
                eager = False
                img.attrib.clear()
                img.attrib.update(attrs)
                if source is not None:
                    picture = ET.Element("picture")
                    picture.append(ET.Element("source", source))
                    picture.append(img)
                    picture.tail, img.tail = img.tail, None
                    parent.remove(img)
                    parent.insert(position, picture)
