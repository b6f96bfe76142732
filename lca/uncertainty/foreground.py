"""Solve the foreground block for many iterations whose activity-to-activity cells change.

``X = (A + ΔA)⁻¹ D`` for every iteration, where ``A`` is the foreground technosphere (Brightway
signs: production +, inputs -), ``D`` the demands (one column per system) and ``ΔA`` a few changed
cells with one value per iteration. Row ``r`` of ``A X = D`` involves the supply of ``r`` and of
its consumers, so a consumer is solved before what it consumes:

- only the activities downstream of a changed cell (what its row consumes, transitively) change;
  every other row keeps its deterministic supply ``X0``;
- those rows are taken in topological order of their strongly connected components: a single
  activity is one division (forward substitution), a loop of activities one small dense solve,
  both vectorised over the iterations.

Memory: ``nF x iterations x systems`` floats per call (the caller chunks the iterations).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components


@dataclass
class _Step:
    rows: np.ndarray  # the component's rows (one for a single activity)
    cols: Any  # fixed entries from outside the component: columns (one array, a list of them for a loop) ...
    vals: Any  # ... and values (for a single activity: (values, its diagonal))
    cells: list  # changed cells in these rows: (cell index, local row, column)
    block: np.ndarray | None  # the component's own dense block (loops only)


class ForegroundSolver:
    """Block forward substitution of the foreground for one set of changed cell positions."""

    def __init__(self, A: sparse.csr_matrix, D: np.ndarray, X0: np.ndarray, cells: tuple[tuple[int, int], ...]):
        self.A = A.tocsr()
        self.D = D
        self.X0 = X0
        self.cells = cells
        affected = self._affected()
        self._cells_of_row: dict[int, list[tuple[int, int]]] = {}
        for i, (r, c) in enumerate(cells):
            self._cells_of_row.setdefault(r, []).append((i, c))
        self.steps = [self._step(rows) for rows in self._components(affected)]

    def _affected(self) -> np.ndarray:
        """Rows whose supply can change: rows of changed cells and, transitively, what they consume."""
        csc = self.A.tocsc()
        seen = np.zeros(self.A.shape[0], dtype=bool)
        todo = deque({r for r, _ in self.cells})
        while todo:
            c = todo.popleft()
            if seen[c]:
                continue
            seen[c] = True
            todo.extend(int(r) for r in csc.indices[csc.indptr[c]:csc.indptr[c + 1]] if not seen[r])
        return np.flatnonzero(seen)

    def _components(self, affected: np.ndarray) -> list[np.ndarray]:
        """Strongly connected components of the affected rows, consumers first (topological order)."""
        local = {int(r): i for i, r in enumerate(affected)}
        sub = self.A[affected][:, affected].tocoo()
        edges = [(local_c, local_r) for local_r, local_c in zip(sub.row, sub.col) if local_r != local_c]
        edges += [(local[c], local[r]) for r, c in self.cells if r in local and c in local and r != c]
        k = len(affected)
        src = np.array([e[0] for e in edges], dtype=np.int64)
        dst = np.array([e[1] for e in edges], dtype=np.int64)
        graph = sparse.csr_matrix((np.ones(len(edges)), (src, dst)), shape=(k, k))
        count, labels = connected_components(graph, directed=True, connection="strong")
        # condensation edges (column solved before row) and Kahn's topological order
        following: list[set[int]] = [set() for _ in range(count)]
        for a, b in zip(labels[src], labels[dst]):
            if a != b:
                following[a].add(int(b))
        indegree = np.zeros(count, dtype=np.int64)
        for targets in following:
            for b in targets:
                indegree[b] += 1
        members: list[list[int]] = [[] for _ in range(count)]
        for i, lab in enumerate(labels):
            members[lab].append(int(affected[i]))
        ready = deque(int(c) for c in np.flatnonzero(indegree == 0))
        order = []
        while ready:
            c = ready.popleft()
            order.append(np.array(sorted(members[c]), dtype=np.int64))
            for b in following[c]:
                indegree[b] -= 1
                if indegree[b] == 0:
                    ready.append(b)
        return order

    def _step(self, rows: np.ndarray) -> _Step:
        inside = set(rows.tolist())
        position = {int(r): i for i, r in enumerate(rows)}
        cols: Any = []
        vals: Any = []
        for r in rows:
            lo, hi = self.A.indptr[r], self.A.indptr[r + 1]
            keep = [(int(c), float(v)) for c, v in zip(self.A.indices[lo:hi], self.A.data[lo:hi]) if int(c) not in inside]
            cols.append(np.array([c for c, _ in keep], dtype=np.int64))
            vals.append(np.array([v for _, v in keep]))
        cells = [(i, position[int(r)], c) for r in rows for i, c in self._cells_of_row.get(int(r), ())]
        if len(rows) == 1:
            block = None
            cols, vals = cols[0], vals[0]
            self_diag = float(self.A[int(rows[0]), int(rows[0])])
            vals = (vals, self_diag)
        else:
            block = self.A[rows][:, rows].toarray()
        return _Step(rows, cols, vals, cells, block)

    def solve(self, delta: np.ndarray) -> np.ndarray:
        """Supply (nF, k, systems) for the changed cells' values ``delta`` (cells x k iterations)."""
        k = delta.shape[1]
        X = np.empty((self.A.shape[0], k, self.D.shape[1]))
        X[:] = self.X0[:, None, :]
        for step in self.steps:
            if step.block is None:
                self._single(step, delta, X)
            else:
                self._loop(step, delta, X)
        return X

    def _single(self, step: _Step, delta: np.ndarray, X: np.ndarray) -> None:
        r = int(step.rows[0])
        vals, diag = step.vals
        acc = np.broadcast_to(self.D[r], X.shape[1:]) - np.tensordot(vals, X[step.cols], axes=1)
        pivot = np.full(X.shape[1], diag)
        for i, _, c in step.cells:
            if c == r:
                pivot = pivot + delta[i]
            else:
                acc = acc - delta[i][:, None] * X[c]
        X[r] = acc / pivot[:, None]

    def _loop(self, step: _Step, delta: np.ndarray, X: np.ndarray) -> None:
        assert step.block is not None
        k = X.shape[1]
        p = len(step.rows)
        local = {int(r): i for i, r in enumerate(step.rows)}
        M = np.broadcast_to(step.block, (k, p, p)).copy()
        rhs = np.empty((k, p, X.shape[2]))
        for i, r in enumerate(step.rows):
            rhs[:, i, :] = self.D[r] - np.tensordot(step.vals[i], X[step.cols[i]], axes=1)
        for i, row, c in step.cells:
            if c in local:
                M[:, row, local[c]] += delta[i]
            else:
                rhs[:, row, :] -= delta[i][:, None] * X[c]
        try:
            X[step.rows] = np.linalg.solve(M, rhs).transpose(1, 0, 2)
        except np.linalg.LinAlgError:  # a draw made the loop exactly singular: NaN there, reported by the caller
            X[step.rows] = _solve_each(M, rhs).transpose(1, 0, 2)


def _solve_each(M: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """``solve(M[k], rhs[k])`` draw by draw, NaN for a draw whose block is singular."""
    out = np.full(rhs.shape, np.nan)
    for k in range(M.shape[0]):
        try:
            out[k] = np.linalg.solve(M[k], rhs[k])
        except np.linalg.LinAlgError:
            pass
    return out
