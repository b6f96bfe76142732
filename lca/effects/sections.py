"""The ``effects`` and ``deployment`` sections of the JSON result (docs/json-result.md), from a
first-order result and the resolved effects (symbols: lca.effects.model, lca.effects.deployment)."""

from __future__ import annotations

import math
from typing import Any

from lca.core.quantities import common_unit
from lca.effects.deployment import fixed_per_year, scale_series
from lca.effects.model import EffectsModel, break_even_rebound, effect_value
from lca.effects.resolve import ResolvedDeployment, ResolvedEffect
from lca.results import StudyResult
from lca.results.model import Values

TARGET_PHASE = "none"
MECHANISM_WORDS = {"direct_rebound": "direct rebound", "indirect_rebound": "indirect rebound (re-spending)",
                   "induced_demand": "induced demand", "substitution": "substitution", "obsolescence": "obsolescence"}
STATUS_WORDS = {"holds": "holds", "does_not_hold": "does not hold", "cannot_tell": "cannot tell"}


def gross_gain(result: StudyResult) -> dict[str, float]:
    """``G_k = reference_k - target_k``, the target being the AI solution's activities of phase ``none``."""
    ai, ref = result.systems["ai"], result.systems["reference"]
    target = ai.by_phase.get(TARGET_PHASE, {})
    return {k: ref.total[k] - target.get(k, 0.0) for k in result.criteria}


def tree(effects: tuple[ResolvedEffect, ...], gross: dict[str, float]) -> list[dict]:
    """The consequence tree, nested as declared, each effect with ``E_e,k`` per functional unit."""
    nodes: dict[str, dict] = {}
    roots: list[dict] = []
    for e in effects:
        values: dict[str, float] | None = None
        if e.kind != "qualitative":
            values = {k: float(effect_value(e, k, e.magnitude, g)) for k, g in gross.items()}
            if e.kind == "amount":
                values = {k: v for k, v in values.items() if k in e.intensities}
        node = {"id": e.id, "name": e.name, "order": e.order, "mechanism": e.mechanism,
                "sign": "increase" if e.sign > 0 else "decrease", "horizon": e.horizon, "kind": e.kind,
                "value": e.value, "unit": e.unit, "range": list(e.declared_range) if e.declared_range else None,
                "range_source": e.range_source, "backfire": e.backfire, "values": values,
                "intensities": e.intensities or None, "intensity_sources": e.intensity_sources or None,
                "source": e.source, "assumption": e.assumption, "justification": e.justification,
                "description": e.description, "field": e.field, "line": e.line, "effects": []}
        nodes[e.id] = node
        (nodes[e.parent]["effects"] if e.parent is not None and e.parent in nodes else roots).append(node)
    return roots


def _status(net: float, interval: list | None) -> str:
    if interval is not None and interval[0] < 0 < interval[1]:
        return "cannot_tell"
    return "holds" if net < 0 else "does_not_hold"


def _rebound_range(effects: list[ResolvedEffect]) -> tuple[float, float] | None:
    """Lowest and highest declared rebound ``R`` over the fraction effects' declared ranges."""
    fractions = [e for e in effects if e.kind == "fraction"]
    if not fractions or not any(e.declared_range for e in fractions):
        return None
    low = high = 0.0
    for e in fractions:
        lo, hi = e.declared_range or (e.magnitude, e.magnitude)
        low, high = (low + lo, high + hi) if e.sign > 0 else (low - hi, high - lo)
    return low, high


def balances(result: StudyResult, model: EffectsModel, gross: dict[str, float]) -> dict[str, dict]:
    """Per criterion: first-order net, net after higher-order effects, break-even rebound, P(net < 0)."""
    quantified = model.quantified
    first_mc = (result.extras.get("uncertainty") or {}).get("net") or {}
    after_mc = (result.extras.get("effects_uncertainty") or {}).get("net_after_effects") or {}
    verdict = (result.extras.get("verdict") or {}).get("criteria") or {}
    declared = sum(e.sign * e.magnitude for e in quantified if e.kind == "fraction")
    rng = _rebound_range(quantified)
    nets = _net(result)
    out: dict[str, dict[str, Any]] = {}
    for k in result.criteria:
        net = nets[k]
        by_effect = {e.id: float(effect_value(e, k, e.magnitude, gross[k])) for e in quantified}
        others = sum((by_effect[e.id] for e in quantified if e.kind == "amount"), 0.0)
        higher = sum(by_effect.values())
        after = net + higher
        m1, m2 = first_mc.get(k) or {}, after_mc.get(k) or {}
        i1 = [m1["p2_5"], m1["p97_5"]] if m1 else None
        i2 = [m2["p2_5"], m2["p97_5"]] if m2 else None
        status1 = (verdict.get(k) or {}).get("status") or _status(net, i1)
        # a first-order "cannot tell" that no interval explains comes from a data gap: it stays
        gap = status1 == "cannot_tell" and _status(net, i1) != "cannot_tell"
        out[k] = {
            "gross_gain": gross[k], "higher_order": higher, "by_effect": by_effect,
            "first_order": {"net": net, "p_benefit": m1.get("p_benefit"), "interval": i1,
                            "status": status1},
            "after_effects": {"net": after, "p_benefit": m2.get("p_benefit"), "interval": i2,
                              "status": "cannot_tell" if gap else _status(after, i2)},
            "declared_rebound": declared if any(e.kind == "fraction" for e in quantified) else None,
            "rebound_range": list(rng) if rng else None,
            "other_effects": others,
            "break_even_rebound": break_even_rebound(net, others, gross[k]),
        }
        table = [result.systems[key].total[k] for key in ("ai", "reference") if key in result.systems] + [net]
        out[k]["statement"] = statement(out[k], quantified, result.criteria[k].unit, table)
    return out


def _net(result: StudyResult) -> Values:
    """The first-order net balance; a result without a reference system has none (ValueError)."""
    if result.net is None:
        raise ValueError("higher-order effects need the net balance: this result has no reference system")
    return result.net


def _num(x: float) -> str:
    """Three significant digits, thousands separated, no exponent in the usual range: -13,300."""
    if x == 0 or not 1e-3 <= abs(x) < 1e12:
        return f"{x:+.3g}"
    digits = 2 - math.floor(math.log10(abs(x)))
    return f"{round(x, digits):+,.{max(digits, 0)}f}"


def _pct(x: float) -> str:
    return f"{100 * x:.0f} %" if abs(x) >= 0.01 else f"{100 * x:.2g} %"


def statement(row: dict, effects: list[ResolvedEffect], unit: str, table: list[float] | None = None) -> str:
    """"holds at first order; holds up to a 38 % rebound; the literature range for direct rebound is 10–30 %; ...".

    The net after effects is written in the reader's unit of ``table`` (the AI, reference and net
    totals of the criterion, as the summary table of ``lca run`` shows them: tCO2e, not 84,614 kgCO2e)."""
    first = row["first_order"]
    parts = [f"{STATUS_WORDS.get(first['status'], first['status'])} at first order"]
    r_star = row["break_even_rebound"]
    if r_star is None:
        parts.append("no gross gain in the target system, hence no rebound to take it back")
        return "; ".join(parts)  # nothing to take back: rebound and its range say nothing on this criterion
    elif r_star > 0:
        pct = _pct(r_star)
        what = "holds" if first["status"] == "holds" else "its gain would last"
        parts.append(f"{what} up to {'an' if pct.startswith(('8', '11 ', '18 ')) else 'a'} {pct} rebound")
    elif r_star <= 0:
        parts.append("no rebound can be afforded: the gain is gone before any is taken back")
    for e in effects:
        if e.kind == "fraction" and e.declared_range:
            lo, hi = e.declared_range
            what = "literature range" if e.range_source else "declared range"
            parts.append(f"the {what} for {MECHANISM_WORDS[e.mechanism]} is {100 * lo:.0f}–{100 * hi:.0f} %")
    after = row["after_effects"]
    if effects:
        p = f", P(net < 0) = {_pct(after['p_benefit'])}" if after["p_benefit"] is not None else ""
        factor, shown = common_unit(table, unit) if table else (1.0, unit)
        parts.append(f"after higher-order effects the net is {_num(after['net'] * factor)} {shown} per functional unit "
                     f"({STATUS_WORDS[after['status']]}{p})")
    return "; ".join(parts)


def deployment_section(result: StudyResult, dep: ResolvedDeployment, higher: dict[str, float]) -> dict:
    """Per year and cumulative over the horizon, first order and after higher-order effects."""
    ai = result.systems["ai"]
    fixed_ids = sorted({a for fc in dep.fixed_costs for a in fc.activities})
    nets = _net(result)
    costs: list[dict[str, Any]] = []
    for fc in dep.fixed_costs:
        per_event = {k: fc.multiplier * sum(ai.by_activity[a][k] / dep.scales[a] for a in fc.activities)
                     for k in result.criteria}
        costs.append({"id": fc.id, "name": fc.name, "activities": list(fc.activities), "multiplier": fc.multiplier,
                      "years": list(fc.years), "per_event": per_event, "source": fc.source, "assumption": fc.assumption})
    criteria = {}
    for k in result.criteria:
        fixed = fixed_per_year([(c["years"], c["per_event"][k]) for c in costs], dep.horizon)
        per_unit = nets[k] - sum(ai.by_activity[a][k] for a in fixed_ids)
        criteria[k] = {"fixed_per_year": fixed,
                       "first_order": scale_series(fixed, dep.units, per_unit),
                       "after_effects": scale_series(fixed, dep.units, per_unit + higher.get(k, 0.0))}
    amortised = [{"activity": a, "divisor": 1 / s} for a, s in dep.scales.items() if s != 1]
    years = list(range(1, dep.horizon + 1))
    return {"horizon": dep.horizon, "start_year": dep.start_year, "years": years,
            "labels": [str(dep.start_year + t - 1) if dep.start_year else f"year {t}" for t in years],
            "units": list(dep.units), "units_served": sum(dep.units), "source": dep.source,
            "assumption": dep.assumption, "fixed_costs": costs, "fixed_activities": fixed_ids,
            "amortised_over": amortised, "criteria": criteria}
