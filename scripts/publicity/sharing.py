"""Sharing an item from a phone: a QR code of its address, drawn at build time.

WeChat ignores Open Graph tags; readers there share a page by scanning its
code. The SVG is inline, so the page makes no extra request for it.
"""

from __future__ import annotations

import segno


def qr_svg(url: str) -> str:
    code = segno.make(url, error="m")
    return code.svg_inline(scale=3, border=2, title="本页二维码", omitsize=True)
