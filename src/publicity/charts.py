"""Charts drawn at build time as inline SVG: no JavaScript, no external library.

The SVG scales to its container (viewBox, no fixed width), so it is readable
on a phone; its numbers are also given as a table for screen readers.
"""

from __future__ import annotations

from html import escape

WIDTH, HEIGHT = 600, 260
LEFT, RIGHT, TOP, BOTTOM = 36, 8, 12, 44
COLOURS = ("#1a4f9c", "#c62828", "#2e7d32", "#6a1b9a")  # dark enough on white for text and bars


def stacked_bars(title: str, labels: list[str], series: dict[str, list[int]]) -> str:
    """A stacked bar chart: one bar per label, one colour per series, with a legend."""
    totals = [sum(values[i] for values in series.values()) for i in range(len(labels))]
    top = _nice_ceiling(max(totals, default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(labels), 1)
    parts = [f'<svg class="pub-chart" viewBox="0 0 {WIDTH} {HEIGHT + 24}" role="img" aria-label="{escape(title)}" '
             f'xmlns="http://www.w3.org/2000/svg" font-size="14">',
             f"<title>{escape(title)}</title>"]
    for n in range(5):  # gridlines and y labels
        value = top * n / 4
        y = TOP + plot_h - plot_h * n / 4
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end" fill="#333">{value:g}</text>')
    for i, label in enumerate(labels):
        x = LEFT + i * step + step * 0.15
        base = TOP + plot_h
        for colour, (name, values) in zip(COLOURS, series.items()):
            h = plot_h * values[i] / top if top else 0
            if h:
                base -= h
                parts.append(f'<rect x="{x:.1f}" y="{base:.1f}" width="{step * 0.7:.1f}" height="{h:.1f}" fill="{colour}">'
                             f"<title>{escape(label)} {escape(name)} {values[i]}</title></rect>")
        if i % 3 == 0 or i == len(labels) - 1:
            parts.append(f'<text x="{x + step * 0.35:.1f}" y="{TOP + plot_h + 16}" text-anchor="middle" fill="#333">{escape(label)}</text>')
    for n, (colour, name) in enumerate(zip(COLOURS, series)):
        x = LEFT + n * 90
        parts.append(f'<rect x="{x}" y="{HEIGHT + 6}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 16}" y="{HEIGHT + 16}" fill="#333">{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _nice_ceiling(value: int) -> int:
    """A round top for the axis: 4 → 4, 7 → 8, 13 → 16, 37 → 40."""
    if value <= 4:
        return max(value, 1) if value else 4
    for step in (2, 4, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if value <= step * 4:
            return -(-value // step) * step
    return value
