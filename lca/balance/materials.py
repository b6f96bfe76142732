"""Raw-material demand in years of world production (the ``raw_materials`` JSON section).

A study that extracts a natural resource (``Cobalt (natural resource, in ground)``, directly or
through a background dataset's flows) is compared with one year of world mine production of
that material, read from ``inventories/materials/world-production.yaml``:

    years_k = m_k / P_k

with ``m_k`` the mass of material k extracted per functional unit (kg) and ``P_k`` the world
mine production (kg per year). It shows stage A (raw material acquisition) in a unit a reader can
weigh: 1.4 years of the world's cobalt is a lot more telling than 4,900 kg Sb-eq.
"""

from __future__ import annotations

from dataclasses import replace

from lca.core import units
from lca.library.background import Library
from lca.library.materials import Production, load_world_production
from lca.results import StudyResult, SystemResult


def resource_extraction(system: SystemResult, library: Library, datasets: dict | None = None) -> dict[str, float]:
    """Natural resources extracted per functional unit, by flow UUID, in the flow's unit.

    Direct flows of the study (``flow:`` exchanges) and the flows of the background datasets it
    uses (``flows:`` of a dataset variant), each times the amount consumed per functional unit;
    for a user's own Brightway activity, its inventory's resources (``datasets[target]["resources"]``).
    """
    out: dict[str, float] = {}
    resources_of: dict[tuple[str, str], list] = {}  # (kind, target) -> its natural resources, found once
    for ex in system.exchanges:
        per_fu = ex.amount * ex.supply
        key = (ex.kind, ex.target)
        pairs = resources_of.get(key)
        if pairs is None:
            pairs = resources_of[key] = _resources(ex.kind, ex.target, library, datasets)
        for flow_id, per_unit in pairs:
            out[flow_id] = out.get(flow_id, 0.0) + per_fu * per_unit
    return out


def _resources(kind: str, target: str, library: Library, datasets: dict | None) -> list[tuple[str, float]]:
    """(natural-resource flow, amount per unit of the target) of one exchange target."""
    if kind == "flow":
        pairs = [(target, 1.0)]
    elif kind == "brightway":
        pairs = list(((datasets or {}).get(target, {}).get("resources") or {}).items())
    else:
        ds, variant = library.dataset(target)
        pairs = [(fa.flow, units.convert(units.parse_quantity(fa.amount), library.flows[fa.flow].unit))
                 for fa in ds.variants[variant].flows]
    return [(flow_id, per_unit) for flow_id, per_unit in pairs
            if (flow := library.flows.get(flow_id)) is not None and flow.type == "natural resource"]


def years_of_world_production(extracted: dict[str, float], production: dict[str, Production],
                              library: Library) -> list[dict]:
    """One row per material with a world-production figure, largest share first.

    ``amount_kg`` per functional unit; ``years_of_world_production`` = amount / production.
    """
    rows = []
    for flow_id, amount in extracted.items():
        prod = production.get(flow_id)
        if prod is None:
            continue
        kg = units.convert(units.Quantity(amount, library.flows[flow_id].unit), "kg")
        rows.append({
            "flow": flow_id, "name": prod.name, "amount_kg": kg,
            "world_production_kg_per_year": prod.kg_per_year,
            "years_of_world_production": kg / prod.kg_per_year,
            "production_year": prod.year, "source": prod.source,
        })
    return sorted(rows, key=lambda r: -abs(r["years_of_world_production"]))


def raw_materials_section(result: StudyResult, library: Library,
                          production: dict[str, Production] | None = None) -> dict:
    """The ``raw_materials`` JSON section: per system, materials in years of world production."""
    production = production if production is not None else load_world_production(library)
    return {
        "unit": "kg per functional unit; years of world mine production",
        "systems": {key: years_of_world_production(resource_extraction(s, library, result.datasets), production,
                                                   library)
                    for key, s in result.systems.items()},
    }


def with_raw_materials(result: StudyResult, library: Library) -> StudyResult:
    """A new result with the ``raw_materials`` section in ``extras`` (the input is untouched)."""
    return replace(result, extras={**result.extras, "raw_materials": raw_materials_section(result, library)})
