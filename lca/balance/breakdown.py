"""From per-exchange contributions to totals, breakdowns and the net balance.

Each breakdown (by stage, phase, tier, activity) is a sum of the same contributions grouped by
another key, so each sums to the total. ``net = ai - reference`` per criterion.
"""

from __future__ import annotations

from lca.balance.energy import exchange_energies
from lca.library.background import Library
from lca.engine.compute import ComputeOutput
from lca.results import ActivityInfo, CriterionInfo, EnergyResult, ExchangeResult, SystemResult, Values
from lca.study import ResolvedStudy


def _row(into: dict[str, Values], key: str, values: Values) -> Values:
    row = into.get(key)
    if row is None:
        row = into[key] = dict.fromkeys(values, 0.0)
    return row


def system_results(resolved: ResolvedStudy, computed: ComputeOutput, library: Library) -> dict[str, SystemResult]:
    criteria = list(library.criteria)
    out: dict[str, SystemResult] = {}
    energy_of = exchange_energies(library)
    for key, system in resolved.systems.items():
        acts = {a.id: a for a in system.activities}
        by_stage: dict[str, Values] = {}
        by_phase: dict[str, Values] = {}
        by_tier: dict[str, Values] = {}
        by_activity: dict[str, Values] = {a.id: {c: 0.0 for c in criteria} for a in system.activities}
        exchanges = []
        energy = _EnergySums(system.activities)
        for con in computed.contributions:
            if con.system != key:
                continue
            act = acts[con.activity]
            rows = (_row(by_stage, act.stage, con.values), _row(by_phase, act.phase, con.values),
                    _row(by_tier, act.tier, con.values), _row(by_activity, act.id, con.values))
            for c, v in con.values.items():  # each row sums its contributions in their order
                for row in rows:
                    row[c] += v
            inp = con.input
            kwh = energy_of(inp.kind, inp.target, con.supply, float(inp.amount))
            energy.add(act, inp.target, kwh)
            exchanges.append(ExchangeResult(
                act.id, inp.kind, inp.target, inp.label, float(inp.amount), inp.unit, con.supply,
                inp.source, inp.field, inp.line, dict(con.values), kwh))
        out[key] = SystemResult(
            key, system.name, dict(computed.totals[key]), by_stage, by_phase, by_tier, by_activity,
            tuple(ActivityInfo(a.id, a.name, a.unit_processes, a.stage, a.phase, a.tier) for a in system.activities),
            tuple(exchanges), energy.result())
    return out


class _EnergySums:
    """Final energy (kWh per FU) summed by stage, phase, tier and activity (lca.balance.energy)."""

    def __init__(self, activities):
        self.total = 0.0
        self.groups: dict[str, dict[str, float]] = {"stage": {}, "phase": {}, "tier": {}, "activity": {}}
        self.groups["activity"] = {a.id: 0.0 for a in activities}
        self.not_counted: list[str] = []

    def add(self, act, target: str, kwh: float | None) -> None:
        if kwh is None:
            if target not in self.not_counted:
                self.not_counted.append(target)
            kwh = 0.0
        self.total += kwh
        g = self.groups
        for group, key in ((g["stage"], act.stage), (g["phase"], act.phase), (g["tier"], act.tier),
                           (g["activity"], act.id)):
            group[key] = group.get(key, 0.0) + kwh

    def result(self) -> EnergyResult:
        g = self.groups
        return EnergyResult(self.total + 0.0, g["stage"], g["phase"], g["tier"], g["activity"], tuple(self.not_counted))


def net_balance(systems: dict[str, SystemResult]) -> Values | None:
    """``ai - reference`` per criterion; None for a footprint-only study."""
    if "reference" not in systems:
        return None
    ai, ref = systems["ai"].total, systems["reference"].total
    return {c: ai[c] - ref[c] for c in ai}


def criteria_info(library: Library) -> dict[str, CriterionInfo]:
    return {k: CriterionInfo(k, c.name, c.unit) for k, c in library.criteria.items()}


def criterion_source(library: Library, ds, variant: str, crit: str) -> dict | None:
    """Where a dataset variant's value on ``crit`` comes from; None when it has no data on it.

    A variant has data on a criterion through its ``impacts`` or through direct biosphere
    ``flows`` that the criterion characterises (e.g. kg of fossil CO2 for GWP).
    """
    iv = library.impact(ds, variant, crit)
    if iv.amount is not None:
        taken = library.taken_from.get((ds.id, variant, crit))  # a study-local value taken from a library dataset
        return {"source": iv.source, "year": iv.year, **({"from": taken} if taken else {})}
    characterised = {cf.flow for cf in library.factors.get(crit, []) if cf.factor}
    flow_sources = [fa.source for fa in ds.variants[variant].flows if fa.flow in characterised]
    if flow_sources:
        return {"source": "; ".join(dict.fromkeys(flow_sources)), "year": None}
    return None


def dataset_table(resolved: ResolvedStudy, computed: ComputeOutput, library: Library) -> dict[str, dict]:
    """Every background dataset the study uses: per-unit values (via Brightway) and sources."""
    table = {}
    for ref, per_unit in sorted(computed.unit_scores.items()):
        ds, variant = library.dataset(ref)
        sources = {}
        for crit in library.criteria:
            sources[crit] = criterion_source(library, ds, variant, crit)
        table[ref] = {
            "id": ds.id, "variant": variant, "name": ds.name, "kind": ds.kind, "unit": ds.unit,
            "covers": ds.covers, "per_unit": per_unit, "sources": sources,
            "file": library.dataset_files.get(ds.id, ""),
            "origin": "study" if ds.id in library.local else "library",  # study-local, or the background
            "replaces": library.local.get(ds.id),  # the library dataset a study-local one replaces
        }
    return table
