"""Study-local datasets: the study's ``datasets:`` section laid over the background library.

``study_library(loaded, library)`` is a per-study view of the library (a new ``Library``; the
shared one is untouched): its datasets are the library's plus the study's own, each checked like a
library file (units of the criteria, known flows). Its ``fingerprint`` stays the library's, so the
Brightway project per background stays shared; the engine writes local datasets into the study's
own foreground database (lca.engine.project), whose name hashes their content, and the study's
SHA-256 in the provenance covers them.

A local id that is a library id is refused unless the dataset says ``replaces: ID`` (the same id):
the study then uses its own dataset wherever it names that id. A local value may be taken
``from`` a library dataset, per criterion (lca.study.combined).
"""

from __future__ import annotations

from collections import ChainMap
from dataclasses import replace

from lca.core.errors import StudyError
from lca.library.background import Library, check_dataset_values
from lca.study.amounts import Collector
from lca.study.combined import taken_values
from lca.study.model import LoadedStudy


def study_library(loaded: LoadedStudy, library: Library, col: Collector | None = None) -> Library:
    """The library with the study's own datasets; problems go to ``col`` (else raise StudyError).

    Idempotent: the view of this study is returned as it is.
    """
    local = loaded.model.datasets
    if not local or library.local_of == loaded.sha256:
        return library
    if library.local_of:
        raise ValueError("this library already holds another study's datasets; pass the shared library")
    collector = col or Collector(loaded.doc)
    # laid over the library's mappings, not copied: a copy would read every family of the library
    datasets: ChainMap = ChainMap({}, library.datasets)  # type: ignore[arg-type]
    files: ChainMap = ChainMap({}, library.dataset_files)  # type: ignore[arg-type]
    marks: dict = {}
    units_of = {c: crit.unit for c, crit in library.criteria.items()}
    local_ids, taken_from = {ds.id for ds in local}, {}
    for i, ds in enumerate(local):
        loc = ("datasets", i)
        if ds.id in marks:
            collector.add(loc + ("id",), f"dataset id {ds.id!r} is defined twice in this study")
            continue
        _id_problem(ds, loc, library, collector)
        ds, taken = taken_values(ds, loc, library, local_ids, collector)  # {from: ...} values in place
        taken_from.update(taken)
        collector.problems.extend(check_dataset_values(ds, loaded.doc, loc, units_of, library.flows))
        # kept even with a problem (the run stops on it anyway): its users are not also "unknown"
        datasets[ds.id], files[ds.id], marks[ds.id] = ds, loaded.path, ds.replaces
    if col is None and collector.problems:
        raise StudyError(collector.problems)
    return replace(library, datasets=datasets, dataset_files=files, local=marks, local_of=loaded.sha256,
                   base=library, taken_from=taken_from)


def _id_problem(ds, loc: tuple, library: Library, col: Collector) -> bool:
    """A located problem with the dataset's id or ``replaces``; True when there is one."""
    if ds.replaces is not None:
        if ds.replaces != ds.id:
            col.add(loc + ("replaces",), f"`replaces` names the library dataset this one stands in for; give "
                                         f"this dataset its id (id: {ds.replaces}) or remove `replaces`")
            return True
        if ds.id not in library.datasets:
            col.add(loc + ("replaces",), f"there is no library dataset {ds.id!r} to replace; remove `replaces`")
            return True
        return False
    if ds.id in library.datasets:
        where = library.dataset_files.get(ds.id, "the background library")
        col.add(loc + ("id",), f"dataset id {ds.id!r} is a library dataset ({_short(where)}); give yours another "
                               f"id, or write `replaces: {ds.id}` to use yours instead in this study")
        return True
    return False


def _short(path: str) -> str:
    """``.../inventories/background/electricity.yaml`` -> ``inventories/background/electricity.yaml``."""
    parts = path.replace("\\", "/").split("/")
    return "/".join(parts[parts.index("inventories"):]) if "inventories" in parts else parts[-1]
