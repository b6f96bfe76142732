"""Small pydantic building blocks shared by the study and background file models."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from lca.core.vocabulary import parse_unit_processes

SLUG = r"^[a-z0-9][a-z0-9._-]{0,79}$"
Slug = Annotated[str, Field(pattern=SLUG, description="lower-case id: letters, digits, '.', '_', '-'")]


def _non_blank(text: str) -> str:
    if not text.strip():
        raise ValueError("must not be blank")
    return text


NonBlank = Annotated[str, AfterValidator(_non_blank)]


def _unit_text(text: str) -> str:
    from lca.core.units import parse_unit

    parse_unit(text)
    return text


def _unit_processes_text(text: str) -> str:
    parse_unit_processes(text)  # memoised; imported at the top: an import statement here cost more than it
    return text


UnitText = Annotated[str, AfterValidator(_unit_text)]
"""A unit pint knows: ``kWh``, ``kgCO2e``, ``unit``."""
UnitProcesses = Annotated[str, AfterValidator(_unit_processes_text)]
"""ITU unit process(es): ``C1``, ``A+B1``."""


def _not_boolean(value):
    if type(value) is bool:  # bool has no subclasses; isinstance would look up __class__ of every other value
        raise ValueError("expected an amount, got a true/false value (YAML reads yes, no, on, off as "
                         "booleans); write a number with its unit, e.g. \"10 kWh\"")
    return value


Amount = Annotated[
    str | float | int,
    BeforeValidator(_not_boolean),
    Field(description='a number with its unit as text, e.g. "433 MWh"; may use parameter names'),
]


Number = Annotated[float, BeforeValidator(_not_boolean)]
"""A plain number where YAML's yes/no/on/off (booleans) must not read as 1 or 0."""


class Strict(BaseModel):
    """Base of every file model: unknown keys are refused."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)


class Uncertainty(Strict):
    """A distribution around a value (see docs/study-format.md, "Uncertainty").

    - ``lognormal``: ``gsd`` is the geometric standard deviation (> 1); the value is the median;
    - ``normal``: ``sd`` in the value's unit;
    - ``uniform``: ``min``/``max``;
    - ``triangular``: ``min``/``max``, the value is the mode.
    """

    distribution: Literal["lognormal", "normal", "uniform", "triangular"]
    gsd: Number | None = Field(default=None, gt=1)
    sd: Amount | None = None
    min: Amount | None = None
    max: Amount | None = None
    source: str | None = None

    @model_validator(mode="after")
    def _fields_for_distribution(self):
        need = {"lognormal": ("gsd",), "normal": ("sd",), "uniform": ("min", "max"),
                "triangular": ("min", "max")}[self.distribution]
        missing = [n for n in need if getattr(self, n) is None]
        if missing:
            raise ValueError(f"a {self.distribution} distribution needs {', '.join(missing)}")
        return self


def looks_like_url(text: str) -> bool:
    return bool(re.match(r"^https?://", text.strip()))
