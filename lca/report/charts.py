"""Hand-written SVG charts (no JavaScript): grouped bars, intervals and tornados.

Every chart is an ``<svg class="chart">`` with explicit fill colours (WeasyPrint and browsers draw
it alike). Labels are escaped; numbers are formatted with ``fmt.num``.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from lca.report.fmt import num

WIDTH = 660
LABEL_W = 190
VALUE_W = 90
PLOT_L, PLOT_R = LABEL_W, WIDTH - VALUE_W
BAR_H = 13
GAP = 10
PALETTE = {"ai": "#c2410c", "reference": "#1d4ed8", "net": "#6b21a8", "low": "#0f766e", "high": "#b45309"}


@dataclass(frozen=True)
class Series:
    key: str  # colour key in PALETTE
    name: str
    values: tuple[float, ...]


def _scale(lo: float, hi: float, right: float = PLOT_R):
    """Value -> x position, the range widened to include zero."""
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    if hi == lo:
        hi = lo + 1.0
    span = hi - lo
    return lambda v: PLOT_L + (v - lo) / span * (right - PLOT_L)


def _clip(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text(x: float, y: float, text: str, anchor: str = "start", size: int = 11, weight: str = "normal") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" font-weight="{weight}" '
            f'fill="#1f2937">{escape(text)}</text>')


def _svg(kind: str, title: str, height: float, body: list[str]) -> Markup:
    head = (f'<svg class="chart" data-chart="{escape(kind)}" xmlns="http://www.w3.org/2000/svg" '
            f'viewBox="0 0 {WIDTH} {height:.0f}" width="100%" role="img" font-family="sans-serif">'
            f"<title>{escape(title)}</title>")
    return Markup(head + "".join(body) + "</svg>")


def _legend(series: list[Series], y: float) -> list[str]:
    out, x = [], PLOT_L
    for s in series:
        out.append(f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{PALETTE[s.key]}"/>')
        out.append(_text(x + 14, y, s.name, size=10))
        x += 24 + 6.5 * len(s.name)
    return out


def bar_chart(title: str, unit: str, categories: list[str], series: list[Series]) -> Markup:
    """Grouped horizontal bars, one group per category, one bar per series; handles negatives."""
    values = [v for s in series for v in s.values]
    x = _scale(min(values, default=0.0), max(values, default=0.0))
    row_h = len(series) * BAR_H + GAP
    top = 38
    height = top + row_h * len(categories) + 22
    body = [_text(0, 14, f"{title} ({unit})", size=12, weight="bold"), *_legend(series, 30)]
    for i, cat in enumerate(categories):
        y0 = top + i * row_h
        body.append(_text(LABEL_W - 8, y0 + row_h / 2, _clip(cat), anchor="end"))
        for j, s in enumerate(series):
            v = s.values[i]
            x0, x1 = sorted((x(0.0), x(v)))
            y = y0 + j * BAR_H
            body.append(f'<rect x="{x0:.1f}" y="{y:.1f}" width="{max(x1 - x0, 0.5):.1f}" height="{BAR_H - 2}" '
                        f'fill="{PALETTE[s.key]}"><title>{escape(f"{s.name}, {cat}: {num(v)} {unit}")}</title></rect>')
            body.append(_text(PLOT_R + 4, y + BAR_H - 3, num(v), size=10))
    zero = x(0.0)
    body.append(f'<line x1="{zero:.1f}" y1="{top - 4}" x2="{zero:.1f}" y2="{height - 18}" stroke="#111827"/>')
    return _svg("bars", title, height, body)


def interval_chart(title: str, unit: str, rows: list[tuple[str, float, float, float]]) -> Markup:
    """One line per row from its 2.5th to its 97.5th percentile, a dot at the median, zero marked."""
    lo = min((r[1] for r in rows), default=0.0)
    hi = max((r[3] for r in rows), default=0.0)
    right = WIDTH - 2 * VALUE_W
    x = _scale(lo, hi, right)
    top, row_h = 26, 22
    height = top + row_h * len(rows) + 20
    body = [_text(0, 14, f"{title} ({unit})", size=12, weight="bold")]
    for i, (label, p2, p50, p97) in enumerate(rows):
        y = top + i * row_h + row_h / 2
        body.append(_text(LABEL_W - 8, y + 4, _clip(label), anchor="end"))
        body.append(f'<line x1="{x(p2):.1f}" y1="{y:.1f}" x2="{x(p97):.1f}" y2="{y:.1f}" stroke="{PALETTE["net"]}" '
                    f'stroke-width="4"><title>{escape(f"{label}: 95 % interval {num(p2)} to {num(p97)} {unit}")}</title></line>')
        body.append(f'<circle cx="{x(p50):.1f}" cy="{y:.1f}" r="4" fill="#111827"/>')
        body.append(_text(right + 6, y + 4, f"{num(p2, 3)} … {num(p97, 3)}", size=10))
    zero = x(0.0)
    body.append(f'<line x1="{zero:.1f}" y1="{top - 4}" x2="{zero:.1f}" y2="{height - 16}" stroke="#111827" stroke-dasharray="3 2"/>')
    return _svg("interval", title, height, body)


def tornado_chart(title: str, unit: str, base: float, rows: list[tuple[str, float, float]]) -> Markup:
    """One-at-a-time sensitivity: for each input, the net at its low and high value around ``base``."""
    values = [base] + [v for r in rows for v in r[1:]]
    right = WIDTH - 2 * VALUE_W
    x = _scale(min(values), max(values), right)
    top, row_h = 38, 20
    height = top + row_h * len(rows) + 20
    body = [_text(0, 14, f"{title} ({unit})", size=12, weight="bold"),
            *_legend([Series("low", "input low", ()), Series("high", "input high", ())], 30)]
    for i, (label, low, high) in enumerate(rows):
        y = top + i * row_h
        body.append(_text(LABEL_W - 8, y + 12, _clip(label), anchor="end"))
        for key, v in (("low", low), ("high", high)):
            x0, x1 = sorted((x(base), x(v)))
            body.append(f'<rect x="{x0:.1f}" y="{y + 2:.1f}" width="{max(x1 - x0, 0.5):.1f}" height="{row_h - 6}" '
                        f'fill="{PALETTE[key]}" fill-opacity="0.85"><title>{escape(f"{label}, {key}: net {num(v)} {unit}")}</title></rect>')
        body.append(_text(right + 6, y + 12, f"{num(low, 3)} / {num(high, 3)}", size=10))
    b = x(base)
    body.append(f'<line x1="{b:.1f}" y1="{top - 4}" x2="{b:.1f}" y2="{height - 16}" stroke="#111827"/>')
    return _svg("tornado", title, height, body)
