"""Hand-written SVG charts (no JavaScript): waterfalls, bars, histograms, intervals and tornados.

Every chart is an ``<svg class="chart" data-chart="KIND">`` whose data marks are
``<rect class="bar" data-value="V">``: a bar's length is ``|V|`` times the chart's scale (the
browser test measures it). Labels never overflow: they are wrapped to the space they have and,
past three lines, shortened with "…" and the full text in an SVG ``<title>`` (shown on hover,
read by screen readers). Text is escaped; numbers are formatted with ``fmt.num``.

Colours are the Okabe–Ito palette (Okabe and Ito 2008, "Color Universal Design"), chosen so that
any two colours drawn in the same chart differ in luminance (they stay apart in grey and for
colour-blind readers; tests/test_report_charts.py checks the contrast); the reference's bars are
also hatched, so the two systems differ by texture as well.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from markupsafe import Markup, escape

from lca.report.fmt import num

WIDTH = 680
LABEL_W = 250
VALUE_W = 100
PLOT_L, PLOT_R = LABEL_W, WIDTH - VALUE_W
FONT = 11
LINE_H = 13
BAR_H = 13
GAP = 9
MAX_LINES = 3
INK = "#1f2937"
FONT_FAMILY = "DejaVu Sans, Verdana, sans-serif"

# Okabe-Ito colours; relative luminance in brackets (WCAG 2 formula)
PALETTE = {
    "ai": "#E69F00",         # orange (0.42): the AI solution, the AI service
    "reference": "#0072B2",  # blue (0.15), hatched: the reference solution
    "gain": "#0072B2",       # blue: the gain enabled in the target system (what the reference burns more)
    "service": "#E69F00",    # orange: parts of the AI service
    "net": "#000000",        # black: the net balance
    "low": "#0072B2",        # tornado: input at its low value
    "high": "#E69F00",       # tornado: input at its high value
    "mc": "#56B4E9",         # sky blue (0.41): Monte Carlo histogram
}
HATCHED = frozenset({"reference"})
# keys drawn side by side in one chart: each pair must stay apart in grey (tested)
USED_TOGETHER = (("ai", "reference"), ("gain", "service"), ("gain", "net"), ("service", "net"),
                 ("low", "high"))


@dataclass(frozen=True)
class Series:
    key: str  # colour key in PALETTE
    name: str
    values: tuple[float, ...]


# ------------------------------------------------------------------ text measuring and wrapping

_NARROW = set("iIl.,:;'|j ·")
_MID = set("frt!()[]/-")
_WIDE = set("mwMW@%…—−×#&+<=>^~")


def text_width(text: str, size: float = FONT, bold: bool = False) -> float:
    """A generous estimate of the drawn width of ``text`` in DejaVu Sans at ``size`` px (checked
    against the font's own advances: never smaller for Latin text and numbers)."""
    units = 0.0
    for ch in text:
        if ch in _NARROW:
            units += 0.36
        elif ch in _MID:
            units += 0.50
        elif ch in _WIDE:
            units += 1.0
        elif ch.isupper():
            units += 0.82
        else:
            units += 0.66
    return units * size * (1.12 if bold else 1.0)


def wrap(text: str, width: float, size: float = FONT, max_lines: int = MAX_LINES,
         bold: bool = False) -> tuple[list[str], bool]:
    """``text`` broken into lines of at most ``width`` px; (lines, shortened) with "…" when cut."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        while text_width(word, size, bold) > width:  # a word longer than the line: break it
            cut = max(1, _fit(word, width - text_width("-", size, bold), size, bold))
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:cut] + "-")
            word = word[cut:]
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold) <= width:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current or not lines:
        lines.append(current)
    if len(lines) <= max_lines:
        return lines, False
    kept = lines[:max_lines]
    last = kept[-1]
    while last and text_width(last + "…", size, bold) > width:
        last = last[:-1].rstrip()
    kept[-1] = last + "…"
    return kept, True


def _fit(word: str, width: float, size: float, bold: bool = False) -> int:
    n = len(word)
    while n > 1 and text_width(word[:n], size, bold) > width:
        n -= 1
    return n


def _label(x: float, y_mid: float, text: str, width: float, anchor: str = "end", size: int = FONT,
           weight: str = "normal", css: str = "label") -> tuple[str, float]:
    """A wrapped label centred on ``y_mid``; (svg, height used). The full text is its <title>."""
    lines, _ = wrap(text, width, size, bold=weight == "bold")
    top = y_mid - (len(lines) - 1) * LINE_H / 2 + size * 0.35
    spans = "".join(f'<tspan x="{x:.1f}" y="{top + i * LINE_H:.1f}">{escape(line)}</tspan>'
                    for i, line in enumerate(lines))
    svg = (f'<g class="{css}"><title>{escape(text)}</title><text font-size="{size}" text-anchor="{anchor}" '
           f'font-weight="{weight}" fill="{INK}">{spans}</text></g>')
    return svg, len(lines) * LINE_H


def _text(x: float, y: float, text: str, anchor: str = "start", size: int = 10, css: str = "value",
          weight: str = "normal") -> str:
    """One line of text (also used by lca/report/effects_view.py)."""
    bold = f' font-weight="{weight}"' if weight != "normal" else ""
    return (f'<text class="{css}" x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}"{bold} '
            f'fill="{INK}">{escape(text)}</text>')


def _title_block(title: str, unit: str) -> tuple[list[str], float]:
    """The chart's heading, wrapped to the chart's width; (svg parts, height used)."""
    text = f"{title} ({unit})"
    lines, _ = wrap(text, WIDTH - 4, 12, max_lines=4, bold=True)
    spans = "".join(f'<tspan x="0" y="{13 + i * 15}">{escape(line)}</tspan>' for i, line in enumerate(lines))
    return ([f'<g class="heading"><title>{escape(text)}</title><text font-size="12" font-weight="bold" '
             f'fill="{INK}">{spans}</text></g>'], len(lines) * 15 + 2)


# ------------------------------------------------------------------ frame, scale, legend, bars

def _uid(kind: str, title: str) -> str:
    return hashlib.sha1(f"{kind}\0{title}".encode()).hexdigest()[:8]


def _svg(kind: str, title: str, height: float, body: list[str], empty: bool = False) -> Markup:
    uid = _uid(kind, title)
    defs = "".join(
        f'<pattern id="hatch-{key}-{uid}" width="5" height="5" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="5" height="5" fill="{PALETTE[key]}"/>'
        f'<line x1="0" y1="0" x2="0" y2="5" stroke="#ffffff" stroke-width="1.6"/></pattern>' for key in sorted(HATCHED))
    mark = ' data-empty="true"' if empty else ""
    head = (f'<svg class="chart" data-chart="{escape(kind)}"{mark} xmlns="http://www.w3.org/2000/svg" '
            f'viewBox="0 0 {WIDTH} {height:.0f}" width="100%" role="img" font-family="{FONT_FAMILY}">'
            f"<title>{escape(title)}</title><defs>{defs}</defs>")
    return Markup(head + "".join(body).replace("__UID__", uid) + "</svg>")


def _fill(key: str) -> str:
    return f"url(#hatch-{key}-__UID__)" if key in HATCHED else PALETTE[key]


def _scale(lo: float, hi: float, left: float = PLOT_L, right: float = PLOT_R):
    """Value -> x position, the range widened to include zero; (function, px per unit)."""
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    if hi == lo:
        hi = lo + 1.0
    k = (right - left) / (hi - lo)
    return (lambda v: left + (v - lo) * k), k


def _bar(x0: float, x1: float, y: float, h: float, key: str, value: float, tip: str) -> str:
    """A horizontal data bar from ``x0`` to ``x1`` encoding ``value`` (its length is |value| x scale)."""
    a, b = sorted((x0, x1))
    return (f'<rect class="bar" data-value="{value!r}" x="{a:.2f}" y="{y:.2f}" width="{max(b - a, 0.5):.2f}" '
            f'height="{h:.2f}" fill="{_fill(key)}" stroke="{INK}" stroke-width="0.4">'
            f"<title>{escape(tip)}</title></rect>")


def _legend(series: list[tuple[str, str]], y: float) -> tuple[list[str], float]:
    """Swatch and name per (key, name), wrapped onto more rows when needed; (svg, height)."""
    out, x, row = [], 0.0, 0
    for key, name in series:
        lines, _ = wrap(name, WIDTH - 40, 10, max_lines=1)
        w = 16 + text_width(lines[0], 10) + 14
        if x > 0 and x + w > WIDTH:
            x, row = 0.0, row + 1
        yy = y + row * (LINE_H + 2)
        out.append(f'<rect class="swatch" x="{x:.1f}" y="{yy - 9:.1f}" width="11" height="11" fill="{_fill(key)}" '
                   f'stroke="{INK}" stroke-width="0.4"/>')
        out.append(f'<g class="legend"><title>{escape(name)}</title>{_text(x + 15, yy, lines[0], css="legend-text")}</g>')
        x += w
    return out, (row + 1) * (LINE_H + 2)


def _zero_line(x: float, top: float, bottom: float, label: str | None = None, dashed: bool = False) -> str:
    dash = ' stroke-dasharray="3 2"' if dashed else ""
    line = f'<line class="zero" x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{bottom:.1f}" stroke="{INK}"{dash}/>'
    if not label:
        return line
    anchor = "end" if x > WIDTH - 60 else ("start" if x < 60 else "middle")
    return line + _text(x, bottom + 11, label, anchor=anchor, size=9, css="axis")


# ------------------------------------------------------------------ charts

def bar_chart(title: str, unit: str, categories: list[str], series: list[Series]) -> Markup:
    """Grouped horizontal bars, one group per category, one bar per series; handles negatives."""
    values = [v for s in series for v in s.values]
    x, _ = _scale(min(values, default=0.0), max(values, default=0.0))
    body, y = _title_block(title, unit)
    if len(series) > 1:
        legend, h = _legend([(s.key, s.name) for s in series], y + 12)
        body += legend
        y += h + 4
    top = y + 4
    y = top
    for i, cat in enumerate(categories):
        group_h = len(series) * BAR_H
        label, label_h = _label(LABEL_W - 8, 0, cat, LABEL_W - 14)
        row_h = max(group_h, label_h) + GAP
        mid = y + row_h / 2
        body.append(f'<g transform="translate(0 {mid:.1f})">{label}</g>')
        y0 = mid - group_h / 2
        for j, s in enumerate(series):
            v = s.values[i]
            yy = y0 + j * BAR_H
            body.append(_bar(x(0.0), x(v), yy, BAR_H - 2, s.key, v, f"{s.name}, {cat}: {num(v)} {unit}"))
            body.append(_text(PLOT_R + 4, yy + BAR_H - 3, num(v)))
        y += row_h
    body.append(_zero_line(x(0.0), top - 2, y))
    return _svg("bars", title, y + 6, body)


def waterfall_chart(title: str, unit: str, reference: float, steps: list[tuple[str, str, float]],
                    net: float) -> Markup:
    """From the reference (zero) to the AI solution: each step ``(key, label, change)`` floats from
    the running total; the last bar is the net (AI − reference), from zero.

    Changes are per functional unit: the target-system gain is negative, each part of the AI
    service positive; their sum is the net.
    """
    running, spans = 0.0, []
    for key, label, change in steps:
        spans.append((key, label, running, running + change, change))
        running += change
    ends = [0.0, net] + [s[3] for s in spans]
    x, _ = _scale(min(ends), max(ends))
    body, y = _title_block(title, unit)
    body.append(_text(0, y + 12, f"change from the reference ({num(reference)} {unit}); negative: better "
                      "than the reference", size=9, css="axis"))
    top = y + 20
    y = top
    rows = spans + [("net", "net: AI solution − reference", 0.0, net, net)]
    for key, label, start, end, change in rows:
        text, label_h = _label(LABEL_W - 8, 0, label, LABEL_W - 14, weight="bold" if key == "net" else "normal")
        row_h = max(BAR_H, label_h) + GAP
        mid = y + row_h / 2
        body.append(f'<g transform="translate(0 {mid:.1f})">{text}</g>')
        body.append(_bar(x(start), x(end), mid - BAR_H / 2, BAR_H, key, change, f"{label}: {num(change)} {unit}"))
        sign = "+" if change > 0 and key != "net" else ""
        body.append(_text(PLOT_R + 4, mid + 4, sign + num(change)))
        if key != "net":  # connector to the next step
            body.append(f'<line x1="{x(end):.1f}" y1="{mid + BAR_H / 2:.1f}" x2="{x(end):.1f}" '
                        f'y2="{mid + row_h / 2 + BAR_H / 2:.1f}" stroke="#6b7280" stroke-dasharray="2 2"/>')
        y += row_h
    body.append(_zero_line(x(0.0), top - 2, y, "reference"))
    return _svg("waterfall", title, y + 16, body)


def histogram_chart(title: str, unit: str, edges: list[float], counts: list[int],
                    note: str | None = None) -> Markup:
    """The Monte Carlo distribution of the net: one vertical bar per bin, zero marked (the axis
    always reaches zero, so the distance of the distribution from zero is seen)."""
    left, right = 40.0, WIDTH - 20.0
    x, _ = _scale(edges[0], edges[-1], left, right)
    body, y = _title_block(title, unit)
    if note:
        body.append(_text(0, y + 12, note, size=9, css="axis"))
        y += 14
    top, plot_h = y + 18, 110.0
    base = top + plot_h
    peak = max(counts) if counts else 1
    for lo, hi, c in zip(edges, edges[1:], counts):
        h = plot_h * c / peak
        x0, x1 = x(lo), x(hi)
        body.append(f'<rect class="bar vbar" data-value="{c}" x="{x0:.2f}" y="{base - h:.2f}" '
                    f'width="{max(x1 - x0, 0.5):.2f}" height="{h:.2f}" fill="{PALETTE["mc"]}" stroke="{INK}" '
                    f'stroke-width="0.3"><title>{escape(f"{num(lo)} to {num(hi)} {unit}: {c} iterations")}'
                    "</title></rect>")
    body.append(f'<line x1="{left:.1f}" y1="{base:.1f}" x2="{right:.1f}" y2="{base:.1f}" stroke="{INK}"/>')
    z = x(0.0)
    body.append(_zero_line(z, top - 6, base + 2, None, dashed=True))
    body.append(_text(z, top - 8, "0", anchor="middle", size=10, css="axis"))
    for v in (edges[0], edges[-1]):
        if abs(x(v) - z) > 40:
            anchor = "start" if x(v) < left + 60 else ("end" if x(v) > right - 60 else "middle")
            body.append(_text(x(v), base + 13, num(v, 3), anchor=anchor, size=9, css="axis"))
    body.append(_text(left - 4, base - plot_h + 8, str(peak), anchor="end", size=9, css="axis"))
    return _svg("histogram", title, base + 22, body)


def interval_chart(title: str, unit: str, rows: list[tuple[str, float, float, float]]) -> Markup:
    """One line per row from its 2.5th to its 97.5th percentile, a dot at the median, zero marked."""
    right = WIDTH - 2 * VALUE_W
    x, _ = _scale(min((r[1] for r in rows), default=0.0), max((r[3] for r in rows), default=0.0), PLOT_L, right)
    body, y = _title_block(title, unit)
    top = y + 4
    y = top
    for label, p2, p50, p97 in rows:
        text, label_h = _label(LABEL_W - 8, 0, label, LABEL_W - 14)
        row_h = max(16, label_h) + 6
        mid = y + row_h / 2
        body.append(f'<g transform="translate(0 {mid:.1f})">{text}</g>')
        body.append(_bar(x(p2), x(p97), mid - 2, 4, "net", p97 - p2,
                         f"{label}: 95 % interval {num(p2)} to {num(p97)} {unit}"))
        body.append(f'<circle cx="{x(p50):.1f}" cy="{mid:.1f}" r="4" fill="{PALETTE["mc"]}" stroke="{INK}"/>')
        body.append(_text(right + 6, mid + 4, f"{num(p2, 3)} … {num(p97, 3)}"))
        y += row_h
    body.append(_zero_line(x(0.0), top - 2, y, "0", dashed=True))
    return _svg("interval", title, y + 16, body)


def tornado_chart(title: str, unit: str, base: float, rows: list[tuple[str, float, float]]) -> Markup:
    """One-at-a-time sensitivity: for each input, the net at its low and high value around ``base``.

    A bar's ``data-value`` is its swing from ``base``."""
    values = [base] + [v for r in rows for v in r[1:]]
    right = WIDTH - 2 * VALUE_W + 20
    lo, hi = min(values), max(values)
    if hi == lo:
        hi = lo + 1.0
    k = (right - PLOT_L) / (hi - lo)

    def x(v):
        return PLOT_L + (v - lo) * k

    body, y = _title_block(title, unit)
    legend, h = _legend([("low", "input at its low value"), ("high", "input at its high value")], y + 12)
    body += legend
    top = y + h + 8
    y = top
    for label, low, high in rows:
        text, label_h = _label(LABEL_W - 8, 0, label, LABEL_W - 14)
        row_h = max(16, label_h) + 6
        mid = y + row_h / 2
        body.append(f'<g transform="translate(0 {mid:.1f})">{text}</g>')
        for key, v in (("low", low), ("high", high)):
            body.append(_bar(x(base), x(v), mid - 6, 12, key, v - base, f"{label}, {key}: net {num(v)} {unit}"))
        body.append(_text(right + 6, mid + 4, f"{num(low, 3)} / {num(high, 3)}"))
        y += row_h
    body.append(_zero_line(x(base), top - 2, y, f"base {num(base, 3)}"))
    return _svg("tornado", title, y + 16, body)


def empty_chart(kind: str, title: str, unit: str, text: str) -> Markup:
    """A chart with nothing to draw (every value 0): its heading and ``text`` saying why, no bars."""
    body, y = _title_block(title, unit)
    lines, _ = wrap(text, WIDTH - 4, FONT, max_lines=4)
    spans = "".join(f'<tspan x="0" y="{y + 14 + i * LINE_H:.1f}">{escape(line)}</tspan>' for i, line in enumerate(lines))
    body.append(f'<g class="empty-note"><title>{escape(text)}</title><text font-size="{FONT}" fill="{INK}">'
                f"{spans}</text></g>")
    return _svg(kind, title, y + 14 + len(lines) * LINE_H, body, empty=True)
