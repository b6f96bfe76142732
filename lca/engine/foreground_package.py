"""The study's foreground as a bw_processing datapackage in memory, handed to bw2calc directly.

``lca run`` needs Brightway's matrices of the study, not a bw2data database of it: writing the
foreground row by row into SQLite and processing it back into arrays (``Database.write`` and
``process``) was most of a first run of a large study. ``foreground_package`` builds the arrays
``process`` would have built, from the same exchanges in the same order (those of
``lca.engine.project.foreground_exchanges``, read from the resolved study with each target's id
found once; the study-local datasets' ``dataset_node`` and the proxies of the user's activities),
with the same rules:

- technosphere: the production exchange (amount 1, flagged as the column's reference product,
  as bw2data's ``set_reference_flags`` does) as it is, every technosphere input with its sign
  flipped by bw2calc (``flip``); biosphere exchanges as they are;
- amounts in single precision, entries sorted by row, column, amount and uncertainty type (as
  ``resolve_dict_iterator`` sorts them), duplicates of one cell summed (``sum_intra_duplicates``);
- Brightway's uncertainty fields (stats_arrays) of each exchange that has them, so that
  ``use_distributions`` samples what a written foreground would give;
- every node has its explicit production exchange: nothing is left implicit.

Node ids: the foreground's nodes are not in the project, so they get ids of their own,
``max(id) + 1, + 2, ...`` in the order of ``foreground_data`` (one query): above every id of the
project, so never one of its nodes. They live only in this run's matrices (``StudyMatrices.ids``).
``lca export`` still writes a real bw2data database (``ensure_foreground``).
tests/test_foreground_package.py checks that both ways give the same matrices, key by key, and
tests/test_foreground_entries.py that the entries are those of ``foreground_exchanges``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from lca.engine.project import _local_nodes, input_node
from lca.engine.user_proxies import proxy_exchanges, proxy_nodes
from lca.study import ResolvedStudy

Key = tuple[str, str]
NAN = float("nan")


ENTRY = np.dtype([("row", np.int64), ("col", np.int64), ("amount", np.float64), ("flip", bool),
                  ("reference", bool)])


@dataclass
class _Entries:
    """Matrix entries as ``(row, col, amount, flip, reference)`` tuples (no dictionary per exchange)."""

    items: list = field(default_factory=list)
    uncertain: dict = field(default_factory=dict)  # position -> stats_arrays fields of the exchanges that have them

    def add(self, row: int, col: int, amount: float, flip: bool = False, reference: bool = False,
            fields: dict | None = None) -> None:
        if fields:
            self.uncertain[len(self.items)] = fields
        self.items.append((row, col, amount, flip, reference))

    def array(self) -> np.ndarray:
        return np.array(self.items, dtype=ENTRY) if self.items else np.zeros(0, dtype=ENTRY)


def foreground_nodes(resolved: ResolvedStudy, db_name: str, local: dict | None = None) -> list[Key]:
    """The foreground's node keys in the order of ``foreground_data``: study-local datasets
    (``local``: their nodes, when already built), proxies, then each system's activities and its
    functional unit."""
    local = _local_nodes(resolved.library, db_name) if local is None else local
    keys = list(local) + list(proxy_nodes(resolved, db_name))
    for key, system in resolved.systems.items():
        keys += [(db_name, f"{key}/{a.id}") for a in system.activities]
        keys.append((db_name, f"{key}/__fu__"))
    return keys


def max_node_id(bd) -> int:
    """The largest node id of the current project (0 when it has none)."""
    from bw2data.backends import ActivityDataset as AD
    from peewee import fn

    return int(AD.select(fn.MAX(AD.id)).scalar() or 0)


def foreground_package(bd, resolved: ResolvedStudy, db_name: str, ids: dict[Key, int]):
    """``(datapackage, foreground ids)``: the foreground ``db_name`` as bw2calc's input.

    ``ids`` are the ids of the project's nodes and flows the foreground uses (background,
    indicators, biosphere3: ``lca.engine.matrices.id_map``).
    """
    import bw_processing as bwp

    local = _local_nodes(resolved.library, db_name)
    first = max_node_id(bd) + 1
    fg_ids = {key: first + i for i, key in enumerate(foreground_nodes(resolved, db_name, local))}
    known = {**ids, **fg_ids}
    used: set[str] = set()
    technosphere, biosphere = _entries(resolved, db_name, local, known, used)
    package = bwp.create_datapackage(name=bwp.clean_datapackage_name(db_name), sum_intra_duplicates=True,
                                     sum_inter_duplicates=False)
    for matrix, entries in (("biosphere_matrix", biosphere), ("technosphere_matrix", technosphere)):
        _add_vector(bwp, package, matrix, bwp.clean_datapackage_name(f"{db_name} {matrix}"), entries)
    package.metadata["database_dependencies"] = sorted(used - {db_name})  # as bw2data's process() records them
    return package, fg_ids


def _entries(resolved: ResolvedStudy, db_name: str, local: dict, known: dict[Key, int],
             used: set[str]) -> tuple[_Entries, _Entries]:
    """The technosphere and biosphere entries, in the order of ``foreground_exchanges`` (what
    ``lca export`` writes) after the study-local datasets' own; ``used`` gets the databases the
    exchanges point into."""
    technosphere, biosphere = _Entries(), _Entries()
    try:
        for key, data in local.items():  # a few nodes, with their own dictionaries
            for ex in data["exchanges"]:
                fields = {k: v for k, v in ex.items() if k not in ("input", "amount", "type")}
                used.add(ex["input"][0])
                production = ex["type"] == "production"
                (biosphere if ex["type"] == "biosphere" else technosphere).add(
                    known[ex["input"]], known[key], ex["amount"], flip=ex["type"] == "technosphere",
                    reference=production, fields=fields)
        targets = _Targets(resolved, db_name, known, technosphere, biosphere)
        for key, system in resolved.systems.items():
            _system_entries(key, system, db_name, known, targets, technosphere, used)
        for out, target, kind, amount, _, _ in proxy_exchanges(resolved, db_name):  # no uncertainty of their own
            used.add(target[0])
            (biosphere if kind == "biosphere" else technosphere).add(
                known[target], known[out], float(amount), flip=kind == "technosphere", reference=kind == "production")
    except KeyError as missing:  # bw2data's process() refuses the same exchange (UnknownObject)
        raise RuntimeError(f"an exchange of the foreground points at {missing.args[0]}, which is not in the "
                           "project") from None
    used.update(targets.databases)
    return technosphere, biosphere


def _system_entries(key: str, system, db_name: str, known: dict[Key, int], targets: _Targets,
                    technosphere: _Entries, used: set[str]) -> None:
    """One system's entries as ``foreground_exchanges`` gives them: each activity's production,
    then its inputs (an activity consumed by another per unit of its output: ``amount x scale``,
    its distribution's bounds scaled alike), then the functional unit's production and its
    inputs (each top-level activity's scale). Ids are looked up once per activity and per target."""
    from lca.engine.stats_arrays import stats_arrays_fields

    ids = {a.id: known[(db_name, f"{key}/{a.id}")] for a in system.activities}
    scale = {a.id: a.scale for a in system.activities}
    used.add(db_name)
    add = technosphere.items.append  # the hot loop: one tuple appended per entry
    for act in system.activities:
        own = ids[act.id]
        add((own, own, 1.0, False, True))
        for inp in act.inputs:
            if inp.kind == "activity":
                entries, row, factor = technosphere, ids[inp.target], scale[inp.target]
                amount = float(inp.amount * factor)
            else:
                entries, row = targets.of(inp.kind, inp.target)
                factor, amount = 1.0, float(inp.amount)
            if inp.uncertainty is not None:
                entries.uncertain[len(entries.items)] = stats_arrays_fields(inp.uncertainty, amount, float(factor))
            entries.items.append((row, own, amount, entries is technosphere, False))
    fu = known[(db_name, f"{key}/__fu__")]
    add((fu, fu, 1.0, False, True))
    for a in system.activities:
        if a.top_level:
            add((ids[a.id], fu, float(a.scale), True, False))


class _Targets:
    """The entries and id of each exchange target (a dataset, a flow, a user's activity), found
    once (a study of 100,000 activities uses the same few), and the databases they are in."""

    def __init__(self, resolved: ResolvedStudy, db_name: str, known: dict[Key, int], technosphere: _Entries,
                 biosphere: _Entries):
        self.resolved, self.db_name, self.known = resolved, db_name, known
        self.technosphere, self.biosphere = technosphere, biosphere
        self.found: dict[tuple[str, str], tuple[_Entries, int]] = {}
        self.databases: set[str] = set()

    def of(self, kind: str, target: str) -> tuple[_Entries, int]:
        found = self.found.get((kind, target))
        if found is None:
            node, type_ = input_node(self.resolved.library, self.db_name, kind, target)
            entries = self.biosphere if type_ == "biosphere" else self.technosphere
            found = self.found[(kind, target)] = (entries, self.known[node])
            self.databases.add(node[0])
        return found


def _add_vector(bwp, package, matrix: str, name: str, entries: _Entries) -> None:
    """One persistent vector, as bw2data's ``process`` writes it (sorted, single precision)."""
    table = entries.array()
    amounts = table["amount"].astype(np.float32)
    kinds, distributions = _distributions(bwp, entries, table["amount"], amounts)
    rows, cols = table["row"], table["col"]
    order = np.lexsort((kinds, amounts, cols, rows))  # the last key sorts first: row, col, amount, type
    indices = np.empty(len(rows), dtype=bwp.INDICES_DTYPE)
    indices["row"], indices["col"] = rows[order], cols[order]
    flip = table["flip"][order]
    reference = table["reference"][order]
    package.add_persistent_vector(
        matrix=matrix, name=name, indices_array=indices, data_array=amounts[order],
        distributions_array=distributions[order], flip_array=flip if flip.any() else None,
        reference_array=reference if reference.any() else None)


def _distributions(bwp, entries: _Entries, exact: np.ndarray, amounts: np.ndarray):
    """(uncertainty type per entry, stats_arrays structured array): none, loc = amount, for an
    exchange without fields, as bw2data's ``as_uncertainty_dict`` and ``dictionary_formatter``.
    ``exact``: the amounts in double precision, ``amounts`` in single."""
    out = np.empty(len(amounts), dtype=bwp.UNCERTAINTY_DTYPE)
    out["uncertainty_type"] = 0
    out["loc"] = amounts
    for name in ("scale", "shape", "minimum", "maximum"):
        out[name] = NAN
    out["negative"] = False
    for i, fields in entries.uncertain.items():
        if not fields:  # a distribution Brightway cannot represent: none, as bw2data writes it
            continue
        kind = int(fields.get("uncertainty type", fields.get("uncertainty_type", 0)))
        negative = fields.get("negative", exact[i] < 0 and kind in _positive())
        out[i] = (kind, fields.get("loc", exact[i]), fields.get("scale", NAN), fields.get("shape", NAN),
                  fields.get("minimum", NAN), fields.get("maximum", NAN), bool(negative))
    return out["uncertainty_type"].copy(), out


def _positive() -> set:
    from bw2data.utils import POSITIVE_DISTRIBUTIONS

    return set(POSITIVE_DISTRIBUTIONS)


def background_packages(bd, methods: list, foreground) -> list:
    """The project's datapackages MultiLCA needs besides the ``foreground`` package: what
    ``bw2data.get_multilca_data_objs`` returns for the foreground written in the project, minus it
    (the databases its exchanges point into, with every database they depend on; the methods)."""
    names: set[str] = set()
    for name in foreground.metadata["database_dependencies"]:
        names |= bd.Database(name).find_graph_dependents()
    packages = [bd.Database(name).datapackage() for name in sorted(names)]
    return packages + [bd.Method(m).datapackage() for m in methods]
