"""Export a study into a Brightway project of the user's own (one that holds ecoinvent, say).

The export writes, into the named project of the given Brightway directory:

- the biosphere3 flows the methods use; when the project already has a ``biosphere3`` database
  (an ecoinvent import), ours are the same flows with the same UUIDs, so only the missing ones
  are added and the user's database is otherwise left as it is;
- ``ai-lca-indicators``, ``ai-lca-background`` and the methods ``("ai-lca", criterion)``;
- the study's foreground database, with one functional-unit activity per system.

A practitioner can then relink foreground exchanges to their own ecoinvent activities and compute
with their own tools; the result of the exported project equals ``lca run`` (tested).
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from pathlib import Path

from lca.library.background import Library
from lca.study import ResolvedStudy
from lca.engine.bw import brightway_at
from lca.engine.export_target import check_export_target, export_failure
from lca.engine.project import (BACKGROUND_DB, BIOSPHERE_DB, INDICATOR_DB, ensure_foreground, flow_node, method_key,
                                write_library)

FINGERPRINT_MARK = "ai-lca-fingerprint"  # in the background database's metadata: the library it holds


@dataclass(frozen=True)
class ExportSummary:
    brightway_dir: str
    project: str
    foreground: str
    functional_units: dict[str, tuple[str, str]]  # system -> (database, code)
    methods: list[tuple[str, str]]
    flows_added: int
    biosphere_reused: bool


def export_study(resolved: ResolvedStudy, library: Library, bw_dir: Path, project: str) -> ExportSummary:
    """Write the study and what it needs into ``project`` (created if missing) under ``bw_dir``.

    A damaged or read-only project is refused before anything is written, and a write refused
    during the export (a full disk) is reported the same way (BrightwayExportError, exit 2)."""
    check_export_target(bw_dir, project)
    try:
        return _export(resolved, library, bw_dir, project)
    except Exception as exc:
        failure = export_failure(exc, Path(bw_dir), project)
        if failure is None:
            raise
        raise failure from None


def _export(resolved: ResolvedStudy, library: Library, bw_dir: Path, project: str) -> ExportSummary:
    bd, _ = brightway_at(bw_dir)
    # the user's own directory: no lock file of ours is left in it
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        bd.projects.set_current(project)
        reused = BIOSPHERE_DB in bd.databases
        added = 0
        if reused:
            have = {node["code"] for node in bd.Database(BIOSPHERE_DB)}
            for flow in library.flows.values():
                if flow.id not in have:
                    bd.Database(BIOSPHERE_DB).new_node(**flow_node(flow)).save()
                    added += 1
            if added:
                bd.Database(BIOSPHERE_DB).process()
        else:
            bd.Database(BIOSPHERE_DB).write(
                {(BIOSPHERE_DB, f.id): flow_node(f) for f in library.flows.values()}, process=True)
            added = len(library.flows)
        _write_library_once(bd, library)
    foreground = ensure_foreground(bd, resolved, prune=False)  # never delete a user's database
    return ExportSummary(
        brightway_dir=str(bd.projects._base_data_dir), project=project, foreground=foreground,
        functional_units={key: (foreground, f"{key}/__fu__") for key in resolved.systems},
        methods=[method_key(c) for c in library.criteria], flows_added=added, biosphere_reused=reused)


def _write_library_once(bd, library: Library) -> None:
    """Write our indicator flows, datasets and methods unless this very library is there already.

    Rewriting a database gives its nodes new ids, and every database that links to them (a
    foreground exported before, a user's database relinked to ours) keeps the old ids in its
    processed matrices until it is processed again: it would then no longer solve
    (``NonsquareTechnosphere``). So each of them is processed again after a rewrite.
    """
    if BACKGROUND_DB in bd.databases and INDICATOR_DB in bd.databases and \
            bd.databases[BACKGROUND_DB].get(FINGERPRINT_MARK) == library.fingerprint:
        return
    write_library(bd, library)
    meta = bd.databases[BACKGROUND_DB]
    meta[FINGERPRINT_MARK] = library.fingerprint
    bd.databases[BACKGROUND_DB] = meta
    bd.databases.flush()
    ours = {BACKGROUND_DB, INDICATOR_DB, BIOSPHERE_DB}
    for name in list(bd.databases):
        depends = set(bd.databases[name].get("depends") or ())
        if name not in ours and depends & {BACKGROUND_DB, INDICATOR_DB}:
            bd.Database(name).process()
