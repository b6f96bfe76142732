"""Pydantic models of the study file (docs/study-format.md is the reference).

A study describes the AI solution (``systems.ai``) and optionally the same function without AI
(``systems.reference``), activity by activity, each tagged with its ITU-T L.1410 unit process,
its AI phase and its equipment tier. Cross-reference rules (unknown datasets, units of the wrong
dimension, ...) are checked in ``lca.study``, where the background library is at hand.
"""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import Field, field_validator, model_validator

from lca.core.models import Amount, NonBlank, Number, Slug, Strict, Uncertainty, UnitProcesses
from lca.core.vocabulary import PHASES, TIERS, parse_unit_processes
from lca.study.brightway_refs import BackgroundSettings, BrightwayRef
from lca.study.effects_schema import Deployment, Effect
from lca.library.background import Dataset, SourcedValue, Variant
from lca.study.goal_schema import Goal, Pedigree, Review

Phase = Literal["data_acquisition", "data_storage", "training", "inference", "none"]
Tier = Literal["terminal", "network", "data_centre", "other"]
assert set(get_args(Phase)) == set(PHASES) and set(get_args(Tier)) == set(TIERS)


class FunctionalUnit(Strict):
    description: NonBlank = Field(description="what one functional unit is, in words")
    quantity: Number = Field(default=1.0, gt=0, description="how many of `unit` one result is for")
    unit: NonBlank = Field(default="functional unit", description='e.g. "building-year", "training run"')


class StudyInfo(Strict):
    id: Slug
    name: NonBlank
    description: str = ""
    functional_unit: FunctionalUnit
    authors: list[str] = []


class Parameter(Strict):
    """A named value used in amounts by its name (e.g. ``gpu_hours * 0.4 kW``).

    Either a ``value`` with its ``source`` (or ``assumption``), or a sourced attribute of a
    background dataset: ``{dataset: datacentre.jean-zay, attribute: pue}``.
    """

    value: Amount | None = None
    dataset: str | None = Field(default=None, description='take the value from this dataset ("id" or "id@variant")')
    attribute: str | None = Field(default=None, description="the dataset attribute to take (pue, tdp, lifetime, ...)")
    source: str | None = None
    assumption: str | None = Field(default=None, description="the analyst's own reasoning, when no source")
    description: str | None = None
    uncertainty: Uncertainty | None = None
    variants: dict[str, Amount] | None = Field(
        default=None, description="named alternative values (one per source), for scenarios and Monte Carlo")
    pedigree: Pedigree | None = Field(default=None, description="data-quality scores of this value (1 best .. 5 worst)")

    @model_validator(mode="after")
    def _value_or_attribute(self):
        from_dataset = self.dataset is not None or self.attribute is not None
        if from_dataset and (self.dataset is None or self.attribute is None):
            raise ValueError("a parameter taken from a dataset needs both `dataset` and `attribute`")
        if from_dataset == (self.value is not None):
            raise ValueError("give either `value` or `dataset` + `attribute` (a sourced dataset attribute)")
        return self

    @model_validator(mode="after")
    def _needs_source_or_assumption(self):
        if self.value is not None and not (self.source or self.assumption):
            raise ValueError("give a `source` (citation) or an `assumption` (your reasoning) for this value")
        return self

    @model_validator(mode="after")
    def _uncertainty_or_variants(self):
        if self.uncertainty is not None and self.variants:
            raise ValueError("give either `uncertainty` (a distribution) or `variants` (named values), not both")
        return self


class Exchange(Strict):
    """One input of an activity: a background dataset, another activity, or a biosphere flow."""

    dataset: str | None = Field(default=None, description='background dataset id, optionally "id@variant"')
    activity: Slug | None = Field(default=None, description="another activity of the same system")
    flow: str | None = Field(default=None, description="biosphere flow: UUID, name, or 'name (compartment)'")
    amount: Amount
    source: str | None = None
    assumption: str | None = None
    uncertainty: Uncertainty | None = None
    note: str | None = None
    brightway: BrightwayRef | None = Field(
        default=None, description="an activity of your own Brightway project (docs/own-brightway.md)")
    # a factory, not default={}: pydantic deep-copies a mutable default for every exchange
    zero: dict[str, NonBlank] = Field(default_factory=dict, description=(
        "criteria on which this exchange rightly contributes nothing, each with the reason "
        '(e.g. {pe: "a raw CO2 flow: its energy is counted elsewhere"}); silences the zero findings'))
    pedigree: Pedigree | None = Field(default=None, description="data-quality scores of this amount (1 best .. 5 worst)")

    @model_validator(mode="after")
    def _one_target_and_a_source(self):
        """Exactly one target, then a source or an assumption unless the target is an activity: one
        validator, not two (each is a call per exchange), the target checked first as before."""
        v = self.__dict__  # pydantic's field values: an attribute read of a model costs ten dict reads
        if bool(v["dataset"]) + bool(v["activity"]) + bool(v["flow"]) + bool(v["brightway"]) != 1:
            targets = [n for n in ("dataset", "activity", "flow", "brightway") if v[n]]
            raise ValueError("an exchange names exactly one of `dataset`, `activity`, `flow` or `brightway`"
                             + (f" (it names {', '.join(targets)})" if targets else ""))
        if v["activity"] is None and not (v["source"] or v["assumption"]):
            raise ValueError("give a `source` (citation) or an `assumption` for this amount")
        return self


class Equipment(Strict):
    """Equipment shared with other work, allocated by use time (docs/methodology.md, §3).

    share = count x hours / (lifetime x utilisation), in units of the equipment dataset.
    """

    dataset: str = Field(description='equipment dataset id, optionally "id@variant"')
    count: Amount = 1
    hours: Amount = Field(description='use time per device for this activity, e.g. "2820 h"')
    lifetime: Amount | None = Field(default=None, description="overrides the dataset's lifetime")
    utilisation: Amount = Field(default=1.0, description="average utilisation over the lifetime (0-1]")
    source: str | None = None
    assumption: str | None = None
    zero: dict[str, NonBlank] = Field(default_factory=dict, description=(
        "criteria on which this equipment rightly contributes nothing, each with the reason"))

    @model_validator(mode="after")
    def _needs_source_or_assumption(self):
        if not (self.source or self.assumption):
            raise ValueError("give a `source` (citation) or an `assumption` for this equipment use")
        return self


class Activity(Strict):
    id: Slug
    name: NonBlank
    stage: UnitProcesses | None = Field(default=None, description="ITU unit process(es): C1, A+B1, D2, ...")
    phase: Phase
    tier: Tier
    description: str | None = None
    exchanges: list[Exchange] = []
    equipment: Equipment | None = None
    amortised_over: Amount | None = Field(
        default=None, description="number of functional units this activity serves (e.g. training runs)")

    @model_validator(mode="after")
    def _has_content(self):
        v = self.__dict__  # pydantic's field values (see Exchange)
        if not v["exchanges"] and v["equipment"] is None:
            raise ValueError("an activity needs `exchanges` or `equipment`")
        if v["exchanges"] and v["equipment"] is not None:
            raise ValueError("put `equipment` and `exchanges` in two activities (they are different stages)")
        if v["stage"] is None and v["equipment"] is None:
            raise ValueError("`stage` is required (ITU unit process such as C1 or A+B1)")
        return self


class NotApplicable(Strict):
    """A unit process declared not applicable to a system, with the reason."""

    justification: NonBlank


class System(Strict):
    name: NonBlank
    description: str = ""
    activities: list[Activity] = Field(min_length=1)
    not_applicable: dict[str, NotApplicable] = {}

    @model_validator(mode="after")
    def _unique_ids(self):
        seen: set[str] = set()
        dup = [a.id for a in self.activities if a.id in seen or seen.add(a.id)]
        if dup:
            raise ValueError(f"duplicate activity id(s): {', '.join(sorted(set(dup)))}")
        return self

    @field_validator("not_applicable")
    @classmethod
    def _na_keys(cls, v):
        for key in v:
            parse_unit_processes(key)
        return v


class Systems(Strict):
    ai: System
    reference: System | None = None


Grade = Literal["a", "b", "c", "d", "e"]
GainEvaluation = Literal["none", "mention", "words", "indirect", "quantitative"]


class ClaimSource(Strict):
    """Where the claim was published: a citation, and a DOI or an http(s) URL when there is one."""

    citation: NonBlank
    doi: str | None = Field(default=None, description='e.g. "10.3390/su14095172" (without https://doi.org/)')
    url: str | None = Field(default=None, description="http(s) address of the publication")

    @field_validator("doi")
    @classmethod
    def _doi(cls, v):
        import re

        if v is not None and not re.match(r"^10\.\d{4,9}/\S+$", v.strip()):
            raise ValueError('a DOI looks like "10.1234/abc" (no "https://doi.org/" prefix)')
        return v if v is None else v.strip()

    @field_validator("url")
    @classmethod
    def _url(cls, v):
        import re

        if v is not None and not re.match(r"^https?://[^\s<>\"]+$", v.strip()):
            raise ValueError("a URL starts with http:// or https:// and has no spaces")
        return v if v is None else v.strip()


class ClaimedGain(Strict):
    """The gain the authors claim, as they state it (docs/methodology.md, "Claims")."""

    value: Number = Field(description="the claimed reduction, as a positive number (20 for '20 % less')")
    unit: NonBlank = Field(description='"%" (relative to the reference) or a unit such as "kWh" or "tCO2e"')
    criterion: NonBlank = Field(description='a criterion id of the study (gwp, adpe, pe) or "energy"')


class ClaimEvidence(Strict):
    """What the claim's authors evaluated: the evidence the a-e grade is assigned from."""

    gain: GainEvaluation = Field(description=(
        "none: no mention of an environmental gain; mention: a general mention; words: a few words, "
        "no quantitative evaluation; indirect: only an indirect estimate; quantitative: the energy or "
        "environmental gain was evaluated"))
    ai_service: list[UnitProcesses] = Field(default=[], description=(
        "ITU unit processes of the AI service's own footprint that the authors counted (C1, C2, A+B1, ...); "
        "empty when they did not count the AI service"))



class Claim(Strict):
    """An "AI for green" claim under review: its source, statement, claimed gain and evidence."""

    source: ClaimSource
    domain: NonBlank = Field(description='e.g. "buildings and cities" (sections of Rolnick et al. 2022)')
    statement: NonBlank = Field(description="the claim, quoted from the source")
    claimed_gain: ClaimedGain | None = None
    evaluated: ClaimEvidence
    grade: Grade | None = Field(default=None, description="the analyst's grade, overriding the tool's")
    justification: str | None = Field(default=None, description="why the analyst set `grade`")

    @model_validator(mode="after")
    def _grade_needs_justification(self):
        if self.grade is not None and not (self.justification or "").strip():
            raise ValueError("an analyst `grade` needs a `justification`")
        return self


class BreakEven(Strict):
    """A scale parameter to scan for the value at which the net balance crosses zero."""

    parameter: str = Field(description="name of a study parameter (inferences served, years deployed, sites)")
    range: tuple[Amount, Amount] = Field(description='lowest and highest value to scan, e.g. ["1e3", "1e9"]')


class Equivalent(Strict):
    """A result expressed in a unit a reader can weigh: total / ``per`` (e.g. people's annual footprints)."""

    name: NonBlank = Field(description='what one unit of the result is, e.g. "person-years of the average footprint"')
    criterion: NonBlank = Field(description="criterion id whose total is expressed (gwp, adpe, pe, ...)")
    per: Amount = Field(description='the size of one such unit, e.g. "5.7 tCO2e/year" or a parameter name')
    system: Literal["ai", "reference"] = "ai"
    source: str | None = None
    assumption: str | None = None

    @model_validator(mode="after")
    def _needs_source_or_assumption(self):
        if not (self.source or self.assumption):
            raise ValueError("give a `source` (citation) or an `assumption` for this equivalent")
        return self


class TakenFrom(Strict):
    """A criterion's value taken from a dataset of the background library, with that dataset's source.

    ``gwp: {from: server.generic@ademe-negaoctet}``: the library dataset's value on this criterion,
    converted to this dataset's unit (docs/study-format.md, "Datasets combined per criterion").
    """

    from_: str = Field(alias="from", description=(
        'a background library dataset, "id" (its default variant) or "id@variant"'))
    note: str | None = None


class LocalVariant(Variant):
    """A variant of a study-local dataset: each criterion's value given, ``no data``, or taken ``from``.

    ``{from: DATASET@VARIANT}`` takes a background library dataset's value (lca.study.combined).
    """

    impacts: dict[str, SourcedValue | TakenFrom | Literal["no data"]] = Field(  # type: ignore[assignment]
        default={}, description=(
            'per criterion: a value with its source, "no data", or {from: DATASET@VARIANT} (a library '
            "dataset's value, cited)"))


class LocalDataset(Dataset):
    """A study-local dataset: the model of the background library (docs/data.md), in the study.

    Referenced like a library dataset (``dataset: ID`` or ``ID@variant``). An id that is also a
    library dataset's is refused unless ``replaces`` names it: the study then uses its own.
    """

    variants: dict[Slug, LocalVariant]  # type: ignore[assignment]
    replaces: str | None = Field(default=None, description=(
        "the library dataset this one replaces in this study (its id, which this dataset must share)"))


class Scenario(Strict):
    """A named set of parameter values and dataset variants (one row of a published table)."""

    description: str | None = None
    parameters: dict[str, Amount] = Field(default={}, description=(
        'parameter name -> value for this scenario, e.g. {energy: "1287 MWh"}'))
    variants: dict[str, Slug] = Field(default={}, description=(
        "dataset id -> the variant every use of it takes in this scenario (parameters read from it too)"))
    source: str | None = None


class Study(Strict):
    study: StudyInfo
    parameters: dict[str, Parameter] = {}
    systems: Systems
    break_even: BreakEven | None = Field(
        default=None, description="scale parameter whose break-even value is reported (docs/uncertainty.md)")
    variant_draws: dict[str, list[Slug]] = Field(
        default={}, description="dataset id -> variants drawn with equal probability in Monte Carlo")
    claim: Claim | None = None
    equivalents: list[Equivalent] = Field(
        default=[], description="results also expressed as multiples of a sourced reference amount")
    background: BackgroundSettings | None = Field(
        default=None, description="your own Brightway project, its methods and criteria (docs/own-brightway.md)")
    deployment: Deployment | None = Field(
        default=None, description="functional units per year over a horizon, fixed costs (docs/methodology.md)")
    effects: list[Effect] = Field(
        default=[], description="the consequence tree of higher-order effects: rebound, induced demand, ...")
    datasets: list[LocalDataset] = Field(default=[], description=(
        "study-local datasets (a paper's own grid factor...), with the model of the background library"))
    scenarios: dict[Slug, Scenario] = Field(default={}, description=(
        "named scenarios, all computed in one run and shown side by side (docs/study-format.md)"))
    goal: Goal | None = Field(default=None, description="goal and scope as ISO 14044 asks them stated")
    review: Review | None = Field(default=None, description="the critical review of the study")
    dataset_pedigree: dict[str, Pedigree] = Field(
        default={}, description='data-quality scores of the library datasets as used here: "id" or "id@variant" -> scores')

    @field_validator("parameters")
    @classmethod
    def _parameter_names(cls, v):
        import keyword
        import re

        for name in v:
            if not re.match(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$", name) or keyword.iskeyword(name):
                raise ValueError(f"parameter name {name!r} must be a plain identifier (letters, digits, _)")
        return v
