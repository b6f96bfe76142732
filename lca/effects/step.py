"""The pipeline step beyond first order: deployment at scale and higher-order effects.

``effects_model`` resolves the study's ``deployment:`` and ``effects:`` (before the uncertainty
step, which draws the effects' own distributions); ``with_effects`` adds the ``effects`` and
``deployment`` sections and the communication findings to a reviewed result, and the
beyond-first-order statement to its verdict.
"""

from __future__ import annotations

from dataclasses import replace

from lca.core.errors import StudyError
from lca.core.errors import Problem
from lca.effects.findings import effect_findings, scope_findings
from lca.effects.model import EffectsModel
from lca.effects.resolve import resolve_effects
from lca.effects.sections import balances, deployment_section, gross_gain, tree
from lca.library.background import Library
from lca.results import StudyResult
from lca.study import LoadedStudy, ResolvedStudy


def effects_model(loaded: LoadedStudy, resolved: ResolvedStudy, library: Library,
                  overrides: dict | None = None) -> EffectsModel | None:
    """The resolved deployment and effects (None when the study declares neither); InputError on problems."""
    model = loaded.model
    if (model.deployment is not None or model.effects) and "reference" not in resolved.systems:
        key = "effects" if model.effects else "deployment"
        raise StudyError([Problem(loaded.doc.path, loaded.doc.line_of((key,)), key, (
            "higher-order effects and deployment scale the gain of the AI solution over its reference: "
            "add `systems.reference`, or remove this section"))])
    found = resolve_effects(loaded, resolved, library)
    if found is None:
        return None
    return EffectsModel(found, loaded, library, resolved.parameters, dict(overrides or {}))


def with_effects(result: StudyResult, loaded: LoadedStudy, model: EffectsModel | None) -> StudyResult:
    """A new result with the ``effects`` / ``deployment`` sections and their findings (unchanged input)."""
    if result.net is None:
        return result
    findings = scope_findings(result, loaded, model.resolved if model else None)
    extras = dict(result.extras)
    if model is not None:
        gross = gross_gain(result)
        rows = balances(result, model, gross)
        dep = (deployment_section(result, model.resolved.deployment, {k: r["higher_order"] for k, r in rows.items()})
               if model.resolved.deployment else None)
        text = " ".join(f"On {k}: {r['statement']}." for k, r in rows.items())
        extras["effects"] = {"tree": tree(model.resolved.effects, gross), "balances": rows, "statement": text,
                             "target_phase": "none"}
        if dep is not None:
            extras["deployment"] = dep
        if "verdict" in extras:
            extras["verdict"] = {**extras["verdict"], "beyond_first_order": text}
        findings += effect_findings(rows, model.resolved, dep)
    return replace(result, findings=(*result.findings, *findings), extras=extras)
