"""The study in memory: a validated file (``LoadedStudy``) and the same study resolved to plain
numbers (``ResolvedStudy``), every amount in the unit of what it refers to."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np

from lca.core.distribution import ResolvedUncertainty
from lca.core.yamlio import LoadedYaml
from lca.study.brightway_refs import UserBackground
from lca.library.background import Library
from lca.study.schema import Study


@dataclass(frozen=True)
class LoadedStudy:
    """A validated study file, with its YAML line map and a hash of its bytes."""

    model: Study
    doc: LoadedYaml
    path: str
    sha256: str
    brightway: UserBackground | None = None  # the user's own activities it uses (lca.engine.user_background)


# ResolvedInput and ResolvedActivity are made once per exchange and per activity (200,000 and
# 100,000 of them for a large study). A frozen dataclass's generated __init__ sets each field with
# its own object.__setattr__ call (2.6 µs for ResolvedInput's ten fields); their __init__ below
# sets the instance's dict at once (0.7 µs): the same fields, order and defaults, still frozen
# (tests/test_resolve_fast_paths.py checks them against the generated __init__).
_set = object.__setattr__


@dataclass(frozen=True, init=False)
class ResolvedInput:
    """One input of a resolved activity, ``amount`` in the unit of ``target``."""

    kind: str  # "dataset" | "activity" | "flow"
    target: str  # dataset "id@variant", activity id, or flow UUID
    amount: float | np.ndarray
    unit: str
    source: str | None
    field: str  # where it was declared, e.g. systems.ai.activities[2].exchanges[0]
    line: int | None
    label: str = ""
    uncertainty: ResolvedUncertainty | None = None  # the exchange's own distribution, in `unit`
    # dataclasses.field: the attribute `field` above shadows the name inside this class body
    zero: dict[str, str] = dataclasses.field(default_factory=dict)  # criterion -> why this input rightly contributes 0

    def __init__(self, kind: str, target: str, amount: float | np.ndarray, unit: str, source: str | None,
                 field: str, line: int | None, label: str = "", uncertainty: ResolvedUncertainty | None = None,
                 zero: dict[str, str] | None = None):
        _set(self, "__dict__", {"kind": kind, "target": target, "amount": amount, "unit": unit, "source": source,
                                "field": field, "line": line, "label": label, "uncertainty": uncertainty,
                                "zero": {} if zero is None else zero})


@dataclass(frozen=True, init=False)
class ResolvedActivity:
    id: str
    name: str
    unit_processes: tuple[str, ...]
    stage: str  # stage letters: "C", "A+B"
    phase: str
    tier: str
    scale: float | np.ndarray  # amount of this activity per functional unit (1 / amortised_over)
    inputs: tuple[ResolvedInput, ...]
    top_level: bool  # consumed directly by the system (not only by another activity)
    equipment_share: float | np.ndarray | None = None

    def __init__(self, id: str, name: str, unit_processes: tuple[str, ...], stage: str, phase: str, tier: str,
                 scale: float | np.ndarray, inputs: tuple[ResolvedInput, ...], top_level: bool,
                 equipment_share: float | np.ndarray | None = None):
        _set(self, "__dict__", {"id": id, "name": name, "unit_processes": unit_processes, "stage": stage,
                                "phase": phase, "tier": tier, "scale": scale, "inputs": inputs,
                                "top_level": top_level, "equipment_share": equipment_share})


@dataclass(frozen=True)
class ResolvedSystem:
    key: str  # "ai" | "reference"
    name: str
    activities: tuple[ResolvedActivity, ...]
    not_applicable: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ResolvedEquivalent:
    """One declared equivalent: ``per`` in the criterion's unit per ``unit`` (e.g. kgCO2e per year)."""

    name: str
    criterion: str
    system: str
    per: float
    unit: str  # what total / per is counted in, e.g. "year" ("" when dimensionless)
    source: str | None


@dataclass(frozen=True)
class ResolvedStudy:
    loaded: LoadedStudy
    systems: dict[str, ResolvedSystem]
    parameters: dict[str, object]  # name -> pint Quantity
    uncertain_parameters: dict[str, ResolvedUncertainty] = field(default_factory=dict)  # in each parameter's unit
    equivalents: tuple[ResolvedEquivalent, ...] = ()
    library: Library | None = None  # the library it was resolved against, with its study-local datasets
