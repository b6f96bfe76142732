"""Collect the declared uncertain inputs of a resolved study.

Four kinds, each drawn once per iteration and shared by every exchange that uses it (so by both
systems when both use it):

- ``parameter``: a study parameter with ``uncertainty`` or ``variants``;
- ``exchange``: one exchange's own ``uncertainty`` (independent of every other exchange);
- ``background``: a background dataset value with ``uncertainty`` (a dataset's impact on one
  criterion, or one of its direct flows), for every dataset variant the study can use;
- ``variants``: a dataset listed in the study's ``variant_draws``: each iteration uses one of the
  listed variants, equally likely, wherever the study uses the dataset;
- ``brightway`` (collected with ``background``): the user's own Brightway databases, one draw of
  their stored uncertainty per iteration (lca.engine.user_scores), shared by both systems.

Inputs whose distribution has no spread (gsd 1, sd 0, min = max) are left out.
"""

from __future__ import annotations

import pint

from lca.core import units
from lca.library.background import Library
from lca.engine.project import BIOSPHERE_DB, INDICATOR_DB, dataset_key, foreground_name
from lca.core.distribution import ResolvedUncertainty
from lca.study import ResolvedStudy
from lca.uncertainty.distributions import UncertainInput, has_spread
from lca.library.distributions import flow_distribution, impact_distribution

KINDS = ("parameter", "exchange", "background", "variants")
BRIGHTWAY_KINDS = ("exchange", "background")  # what Brightway's own Monte Carlo samples too


def used_datasets(resolved: ResolvedStudy) -> set[str]:
    """Every "id@variant" the study can use: its exchanges' targets and every drawn variant."""
    refs = {inp.target for s in resolved.systems.values() for a in s.activities for inp in a.inputs
            if inp.kind == "dataset"}
    for ident, variants in resolved.loaded.model.variant_draws.items():
        refs |= {f"{ident}@{v}" for v in variants}
    return refs


def brightway_input(user) -> UncertainInput:
    """The user's own Brightway data as one input: each iteration takes one of the draws bw2calc made
    of their stored distributions (the same draw for every activity of theirs and both systems)."""
    n = int(user.draws.shape[0])
    dist = ResolvedUncertainty("discrete", options=tuple(float(i) for i in range(n)))
    return UncertainInput(f"brightway:{user.project}", f"your Brightway project {user.project} ({n} draws)",
                          "brightway", -1.0, "draw", dist)


def declared_inputs(resolved: ResolvedStudy, library: Library, kinds: tuple[str, ...] = KINDS) -> list[UncertainInput]:
    """The uncertain inputs of the study, in a stable order (parameters, exchanges, background, variants)."""
    out: list[UncertainInput] = []
    if "parameter" in kinds:
        for name, dist in resolved.uncertain_parameters.items():
            q = resolved.parameters[name]
            if not isinstance(q, pint.Quantity):
                raise TypeError(f"parameter {name!r} is not a quantity: {q!r}")
            if has_spread(dist):
                out.append(UncertainInput(f"parameter:{name}", f"parameter {name}", "parameter",
                                          float(q.magnitude), f"{q.units:~P}", dist))
    if "exchange" in kinds:
        for key, system in resolved.systems.items():
            for act in system.activities:
                for inp in act.inputs:
                    if inp.uncertainty is not None and has_spread(inp.uncertainty):
                        out.append(UncertainInput(f"exchange:{inp.field}", f"{key} {act.id}: {inp.label}",
                                                  "exchange", float(inp.amount), inp.unit, inp.uncertainty))
    if "background" in kinds:
        out.extend(_background_inputs(resolved, library))
    if "background" in kinds and resolved.loaded.brightway is not None and resolved.loaded.brightway.draws is not None:
        out.append(brightway_input(resolved.loaded.brightway))
    if "variants" in kinds:
        for ident, variants in resolved.loaded.model.variant_draws.items():
            dist = ResolvedUncertainty("discrete", options=tuple(float(i) for i in range(len(variants))),
                                       option_names=tuple(variants))
            out.append(UncertainInput(f"variants:{ident}", f"{library.datasets[ident].name}: source",
                                      "variants", -1.0, "variant", dist))
    return out


def _background_inputs(resolved: ResolvedStudy, library: Library) -> list[UncertainInput]:
    """The library values the study uses that declare a distribution: impacts, then direct flows."""
    out: list[UncertainInput] = []
    fg = foreground_name(resolved)
    for ref in sorted(used_datasets(resolved)):
        ds, variant = library.dataset(ref)
        node = dataset_key(resolved.library, ref, fg)
        for crit in library.criteria:
            impact_dist = impact_distribution(library, ds, variant, crit)
            if impact_dist is not None and has_spread(impact_dist):
                amount = library.impact(ds, variant, crit).amount
                if amount is None:
                    raise ValueError(f"{ref}, {crit}: a distribution on an impact with no data")
                out.append(UncertainInput(
                    f"background:{ref}:{crit}", f"{ds.name} [{variant}], {crit}", "background",
                    float(amount), f"{library.criteria[crit].unit}/{ds.unit}",
                    impact_dist, ((INDICATOR_DB, crit), node)))
        for j, fa in enumerate(ds.variants[variant].flows):
            flow_dist = flow_distribution(library, ds, variant, j, fa)
            if flow_dist is not None and has_spread(flow_dist):
                flow = library.flows[fa.flow]
                out.append(UncertainInput(
                    f"background:{ref}:flows[{j}]", f"{ds.name} [{variant}], {flow.name}", "background",
                    float(units.convert(units.parse_quantity(fa.amount), flow.unit)), flow.unit,
                    flow_dist, ((BIOSPHERE_DB, flow.id), node)))
    return out
