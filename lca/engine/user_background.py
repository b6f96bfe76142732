"""A study's use of the practitioner's own Brightway project: open it read-only, match every
``brightway:`` exchange to one activity, check the methods, and score the activities there.

Choice (docs/own-brightway.md): the user's project is only read (``lca.engine.user_project``);
their activities are computed there by bw2calc, one demand per activity, and each enters our
own project as one activity of the study's foreground database (``brightway/<database>:<code>``)
whose only exchanges are its scores per unit, as "aggregated indicator" flows of each criterion.
Our foreground and background stay in our project; nothing is ever written to theirs.

``with_user_background`` returns the study with its ``UserBackground`` attached (``resolve`` reads
the matched activities from it) and the library with the user's extra criteria added.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

import numpy as np

from lca.core import units
from lca.core.errors import BrightwayMatchError, BrightwayProjectError, Problem
from lca.core.yamlio import dotted
from lca.engine.user_project import Node, UnreadableProject, UserProject, open_project
from lca.library.background import Criterion, Library
from lca.study.brightway_refs import MatchedActivity, UserBackground, pint_unit
from lca.study.model import LoadedStudy

MAX_DRAWS = 1000  # draws of the user's data per Monte Carlo (each is one factorisation of their matrix)
SHOWN = 8  # candidates listed in a message


@dataclass(frozen=True)
class BrightwayOptions:
    """Command-line settings: they override the study's ``background`` (docs/own-brightway.md)."""

    project: str | None = None
    directory: str | Path | None = None
    methods: dict[str, list[str]] = field(default_factory=dict)  # our criterion -> their method
    criteria: dict[str, list[str]] = field(default_factory=dict)  # extra criterion id -> their method


class _Where:
    """Locates problems in the study file, or on the command line for settings given there."""

    def __init__(self, loaded: LoadedStudy):
        self.loaded = loaded

    def study(self, loc: tuple, message: str) -> Problem:
        doc = self.loaded.doc
        return Problem(doc.path, doc.line_of(loc), dotted(loc), message)

    @staticmethod
    def cli(option: str, message: str) -> Problem:
        return Problem(option, None, option.lstrip("-").replace("-", "_"), message)


def user_brightway_dir(directory=None) -> Path:
    """``--brightway-dir``, else ``$BRIGHTWAY2_DIR`` (as the user had it), else Brightway's own default."""
    from lca.engine.bw import USER_BRIGHTWAY2_DIR

    chosen = directory or USER_BRIGHTWAY2_DIR
    if chosen is None:
        import platformdirs

        chosen = platformdirs.user_data_dir("Brightway3", "pylca")  # where bw2data looks by default
    return Path(chosen).expanduser()


def _refs(loaded: LoadedStudy) -> list[tuple[tuple, object]]:
    """(location, BrightwayRef) of every ``brightway:`` exchange of the study."""
    out = []
    for key in ("ai", "reference"):
        system = getattr(loaded.model.systems, key)
        for i, act in enumerate(system.activities if system else []):
            for j, ex in enumerate(act.exchanges):
                if ex.brightway is not None:
                    out.append((("systems", key, "activities", i, "exchanges", j, "brightway"), ex.brightway))
    return out


def with_user_background(loaded: LoadedStudy, library: Library, options: BrightwayOptions | None = None, *,
                         iterations: int = 0, seed: int | None = None, data_dir=None,
                         compute: bool = True) -> tuple[LoadedStudy, Library]:
    """The study with its user activities matched (and scored, when ``compute``), and the library
    with the user's extra criteria; unchanged when the study names no Brightway project.

    ``iterations > 0`` adds Monte Carlo draws of their data (at most MAX_DRAWS, from ``seed``).
    Raises BrightwayProjectError or BrightwayMatchError with every located problem.
    """
    options = options or BrightwayOptions()
    settings = loaded.model.background
    where = _Where(loaded)
    name = options.project or (settings.brightway_project if settings else None)
    if name is None:
        if options.methods or options.criteria or (settings and (settings.methods or settings.criteria)):
            problem = (where.study(("background",), "methods and criteria of your own need your Brightway "
                                   "project: add `brightway_project: NAME` or run with --brightway-project NAME")
                       if settings else where.cli("--brightway-method", "give --brightway-project NAME too"))
            raise BrightwayProjectError([problem])
        return loaded, library
    name_at = (lambda m: where.cli("--brightway-project", m)) if options.project else (
        lambda m: where.study(("background", "brightway_project"), m))
    directory = user_brightway_dir(options.directory)
    try:
        project = open_project(directory, name)
    except UnreadableProject as exc:
        raise BrightwayProjectError([name_at(f"{exc}; give the directory with --brightway-dir "
                                             "(default: $BRIGHTWAY2_DIR, else Brightway's own)")]) from None
    try:
        methods, extra, units_of, problems = _methods(project, library, settings, options, where)
        matches, nodes, more = _match_all(project, _refs(loaded), where)
        problems += more
        if problems:
            raise BrightwayMatchError(problems)
        problems = _processed(project, nodes, methods, name_at)
        if problems:
            raise BrightwayProjectError(problems)
        criteria = list(library.criteria) + list(extra)
        user = UserBackground(name, str(directory), {}, {c: tuple(m) for c, m in methods.items()}, units_of,
                              extra, _database_metadata(project, nodes), tuple(criteria))
        if compute:
            user = _scored(user, project, library, nodes, matches, iterations, seed, data_dir, name_at)
        else:
            user = replace(user, matches=matches)
    finally:
        project.close()
    return replace(loaded, brightway=user), extended_library(library, user)


def _methods(project: UserProject, library: Library, settings, options: BrightwayOptions, where: _Where):
    """Their methods for our criteria and their extra criteria, checked; with located problems."""
    problems: list[Problem] = []
    methods: dict[str, list[str]] = {}
    extra: dict[str, tuple[str, str]] = {}
    units_of: dict[str, str] = {}
    entries: list[tuple[str, str, list[str], Callable[[str], Problem]]] = []  # (kind, id, method, locate)
    for c, m in (settings.methods if settings else {}).items():
        entries.append(("map", c, m, partial(where.study, ("background", "methods", c))))
    for c, spec in (settings.criteria if settings else {}).items():
        entries.append(("extra", c, spec.method, partial(where.study, ("background", "criteria", c, "method"))))
    for c, m in options.methods.items():
        entries.append(("map", c, m, partial(where.cli, "--brightway-method")))
    for c, m in options.criteria.items():
        entries.append(("extra", c, m, partial(where.cli, "--brightway-criterion")))
    names = {c: spec.name for c, spec in (settings.criteria if settings else {}).items() if spec.name}
    for kind, crit, method, locate in entries:
        key = tuple(method)
        if key not in project.methods:
            problems.append(locate(_unknown_method(project, key)))
            continue
        unit = str(project.methods[key].get("unit") or "")
        if kind == "map":
            if crit not in library.criteria:
                problems.append(locate(f"{crit!r} is not one of our criteria ({', '.join(library.criteria)}); "
                                       "a criterion of your own goes under `background.criteria`"))
                continue
            if method_unit_factor(unit, library.criteria[crit].unit) is None:
                problems.append(locate(f"method {' / '.join(key)} is in {unit or 'no unit'!r}, which is not "
                                       f"{library.criteria[crit].unit}; map {crit} to a method in that unit, or "
                                       "add this one under `background.criteria` as a criterion of its own"))
                continue
        else:
            if crit in library.criteria:
                problems.append(locate(f"{crit!r} is one of our criteria; to compute it with your method, "
                                       f"map it under `background.methods` ({crit}: [...])"))
                continue
            extra[crit] = (names.get(crit) or " / ".join(key), unit or "unit")
        methods[crit] = list(key)
        units_of[crit] = unit
    return methods, extra, units_of, problems


def _unknown_method(project: UserProject, key: tuple) -> str:
    import difflib

    labels = {" / ".join(m): m for m in project.methods}
    close = difflib.get_close_matches(" / ".join(key), list(labels), n=SHOWN, cutoff=0.4)
    if not close:
        close = [label for label, m in labels.items() if key and m[0] == key[0]][:SHOWN]
    hint = ("; similar: " + "; ".join(repr(list(labels[c])) for c in close)) if close else (
        f"; the project has {len(project.methods)} method(s), none similar")
    return f"no method {list(key)!r} in project {project.name!r}{hint}"


def method_unit_factor(method_unit: str, criterion_unit: str) -> float | None:
    """How many ``criterion_unit`` one ``method_unit`` is (``"kg CO2-Eq"`` -> kgCO2e: 1); None when
    the method's unit is not recognisably of the criterion's kind."""
    text = (method_unit or "").strip()
    candidates = [text]
    plain = text.lower().replace("-eq.", "").replace("-eq", "").replace(" eq.", "").replace(" eq", "")
    plain = " ".join(plain.replace("-", " ").split())
    known = {"kg co2": "kgCO2e", "g co2": "gCO2e", "t co2": "tCO2e", "kg sb": "kgSbe", "g sb": "gSbe",
             "mj": "MJ", "megajoule": "MJ", "kwh": "kWh", "kilowatt hour": "kWh"}
    if plain in known:
        candidates.insert(0, known[plain])
    for unit in candidates:
        try:
            if unit and units.same_dimension(unit, criterion_unit):
                return float(units.convert(units.Quantity(1.0, unit), criterion_unit))
        except units.UnitError:
            continue
    return None


def _match_all(project: UserProject, refs, where: _Where):
    """Every reference matched to one node: ({ref key: MatchedActivity}, [nodes], problems)."""
    matches: dict[tuple, MatchedActivity] = {}
    nodes: dict[int, Node] = {}
    problems: list[Problem] = []
    for loc, ref in refs:
        if ref.key() in matches:
            continue
        node = match(project, ref)
        if isinstance(node, str):
            problems.append(where.study(loc, node))
            continue
        nodes[node.id] = node
        matches[ref.key()] = MatchedActivity(f"{node.database}:{node.code}", node.database, node.code, node.name,
                                             node.product, node.location, node.unit or "", pint_unit(node.unit))
    return matches, list(nodes.values()), problems


def match(project: UserProject, ref) -> Node | str:
    """The one activity ``ref`` names, or a message listing the candidates."""
    if ref.database not in project.databases:
        known = ", ".join(repr(d) for d in sorted(project.databases)) or "none"
        return f"no database {ref.database!r} in project {project.name!r} (its databases: {known})"
    if ref.code is not None:
        node = project.by_code(ref.database, ref.code)
        if node is None:
            return f"no activity with code {ref.code!r} in database {ref.database!r}"
        if node.type not in ("process", "processwithreferenceproduct", "product", None, ""):
            return (f"{node.describe()} is a {node.type} of {ref.database!r}, not an activity; "
                    "a biosphere flow is written `flow:` (by name or UUID)")
        return node
    named = project.by_name(ref.database, ref.name)
    found = [n for n in named if _fits(n, ref)]
    if len(found) == 1:
        return found[0]
    if found:
        return (f"{len(found)} activities of {ref.database!r} match {ref.describe()}: {_listed(found)}; "
                "add `location`, `reference product` or `unit` to pick one, or give its `code`")
    candidates = named or project.similar(ref.database, ref.name)
    listed = f"; candidates: {_listed(candidates)}" if candidates else "; no activity has a similar name"
    return f"no activity of {ref.database!r} matches {ref.describe()}{listed}"


def _fits(node: Node, ref) -> bool:
    return ((ref.reference_product is None or node.product == ref.reference_product)
            and (ref.location is None or node.location == ref.location)
            and (ref.unit is None or node.unit == ref.unit))


def _listed(nodes: list[Node]) -> str:
    shown = "; ".join(n.describe() for n in nodes[:SHOWN])
    return shown + (f"; and {len(nodes) - SHOWN} more" if len(nodes) > SHOWN else "")


def _processed(project: UserProject, nodes: list[Node], methods: dict, name_at) -> list[Problem]:
    """Databases and methods must be processed (bw2calc computes from the processed datapackages)."""
    problems = []
    databases = []
    for node in nodes:
        databases += [d for d in project.dependencies(node.database) if d not in databases]
    for db in databases:
        meta = project.databases.get(db)
        if meta is None:
            problems.append(name_at(f"database {db!r} is needed (a dependency) but not in the project"))
        elif meta.get("dirty") or not project.database_package(db).is_file():
            problems.append(name_at(f"database {db!r} has changes not yet processed; process it in your "
                                    f"project first (bw2data: Database({db!r}).process())"))
    for m in dict.fromkeys(tuple(v) for v in methods.values()):
        if not project.method_package(m).is_file():
            problems.append(name_at(f"method {list(m)!r} is not processed; in your project: Method({m!r}).process()"))
    return problems


def _database_metadata(project: UserProject, nodes: list[Node]) -> dict[str, dict]:
    """Name, version, date and size of each database the activities come from, as the project records them."""
    out = {}
    for db in sorted({n.database for n in nodes}):
        meta = project.databases.get(db) or {}
        out[db] = {k: meta.get(k) for k in ("version", "modified", "number", "format") if meta.get(k) is not None}
    return out


def _scored(user: UserBackground, project: UserProject, library: Library, nodes: list[Node], matches: dict,
            iterations: int, seed: int | None, data_dir, name_at) -> UserBackground:
    """The user background with every activity's scores per unit (and Monte Carlo draws)."""
    from lca.engine.bw import brightway
    from lca.engine.datadir import data_directory
    from lca.engine.user_scores import unit_scores

    _, bc = brightway(data_directory(data_dir))  # bw2data pointed at our directory before bw2calc loads it
    ordered = sorted(nodes, key=lambda n: f"{n.database}:{n.code}")
    ours = {c: {cf.flow: cf.factor for cf in library.factors.get(c, [])} for c in library.criteria}
    draws = min(int(iterations), MAX_DRAWS) if iterations and iterations > 0 else 0
    draw_seed = int(np.random.SeedSequence([int(seed or 0), 17]).generate_state(1)[0]) if draws else None
    resources = tuple(f.id for f in library.flows.values() if f.type == "natural resource")
    try:
        scores = unit_scores(bc, project, ordered, list(user.criteria), user.methods, ours, draws, draw_seed,
                             resources)
    except Exception as exc:  # a singular or damaged matrix of theirs: say where, not a traceback
        raise BrightwayProjectError([name_at(f"bw2calc cannot compute your activities "
                                             f"({type(exc).__name__}: {exc})")]) from None
    unmapped = [c for c in library.criteria if c not in user.methods]
    if unmapped and scores.biosphere3_flows == 0:
        raise BrightwayProjectError([name_at(
            f"none of the biosphere flows of your databases is a biosphere3 flow our methods know (by UUID), "
            f"so {', '.join(unmapped)} cannot be computed with our factors; map them to methods of yours "
            "under `background.methods`")])
    factor = np.array([method_unit_factor(user.method_units[c], library.criteria[c].unit)
                       if c in user.methods and c in library.criteria else 1.0 for c in user.criteria])
    base = scores.base * factor
    per_target = {f"{n.database}:{n.code}": dict(zip(user.criteria, map(float, base[k])))
                  for k, n in enumerate(ordered)}
    position = {f"{n.database}:{n.code}": k for k, n in enumerate(ordered)}
    scored = {key: replace(m, per_unit=per_target[m.target],
                           resources={u: float(a[position[m.target]]) for u, a in scores.resources.items()
                                      if a[position[m.target]] != 0})
              for key, m in matches.items()}
    sampled = scores.draws * factor if scores.draws is not None else None
    return replace(user, matches=scored, draws=sampled, draw_seed=draw_seed)


def extended_library(library: Library, user: UserBackground | None) -> Library:
    """The library with the user's extra criteria after ours (same fingerprint: same cached project)."""
    if user is None or not user.extra:
        return library
    criteria = dict(library.criteria)
    for cid, (name, unit) in user.extra.items():
        method = " / ".join(user.methods[cid])
        # their unit is Brightway's text ("mol H+-Eq"), not a pint unit: built without validation
        criteria[cid] = Criterion.model_construct(
            id=cid, name=name, unit=unit, year=None, description=None,
            source=f"method {method} of your Brightway project {user.project!r}")
    return replace(library, criteria=criteria)
