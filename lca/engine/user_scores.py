"""Scores per unit of the user's own activities, computed by bw2calc from their project's datapackages.

For activities ``k`` (one demand of 1 each) and criteria ``c``: with the user's technosphere ``A``
and biosphere ``B`` (their databases and every database these depend on), the inventory of one
unit of ``k`` is ``g_k = B A⁻¹ e_k``, and its score

- on a criterion mapped to one of their methods ``m``: ``s_kc = Σ_f C_m[f] g_k[f]``, with their
  method's characterisation factors, as bw2calc computes it;
- on one of our criteria left unmapped: the same with our factors (``inventories/methods``),
  matched to their biosphere flows by biosphere3 UUID (the flow's code in an ecoinvent import).

Monte Carlo: bw2calc draws their stored distributions (stats_arrays fields of exchanges and
characterisation factors, ``use_distributions=True``, seeded); each draw is one consistent set of
matrices, so the scores of all activities in one draw come from the same sample of their data.
The datapackages are read from the zip files, never written.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy.sparse.linalg import splu

from lca.engine.user_project import Node, UserProject


@dataclass(frozen=True)
class UnitScores:
    """Scores per unit of each activity: ``base[k, c]`` deterministic, ``draws[i, k, c]`` sampled."""

    nodes: tuple[Node, ...]
    criteria: tuple[str, ...]
    base: np.ndarray
    draws: np.ndarray | None
    biosphere3_flows: int  # how many of their biosphere flows our own factors recognise (by UUID)
    resources: dict[str, np.ndarray]  # biosphere3 UUID -> amount per unit of each node (deterministic)


def _packages(project: UserProject, nodes, methods):
    from bw_processing import load_datapackage
    from fsspec.implementations.zip import ZipFileSystem

    names = []
    for node in nodes:
        names += [d for d in project.dependencies(node.database) if d not in names]
    paths = [project.database_package(n) for n in names] + [project.method_package(m) for m in methods]
    return [load_datapackage(ZipFileSystem(str(p), mode="r")) for p in paths]


def unit_scores(bc, project: UserProject, nodes: list[Node], criteria: list[str],
                their_methods: dict[str, tuple[str, ...]], our_factors: dict[str, dict[str, float]],
                draws: int = 0, seed: int | None = None, resources: tuple[str, ...] = ()) -> UnitScores:
    """Per-unit scores of ``nodes`` on ``criteria`` (their method where mapped, else ours).

    ``our_factors[c]`` maps biosphere3 UUIDs to our factors; ``draws > 0`` adds that many
    Monte Carlo draws of their data (``seed`` makes them reproducible); ``resources`` are
    biosphere3 UUIDs whose inventory amounts are returned too (raw materials).
    """
    methods = list(dict.fromkeys(their_methods.values()))
    base, flows, amounts = _scores(bc, project, nodes, criteria, their_methods, our_factors, methods, 0, None,
                                   resources)
    sampled = None
    if draws > 0:
        sampled, _, _ = _scores(bc, project, nodes, criteria, their_methods, our_factors, methods, draws, seed, ())
    return UnitScores(tuple(nodes), tuple(criteria), base[0], sampled, flows, amounts)


def _scores(bc, project, nodes, criteria, their_methods, our_factors, methods, draws, seed, resources):
    demands = {str(i): {node.id: 1.0} for i, node in enumerate(nodes)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a method with no factor on these flows is not our concern here
        mlca = bc.MultiLCA(demands=demands, method_config={"impact_categories": methods},
                           data_objs=_packages(project, nodes, methods), use_distributions=draws > 0,
                           seed_override=seed)
        mlca.load_lci_data()
        if methods:
            mlca.load_lcia_data()
    flow_ids = sorted(mlca.dicts.biosphere, key=mlca.dicts.biosphere.__getitem__)
    codes = project.codes(flow_ids)
    ours = {c: np.array([our_factors.get(c, {}).get(codes.get(i, ("", ""))[1], 0.0) for i in flow_ids])
            for c in criteria if c not in their_methods}
    known = {code for factors in our_factors.values() for code in factors}
    recognised = sum(1 for i in flow_ids if codes.get(i, ("", ""))[1] in known)
    rows = [mlca.dicts.product[node.id] for node in nodes]
    out = np.empty((max(draws, 1), len(nodes), len(criteria)))
    amounts: dict[str, np.ndarray] = {}
    for d in range(max(draws, 1)):
        if d > 0:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                next(mlca)  # a new draw of every matrix (nothing solved: the inventories are ours below)
        out[d], inventory = _one_draw(mlca, rows, criteria, their_methods, ours)
        if d == 0 and resources:
            position = {codes.get(i, ("", ""))[1]: r for r, i in enumerate(flow_ids)}
            rows_of = {uuid: position[uuid] for uuid in resources if uuid in position}
            amounts = {uuid: np.asarray(inventory[r]).ravel() for uuid, r in rows_of.items()}
    return out, recognised, amounts


def _one_draw(mlca, rows, criteria, their_methods, ours):
    """(nodes, criteria) scores from the matrices of the current draw, and the inventory (flows, nodes)."""
    A = mlca.technosphere_matrix.tocsc()
    rhs = np.zeros((A.shape[0], len(rows)))
    for j, r in enumerate(rows):
        rhs[r, j] = 1.0
    supply = splu(A).solve(rhs)  # (activities, nodes)
    inventory = mlca.biosphere_matrix @ supply  # (flows, nodes)
    out = np.empty((len(rows), len(criteria)))
    for c_index, crit in enumerate(criteria):
        if crit in their_methods:
            cf = np.asarray(mlca.characterization_matrices[their_methods[crit]].diagonal()).ravel()
        else:
            cf = ours[crit]
        out[:, c_index] = cf @ inventory
    return out, inventory
