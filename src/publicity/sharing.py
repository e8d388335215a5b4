"""Sharing an item from a phone: a QR code of its address, drawn at build time.

WeChat ignores Open Graph tags; readers there share a page by scanning its
code. The SVG is inline, so the page makes no extra request for it. The
code is made by zxing-cpp (compiled: about 0.4 ms a code, where a pure-Python
encoder spent half of a 10,000-item build), and drawn here as one path of
horizontal runs, which keeps it near 2 KB.
"""

from __future__ import annotations

import re

import zxingcpp

_DARK_RUN = re.compile(rb"\x00+")  # zxing-cpp's image: 0 is a dark module, 255 a light one


def qr_modules(url: str) -> list[bytes]:
    """The code's rows, one byte a module (0 dark), without the quiet zone."""
    code = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = code.to_image(scale=1, add_quiet_zones=False)
    size = memoryview(image).shape[1]
    data = bytes(image)
    return [data[y * size:(y + 1) * size] for y in range(len(data) // size)]


def qr_svg(url: str, title: str = "本页二维码") -> str:
    rows = qr_modules(url)
    size = len(rows)
    path = []
    for y, row in enumerate(rows):
        for run in _DARK_RUN.finditer(row):
            path.append(f"M{run.start()} {y}.5h{run.end() - run.start()}")
    box = f"-4 -4 {size + 8} {size + 8}"  # four modules of quiet zone, as scanners need
    return (f'<svg viewBox="{box}" role="img" aria-label="{title}" xmlns="http://www.w3.org/2000/svg">'
            f"<title>{title}</title>"
            f'<rect x="-4" y="-4" width="{size + 8}" height="{size + 8}" fill="#fff"/>'
            f'<path stroke="#000" stroke-width="1" d="{"".join(path)}"/></svg>')


class QrCodes:
    """The QR codes of a build, drawn in a second process while the pages render.

    At 10,000 items drawing them in the build's own process costs seconds on
    the path of every page; the machine's other core is mostly idle then. The
    codes come back in the order asked, which is the order pages render in;
    a code asked for out of order is drawn on the spot.
    """

    def __init__(self, urls: list[str]):
        from concurrent.futures import ProcessPoolExecutor

        self._ready: dict[str, str] = {}
        self._pool = ProcessPoolExecutor(max_workers=1) if len(urls) > 200 else None
        self._pending = iter(zip(urls, self._pool.map(qr_svg, urls, chunksize=100))) if self._pool else iter(())

    def get(self, url: str) -> str:
        while url not in self._ready:
            try:
                done_url, svg = next(self._pending)
            except StopIteration:
                return self._ready.setdefault(url, qr_svg(url))
            self._ready[done_url] = svg
        return self._ready.pop(url)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
