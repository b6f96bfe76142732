"""How much of a claimed gain survives once the AI service is counted (docs/methodology.md, §7).

Per criterion k, per functional unit, with ``reference_k``, ``net_k = ai_k - reference_k`` and
``gross_gain_k = reference_k - target_k`` (the gain in the target system alone, what a claim of
grade d measures):

- ``claimed_gain_k``: the claim's stated gain on k, as an amount in k's unit: ``value / 100 ×
  reference_k`` for a claim in ``%``, the value converted to k's unit for an absolute claim
  (``83 MWh`` on energy); when the claim says nothing about k, the gain enabled ``gross_gain_k``
  stands in for it (basis ``gain_enabled``);
- ``gain_with_ai_service_k = −net_k``: the gain left once the AI service is counted;
- ``surviving_share_k = gain_with_ai_service_k / claimed_gain_k``: 1 when the AI service costs
  nothing, 0 when it eats the whole gain, negative when the AI solution does worse than the
  reference; undefined (None) when there is no claimed gain (``claimed_gain_k ≤ 0``).

Relative forms (fractions of the reference) are given too: ``claimed 16.7 %, 16.2 % with the AI
service: 97 % of the claim survives``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from lca.core import units


@dataclass(frozen=True)
class Survival:
    basis: str  # "claim" (the claim's own figure on this criterion) | "gain_enabled" (reference - target)
    claimed_gain: float  # in the criterion's unit per FU
    gain_with_ai_service: float  # -net
    surviving_share: float | None
    claimed_fraction: float | None  # claimed_gain / reference
    with_ai_service_fraction: float | None  # -net / reference
    text: str

    def to_dict(self) -> dict:
        return asdict(self)


def claimed_amount(claimed_gain: dict | None, criterion: str, unit: str, reference: float) -> float | None:
    """The claim's gain on ``criterion`` in ``unit`` per FU; None when the claim is on another criterion."""
    if not claimed_gain or claimed_gain.get("criterion") != criterion:
        return None
    value, claim_unit = float(claimed_gain["value"]), claimed_gain["unit"].strip()
    if claim_unit == "%":
        return value / 100.0 * reference
    return float(units.convert(units.Quantity(value, units.parse_unit(claim_unit)), unit))


def survival(claimed_gain: dict | None, criterion: str, unit: str, reference: float, net: float,
             gross_gain: float) -> Survival:
    """What survives of the claimed gain (or of the gain enabled) on one criterion."""
    claimed = claimed_amount(claimed_gain, criterion, unit, reference)
    basis = "claim" if claimed is not None else "gain_enabled"
    if claimed is None:
        claimed = gross_gain
    kept = -net + 0.0
    share = kept / claimed if claimed > 0 else None
    rel = (lambda x: x / reference) if reference > 0 else (lambda x: None)
    return Survival(basis, claimed, kept, share, rel(claimed), rel(kept),
                    _text(basis, share, rel(claimed), rel(kept)))


def _pct(x: float) -> str:
    return f"{x * 100:.3g} %"


def _text(basis: str, share: float | None, claimed: float | None, kept: float | None) -> str:
    what = "the claim" if basis == "claim" else "the gain enabled"
    if share is None:
        return "no gain claimed or enabled on this criterion: nothing to survive"
    head = ""
    if claimed is not None and kept is not None:  # both relative to the reference, or both None
        head = (f"claimed {_pct(claimed)}, {_pct(kept)} with the AI service" if basis == "claim"
                else f"gain enabled {_pct(claimed)}, {_pct(kept)} with the AI service")
    if share <= 0:
        tail = f"none of {what} survives" + (" (the AI solution does worse than the reference)" if share < 0 else "")
    else:
        tail = f"{_pct(share)} of {what} survives"
    return f"{head}: {tail}" if head else tail
