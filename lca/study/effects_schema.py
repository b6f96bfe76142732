"""Pydantic models of the ``deployment:`` and ``effects:`` sections of a study file.

``deployment`` says how many functional units the AI service serves in each year of a horizon,
and which of the AI solution's activities are fixed costs (development, training, retraining every
N years) rather than costs per functional unit. ``effects`` is the consequence tree of the
higher-order effects (ITU-T L.1480, L.1801): rebound, induced demand, substitution, obsolescence,
each quantified (a fraction of the gross gain, or an amount through a sourced intensity) or
declared qualitative only with a justification. The method is in ``lca.effects`` and
docs/methodology.md ("Beyond first order"); cross-references (activities, criteria, datasets) and
amounts are checked by ``lca.effects.resolve``.
"""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import Field, field_validator, model_validator

from lca.core.models import Amount, NonBlank, Slug, Strict, Uncertainty

Mechanism = Literal["direct_rebound", "indirect_rebound", "induced_demand", "substitution", "obsolescence"]
Sign = Literal["increase", "decrease"]
TimeHorizon = Literal["short", "medium", "long"]
MECHANISMS = get_args(Mechanism)


def _sourced(model) -> None:
    if not ((model.source or "").strip() or (model.assumption or "").strip()):
        raise ValueError("give a `source` (citation) or an `assumption` (your reasoning) for this value")


class Adoption(Strict):
    """Functional units served per year along a curve, for years 1..horizon.

    - ``linear``: from ``first`` in year 1 to ``last`` in the last year;
    - ``logistic``: ``saturation / (1 + exp(-rate (t - midpoint)))`` in year t.
    """

    curve: Literal["linear", "logistic"]
    first: Amount | None = Field(default=None, description="linear: functional units in year 1")
    last: Amount | None = Field(default=None, description="linear: functional units in the last year")
    saturation: Amount | None = Field(default=None, description="logistic: the ceiling, functional units per year")
    midpoint: float | None = Field(default=None, description="logistic: the year at which half the ceiling is reached")
    rate: float | None = Field(default=None, gt=0, description="logistic: steepness, per year")
    source: str | None = None
    assumption: str | None = None

    @model_validator(mode="after")
    def _fields_for_curve(self):
        need = {"linear": ("first", "last"), "logistic": ("saturation", "midpoint", "rate")}[self.curve]
        missing = [n for n in need if getattr(self, n) is None]
        if missing:
            raise ValueError(f"a {self.curve} adoption curve needs {', '.join(missing)}")
        _sourced(self)
        return self


class FixedCost(Strict):
    """Activities of the AI solution paid once per event (development, training, retraining),
    not per functional unit: at scale they leave the per-unit costs.

    One event costs ``multiplier`` times the activities' inventory for one use (their share per
    functional unit times their ``amortised_over``), in year ``year`` and then every ``every`` years.
    """

    id: Slug
    name: NonBlank
    activities: list[Slug] = Field(min_length=1, description="ids of top-level activities of `systems.ai`")
    multiplier: Amount = Field(default=1, description="one event = multiplier x one use of the activities")
    year: int = Field(default=1, description="year of the first event (1 = the first year of the horizon)")
    every: int | None = Field(default=None, description="repeat every N years (retraining), until the horizon")
    source: str | None = None
    assumption: str | None = None

    @field_validator("year", "every")
    @classmethod
    def _at_least_one(cls, v):
        if v is not None and v < 1:
            raise ValueError("years are counted from 1 (the first year of the horizon): give 1 or more")
        return v

    @model_validator(mode="after")
    def _needs_source_or_assumption(self):
        _sourced(self)
        return self


class Deployment(Strict):
    """How many functional units the AI service serves each year over a horizon, and its fixed costs."""

    horizon: int = Field(description="number of years assessed (1 or more)")
    start_year: int | None = Field(default=None, description="calendar year of year 1, for labels only")
    units_per_year: list[Amount] | None = Field(
        default=None, description="functional units served in each year, one value per year of the horizon")
    adoption: Adoption | None = Field(default=None, description="or: an adoption curve giving the units per year")
    fixed_costs: list[FixedCost] = []
    source: str | None = None
    assumption: str | None = None

    @field_validator("horizon")
    @classmethod
    def _horizon(cls, v):
        if v < 1:
            raise ValueError(f"the horizon must be at least one year (got {v}): a gain at scale is "
                             "counted over the years the service runs")
        if v > 200:
            raise ValueError(f"a horizon of {v} years is beyond any deployment; give 200 years or fewer")
        return v

    @model_validator(mode="after")
    def _units(self):
        if (self.units_per_year is None) == (self.adoption is None):
            raise ValueError("give either `units_per_year` (one value per year) or an `adoption` curve")
        if self.units_per_year is not None and len(self.units_per_year) != self.horizon:
            raise ValueError(f"`units_per_year` has {len(self.units_per_year)} values for a horizon of "
                             f"{self.horizon} years: give one value per year")
        if self.units_per_year is not None:
            _sourced(self)
        late = [f.id for f in self.fixed_costs if f.year > self.horizon]
        if late:
            raise ValueError(f"fixed cost(s) {', '.join(late)} start after the horizon ({self.horizon} years)")
        ids = [f.id for f in self.fixed_costs]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"duplicate fixed cost id(s): {', '.join(dup)}")
        return self


class Intensity(Strict):
    """An impact per unit of an effect's driver, with its source: e.g. ``0.4 kgCO2e/EUR`` re-spent."""

    value: Amount = Field(description='e.g. "0.4 kgCO2e/EUR": the criterion unit per unit of the driver')
    source: str | None = None
    assumption: str | None = None

    @model_validator(mode="after")
    def _needs_source_or_assumption(self):
        _sourced(self)
        return self


class EffectAmount(Strict):
    """An effect quantified as an amount: ``driver`` per functional unit times an intensity, either a
    background dataset's impact per unit (every criterion) or sourced ``intensities`` per criterion."""

    driver: Amount = Field(description='what drives the effect, per functional unit: "120 EUR" re-spent, "30 km" induced')
    dataset: str | None = Field(default=None, description="a background dataset: its impact per unit is the intensity")
    intensities: dict[str, Intensity] = Field(default={}, description="criterion id -> intensity (with its source)")

    @model_validator(mode="after")
    def _one_intensity(self):
        if (self.dataset is None) == (not self.intensities):
            raise ValueError("give either `dataset` (its impact per unit is the intensity) or `intensities` "
                             "(criterion -> sourced value), not both")
        return self


class Effect(Strict):
    """One consequence in the tree of higher-order effects (ITU-T L.1480 consequence tree).

    Quantified by ``fraction`` (of the gross gain the AI enables: ``0.2`` takes back a fifth of it)
    or by ``amount``; or ``qualitative_only: true`` with a ``justification``. ``sign: increase`` adds
    to the net balance (a rebound takes back part of the gain), ``decrease`` lowers it.
    """

    id: Slug
    name: NonBlank
    order: Literal[2, 3] = Field(description="order of the effect (ITU-T L.1480): 2 or 3")
    mechanism: Mechanism
    sign: Sign = Field(description="increase: the effect adds impact (takes back gain); decrease: it removes impact")
    horizon: TimeHorizon = Field(description="when the effect plays out: short (within a year), medium (a few years), long")
    description: str | None = None
    fraction: Amount | None = Field(default=None, description="share of the gross gain, in [0, 1] (above 1 with `backfire`)")
    amount: EffectAmount | None = None
    backfire: bool = Field(default=False, description="declares a rebound above 100 % of the gain (backfire)")
    qualitative_only: bool = Field(default=False, description="not quantified: say why in `justification`")
    justification: str | None = Field(default=None, description="why the effect is not quantified")
    uncertainty: Uncertainty | None = Field(
        default=None, description="distribution of `fraction`, or of `amount.driver`; its source is the literature range")
    source: str | None = None
    assumption: str | None = None
    effects: list[Effect] = Field(default=[], description="consequences of this effect (the next level of the tree)")

    @model_validator(mode="after")
    def _quantified_or_justified(self):
        quantified = [n for n in ("fraction", "amount") if getattr(self, n) is not None]
        if len(quantified) > 1:
            raise ValueError("quantify an effect once: `fraction` of the gross gain or `amount`, not both")
        if self.qualitative_only:
            if quantified:
                raise ValueError("an effect is either quantified or `qualitative_only`, not both")
            if not (self.justification or "").strip():
                raise ValueError("a `qualitative_only` effect needs a `justification`: why it cannot be quantified")
            if self.uncertainty is not None:
                raise ValueError("a `qualitative_only` effect has no value, hence no `uncertainty`")
            return self
        if not quantified:
            raise ValueError("quantify the effect (`fraction` of the gross gain, or `amount` via a sourced "
                             "intensity) or declare `qualitative_only: true` with a `justification`")
        _sourced(self)
        if self.backfire and self.fraction is None:
            raise ValueError("`backfire` qualifies a `fraction` above 1; this effect has no `fraction`")
        return self

    @model_validator(mode="after")
    def _children_order(self):
        lower = [e.id for e in self.effects if e.order < self.order]
        if lower:
            raise ValueError(f"consequence(s) {', '.join(lower)} of an order-{self.order} effect cannot be "
                             f"of a lower order")
        return self
