"""The study's linear system, taken once from Brightway, solved for many iterations at once.

``build_linear_system`` writes (or reuses) the Brightway project and foreground exactly as the
deterministic run does, builds bw2calc's ``MultiLCA`` for both systems and keeps the small dense
part of its matrices that the functional units reach: the technosphere ``A`` (n x n), the
demands ``D`` (n x systems) and the characterised direct emissions ``H = C B`` (criteria x n).
It checks that ``H A⁻¹ D`` equals ``MultiLCA.scores``.

``LinearSystem.solve`` then takes changes to single cells of ``A`` and ``B`` (one value per
iteration) and computes the scores of every iteration in chunks: one batched dense solve per
chunk when ``A`` changes, a single solve reused by every iteration when only ``B`` changes.
Units: scores are in each criterion's unit per functional unit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from lca.library.background import Library
from lca.engine.bw import brightway
from lca.engine.datadir import data_directory, exclusive_lock
from lca.engine.project import BACKGROUND_DB, BIOSPHERE_DB, INDICATOR_DB, ensure_background, ensure_foreground, method_key
from lca.study import ResolvedStudy

Key = tuple[str, str]  # Brightway node key: (database, code)
CHUNK_BYTES = 64 * 2**20  # memory for the matrices of one chunk of iterations


@dataclass
class LinearSystem:
    """Dense deterministic matrices of the reachable part of the study, and their index maps."""

    foreground: str  # name of the foreground database
    systems: list[str]  # "ai", "reference": columns of D
    criteria: list[str]
    nodes: dict[Key, int]  # node key -> row/column of A
    A: np.ndarray  # (n, n) technosphere, Brightway signs (production +, inputs -)
    D: np.ndarray  # (n, systems) demand: one functional unit of each system
    H: np.ndarray  # (criteria, n) characterised direct emissions per unit of each node
    cf: dict[Key, np.ndarray] = field(default_factory=dict)  # flow -> factor per criterion
    scores: np.ndarray | None = None  # (systems, criteria) deterministic scores, from Brightway

    def solve(self, n: int, a_deltas: dict[tuple[Key, Key], np.ndarray],
              b_deltas: dict[tuple[Key, Key], np.ndarray],
              progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Scores of ``n`` iterations, shape (n, systems, criteria).

        ``a_deltas[(input, output)]`` is added to the technosphere cell (Brightway sign
        included), ``b_deltas[(flow, node)]`` to the biosphere cell; each is a scalar or an
        array of ``n`` values.
        """
        size = len(self.nodes)
        a_cells = [(self.nodes[i], self.nodes[o], np.broadcast_to(np.asarray(v, float), (n,)))
                   for (i, o), v in a_deltas.items()]
        h_cells = [(self.nodes[node], self.cf[flow], np.broadcast_to(np.asarray(v, float), (n,)))
                   for (flow, node), v in b_deltas.items()]
        out = np.empty((n, len(self.systems), len(self.criteria)))
        fixed_x = None if a_cells else np.linalg.solve(self.A, self.D)  # (n_nodes, systems)
        per_iteration = 8 * (size * size + size * len(self.systems) + len(self.criteria) * size) * 3
        chunk = max(1, min(n, CHUNK_BYTES // per_iteration))
        for start in range(0, n, chunk):
            stop = min(n, start + chunk)
            k = stop - start
            H = np.broadcast_to(self.H, (k,) + self.H.shape).copy()
            for col, cf, values in h_cells:
                H[:, :, col] += values[start:stop, None] * cf[None, :]
            if fixed_x is not None:
                out[start:stop] = np.einsum("kcn,ns->ksc", H, fixed_x)
            else:
                A = np.broadcast_to(self.A, (k, size, size)).copy()
                for row, col, values in a_cells:
                    A[:, row, col] += values[start:stop]
                X = np.linalg.solve(A, np.broadcast_to(self.D, (k,) + self.D.shape))
                out[start:stop] = np.einsum("kcn,kns->ksc", H, X)
            if progress is not None:
                progress(k)
        return out


def build_linear_system(resolved: ResolvedStudy, library: Library, data_dir: str | Path | None = None,
                        extra_nodes: Iterable[Key] = (), extra_flows: Iterable[Key] = ()) -> LinearSystem:
    """Build the study in Brightway (or reuse it) and extract its reachable dense matrices.

    ``extra_nodes`` are background nodes a Monte Carlo iteration may switch to (drawn dataset
    variants); ``extra_flows`` are biosphere flows whose cells may change.
    """
    directory = data_directory(data_dir)
    bd, bc = brightway(directory)
    with exclusive_lock(directory):
        ensure_background(bd, library)
        fg = ensure_foreground(bd, resolved)
        criteria = list(library.criteria)
        methods = [method_key(c) for c in criteria]
        ids = {(fg, node["code"]): node.id for node in bd.Database(fg)}
        ids.update({(BACKGROUND_DB, node["code"]): node.id for node in bd.Database(BACKGROUND_DB)})
        ids.update({(INDICATOR_DB, node["code"]): node.id for node in bd.Database(INDICATOR_DB)})
        systems = list(resolved.systems)
        demands = {key: {ids[(fg, f"{key}/__fu__")]: 1.0} for key in systems}
        config = {"impact_categories": methods}
        data_objs = bd.get_multilca_data_objs(functional_units=demands, method_config=config)
        mlca = bc.MultiLCA(demands=demands, method_config=config, data_objs=data_objs)
        mlca.lci()
        mlca.lcia()
        flow_keys = set(extra_flows) | {(BIOSPHERE_DB, inp.target) for s in resolved.systems.values()
                                        for a in s.activities for inp in a.inputs if inp.kind == "flow"}
        for key in flow_keys - set(ids):
            ids[key] = bd.get_node(database=key[0], code=key[1]).id
        scores = np.array([[mlca.scores[(m, key)] for m in methods] for key in systems])

    A = mlca.technosphere_matrix.tocsc()
    B = mlca.biosphere_matrix.tocsc()
    rows, cols = mlca.dicts.product, mlca.dicts.activity
    node_of_row = {r: node for node, r in rows.items()}
    key_of_id = {v: k for k, v in ids.items()}
    start = [ids[(fg, f"{key}/__fu__")] for key in systems] + [ids[k] for k in extra_nodes]
    reached: list[int] = []
    seen: set[int] = set()
    todo = list(start)
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        reached.append(node)
        column = A[:, cols[node]]
        todo.extend(node_of_row[r] for r in column.indices if node_of_row[r] not in seen)
    reached.sort()
    n = len(reached)
    sub_rows = [rows[i] for i in reached]
    sub_cols = [cols[i] for i in reached]
    A_sub = A[sub_rows][:, sub_cols].toarray()
    H_full = np.vstack([np.asarray(B.T @ mlca.characterization_matrices[m].diagonal()).ravel() for m in methods])
    H = H_full[:, sub_cols]
    D = np.zeros((n, len(systems)))
    position = {node: i for i, node in enumerate(reached)}
    for s, node in enumerate(start[: len(systems)]):
        D[position[node], s] = 1.0
    cf_all = np.vstack([mlca.characterization_matrices[m].diagonal() for m in methods])  # (criteria, flows)
    cf = {}
    for key in flow_keys | {(INDICATOR_DB, c) for c in criteria}:
        index = mlca.dicts.biosphere.get(ids[key])
        cf[key] = cf_all[:, index] if index is not None else np.zeros(len(criteria))
    system = LinearSystem(fg, systems, criteria, {key_of_id[i]: p for p, i in enumerate(reached)},
                          A_sub, D, H, cf, scores)
    check = (H @ np.linalg.solve(A_sub, D)).T
    if not np.allclose(check, scores, rtol=1e-9, atol=1e-12 * max(1.0, float(np.max(np.abs(scores))))):
        raise RuntimeError(f"the dense system gives {check.tolist()}, Brightway says {scores.tolist()}")
    return system
