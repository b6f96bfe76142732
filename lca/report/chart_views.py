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


def _by_stage(payload: dict, activities: list[dict], cid: str) -> list[tuple[str, float]]:
    by_activity = payload["systems"]["ai"]["by_activity"]
    totals: dict[str, float] = {}
    for a in activities:
        totals[a["stage"]] = totals.get(a["stage"], 0.0) + by_activity.get(a["id"], {}).get(cid, 0.0)
    order = ["A", "A+B", "B", "C", "D"]
    return sorted(((STAGE_NAMES.get(k, k), v) for k, v in totals.items()),
                  key=lambda kv: next((i for i, k in enumerate(order) if STAGE_NAMES.get(k) == kv[0]), 99))


def criterion_charts(payload: dict, top: int | None = None) -> tuple[CriterionCharts, ...]:
    """The charts of every criterion of a result (see the module docstring); past ``top``
    activities, the by-activity chart shows the ``top`` largest and one bar for the others."""
    systems = payload["systems"]
    comparative = "reference" in systems and payload.get("net") is not None
    activities = service_activities(payload)
    who = "AI service" if comparative else "AI solution"
    histograms = (payload.get("uncertainty") or {}).get("histograms") or {}
    net_u = (payload.get("uncertainty") or {}).get("net") or {}
    out = []
    for cid, crit in payload["criteria"].items():
        unit = f"{crit['unit']}/FU"
        waterfall = None
        if comparative:
            waterfall = charts.waterfall_chart(f"From the reference to the AI solution: {crit['name']}", unit,
                                               systems["reference"]["total"][cid], waterfall_steps(payload, cid),
                                               payload["net"][cid])
        gaps = _no_data(payload, cid)
        rows = [(a["name"] + (" [no data on this criterion]" if a["id"] in gaps else ""),
                 systems["ai"]["by_activity"].get(a["id"], {}).get(cid, 0.0)) for a in activities]
        by_activity = by_stage = None
        if rows:
            total = sum(v for _, v in rows)
            rows, others = top_rows(rows, lambda r: [r[1]], top)
            if others is not None:
                rows.append((f"{others.count} other activities, {others.share_text()} (each one in the JSON "
                             "result, systems.ai.by_activity, and the CSV tables)", others.sums[0]))
            by_activity = charts.bar_chart(f"{who} by activity, on its own scale (total {num(total)}): "
                                           f"{crit['name']}", unit, [r[0] for r in rows],
                                           [charts.Series("service" if comparative else "ai", who,
                                                          tuple(r[1] for r in rows))])
            stages = _by_stage(payload, activities, cid)
            by_stage = charts.bar_chart(f"{who} by life-cycle stage: {crit['name']}", unit, [s[0] for s in stages],
                                        [charts.Series("service" if comparative else "ai", who,
                                                       tuple(s[1] for s in stages))])
        histogram = None
        h = histograms.get(cid)
        if h and h.get("counts"):
            p = (net_u.get(cid) or {}).get("p_benefit")
            note = f"{sum(h['counts'])} iterations" + (f"; P(net < 0) = {pct(p)}" if p is not None else "")
            histogram = charts.histogram_chart(f"Monte Carlo distribution of the net: {crit['name']}", unit,
                                               h["edges"], h["counts"], note)
        out.append(CriterionCharts(cid, crit["name"], waterfall, by_activity, by_stage, histogram))
    return tuple(out)
