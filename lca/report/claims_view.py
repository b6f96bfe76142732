"""Report views of final energy (``energy``) and of how much of the claimed gain survives
(``verdict.criteria.*.survival``), built from the JSON result like the rest of the context."""

from __future__ import annotations

from dataclasses import dataclass

from lca.core.quantities import common_unit
from lca.core.vocabulary import PHASES, TIERS
from lca.report.summarise import top_rows

GROUPS = (("by_stage", "life-cycle stage"), ("by_phase", "AI phase"), ("by_tier", "equipment tier"),
          ("by_activity", "activity"))


@dataclass(frozen=True)
class EnergyView:
    unit: str  # kWh, MWh or GWh: one unit for the whole section, chosen by the largest total
    totals: tuple[tuple[str, float], ...]  # (system name, value in `unit`)
    net: float | None
    groups: tuple[tuple[str, tuple[tuple[str, tuple[float | None, ...]], ...]], ...]  # (dimension, rows)
    systems: tuple[str, ...]  # system names, the columns of each group
    not_counted: tuple[tuple[str, str], ...]  # (system name, dataset ref)


def energy_view(payload: dict, top: int | None = None) -> EnergyView | None:
    """Final energy per system and its breakdowns, in one reader's unit; None for an older result.
    Past ``top`` activities, the by-activity table keeps the ``top`` largest and one row for the others."""
    systems = {k: s for k, s in payload["systems"].items() if s.get("energy")}
    if not systems:
        return None
    net = (payload.get("energy") or {}).get("net")
    totals = [s["energy"]["total"] for s in systems.values()]
    factor, unit = common_unit(totals + ([net] if net is not None else []), "kWh")
    groups = []
    for dim, title in GROUPS:
        keys = list(dict.fromkeys(g for s in systems.values() for g in s["energy"][dim]))
        rows = [(_label(dim, g), tuple(_scaled(s["energy"][dim].get(g), factor) for s in systems.values()))
                for g in keys]
        if dim == "by_activity":
            rows, others = top_rows(rows, lambda r: r[1], top)
            if others is not None:
                names = [s["name"] for s in systems.values()]
                rows.append((f"{others.count} other activities, {others.share_text(names)} (each one in the JSON "
                             "result, systems.*.energy.by_activity)",
                             others.sums))
        groups.append((title, tuple(rows)))
    missing = tuple((s["name"], ref) for s in systems.values() for ref in s["energy"].get("not_counted", []))
    return EnergyView(unit, tuple((s["name"], t * factor) for s, t in zip(systems.values(), totals)),
                      _scaled(net, factor), tuple(groups), tuple(s["name"] for s in systems.values()), missing)


def _scaled(x: float | None, factor: float) -> float | None:
    return None if x is None else x * factor


def _label(dim: str, key: str) -> str:
    if dim == "by_phase":
        return PHASES.get(key, key)
    if dim == "by_tier":
        return TIERS.get(key, key)
    return key


@dataclass(frozen=True)
class SurvivalRow:
    criterion: str
    name: str
    basis: str  # "claim" | "gain_enabled"
    claimed: float | None  # fraction of the reference
    kept: float | None  # fraction of the reference, once the AI service is counted
    share: float | None  # kept / claimed
    text: str
    is_claim: bool


def survival_rows(payload: dict) -> tuple[SurvivalRow, ...]:
    """One row per judged criterion with a gain claimed or enabled; the claimed criterion first."""
    verdict = payload.get("verdict") or {}
    names = {k: c["name"] for k, c in payload["criteria"].items()}
    names.setdefault("energy", (payload.get("energy") or {}).get("name", "Final energy"))
    rows = []
    for cid, c in (verdict.get("criteria") or {}).items():
        s = c.get("survival") or {}
        if s.get("surviving_share") is None:
            continue
        rows.append(SurvivalRow(cid, names.get(cid, cid), s["basis"], s.get("claimed_fraction"),
                                s.get("with_ai_service_fraction"), s["surviving_share"], s["text"],
                                s["basis"] == "claim"))
    return tuple(sorted(rows, key=lambda r: not r.is_claim))


@dataclass(frozen=True)
class ScenarioView:
    columns: tuple[tuple[str, str], ...]  # (header, unit) per column: AI total (and net) per criterion, energy
    rows: tuple[tuple[str, str, str, tuple[float | None, ...]], ...]  # (name, description, settings, values)


def scenario_view(payload: dict) -> ScenarioView | None:
    """The scenarios side by side, each column in one reader's unit; None without scenarios."""
    section = payload.get("scenarios")
    if not section:
        return None
    rows = {"as written": section["base"], **section["rows"]}
    comparative = payload.get("net") is not None
    measures = [(c, crit["name"], crit["unit"]) for c, crit in payload["criteria"].items()]
    measures.append(("energy", "Final energy", "kWh"))
    columns: list[tuple[str, str]] = []
    values: dict[str, list[float | None]] = {name: [] for name in rows}
    for cid, name, unit in measures:
        for what in (("ai", "net") if comparative else ("ai",)):
            column = [_scenario_value(r, cid, what) for r in rows.values()]
            factor, shown = common_unit(column, unit)
            columns.append((("net: " if what == "net" else "") + name, shown))
            for key, v in zip(rows, column):
                values[key].append(_scaled(v, factor))
    out = []
    for key, r in rows.items():
        settings = "; ".join([f"{k} = {v}" for k, v in (r.get("parameters") or {}).items()]
                             + [f"{k}@{v}" for k, v in (r.get("variants") or {}).items()])
        out.append((key, r.get("description") or "", settings, tuple(values[key])))
    return ScenarioView(tuple(columns), tuple(out))


def _scenario_value(row: dict, cid: str, what: str) -> float | None:
    if what == "net":
        return row.get("energy_net") if cid == "energy" else (row.get("net") or {}).get(cid)
    ai = row["systems"]["ai"]
    return ai.get("energy") if cid == "energy" else ai["total"].get(cid)
