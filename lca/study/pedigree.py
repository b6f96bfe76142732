"""Pedigree data-quality scores: the report's data-quality table, and their opt-in conversion into
lognormal spreads for the Monte Carlo (``lca run --pedigree-uncertainty``).

Scores (1 best .. 5 worst on reliability, completeness, temporal, geographical and technological
correlation) may sit on a parameter, an exchange, or a library dataset as the study uses it
(``dataset_pedigree``). The factors ``U`` of inventories/data-quality/pedigree-factors.yaml give
the spread, with ``sigma`` the standard deviation of ln(value):

    sigma^2 = ln(gsd_declared)^2 + sum_i ln(U_i)^2 / 4          GSD = exp(sigma)

(``gsd_declared`` = 1 without a declared lognormal). A value with another declared distribution
keeps it. A dataset's scores become one shared factor (a dimensionless parameter of median 1)
multiplying every use of the dataset, so that both systems draw the same error of the same
dataset: the error of a dataset used by both cancels in the net, as it should.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import yaml

from lca.core.errors import InputError, Problem
from lca.core.resources import inventories_dir
from lca.library.background import Library
from lca.study.datasets import unknown_dataset
from lca.study.goal_schema import PEDIGREE_INDICATORS, Pedigree
from lca.study.model import LoadedStudy
from lca.study.schema import Study

FACTORS_FILE = ("data-quality", "pedigree-factors.yaml")


@dataclass(frozen=True)
class PedigreeFactors:
    factors: dict[str, tuple[float, ...]]  # indicator -> U for scores 1..5
    source: str
    year: int
    debated: str


@lru_cache(maxsize=4)
def load_factors(path: str | None = None) -> PedigreeFactors:
    """The shipped conversion factors (or those of ``path``), checked: five factors >= 1, rising."""
    file = Path(path) if path else inventories_dir().joinpath(*FACTORS_FILE)
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    factors = {k: tuple(float(u) for u in data["factors"][k]) for k in PEDIGREE_INDICATORS}
    for k, row in factors.items():
        if len(row) != 5 or row[0] != 1.0 or any(b < a for a, b in zip(row, row[1:])):
            raise ValueError(f"{file}: factors.{k} must be five factors from 1.0, never decreasing")
    return PedigreeFactors(factors, " ".join(str(data["source"]).split()), int(data["year"]),
                           " ".join(str(data["debated"]).split()))


def pedigree_variance(scores: Pedigree, factors: PedigreeFactors) -> float:
    """sum_i ln(U_i)^2 / 4: the variance of ln(value) the scores add."""
    return sum(math.log(factors.factors[k][getattr(scores, k) - 1]) ** 2 for k in PEDIGREE_INDICATORS) / 4


def pedigree_gsd(scores: Pedigree, factors: PedigreeFactors, declared_gsd: float | None = None) -> float:
    """The geometric standard deviation of the value once its scores' spread is added."""
    base = math.log(declared_gsd) ** 2 if declared_gsd else 0.0
    return math.exp(math.sqrt(base + pedigree_variance(scores, factors)))


def _canonical(ref: str, library: Library) -> str:
    ds, variant = library.dataset(ref)
    return f"{ds.id}@{variant}"


def _scored_values(model: Study):
    """(kind, name, location, pedigree, declared uncertainty) of every scored value of the study."""
    for name, p in model.parameters.items():
        if p.pedigree is not None:
            yield "parameter", name, ("parameters", name), p.pedigree, p.uncertainty, bool(p.variants)
    for key in ("ai", "reference"):
        system = getattr(model.systems, key)
        for i, act in enumerate(system.activities if system else []):
            for j, ex in enumerate(act.exchanges):
                if ex.pedigree is not None:
                    target = ex.dataset or ex.flow or ex.activity
                    yield ("exchange", f"{key} {act.id}: {target}", ("systems", key, "activities", i, "exchanges", j),
                           ex.pedigree, ex.uncertainty, False)
    for ref, scores in model.dataset_pedigree.items():
        yield "dataset", ref, ("dataset_pedigree", ref), scores, None, False


def _treatment(uncertainty, has_variants: bool) -> tuple[str, float | None]:
    """How the Monte Carlo would use the scores: (text, declared gsd)."""
    if has_variants:
        return "named variants kept", None
    if uncertainty is None:
        return "lognormal from the scores", None
    if uncertainty.distribution == "lognormal":
        return f"combined with the declared lognormal (gsd {uncertainty.gsd:g})", uncertainty.gsd
    return f"declared {uncertainty.distribution} distribution kept", None


def data_quality_section(loaded: LoadedStudy, factors: PedigreeFactors | None = None) -> dict | None:
    """The ``data_quality`` JSON section: every scored value with its scores and the spread they
    give; None when nothing is scored."""
    factors = factors or load_factors()
    rows = []
    for kind, name, loc, scores, unc, variants in _scored_values(loaded.model):
        how, declared = _treatment(unc, variants)
        rows.append({"kind": kind, "name": name, "field": ".".join(str(x) for x in loc), "line": loaded.doc.line_of(loc),
                     "scores": {k: getattr(scores, k) for k in PEDIGREE_INDICATORS}, "note": scores.note,
                     "gsd_from_scores": pedigree_gsd(scores, factors),
                     "gsd_in_monte_carlo": None if how.endswith("kept") else pedigree_gsd(scores, factors, declared),
                     "treatment": how})
    if not rows:
        return None
    return {"rows": rows, "factors": {"source": factors.source, "year": factors.year, "debated": factors.debated,
                                      "file": "/".join(("inventories",) + FACTORS_FILE)}}


def check_data_quality(loaded: LoadedStudy, library: Library) -> None:
    """Raise InputError (located) for a ``dataset_pedigree`` key that is not a dataset the study uses."""
    if not loaded.model.dataset_pedigree:
        return  # nothing to check (the used datasets are not needed)
    used = _used_datasets(loaded.model, library)
    problems = []
    for ref in loaded.model.dataset_pedigree:
        loc = ("dataset_pedigree", ref)
        try:
            canonical = _canonical(ref, library)
        except KeyError as exc:
            problems.append(Problem(loaded.path, loaded.doc.line_of(loc), f"dataset_pedigree.{ref}",
                                    unknown_dataset(ref, library, exc)))
            continue
        if canonical not in used and not ("@" not in ref and any(u.startswith(ref + "@") for u in used)):
            problems.append(Problem(loaded.path, loaded.doc.line_of(loc), f"dataset_pedigree.{ref}",
                                    "the study does not use this dataset; score a dataset its exchanges or "
                                    "equipment name"))
    if problems:
        raise InputError(problems)


def _used_datasets(model: Study, library: Library) -> set[str]:
    out = set()
    for key in ("ai", "reference"):
        system = getattr(model.systems, key)
        for act in system.activities if system else []:
            refs = [ex.dataset for ex in act.exchanges if ex.dataset] + ([act.equipment.dataset] if act.equipment else [])
            for ref in refs:
                try:
                    out.add(_canonical(ref, library))
                except KeyError:
                    pass  # resolve reports unknown datasets
    return out


def _lognormal(gsd: float, source: str) -> dict:
    return {"distribution": "lognormal", "gsd": gsd, "source": source}


def _apply(entry: dict, scores: Pedigree, factors: PedigreeFactors, source: str) -> bool:
    """Give ``entry`` (a parameter or exchange dict) the spread of its scores; False when kept as declared."""
    unc = entry.get("uncertainty")
    if entry.get("variants") or (unc and unc["distribution"] != "lognormal"):
        return False
    gsd = pedigree_gsd(scores, factors, unc["gsd"] if unc else None)
    if gsd > 1.0:
        entry["uncertainty"] = _lognormal(gsd, source)
    return True


def with_pedigree_spreads(loaded: LoadedStudy, library: Library,
                          factors: PedigreeFactors | None = None) -> LoadedStudy:
    """The same study with its pedigree scores turned into lognormal spreads (module docstring);
    deterministic values unchanged (every dataset factor has median 1)."""
    factors = factors or load_factors()
    source = f"pedigree scores, factors of {factors.source}"
    data = loaded.model.model_dump()
    for name, param in loaded.model.parameters.items():
        if param.pedigree is not None:
            _apply(data["parameters"][name], param.pedigree, factors, source)
    shared: dict[str, str] = {}  # canonical dataset ref (or bare id) -> factor parameter name
    for ref, scores in loaded.model.dataset_pedigree.items():
        pname = "dq_" + re.sub(r"[^A-Za-z0-9_]", "_", ref)[:60]
        data["parameters"][pname] = {"value": 1, "source": f"data-quality factor of dataset {ref} (median 1)",
                                     "uncertainty": _lognormal(pedigree_gsd(scores, factors), source)}
        shared[ref if "@" not in ref else _canonical(ref, library)] = pname
    for key in ("ai", "reference"):
        system = data["systems"].get(key)
        for act_i, act in enumerate((system or {}).get("activities") or []):
            model_act = getattr(loaded.model.systems, key).activities[act_i]
            for j, ex in enumerate(act.get("exchanges") or []):
                scores = model_act.exchanges[j].pedigree
                if scores is not None:
                    _apply(ex, scores, factors, source)
                factor = _shared_factor(ex.get("dataset"), shared, library)
                if factor:
                    ex["amount"] = f"({ex['amount']}) * {factor}"
            eq = act.get("equipment")
            factor = _shared_factor(eq["dataset"] if eq else None, shared, library)
            if factor:
                eq["count"] = f"({eq['count']}) * {factor}"
    return replace(loaded, model=Study.model_validate(data))


def _shared_factor(ref: str | None, shared: dict[str, str], library: Library) -> str | None:
    if not ref or not shared:
        return None
    canonical = _canonical(ref, library)
    return shared.get(canonical) or shared.get(canonical.partition("@")[0])
