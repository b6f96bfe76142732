"""The typed context the report templates receive, built from a JSON result (``StudyResult.to_dict()``).

Working from the JSON form means a report can be rendered from a saved result file, and tests can
hand-make results. Text from the study stays text: templates autoescape it, charts escape it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import PurePath

from markupsafe import Markup

from lca.core.vocabulary import UNIT_PROCESSES
from lca.report.chart_views import CriterionCharts, criterion_charts
from lca.report.conformance_view import ConformanceRow, conformance_rows
from lca.report.findings_view import FindingGroup, FindingView, finding_groups, finding_views
from lca.report.fmt import doi_href, num, safe_href, utc_stamp
from lca.report.claims_view import (EnergyView, ScenarioView, SurvivalRow, energy_view, scenario_view,
                                    survival_rows)
from lca.report.uncertainty_view import UncertaintyView, uncertainty_view
from lca.report.effects_view import EffectsView, effects_view
from lca.report.summarise import TOP_ROWS, first_rows, names_text, top_rows

VERDICT_LABELS = {
    "holds": "The claimed gain holds",
    "holds_on_some": "The gain holds on some criteria only",
    "does_not_hold": "The claimed gain does not hold",
    "cannot_tell": "Cannot tell whether the gain holds",
}
STATUS_LABELS = {"holds": "holds", "does_not_hold": "does not hold", "cannot_tell": "cannot tell"}
ENERGY_NAME = "Final energy (electricity, fuels)"
UP_STATUS_LABELS = {"covered": "covered", "combined": "combined", "missing": "missing",
                    "not_applicable": "not applicable"}


@dataclass(frozen=True)
class ClaimView:
    statement: str
    domain: str
    citation: str
    links: tuple[tuple[str, str], ...]  # (label, safe href)
    claimed_gain: str | None
    evaluated: str
    grade: str
    graded_by: str
    rationale: str
    evidence_grade: str
    evidence_rationale: str
    analyst_grade: str | None
    agrees: bool | None
    disagreement: str | None


@dataclass(frozen=True)
class CriterionRow:
    id: str
    name: str
    unit: str
    ai: float
    reference: float | None
    net: float | None
    status: str | None
    status_label: str | None
    reason: str | None
    ai_service: float | None
    gross_gain: float | None
    share: float | None
    claimed: str | None
    claimed_vs_computed: str | None
    p_benefit: float | None = None  # P(net < 0), with uncertainty
    ai_gaps: int = 0  # datasets of the AI solution with no data on this criterion (its total is underestimated)

    @property
    def kept(self) -> float | None:
        """Share of the gain enabled that survives the AI service: 1 - AI service / gain (can be < 0)."""
        return None if self.share is None else 1.0 - self.share


@dataclass(frozen=True)
class CompletenessRow:
    unit_process: str
    stage: str
    name: str
    mandatory: bool
    status: str
    status_label: str
    detail: str


@dataclass(frozen=True)
class ReportContext:
    title: str
    study: dict
    functional_unit: str
    comparative: bool
    generated: str
    claim: ClaimView | None
    verdict_status: str | None
    verdict_label: str | None
    verdict_summary: str | None
    burden_shift: bool
    criteria: tuple[CriterionRow, ...]
    charts: tuple[CriterionCharts, ...]  # per criterion: waterfall, AI service by activity and stage, histogram
    completeness: tuple[tuple[str, tuple[CompletenessRow, ...]], ...]  # (system name, rows)
    findings: tuple[FindingView, ...]  # major first, each with its explanation
    assumptions: tuple[dict, ...]
    datasets: tuple[dict, ...]
    exchanges: tuple[dict, ...]
    uncertainty: UncertaintyView | None
    provenance: dict
    systems: dict = field(default_factory=dict)  # key -> name
    parameters: tuple[dict, ...] = ()  # name, value, unit, source or assumption, dataset anchor
    raw_materials: tuple[dict, ...] = ()  # system name, material, kg, world production, years
    effects: EffectsView | None = None  # beyond first order: consequence tree, balances, at scale
    energy: EnergyView | None = None  # final energy consumed (lca.report.claims_view)
    survival: tuple[SurvivalRow, ...] = ()  # how much of the claimed gain survives, per criterion
    scenarios: ScenarioView | None = None  # the study's scenarios side by side
    finding_groups: tuple[FindingGroup, ...] = ()  # the findings by code
    goal: dict | None = None  # the study's goal and scope (lca/review/conformance.py)
    review: dict | None = None  # its critical review
    data_quality: dict | None = None  # pedigree scores: rows and the factors' source
    pedigree_in_monte_carlo: dict | None = None  # the note when the Monte Carlo used the scores
    conformance: tuple[ConformanceRow, ...] = ()  # the annex
    top_rows: int | None = None  # rows kept per table of activities (lca.report.summarise); None: every row
    energy_row: CriterionRow | None = None  # final energy in the first page's key table

    @property
    def key_rows(self) -> tuple[CriterionRow, ...]:
        """The first page's rows: every criterion, then final energy (judged when the claim is on it)."""
        return self.criteria + ((self.energy_row,) if self.energy_row else ())


def _claim(c: dict | None) -> ClaimView | None:
    if not c:
        return None
    src = c.get("source") or {}
    links: list[tuple[str, str]] = []
    doi = doi_href(src.get("doi"))
    if doi:
        links.append((f"doi:{src['doi']}", doi))
    url = safe_href(src.get("url"))
    if url:
        links.append((src["url"], url))
    gain = c.get("claimed_gain")
    gain_text = f"{gain['value']:g} {gain['unit']} on {gain['criterion']}" if gain else None
    ev = c.get("evaluated") or {}
    counted = ", ".join(ev.get("ai_service") or []) or "none"
    evaluated = f"gain: {ev.get('gain', '?')}; AI service unit processes counted: {counted}"
    return ClaimView(c["statement"], c.get("domain", ""), src.get("citation", ""), tuple(links), gain_text, evaluated,
                     c["grade"], c.get("graded_by", "tool"), c.get("rationale", ""), c.get("evidence_grade", c["grade"]),
                     c.get("evidence_rationale", ""), c.get("analyst_grade"), c.get("agrees"), c.get("disagreement"))


def _criteria(payload: dict) -> tuple[CriterionRow, ...]:
    systems, net = payload["systems"], payload.get("net")
    verdict = (payload.get("verdict") or {}).get("criteria", {})
    rows = []
    for cid, crit in payload["criteria"].items():
        v = verdict.get(cid, {})
        rows.append(CriterionRow(
            cid, crit["name"], crit["unit"], systems["ai"]["total"][cid],
            systems["reference"]["total"][cid] if "reference" in systems else None,
            net[cid] if net else None, v.get("status"), STATUS_LABELS.get(v.get("status")), v.get("reason"),
            v.get("ai_service"), v.get("gross_gain"), v.get("ai_service_share"), v.get("claimed"),
            v.get("claimed_vs_computed"), v.get("p_benefit"), len(_gap_datasets(payload, cid))))
    return tuple(rows)


def _energy_row(payload: dict) -> CriterionRow | None:
    """Final energy as a key-table row, in kWh per functional unit (not one of the result's criteria:
    it is read from the exchanges, lca/balance/energy.py); None for a result without it."""
    ai = payload["systems"]["ai"].get("energy")
    if not ai:
        return None
    ref = (payload["systems"].get("reference") or {}).get("energy")
    v = ((payload.get("verdict") or {}).get("criteria") or {}).get("energy") or {}
    return CriterionRow(
        "energy", ENERGY_NAME, ai.get("unit", "kWh"), ai["total"], ref["total"] if ref else None,
        (payload.get("energy") or {}).get("net"), v.get("status"), STATUS_LABELS.get(v.get("status") or ""),
        v.get("reason"), v.get("ai_service"), v.get("gross_gain"), v.get("ai_service_share"), v.get("claimed"),
        v.get("claimed_vs_computed"), v.get("p_benefit"), len(set(ai.get("not_counted") or [])))


def _gap_datasets(payload: dict, cid: str) -> set[str]:
    """The datasets the AI solution uses that have no data on ``cid``."""
    datasets = payload.get("datasets") or {}
    return {ex["target"] for ex in payload["systems"]["ai"].get("exchanges") or []
            if ex.get("kind") == "dataset" and cid in ((datasets.get(ex["target"]) or {}).get("sources") or {})
            and datasets[ex["target"]]["sources"][cid] is None}


def _completeness(payload: dict, top: int | None = None) -> tuple:
    out = []
    for key, table in (payload.get("completeness") or {}).items():
        rows = []
        for up, s in table.items():
            stage, name, mandatory = UNIT_PROCESSES.get(up, ("", up, False))
            status = s["status"]
            if status == "combined":
                detail = "with " + ", ".join(s.get("combined_with") or []) + "; "
            elif status == "not_applicable":
                detail = s.get("justification") or ""
            else:
                detail = ""
            if status in ("covered", "combined"):
                detail += "by " + names_text(s.get("activities") or [], top)
                if s.get("no_data"):
                    detail += f" (no data for {', '.join(s['no_data'])})"
            elif status == "missing" and s.get("activities"):
                detail = f"declared by {', '.join(s['activities'])}, but their datasets have no data"
            rows.append(CompletenessRow(up, stage, name, bool(s.get("mandatory", mandatory)), status,
                                        UP_STATUS_LABELS.get(status, status), detail))
        out.append((payload["systems"][key]["name"], tuple(rows)))
    return tuple(out)


def _datasets(payload: dict) -> tuple[dict, ...]:
    out = []
    for i, (ref, ds) in enumerate(payload.get("datasets", {}).items(), start=1):
        per_crit = []
        for cid, crit in payload["criteria"].items():
            src = (ds.get("sources") or {}).get(cid)
            per_crit.append({"criterion": cid, "value": (ds.get("per_unit") or {}).get(cid), "unit": crit["unit"],
                             "source": src.get("source") if src else None, "year": src.get("year") if src else None,
                             "taken_from": src.get("from") if src else None})
        file = ds.get("file") or ""
        parts = PurePath(file).parts
        rel = "/".join(parts[parts.index("inventories"):]) if "inventories" in parts else PurePath(file).name
        out.append({"anchor": f"ds-{i}", "ref": ref, "name": ds.get("name", ref), "unit": ds.get("unit", ""),
                    "covers": ds.get("covers", ""), "file": rel, "criteria": per_crit,
                    "origin": ds.get("origin", "library"), "replaces": ds.get("replaces")})
    return tuple(out)


def _exchanges(payload: dict, anchors: dict[str, str], top: int | None = None) -> tuple[dict, ...]:
    """Every input of each system with what it contributes; past ``top`` inputs per system, the
    ``top`` largest and one row for the others (lca.report.summarise)."""
    out = []
    criteria = list(payload["criteria"])
    for key, s in payload["systems"].items():
        rows = [{"system": key, "activity": ex["activity"], "label": ex["label"], "target": ex["target"],
                 "anchor": anchors.get(ex["target"]), "amount": ex["amount"], "unit": ex["unit"],
                 "supply": ex["supply"], "source": ex.get("source"), "field": ex["field"], "line": ex.get("line"),
                 "values": ex["values"]} for ex in s.get("exchanges", [])]
        kept, others = top_rows(rows, lambda r: [r["values"].get(c) for c in criteria], top)
        out += kept
        if others is not None:
            out.append({"system": key, "activity": f"{others.count} other inputs", "others": True,
                        "label": f"together {others.share_text(criteria)}", "target": "", "anchor": None,
                        "amount": None, "unit": "", "supply": None, "field": "", "line": None,
                        "source": f"every input is in the JSON result (systems.{key}.exchanges), each activity's "
                                  "contribution in the CSV tables (lca run --format csv)",
                        "values": dict(zip(criteria, others.sums))})
    return tuple(out)


def _assumptions(payload: dict, top: int | None) -> tuple[dict, ...]:
    """The assumptions register: past ``top`` rows, the first ``top`` and a line saying how many more."""
    rows, more = first_rows(list(payload.get("assumptions") or ()), top)
    if more:
        rows.append({"field": "", "line": None, "what": f"{more} more assumptions", "value": "",
                     "assumption": "every assumption is in the JSON result (assumptions)"})
    return tuple(rows)


def _capped_groups(groups: tuple[FindingGroup, ...], top: int | None) -> tuple[FindingGroup, ...]:
    """Each group of findings with at most ``top`` occurrences listed, then how many more."""
    out = []
    for g in groups:
        items, more = first_rows(g.items, top)
        if more:
            last = items[-1]
            items.append(replace(last, system="…", message=Markup(
                f"and {more} more findings {g.code}: every finding is in the JSON result (findings)")))
        out.append(replace(g, items=tuple(items)))
    return tuple(out)


def build_context(payload: dict, *, epoch: int | None, top: int | None = TOP_ROWS) -> ReportContext:
    """Everything the templates show, from a JSON result; ``epoch`` is SOURCE_DATE_EPOCH or None (now);
    tables of activities keep their ``top`` largest rows and aggregate the rest (None or 0: every row)."""
    study = payload["study"]
    fu = study["functional_unit"]
    comparative = payload.get("net") is not None and "reference" in payload["systems"]
    verdict = payload.get("verdict") if comparative else None
    rows = _criteria(payload)
    datasets = _datasets(payload)
    anchors = {d["ref"]: d["anchor"] for d in datasets}
    system_names = {k: s["name"] for k, s in payload["systems"].items()}
    findings = finding_views(payload.get("findings", []), system_names)
    return ReportContext(
        title=study["name"], study=study,
        functional_unit=f"{num(fu['quantity'])} {fu['unit']}: {fu['description']}",
        comparative=comparative, generated=utc_stamp(epoch),
        claim=_claim(payload.get("claim")) if comparative else None,
        verdict_status=verdict["status"] if verdict else None,
        verdict_label=VERDICT_LABELS.get(verdict["status"]) if verdict else None,
        verdict_summary=verdict.get("summary") if verdict else None,
        burden_shift=bool(verdict and verdict.get("burden_shift")),
        criteria=rows, charts=criterion_charts(payload, top),
        completeness=_completeness(payload, top), findings=findings,
        finding_groups=_capped_groups(finding_groups(findings), top),
        assumptions=_assumptions(payload, top), datasets=datasets,
        exchanges=_exchanges(payload, anchors, top), uncertainty=uncertainty_view(payload),
        provenance=payload.get("provenance", {}),
        systems=system_names,
        parameters=_parameters(payload, anchors), raw_materials=_raw_materials(payload),
        effects=effects_view(payload) if comparative else None,
        energy=energy_view(payload, top), survival=survival_rows(payload) if comparative else (),
        scenarios=scenario_view(payload),
        goal=payload.get("goal"), review=payload.get("review"), data_quality=payload.get("data_quality"),
        pedigree_in_monte_carlo=(payload.get("uncertainty") or {}).get("pedigree_spreads"),
        conformance=conformance_rows(payload), top_rows=top, energy_row=_energy_row(payload),
    )


def _parameters(payload: dict, anchors: dict) -> tuple[dict, ...]:
    """The study's parameters, each with its source; a dataset attribute links to its dataset."""
    rows = []
    for name, p in (payload.get("parameters") or {}).items():
        rows.append({
            "name": name, "value": p.get("value"), "unit": p.get("unit") or "",
            "source": p.get("source"), "assumption": p.get("assumption"), "line": p.get("line"),
            "dataset": p.get("dataset"), "attribute": p.get("attribute"), "year": p.get("year"),
            "anchor": anchors.get(p.get("dataset")),
        })
    return tuple(rows)


def _raw_materials(payload: dict) -> tuple[dict, ...]:
    """Raw-material demand per system in years of world mine production (lca.materials)."""
    section = payload.get("raw_materials") or {}
    names = {k: s["name"] for k, s in payload["systems"].items()}
    return tuple({"system": names.get(key, key), **row}
                 for key, rows in (section.get("systems") or {}).items() for row in rows)
