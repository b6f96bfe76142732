"""Exchanges to the practitioner's own Brightway activities, and the criteria of their own methods.

In a study file (docs/own-brightway.md):

    background:
      brightway_project: my-ecoinvent            # or: lca run --brightway-project NAME
      methods:                                   # our criterion -> their method, for their activities
        gwp: ["IPCC 2021", "climate change", "GWP 100a"]
      criteria:                                  # criteria of their own, added to ours
        acidification: {method: ["EF v3.1", "acidification", "accumulated exceedance (AE)"]}
    ...
        exchanges:
          - brightway: {database: ecoinvent-3.10-cutoff, name: "market for electricity, low voltage",
                        location: FR}
            amount: "1000 kWh"

This module holds the file models, the matched activities (``UserBackground``, found by
``lca.engine.user_background`` in the user's project) and the resolution of one exchange: the
amount is converted to the activity's own unit (Brightway unit names mapped to pint below).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from pydantic import Field, model_validator

from lca.core import units
from lca.core.models import NonBlank, Slug, Strict

# Brightway's (ecoinvent's) unit names -> pint units of lca.core.units
BRIGHTWAY_UNITS = {
    "kilowatt hour": "kWh", "megawatt hour": "MWh", "watt hour": "Wh", "megajoule": "MJ",
    "kilojoule": "kJ", "gigajoule": "GJ", "kilogram": "kg", "gram": "g", "ton": "t", "tonne": "t",
    "cubic meter": "m**3", "cubic metre": "m**3", "litre": "L", "liter": "L", "square meter": "m**2",
    "square metre": "m**2", "meter": "m", "metre": "m", "kilometer": "km", "kilometre": "km",
    "ton kilometer": "t*km", "tonne kilometer": "t*km", "metric ton*km": "t*km", "person kilometer": "person*km",
    "kilogram kilometer": "kg*km", "hour": "h", "year": "year", "unit": "unit", "item": "item",
    "kilowatt": "kW", "watt": "W", "cubic meter-year": "m**3*year", "square meter-year": "m**2*year",
    "meter-year": "m*year", "kg*day": "kg*day", "standard cubic meter": "Sm3",
}


class BrightwayRef(Strict):
    """An activity of the user's Brightway project: by ``code``, or by its fields (a unique match)."""

    database: NonBlank = Field(description="database of the project, e.g. ecoinvent-3.10-cutoff")
    code: NonBlank | None = Field(default=None, description="the activity's code (unique in the database)")
    name: NonBlank | None = Field(default=None, description="the activity's name, exactly as in Brightway")
    reference_product: NonBlank | None = Field(default=None, alias="reference product",
                                               description="its reference product, to tell activities apart")
    location: NonBlank | None = Field(default=None, description='its location, e.g. "FR", "RER", "GLO"')
    unit: NonBlank | None = Field(default=None, description='its unit as Brightway writes it, e.g. "kilowatt hour"')

    @model_validator(mode="after")
    def _code_or_name(self):
        if (self.code is None) == (self.name is None):
            raise ValueError("give either `code`, or `name` (with `location`, `reference product`, `unit` "
                             "as needed for a unique match)")
        if self.code is not None and any((self.reference_product, self.location, self.unit)):
            raise ValueError("with `code`, leave out `reference product`, `location` and `unit` (the code "
                             "is unique in its database)")
        return self

    def key(self) -> tuple:
        """What identifies the activity asked for (the same exchange gives the same key)."""
        return (self.database, self.code, self.name, self.reference_product, self.location, self.unit)

    def describe(self) -> str:
        fields = {"code": self.code, "name": self.name, "reference product": self.reference_product,
                  "location": self.location, "unit": self.unit}
        return ", ".join(f"{k} {v!r}" for k, v in fields.items() if v is not None)


MethodName = list[NonBlank]


class UserCriterion(Strict):
    """A criterion of the user's own, computed with one of their methods (on their activities only)."""

    method: MethodName = Field(min_length=1, description='their method, e.g. ["EF v3.1", "acidification", ...]')
    name: NonBlank | None = Field(default=None, description="name shown in results (default: the method joined)")


class BackgroundSettings(Strict):
    """The practitioner's own Brightway project that ``brightway:`` exchanges and methods refer to."""

    brightway_project: NonBlank | None = Field(
        default=None, description="project name (overridden by lca run --brightway-project)")
    methods: dict[str, MethodName] = Field(
        default={}, description="our criterion -> their method, used for their activities (gwp: [...])")
    criteria: dict[Slug, UserCriterion] = Field(
        default={}, description="extra criteria of their own: id -> {method, name}")


@dataclass(frozen=True)
class MatchedActivity:
    """An activity found in the user's project, and its per-unit scores (criterion -> value)."""

    target: str  # "<database>:<code>", the exchange's target in results
    database: str
    code: str
    name: str
    product: str | None
    location: str | None
    unit: str  # Brightway's unit name
    pint_unit: str | None  # None when the unit name is not in BRIGHTWAY_UNITS
    per_unit: dict[str, float] = field(default_factory=dict)
    resources: dict[str, float] = field(default_factory=dict)  # biosphere3 UUID -> amount per unit (raw materials)

    @property
    def label(self) -> str:
        return self.name + (f" [{self.location}]" if self.location else "")


@dataclass(frozen=True)
class UserBackground:
    """What a study uses of the user's project: matched activities, methods, and their scores.

    ``methods[c]`` is their method for criterion ``c`` (mapped or extra); an unmapped criterion
    of ours is computed on their inventory with our factors. ``draws`` (iterations, activities,
    criteria) are Monte Carlo draws of their stored uncertainty, in the order of ``activities``.
    """

    project: str
    brightway_dir: str
    matches: dict[tuple, MatchedActivity]  # BrightwayRef.key() -> activity
    methods: dict[str, tuple[str, ...]]
    method_units: dict[str, str]  # criterion -> unit their method records
    extra: dict[str, tuple[str, str]]  # extra criterion id -> (name, unit)
    databases: dict[str, dict]  # database -> metadata kept for provenance (version, modified, ...)
    criteria: tuple[str, ...] = ()  # every criterion scored, in order
    draws: np.ndarray | None = None
    draw_seed: int | None = None

    @property
    def activities(self) -> list[MatchedActivity]:
        return sorted({m.target: m for m in self.matches.values()}.values(), key=lambda m: m.target)


def proxy_code(target: str) -> str:
    """Code, in our foreground database, of the activity standing for the user's ``target``."""
    return f"brightway/{target}"


def brightway_target(ref: BrightwayRef, user: UserBackground | None) -> tuple[MatchedActivity | None, str | None]:
    """(the matched activity, None) or (None, a message saying what to do)."""
    if user is None:
        return None, ("a `brightway:` exchange needs your Brightway project: name it in "
                      "`background: {brightway_project: NAME}` or run `lca run --brightway-project NAME`")
    match = user.matches.get(ref.key())
    if match is None:  # matching reported it already with its candidates; not reached for a valid run
        return None, f"no activity of project {user.project!r} matches {ref.describe()}"
    if match.pint_unit is None:
        known = ", ".join(sorted(BRIGHTWAY_UNITS))
        return None, (f"activity {match.label!r} is per {match.unit or 'no recorded unit'!r}, a unit ai-lca does not know; "
                      f"Brightway units it knows: {known}")
    return match, None


def pint_unit(brightway_unit: str | None) -> str | None:
    """The pint unit of a Brightway unit name (``"kilowatt hour"`` -> ``"kWh"``), None when unknown."""
    if not brightway_unit:
        return None
    text = brightway_unit.strip()
    unit = BRIGHTWAY_UNITS.get(text.lower())
    if unit is None and " " not in text:  # a unit pint reads as it is ("kWh", "kg")
        try:
            units.parse_unit(text)
            unit = text
        except units.UnitError:
            return None
    return unit
