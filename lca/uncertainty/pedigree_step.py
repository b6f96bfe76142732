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
                              overrides=None, effects=None):
    """``with_uncertainty`` on the study with its pedigree spreads (same arguments)."""
    spread = with_pedigree_spreads(loaded, library)
    out = with_uncertainty(result, spread, library, iterations, seed, data_dir, resolve(spread, library, overrides),
                           progress, overrides, effects)
    if "uncertainty" not in out.extras:
        return out
    f = load_factors()
    note = {"applied": True, "source": f.source, "year": f.year, "debated": f.debated}
    return replace(out, extras={**out.extras, "uncertainty": {**out.extras["uncertainty"], "pedigree_spreads": note}})
