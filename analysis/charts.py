"""Small inline SVG charts (no JavaScript, no external files)."""

from __future__ import annotations

from html import escape

WIDTH = 560
ROW = 18
LABEL = 250


def colour(value: float, good: float, fair: float) -> str:
    """Green at or above ``good``, amber at or above ``fair``, red below."""
    if value >= good:
        return "#2e7d32"
    return "#ef8f00" if value >= fair else "#c62828"


def hbars(
    rows: list[tuple[str, float]], maximum: float, good: float, fair: float, title: str
) -> str:
    """Horizontal bars, one per (label, value), scaled to ``maximum``."""
    if not rows:
        return f'<p class="chart"><b>{escape(title)}</b>: not measured in this run.</p>'
    height = ROW * len(rows) + 24
    label_width = max(LABEL, 7 * max(len(label) for label, _ in rows) + 12)
    width = WIDTH - LABEL + label_width
    span = width - label_width - 50
    parts = [
        f'<svg class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"><title>{escape(title)}</title>'
    ]
    for i, (label, value) in enumerate(rows):
        y = 20 + i * ROW
        length = 0.0 if maximum <= 0 else max(0.0, min(value, maximum)) / maximum * span
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 12}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{label_width}" y="{y + 2}" width="{length:.1f}" height="{ROW - 5}" '
            f'fill="{colour(value, good, fair)}"><title>{escape(label)}: {value:.1f}</title></rect>'
            f'<text x="{label_width + length + 4:.1f}" y="{y + 12}">{value:.1f}</text>'
        )
    parts.append(f'<text x="0" y="12" class="ctitle">{escape(title)}</text></svg>')
    return "".join(parts)


def rank_histogram(counts: dict[str, int]) -> str:
    """Columns for the number of blocks in each radon rank A..F."""
    colours = {"A": "#2e7d32", "B": "#7cb342", "C": "#ef8f00", "D": "#e65100"}
    top = max(counts.values(), default=0) or 1
    width, height, col = 300, 150, 40
    parts = [
        f'<svg class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"><title>Blocks per complexity rank</title>'
        '<text x="0" y="12" class="ctitle">Blocks per complexity rank</text>'
    ]
    for i, (rank, count) in enumerate(counts.items()):
        bar = count / top * (height - 50)
        x = 10 + i * (col + 8)
        y = height - 20 - bar
        fill = colours.get(rank, "#c62828")
        parts.append(
            f'<rect x="{x}" y="{y:.1f}" width="{col}" height="{bar:.1f}" fill="{fill}"/>'
            f'<text x="{x + col / 2}" y="{y - 3:.1f}" text-anchor="middle">{count}</text>'
            f'<text x="{x + col / 2}" y="{height - 6}" text-anchor="middle">{rank}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
