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
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from lca.engine.project import BIOSPHERE_DB, dataset_key
from lca.library.background import Library
from lca.study import ResolvedActivity, ResolvedInput, ResolvedStudy
from lca.study.brightway_refs import proxy_code

if TYPE_CHECKING:  # the matrix builder (scipy, Brightway) is imported when a study is computed
    from lca.engine.matrices import StudyMatrices

ATTRIBUTION_RTOL = 1e-6  # Brightway stores amounts in single precision
ROUND_OFF = 1e-12  # solver round-off, relative to the magnitude of the whole solve of a criterion


@dataclass
class SystemContributions:
    """One system's contributions, one row per input that is not another activity, in the study's
    order (activity by activity, input by input), kept column by column: no record per exchange."""

    activities: list[ResolvedActivity]  # the activity of each row
    positions: list[int]  # the position of that activity in its system
    inputs: list[ResolvedInput]
    amounts: list[float]  # float(input.amount)
    supply: list[float]  # of the row's activity, per functional unit
    values: np.ndarray  # (rows, criteria): x · a · s per functional unit (never -0.0)


@dataclass
class ComputeOutput:
    totals: dict[str, dict[str, float]]
    contributions: dict[str, SystemContributions]  # system -> its contributions
    criteria: list[str] = field(default_factory=list)  # the columns of every ``values``
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
    """Every exchange's contribution per criterion, and the totals, checked against Brightway's scores.

    A contribution is ``x · a · s`` (supply of the activity, amount, score per unit of the target),
    multiplied in that order, for all rows of a system at once: numpy's float64 products are the
    same IEEE operations as Python's, so each value is the one a loop would give.
    """
    units = _UnitScores(m, resolved)
    rows = {key: _rows(m, s, key, system, units) for s, (key, system) in enumerate(resolved.systems.items())}
    table = units.table()
    systems = {key: SystemContributions(acts, positions, inputs, amounts, supply,
                                        _values(supply, amounts, table[which]))
               for key, (acts, positions, inputs, amounts, supply, which) in rows.items()}
    return ComputeOutput(_checked_totals(m, resolved, systems), systems, list(m.criteria), units.unit_scores)


def _rows(m: StudyMatrices, s: int, key: str, system, units: _UnitScores) -> tuple:
    """``(activities, their positions, inputs, amounts, supplies, rows of the unit-score table)`` of
    one system's contributions."""
    columns = [m.column((m.foreground, f"{key}/{act.id}")) for act in system.activities]
    acts, positions, inputs, amounts, supply, which = [], [], [], [], [], []
    for i, (act, x) in enumerate(zip(system.activities, m.supply[s][columns].tolist())):
        for inp in act.inputs:
            if inp.kind == "activity":
                continue
            acts.append(act)
            positions.append(i)
            inputs.append(inp)
            amounts.append(float(inp.amount))
            supply.append(x)
            which.append(units.row(inp))
    return acts, positions, inputs, amounts, supply, np.array(which, dtype=np.intp)


def _values(supply: list[float], amounts: list[float], per_unit: np.ndarray) -> np.ndarray:
    """(rows, criteria): ``x · a · s + 0.0`` (no -0.0), as ``(x * a) * s`` for each row."""
    xa = np.array(supply, dtype=float) * np.array(amounts, dtype=float)
    return xa[:, None] * per_unit + 0.0


class _UnitScores:
    """The score per unit of each exchange target, per criterion, found once per ``(kind, target)``
    (a study of 10,000 activities uses the same few), as rows of one table."""

    def __init__(self, m: StudyMatrices, resolved: ResolvedStudy):
        self.m, self.resolved = m, resolved
        self.cumulative = m.cumulative_scores()  # (criteria, activities): per unit of each background node
        self.index: dict[tuple[str, str], int] = {}
        self.rows: list[list[float]] = []
        self.unit_scores: dict[str, dict[str, float]] = {}

    def row(self, inp: ResolvedInput) -> int:
        key = (inp.kind, inp.target)
        found = self.index.get(key)
        if found is None:
            found = self.index[key] = len(self.rows)
            unit = _per_unit(self.m, self.resolved, inp, self.cumulative)
            self.rows.append(unit)
            if inp.kind == "dataset":
                self.unit_scores[inp.target] = dict(zip(self.m.criteria, unit))
        return found

    def table(self) -> np.ndarray:
        return np.array(self.rows, dtype=float).reshape(len(self.rows), len(self.m.criteria))


def _per_unit(m: StudyMatrices, resolved: ResolvedStudy, inp, cumulative: np.ndarray) -> list[float]:
    """The score per unit of an input's target, per criterion (the same for every exchange to it)."""
    if inp.kind == "dataset":
        values = cumulative[:, m.column(dataset_key(resolved.library, inp.target, m.foreground))]
    elif inp.kind == "brightway":  # the user's own activity (lca.engine.user_proxies)
        values = cumulative[:, m.column((m.foreground, proxy_code(inp.target)))]
    else:
        values = m.flow_factors((BIOSPHERE_DB, inp.target))
    return [float(v) for v in values]


def _checked_totals(m: StudyMatrices, resolved: ResolvedStudy, systems: dict[str, SystemContributions]) -> dict:
    """Each system's total: the sum of its contributions (so that every breakdown sums to it exactly).

    It must agree with Brightway's own score, which carries solver round-off (-2e-21 kgSbe for a
    criterion the system does not touch). That round-off grows with the magnitude of the whole
    solve of the criterion, both systems together (one MultiLCA): the tolerance is scaled from it,
    not from the system's own contributions, which are all zero on a criterion it does not touch.
    Sums are Python's ``sum`` over each column in row order, systems in the study's order.
    """
    totals: dict[str, dict[str, float]] = {key: {} for key in resolved.systems}
    columns = {key: systems[key].values.T.tolist() for key in resolved.systems}  # criterion -> rows' values
    for j, c in enumerate(m.criteria):
        every = chain.from_iterable(columns[key][j] for key in resolved.systems)
        scale = max(sum(map(abs, every)), float(np.max(np.abs(m.scores[:, j]))))
        for s, key in enumerate(resolved.systems):
            summed = sum(columns[key][j]) + 0.0
            expected = float(m.scores[s, j])
            if not np.isclose(summed, expected, rtol=ATTRIBUTION_RTOL, atol=max(ROUND_OFF * scale, 1e-15)):
                raise RuntimeError(f"attribution of {key}/{c} sums to {summed}, Brightway says {expected}")
            totals[key][c] = summed
    return totals
