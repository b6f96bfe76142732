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

from dataclasses import dataclass, replace
from pathlib import Path

from pydantic import ValidationError

from . import units
from .background import INVENTORIES, Library, SourcedValue
from .errors import InputError, Problem
from .models_common import NonBlank, Strict
from .results import StudyResult, SystemResult
from .validation import problems_from_validation
from .yamlio import load_yaml

WORLD_PRODUCTION = INVENTORIES / "materials" / "world-production.yaml"


class MaterialProduction(Strict):
    """World production of one material: the biosphere flow it is extracted as, and the figure."""

    flow: str
    name: NonBlank
    production: SourcedValue


class WorldProductionFile(Strict):
    materials: list[MaterialProduction]


@dataclass(frozen=True)
class Production:
    """World production of one material, in kg per year, with its citation."""

    flow: str
    name: str
    kg_per_year: float
    year: int | None
    source: str


def load_world_production(library: Library, path: Path | str | None = None) -> dict[str, Production]:
    """World production by flow UUID; raise InputError (located) on a bad entry.

    Each entry must name a natural-resource flow of the library measured in a mass unit, and
    give its production as a mass per time ("230000 t/year", "3600 kilotonne/year").
    """
    doc = load_yaml(path or WORLD_PRODUCTION)
    try:
        parsed = WorldProductionFile.model_validate(doc.data)
    except ValidationError as exc:
        raise InputError(problems_from_validation(exc, doc, WorldProductionFile)) from None
    problems: list[Problem] = []
    out: dict[str, Production] = {}
    for i, m in enumerate(parsed.materials):
        loc = ("materials", i)
        flow = library.flows.get(m.flow)
        if flow is None or flow.type != "natural resource" or not units.same_dimension(flow.unit, "kg"):
            problems.append(Problem(doc.path, doc.line_of(loc + ("flow",)), f"materials[{i}].flow",
                                    f"{m.flow} is not a natural-resource flow in kg of inventories/methods"))
            continue
        try:
            kg_per_year = units.convert(units.parse_quantity(m.production.value), "kg/year")
        except units.UnitError as exc:
            problems.append(Problem(doc.path, doc.line_of(loc + ("production", "value")),
                                    f"materials[{i}].production.value",
                                    f"{exc}; write a mass per year such as \"230000 t/year\" or \"20000 kilotonne/year\""))
            continue
        if kg_per_year <= 0:
            problems.append(Problem(doc.path, doc.line_of(loc + ("production", "value")),
                                    f"materials[{i}].production.value", "production must be greater than zero"))
            continue
        out[m.flow] = Production(m.flow, m.name, kg_per_year, m.production.year, m.production.source)
    if problems:
        raise InputError(problems)
    return out


def resource_extraction(system: SystemResult, library: Library) -> dict[str, float]:
    """Natural resources extracted per functional unit, by flow UUID, in the flow's unit.

    Direct flows of the study (``flow:`` exchanges) and the flows of the background datasets it
    uses (``flows:`` of a dataset variant), each times the amount consumed per functional unit.
    """
    out: dict[str, float] = {}
    for ex in system.exchanges:
        per_fu = ex.amount * ex.supply
        if ex.kind == "flow":
            pairs = [(ex.target, 1.0)]
        else:
            ds, variant = library.dataset(ex.target)
            pairs = [(fa.flow, units.convert(units.parse_quantity(fa.amount), library.flows[fa.flow].unit))
                     for fa in ds.variants[variant].flows]
        for flow_id, per_unit in pairs:
            flow = library.flows.get(flow_id)
            if flow is not None and flow.type == "natural resource":
                out[flow_id] = out.get(flow_id, 0.0) + per_fu * per_unit
    return out


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
        "systems": {key: years_of_world_production(resource_extraction(s, library), production, library)
                    for key, s in result.systems.items()},
    }


def with_raw_materials(result: StudyResult, library: Library) -> StudyResult:
    """A new result with the ``raw_materials`` section in ``extras`` (the input is untouched)."""
    return replace(result, extras={**result.extras, "raw_materials": raw_materials_section(result, library)})
