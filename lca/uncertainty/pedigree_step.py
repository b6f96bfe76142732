"""Monte Carlo with the study's pedigree scores turned into lognormal spreads (opt-in:
``lca run --pedigree-uncertainty``, ``assess(..., pedigree_uncertainty=True)``).

The deterministic result is untouched; only the uncertainty step sees the study with the spreads
of lca.study.pedigree. The ``uncertainty`` section then says so (``pedigree_spreads``), with the
source of the factors and the caveat that their quantification is debated.
"""

from __future__ import annotations

from dataclasses import replace

from lca.study import resolve
from lca.study.pedigree import load_factors, with_pedigree_spreads
from lca.uncertainty.step import with_uncertainty


def with_pedigree_uncertainty(result, loaded, library, iterations, seed, data_dir, resolved, progress=None,
                              overrides=None, effects=None, effects_builder=None):
    """``with_uncertainty`` on the study with its pedigree spreads (same arguments).

    ``effects_builder(loaded, resolved, library, overrides)`` (``lca.effects.effects_model``)
    rebuilds the higher-order effects on the study with the spreads, whose shared dataset factors
    are parameters the effects must know too; passed in because uncertainty does not import effects.
    """
    spread = with_pedigree_spreads(loaded, library)
    resolved_spread = resolve(spread, library, overrides)
    if effects is not None and effects_builder is not None:
        effects = effects_builder(spread, resolved_spread, library, overrides)
    out = with_uncertainty(result, spread, library, iterations, seed, data_dir, resolved_spread,
                           progress, overrides, effects)
    if "uncertainty" not in out.extras:
        return out
    f = load_factors()
    note = {"applied": True, "source": f.source, "year": f.year, "debated": f.debated}
    return replace(out, extras={**out.extras, "uncertainty": {**out.extras["uncertainty"], "pedigree_spreads": note}})
