"""Write the background (biosphere, indicator flows, datasets, methods) and study foregrounds.

One Brightway project per background fingerprint: ``ai-lca-<hash>``. It is built once, marked
ready, and reused while ``inventories/methods`` and ``inventories/background`` are unchanged; a
project left half-built by a killed run has no ready mark and is rebuilt. Each study's foreground
is a database named after the hash of its resolved content, reused when unchanged.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import weakref

import numpy as np

from lca.engine.fastwrite import fast_database
from lca.engine.user_proxies import proxy_exchanges, proxy_nodes
from lca.library.background import NO_DATA, Library
from lca.study import ResolvedStudy
from lca.study.brightway_refs import proxy_code

ENGINE_VERSION = "2"  # 2: uncertainty fields of background values written for Brightway
BIOSPHERE_DB = "biosphere3"
INDICATOR_DB = "ai-lca-indicators"
BACKGROUND_DB = "ai-lca-background"
READY_MARK = "ai-lca-ready"
KEEP_FOREGROUNDS = 30
LOCAL_PREFIX = "dataset/"  # code prefix of a study-local dataset's node in the study's foreground


def method_key(criterion: str) -> tuple[str, str]:
    return ("ai-lca", criterion)


def project_name(library: Library) -> str:
    digest = hashlib.sha256((library.fingerprint + ENGINE_VERSION).encode()).hexdigest()
    return f"ai-lca-{digest[:16]}"


@contextlib.contextmanager
def _quiet():
    """bw2data draws progress bars for every write; ours are the only ones the user sees."""
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        yield


def ensure_background(bd, library: Library) -> str:
    """Switch to the project for this background, building it when missing or half-built."""
    name = project_name(library)
    if bd.projects.current == name and (bd.projects.dir / READY_MARK).exists():
        _add_missing_criteria(bd, library)  # a user's own criteria, added for this study (cheap when none)
        return name  # already current and built: switching again costs bw2data two full gc.collect()
    if name in bd.projects:
        with _frozen_heap():
            bd.projects.set_current(name, update=False)
        if (bd.projects.dir / READY_MARK).exists():
            _add_missing_criteria(bd, library)
            return name
        bd.projects.delete_project(name, delete_dir=True)
    with _frozen_heap():
        bd.projects.set_current(name)
    with _quiet():
        _write_background(bd, library)
    (bd.projects.dir / READY_MARK).write_text(library.fingerprint)
    return name


@contextlib.contextmanager
def _frozen_heap():
    """bw2data's ``set_current`` runs a full ``gc.collect()`` per SQLite database it reopens (to
    release the old file handle): over the heap of a large study (a 10,000-activity study is
    millions of objects) that was 0.4 s. The objects alive before the switch are left out of
    those collections (``gc.freeze``), and given back to the collector after."""
    import gc

    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _write_background(bd, library: Library) -> None:
    bd.Database(BIOSPHERE_DB).write({(BIOSPHERE_DB, f.id): flow_node(f) for f in library.flows.values()},
                                    process=True)
    write_library(bd, library)


def _add_missing_criteria(bd, library: Library) -> None:
    """Criteria added for one study (a user's own method, lca.engine.user_background) get their
    indicator flow and method in the cached project: factor 1 on the indicator flow only."""
    missing = [c for c in library.criteria.values() if method_key(c.id) not in bd.methods]
    if not missing:
        return
    with _quiet():
        db = bd.Database(INDICATOR_DB)
        have = {node["code"] for node in db}
        for c in missing:
            if c.id not in have:
                db.new_node(code=c.id, name=f"{c.name}, aggregated indicator", categories=("indicator",),
                            unit=c.unit, type="emission").save()
        db.process()
        for c in missing:
            method = bd.Method(method_key(c.id))
            method.register(unit=c.unit, description=c.name)
            method.write([((INDICATOR_DB, c.id), 1.0)])


def flow_node(flow) -> dict:
    """A biosphere3 flow as a Brightway node: its UUID is its code, as in ecoinvent's biosphere3."""
    return {"name": flow.name, "categories": flow.categories, "unit": flow.unit, "type": flow.type,
            "code": flow.id, "database": BIOSPHERE_DB}


def write_library(bd, library: Library) -> None:
    """The indicator flows, the background datasets and the methods (biosphere3 must exist).

    A study's view of the library writes the shared library it was made from: study-local
    datasets go to that study's foreground, never to the background shared by every study.
    """
    library = library.base or library
    bd.Database(INDICATOR_DB).write({
        (INDICATOR_DB, c.id): {
            "name": f"{c.name}, aggregated indicator", "categories": ("indicator",), "unit": c.unit,
            "type": "emission", "code": c.id, "database": INDICATOR_DB,
        }
        for c in library.criteria.values()
    }, process=True)
    data = {}
    for ds in library.datasets.values():
        for vname in ds.variants:
            code = f"{ds.id}@{vname}"
            data[(BACKGROUND_DB, code)] = dataset_node(library, ds, vname, BACKGROUND_DB, code)
    bd.Database(BACKGROUND_DB).write(data, process=True)
    for crit in library.criteria.values():
        method = bd.Method(method_key(crit.id))
        method.register(unit=crit.unit, description=crit.name)
        cfs = [((INDICATOR_DB, crit.id), 1.0)]
        cfs += [((BIOSPHERE_DB, cf.flow), cf.factor) for cf in library.factors.get(crit.id, [])]
        method.write(cfs)


def dataset_node(library: Library, ds, vname: str, db: str, code: str) -> dict:
    """One dataset variant as a Brightway process: its indicator flows and its biosphere flows."""
    from lca.core import units
    from lca.engine.stats_arrays import stats_arrays_fields
    from lca.library.distributions import flow_distribution, impact_distribution

    variant = ds.variants[vname]
    exchanges = [{"input": (db, code), "amount": 1.0, "type": "production"}]
    for crit in library.criteria:
        value = variant.impacts.get(crit)
        if value is None or value == NO_DATA:
            continue
        amount = library.impact(ds, vname, crit).amount
        if amount is None:  # "no data" was skipped above: a value always converts
            continue
        exchanges.append({"input": (INDICATOR_DB, crit), "amount": amount, "type": "biosphere",
                          **stats_arrays_fields(impact_distribution(library, ds, vname, crit), amount)})
    for j, fa in enumerate(variant.flows):
        flow = library.flows[fa.flow]
        amount = units.convert(units.parse_quantity(fa.amount), flow.unit)
        exchanges.append({"input": (BIOSPHERE_DB, flow.id), "amount": amount, "type": "biosphere",
                          **stats_arrays_fields(flow_distribution(library, ds, vname, j, fa), amount)})
    return {"name": f"{ds.name} [{vname}]", "unit": ds.unit, "type": "process", "code": code,
            "database": db, "location": ds.geography or "GLO", "exchanges": exchanges}


def dataset_key(library: Library | None, ref: str, db_name: str) -> tuple[str, str]:
    """The Brightway node of dataset ``"id@variant"``: in the background, or, for a study-local
    dataset, in the study's foreground ``db_name`` (code ``dataset/id@variant``)."""
    if library is not None and ref.partition("@")[0] in library.local:
        return (db_name, LOCAL_PREFIX + ref)
    return (BACKGROUND_DB, ref)


def dataset_ref(key: tuple[str, str]) -> str | None:
    """The ``"id@variant"`` of a dataset node (background or study-local), None for any other node."""
    db, code = key
    if db == BACKGROUND_DB:
        return code
    return code[len(LOCAL_PREFIX):] if code.startswith(LOCAL_PREFIX) else None


def _local_nodes(library: Library | None, db_name: str) -> dict:
    """Every variant of every study-local dataset, as nodes of the study's foreground."""
    data: dict = {}
    if library is None:
        return data
    for ident in library.local:
        ds = library.datasets[ident]
        for vname in ds.variants:
            code = LOCAL_PREFIX + f"{ident}@{vname}"
            data[(db_name, code)] = dataset_node(library, ds, vname, db_name, code)
    return data


def foreground_exchanges(resolved: ResolvedStudy, db_name: str):
    """Every foreground exchange, as ``(output key, input key, type, amount, input)``.

    Amounts are as resolved: floats, or numpy arrays when parameters were sampled (Monte Carlo
    builds its matrices from the same exchanges). ``input`` is the ``ResolvedInput`` behind the
    exchange (None for production exchanges and the functional unit's inputs); an activity
    consumed by another is written per unit of its own output (``amount x scale``), and the amount
    is multiplied by ``factor = scale``, returned as the last element (1 otherwise).
    """
    for key, system in resolved.systems.items():
        code_of = {a.id: f"{key}/{a.id}" for a in system.activities}
        scale_of = {a.id: a.scale for a in system.activities}
        for act in system.activities:
            out = (db_name, code_of[act.id])
            yield out, out, "production", 1.0, None, 1.0
            for inp in act.inputs:
                if inp.kind == "activity":
                    factor = scale_of[inp.target]
                    yield out, (db_name, code_of[inp.target]), "technosphere", inp.amount * factor, inp, factor
                else:
                    node, kind = input_node(resolved.library, db_name, inp.kind, inp.target)
                    yield out, node, kind, inp.amount, inp, 1.0
        fu = (db_name, f"{key}/__fu__")
        yield fu, fu, "production", 1.0, None, 1.0
        for a in system.activities:
            if a.top_level:
                yield fu, (db_name, code_of[a.id]), "technosphere", a.scale, None, 1.0
    yield from proxy_exchanges(resolved, db_name)


def input_node(library: Library | None, db_name: str, kind: str, target: str) -> tuple[tuple[str, str], str]:
    """The node an input to a dataset, a user's activity or a flow points at, and the exchange's
    type (``technosphere`` or ``biosphere``); an input to another activity is the caller's."""
    if kind == "dataset":
        return dataset_key(library, target, db_name), "technosphere"
    if kind == "brightway":  # the user's own activity, as a proxy in our foreground
        return (db_name, proxy_code(target)), "technosphere"
    return (BIOSPHERE_DB, target), "biosphere"


def foreground_data(resolved: ResolvedStudy, db_name: str) -> dict:
    """The study as Brightway activities: one per study activity plus one per system's FU.

    An exchange with a declared distribution carries Brightway's uncertainty fields
    (stats_arrays: lognormal 2, normal 3, uniform 4, triangular 5); its amount is unchanged.
    """
    from lca.engine.stats_arrays import stats_arrays_fields

    data = {**_local_nodes(resolved.library, db_name), **proxy_nodes(resolved, db_name)}
    for key, system in resolved.systems.items():
        for act in system.activities:
            code = f"{key}/{act.id}"
            data[(db_name, code)] = {
                "name": act.name, "unit": "unit", "type": "process", "code": code,
                "database": db_name, "location": "GLO", "exchanges": [],
            }
        fu_code = f"{key}/__fu__"
        data[(db_name, fu_code)] = {
            "name": f"{system.name} (one functional unit)", "unit": "unit", "type": "process",
            "code": fu_code, "database": db_name, "location": "GLO", "exchanges": [],
        }
    for out, target, kind, amount, inp, factor in foreground_exchanges(resolved, db_name):
        exchange = {"input": target, "amount": float(amount), "type": kind}
        if inp is not None:
            exchange.update(stats_arrays_fields(inp.uncertainty, float(amount), float(factor)))
        data[out]["exchanges"].append(exchange)
    return data


_NAMES: dict[int, tuple] = {}  # id(resolved study) -> (weak reference to it, its foreground name)
NAME_VERSION = "3"  # 3: texts as one JSON list, numbers as bytes (2: a repr line per input; 1: foreground_data as JSON)


def foreground_name(resolved: ResolvedStudy) -> str:
    """``study-<id>-<hash of the foreground's content>``: the same study content, the same name.

    Computed once per resolved study (the matrix cache and the uncertainty inputs both ask).
    """
    known = _NAMES.get(id(resolved))
    if known is not None and known[0]() is resolved:
        return known[1]
    name = f"study-{resolved.loaded.model.study.id}-{foreground_digest(resolved)[:12]}"
    key = id(resolved)
    _NAMES[key] = (weakref.ref(resolved, lambda _ref: _NAMES.pop(key, None)), name)
    return name


def foreground_digest(resolved: ResolvedStudy) -> str:
    """SHA-256 of everything the foreground is made of, without building it: each system's key,
    name and number of activities; each activity's id, name, scale, place and number of inputs;
    each input's kind, target, unit, distribution (``repr``) and amount; then the study-local
    datasets' and the proxies' nodes (a few, as JSON). The texts go in as one JSON list (quoted:
    no two lists give the same text), the numbers as their float64 bytes (exact), and the counts
    say where each system and activity ends: any change of these gives another digest."""
    texts: list[str | None] = []
    numbers: list = []
    for key, system in resolved.systems.items():
        texts += (key, system.name)
        numbers.append(len(system.activities))
        for act in system.activities:
            texts += (act.id, act.name)
            numbers += (act.scale, act.top_level, len(act.inputs))
            for inp in act.inputs:
                texts += (inp.kind, inp.target, inp.unit, None if inp.uncertainty is None else repr(inp.uncertainty))
                numbers.append(inp.amount)
    digest = hashlib.sha256(NAME_VERSION.encode())
    digest.update(json.dumps(texts).encode())
    digest.update(np.array(numbers, dtype=np.float64).tobytes())
    small = {**_local_nodes(resolved.library, "x"), **proxy_nodes(resolved, "x")}
    for out, target, kind, amount, _, _ in proxy_exchanges(resolved, "x"):
        small[out]["exchanges"].append({"input": target, "amount": float(amount), "type": kind})
    digest.update(json.dumps({repr(k): v for k, v in small.items()}, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def ensure_foreground(bd, resolved: ResolvedStudy, prune: bool = True) -> str:
    """Write the study's foreground database unless an identical one exists; return its name.

    ``prune`` removes the oldest foregrounds beyond KEEP_FOREGROUNDS (only in our own projects).
    """
    name = foreground_name(resolved)
    if name in bd.databases and bd.databases[name].get(READY_MARK):
        return name
    if name in bd.databases:
        del bd.databases[name]
    with _quiet():
        # our own projects need no search index of a foreground (a quarter of its write time);
        # a user's project (export, prune=False) gets one, as Brightway's tools expect
        fast_database(bd, name).write(foreground_data(resolved, name), process=True, searchable=not prune)
    meta = bd.databases[name]
    meta[READY_MARK] = True
    bd.databases[name] = meta
    bd.databases.flush()
    if prune:
        _prune_foregrounds(bd, keep=name)
    return name


def _prune_foregrounds(bd, keep: str) -> None:
    studies = [n for n in bd.databases if n.startswith("study-") and n != keep]
    if len(studies) < KEEP_FOREGROUNDS:
        return
    studies.sort(key=lambda n: bd.databases[n].get("modified", ""))
    for name in studies[: len(studies) - KEEP_FOREGROUNDS + 1]:
        del bd.databases[name]
