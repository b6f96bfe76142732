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
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from lca.results import Finding, StudyResult, SystemResult

NO_AI_PHASE = "none"
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


@dataclass(frozen=True)
class Verdict:
    status: str  # holds | holds_on_some | does_not_hold | cannot_tell
    burden_shift: bool
    summary: str
    criteria: dict[str, CriterionVerdict]

    def to_dict(self) -> dict:
        return {
            "status": self.status, "burden_shift": self.burden_shift, "summary": self.summary,
            "criteria": {k: asdict(v) | {"interval": list(v.interval) if v.interval else None}
                         for k, v in self.criteria.items()},
        }


def split_ai_solution(system: SystemResult, criterion: str) -> tuple[float, float]:
    """(AI-service part, target-system part) of the AI solution's total on one criterion."""
    target = system.by_phase.get(NO_AI_PHASE, {}).get(criterion, 0.0)
    service = sum(v.get(criterion, 0.0) for p, v in system.by_phase.items() if p != NO_AI_PHASE)
    return service, target


def data_gaps(system: SystemResult, datasets: dict[str, dict]) -> dict[str, list[str]]:
    """Criterion -> the datasets used by this system that have no data on it."""
    gaps: dict[str, list[str]] = {}
    for ex in system.exchanges:
        if ex.kind != "dataset":
            continue
        for crit, src in datasets.get(ex.target, {}).get("sources", {}).items():
            if src is None and ex.target not in gaps.setdefault(crit, []):
                gaps[crit].append(ex.target)
    return {c: v for c, v in gaps.items() if v}


def _fmt(x: float) -> str:
    return f"{x:.3g}"


def criterion_status(net: float, scale: float, ai_gaps: list[str], ref_gaps: list[str],
                     interval: tuple[float, float] | None, p_benefit: float | None) -> tuple[str, str]:
    """(status, one-line reason) for one criterion; see the module docstring for the rules."""
    if interval is not None:
        lo, hi = interval
        if lo < 0 < hi:
            p = f"; P(net < 0) = {p_benefit:.0%}" if p_benefit is not None else ""
            return "cannot_tell", f"the 95 % interval of the net [{_fmt(lo)}, {_fmt(hi)}] straddles zero{p}"
    if abs(net) <= ZERO_TOLERANCE * scale:
        if ai_gaps or ref_gaps:
            return "cannot_tell", f"no difference computed, but data are missing ({', '.join(ai_gaps + ref_gaps)})"
        return "does_not_hold", "the AI solution and the reference are equal: no gain"
    if net < 0:
        if ai_gaps:
            return "cannot_tell", (f"net {_fmt(net)} < 0, but the AI solution has no data in {', '.join(ai_gaps)}: "
                                   "its footprint is underestimated")
        return "holds", f"net {_fmt(net)} < 0: the AI solution does better than the reference"
    if ref_gaps:
        return "cannot_tell", (f"net {_fmt(net)} > 0, but the reference has no data in {', '.join(ref_gaps)}: "
                               "its footprint is underestimated")
    return "does_not_hold", f"net {_fmt(net)} > 0: the AI solution does worse than the reference"


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
        why = {k: "interval straddles zero" if "interval" in criteria[k].reason else "data missing"
               for k in unknown}
        parts.append("cannot tell on " + ", ".join(f"{k} ({why[k]})" for k in unknown))
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


def verdict(result: StudyResult, claimed_gain: dict | None = None) -> Verdict | None:
    """The verdict of a comparative study; None for a footprint-only study (no reference)."""
    if result.net is None or "reference" not in result.systems:
        return None
    ai, ref = result.systems["ai"], result.systems["reference"]
    ai_gaps, ref_gaps = data_gaps(ai, result.datasets), data_gaps(ref, result.datasets)
    unc = (result.extras.get("uncertainty") or {}).get("net") or {}
    out: dict[str, CriterionVerdict] = {}
    for crit in result.criteria:
        net, a, r = result.net[crit], ai.total[crit], ref.total[crit]
        service, target = split_ai_solution(ai, crit)
        gross = r - target
        share = service / gross if gross > 0 else None
        u = unc.get(crit)
        interval = (float(u["p2_5"]), float(u["p97_5"])) if u else None
        p_benefit = float(u["p_benefit"]) if u and u.get("p_benefit") is not None else None
        status, reason = criterion_status(net, max(abs(a), abs(r)), ai_gaps.get(crit, []), ref_gaps.get(crit, []),
                                          interval, p_benefit)
        claimed, compared = _claimed_text(claimed_gain, crit, r, net)
        out[crit] = CriterionVerdict(crit, status, reason, net, a, r, service, target, gross, share,
                                     p_benefit, interval, claimed, compared)
    status, shift, summary = overall(out)
    return Verdict(status, shift, summary, out)


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
