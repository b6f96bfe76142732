"""Final energy consumed (electricity and fuels), in kWh per functional unit (docs/methodology.md, §11).

The energy an exchange brings into a system is known from its dataset:

- the dataset's reference unit is an energy (electricity per kWh, natural gas per kWh of net
  calorific value, heat per MJ): ``e_k = 1 unit`` in kWh;
- else the dataset variant has an ``energy_intensity`` attribute, an energy per reference unit
  (a network's 0.059 kWh/GB): ``e_k`` is that attribute in kWh per unit;
- else a dataset of an energy-carrying kind (electricity, energy, network, service, transport) has
  no known final energy: it is *not counted* and listed, so that the total is never silently
  short; any other dataset (equipment, materials, storage media, end of life) brings none: its
  production energy is in the primary-energy criterion, its use is declared by the study.

An exchange of amount ``a`` from an activity supplied ``x`` times per functional unit contributes
``E = x · a · e_k``; biosphere flows and exchanges to other activities contribute nothing (an
activity's energy is counted where its own exchanges are). Totals and breakdowns are sums of the
same ``E``, like the impact criteria.
"""

from __future__ import annotations

from functools import lru_cache

from lca.core import units
from lca.library.background import Dataset, Library

UNIT = "kWh"
NAME = "Final energy consumed (electricity and fuels)"
ATTRIBUTE = "energy_intensity"
ENERGY_KINDS = ("electricity", "energy", "network", "service", "transport")


def energy_per_unit(library: Library, ds: Dataset, variant: str) -> float | None:
    """``e_k``: kWh of final energy per reference unit of a dataset variant; None when unknown.

    0.0 for a dataset that carries no final energy (equipment, materials, ...). Computed once per
    unit and attribute (a study of 100,000 activities asks it for every exchange).
    """
    attribute = None if _is_energy(ds.unit) else library.attributes(ds, variant).get(ATTRIBUTE)
    return _per_unit(ds.unit, None if attribute is None else attribute.value, ds.kind)


@lru_cache(maxsize=4096)
def _is_energy(unit: str) -> bool:
    return units.same_dimension(unit, UNIT)


@lru_cache(maxsize=4096)
def _per_unit(unit: str, attribute, kind: str) -> float | None:
    if units.same_dimension(unit, UNIT):
        return float(units.convert(units.Quantity(1.0, unit), UNIT))
    if attribute is not None:
        q = units.parse_quantity(attribute)
        try:
            return float(units.convert(q * units.Quantity(1.0, unit), UNIT))
        except units.UnitError:
            return float(units.convert(q, UNIT))
    return None if kind in ENERGY_KINDS else 0.0


def exchange_energies(library: Library):
    """``energy(kind, target, supply, amount)``: ``E = x · a · e_k`` in kWh per functional unit for
    one exchange, None when ``e_k`` is unknown; each target's ``e_k`` found once (a study of 10,000
    activities asks for the same few)."""
    per_unit: dict[str, float | None] = {}

    def energy(kind: str, target: str, supply: float, amount: float) -> float | None:
        if kind != "dataset":
            return 0.0
        if target not in per_unit:
            per_unit[target] = energy_per_unit(library, *library.dataset(target))
        e = per_unit[target]
        return None if e is None else supply * amount * e + 0.0

    return energy


def exchange_energy(library: Library, kind: str, target: str, supply: float, amount: float) -> float | None:
    """``E = x · a · e_k`` for one exchange (``exchange_energies`` for many)."""
    return exchange_energies(library)(kind, target, supply, amount)


def energy_section(systems: dict) -> dict:
    """The ``energy`` JSON section: name, unit, net (AI minus reference) and what is not counted."""
    totals = {k: s.energy.total for k, s in systems.items() if s.energy is not None}
    net = totals["ai"] - totals["reference"] if "ai" in totals and "reference" in totals else None
    return {"name": NAME, "unit": UNIT, "net": net,
            "not_counted": {k: list(s.energy.not_counted) for k, s in systems.items()
                            if s.energy is not None and s.energy.not_counted}}
