"""The verdict: does the claimed gain survive the AI service's own footprint, criterion by criterion?

Per criterion k, per functional unit (docs/methodology.md, "Verdict"):

- ``net_k = ai_k - reference_k`` (``StudyResult.net``);
- ``ai_service_k``: the AI solution's activities with an AI phase (phase other than ``none``);
- ``target_k``: the AI solution's target-system activities (phase ``none``);
- ``gross_gain_k = reference_k - target_k``: the gain the AI enables in the target system;
- ``ai_service_share_k = ai_service_k / gross_gain_k``: how much of that gain the AI service eats
  (1 or more: it eats all of it); undefined when there is no gross gain.

Status per criterion: ``holds`` (net < 0), ``does_not_hold`` (net >= 0), or ``cannot_tell`` when
the 95 % interval of the net straddles zero (uncertainty extras), or when a data gap could flip
the sign (the AI solution has no data on k while net < 0, or the reference has none while
net > 0). Overall: ``holds`` (on every criterion), ``holds_on_some`` (a burden shift when another
criterion does not hold), ``does_not_hold`` (on none), ``cannot_tell`` (every criterion).
Each criterion also carries a machine-readable ``cause`` (``CAUSES``) and how much of the claimed
gain survives (``lca.review.survival``): the verdict is a value, not only a sign. Final energy
(``energy``, kWh) is judged like a criterion when the claimed gain is on it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from lca.results import Finding, StudyResult, SystemResult
from lca.review.survival import survival

NO_AI_PHASE = "none"
ENERGY = "energy"  # final energy (lca.balance.energy), judged when the claimed gain is on it
ZERO_TOLERANCE = 1e-9  # relative: |net| below this share of the larger total counts as no change


@dataclass(frozen=True)
class CriterionVerdict:
    criterion: str
    status: str  # holds | does_not_hold | cannot_tell
    reason: str
    net: float
    ai: float
    reference: float
    ai_service: float
    target_system: float
    gross_gain: float
    ai_service_share: float | None  # fraction of the gross gain the AI service eats
    p_benefit: float | None = None  # P(net < 0) from the uncertainty extras
    interval: tuple[float, float] | None = None  # 95 % interval of the net
    claimed: str | None = None  # the claimed gain on this criterion, as stated
    claimed_vs_computed: str | None = None
    cause: str = ""  # machine-readable reason: one of CAUSES
    unit: str = ""  # the criterion's unit (kWh for final energy)
    survival: dict | None = None  # lca.review.survival: how much of the claimed gain survives


# cause -> status: why a criterion got its status (never read from the reason's wording)
CAUSES = {
    "net_negative": "holds",
    "net_positive": "does_not_hold",
    "equal": "does_not_hold",
    "interval_straddles_zero": "cannot_tell",
    "data_gap_ai": "cannot_tell",  # net < 0, but the AI solution has no data: it may be larger
    "data_gap_reference": "cannot_tell",  # net > 0, but the reference has no data: it may be larger
    "data_gap_equal": "cannot_tell",  # no difference computed, data missing on either side
}
CAUSE_SHORT = {"interval_straddles_zero": "interval straddles zero", "data_gap_ai": "data missing",
               "data_gap_reference": "data missing", "data_gap_equal": "data missing"}


@dataclass(frozen=True)
class Verdict:
    status: str  # holds | holds_on_some | does_not_hold | cannot_tell
    burden_shift: bool
    summary: str
    criteria: dict[str, CriterionVerdict]
    claim_survives: dict | None = None  # the claimed criterion's survival, with `criterion`

    def to_dict(self) -> dict:
        return {
            "status": self.status, "burden_shift": self.burden_shift, "summary": self.summary,
            "criteria": {k: asdict(v) | {"interval": list(v.interval) if v.interval else None}
                         for k, v in self.criteria.items()},
            "claim_survives": self.claim_survives,
        }


def split_ai_solution(system: SystemResult, criterion: str) -> tuple[float, float]:
    """(AI-service part, target-system part) of the AI solution's total on one criterion."""
    by_phase = _by_phase(system, criterion)
    target = by_phase.get(NO_AI_PHASE, 0.0)
    service = sum(v for p, v in by_phase.items() if p != NO_AI_PHASE)
    return service, target


def _by_phase(system: SystemResult, criterion: str) -> dict[str, float]:
    if criterion == ENERGY:
        return dict(system.energy.by_phase) if system.energy is not None else {}
    return {p: v.get(criterion, 0.0) for p, v in system.by_phase.items()}


def data_gaps(system: SystemResult, datasets: dict[str, dict]) -> dict[str, list[str]]:
    """Criterion -> the datasets used by this system that have no data on it (final energy included)."""
    gaps: dict[str, list[str]] = {}
    for ex in system.exchanges:
        if ex.kind != "dataset":
            continue
        for crit, src in datasets.get(ex.target, {}).get("sources", {}).items():
            if src is None and ex.target not in gaps.setdefault(crit, []):
                gaps[crit].append(ex.target)
    if system.energy is not None and system.energy.not_counted:
        gaps[ENERGY] = list(system.energy.not_counted)
    return {c: v for c, v in gaps.items() if v}


def _fmt(x: float) -> str:
    return f"{x:.3g}"


def criterion_cause(net: float, scale: float, ai_gaps: list[str], ref_gaps: list[str],
                    interval: tuple[float, float] | None, p_benefit: float | None) -> tuple[str, str]:
    """(cause, one-line reason) for one criterion; ``CAUSES[cause]`` is its status (module docstring)."""
    if interval is not None:
        lo, hi = interval
        if lo < 0 < hi:
            p = f"; P(net < 0) = {p_benefit:.0%}" if p_benefit is not None else ""
            return "interval_straddles_zero", f"the 95 % interval of the net [{_fmt(lo)}, {_fmt(hi)}] straddles zero{p}"
    if abs(net) <= ZERO_TOLERANCE * scale:
        if ai_gaps or ref_gaps:
            return "data_gap_equal", f"no difference computed, but data are missing ({', '.join(ai_gaps + ref_gaps)})"
        return "equal", "the AI solution and the reference are equal: no gain"
    if net < 0:
        if ai_gaps:
            return "data_gap_ai", (f"net {_fmt(net)} < 0, but the AI solution has no data in {', '.join(ai_gaps)}: "
                                   "its footprint is underestimated")
        return "net_negative", f"net {_fmt(net)} < 0: the AI solution does better than the reference"
    if ref_gaps:
        return "data_gap_reference", (f"net {_fmt(net)} > 0, but the reference has no data in {', '.join(ref_gaps)}: "
                                      "its footprint is underestimated")
    return "net_positive", f"net {_fmt(net)} > 0: the AI solution does worse than the reference"


def criterion_status(net: float, scale: float, ai_gaps: list[str], ref_gaps: list[str],
                     interval: tuple[float, float] | None, p_benefit: float | None) -> tuple[str, str]:
    """(status, one-line reason) for one criterion; see the module docstring for the rules."""
    cause, reason = criterion_cause(net, scale, ai_gaps, ref_gaps, interval, p_benefit)
    return CAUSES[cause], reason


def _claimed_text(claimed_gain: dict | None, crit: str, reference: float, net: float):
    """The claimed gain on this criterion as stated, and how it compares with the computed net."""
    if not claimed_gain or claimed_gain.get("criterion") != crit:
        return None, None
    value, unit = claimed_gain["value"], claimed_gain["unit"]
    text = f"{value:g} {unit}"
    if unit.strip() == "%" and reference:
        computed = net / reference * 100
        return text, f"claimed {value:g} % less; computed net change {computed:+.3g} % of the reference (negative: a gain)"
    return text, None


def overall(criteria: dict[str, CriterionVerdict]) -> tuple[str, bool, str]:
    holds = [k for k, v in criteria.items() if v.status == "holds"]
    fails = [k for k, v in criteria.items() if v.status == "does_not_hold"]
    unknown = [k for k, v in criteria.items() if v.status == "cannot_tell"]
    parts = []
    if holds:
        parts.append(f"holds on {', '.join(holds)}")
    if fails:
        parts.append(f"does not hold on {', '.join(fails)}")
    if unknown:
        parts.append("cannot tell on " + ", ".join(
            f"{k} ({CAUSE_SHORT.get(criteria[k].cause, 'data missing')})" for k in unknown))
    summary = "The gain " + "; ".join(parts) + "."
    if holds and not fails and not unknown:
        return "holds", False, summary
    if holds:
        shift = bool(fails)
        if shift:
            summary += " Burden shift: a gain on one criterion is paid for on another."
        return "holds_on_some", shift, summary
    if fails:
        return "does_not_hold", False, summary
    return "cannot_tell", False, summary


def judged(result: StudyResult, claimed_gain: dict | None) -> dict[str, tuple[str, float, float]]:
    """Criterion -> (unit, AI total, reference total) of what the verdict judges.

    The impact criteria always; final energy (``energy``, kWh) when the claimed gain is on it.
    """
    ai, ref = result.systems["ai"], result.systems["reference"]
    out = {c: (info.unit, ai.total[c], ref.total[c]) for c, info in result.criteria.items()}
    if (claimed_gain or {}).get("criterion") == ENERGY and ai.energy is not None and ref.energy is not None:
        out[ENERGY] = ("kWh", ai.energy.total, ref.energy.total)
    return out


def verdict(result: StudyResult, claimed_gain: dict | None = None) -> Verdict | None:
    """The verdict of a comparative study; None for a footprint-only study (no reference)."""
    if result.net is None or "reference" not in result.systems:
        return None
    ai, ref = result.systems["ai"], result.systems["reference"]
    ai_gaps, ref_gaps = data_gaps(ai, result.datasets), data_gaps(ref, result.datasets)
    unc = (result.extras.get("uncertainty") or {}).get("net") or {}
    out: dict[str, CriterionVerdict] = {}
    kept_by: dict[str, dict] = {}  # each criterion's survival, as its verdict carries it
    for crit, (unit, a, r) in judged(result, claimed_gain).items():
        net = a - r + 0.0
        service, target = split_ai_solution(ai, crit)
        gross = r - target
        share = service / gross if gross > 0 else None
        u = unc.get(crit)
        interval = (float(u["p2_5"]), float(u["p97_5"])) if u else None
        p_benefit = float(u["p_benefit"]) if u and u.get("p_benefit") is not None else None
        cause, reason = criterion_cause(net, max(abs(a), abs(r)), ai_gaps.get(crit, []), ref_gaps.get(crit, []),
                                        interval, p_benefit)
        claimed, compared = _claimed_text(claimed_gain, crit, r, net)
        kept_by[crit] = survival(claimed_gain, crit, unit, r, net, gross).to_dict()
        out[crit] = CriterionVerdict(crit, CAUSES[cause], reason, net, a, r, service, target, gross, share,
                                     p_benefit, interval, claimed, compared, cause, unit, kept_by[crit])
    status, shift, summary = overall(out)
    claimed_crit = (claimed_gain or {}).get("criterion")
    survives = None
    if claimed_crit in out:
        survives = {"criterion": claimed_crit, **kept_by[claimed_crit]}
        summary += f" On {claimed_crit}, {survives['text']}."
    return Verdict(status, shift, summary, out, survives)


def verdict_findings(v: Verdict | None) -> list[Finding]:
    if v is None:
        return []
    out = []
    if v.burden_shift:
        gains = [k for k, c in v.criteria.items() if c.status == "holds"]
        losses = [k for k, c in v.criteria.items() if c.status == "does_not_hold"]
        out.append(Finding("BURDEN_SHIFT", "major", None,
                           f"gain on {', '.join(gains)} paid for by a loss on {', '.join(losses)}"))
    elif v.status == "does_not_hold":
        out.append(Finding("GAIN_DOES_NOT_HOLD", "major", None, v.summary))
    for k, c in v.criteria.items():
        if c.ai_service_share is not None and c.ai_service_share >= 1:
            out.append(Finding("AI_SERVICE_EATS_GAIN", "major", "ai",
                               f"{k}: the AI service's footprint is {c.ai_service_share:.0%} of the gain it enables"))
    return out
