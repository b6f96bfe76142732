"""The one matrix builder: a study's Brightway matrices, built once, used by every calculation.

``build_matrices`` writes (or reuses) the project of the background, builds the study's foreground
as a datapackage in memory (:mod:`lca.engine.foreground_package`: nothing of the study is written
into Brightway), runs bw2calc's ``MultiLCA`` once for both systems and every criterion, and keeps what the deterministic run
(attribution), the Monte Carlo, the sensitivity analysis, the break-even scan and the benchmarks
need: the technosphere ``A`` and biosphere ``B`` (sparse, Brightway signs: production +, inputs -),
the characterisation factors ``cf`` (criteria x flows), Brightway's supply and scores, and one id
map per database (one query each, not one per node).

Structure: the background never consumes the foreground, so with the foreground ``F`` (the
systems' activities and functional units) and the rest ``R`` (background datasets, study-local
datasets, proxies of the user's own activities) ``A = [[A_FF, 0], [A_RF, A_RR]]``. The cumulative score per unit
of every background node, ``s_R = A_RR⁻ᵀ h_R`` with ``h = cf B``, comes from one factorisation of
the background block alone, so that the two systems' foregrounds never mix in a solve (no solver
noise of one system in the other's score). An exchange of ``a`` from a foreground activity of
supply ``x`` to background node ``k`` then contributes ``x · a · s_R[k]``.

``brightway_multilca`` is the MultiLCA set-up itself (also used by the benchmark's plain
Brightway Monte Carlo).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.sparse.linalg import MatrixRankWarning, splu

from lca.engine.bw import brightway
from lca.engine.datadir import data_directory, exclusive_lock
from lca.engine.health import cannot_write, heal, out_of_space
from lca.engine.health_stamp import write_stamp
from lca.engine.solve_errors import check_solution, unexplained, unsolvable_codes, unsolvable_error
from lca.engine.foreground_package import background_packages, foreground_package
from lca.engine.project import (BACKGROUND_DB, BIOSPHERE_DB, INDICATOR_DB, ensure_background, ensure_foreground,
                                foreground_name, method_key)
from lca.library.background import Library
from lca.study import ResolvedStudy

Key = tuple[str, str]  # Brightway node key: (database, code)


@dataclass
class StudyMatrices:
    """Brightway's matrices of one study (both systems), with index maps and Brightway's results."""

    project: str
    foreground: str
    systems: list[str]  # "ai", "reference"
    criteria: list[str]
    ids: dict[Key, int]  # node or flow key -> Brightway id (foreground, background, indicators, biosphere3)
    A: sparse.csc_matrix  # technosphere, products x activities
    B: sparse.csc_matrix  # biosphere, flows x activities
    cf: np.ndarray  # (criteria, flows) characterisation factors
    col: dict[int, int]  # node id -> column of A and B
    row: dict[int, int]  # node id -> row of A (the node's product)
    flow_row: dict[int, int]  # flow id -> row of B
    supply: np.ndarray  # (systems, activities) Brightway's supply of each system's functional unit
    scores: np.ndarray  # (systems, criteria) Brightway's scores
    versions: dict[str, str] = field(default_factory=dict)

    def column(self, key: Key) -> int:
        return self.col[self.ids[key]]

    def flow_factors(self, key: Key) -> np.ndarray:
        """Characterisation factor of flow ``key`` per criterion (zeros for a flow outside the matrices)."""
        index = self.flow_row.get(self.ids.get(key, -1))
        return self.cf[:, index].copy() if index is not None else np.zeros(len(self.criteria))

    @cached_property
    def foreground_columns(self) -> np.ndarray:
        """Columns of the foreground's nodes, in the order of ``foreground_keys``."""
        return np.array([self.col[self.ids[k]] for k in self.foreground_keys], dtype=np.int64)

    @cached_property
    def foreground_keys(self) -> list[Key]:
        """The systems' own activities and functional units (``ai/...``, ``reference/...``).

        Study-local datasets and proxies of the user's activities live in the foreground
        database too, but consume no study activity: they belong to the background block.
        """
        prefixes = tuple(f"{key}/" for key in self.systems)
        return sorted(k for k in self.ids if k[0] == self.foreground and k[1].startswith(prefixes))

    @cached_property
    def background_columns(self) -> np.ndarray:
        """Every column not in the foreground (background datasets), ascending."""
        mask = np.ones(self.A.shape[1], dtype=bool)
        mask[self.foreground_columns] = False
        return np.flatnonzero(mask)

    def rows_of(self, columns: np.ndarray) -> np.ndarray:
        """Rows of A holding the products of the nodes at ``columns``."""
        rows = self._row_of_column[np.asarray(columns, dtype=np.int64)]
        if len(rows) and rows.min() < 0:  # a node without a product row
            raise KeyError(self._node_of_column[int(np.asarray(columns)[np.argmin(rows)])])
        return rows

    @cached_property
    def _node_of_column(self) -> dict[int, int]:
        return {c: node for node, c in self.col.items()}

    @cached_property
    def _row_of_column(self) -> np.ndarray:
        """For each column of A, the row of the product of its node (-1 when it has none)."""
        out = np.full(self.A.shape[1], -1, dtype=np.int64)
        out[np.fromiter(self.col.values(), dtype=np.int64, count=len(self.col))] = [
            self.row.get(node, -1) for node in self.col]
        return out

    @cached_property
    def direct_scores(self) -> np.ndarray:
        """``h = cf B``: (criteria, activities) characterised direct emissions per unit of each node."""
        return np.asarray((self.B.T @ self.cf.T).T)

    @cached_property
    def background_lu(self):
        """One sparse LU factorisation of the background block ``A_RR`` (None when it is empty)."""
        cols = self.background_columns
        if not len(cols):
            return None
        rows = self.rows_of(cols)
        if self.A[self.rows_of(self.foreground_columns)][:, cols].nnz:
            raise RuntimeError("a background dataset consumes a foreground activity; the matrices cannot be split")
        return splu(self.A[rows][:, cols].tocsc())

    @cached_property
    def background_cumulative(self) -> np.ndarray:
        """``s_R``: (criteria, background nodes) cumulative score per unit, columns as ``background_columns``."""
        cols = self.background_columns
        if self.background_lu is None:
            return np.zeros((len(self.criteria), 0))
        h = self.direct_scores[:, cols]
        return np.atleast_2d(self.background_lu.solve(np.ascontiguousarray(h.T), trans="T").T)

    def cumulative_scores(self) -> np.ndarray:
        """(criteria, activities): cumulative score per unit of every background node (0 in the foreground)."""
        out = np.zeros((len(self.criteria), self.A.shape[1]))
        out[:, self.background_columns] = self.background_cumulative
        return out


def build_matrices(resolved: ResolvedStudy, library: Library, data_dir: str | Path | None = None) -> StudyMatrices:
    """Build the study's matrices in Brightway (the background project reused), run MultiLCA once, keep them.

    The matrices of a study already computed are read back from the cache instead
    (:mod:`lca.engine.matrix_cache`): the same inputs, the same Brightway matrices, no Brightway import.
    """
    from lca.engine import matrix_cache

    directory = data_directory(data_dir)
    heal(directory)  # the data directory is a cache: damage is rebuilt, never a study error
    key = matrix_cache.cache_key(resolved, library)
    cached = matrix_cache.read(directory, key)
    if cached is not None:
        return cached
    matrices = _built(resolved, library, directory)
    matrix_cache.write(directory, key, matrices)
    return matrices


def _built(resolved: ResolvedStudy, library: Library, directory: Path) -> StudyMatrices:
    try:
        bd, bc = brightway(directory)
        with exclusive_lock(directory):
            project = ensure_background(bd, library)  # written once per library (the foreground: in memory)
            fg = foreground_name(resolved)
            mlca, ids = _solved(bd, bc, fg, resolved, list(library.criteria), directory)
            write_stamp(directory)  # what this run wrote is sound: the next run's check skips it
    except Exception as exc:
        if out_of_space(exc):
            raise cannot_write(directory, exc) from None
        raise
    m = study_matrices(mlca, ids, project, fg, resolved, list(library.criteria), bd, bc)
    fg_cols = m.foreground_columns  # a singular or over-consuming loop: located, never NaN or negative scores
    check_solution(m.A[m.rows_of(fg_cols)][:, fg_cols], m.supply[:, fg_cols], [k[1] for k in m.foreground_keys],
                   resolved, directory)
    return m


def study_matrices(mlca, ids: dict[Key, int], project: str, fg: str, resolved: ResolvedStudy, criteria: list[str],
                   bd, bc) -> StudyMatrices:
    """The matrices and results of a solved ``MultiLCA`` (``lci`` and ``lcia`` done) of both systems."""
    systems = list(resolved.systems)
    methods = [method_key(c) for c in criteria]
    cf = np.vstack([np.asarray(mlca.characterization_matrices[m].diagonal()).ravel() for m in methods])
    supply = np.vstack([_supply(mlca, key) for key in systems])
    scores = np.array([[float(mlca.scores[(m, key)]) for m in methods] for key in systems])
    return StudyMatrices(
        project=project, foreground=fg, systems=systems, criteria=criteria, ids=ids,
        A=mlca.technosphere_matrix.tocsc(), B=mlca.biosphere_matrix.tocsc(), cf=cf,
        col=_index(mlca.technosphere_mm.col_mapper), row=_index(mlca.technosphere_mm.row_mapper),
        flow_row=_index(mlca.biosphere_mm.row_mapper),
        supply=supply, scores=scores, versions={"bw2data": _version(bd), "bw2calc": _version(bc)})


def _index(mapper) -> dict[int, int]:
    """``{id: matrix index}`` of one of bw2calc's index mappers: the dictionary ``mlca.dicts.activity``
    (``product``, ``biosphere``) is made of (``ArrayMapper.to_dict``), with one vectorised lookup
    instead of a call per id (and another per id to read it back through ``mlca.dicts``)."""
    ids = mapper.array
    return dict(zip(ids.tolist(), mapper.map_array(ids).tolist()))


def written_foreground(resolved: ResolvedStudy, library: Library, data_dir: str | Path | None = None) -> dict[Key, int]:
    """Write the study's foreground into our project as a bw2data database (``ensure_foreground``,
    as ``lca export`` does) and return the id map of it and the databases it uses.

    ``lca run`` never does (its foreground is a datapackage in memory); this is for code that
    reads the study through bw2data, e.g. the benchmarks' plain Brightway Monte Carlo.
    """
    directory = data_directory(data_dir)
    heal(directory)
    bd, _ = brightway(directory)
    with exclusive_lock(directory):
        ensure_background(bd, library)
        fg = ensure_foreground(bd, resolved)
        ids = id_map(bd, (fg, BACKGROUND_DB, INDICATOR_DB, BIOSPHERE_DB))
        write_stamp(directory)
    return ids


def _solved(bd, bc, fg: str, resolved: ResolvedStudy, criteria: list[str], directory: Path):
    """(MultiLCA solved for both systems on every criterion, the id map of its databases).

    The foreground ``fg`` is not written into the project: it is a datapackage in memory
    (:mod:`lca.engine.foreground_package`), its nodes with ids above every id of the project.
    """
    ids = id_map(bd, (BACKGROUND_DB, INDICATOR_DB, BIOSPHERE_DB))
    package, fg_ids = foreground_package(bd, resolved, fg, ids)
    ids.update(fg_ids)
    demands = {key: {ids[(fg, f"{key}/__fu__")]: 1.0} for key in resolved.systems}
    mlca = brightway_multilca(bd, bc, demands, [method_key(c) for c in criteria], foreground=package)
    try:
        with warnings.catch_warnings():  # a singular system gives NaN supplies, located by check_solution
            warnings.simplefilter("ignore", MatrixRankWarning)
            mlca.lci()
    except Exception as exc:  # the study's loops were checked: locate what Brightway found, or blame the cache
        raise _solve_failure(mlca, exc, ids, fg, resolved, directory) from None
    with warnings.catch_warnings():
        # a study with no flow of a criterion (no energy in an EV-minerals study) is normal
        warnings.filterwarnings("ignore", message="All values in characterization matrix")
        mlca.lcia()
    return mlca, ids


def _solve_failure(mlca, exc: Exception, ids: dict[Key, int], fg: str, resolved: ResolvedStudy,
                   directory: Path) -> Exception:
    """The error to show for ``MultiLCA.lci`` raising ``exc``: the activities of a loop without
    solution when the foreground has one (located), else the data directory's (out of step)."""
    why = f"{type(exc).__name__}: {exc}"
    A = getattr(mlca, "technosphere_matrix", None)
    try:  # bw2calc raises ValueError for a dictionary not built yet (a failure before the matrices)
        col, row = mlca.dicts.activity, mlca.dicts.product
    except (AttributeError, ValueError):
        col = row = None
    if A is None or A.shape[0] != A.shape[1] or col is None or row is None:
        return unexplained(directory, why)
    prefixes = tuple(f"{key}/" for key in resolved.systems)
    keys = sorted(k for k in ids if k[0] == fg and k[1].startswith(prefixes) and ids[k] in col and ids[k] in row)
    A = sparse.csr_matrix(A)
    block = A[[row[ids[k]] for k in keys]][:, [col[ids[k]] for k in keys]]
    looped = unsolvable_codes(block, [k[1] for k in keys])
    return unsolvable_error(resolved, looped, why) if looped else unexplained(directory, why)


def brightway_multilca(bd, bc, demands: dict, methods: list, **options):
    """bw2calc's MultiLCA of ``demands`` (name -> {node id: amount}) on ``methods`` (not yet solved).

    ``options`` go to MultiLCA (``use_distributions``, ``seed_override``, ``use_arrays``, ...);
    ``extra_packages`` (a list of bw_processing datapackages) are added to the project's own.
    ``foreground``: the foreground as a datapackage (``foreground_package``), with the project's
    background; without it, the demands' databases as written in the project (bw2data's own
    ``get_multilca_data_objs``: a foreground written by ``ensure_foreground``).
    """
    config = {"impact_categories": methods}
    extra = options.pop("extra_packages", [])
    foreground = options.pop("foreground", None)
    if foreground is None:
        data_objs = bd.get_multilca_data_objs(functional_units=demands, method_config=config)
    else:
        data_objs = background_packages(bd, methods, foreground) + [foreground]
    return bc.MultiLCA(demands=demands, method_config=config, data_objs=list(data_objs) + list(extra), **options)


def id_map(bd, databases) -> dict[Key, int]:
    """``(database, code) -> id`` of every node of ``databases``: one query per database."""
    from bw2data.backends import ActivityDataset as AD

    out: dict[Key, int] = {}
    for name in databases:
        query = AD.select(AD.code, AD.id).where(AD.database == name).tuples()
        out.update({(name, code): ident for code, ident in query})
    return out


def _supply(mlca, key: str) -> np.ndarray:
    fu = f"{key}/__fu__"
    return np.asarray(mlca.supply_arrays[fu if fu in mlca.supply_arrays else key], dtype=float)


def _version(module) -> str:
    v = getattr(module, "__version__", "")
    return ".".join(map(str, v)) if isinstance(v, tuple) else str(v)
