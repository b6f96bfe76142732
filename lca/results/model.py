"""The typed result of an assessment, and its JSON form (docs/json-result.md).

``schema_version`` changes when a field is renamed or removed; fields are only ever added
within a version.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import get_origin, get_type_hints

SCHEMA_VERSION = 1

Values = dict[str, float]  # criterion id -> value in the criterion's unit


@dataclass(frozen=True)
class CriterionInfo:
    id: str
    name: str
    unit: str


@dataclass(frozen=True)
class ExchangeResult:
    """One input of one activity, with what it contributes: the trace of every number."""

    activity: str
    kind: str  # dataset | flow
    target: str  # "dataset-id@variant" or flow UUID
    label: str
    amount: float  # per unit of the activity, in `unit`
    unit: str
    supply: float  # activity units per functional unit
    source: str | None
    field: str  # where the exchange is declared in the study file
    line: int | None
    values: Values
    energy: float | None = 0.0  # final energy, kWh per functional unit (None: the dataset's is unknown)


@dataclass(frozen=True)
class EnergyResult:
    """Final energy consumed by one system, kWh per functional unit (lca.balance.energy)."""

    total: float
    by_stage: dict[str, float]
    by_phase: dict[str, float]
    by_tier: dict[str, float]
    by_activity: dict[str, float]
    not_counted: tuple[str, ...] = ()  # datasets of an energy-carrying kind with no known final energy

    def to_dict(self) -> dict:
        return {"unit": "kWh", "total": self.total, "by_stage": self.by_stage, "by_phase": self.by_phase,
                "by_tier": self.by_tier, "by_activity": self.by_activity, "not_counted": list(self.not_counted)}


@dataclass(frozen=True)
class ActivityInfo:
    id: str
    name: str
    unit_processes: tuple[str, ...]
    stage: str
    phase: str
    tier: str


@dataclass(frozen=True)
class SystemResult:
    key: str
    name: str
    total: Values
    by_stage: dict[str, Values]
    by_phase: dict[str, Values]
    by_tier: dict[str, Values]
    by_activity: dict[str, Values]
    activities: tuple[ActivityInfo, ...]
    exchanges: tuple[ExchangeResult, ...]
    energy: EnergyResult | None = None  # final energy consumed, kWh per functional unit


@dataclass(frozen=True)
class Finding:
    """A soft finding with a stable code explained in docs/findings.md."""

    code: str
    severity: str  # "major" | "minor" | "info"
    system: str | None
    message: str


@dataclass(frozen=True)
class StudyResult:
    study: dict
    criteria: dict[str, CriterionInfo]
    systems: dict[str, SystemResult]
    net: Values | None
    findings: tuple[Finding, ...] = ()
    datasets: dict[str, dict] = field(default_factory=dict)  # dataset ref -> name, unit, per-unit values, sources
    provenance: dict = field(default_factory=dict)
    extras: dict = field(default_factory=dict)  # sections added by later pipeline steps (claim, verdict, ...)

    def summary_rows(self) -> list[dict]:
        """One row per criterion: name, unit (per functional unit), AI solution, reference, net."""
        rows = []
        for cid, crit in self.criteria.items():
            row = {"criterion": cid, "name": crit.name, "unit": crit.unit, "ai": self.systems["ai"].total[cid]}
            if self.net is not None:
                row |= {"reference": self.systems["reference"].total[cid], "net": self.net[cid]}
            rows.append(row)
        return rows

    def _repr_html_(self) -> str:
        """A notebook shows a result as its summary table and verdict."""
        from html import escape

        has_ref = self.net is not None
        head = "<th>criterion</th><th>unit / FU</th><th>AI solution</th>" + (
            "<th>reference</th><th>net (AI − ref)</th>" if has_ref else "")
        body = "".join(
            f"<tr><td>{escape(r['name'])}</td><td>{escape(r['unit'])}</td><td>{r['ai']:.4g}</td>"
            + (f"<td>{r['reference']:.4g}</td><td>{r['net']:+.4g}</td>" if has_ref else "") + "</tr>"
            for r in self.summary_rows())
        verdict = (self.extras.get("verdict") or {}).get("summary")
        tail = f"<p>{escape(verdict)}</p>" if verdict else ""
        return (f"<p><strong>{escape(self.study['name'])}</strong></p>"
                f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{tail}")

    def to_dict(self) -> dict:
        """The JSON result (docs/json-result.md)."""
        return self._tree(_copies)

    def json_tree(self) -> dict:
        """What ``to_dict()`` gives, JSON for JSON, for writing it and nothing else: each record
        (activity, exchange, finding) is its own ``__dict__``, not a copy (``_own_dicts``), so the
        tree must not be changed. The JSON writer gives it the bytes of ``to_dict()``'s."""
        return self._tree(_own_dicts)

    def _tree(self, rows) -> dict:
        out = {
            "schema_version": SCHEMA_VERSION,
            "study": self.study,
            "criteria": {k: {"name": c.name, "unit": c.unit} for k, c in self.criteria.items()},
            "systems": {
                key: {
                    "name": s.name,
                    "total": s.total,
                    "by_stage": s.by_stage,
                    "by_phase": s.by_phase,
                    "by_tier": s.by_tier,
                    "by_activity": s.by_activity,
                    "activities": rows(s.activities),
                    "exchanges": rows(s.exchanges),
                    **({"energy": s.energy.to_dict()} if s.energy is not None else {}),
                }
                for key, s in self.systems.items()
            },
            "net": self.net,
            "findings": rows(self.findings),
            "datasets": self.datasets,
            "provenance": self.provenance,
        }
        out.update(self.extras)
        return out


def _copies(records: tuple) -> list[dict]:
    """The JSON form of each record, a dict of its own (``unit_processes`` a list)."""
    return [_activity(r) if type(r) is ActivityInfo else _shallow(r) for r in records]


def _own_dicts(records: tuple) -> list[dict]:
    """Each record's own ``__dict__`` (no copy: the tree of 10,000 chain activities in 6 ms, not 29) when every
    record is of one type whose instances hold exactly its fields in declaration order: the JSON
    text of ``_copies(records)`` (a tuple of unit processes is written as a list). Else the copies."""
    if not records or len(set(map(type, records))) != 1:
        return _copies(records)
    names, _, in_order = _FIELDS.get(type(records[0])) or _fields_of(records[0])
    own: list[dict] = [record.__dict__ for record in records]
    return own if in_order and set(map(len, own)) == {len(names)} else _copies(records)


def _activity(item: ActivityInfo) -> dict:
    out = _shallow(item)
    out["unit_processes"] = list(item.unit_processes)
    return out


def _shallow(item) -> dict:
    """``dataclasses.asdict`` of a flat result record (fields of numbers, text, tuples of text and
    dicts of numbers, the dicts copied), without its recursive deep copy: 100,000 exchanges in a
    fraction of the time. A dataclass instance holds its fields in its ``__dict__`` in declaration
    order (its ``__init__`` sets them so): one C copy of that dict, then a copy of each field
    declared as a dict."""
    names, mappings, in_order = _FIELDS.get(type(item)) or _fields_of(item)
    out = vars(item).copy()
    if not in_order or len(out) != len(names):  # attributes beside the fields: field by field
        out = {name: getattr(item, name) for name in names}
    for name in mappings:
        out[name] = dict(out[name])
    return out


def _fields_of(item) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
    """A record type's field names, those declared as a dict (``Values``), and whether its
    instances hold them in declaration order (seen on ``item``), found once per type."""
    kind = type(item)
    hints = get_type_hints(kind)
    names = tuple(f.name for f in fields(kind))
    mappings = tuple(n for n in names if hints[n] is dict or get_origin(hints[n]) is dict)
    _FIELDS[kind] = names, mappings, tuple(vars(item)) == names
    return _FIELDS[kind]


_FIELDS: dict[type, tuple[tuple[str, ...], tuple[str, ...], bool]] = {}
