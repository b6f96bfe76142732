"""Higher-order effects as arithmetic on the first-order balance (docs/methodology.md, "Beyond first order").

Symbols, per criterion k and functional unit (the same as the code and the methodology):

- ``net_k``: first-order net balance, AI solution minus reference;
- ``G_k = reference_k - target_k``: the gross gain the AI enables in the target system (the
  second-order effect: gas not burnt), ``target_k`` being the AI solution's activities of phase ``none``;
- ``s_e``: +1 for an effect that increases the impact, -1 for one that decreases it;
- a fraction effect: ``E_e,k = s_e f_e G_k`` (``f_e = 0.2`` takes back a fifth of the gain);
- an amount effect: ``E_e,k = s_e d_e i_e,k``, driver ``d_e`` per functional unit times the
  intensity ``i_e,k`` (criterion unit per driver unit); 0 on a criterion it has no intensity for;
- ``E_k = sum of E_e,k``; net after higher-order effects ``net_k + E_k``;
- declared rebound ``R = sum of s_e f_e`` over fraction effects, the other effects ``O_k = sum of E_e,k``
  over amount effects, and the **break-even rebound** ``R*_k = -(net_k + O_k) / G_k``: the total
  fraction of the gross gain that can be taken back before the gain vanishes (``net + O + R G = 0``).

``EffectsModel`` is what the Monte Carlo and the Sobol analysis (``lca.uncertainty``) receive: the
effects' own draws and a vectorised ``higher_order(gross, values, n)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from lca.core import units
from lca.core.distribution import ResolvedUncertainty
from lca.effects.resolve import ResolvedEffect, ResolvedEffects
from lca.library.background import Library
from lca.study import LoadedStudy
from lca.study.parameters import evaluate_parameters


def effect_value(eff: ResolvedEffect, crit: str, quantity, gross):
    """``E_e,k`` for ``quantity`` (the fraction ``f_e`` or the driver ``d_e``) and gross gain ``G_k``.

    Scalars or arrays (one value per iteration); 0 on a criterion an amount effect has no intensity for.
    """
    if eff.kind == "fraction":
        return eff.sign * quantity * gross
    if eff.kind == "amount":
        return eff.sign * quantity * eff.intensities.get(crit, 0.0)
    return 0.0 * gross


def break_even_rebound(net: float, others: float, gross: float) -> float | None:
    """``R* = -(net + O) / G``; None without a gross gain (``G <= 0``: no gain to take back)."""
    if not gross > 0:
        return None
    return -(net + others) / gross


@dataclass(frozen=True)
class EffectDraw:
    """One quantified effect's own distribution, drawn by the Monte Carlo as an input of kind ``effect``."""

    name: str  # effect:<id>
    label: str
    base: float
    unit: str
    dist: ResolvedUncertainty


@dataclass
class EffectsModel:
    """The resolved effects with what re-evaluating them under drawn parameters needs."""

    resolved: ResolvedEffects
    loaded: LoadedStudy
    library: Library
    parameters: dict  # deterministic parameter quantities
    fixed: dict = field(default_factory=dict)  # scenario overrides, never sampled

    @property
    def quantified(self) -> list[ResolvedEffect]:
        return [e for e in self.resolved.effects if e.kind != "qualitative"]

    @property
    def target_phase(self) -> str:
        return "none"

    def draws(self) -> list[EffectDraw]:
        """Every quantified effect with an uncertainty: its fraction or driver, drawn."""
        return [EffectDraw(f"effect:{e.id}", f"effect {e.id}: {'fraction' if e.kind == 'fraction' else 'driver'}",
                           e.magnitude, e.unit, e.uncertainty)
                for e in self.quantified if e.uncertainty is not None]

    def higher_order(self, gross: np.ndarray, values: dict, n: int) -> np.ndarray:
        """``E`` of shape (n, criteria) for gross gains ``gross`` (n, criteria) and drawn ``values``.

        ``values`` maps input names to arrays of n: ``effect:<id>`` (the effect's own draw) and
        ``parameter:<name>`` (a drawn study parameter, re-evaluated into the effect's text).
        """
        criteria = self.resolved.criteria
        out = np.zeros((n, len(criteria)))
        params = self._parameters(values, n)
        for eff in self.quantified:
            quantity = self._quantity(eff, params, values)
            for j, crit in enumerate(criteria):
                out[:, j] += np.broadcast_to(effect_value(eff, crit, quantity, gross[:, j]), (n,))
        return out

    def _parameters(self, values: dict, n: int) -> dict | None:
        drawn = {k.split(":", 1)[1]: v for k, v in values.items() if k.startswith("parameter:")}
        if not drawn:
            return None
        overrides = dict(self.fixed)
        for name, v in drawn.items():
            unit = self.parameters[name].units
            overrides[name] = units.Quantity(np.broadcast_to(np.asarray(v, dtype=float), (n,)), unit)
        return evaluate_parameters(self.loaded, overrides, library=self.library)

    @staticmethod
    def _quantity(eff: ResolvedEffect, params: dict | None, values: dict):
        """The fraction or driver: re-evaluated with drawn parameters, then the effect's own draw."""
        quantity: float | np.ndarray = eff.magnitude
        if params is not None and isinstance(eff.text, str):
            q = units.parse_quantity(eff.text, params)
            quantity = np.asarray(units.convert(q, eff.unit or "dimensionless"), dtype=float)
        own = values.get(f"effect:{eff.id}")
        if own is None:
            return quantity
        own = np.asarray(own, dtype=float)
        if np.ndim(quantity) == 0 and float(quantity) == eff.magnitude:
            return own
        if eff.uncertainty is None:
            raise ValueError(f"effect {eff.id!r} is drawn but declares no distribution")
        if eff.uncertainty.distribution == "lognormal":  # as for exchanges: a factor, or a shift
            return quantity * own / eff.magnitude
        return quantity + (own - eff.magnitude)
