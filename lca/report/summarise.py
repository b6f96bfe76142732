"""Long reports summarised: every table or chart that lists activities (or their inputs, findings,
assumptions) shows the ``top`` largest rows and one row for the rest.

A study of thousands of activities made a PDF of over a thousand pages (a bar per activity in
every chart, a row per input in the table of contributions, a line per activity in the findings).
The HTML and PDF reports now keep, per table, the ``top`` rows that contribute most (``top``
configurable, default :data:`TOP_ROWS`; ``lca run --report-rows N``, 0 for every row), ranked by
their largest share of a column's total, and aggregate the rest in one row: ``275 others`` with
the sum of each column and its share of the total. The full detail stays in the JSON
(``systems.*.exchanges``, ``systems.*.by_activity``, ``findings``, ``assumptions``) and in the CSV
tables (``--format csv``, docs/tables.md). A table of ``top + 1`` rows or fewer is shown whole: an
"others" row never stands for a single row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from lca.report.fmt import pct

TOP_ROWS = 25  # rows kept per table of a report
T = TypeVar("T")


@dataclass(frozen=True)
class Others:
    """The rows a summarised table leaves out: how many, the sum of each column, its share of the total."""

    count: int
    sums: tuple[float | None, ...]  # per column (None: no row left out has a value there, e.g. a system without them)
    shares: tuple[float | None, ...]  # per column: sum of the rows left out / sum of every row (None: total 0 or no value)

    def share_text(self, names: Sequence[str] | None = None) -> str:
        """``84.1 % of the total`` (one column) or ``84.1 % of gwp, 3 % of pe`` (several)."""
        if len(self.shares) == 1 or names is None:
            return "the total is zero" if self.shares[0] is None else f"{pct(self.shares[0])} of the total"
        parts = [f"{pct(s)} of {n}" for s, n in zip(self.shares, names) if s is not None]
        return ", ".join(parts) if parts else "the totals are zero"


def top_rows(rows: Sequence[T], values: Callable[[T], Sequence[float | None]], top: int | None
             ) -> tuple[list[T], Others | None]:
    """The ``top`` rows contributing most (largest share of a column's total, in absolute value),
    largest first, and the rest aggregated; every row, in its order, when there are ``top + 1`` or fewer."""
    if top is None or top <= 0 or len(rows) <= top + 1:
        return list(rows), None
    table = [[float(v or 0.0) for v in values(r)] for r in rows]
    columns = len(table[0]) if table else 0
    scale = [sum(abs(row[j]) for row in table) for j in range(columns)]
    rank = [max((abs(row[j]) / scale[j] for j in range(columns) if scale[j] > 0), default=0.0) for row in table]
    order = sorted(range(len(rows)), key=lambda i: (-rank[i], i))
    kept, rest = order[:top], order[top:]
    given = [any(values(rows[i])[j] is not None for i in rest) for j in range(columns)]
    sums = tuple(sum(table[i][j] for i in rest) if given[j] else None for j in range(columns))
    totals = [sum(row[j] for row in table) for j in range(columns)]
    shares = tuple(s / t if t and s is not None else None for s, t in zip(sums, totals))
    return [rows[i] for i in kept], Others(len(rest), sums, shares)


def first_rows(rows: Sequence[T], top: int | None) -> tuple[list[T], int]:
    """The first ``top`` rows (a table with no numbers to rank: assumptions, findings), and how many are left out."""
    if top is None or top <= 0 or len(rows) <= top + 1:
        return list(rows), 0
    return list(rows[:top]), len(rows) - top


def names_text(names: Sequence[str], top: int | None) -> str:
    """``a, b, c`` or, past ``top`` names, ``a, b, … and 275 more``."""
    shown, more = first_rows(list(names), top)
    return ", ".join(shown) + (f" and {more} more" if more else "")
