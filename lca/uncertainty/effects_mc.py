"""Higher-order effects through the Monte Carlo and the Sobol analysis (docs/uncertainty.md).

The effects model (``lca.effects.EffectsModel``, passed in by the pipeline: this package does not
import ``lca.effects``) supplies the effects' own distributions, drawn here as inputs of kind
``effect``, and the arithmetic ``E = higher_order(G, values)``. Per iteration:

- ``net`` and the reference come from the study's Monte Carlo (the same draws, the same seed);
- the target system (the AI solution's top-level activities of phase ``none``) is solved on the
  same draws with only those activities demanded, giving the gross gain ``G = reference - target``;
- the effects' draws come from their own stream (seed + 1), so that adding an effect leaves the
  first-order draws unchanged;
- ``net after effects = net + E``, whose statistics, P(net < 0), Sobol indices and tornado this
  module reports.
"""

from __future__ import annotations

import numpy as np

from lca.uncertainty.distributions import UncertainInput, has_spread
from lca.uncertainty.model import StudyModel
from lca.uncertainty.montecarlo import BLOCK, MonteCarloResult, interval_verdict, sample, statistics


def effect_inputs(effects) -> list[UncertainInput]:
    """The quantified effects' own distributions as uncertain inputs of kind ``effect``."""
    return [UncertainInput(d.name, d.label, "effect", d.base, d.unit, d.dist)
            for d in effects.draws() if has_spread(d.dist)]


def target_activities(model: StudyModel, phase: str) -> frozenset[str]:
    """Top-level activities of the AI solution with this phase: the target system as the AI changes it."""
    return frozenset(a.id for a in model.base.systems["ai"].activities if a.top_level and a.phase == phase)


def after_effects_function(model: StudyModel, effects):
    """``values, n -> (n, criteria)``: the net after higher-order effects."""
    ai, ref = model.systems.index("ai"), model.systems.index("reference")
    only = target_activities(model, effects.target_phase)

    def evaluate(values: dict, n: int) -> np.ndarray:
        scores = model.scores(values, n)
        gross = scores[:, ref, :] - model.scores(values, n, ai_only=only)[:, ai, :]
        return scores[:, ai, :] - scores[:, ref, :] + effects.higher_order(gross, values, n)

    return evaluate


def effects_uncertainty(model: StudyModel, effects, mc: MonteCarloResult, seed: int) -> dict:
    """The ``effects_uncertainty`` section: net after effects and gross gain per criterion, sensitivity."""
    from lca.uncertainty.analysis import sensitivity_section

    n = mc.iterations
    ai, ref = model.systems.index("ai"), model.systems.index("reference")
    only = target_activities(model, effects.target_phase)
    extra = effect_inputs(effects)
    values = sample(model.inputs, n, seed)  # the Monte Carlo's own draws
    values.update(sample(extra, n, seed + 1))
    gross = np.empty((n, len(model.criteria)))
    for start in range(0, n, BLOCK):
        stop = min(n, start + BLOCK)
        block = {name: v[start:stop] for name, v in values.items()}
        target = model.scores(block, stop - start, ai_only=only)[:, ai, :]
        gross[start:stop] = mc.scores[start:stop, ref, :] - target
    after = mc.net + effects.higher_order(gross, values, n)
    out: dict = {"iterations": n, "seed": seed, "effects_seed": seed + 1, "net_after_effects": {}, "gross_gain": {},
                 "inputs": [{"name": i.name, "label": i.label, "kind": i.kind, "distribution": i.dist.distribution,
                             "base": i.base, "unit": i.unit} for i in extra]}
    for j, crit in enumerate(model.criteria):
        stats = statistics(after[:, j])
        row: dict[str, float | str] = {**stats, "p_benefit": float(np.mean(after[:, j] < 0)),
                                       "verdict": interval_verdict(stats["p2_5"], stats["p97_5"])}
        out["net_after_effects"][crit] = row
        out["gross_gain"][crit] = statistics(gross[:, j])
    out["sensitivity"] = sensitivity_section(model, n, seed, model.inputs + extra, after_effects_function(model, effects),
                                             "net after higher-order effects")
    return out
