"""The uncertainty step of the pipeline: Monte Carlo, sensitivity and break-even of a study.

``uncertainty_sections`` returns the JSON sections ``uncertainty``, ``sensitivity`` and
``break_even`` (docs/json-result.md, docs/uncertainty.md) that the pipeline adds to
``StudyResult.extras``. Monte Carlo and sensitivity run when ``iterations > 0``; break-even runs
whenever the study declares it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np

from lca.library.background import Library
from lca.study import LoadedStudy, ResolvedStudy
from lca.study.amounts import Collector, amount
from lca.core.errors import InputError
from lca.uncertainty.breakeven import break_even_section
from lca.uncertainty.model import _quantity, StudyModel, build_model
from lca.uncertainty.montecarlo import new_seed, run_monte_carlo
from lca.uncertainty.sensitivity import sobol_indices, tornado

SOBOL_MAX_BASE = 1024  # base samples of the Sobol sequence: N (D + 2) evaluations
SOBOL_MAX_EVALUATIONS = 2**20  # N (D + 2) at most: N is lowered (to a power of two) to fit
SOBOL_MIN_BASE = 64
SCREEN_ABOVE = 40  # more inputs than this: screened by the tornado first, Sobol on those that matter
SCREEN_SHARE = 0.01  # an input matters when its swing is at least 1 % of the largest on some criterion


def net_function(model: StudyModel) -> Callable[[dict, int], np.ndarray]:
    """``values, n -> (n, criteria)``: the net (AI - reference), or the AI score without a reference."""
    systems = model.systems

    def evaluate(values: dict, n: int) -> np.ndarray:
        scores = model.scores(values, n)
        if "reference" in systems:
            return scores[:, systems.index("ai"), :] - scores[:, systems.index("reference"), :]
        return scores[:, systems.index("ai"), :]

    return evaluate


def sobol_base(iterations: int, n_inputs: int) -> int:
    """Base samples N of the Sobol sequence: from the iterations, capped so that N (D + 2) fits."""
    n_base = min(SOBOL_MAX_BASE, 2 ** max(6, int(math.log2(max(iterations, 2)))))
    while n_base > SOBOL_MIN_BASE and n_base * (n_inputs + 2) > SOBOL_MAX_EVALUATIONS:
        n_base //= 2
    return n_base


def screened(inputs: list, swings: dict[str, list[dict]]) -> list:
    """The inputs Sobol is computed for: all of them up to SCREEN_ABOVE, else those that matter.

    An input matters when its tornado swing reaches SCREEN_SHARE of the largest swing on some
    criterion; at most SCREEN_ABOVE of them, by their largest share.
    """
    if len(inputs) <= SCREEN_ABOVE:
        return list(inputs)
    share: dict[str, float] = {}
    for rows in swings.values():
        top = max((r["swing"] for r in rows), default=0.0)
        for r in rows:
            if top > 0:
                share[r["name"]] = max(share.get(r["name"], 0.0), r["swing"] / top)
    ranked = sorted((i for i in inputs if share.get(i.name, 0.0) >= SCREEN_SHARE), key=lambda i: -share[i.name])
    return ranked[:SCREEN_ABOVE]


def sensitivity_section(model: StudyModel, iterations: int, seed: int, inputs: list | None = None,
                        evaluate: Callable | None = None, output: str | None = None) -> dict:
    """Sobol indices and tornado per criterion, merged into one list of inputs per criterion.

    By default over the study's inputs and its net; ``inputs``, ``evaluate`` and ``output`` name
    another output (the net after higher-order effects, with the effects' draws among the inputs).
    Above SCREEN_ABOVE inputs the tornado screens first and Sobol covers only the inputs that
    matter (``method.sobol.screening`` says which rule and how many); the others get ``S1`` and
    ``ST`` of null. The base sample size is capped so that ``N (D + 2)`` evaluations fit.
    """
    inputs = model.inputs if inputs is None else inputs
    evaluate = evaluate or net_function(model)
    swings = tornado(inputs, evaluate, model.criteria)
    kept = screened(inputs, swings)
    n_base = sobol_base(iterations, len(kept))
    sobol = sobol_indices(kept, evaluate, model.criteria, n_base, seed)
    sobol_method: dict = {"library": "SALib's estimators (lca.uncertainty.sobol)", "base_samples": n_base,
                          "evaluations": n_base * (len(kept) + 2) if kept else 0, "seed": seed}
    if len(kept) < len(inputs):
        sobol_method["screening"] = {
            "by": "tornado", "inputs": len(inputs), "kept": len(kept),
            "text": (f"{len(inputs)} uncertain inputs: screened one at a time first (tornado); Sobol "
                     f"indices for the {len(kept)} whose swing reaches {SCREEN_SHARE:.0%} of the largest on some "
                     f"criterion (at most {SCREEN_ABOVE}); the others have none")}
    out: dict = {"method": {
        "output": output or ("net" if "reference" in model.systems else "ai"),
        "sobol": sobol_method,
        "tornado": "one at a time, 2.5 % and 97.5 % quantiles (named options: lowest and highest)",
    }}
    empty = {"S1": None, "S1_conf": None, "ST": None, "ST_conf": None}
    for crit in model.criteria:
        by_name = {r["name"]: r for r in sobol[crit]}
        out[crit] = [{"input": r["label"], **r,
                      **{k: by_name.get(r["name"], empty)[k] for k in ("S1", "S1_conf", "ST", "ST_conf")}}
                     for r in swings[crit]]
    return out


def break_even_of(model: StudyModel, loaded: LoadedStudy, base_net: dict[str, float]) -> dict | None:
    declared = loaded.model.break_even
    if declared is None:
        return None
    name = declared.parameter
    quantity = _quantity(model.base.parameters[name])
    unit = str(quantity.units)
    col = Collector(loaded.doc)
    low, high = (float(amount(t, model.base.parameters, col, ("break_even", "range", i), unit, positive=False))
                 for i, t in enumerate(declared.range))
    if col.problems:
        raise InputError(col.problems)
    evaluate = net_function(model)
    # every other input at its deterministic value: only this parameter varies
    return break_even_section(lambda grid: evaluate({f"parameter:{name}": grid}, len(grid)), name,
                              f"{quantity.units:~P}", low, high, float(quantity.magnitude), model.criteria, base_net)


def uncertainty_sections(loaded: LoadedStudy, library: Library, iterations: int, seed: int | None = None,
                         data_dir: str | Path | None = None, resolved: ResolvedStudy | None = None,
                         progress: Callable[[int], None] | None = None, overrides: dict | None = None,
                         effects=None, matrices=None) -> dict:
    """The ``uncertainty``, ``sensitivity`` and ``break_even`` sections (those that apply).

    ``effects`` (an ``lca.effects`` model, passed in by the pipeline) adds ``effects_uncertainty``:
    the net after higher-order effects on the same draws, and its sensitivity.

    ``matrices`` are the deterministic run's (``ComputeOutput.matrices`` of ``resolved``): reused.
    """
    if iterations <= 0 and loaded.model.break_even is None:
        return {}
    model = build_model(loaded, library, data_dir, resolved=resolved, overrides=overrides, matrices=matrices)
    out: dict = {}
    if iterations > 0:
        seed = new_seed() if seed is None else int(seed)
        mc = run_monte_carlo(model, iterations, seed, progress)
        out["uncertainty"] = mc.to_dict()
        out["sensitivity"] = sensitivity_section(model, iterations, seed)
        if effects is not None and "reference" in model.systems:
            from lca.uncertainty.effects_mc import effects_uncertainty

            out["effects_uncertainty"] = effects_uncertainty(model, effects, mc, seed)
    base = model.linear.scores
    if base is None:
        raise ValueError("the linear system carries no deterministic scores")
    systems = model.systems
    if "reference" in systems:
        net = base[systems.index("ai")] - base[systems.index("reference")]
    else:
        net = base[systems.index("ai")]
    be = break_even_of(model, loaded, dict(zip(model.criteria, map(float, net))))
    if be is not None:
        out["break_even"] = be
    return out
