"""Communication rules beyond first order, as coded findings (docs/findings.md).

- ``NO_CONSEQUENCE_TREE``: a gain (avoided emissions) is counted but no higher-order effect is declared;
- ``GAIN_AT_SCALE_WITHOUT_HORIZON``: the claim states an absolute gain but the study has no deployment horizon;
- ``GAIN_RELIES_ON_UNQUANTIFIED_EFFECTS``: no gain after the quantified effects, while beneficial
  effects are left qualitative;
- ``UNQUANTIFIED_ADVERSE_EFFECT``: an effect that adds impact is left qualitative (the gain may be overstated);
- ``GAIN_VANISHES_UNDER_REBOUND``: a first-order gain that the declared rebound range can take back;
- ``NO_PAYBACK_WITHIN_HORIZON``: a gain per functional unit whose fixed costs are not paid back at scale.
"""

from __future__ import annotations

from lca.effects.resolve import ResolvedEffects
from lca.results import Finding, StudyResult
from lca.study import LoadedStudy


def _gain_criteria(result: StudyResult) -> list[str]:
    return [k for k, v in (result.net or {}).items() if v < 0]


def scope_findings(result: StudyResult, loaded: LoadedStudy, resolved: ResolvedEffects | None) -> list[Finding]:
    """The rules that apply to every comparative study, with or without effects declared."""
    out = []
    gains = _gain_criteria(result)
    if gains and (resolved is None or not resolved.effects):
        out.append(Finding("NO_CONSEQUENCE_TREE", "minor", None, (
            f"the gain on {', '.join(gains)} is first order only: declare the higher-order effects under "
            "`effects:` (direct rebound, re-spending, induced demand, substitution, obsolescence), each "
            "quantified or `qualitative_only` with a justification, before communicating avoided emissions")))
    claim = loaded.model.claim
    gain = claim.claimed_gain if claim is not None else None
    if gain is not None and gain.unit.strip() != "%" and loaded.model.deployment is None:
        out.append(Finding("GAIN_AT_SCALE_WITHOUT_HORIZON", "major", None, (
            f"the claim states an absolute gain ({gain.value:g} {gain.unit} on {gain.criterion}) with no "
            "horizon: add `deployment:` (horizon in years, functional units per year, fixed costs) so that "
            "a gain at scale is counted over stated years")))
    return out


def effect_findings(balances: dict[str, dict], resolved: ResolvedEffects,
                    deployment: dict | None) -> list[Finding]:
    """The rules that read the balances before and after higher-order effects, and at scale."""
    out = []
    qualitative = [e for e in resolved.effects if e.kind == "qualitative"]
    helping = [e.id for e in qualitative if e.sign < 0]
    adverse = [e.id for e in qualitative if e.sign > 0]
    for k, row in balances.items():
        after, first = row["after_effects"], row["first_order"]
        if helping and after["net"] >= 0:
            out.append(Finding("GAIN_RELIES_ON_UNQUANTIFIED_EFFECTS", "major", None, (
                f"{k}: no gain after the quantified effects (net {after['net']:+.3g}); a gain would rest on "
                f"{', '.join(helping)}, which are not quantified: quantify them (a fraction or an amount with "
                "a source) or do not claim the gain")))
        r_star, rng = row["break_even_rebound"], row["rebound_range"]
        if first["net"] < 0 and r_star is not None and (after["net"] >= 0 or (rng and rng[1] >= r_star)):
            top = f" (declared range up to {100 * rng[1]:.0f} %)" if rng else ""
            out.append(Finding("GAIN_VANISHES_UNDER_REBOUND", "major", None, (
                f"{k}: the gain vanishes at a rebound of {100 * r_star:.3g} %{top}: state the gain with its "
                "rebound range, not the first-order figure")))
    if adverse and any(row["first_order"]["net"] < 0 for row in balances.values()):
        out.append(Finding("UNQUANTIFIED_ADVERSE_EFFECT", "minor", None, (
            f"effect(s) {', '.join(adverse)} add impact but are not quantified: the gain may be overstated; "
            "quantify them when a source allows")))
    for k, crit in ((deployment or {}).get("criteria") or {}).items():
        series = crit["after_effects"]
        if balances[k]["after_effects"]["net"] < 0 and series["at_horizon"] >= 0:
            out.append(Finding("NO_PAYBACK_WITHIN_HORIZON", "major", None, (
                f"{k}: a gain per functional unit, but over the {len(series['cumulative'])}-year horizon the "
                f"fixed costs are not paid back (cumulative net {series['at_horizon']:+.3g})")))
    return out
