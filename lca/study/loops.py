"""Loops of activities that consume each other: refuse the ones that have no solution.

Activity ``i`` consuming ``m_ij`` units of activity ``j`` per unit of itself gives the matrix
``M``; the supplies ``x`` for a demand ``d`` solve ``x = d + Mᵀx``. They are finite and
non-negative only when the spectral radius of ``M`` (the loop factor) is below 1; a loop whose
factor is 1 or more (``a`` needs one ``b`` and ``b`` one ``a``) consumes at least what it
makes and has no solution. Each such loop is reported at the exchange that closes it.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse.csgraph import connected_components

from lca.core.errors import Problem

MAX_LOOP_FACTOR = 1.0 - 1e-9


def loop_problems(system, path: str) -> list[Problem]:
    """Problems for every activity loop of ``system`` (a ResolvedSystem) without a solution."""
    ids = [a.id for a in system.activities]
    index = {a: i for i, a in enumerate(ids)}
    scale = {a.id: float(np.mean(a.scale)) for a in system.activities}
    m = np.zeros((len(ids), len(ids)))
    where: dict[tuple[int, int], object] = {}
    for act in system.activities:
        for inp in act.inputs:
            if inp.kind == "activity" and inp.target in index:
                i, j = index[act.id], index[inp.target]
                m[i, j] += float(np.mean(inp.amount)) * scale[inp.target]
                where.setdefault((i, j), inp)
    if not where:
        return []
    count, labels = connected_components(m != 0, directed=True, connection="strong")
    problems = []
    for label in range(count):
        members = [i for i in range(len(ids)) if labels[i] == label]
        if len(members) < 2:
            continue
        sub = m[np.ix_(members, members)]
        factor = float(np.max(np.abs(np.linalg.eigvals(sub))))
        if factor < MAX_LOOP_FACTOR:
            continue
        first = min((where[(i, j)] for i in members for j in members if (i, j) in where),
                    key=lambda inp: inp.line or 0)
        names = ", ".join(ids[i] for i in members)
        problems.append(Problem(path, first.line, first.field + ".activity",
                                f"activities {names} form a loop that consumes {factor:.3g} unit(s) of itself "
                                "per unit it makes (it must be below 1): no solution; lower the amounts or "
                                "break the loop"))
    return problems
