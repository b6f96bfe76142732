"""A system Brightway cannot solve, located in the study: which activities, which exchanges, which line.

The study's loop check (``lca.study.loops``) refuses loops without a solution before Brightway is
opened, so a deterministic solve should never fail; this module is what stands behind it. After
``MultiLCA.lci`` (and for every Monte Carlo draw) the supply of every foreground activity must be
a finite number, zero or more: a singular system gives NaN or infinite supplies, a loop that
consumes more than it makes gives negative ones (a negative footprint, with exit 0, before). When
it is not, the activities whose loop has no solution are found (strongly connected components of
the foreground technosphere, one sparse solve each) and named at their activity-to-activity
exchanges, ``PATH:LINE: field: message`` (UnsolvableSystemError, exit 2). A failure that no
activity of the study explains (a non-square technosphere: Brightway's files out of step) is the
data directory's, said as such (DataDirectoryError, exit 2).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import spsolve

from lca.core.errors import DataDirectoryError, Problem, UnsolvableSystemError
from lca.study import ResolvedStudy

Key = tuple[str, str]
MAX_LOOP_GAIN = 1e6  # as lca.study.loops: a loop multiplying its demand by more has no usable solution
NEGATIVE_TOLERANCE = 1e-9  # relative to the largest supply: solver round-off, not a negative supply


class UnsolvableDraws(Exception):
    """Some Monte Carlo draws leave foreground nodes without a finite, non-negative supply."""

    def __init__(self, codes: list[str], draws: int):
        self.codes, self.draws = codes, draws
        super().__init__(f"{draws} draw(s) without a solution for {', '.join(codes)}")


def bad_supply(X: np.ndarray) -> np.ndarray:
    """Mask of the entries of ``X`` (any shape, supplies) that are not finite or are negative."""
    with np.errstate(invalid="ignore"):
        scale = np.nanmax(np.abs(np.where(np.isfinite(X), X, 0.0)), initial=0.0)
        return ~np.isfinite(X) | (X < -NEGATIVE_TOLERANCE * max(scale, 1.0))


def unsolvable_codes(A: sparse.spmatrix, codes: list[str]) -> list[str]:
    """Codes of the nodes (columns of the square block ``A``, Brightway signs) in a loop without solution."""
    A = sparse.csr_matrix(A)
    pattern = (A != 0).astype(np.int8)
    count, labels = connected_components(pattern, directed=True, connection="strong")
    out: list[str] = []
    for component in range(count):
        members = np.flatnonzero(labels == component)
        if not _solvable(A[members][:, members]):
            out += [codes[i] for i in members]
    return out


def _solvable(block: sparse.csr_matrix) -> bool:
    """Whether ``block y = 1`` has a finite solution with 0 < y < MAX_LOOP_GAIN (as the loop check)."""
    if not np.all(np.isfinite(block.data)):
        return False
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            y = np.atleast_1d(spsolve(block.tocsc(), np.ones(block.shape[0])))
        except (RuntimeError, ValueError):
            return False
    return bool(np.all(np.isfinite(y)) and np.all(y > 0) and np.max(y) < MAX_LOOP_GAIN)


def unsolvable_error(resolved: ResolvedStudy, codes: Iterable[str], why: str) -> UnsolvableSystemError:
    """A located error naming the activities ``codes`` (``"ai/a"``) at their activity-to-activity exchanges."""
    chosen: dict[str, set[str]] = {}
    for code in codes:
        system, _, activity = code.partition("/")
        if system in resolved.systems and activity != "__fu__":
            chosen.setdefault(system, set()).add(activity)
    doc, path = resolved.loaded.doc, resolved.loaded.path
    problems = []
    for system, ids in chosen.items():
        acts = resolved.systems[system].activities
        inside = [inp for a in acts if a.id in ids for inp in a.inputs if inp.kind == "activity" and inp.target in ids]
        names = ", ".join(sorted(ids)[:20]) + (f" and {len(ids) - 20} more" if len(ids) > 20 else "")
        if inside:
            first = min(inside, key=lambda inp: inp.line or 0)
            lines = ", ".join(str(inp.line) for inp in sorted(inside, key=lambda inp: inp.line or 0)[:10])
            problems.append(Problem(path, first.line, first.field + ".activity",
                                    f"activities {names} of {system} have no solution together ({why}); "
                                    f"check the activity-to-activity amounts at lines {lines}: a loop must "
                                    "consume less than one unit of itself per unit it makes"))
        else:
            index = next(i for i, a in enumerate(acts) if a.id in ids)
            loc = ("systems", system, "activities", index)
            problems.append(Problem(path, doc.line_of(loc), f"systems.{system}.activities[{index}]",
                                    f"activities {names} of {system} have no solution ({why}); "
                                    "check their amounts"))
    if not problems:
        raise ValueError("no activity of the study named")
    return UnsolvableSystemError(problems)


def unexplained(directory, why: str) -> DataDirectoryError:
    """A solve failure that no activity of the study explains: Brightway's cached files are out of step."""
    return DataDirectoryError(
        f"Brightway could not solve this study ({why}), although every activity of it has a solution: "
        f"the data directory {directory} is probably out of step; delete it (it is a cache) and run again")


def check_solution(A: sparse.spmatrix, supply: np.ndarray, codes: list[str], resolved: ResolvedStudy,
                   directory) -> None:
    """Raise a located error when ``supply`` (systems x nodes) is not finite and non-negative."""
    bad = bad_supply(supply).any(axis=0)
    if not bad.any():
        return
    why = "a singular system: supplies that are not finite" if (~np.isfinite(supply)).any() else \
        "a loop that consumes more than it makes: negative supplies"
    looped = [c for c in unsolvable_codes(A, codes) if c.partition("/")[0] in resolved.systems]
    if looped:
        raise unsolvable_error(resolved, looped, why)
    raise unexplained(directory, why)


__all__ = ["UnsolvableDraws", "bad_supply", "check_solution", "unexplained", "unsolvable_codes",
           "unsolvable_error"]
