"""The Content-Security-Policy of the published site: the inline scripts the built pages carry, and the policy.

A policy without ``'unsafe-inline'`` runs an inline ``<script>`` only when the header names the SHA-256 of its
text. Material writes a few into every page (one of them differs with the page's depth in the site) and the
site's own head has one (reading settings applied before the first paint). The hashes are taken from the
built pages, read with an HTML parser, so a Material upgrade or a template change that adds a script changes
the list with it. Inline code no hash can allow (``onclick=`` attributes, ``javascript:`` links) is reported.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from html.parser import HTMLParser

# What a browser runs as script: no type, or a JavaScript MIME type, or a module (HTML's "script block's
# type string"). Anything else (application/json, ld+json) is a data block, which CSP does not govern.
_SCRIPT_TYPES = {"", "module", "text/javascript", "application/javascript", "application/ecmascript",
                 "application/x-javascript", "application/x-ecmascript", "text/ecmascript", "text/jscript",
                 "text/livescript", "text/x-ecmascript", "text/x-javascript", "text/javascript1.0",
                 "text/javascript1.1", "text/javascript1.2", "text/javascript1.3", "text/javascript1.4",
                 "text/javascript1.5"}


def script_hash(text: str) -> str:
    """The CSP source expression of one inline script, as the browser computes it (UTF-8, newlines as parsed)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


class _Script(HTMLParser):
    """Reads one script element: its start tag, its text, its end tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inline: bool | None = None  # None until the start tag is read: is it an inline script a browser runs?
        self.text: list[str] = []
        self.ended = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and self.inline is None:
            values = {name: (value or "") for name, value in attrs}
            self.inline = "src" not in values and values.get("type", "").strip().lower() in _SCRIPT_TYPES

    def handle_data(self, data: str) -> None:
        if self.inline and not self.ended:
            self.text.append(data)  # the parser reads a script's text raw, possibly in several pieces

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.ended = True


def inline_script_hashes(page: bytes) -> set[str]:
    """The hashes of the inline scripts in one UTF-8 page.

    The HTML parser reads each script element. It is handed only the text from each ``<script`` on, not the
    whole page: at 10,000 items a full parse of every page took longer than the rest of the build, and no
    script element can start without that text. A ``<script`` that is not an element (inside an attribute
    value or a comment) only adds the hash of a text that never runs. tests/test_nginx.py parses every page
    of the sample in full and checks that nothing the policy does not allow is there.
    """
    lower, found, start = page.lower(), set(), 0  # bytes.lower() changes ASCII letters only: offsets stay
    while (start := lower.find(b"<script", start)) >= 0:
        close = lower.find(b"</script", start)
        end = (lower.find(b">", close) + 1 or len(page)) if close >= 0 else len(page)
        found.add(_script_element(page[start:end]))
        start = max(end, start + 1)
    found.discard(None)
    return found


@functools.lru_cache(maxsize=4096)
def _script_element(source: bytes) -> str | None:
    """The hash of the script element ``source`` if it is an inline script a browser runs. Every page repeats
    the same few scripts: each is parsed once."""
    reader = _Script()
    reader.feed(source.decode("utf-8", errors="replace"))
    reader.close()
    return script_hash("".join(reader.text)) if reader.inline and reader.ended else None


def policy(script_hashes: list[str]) -> str:
    """The site's Content-Security-Policy.

    Everything comes from the site itself. ``script-src``: the site's files and the hashes of its inline
    scripts; ``'wasm-unsafe-eval'`` lets Pagefind compile its WebAssembly (it allows no JavaScript eval).
    ``style-src 'self'``: the pages carry no ``<style>`` or ``style=""``, and the scripts set styles only
    through the CSSOM, which CSP leaves alone (the browser tests fail on any violation). ``img-src data:``:
    Material's stylesheet draws its icons as data: SVG images. Fonts, fetches and workers fall under
    ``default-src 'self'``.
    """
    scripts = " ".join(["'self'", "'wasm-unsafe-eval'", *sorted(script_hashes)])
    return "; ".join([
        "default-src 'self'",
        f"script-src {scripts}",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ])
