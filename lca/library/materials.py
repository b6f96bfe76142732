"""World production of raw materials (``materials/world-production.yaml`` of the library), read through
its model; ``lca.balance.materials`` compares a study's extraction with it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from lca.core import units
from lca.library.background import Library, SourcedValue
from lca.core.errors import InputError, Problem
from lca.core.resources import inventories_dir
from lca.core.models import NonBlank, Strict
from lca.core.validation import problems_from_validation
from lca.core.yamlio import load_yaml

WORLD_PRODUCTION = ("materials", "world-production.yaml")  # under the library root


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

    Without ``path``, the file is the library's own ``materials/world-production.yaml`` (none:
    no figures, an empty mapping). Each entry must name a natural-resource flow of the library measured in a mass unit, and
    give its production as a mass per time ("230000 t/year", "3600 kilotonne/year").
    """
    if path is None:
        path = (library.root or inventories_dir()).joinpath(*WORLD_PRODUCTION)
        if not Path(path).is_file():  # a library of the user's own without world-production figures
            return {}
    doc = load_yaml(path)
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
