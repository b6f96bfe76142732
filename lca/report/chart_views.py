"""The charts of the report, built from a JSON result: made for the question the audit asks.

Per criterion:

- a waterfall from the reference to the AI solution: the gain enabled in the target system
  (reference − target system, negative), then each phase of the AI service (positive), then the
  net (their sum, AI − reference);
- the AI service on its own scale, by activity and by life-cycle stage (in the demo the AI
  service is 233 kgCO2e against 84,614 for the whole AI solution: on one shared scale it would be
  a sliver);
- the Monte Carlo net as a histogram with zero marked (``uncertainty.histograms``), when the
  result has one.

A footprint-only study (no reference) has no waterfall; its by-activity and by-stage charts show
the whole AI solution.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from lca.core.vocabulary import PHASES
from lca.report import charts
from lca.report.fmt import num, pct
from lca.report.summarise import top_rows

NO_AI_PHASE = "none"
STAGE_NAMES = {"A": "A raw materials", "B": "B production", "C": "C use", "D": "D end of life",
               "A+B": "A+B raw materials and production (one figure)"}


@dataclass(frozen=True)
class CriterionCharts:
    criterion: str  # id
    name: str
    waterfall: Markup | None
    by_activity: Markup | None
    by_stage: Markup | None
    histogram: Markup | None


def service_activities(payload: dict) -> list[dict]:
    """The AI solution's activities that the service-scale charts show: those with an AI phase
    (comparative study), or every activity (footprint-only study)."""
    activities = payload["systems"]["ai"].get("activities") or []
    if "reference" not in payload["systems"]:
        return list(activities)
    return [a for a in activities if a.get("phase") != NO_AI_PHASE]


def waterfall_steps(payload: dict, cid: str) -> list[tuple[str, str, float]]:
    """(key, label, change) from the reference to the AI solution on criterion ``cid``."""
    ai, ref = payload["systems"]["ai"], payload["systems"]["reference"]
    target = ai["by_phase"].get(NO_AI_PHASE, {}).get(cid, 0.0)
    steps = [("gain", "gain enabled in the target system (reference − target system)",
              -(ref["total"][cid] - target))]
    for phase, name in PHASES.items():
        if phase != NO_AI_PHASE and phase in ai["by_phase"]:
            steps.append(("service", f"AI service: {name}", ai["by_phase"][phase].get(cid, 0.0)))
    return steps


def _no_data(payload: dict, cid: str) -> set[str]:
    """Ids of the AI solution's activities that use a dataset with no data on ``cid`` (their zero
    is not a measured zero: the chart says so)."""
    datasets = payload.get("datasets") or {}
    return {ex["activity"] for ex in payload["systems"]["ai"].get("exchanges") or []
            if ex.get("kind") == "dataset" and cid in ((datasets.get(ex["target"]) or {}).get("sources") or {})
            and datasets[ex["target"]]["sources"][cid] is None}


def nothing_to_draw(payload: dict, cid: str, systems: tuple[str, ...], who: str,
                    activities: set[str] | None = None) -> str:
    """Why a chart of ``cid`` whose values are all 0 has no bars: "no data" when no dataset the
    ``systems`` (those ``activities`` of them, when given) use has data on it, else a zero; both
    point to the data-gap findings."""
    name = payload["criteria"][cid]["name"]
    datasets = payload.get("datasets") or {}
    used = {ex["target"] for key in systems
            for ex in payload["systems"].get(key, {}).get("exchanges") or []
            if ex.get("kind") == "dataset" and ex.get("target") in datasets
            and (activities is None or ex.get("activity") in activities)}
    if used and all((datasets[t].get("sources") or {}).get(cid) is None for t in used):
        return f"No data on {name} for {who}: every value is 0, nothing to draw (see the data-gap findings)."
    return f"{name} is 0 for {who}: nothing to draw (see the data-gap findings)."


def _all_zero(values) -> bool:
    return all(v == 0 for v in values)


def _by_stage(payload: dict, activities: list[dict], cid: str) -> list[tuple[str, float]]:
    by_activity = payload["systems"]["ai"]["by_activity"]
    totals: dict[str, float] = {}
    for a in activities:
        totals[a["stage"]] = totals.get(a["stage"], 0.0) + by_activity.get(a["id"], {}).get(cid, 0.0)
    order = ["A", "A+B", "B", "C", "D"]
    return sorted(((STAGE_NAMES.get(k, k), v) for k, v in totals.items()),
                  key=lambda kv: next((i for i, k in enumerate(order) if STAGE_NAMES.get(k) == kv[0]), 99))


BOTH = ("ai", "reference")
BOTH_WHO = "the AI solution or the reference"


def criterion_charts(payload: dict, top: int | None = None) -> tuple[CriterionCharts, ...]:
    """The charts of every criterion of a result (see the module docstring); past ``top``
    activities, the by-activity chart shows the ``top`` largest and one bar for the others. A
    chart whose values are all 0 says why instead of drawing empty bars (``nothing_to_draw``)."""
    comparative = "reference" in payload["systems"] and payload.get("net") is not None
    out = []
    for cid, crit in payload["criteria"].items():
        unit = f"{crit['unit']}/FU"
        waterfall = _waterfall(payload, cid, unit) if comparative else None
        by_activity, by_stage = _service_charts(payload, cid, unit, comparative, top)
        out.append(CriterionCharts(cid, crit["name"], waterfall, by_activity, by_stage,
                                   _histogram(payload, cid, unit)))
    return tuple(out)


def _waterfall(payload: dict, cid: str, unit: str) -> Markup:
    title = f"From the reference to the AI solution: {payload['criteria'][cid]['name']}"
    reference, net = payload["systems"]["reference"]["total"][cid], payload["net"][cid]
    steps = waterfall_steps(payload, cid)
    if _all_zero([reference, net] + [s[2] for s in steps]):
        return charts.empty_chart("waterfall", title, unit, nothing_to_draw(payload, cid, BOTH, BOTH_WHO))
    return charts.waterfall_chart(title, unit, reference, steps, net)


def _service_charts(payload: dict, cid: str, unit: str, comparative: bool,
                    top: int | None) -> tuple[Markup | None, Markup | None]:
    """The AI service (AI solution without a reference) by activity and by stage."""
    name = payload["criteria"][cid]["name"]
    activities = service_activities(payload)
    who = "AI service" if comparative else "AI solution"
    gaps = _no_data(payload, cid)
    rows = [(a["name"] + (" [no data on this criterion]" if a["id"] in gaps else ""),
             payload["systems"]["ai"]["by_activity"].get(a["id"], {}).get(cid, 0.0)) for a in activities]
    if not rows:
        return None, None
    if _all_zero(v for _, v in rows):
        note = nothing_to_draw(payload, cid, ("ai",), f"the {who}", {a["id"] for a in activities})
        return charts.empty_chart("bars", f"{who} by activity: {name}", unit, note), None
    total = sum(v for _, v in rows)
    rows, others = top_rows(rows, lambda r: [r[1]], top)
    title = f"{who} by activity, on its own scale (total {num(total)}): {name}"
    if others is not None:  # a short label that fits its three lines; where the rest is, in the heading
        rows.append((f"{others.count} other activities, {others.share_text()}", others.sums[0]))
        title += (f"; the {others.count} other activities one by one: systems.ai.by_activity in the JSON "
                  "result, and the CSV tables")
    key = "service" if comparative else "ai"
    by_activity = charts.bar_chart(title, unit,
                                   [r[0] for r in rows], [charts.Series(key, who, tuple(r[1] for r in rows))])
    stages = _by_stage(payload, activities, cid)
    by_stage = charts.bar_chart(f"{who} by life-cycle stage: {name}", unit, [s[0] for s in stages],
                                [charts.Series(key, who, tuple(s[1] for s in stages))])
    return by_activity, by_stage


def _histogram(payload: dict, cid: str, unit: str) -> Markup | None:
    uncertainty = payload.get("uncertainty") or {}
    h = (uncertainty.get("histograms") or {}).get(cid)
    if not (h and h.get("counts")):
        return None
    title = f"Monte Carlo distribution of the net: {payload['criteria'][cid]['name']}"
    if _all_zero(h["edges"]):  # every iteration's net is 0
        return charts.empty_chart("histogram", title, unit, nothing_to_draw(payload, cid, BOTH, BOTH_WHO))
    p = ((uncertainty.get("net") or {}).get(cid) or {}).get("p_benefit")
    note = f"{sum(h['counts'])} iterations" + (f"; P(net < 0) = {pct(p)}" if p is not None else "")
    return charts.histogram_chart(title, unit, h["edges"], h["counts"], note)
