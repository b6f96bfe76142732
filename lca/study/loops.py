"""Loops of activities that consume each other: refuse the ones that have no solution; the supply
of every activity per functional unit.

Activity ``i`` consuming ``m_ij`` units of activity ``j`` per unit of itself gives the matrix
``M`` (sparse: one entry per activity-to-activity exchange); the supplies ``x`` for a demand ``d``
solve ``x = d + Mᵀx``. They are finite and non-negative only when the spectral radius of ``M``
(the loop factor) is below 1; a loop whose factor is 1 or more (``a`` needs one ``b`` and ``b``
one ``a``) consumes at least what it makes and has no solution.

The check is linear in the size of the study: the loops are the strongly connected components of
the sparse graph, and each component ``B`` (non-negative, irreducible) is tested by one sparse
solve of ``(I - Bᵀ) y = 1``: its loop factor is below 1 exactly when ``y`` is positive (then
``y = Σ (Bᵀ)^k 1 ≥ 1``; conversely a positive ``y`` with ``Bᵀy < y`` bounds the factor below 1 by
Collatz–Wielandt). No dense ``n × n`` matrix and no eigen-decomposition is ever built; the loop
factor printed for a refused loop is estimated by power iteration on the sparse block.
"""

from __future__ import annotations

import math
import warnings
import weakref
from typing import TYPE_CHECKING

import numpy as np

from lca.core.errors import Problem

if TYPE_CHECKING:
    import scipy.sparse as sp

    from lca.study.model import ResolvedInput

# An acyclic system (most studies, of any size) is checked and its supplies computed in plain
# Python, in topological order (Kahn's algorithm, linear): no scipy import for `lca validate` or a
# run (scipy.sparse and its graph routines are half a second). Only a system whose activities
# consume each other (a loop, found by that order failing) uses scipy's sparse routines.

# A loop multiplying its demand by more than this is treated as without solution: Brightway keeps
# amounts in single precision (relative 6e-8), so a loop factor within 1e-6 of 1 may be exactly
# singular there, and a solver error is no message for a user.
MAX_LOOP_GAIN = 1e6


def activity_matrix(system) -> tuple[sp.csr_matrix, list[str], list[tuple[int, int, ResolvedInput]]]:
    """``M`` (per unit of each activity, with the consumed activity's scale), the ids, and the
    ``(i, j, input)`` of each activity-to-activity exchange."""
    import scipy.sparse as sp

    ids, edges = activity_edges(system)
    scale = {a.id: _mean(a.scale) for a in system.activities}
    n = len(ids)
    if not edges:
        return sp.csr_matrix((n, n)), ids, edges
    rows, cols = [e[0] for e in edges], [e[1] for e in edges]
    values = [_mean(inp.amount) * scale[ids[j]] for _, j, inp in edges]
    return sp.csr_matrix((values, (rows, cols)), shape=(n, n)), ids, edges


def activity_graph(system) -> tuple[list[str], list[tuple[int, int, ResolvedInput]], list[int] | None]:
    """``(ids, edges, order)``: ``activity_edges`` and ``consumers_first`` (None: a loop), kept for
    the last system asked (the loop check and the supply bounds of one system share them)."""
    global _last
    kept = _last
    if kept is not None and kept[0]() is system:
        return kept[1]
    ids, edges = activity_edges(system)
    graph = ids, edges, consumers_first(len(ids), edges)
    _last = (weakref.ref(system), graph)
    return graph


_last: tuple | None = None  # (a weak reference to the last system, its graph)


def activity_edges(system) -> tuple[list[str], list[tuple[int, int, ResolvedInput]]]:
    """The activity ids and the ``(i, j, input)`` of each activity-to-activity exchange (i consumes j)."""
    ids = [a.id for a in system.activities]
    index = {a: i for i, a in enumerate(ids)}
    edges = []
    for act in system.activities:  # a loop, not a nested comprehension: each consumer's index found once
        i = None
        for inp in act.inputs:
            if inp.kind == "activity" and inp.target in index:
                i = index[act.id] if i is None else i
                edges.append((i, index[inp.target], inp))
    return ids, edges


def consumers_first(n: int, edges) -> list[int] | None:
    """The activities in an order where every consumer comes before what it consumes, or None when
    some activities consume each other (a loop, a self-loop included). Kahn's algorithm, linear."""
    consumed_by = [0] * n
    out: list[list[int]] = [[] for _ in range(n)]
    for i, j, _ in edges:
        out[i].append(j)
        consumed_by[j] += 1
    ready = [k for k in range(n) if not consumed_by[k]]
    order = []
    while ready:
        k = ready.pop()
        order.append(k)
        for j in out[k]:
            consumed_by[j] -= 1
            if not consumed_by[j]:
                ready.append(j)
    return order if len(order) == n else None


def _mean(value) -> float:
    """A scalar as it is, the mean of Monte Carlo draws otherwise."""
    return float(value) if isinstance(value, (int, float)) else float(np.mean(value))


def loop_problems(system, path: str) -> list[Problem]:
    """Problems for every activity loop of ``system`` (a ResolvedSystem) without a solution."""
    ids, edges, order = activity_graph(system)
    if not edges or order is not None:
        return []  # no loop
    from scipy.sparse.csgraph import connected_components

    m, ids, edges = activity_matrix(system)
    count, labels = connected_components(m, directed=True, connection="strong")
    sizes = np.bincount(labels, minlength=count)
    looped = np.flatnonzero(sizes >= 2)
    if not len(looped):
        return []
    members_of = {int(c): np.flatnonzero(labels == c) for c in looped}
    problems = []
    for component, members in members_of.items():
        block = m[members][:, members]
        if _has_solution(block):
            continue
        inside = [inp for i, j, inp in edges if labels[i] == component and labels[j] == component]
        first = min(inside, key=lambda inp: inp.line or 0)
        names = ", ".join(ids[i] for i in members[:20]) + (f" and {len(members) - 20} more" if len(members) > 20 else "")
        problems.append(Problem(path, first.line, first.field + ".activity",
                                f"activities {names} form a loop that consumes {loop_factor(block):.3g} unit(s) of "
                                "itself per unit it makes (it must be below 1): no solution; lower the amounts or "
                                "break the loop"))
    return problems


def _has_solution(block: sp.csr_matrix) -> bool:
    """Whether the loop factor of an irreducible non-negative block is below 1 (one sparse solve)."""
    import scipy.sparse as sp
    from scipy.sparse.linalg import MatrixRankWarning, spsolve

    n = block.shape[0]
    system = (sp.identity(n, format="csc") - block.T.tocsc()).tocsc()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            y = spsolve(system, np.ones(n))
        except (RuntimeError, ValueError, MatrixRankWarning):
            return False
    y = np.atleast_1d(y)
    return bool(np.all(np.isfinite(y)) and np.all(y > 0) and np.max(y) < MAX_LOOP_GAIN)


def loop_factor(block: sp.csr_matrix, iterations: int = 5000) -> float:
    """The spectral radius of a non-negative irreducible block, by power iteration on ``(B + I)/2``
    (aperiodic, same Perron vector; radius ``2 r' - 1``), stopped when the Collatz–Wielandt bounds
    ``min (Sx)_i / x_i <= r' <= max (Sx)_i / x_i`` meet."""
    import scipy.sparse as sp

    n = block.shape[0]
    shifted = (block + sp.identity(n, format="csr")) * 0.5
    x = np.full(n, 1.0 / n)
    low, high = 0.0, np.inf
    for _ in range(iterations):
        y = shifted @ x
        ratio = y / x
        low, high = float(ratio.min()), float(ratio.max())
        total = float(y.sum())
        if not np.isfinite(total) or total <= 0 or high - low <= 1e-9 * high:
            break
        x = y / total
    return 2.0 * (low + high) / 2.0 - 1.0 if np.isfinite(high) else float("inf")


def supplies(system) -> np.ndarray | None:
    """Each activity's amount per functional unit (``x = d + Mᵀx``, ``d`` the scales of the
    top-level activities); None when the system has no finite solution."""
    ids, edges, order = activity_graph(system)
    if not edges or order is not None:
        plain = scalar_supplies(system)
        return None if plain is None else np.array(plain, dtype=float)
    import scipy.sparse as sp
    from scipy.sparse.linalg import spsolve

    demand = np.array([_mean(a.scale) if a.top_level else 0.0 for a in system.activities])
    m, ids, edges = activity_matrix(system)
    n = len(ids)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            x = np.atleast_1d(spsolve((sp.identity(n, format="csc") - m.T.tocsc()).tocsc(), demand))
        except (RuntimeError, ValueError):
            return None
    return x if np.all(np.isfinite(x)) else None


def scalar_supplies(system) -> list[float] | None:
    """``supplies`` of an acyclic system as a list of floats (no array made and read back: the
    supply bounds read them one by one); None when one is not finite. A system with a loop is
    ``supplies``'s sparse solve."""
    ids, edges, order = activity_graph(system)
    if edges and order is None:
        solved = supplies(system)
        return None if solved is None else solved.tolist()
    scale = [_mean(a.scale) for a in system.activities]
    x = [s if a.top_level else 0.0 for s, a in zip(scale, system.activities)]  # the demand
    if not edges or order is None:  # no edges (a loop returned above): the demand itself, unchecked
        return x
    _propagate(x, scale, order, edges)
    return x if all(map(math.isfinite, x)) else None


def _propagate(x: list[float], scale: list[float], order: list[int], edges) -> None:
    """``x = d + Mᵀx`` of an acyclic system, ``x`` holding ``d``: each activity's supply passed on to
    what it consumes, consumers first (the same ``M`` as ``activity_matrix``). Python floats
    overflow to inf or nan, never raise."""
    out: list[list[tuple[int, float]]] = [[] for _ in scale]
    for i, j, inp in edges:
        m = inp.amount
        out[i].append((j, (m if type(m) is float else _mean(m)) * scale[j]))  # _mean of a float is itself
    for i in order:
        for j, m_ij in out[i]:
            x[j] += m_ij * x[i]
