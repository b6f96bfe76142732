"""No silent zeros (docs/findings.md): a zero that no data explains is a data-gap finding.

- ``DATA_GAP_UNCHARACTERISED``: a biosphere-flow exchange reaches a criterion through no
  characterisation factor (a raw CO2 flow gives 0 primary energy and 0 ADPe): it contributes 0
  there, which is right only if the study says so;
- ``DATA_GAP_ZERO_TOTAL``: a system with activities totals exactly 0 on a criterion; the finding
  names the exchanges that contribute nothing to it.

An exchange (or equipment) that rightly contributes nothing declares it with a reason,
``zero: {pe: "..."}``; declared zeros raise neither finding (a zero declared on a criterion the input
does reach is refused when the study is resolved, lca.study.zeros). A dataset's explicit ``no data`` is
already the ``DATA_GAP`` finding (lca.balance.datagaps).
"""

from __future__ import annotations

from lca.library.background import Library
from lca.results import Finding, SystemResult
from lca.study import ResolvedStudy

MAX_NAMED = 5  # exchanges named in one finding; the rest are counted


def zero_findings(resolved: ResolvedStudy, systems: dict[str, SystemResult], library: Library) -> list[Finding]:
    out = []
    characterised = {c: {cf.flow for cf in library.factors.get(c, []) if cf.factor} for c in library.criteria}
    for key, system in resolved.systems.items():
        flows = [(act, inp) for act in system.activities for inp in act.inputs if inp.kind == "flow"]
        for act, inp in flows:
            missing = [c for c in library.criteria if inp.target not in characterised[c] and c not in inp.zero]
            if missing:
                out.append(Finding("DATA_GAP_UNCHARACTERISED", "minor", key, (
                    f"{act.id}: flow {inp.label!r} ({_where(inp)}) has no characterisation factor for "
                    f"{', '.join(missing)}: it counts 0 there; if that is right, say why with "
                    f"`zero: {{{missing[0]}: \"reason\"}}` on the exchange, else add what it leaves out")))
        if any(systems[key].total[c] == 0.0 for c in library.criteria):  # else no input is named: not listed
            inputs = [(act, inp) for act in system.activities for inp in act.inputs if inp.kind != "activity"]
            out += _zero_totals(key, systems[key], inputs, library)
    return out


def _zero_totals(key: str, result: SystemResult, inputs: list, library: Library) -> list[Finding]:
    """A criterion on which a system with activities totals exactly 0, naming the undeclared zeros."""
    out = []
    values = [ex.values for ex in result.exchanges]  # one per input, in the same order
    for crit in library.criteria:
        if not inputs or result.total[crit] != 0.0:
            continue
        count, first = 0, []  # the undeclared zeros: how many, and the first MAX_NAMED of them
        for pair, v in zip(inputs, values):
            if v.get(crit) == 0.0 and crit not in pair[1].zero:
                count += 1
                if count <= MAX_NAMED:
                    first.append(pair)
        if not count:
            continue  # every zero is declared with its reason
        named = "; ".join(f"{act.id}: {inp.label} ({_where(inp)})" for act, inp in first)
        more = f" and {count - MAX_NAMED} more" if count > MAX_NAMED else ""
        out.append(Finding("DATA_GAP_ZERO_TOTAL", "minor", key, (
            f"the total on {crit} is exactly 0 although the system has activities: nothing it uses carries "
            f"{crit} ({named}{more}); find data, or declare each zero with "
            f"`zero: {{{crit}: \"reason\"}}`")))
    return out


def _where(inp) -> str:
    return inp.field + (f", line {inp.line}" if inp.line else "")
