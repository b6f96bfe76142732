"""Final energy in the Monte Carlo: the same draws and the same matrix cells as the criteria.

Final energy (lca.balance.energy) is ``E = Σ x_j · a_kj · e_k`` over the exchanges from foreground
activities ``j`` to datasets ``k``, with ``e_k`` kWh per reference unit of ``k``. In the blocks of
:mod:`lca.uncertainty.linear` that is one more row: ``E = G_E X`` with ``G_E = − e_R A_RF`` (no
direct term: a biosphere flow brings no final energy), so ``energy_system`` is the study's linear
system with ``e_R`` in place of the cumulative scores. Solved with the cells of each iteration
(:meth:`lca.uncertainty.model.StudyModel.evaluate`), an uncertain amount, a sampled parameter, a
drawn variant (its own ``energy_intensity``) or a changed supply moves the energy exactly as it
moves the criteria. Datasets whose final energy is not known count 0, as in the deterministic
total (which lists them in ``energy.not_counted``). Background values' distributions do not
change ``e_k``.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from lca.balance.energy import energy_per_unit
from lca.engine.project import dataset_key
from lca.library.background import Library
from lca.study import ResolvedStudy
from lca.uncertainty.inputs import used_datasets
from lca.uncertainty.linear import LinearSystem

ENERGY = "energy"


def energy_system(linear: LinearSystem, resolved: ResolvedStudy, library: Library) -> LinearSystem:
    """The linear system whose one "criterion" is final energy, kWh per functional unit."""
    e = np.zeros((1, len(linear.background)))
    for ref in used_datasets(resolved):  # the only dataset nodes a foreground cell can reach
        position = linear.background.get(dataset_key(resolved.library, ref, linear.foreground))
        if position is None:
            continue
        ds, variant = library.dataset(ref)
        e[0, position] = energy_per_unit(library, ds, variant) or 0.0  # unknown: not counted, as deterministically
    system = replace(linear, criteria=[ENERGY], H_f=np.zeros((1, len(linear.nodes))), s_r=e, cf={}, scores=None)
    system.scores = (system.G @ system.X0).T  # (systems, 1): the deterministic energy of Brightway's supply
    return system
