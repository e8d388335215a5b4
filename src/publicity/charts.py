"""Charts drawn at build time as inline SVG: no JavaScript, no external library.

One bar a row (horizontal bars), so that the chart reads down a phone as the
table beside it does. Its text is as large as the page's body text, and
follows the reader's text size (大/中/小, 适老模式): the stylesheet sizes the
SVG in em (``EM_WIDTH``), and one em is ``FONT`` units of the viewBox, so the
text is drawn at exactly one em. Its numbers are also given as a table.
"""

from __future__ import annotations

from html import escape

FONT = 16  # viewBox units per em: the chart's text is FONT units high, one em of the page's body text
WIDTH = 272  # viewBox width, 17em: it fits a 390 px phone in the elder-friendly mode at the middle size
EM_WIDTH = WIDTH / FONT  # the CSS width of .pub-chart, in em (publicity.css)
LABELS, BARS = 92, 148  # the months' column, the bars' longest
TOP, ROW = 34, 26  # the legend's band, one month's row
COLOURS = ("#1a4f9c", "#c62828", "#2e7d32", "#6a1b9a")  # dark enough on white for text and bars


def stacked_bars(title: str, labels: list[str], series: dict[str, list[int]]) -> str:
    """A stacked bar chart: one row per label (2009年6月), one colour per series, the total at the bar's end."""
    totals = [sum(values[i] for values in series.values()) for i in range(len(labels))]
    top = max(totals, default=0) or 1
    height = TOP + ROW * len(labels) + 6
    parts = [f'<svg class="pub-chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}" '
             # The size is set on a group, not on the <svg>: there it would fix the element's own em at 16 px.
             'xmlns="http://www.w3.org/2000/svg">', f"<title>{escape(title)}</title>", f'<g font-size="{FONT}">']
    for n, (colour, name) in enumerate(zip(COLOURS, series)):  # the legend, above the bars
        x = LABELS + 2 + n * 60
        parts.append(f'<rect x="{x}" y="8" width="14" height="14" fill="{colour}"/>')
        parts.append(f'<text x="{x + 18}" y="21" fill="#1a1a1a">{escape(name)}</text>')
    for i, label in enumerate(labels):
        y = TOP + i * ROW
        parts.append(f'<text x="{LABELS - 4}" y="{y + 17}" text-anchor="end" fill="#1a1a1a">{escape(label)}</text>')
        x = LABELS
        for colour, (name, values) in zip(COLOURS, series.items()):
            w = BARS * values[i] / top
            if w:
                parts.append(f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="16" fill="{colour}">'
                             f"<title>{escape(label)} {escape(name)} {values[i]}</title></rect>")
                x += w
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 17}" fill="#1a1a1a">{totals[i]}</text>')
    parts.append("</g></svg>")
    return "".join(parts)
