"""The user's activities inside our own project: one foreground activity per activity of theirs.

``brightway/<database>:<code>`` in the study's foreground database produces one unit and emits its
scores per unit (computed in the user's project, ``lca.engine.user_background``) as our
"aggregated indicator" flows, one per criterion, each characterised by factor 1 by its criterion
only. The foreground's exchanges to the user's activity point at it, so Brightway computes the
whole study in our project, and the attribution, breakdowns and Monte Carlo treat it as any
background activity. Monte Carlo draws of their data change these indicator cells
(``draw_deltas``), the same draw for every system in one iteration.
"""

from __future__ import annotations

import numpy as np

from lca.study.brightway_refs import UserBackground, proxy_code


def used_targets(resolved) -> list[str]:
    """The user activities the resolved study consumes, sorted."""
    return sorted({inp.target for s in resolved.systems.values() for a in s.activities for inp in a.inputs
                   if inp.kind == "brightway"})


def _activities(resolved):
    user = resolved.loaded.brightway
    if user is None:
        return []
    by_target = {m.target: m for m in user.matches.values()}
    return [by_target[t] for t in used_targets(resolved)]


def proxy_nodes(resolved, db_name: str) -> dict:
    """Our foreground activity for each user activity the study uses (no exchanges yet)."""
    user = resolved.loaded.brightway
    out = {}
    for m in _activities(resolved):
        code = proxy_code(m.target)
        out[(db_name, code)] = {
            "name": f"{m.label} (from {m.database}, Brightway project {user.project})", "unit": m.unit,
            "type": "process", "code": code, "database": db_name, "location": m.location or "GLO",
            "exchanges": [],
        }
    return out


def proxy_exchanges(resolved, db_name: str):
    """Production and per-criterion indicator exchanges of each proxy, in the form of
    ``lca.engine.project.foreground_exchanges``."""
    from lca.engine.project import INDICATOR_DB

    for m in _activities(resolved):
        node = (db_name, proxy_code(m.target))
        yield node, node, "production", 1.0, None, 1.0
        for crit, value in m.per_unit.items():
            if value != 0:
                yield node, (INDICATOR_DB, crit), "biosphere", value, None, 1.0


def draw_deltas(user: UserBackground, index, fg: str, nodes=None) -> dict[tuple, np.ndarray]:
    """Changes to the indicator cells of the proxies for drawn indices (``-1``: deterministic).

    ``index`` is an array of draw numbers, one per iteration; the result maps
    ``((INDICATOR_DB, criterion), (fg, proxy code))`` to an array of changes per iteration; only
    proxies among ``nodes`` (when given) are changed.
    """
    from lca.engine.project import INDICATOR_DB

    index = np.atleast_1d(np.asarray(index, dtype=float)).astype(int)
    drawn = index >= 0
    out: dict[tuple, np.ndarray] = {}
    draws = user.draws
    for k, m in enumerate(user.activities):
        if nodes is not None and (fg, proxy_code(m.target)) not in nodes:
            continue
        if draws is None:
            raise ValueError(f"your Brightway project {user.project} was read without draws: nothing to draw from")
        for c, crit in enumerate(user.criteria):
            base = m.per_unit.get(crit, 0.0)
            values = np.where(drawn, draws[np.clip(index, 0, None), k, c] - base, 0.0)
            if np.any(values):
                out[((INDICATOR_DB, crit), (fg, proxy_code(m.target)))] = values
    return out
