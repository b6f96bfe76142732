"""The report's view of the ``uncertainty``, ``sensitivity`` and ``break_even`` sections of a result
(docs/json-result.md; written by the uncertainty step). Every part is optional."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from lca.report import charts


@dataclass(frozen=True)
class UncertaintyView:
    iterations: int | None
    seed: int | None
    rows: tuple[dict, ...]  # per criterion: name, unit, ai/ref/net percentiles, p_benefit
    chart: Markup | None
    sensitivity: tuple[dict, ...]  # per criterion: name, unit, inputs, tornado chart
    break_even: tuple[tuple[str, str], ...]  # (criterion name, text)
    sobol_note: str | None = None  # how the inputs were screened before Sobol, when they were


def uncertainty_view(payload: dict) -> UncertaintyView | None:
    """The uncertainty, sensitivity and break-even sections of a result, or None when it has none."""
    unc = payload.get("uncertainty")
    sens = payload.get("sensitivity") or {}
    be = payload.get("break_even") or {}
    if not (unc or sens or be):
        return None
    crits = payload["criteria"]
    rows, charts_net = [], []
    sampled = dict(crits)
    if unc and "energy" in ((unc.get("systems") or {}).get("ai") or {}):  # final energy, sampled too
        sampled["energy"] = {"name": "Final energy consumed", "unit": "kWh"}
    for cid, crit in sampled.items():
        if not unc:
            break
        sys_u = {k: (unc.get("systems") or {}).get(k, {}).get(cid) for k in ("ai", "reference")}
        net_u = (unc.get("net") or {}).get(cid)
        rows.append({"name": crit["name"], "unit": crit["unit"], "ai": sys_u["ai"], "reference": sys_u["reference"],
                     "net": net_u, "p_benefit": net_u.get("p_benefit") if net_u else None})
        if net_u:
            charts_net.append(charts.interval_chart(
                f"Net, 95 % interval: {crit['name']}", f"{crit['unit']}/FU",
                [("net (AI − reference)", net_u["p2_5"], net_u["p50"], net_u["p97_5"])]))
    chart = Markup("").join(charts_net) if charts_net else None
    sensitivity = []
    for cid, items in sens.items():
        if cid not in crits or not isinstance(items, list):
            continue
        inputs = [{"name": str(it.get("input") or it.get("name") or it.get("parameter") or "?"),
                   "S1": it.get("S1"), "ST": it.get("ST"),
                   "low": it.get("low", (it.get("tornado") or {}).get("low")),
                   "high": it.get("high", (it.get("tornado") or {}).get("high"))} for it in items if isinstance(it, dict)]
        base = (payload.get("net") or {}).get(cid, payload["systems"]["ai"]["total"][cid])
        torn = [(str(i["name"]), float(i["low"]), float(i["high"])) for i in inputs
                if i["low"] is not None and i["high"] is not None]
        chart_t = charts.tornado_chart(f"Tornado: net {crits[cid]['name']}", f"{crits[cid]['unit']}/FU", base, torn) if torn else None
        sensitivity.append({"name": crits[cid]["name"], "unit": crits[cid]["unit"], "inputs": inputs, "chart": chart_t})
    break_even = []
    for cid, value in be.items():
        if cid not in crits:
            continue
        if isinstance(value, dict):
            text = value.get("text") or ", ".join(f"{k}: {v}" for k, v in value.items())
        else:
            text = str(value)
        break_even.append((crits[cid]["name"], text))
    screening = ((sens.get("method") or {}).get("sobol") or {}).get("screening") or {}
    return UncertaintyView((unc or {}).get("iterations"), (unc or {}).get("seed"), tuple(rows), chart,
                           tuple(sensitivity), tuple(break_even), screening.get("text"))
