"""ITU-T L.1410 completeness: for each unit process (A, B1..B4, C1..C4, D1, D2) of each system,
is it covered, combined with others, missing, or declared not applicable?

- ``covered``: an activity with data declares this unit process alone;
- ``combined``: only activities whose value spans several unit processes cover it (``A+B1``):
  ``with`` names the others;
- ``missing``: no activity covers it with data (an activity whose datasets are all ``no data``
  does not count);
- ``not_applicable``: the system declares it so, with a justification.

``no_data`` lists the criteria on which a covered unit process has no data at all (the
``DATA_GAP`` finding names the datasets). A missing mandatory unit process is the
``MISSING_MANDATORY_UNIT_PROCESS`` finding (docs/findings.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from lca.results import Finding, SystemResult
from lca.core.vocabulary import UNIT_PROCESSES, parse_unit_processes

STATUSES = ("covered", "combined", "missing", "not_applicable")


@dataclass(frozen=True)
class UnitProcessStatus:
    unit_process: str
    status: str  # one of STATUSES
    mandatory: bool
    combined_with: tuple[str, ...] = ()
    activities: tuple[str, ...] = ()  # activity ids that cover it
    no_data: tuple[str, ...] = ()  # criteria with no data for this unit process
    justification: str | None = None  # for not_applicable

    def to_dict(self) -> dict:
        # asdict's recursive deep copy, without it: a unit process covered by 10,000 activities
        return {"unit_process": self.unit_process, "status": self.status, "mandatory": self.mandatory,
                "combined_with": list(self.combined_with), "activities": list(self.activities),
                "no_data": list(self.no_data), "justification": self.justification}


@dataclass(frozen=True)
class ActivityCoverage:
    """What one activity brings to completeness: its unit processes and the criteria it has data on."""

    id: str
    unit_processes: tuple[str, ...]
    criteria_with_data: frozenset[str] = field(default_factory=frozenset)


def system_completeness(activities: list[ActivityCoverage], criteria: list[str],
                        not_applicable: dict[str, str]) -> dict[str, UnitProcessStatus]:
    """The status of every unit process of one system, in the method's order."""
    declared_na: dict[str, str] = {}
    for key, why in not_applicable.items():
        for up in parse_unit_processes(key):
            declared_na[up] = why
    out: dict[str, UnitProcessStatus] = {}
    declaring: dict[str, list[ActivityCoverage]] = {}  # unit process -> the activities declaring it, in order
    for a in activities:
        for up in dict.fromkeys(a.unit_processes):
            declaring.setdefault(up, []).append(a)
    for up, (_stage, _name, mandatory) in UNIT_PROCESSES.items():
        covering = [a for a in declaring.get(up, ()) if a.criteria_with_data]
        if covering:
            alone = [a for a in covering if a.unit_processes == (up,)]
            others = sorted({o for a in covering for o in a.unit_processes if o != up},
                            key=list(UNIT_PROCESSES).index)
            with_data = set().union(*(a.criteria_with_data for a in covering))
            out[up] = UnitProcessStatus(
                up, "covered" if alone else "combined", mandatory,
                combined_with=() if alone else tuple(others),
                activities=tuple(a.id for a in covering),
                no_data=tuple(c for c in criteria if c not in with_data))
        elif up in declared_na:
            out[up] = UnitProcessStatus(up, "not_applicable", mandatory, justification=declared_na[up])
        else:
            empty = tuple(a.id for a in declaring.get(up, ()))
            out[up] = UnitProcessStatus(up, "missing", mandatory, activities=empty, no_data=tuple(criteria) if empty else ())
    return out


def activity_coverage(system: SystemResult, datasets: dict[str, dict]) -> list[ActivityCoverage]:
    """Per activity, the criteria on which its own inputs carry data.

    A biosphere flow carries data on every criterion (a zero factor is a value, not a gap); a
    dataset carries data on the criteria its source gives (``datasets[ref]["sources"][c]``).
    An activity with no input of its own (it only consumes other activities) covers nothing itself.
    """
    sourced_of: dict[str, set[str]] = {}  # target -> the criteria its sources give (looked at once)
    seen: dict[str, frozenset[str]] = {}  # activity -> the criteria its inputs carry data on
    for ex in system.exchanges:
        brings: Iterable[str]
        if ex.kind == "flow":
            brings = ex.values.keys()
        elif ex.kind in ("dataset", "brightway"):  # a user's own activity: sources per criterion too
            sourced = sourced_of.get(ex.target)
            if sourced is None:
                sources = datasets.get(ex.target, {}).get("sources", {})
                sourced = sourced_of[ex.target] = {c for c, v in sources.items() if v is not None}
            brings = ex.values.keys() & sourced
        else:
            continue
        have = seen.get(ex.activity)
        seen[ex.activity] = frozenset(brings) if have is None else have.union(brings)
    return [ActivityCoverage(a.id, tuple(a.unit_processes), seen.get(a.id, _NONE)) for a in system.activities]


_NONE: frozenset[str] = frozenset()


def study_completeness(systems: dict[str, SystemResult], datasets: dict[str, dict], criteria: list[str],
                       not_applicable: dict[str, dict[str, str]]) -> dict[str, dict[str, UnitProcessStatus]]:
    """``{system: {unit_process: status}}`` for every system of a study."""
    return {key: system_completeness(activity_coverage(s, datasets), criteria, not_applicable.get(key, {}))
            for key, s in systems.items()}


def completeness_findings(completeness: dict[str, dict[str, UnitProcessStatus]]) -> list[Finding]:
    """A missing mandatory unit process is a major finding; a missing recommended one is info."""
    out = []
    for key, table in completeness.items():
        missing = [s for s in table.values() if s.status == "missing"]
        mandatory = [s.unit_process for s in missing if s.mandatory]
        recommended = [s.unit_process for s in missing if not s.mandatory]
        if mandatory:
            names = "; ".join(f"{up} {UNIT_PROCESSES[up][1]}" for up in mandatory)
            out.append(Finding("MISSING_MANDATORY_UNIT_PROCESS", "major", key,
                               f"mandatory ITU-T L.1410 unit process(es) missing: {names}. Add an activity "
                               "for each, or declare it under `not_applicable` with a justification"))
        if recommended:
            out.append(Finding("MISSING_RECOMMENDED_UNIT_PROCESS", "info", key,
                               f"recommended unit process(es) not covered: {', '.join(recommended)}"))
    return out


def completeness_to_dict(completeness: dict[str, dict[str, UnitProcessStatus]]) -> dict:
    return {key: {up: s.to_dict() for up, s in table.items()} for key, table in completeness.items()}
