"""The report's view of the ``effects`` and ``deployment`` sections (written by ``lca.effects``):
the consequence tree drawn as SVG, the before/after-rebound table, and the cumulative net over the
horizon with the break-even year marked. Hand-written SVG, no script; every text escaped."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from lca.core.quantities import common_unit
from lca.report.chart_views import BOTH, BOTH_WHO, nothing_to_draw
from lca.report.charts import WIDTH, _svg, _text, empty_chart
from lca.report.fmt import num, signed

MECHANISMS = {"direct_rebound": "direct rebound", "indirect_rebound": "indirect rebound (re-spending)",
              "induced_demand": "induced demand", "substitution": "substitution", "obsolescence": "obsolescence"}
HORIZONS = {"short": "short term", "medium": "medium term", "long": "long term"}
STATUS = {"holds": "holds", "does_not_hold": "does not hold", "cannot_tell": "cannot tell"}
COLOURS = {"increase": "#c2410c", "decrease": "#15803d", "root": "#1d4ed8", "qualitative": "#6b7280"}
NODE_H, ROW_H, INDENT = 40, 52, 34
LINES = {"first_order": ("#1d4ed8", "first order"), "after_effects": ("#c2410c", "after higher-order effects")}


@dataclass(frozen=True)
class EffectsView:
    statement: str | None
    tree: Markup | None  # the consequence tree, SVG
    effects: tuple[dict, ...]  # one row per effect, depth first
    balances: tuple[dict, ...]  # per criterion: first order, after effects, break-even rebound, P(net < 0)
    horizon: int | None
    deployment: tuple[dict, ...]  # per criterion: chart, break-even year and scale, at horizon
    fixed_costs: tuple[dict, ...]
    units: tuple[tuple[str, float], ...]  # (year label, functional units)
    amortised: tuple[dict, ...]


def _flatten(nodes: list[dict], depth: int = 1) -> list[tuple[int, dict]]:
    out = []
    for n in nodes:
        out.append((depth, n))
        out.extend(_flatten(n.get("effects") or [], depth + 1))
    return out


def _quantity(e: dict, crit: str, unit: str) -> str:
    if e["kind"] == "qualitative":
        return "qualitative only"
    value = (e.get("values") or {}).get(crit)
    shown = f": {signed(value, 3)} {unit}/FU" if value is not None else ""
    if e["kind"] == "fraction":
        rng = e.get("range")
        span = f" ({100 * rng[0]:.0f}–{100 * rng[1]:.0f} %)" if rng else ""
        return f"{100 * e['value']:.3g} % of the gain{span}{shown}"
    return f"{num(e['value'], 3)} {e.get('unit') or ''} driver{shown}"


def tree_svg(tree: list[dict], root_text: str, crit: str, unit: str) -> Markup:
    """The consequence tree: the enabled gain at the root, each effect indented under its cause."""
    rows = _flatten(tree)
    height = (len(rows) + 1) * ROW_H + 8
    body = [_node(0, 0, "root", "The AI solution replaces the reference (second order)", root_text, False)]
    parents = {0: (0, 0)}  # depth -> (x, y) of the last node drawn at that depth
    for i, (depth, e) in enumerate(rows, start=1):
        x, y = depth * INDENT, i * ROW_H
        px, py = parents[depth - 1]
        stem = px + 12
        body.append(f'<path d="M{stem} {py + NODE_H} V{y + NODE_H / 2} H{x}" fill="none" stroke="#4b5563"/>')
        kind = "qualitative" if e["kind"] == "qualitative" else e["sign"]
        detail = (f"order {e['order']} · {MECHANISMS.get(e['mechanism'], e['mechanism'])} · {e['sign']} · "
                  f"{HORIZONS.get(e['horizon'], e['horizon'])} · {_quantity(e, crit, unit)}")
        body.append(_node(x, y, kind, e["name"], detail, e["kind"] == "qualitative"))
        parents[depth] = (x, y)
    return _svg("consequence-tree", "Consequence tree of the higher-order effects", height, body)


def _node(x: float, y: float, kind: str, title: str, detail: str, dashed: bool) -> str:
    colour = COLOURS[kind]
    dash = ' stroke-dasharray="5 3"' if dashed else ""
    width = WIDTH - x - 2
    clip = lambda t, n: t if len(t) <= n else t[: n - 1] + "…"  # noqa: E731
    limit = int(width / 6.1)
    return (f'<g><rect x="{x + 1}" y="{y + 1}" width="{width:.0f}" height="{NODE_H}" rx="5" fill="#ffffff" '
            f'stroke="{colour}" stroke-width="1.5"{dash}><title>{escape(title)}: {escape(detail)}</title></rect>'
            f'<rect x="{x + 1}" y="{y + 1}" width="5" height="{NODE_H}" fill="{colour}"/>'
            + _text(x + 12, y + 16, clip(title, limit - 2), size=11, weight="bold")
            + _text(x + 12, y + 32, clip(detail, limit), size=10) + "</g>")


def cumulative_chart(title: str, unit: str, labels: list[str], series: dict[str, dict]) -> Markup:
    """Cumulative net per year, one line per balance, zero marked, the break-even year of each marked."""
    values = [v for s in series.values() for v in s["cumulative"]] + [0.0]
    lo, hi = min(values), max(values)
    if hi == lo:
        hi = lo + 1.0
    left, right, top, bottom = 96, WIDTH - 16, 40, 220
    n = len(labels)
    x = (lambda i: left + (right - left) * (i / (n - 1))) if n > 1 else (lambda i: (left + right) / 2)
    y = lambda v: bottom - (v - lo) / (hi - lo) * (bottom - top)  # noqa: E731
    body = [_text(0, 14, f"{title} ({unit})", size=12, weight="bold")]
    lx: float = left
    for key, (colour, name) in LINES.items():
        if key in series:
            body.append(f'<rect x="{lx}" y="21" width="10" height="10" fill="{colour}"/>')
            body.append(_text(lx + 14, 30, name, size=10))
            lx += 40 + 6.2 * len(name)
    for v in (lo, 0.0, hi):
        body.append(_text(left - 6, y(v) + 4, num(v, 3), anchor="end", size=10))
    body.append(f'<line x1="{left}" y1="{y(0):.1f}" x2="{right}" y2="{y(0):.1f}" stroke="#111827"/>')
    for i, label in enumerate(labels):
        if n <= 12 or i % 2 == 0 or i == n - 1:
            body.append(_text(x(i), bottom + 16, label, anchor="middle", size=10))
    for key, (colour, name) in LINES.items():
        s = series.get(key)
        if s is None:
            continue
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(s["cumulative"]))
        body.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2">'
                    f'<title>{escape(name)}</title></polyline>')
        for i, v in enumerate(s["cumulative"]):
            body.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="2.5" fill="{colour}">'
                        f'<title>{escape(f"{labels[i]}, {name}: {num(v)} {unit}")}</title></circle>')
    marks = [(key, s["break_even_year"]) for key, s in series.items() if s.get("break_even_year")]
    for j, (key, year) in enumerate(marks):
        colour, name = LINES[key]
        bx = x(year - 1)
        body.append(f'<line class="break-even" x1="{bx:.1f}" y1="{top}" x2="{bx:.1f}" y2="{bottom}" '
                    f'stroke="{colour}" stroke-dasharray="4 3"/>')
        anchor, tx = ("end", bx - 4) if bx > (left + right) / 2 else ("start", bx + 4)
        body.append(_text(tx, bottom - 8 - 13 * (len(marks) - 1 - j), f"break-even, {name}: {labels[year - 1]}",
                          anchor=anchor, size=10))
    if not marks:
        body.append(_text(right, bottom - 8, "no break-even within the horizon", anchor="end", size=10))
    return _svg("cumulative", title, bottom + 26, body)


def effects_view(payload: dict) -> EffectsView | None:
    """The view of a result's effects and deployment sections, or None when it has neither."""
    fx, dep = payload.get("effects"), payload.get("deployment")
    if not (fx or dep):
        return None
    crits = payload["criteria"]
    balances = []
    for cid, row in ((fx or {}).get("balances") or {}).items():
        first, after = row["first_order"], row["after_effects"]
        k, unit = reader_unit(payload, cid)  # the unit of the statement above the table (lca.effects.sections)
        balances.append({"id": cid, "name": crits[cid]["name"], "unit": unit,
                         "range_applies": row["gross_gain"] > 0,
                         "gross_gain": k * row["gross_gain"], "first": k * first["net"], "p_first": first["p_benefit"],
                         "first_status": STATUS.get(first["status"], first["status"]), "after": k * after["net"],
                         "p_after": after["p_benefit"], "after_status": STATUS.get(after["status"], after["status"]),
                         "higher_order": k * row["higher_order"], "break_even_rebound": row["break_even_rebound"],
                         "rebound_range": row["rebound_range"], "statement": row["statement"]})
    tree: Markup | None = None
    effects: tuple[dict, ...] = ()
    if fx and fx.get("tree"):
        main = next((b for b in balances if b["gross_gain"] > 0), balances[0] if balances else None)
        root = (f"{main['name']}: gross gain {num(main['gross_gain'], 3)} {main['unit']}/FU, first-order net "
                f"{signed(main['first'], 3)}" if main else "")
        tree = tree_svg(fx["tree"], root, main["id"] if main else "", main["unit"] if main else "")
        effects = tuple({**e, "depth": d, "mechanism_label": MECHANISMS.get(e["mechanism"], e["mechanism"]),
                         "horizon_label": HORIZONS.get(e["horizon"], e["horizon"]),
                         "quantity": _quantity(e, main["id"], main["unit"]) if main else ""}
                        for d, e in _flatten(fx["tree"]))
    return EffectsView((fx or {}).get("statement"), tree, effects, tuple(balances), (dep or {}).get("horizon"),
                       _deployment_rows(dep, payload) if dep else (), tuple((dep or {}).get("fixed_costs") or ()),
                       tuple(zip(dep["labels"], dep["units"])) if dep else (), tuple((dep or {}).get("amortised_over") or ()))


def reader_unit(payload: dict, cid: str) -> tuple[float, str]:
    """(factor, unit) of criterion ``cid`` in the reader's unit of its AI, reference and net totals
    (the rung of ``lca run``'s summary table and of the effects statement)."""
    values = [s["total"][cid] for s in payload["systems"].values()] + [(payload.get("net") or {}).get(cid)]
    return common_unit(values, payload["criteria"][cid]["unit"])


def _deployment_rows(dep: dict, payload: dict) -> tuple[dict, ...]:
    crits = payload["criteria"]
    rows = []
    for cid, c in dep["criteria"].items():
        unit = crits[cid]["unit"]
        labels = dep["labels"]
        series = {k: c[k] for k in LINES if k in c}
        title = f"Cumulative net: {crits[cid]['name']}"
        if all(v == 0 for s in series.values() for v in s["cumulative"]):
            chart = empty_chart("cumulative", title, unit, nothing_to_draw(payload, cid, BOTH, BOTH_WHO))
        else:
            chart = cumulative_chart(title, unit, labels, series)
        rows.append({"id": cid, "name": crits[cid]["name"], "unit": unit, "chart": chart,
                     **{f"{k}_{f}": c[k][f] for k in LINES for f in
                        ("break_even_year", "break_even_scale", "at_horizon", "per_functional_unit", "net_per_unit")},
                     "first_order_year_label": _year(c["first_order"]["break_even_year"], labels),
                     "after_effects_year_label": _year(c["after_effects"]["break_even_year"], labels)})
    return tuple(rows)


def _year(year: int | None, labels: list[str]) -> str:
    return labels[year - 1] if year else "not within the horizon"
