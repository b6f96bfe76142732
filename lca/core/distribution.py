"""A declared distribution resolved to plain numbers, in the unit of the value it qualifies.

Shared by the study (exchange and parameter distributions), the library (distributions of
background values) and the engine (Brightway's uncertainty fields); sampled by ``lca.uncertainty``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ResolvedUncertainty:
    """A declared distribution with its bounds converted to the unit of the value it qualifies.

    ``distribution`` is ``lognormal`` (``gsd``; the value is the median), ``normal`` (``sd``; the
    value is the mean), ``uniform`` (``minimum``/``maximum``), ``triangular`` (``minimum``/
    ``maximum``; the value is the mode) or ``discrete`` (``options``, magnitudes drawn with equal
    probability, named by ``option_names``).
    """

    distribution: str
    gsd: float | None = None
    sd: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    options: tuple[float, ...] = ()
    option_names: tuple[str, ...] = ()

    def need(self, name: str) -> float:
        """A parameter the distribution needs (``gsd``, ``sd``, ``minimum``, ``maximum``); ValueError
        naming it when missing (the study resolver always sets those its distribution needs)."""
        value = getattr(self, name)
        if value is None:
            raise ValueError(f"a {self.distribution} distribution without its {name}")
        return value
