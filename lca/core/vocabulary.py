"""The fixed vocabularies of the method (docs/methodology.md uses the same names).

ITU-T L.1410 unit processes, AI-service phases and equipment tiers. These are definitions of the
method, not data: factors live in inventories/.
"""

from __future__ import annotations

from functools import lru_cache

# ITU-T L.1410 unit processes as applied to AI services (Ligozat et al. 2022, Table 1).
UNIT_PROCESSES: dict[str, tuple[str, str, bool]] = {
    # id: (life-cycle stage, unit process, mandatory)
    "A": ("raw material acquisition", "raw material acquisition", True),
    "B1": ("production", "device production and assembly", True),
    "B2": ("production", "manufacturer support activities", False),
    "B3": ("production", "production of support equipment", True),
    "B4": ("production", "ICT-specific site construction", False),
    "C1": ("use", "use of ICT equipment", True),
    "C2": ("use", "use of support equipment (cooling, power supply)", True),
    "C3": ("use", "operator support activities", False),
    "C4": ("use", "service provider support activities", False),
    "D1": ("end of life", "preparation of ICT goods for reuse", True),
    "D2": ("end of life", "storage, disassembly, dismantling, crushing", True),
}
STAGES: dict[str, str] = {
    "A": "raw material acquisition",
    "B": "production",
    "C": "use",
    "D": "end of life",
}
PHASES: dict[str, str] = {
    "data_acquisition": "data acquisition",
    "data_storage": "data storage",
    "training": "training",
    "inference": "inference",
    "none": "target system (no AI phase)",
}
TIERS: dict[str, str] = {
    "terminal": "terminals",
    "network": "network",
    "data_centre": "data centres",
    "other": "other (target system, support)",
}


@lru_cache(maxsize=1024)  # a study of 100,000 activities asks it several times an activity
def parse_unit_processes(text: str) -> tuple[str, ...]:
    """``"A+B1"`` -> ``("A", "B1")``; raise ValueError naming the allowed ids."""
    parts = [p.strip() for p in str(text).split("+")]
    bad = [p for p in parts if p not in UNIT_PROCESSES]
    if bad or not parts:
        raise ValueError(
            f"unknown unit process {'+'.join(bad) or text!r}; use one of "
            f"{', '.join(UNIT_PROCESSES)} or a combination such as A+B1"
        )
    if len(set(parts)) != len(parts):
        raise ValueError(f"unit process {text!r} names one id twice")
    order = list(UNIT_PROCESSES)
    return tuple(sorted(parts, key=order.index))


def stage_key(unit_processes: tuple[str, ...]) -> str:
    """The stage letters a set of unit processes belongs to: ``("A", "B1")`` -> ``"A+B"``."""
    letters: list[str] = []
    for up in unit_processes:
        if up[0] not in letters:
            letters.append(up[0])
    return "+".join(letters)
