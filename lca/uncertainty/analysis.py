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
from lca.uncertainty.model import StudyModel, build_model
from lca.uncertainty.montecarlo import new_seed, run_monte_carlo
from lca.uncertainty.sensitivity import sobol_indices, tornado

SOBOL_MAX_BASE = 1024  # base samples of the Sobol sequence: N (D + 2) evaluations


def net_function(model: StudyModel) -> Callable[[dict, int], np.ndarray]:
    """``values, n -> (n, criteria)``: the net (AI - reference), or the AI score without a reference."""
    systems = model.systems

    def evaluate(values: dict, n: int) -> np.ndarray:
        scores = model.scores(values, n)
        if "reference" in systems:
            return scores[:, systems.index("ai"), :] - scores[:, systems.index("reference"), :]
        return scores[:, systems.index("ai"), :]

    return evaluate


def sensitivity_section(model: StudyModel, iterations: int, seed: int, inputs: list | None = None,
                        evaluate: Callable | None = None, output: str | None = None) -> dict:
    """Sobol indices and tornado per criterion, merged into one list of inputs per criterion.

    By default over the study's inputs and its net; ``inputs``, ``evaluate`` and ``output`` name
    another output (the net after higher-order effects, with the effects' draws among the inputs).
    """
    inputs = model.inputs if inputs is None else inputs
    evaluate = evaluate or net_function(model)
    n_base = min(SOBOL_MAX_BASE, 2 ** max(6, int(math.log2(max(iterations, 2)))))
    sobol = sobol_indices(inputs, evaluate, model.criteria, n_base, seed)
    swings = tornado(inputs, evaluate, model.criteria)
    out: dict = {"method": {
        "output": output or ("net" if "reference" in model.systems else "ai"),
        "sobol": {"library": "SALib", "base_samples": n_base,
                  "evaluations": n_base * (len(inputs) + 2) if inputs else 0, "seed": seed},
        "tornado": "one at a time, 2.5 % and 97.5 % quantiles (named options: lowest and highest)",
    }}
    for crit in model.criteria:
        by_name = {r["name"]: r for r in sobol[crit]}
        out[crit] = [{"input": r["label"], **r, **{k: by_name[r["name"]][k] for k in ("S1", "S1_conf", "ST", "ST_conf")}}
                     for r in swings[crit]]
    return out


def break_even_of(model: StudyModel, loaded: LoadedStudy, base_net: dict[str, float]) -> dict | None:
    declared = loaded.model.break_even
    if declared is None:
        return None
    name = declared.parameter
    quantity = model.base.parameters[name]
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
    systems = model.systems
    if "reference" in systems:
        net = base[systems.index("ai")] - base[systems.index("reference")]
    else:
        net = base[systems.index("ai")]
    be = break_even_of(model, loaded, dict(zip(model.criteria, map(float, net))))
    if be is not None:
        out["break_even"] = be
    return out
