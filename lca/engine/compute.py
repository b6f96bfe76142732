"""Run Brightway on a resolved study and attribute every result to the exchange that caused it.

The LCA itself is bw2calc's ``MultiLCA`` (one technosphere for both systems, one
characterisation matrix per criterion). Attribution: with ``h = 1ᵀ C B`` (the direct score of
each activity per unit) and ``s = A⁻ᵀ h`` (the cumulative score per unit of each activity), an
exchange of amount ``a`` from foreground activity ``j`` (supply ``x_j``) to background node ``k``
contributes ``x_j · a · s_k``, and a direct biosphere exchange contributes ``x_j · a · C_f``.
Summed over the foreground these contributions equal the Brightway score (up to solver
round-off); the total reported is that sum, checked against ``MultiLCA.scores``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.sparse.linalg import splu

from lca.library.background import Library
from lca.core.errors import InputError, Problem
from lca.study import ResolvedInput, ResolvedStudy
from lca.engine.bw import brightway
from lca.engine.datadir import data_directory, exclusive_lock
from lca.engine.health import cannot_write, heal, out_of_space
from lca.engine.project import BIOSPHERE_DB, dataset_key, ensure_background, ensure_foreground, method_key
from lca.study.brightway_refs import proxy_code


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


def compute_study(resolved: ResolvedStudy, library: Library, data_dir: str | Path | None = None) -> ComputeOutput:
    """Build (or reuse) the Brightway project, write the foreground and compute both systems."""
    directory = data_directory(data_dir)
    heal(directory)  # the data directory is a cache: damage is rebuilt, never a study error
    try:
        bd, bc = brightway(directory)
        with exclusive_lock(directory):
            project = ensure_background(bd, library)
            fg = ensure_foreground(bd, resolved)
            out = _calculate(bd, bc, fg, resolved, library)
    except Exception as exc:
        if out_of_space(exc):
            raise cannot_write(directory, exc) from None
        raise
    out.project = project
    out.versions = {"bw2data": _version(bd), "bw2calc": _version(bc)}
    return out


def _version(module) -> str:
    v = getattr(module, "__version__", "")
    return ".".join(map(str, v)) if isinstance(v, tuple) else str(v)


def _calculate(bd, bc, fg: str, resolved: ResolvedStudy, library: Library) -> ComputeOutput:
    criteria = list(library.criteria)
    methods = [method_key(c) for c in criteria]
    demands = {key: {bd.get_node(database=fg, code=f"{key}/__fu__").id: 1.0} for key in resolved.systems}
    config = {"impact_categories": methods}
    data_objs = bd.get_multilca_data_objs(functional_units=demands, method_config=config)
    mlca = bc.MultiLCA(demands=demands, method_config=config, data_objs=data_objs)
    try:
        mlca.lci()
    except Exception as exc:  # singular technosphere: a cycle of activities with no solution
        raise InputError([Problem(resolved.loaded.path, None, "systems",
                                  f"the activities form a loop with no solution ({type(exc).__name__}); "
                                  "check activity-to-activity exchanges that consume each other")]) from None
    with warnings.catch_warnings():
        # a study with no flow of a criterion (no energy in an EV-minerals study) is normal
        warnings.filterwarnings("ignore", message="All values in characterization matrix")
        mlca.lcia()
    A = mlca.technosphere_matrix.tocsc()
    B = mlca.biosphere_matrix
    lu = splu(A.T.tocsc())
    node_index = mlca.dicts.activity
    flow_index = mlca.dicts.biosphere

    unit_scores: dict[str, dict[str, float]] = {}
    cumulative: dict[str, np.ndarray] = {}
    cf_of: dict[str, np.ndarray] = {}
    for crit, method in zip(criteria, methods):
        C = mlca.characterization_matrices[method]
        cf = np.asarray(C.diagonal()).ravel()
        h = np.asarray(B.T @ cf).ravel()
        cumulative[crit] = lu.solve(h)
        cf_of[crit] = cf

    def node_id(db: str, code: str) -> int:
        return bd.get_node(database=db, code=code).id

    contributions: list[Contribution] = []
    totals: dict[str, dict[str, float]] = {}
    for key, system in resolved.systems.items():
        fu = f"{key}/__fu__"
        supply_vec = mlca.supply_arrays[fu if fu in mlca.supply_arrays else key]
        brightway_scores = {c: float(mlca.scores[(m, key)]) for c, m in zip(criteria, methods)}
        for act in system.activities:
            x = float(supply_vec[node_index[node_id(fg, f"{key}/{act.id}")]])
            for inp in act.inputs:
                if inp.kind == "activity":
                    continue
                if inp.kind == "dataset":
                    k = node_index[node_id(*dataset_key(resolved.library, inp.target, fg))]
                    per_unit = {c: float(cumulative[c][k]) for c in criteria}
                    unit_scores[inp.target] = per_unit
                elif inp.kind == "brightway":  # the user's own activity (lca.engine.user_proxies)
                    k = node_index[node_id(fg, proxy_code(inp.target))]
                    per_unit = {c: float(cumulative[c][k]) for c in criteria}
                else:
                    f = flow_index[node_id(BIOSPHERE_DB, inp.target)]
                    per_unit = {c: float(cf_of[c][f]) for c in criteria}
                values = {c: x * float(inp.amount) * per_unit[c] + 0.0 for c in criteria}  # + 0.0: no -0.0
                contributions.append(Contribution(key, act.id, inp, x, values))
        # The total is the sum of the contributions, so that every breakdown sums to it exactly; it
        # must agree with Brightway's own score (which carries solver round-off such as -2e-21 for
        # a criterion the system does not touch).
        totals[key] = {}
        for c in criteria:
            summed = sum(con.values[c] for con in contributions if con.system == key) + 0.0
            expected = brightway_scores[c]
            scale = sum(abs(con.values[c]) for con in contributions if con.system == key)
            # atol floor 1e-15: a criterion the system does not touch still gets solver noise
            # that grows with the system's other magnitudes (-2.3e-21 kgSbe in the demo's reference)
            if not np.isclose(summed, expected, rtol=1e-6, atol=max(1e-12 * scale, 1e-15)):
                raise RuntimeError(f"attribution of {key}/{c} sums to {summed}, Brightway says {expected}")
            totals[key][c] = summed
    return ComputeOutput(totals, contributions, unit_scores)
