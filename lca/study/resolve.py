"""Resolve a loaded study against the library: every cross-reference and unit checked, every
amount computed (parameters evaluated), in the unit of what it refers to.

``resolve`` takes parameter overrides (floats or numpy arrays), which is how scenarios and Monte
Carlo re-evaluate a study.
"""

from __future__ import annotations

from lca.core.errors import StudyError
from lca.library.background import Library
from lca.study.activities import field_text, resolve_activity
from lca.study.amounts import Collector, amount
from lca.study.bounds import not_applicable_problems, supply_problems
from lca.study.datasets import unknown_dataset
from lca.study.local import study_library
from lca.study.loops import loop_problems
from lca.study.model import LoadedStudy, ResolvedStudy, ResolvedSystem
from lca.study.equivalents import resolve_equivalents
from lca.study.parameters import attribute_draw_problems, evaluate_parameters, parameter_uncertainty
from lca.study.scenarios import scenario_problems


def resolve(loaded: LoadedStudy, library: Library, overrides: dict | None = None) -> ResolvedStudy:
    """Check every cross-reference and unit, and compute amounts; raise InputError on problems."""
    col = Collector(loaded.doc)
    library = study_library(loaded, library, col)  # the library plus the study's own datasets
    params = evaluate_parameters(loaded, overrides, col, library)
    systems: dict[str, ResolvedSystem] = {}
    for key in ("ai", "reference"):
        system = getattr(loaded.model.systems, key)
        if system is not None:
            systems[key] = _resolve_system(key, system, params, library, col, loaded.brightway)
    uncertain = parameter_uncertainty(loaded, params, col)
    _check_uncertainty_declarations(loaded, library, params, col)
    attribute_draw_problems(loaded, library, params, col)  # drawn variants carry the attributes read
    equivalents = resolve_equivalents(loaded, library, params, col)
    scenario_problems(loaded, library, params, col)
    if col.problems:
        raise StudyError(col.problems)
    return ResolvedStudy(loaded, systems, params, uncertain, equivalents, library)


def _resolve_system(key: str, system, params: dict, library: Library, col: Collector, user=None) -> ResolvedSystem:
    loc = ("systems", key)
    ids = {a.id for a in system.activities}
    referenced = {ex.activity for a in system.activities for ex in a.exchanges if ex.activity}
    if ids and ids <= referenced:  # every activity feeds another: the functional unit demands nothing
        col.add(loc + ("activities",), "every activity is consumed by another one, so the functional unit uses "
                                       "none of them and the result would be zero; add the activity the "
                                       "functional unit consumes (one that no other activity consumes)")
    fields = field_text(loc + ("activities",))  # each activity's field adds "[i]" (as dotted writes it)
    acts = [resolve_activity(act, loc + ("activities", i), ids, referenced, params, library, col, user,
                             f"{fields}[{i}]") for i, act in enumerate(system.activities)]
    resolved = ResolvedSystem(key, system.name, tuple(a for a in acts if a is not None),
                              {k: v.justification for k, v in system.not_applicable.items()})
    loops = loop_problems(resolved, col.doc.path)
    col.problems.extend(loops)
    if not loops and not col.problems:
        col.problems.extend(supply_problems(resolved, col.doc.path))
    not_applicable_problems(resolved, key, col)
    return resolved


def _check_uncertainty_declarations(loaded: LoadedStudy, library: Library, params: dict, col: Collector) -> None:
    """``break_even`` names a parameter and has a range in its unit; ``variant_draws`` name real variants."""
    model = loaded.model
    be = model.break_even
    if be is not None:
        if be.parameter not in model.parameters:
            known = ", ".join(sorted(model.parameters)) or "none declared"
            col.add(("break_even", "parameter"), f"{be.parameter!r} is not a study parameter (parameters: {known})")
        elif be.parameter in params:
            unit = str(params[be.parameter].units)
            ends = [amount(t, params, col, ("break_even", "range", i), unit, positive=False, what="range end")
                    for i, t in enumerate(be.range)]
            if all(e is not None for e in ends) and not float(ends[0]) < float(ends[1]):
                col.add(("break_even", "range"), "give the range as [lowest, highest] with lowest < highest")
    for ident, variants in model.variant_draws.items():
        loc = ("variant_draws", ident)
        if ident not in library.datasets:
            col.add(loc, unknown_dataset(ident, library, KeyError(ident)))
            continue
        unknown = [v for v in variants if v not in library.datasets[ident].variants]
        if unknown:
            col.add(loc, f"dataset {ident!r} has no variant {', '.join(unknown)}; "
                         f"it has {', '.join(sorted(library.datasets[ident].variants))}")
        elif len(set(variants)) < 2:
            col.add(loc, "list at least two different variants to draw from")
