"""The study's linear system, taken from the one matrix builder, solved for many iterations at once.

Structure (see :mod:`lca.engine.matrices`): the background never consumes the foreground, so with
the foreground block ``A_FF`` (the study's activities and functional units), the foreground's
consumption of background nodes ``A_RF`` and the background's cumulative scores per unit
``s_R = A_RR⁻ᵀ h_R`` (solved once), the scores of the demands ``D`` are

    scores = G X,   X = A_FF⁻¹ D,   G = H_F - s_R A_RF   (criteria x foreground nodes).

``LinearSystem.solve`` takes changes to single cells (one value per iteration) and uses that:

- a foreground exchange to a background dataset (a cell of ``A_RF``), a direct emission of the
  foreground (``H_F``) or a background value (``h_R``, through one row of ``A_RR⁻¹``) changes the
  scores linearly: no solve, whatever the number of iterations;
- only foreground activity-to-activity cells (``A_FF``) change ``X``: it is re-solved on the
  foreground block alone, by block forward substitution over its strongly connected components in
  topological order (plain forward substitution when the activities form no loop; a small batched
  dense solve per loop), vectorised over the iterations, and only for the activities downstream of
  a changed cell.

Batched kernels run single-threaded (``AI_LCA_THREADS`` sets another number): on a small shared
machine BLAS threads made one batched solve hundreds of times slower.
Units: scores are in each criterion's unit per functional unit.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from lca.engine.matrices import Key, StudyMatrices, build_matrices
from lca.engine.project import BIOSPHERE_DB, INDICATOR_DB
from lca.engine.solve_errors import UnsolvableDraws, bad_supply
from lca.library.background import Library
from lca.study import ResolvedStudy
from lca.uncertainty.foreground import ForegroundSolver

CHUNK_BYTES = 64 * 2**20  # memory for the arrays of one chunk of iterations
THREADS_VAR = "AI_LCA_THREADS"


def kernel_threads() -> int:
    """Threads for the batched numerical kernels: 1 unless ``AI_LCA_THREADS`` says otherwise."""
    try:
        return max(1, int(os.environ.get(THREADS_VAR, "1")))
    except ValueError:
        return 1


@dataclass
class _Cells:
    """Changed cells of one kind: positions, per-criterion factors and values (cells x iterations)."""

    index: list = field(default_factory=list)  # per cell: a tuple of positions
    factors: list = field(default_factory=list)  # per cell: (criteria,) factors, or None
    values: list = field(default_factory=list)  # per cell: (n,) values

    def arrays(self, start: int, stop: int) -> np.ndarray:
        return np.stack([v[start:stop] for v in self.values]) if self.values else np.zeros((0, stop - start))


@dataclass
class LinearSystem:
    """The study's blocks: foreground technosphere, its background consumption, background scores."""

    foreground: str  # name of the foreground database
    systems: list[str]  # "ai", "reference": columns of D
    criteria: list[str]
    nodes: dict[Key, int]  # foreground node key -> row/column of A_FF
    background: dict[Key, int]  # background node key -> column of A_RF's rows / s_R
    A_ff: sparse.csr_matrix  # (nF, nF) Brightway signs (production +, inputs -)
    A_rf: sparse.csr_matrix  # (nR, nF) consumption of background nodes by the foreground (negative)
    D: np.ndarray  # (nF, systems) one functional unit of each system
    X0: np.ndarray  # (nF, systems) deterministic supply (Brightway's)
    H_f: np.ndarray  # (criteria, nF) characterised direct emissions per unit of foreground nodes
    s_r: np.ndarray  # (criteria, nR) cumulative score per unit of background nodes
    cf: dict[Key, np.ndarray] = field(default_factory=dict)  # flow -> factor per criterion
    scores: np.ndarray | None = None  # (systems, criteria) deterministic scores, from Brightway
    background_row: Callable[[int], np.ndarray] | None = None  # k -> row k of A_RR⁻¹ (nR,)
    matrices: StudyMatrices | None = field(default=None, repr=False)  # what the blocks were taken from

    def __post_init__(self):
        self.G = self.H_f - np.asarray(self.s_r @ self.A_rf)  # (criteria, nF)
        self._solvers: dict = {}

    def solve(self, n: int, a_deltas: dict[tuple[Key, Key], np.ndarray],
              b_deltas: dict[tuple[Key, Key], np.ndarray],
              progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Scores of ``n`` iterations, shape (n, systems, criteria).

        ``a_deltas[(input, output)]`` is added to the technosphere cell (Brightway sign
        included), ``b_deltas[(flow, node)]`` to the biosphere cell; each is a scalar or an
        array of ``n`` values.
        """
        from threadpoolctl import threadpool_limits

        ff, rf, hf, bg = self._classify(n, a_deltas, b_deltas)
        solver = self._solver(ff) if ff.values else None
        assert self.background_row is not None or not bg.index
        bg_rows = np.zeros((len(bg.index), len(self.background)))
        for b, (k,) in enumerate(bg.index):
            bg_rows[b] = self.background_row(k)  # type: ignore[misc]
        bg_q = -np.asarray(self.A_rf.T @ bg_rows.T).T  # (cells, nF): q = -r A_RF
        size = len(self.nodes)
        per_iteration = 8 * (size * len(self.systems) * (3 if solver else 0) + 4 * len(self.criteria)
                             * (len(rf.values) + len(hf.values) + len(bg.values) + 1) * len(self.systems) + 1)
        chunk = max(1, min(n, CHUNK_BYTES // per_iteration))
        out = np.empty((n, len(self.systems), len(self.criteria)))
        with threadpool_limits(limits=kernel_threads()):
            for start in range(0, n, chunk):
                stop = min(n, start + chunk)
                X = solver.solve(ff.arrays(start, stop)) if solver else None  # (nF, k, S) or None: X0
                if X is not None:
                    self._check_supplies(X)
                out[start:stop] = self._scores(X, stop - start, rf, hf, bg, bg_rows, bg_q, start, stop)
                if progress is not None:
                    progress(stop - start)
        return out

    def _check_supplies(self, X: np.ndarray) -> None:
        """UnsolvableDraws when a draw leaves a foreground node without a finite, non-negative supply
        (a loop drawn at one unit of itself or more per unit): named by the loops it lies in."""
        bad = bad_supply(X)
        if not bad.any():
            return
        code_of = {p: key[1] for key, p in self.nodes.items()}
        nodes = np.flatnonzero(bad.any(axis=(1, 2)))
        _, labels = connected_components((self.A_ff != 0).astype(np.int8), directed=True, connection="strong")
        looped = [int(p) for p in nodes[np.bincount(labels)[labels[nodes]] > 1]]
        raise UnsolvableDraws([code_of[p] for p in (looped or [int(p) for p in nodes])], int(bad.any(axis=(0, 2)).sum()))

    def _scores(self, X, k, rf: _Cells, hf: _Cells, bg: _Cells, bg_rows, bg_q, start, stop) -> np.ndarray:
        """(k, systems, criteria) scores of one chunk: G X plus every changed cell's linear term."""
        fixed = X is None
        if fixed:
            out = np.broadcast_to((self.G @ self.X0).T, (k, len(self.systems), len(self.criteria))).copy()
        else:
            out = np.einsum("cn,nks->ksc", self.G, X, optimize=True)

        def at(columns):  # supply of foreground nodes: (m, S) when fixed, else (m, k, S)
            return self.X0[columns] if fixed else X[columns]

        spec = "ms->" if fixed else "mks->"
        if hf.values:
            J = np.array([j for (j,) in hf.index])
            out += np.einsum("mk,mc," + spec + "ksc", hf.arrays(start, stop), np.array(hf.factors), at(J), optimize=True)
        if rf.values:
            U = np.array([u for u, _ in rf.index])
            J = np.array([j for _, j in rf.index])
            delta = rf.arrays(start, stop)
            out -= np.einsum("mk,cm," + spec + "ksc", delta, self.s_r[:, U], at(J), optimize=True)
            if bg.values:  # a background value and an exchange to it changed in the same iteration
                ds = np.einsum("bk,bc,bm->kmc", bg.arrays(start, stop), np.array(bg.factors), bg_rows[:, U], optimize=True)
                out -= np.einsum("mk,kmc," + spec + "ksc", delta, ds, at(J), optimize=True)
        if bg.values:
            qx = bg_q @ self.X0 if fixed else np.einsum("bn,nks->bks", bg_q, X, optimize=True)
            spec_b = "bs->" if fixed else "bks->"
            out += np.einsum("bk,bc," + spec_b + "ksc", bg.arrays(start, stop), np.array(bg.factors), qx, optimize=True)
        return out

    def _classify(self, n: int, a_deltas: dict, b_deltas: dict) -> tuple[_Cells, _Cells, _Cells, _Cells]:
        """Split the changed cells: foreground-foreground, foreground-background, direct, background."""
        ff, rf, hf, bg = _Cells(), _Cells(), _Cells(), _Cells()
        for (i, o), v in a_deltas.items():
            values = np.broadcast_to(np.asarray(v, float), (n,))
            if not np.any(values):
                continue
            j = self.nodes[o]
            if i in self.nodes:
                ff.index.append((self.nodes[i], j))
            else:
                rf.index.append((self.background[i], j))
            (ff if i in self.nodes else rf).values.append(values)
        for (flow, node), v in b_deltas.items():
            values = np.broadcast_to(np.asarray(v, float), (n,))
            if not np.any(values):
                continue
            cells, position = (hf, self.nodes[node]) if node in self.nodes else (bg, self.background[node])
            cells.index.append((position,))
            cells.factors.append(self.cf[flow])
            cells.values.append(values)
        return ff, rf, hf, bg

    def _solver(self, ff: _Cells) -> ForegroundSolver:
        """The foreground block solver for this set of changed cells (its plan is cached)."""
        positions = tuple(ff.index)
        if positions not in self._solvers:
            self._solvers[positions] = ForegroundSolver(self.A_ff, self.D, self.X0, positions)
        return self._solvers[positions]


def build_linear_system(resolved: ResolvedStudy, library: Library, data_dir: str | Path | None = None,
                        extra_flows: Iterable[Key] = (), matrices: StudyMatrices | None = None) -> LinearSystem:
    """The study's blocks from the one matrix builder (reusing ``matrices`` when given).

    ``extra_flows`` are biosphere flows whose cells may change (background values); every
    background dataset variant is in the matrices already.
    """
    m = matrices or build_matrices(resolved, library, data_dir)
    fg_keys = m.foreground_keys
    fg_cols = m.foreground_columns
    bg_cols = m.background_columns
    key_of_col = {m.col[i]: key for key, i in m.ids.items() if i in m.col}
    A = m.A
    fg_rows, bg_rows = m.rows_of(fg_cols), m.rows_of(bg_cols)
    systems = m.systems
    nodes = {key: p for p, key in enumerate(fg_keys)}
    D = np.zeros((len(nodes), len(systems)))
    for s, key in enumerate(systems):
        D[nodes[(m.foreground, f"{key}/__fu__")], s] = 1.0
    flow_keys = set(extra_flows) | {(BIOSPHERE_DB, inp.target) for s in resolved.systems.values()
                                    for a in s.activities for inp in a.inputs if inp.kind == "flow"}
    flow_keys |= {(INDICATOR_DB, c) for c in m.criteria}
    lu = m.background_lu

    def background_row(k: int) -> np.ndarray:
        unit = np.zeros(len(bg_cols))
        unit[k] = 1.0
        return lu.solve(unit, trans="T")

    system = LinearSystem(
        foreground=m.foreground, systems=systems, criteria=m.criteria, nodes=nodes,
        background={key_of_col[int(c)]: p for p, c in enumerate(bg_cols)},
        A_ff=A[fg_rows][:, fg_cols].tocsr(), A_rf=A[bg_rows][:, fg_cols].tocsr(), D=D,
        X0=m.supply[:, fg_cols].T.copy(), H_f=m.direct_scores[:, fg_cols], s_r=m.background_cumulative,
        cf={key: m.flow_factors(key) for key in flow_keys}, scores=m.scores.copy(), background_row=background_row,
        matrices=m)
    check = (system.G @ system.X0).T
    scale = max(1.0, float(np.max(np.abs(m.scores))))
    if not np.allclose(check, m.scores, rtol=1e-9, atol=1e-12 * scale):
        raise RuntimeError(f"the block system gives {check.tolist()}, Brightway says {m.scores.tolist()}")
    return system
