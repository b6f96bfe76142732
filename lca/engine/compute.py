"""Attribute every result of a study to the exchange that caused it.

The LCA itself is bw2calc's ``MultiLCA`` (one technosphere for both systems, one
characterisation matrix per criterion), built once by :mod:`lca.engine.matrices`. Attribution:
with ``h = cf B`` (the direct score of each activity per unit) and ``s_R = A_RR⁻ᵀ h_R`` (the
cumulative score per unit of each background node, from the background block alone), an exchange
of amount ``a`` from foreground activity ``j`` (supply ``x_j``) to background node ``k``
contributes ``x_j · a · s_k``, and a direct biosphere exchange contributes ``x_j · a · cf_f``.
Summed over the foreground these contributions equal the Brightway score (up to solver
round-off); the total reported is that sum, checked against ``MultiLCA.scores``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from lca.engine.project import BIOSPHERE_DB, dataset_key
from lca.library.background import Library
from lca.study import ResolvedInput, ResolvedStudy
from lca.study.brightway_refs import proxy_code

if TYPE_CHECKING:  # the matrix builder (scipy, Brightway) is imported when a study is computed
    from lca.engine.matrices import StudyMatrices

ATTRIBUTION_RTOL = 1e-6  # Brightway stores amounts in single precision
ROUND_OFF = 1e-12  # solver round-off, relative to the magnitude of the whole solve of a criterion


@dataclass(frozen=True)
class Contribution:
    system: str
    activity: str
    input: ResolvedInput
    supply: float  # amount of the activity per functional unit
    values: dict[str, float]  # criterion -> contribution per functional unit


@dataclass
class ComputeOutput:
    totals: dict[str, dict[str, float]]
    contributions: list[Contribution]
    unit_scores: dict[str, dict[str, float]] = field(default_factory=dict)  # dataset ref -> crit -> per unit
    project: str = ""
    versions: dict[str, str] = field(default_factory=dict)
    matrices: StudyMatrices | None = None  # reused by the uncertainty step (no second MultiLCA)


def compute_study(resolved: ResolvedStudy, library: Library, data_dir: str | Path | None = None) -> ComputeOutput:
    """Build (or reuse) the Brightway project, write the foreground and compute both systems."""
    from lca.engine.matrices import build_matrices

    matrices = build_matrices(resolved, library, data_dir)
    out = attribute(matrices, resolved)
    out.project = matrices.project
    out.versions = dict(matrices.versions)
    out.matrices = matrices
    return out


def attribute(m: StudyMatrices, resolved: ResolvedStudy) -> ComputeOutput:
    """Every exchange's contribution per criterion, and the totals, checked against Brightway's scores."""
    criteria = m.criteria
    cumulative = m.cumulative_scores()  # (criteria, activities): per unit of each background node
    contributions: list[Contribution] = []
    unit_scores: dict[str, dict[str, float]] = {}
    per_unit: dict[tuple[str, str], list[float]] = {}  # (kind, target) -> score per unit, per criterion
    for s, (key, system) in enumerate(resolved.systems.items()):
        supply = m.supply[s]
        for act in system.activities:
            x = float(supply[m.column((m.foreground, f"{key}/{act.id}"))])
            for inp in act.inputs:
                if inp.kind == "activity":
                    continue
                unit = per_unit.get((inp.kind, inp.target))
                if unit is None:
                    unit = per_unit[(inp.kind, inp.target)] = _per_unit(m, resolved, inp, cumulative)
                    if inp.kind == "dataset":
                        unit_scores[inp.target] = dict(zip(criteria, unit))
                values = {c: x * float(inp.amount) * v + 0.0 for c, v in zip(criteria, unit)}  # no -0.0
                contributions.append(Contribution(key, act.id, inp, x, values))
    return ComputeOutput(_checked_totals(m, resolved, contributions), contributions, unit_scores)


def _per_unit(m: StudyMatrices, resolved: ResolvedStudy, inp, cumulative: np.ndarray) -> list[float]:
    """The score per unit of an input's target, per criterion (the same for every exchange to it)."""
    if inp.kind == "dataset":
        values = cumulative[:, m.column(dataset_key(resolved.library, inp.target, m.foreground))]
    elif inp.kind == "brightway":  # the user's own activity (lca.engine.user_proxies)
        values = cumulative[:, m.column((m.foreground, proxy_code(inp.target)))]
    else:
        values = m.flow_factors((BIOSPHERE_DB, inp.target))
    return [float(v) for v in values]


def _checked_totals(m: StudyMatrices, resolved: ResolvedStudy, contributions: list[Contribution]) -> dict:
    """Each system's total: the sum of its contributions (so that every breakdown sums to it exactly).

    It must agree with Brightway's own score, which carries solver round-off (-2e-21 kgSbe for a
    criterion the system does not touch). That round-off grows with the magnitude of the whole
    solve of the criterion, both systems together (one MultiLCA): the tolerance is scaled from it,
    not from the system's own contributions, which are all zero on a criterion it does not touch.
    """
    totals: dict[str, dict[str, float]] = {key: {} for key in resolved.systems}
    for j, c in enumerate(m.criteria):
        scale = max(sum(abs(con.values[c]) for con in contributions), float(np.max(np.abs(m.scores[:, j]))))
        for s, key in enumerate(resolved.systems):
            summed = sum(con.values[c] for con in contributions if con.system == key) + 0.0
            expected = float(m.scores[s, j])
            if not np.isclose(summed, expected, rtol=ATTRIBUTION_RTOL, atol=max(ROUND_OFF * scale, 1e-15)):
                raise RuntimeError(f"attribution of {key}/{c} sums to {summed}, Brightway says {expected}")
            totals[key][c] = summed
    return totals
