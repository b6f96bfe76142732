"""Where the numbers of the user's own Brightway activities come from: their rows of the data-sources
table (database, its version as the project records it, and the method of each criterion), the
result's provenance, and the findings they call for (docs/own-brightway.md, docs/findings.md)."""

from __future__ import annotations

from lca.library.background import Library
from lca.results import Finding
from lca.study import ResolvedStudy

LICENSED_NOTE = ("These results depend on Brightway databases of the practitioner's own project (such as "
                 "ecoinvent, which is licensed): a reader without the same databases, in the same version, "
                 "cannot reproduce them.")


def _version(user, database: str) -> str:
    version = (user.databases.get(database) or {}).get("version")
    return f"version {version}" if version is not None else "version not recorded in the project"


def criterion_method(user, library: Library, crit: str) -> tuple[list[str], str]:
    """(method, whose) a user activity is scored with on ``crit``: theirs when mapped, else ours."""
    if crit in user.methods:
        return list(user.methods[crit]), "yours"
    return ["ai-lca", crit], "ai-lca"


def user_datasets(resolved: ResolvedStudy, library: Library) -> dict[str, dict]:
    """One row of the data-sources table per user activity the study uses (keyed by exchange target)."""
    user = resolved.loaded.brightway
    if user is None:
        return {}
    used = {inp.target for s in resolved.systems.values() for a in s.activities for inp in a.inputs
            if inp.kind == "brightway"}
    table = {}
    for m in user.activities:
        if m.target not in used:
            continue
        where = f"{m.database} ({_version(user, m.database)}) in your Brightway project {user.project!r}"
        sources = {}
        for crit in library.criteria:
            method, whose = criterion_method(user, library, crit)
            how = (f"method {' / '.join(method)}" if whose == "yours" else
                   f"our {crit} factors ({library.criteria[crit].name}) on its biosphere3 flows")
            sources[crit] = {"source": f"{where}, {how}", "year": None, "database": m.database,
                             "database_version": (user.databases.get(m.database) or {}).get("version"),
                             "project": user.project, "method": method, "method_of": whose}
        table[m.target] = {
            "id": m.code, "variant": None, "name": m.label, "kind": "brightway", "unit": m.unit, "covers": "",
            "per_unit": {c: m.per_unit.get(c, 0.0) for c in library.criteria}, "sources": sources, "file": "",
            "resources": dict(m.resources),
            "brightway": {"project": user.project, "database": m.database, "code": m.code, "name": m.name,
                          "reference product": m.product, "location": m.location, "unit": m.unit},
        }
    return table


def user_provenance(resolved: ResolvedStudy) -> dict | None:
    """The ``provenance.brightway`` section: project, databases with their recorded metadata, methods."""
    user = resolved.loaded.brightway
    if user is None:
        return None
    return {"project": user.project, "databases": user.databases,
            "methods": {c: list(m) for c, m in user.methods.items()},
            "monte_carlo_draws": int(user.draws.shape[0]) if user.draws is not None else 0,
            "draw_seed": user.draw_seed, "licensed_data": LICENSED_NOTE}


def user_findings(resolved: ResolvedStudy) -> list[Finding]:
    """A study flow counts zero on a criterion of the user's own (their method characterises only
    their activities): ``FLOW_NOT_CHARACTERISED``."""
    user = resolved.loaded.brightway
    if user is None or not user.extra:
        return []
    out = []
    for key, system in resolved.systems.items():
        for act in system.activities:
            for inp in act.inputs:
                if inp.kind == "flow":
                    out.append(Finding(
                        "FLOW_NOT_CHARACTERISED", "minor", key,
                        f"{act.id}: flow {inp.label} counts zero on {', '.join(user.extra)} (a criterion of your "
                        "own Brightway methods characterises your databases' activities only); model the "
                        "emission as an activity of your project to count it"))
    return out
