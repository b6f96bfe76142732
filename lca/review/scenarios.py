"""The ``scenarios`` section: every declared scenario side by side with the study as written.

Each row: the scenario's parameter values and variants, per system the total on every criterion
and the final energy, the net, and the verdict's status and surviving share (deterministic: the
Monte Carlo, when asked, is of the main run only).
"""

from __future__ import annotations

from dataclasses import replace

from lca.core.quantities import readable
from lca.results import StudyResult
from lca.study import LoadedStudy


def scenario_row(result: StudyResult) -> dict:
    """One scenario's numbers, per functional unit, from its reviewed result."""
    verdict = result.extras.get("verdict") or {}
    return {
        "systems": {k: {"total": dict(s.total), "energy": s.energy.total if s.energy else None}
                    for k, s in result.systems.items()},
        "net": dict(result.net) if result.net is not None else None,
        "energy_net": (result.extras.get("energy") or {}).get("net"),
        "verdict": ({"status": verdict.get("status"),
                     "criteria": {k: c["status"] for k, c in verdict.get("criteria", {}).items()},
                     "claim_survives": verdict.get("claim_survives")} if verdict else None),
        "findings": sorted({f.code for f in result.findings if f.severity == "major"}),
    }


def _declared(loaded: LoadedStudy, name: str) -> dict:
    scenario = loaded.model.scenarios[name]
    return {"description": scenario.description, "source": scenario.source,
            "parameters": {k: str(v) for k, v in scenario.parameters.items()}, "variants": dict(scenario.variants)}


def with_scenarios(result: StudyResult, loaded: LoadedStudy, rows: dict[str, dict], values: dict,
                   variants: dict | None) -> StudyResult:
    """The result with its ``scenarios`` section: ``base`` (this run) and each declared scenario."""
    base = {"description": "the study as written" + (" with the command line's values" if values or variants else ""),
            "source": None, "parameters": {k: _text(v) for k, v in values.items()},
            "variants": dict(variants or {}), **scenario_row(result)}
    section = {"base": base,
               "rows": {name: {**_declared(loaded, name), **row} for name, row in rows.items()}}
    return replace(result, extras={**result.extras, "scenarios": section})


def _text(value) -> str:
    if hasattr(value, "units"):
        magnitude, unit = readable(value)
        return f"{magnitude:g} {unit}".strip()
    return str(value)
