"""Scenarios: named sets of parameter values and dataset variants (``scenarios:``), and the same
from the command line (``--set NAME=VALUE``, ``--variant DATASET=VARIANT``).

``apply_variants`` points every use of a dataset (exchanges, equipment, parameters read from its
attributes) at one variant; ``parameter_values`` turns amount texts into pint quantities in each
parameter's own unit, for ``resolve(..., overrides)``. ``scenario_problems`` checks the
``scenarios:`` section against the study and the library (located problems).
"""

from __future__ import annotations

from dataclasses import replace

from lca.core import units
from lca.core.errors import Problem, StudyError
from lca.library.background import Library
from lca.study.amounts import Collector
from lca.study.datasets import unknown_dataset
from lca.study.model import LoadedStudy
from lca.study.schema import Study

RESERVED = ("base",)  # the study as written, in the scenarios section


def apply_variants(loaded: LoadedStudy, variants: dict[str, str]) -> LoadedStudy:
    """The same study with every use of each dataset id pointing at the given variant (same lines)."""
    if not variants:
        return loaded
    data = loaded.model.model_dump()

    def point(ref):
        if isinstance(ref, str) and ref.partition("@")[0] in variants:
            ident = ref.partition("@")[0]
            return f"{ident}@{variants[ident]}"
        return ref

    for key in ("ai", "reference"):
        for act in (data["systems"].get(key) or {}).get("activities", []):
            for ex in act.get("exchanges") or []:
                ex["dataset"] = point(ex.get("dataset"))
            if act.get("equipment"):
                act["equipment"]["dataset"] = point(act["equipment"]["dataset"])
    for param in data.get("parameters", {}).values():
        param["dataset"] = point(param.get("dataset"))
    return replace(loaded, model=Study.model_validate(data))


def parameter_values(texts: dict[str, object], base: dict, where: dict[str, tuple[str, int | None, str]]) -> dict:
    """Amount texts -> quantities in the unit of each base parameter; StudyError names each bad one.

    ``where[name]`` is (path, line, field) of the text, for the message.
    """
    out, problems = {}, []
    for name, text in texts.items():
        path, line, field = where[name]
        if name not in base:
            known = ", ".join(sorted(base)) or "none declared"
            problems.append(Problem(path, line, field, f"{name!r} is not a study parameter (parameters: {known})"))
            continue
        try:
            q = units.parse_quantity(text if isinstance(text, (int, float)) else str(text))
            out[name] = units.Quantity(units.convert(q, base[name].units), base[name].units)
        except units.UnitError as exc:
            unit = f"{base[name].units:~P}" or "a plain number"
            hint = f"; write {path} {name}={_example(base[name])}" if path == "--set" else ""
            problems.append(Problem(path, line, field, f"{exc}; {name} is in {unit}{hint}"))
    if problems:
        raise StudyError(problems)
    return out


def _example(value) -> str:
    """The study's own value as a ``--set`` would write it: ``"100 kWh/m**2/a"``, ``0.85``."""
    unit = f"{value.units:~C}"
    return f'"{value.magnitude:g} {unit}"' if unit else f"{value.magnitude:g}"


def variant_problem(ident: str, variant: str, library: Library) -> str | None:
    """Why ``ident@variant`` cannot be used, or None."""
    if ident not in library.datasets:
        return unknown_dataset(ident, library, KeyError(ident))
    if variant not in library.datasets[ident].variants:
        return (f"dataset {ident!r} has no variant {variant!r}; "
                f"it has {', '.join(sorted(library.datasets[ident].variants))}")
    return None


def scenario_problems(loaded: LoadedStudy, library: Library, params: dict, col: Collector) -> None:
    """Every scenario names study parameters (values of their dimension) and real dataset variants."""
    for name, scenario in loaded.model.scenarios.items():
        loc = ("scenarios", name)
        if name in RESERVED:
            col.add(loc, f"{name!r} names the study as written; give the scenario another name")
        for pname, text in scenario.parameters.items():
            where = {pname: (col.doc.path, col.doc.line_of(loc + ("parameters", pname)),
                             f"scenarios.{name}.parameters.{pname}")}
            if pname not in params and pname in loaded.model.parameters:
                continue  # the parameter itself has a problem, already reported
            try:
                parameter_values({pname: text}, params, where)
            except StudyError as exc:
                col.problems.extend(exc.problems)
        for ident, variant in scenario.variants.items():
            problem = variant_problem(ident, variant, library)
            if problem:
                col.add(loc + ("variants", ident), problem)


def scenario_inputs(loaded: LoadedStudy, name: str) -> tuple[
        dict[str, object], dict[str, tuple[str, int | None, str]], dict[str, str]]:
    """(parameter texts, where each is declared, variants) of a declared scenario."""
    scenario = loaded.model.scenarios[name]
    where = {p: (loaded.doc.path, loaded.doc.line_of(("scenarios", name, "parameters", p)),
                 f"scenarios.{name}.parameters.{p}") for p in scenario.parameters}
    return dict(scenario.parameters), where, dict(scenario.variants)


def run_inputs(loaded: LoadedStudy, library: Library, params: dict, scenario: str | None = None,
               overrides: dict | None = None, variants: dict | None = None) -> tuple[LoadedStudy, dict]:
    """(the study with its variants applied, parameter overrides) for one run.

    A scenario's values first, then ``overrides`` and ``variants`` on top (the command line wins).
    ``overrides`` values are quantities, plain numbers, or amount texts ("1287 MWh", converted to
    the parameter's unit); ``params`` are the study's own parameter values (``resolve``). Unknown
    names are refused (StudyError), never ignored.
    """
    texts: dict[str, object] = {}
    where: dict[str, tuple[str, int | None, str]] = {}
    chosen: dict[str, str] = {}
    if scenario is not None:
        if scenario not in loaded.model.scenarios:
            known = ", ".join(loaded.model.scenarios) or "none declared"
            raise StudyError([Problem("--scenario", None, "scenario",
                                      f"no scenario {scenario!r} in {loaded.path} (scenarios: {known})")])
        texts, where, chosen = scenario_inputs(loaded, scenario)
    given = dict(overrides or {})
    for name, value in given.items():
        if name not in params:
            texts[name] = value  # refused below, with the parameters there are
        elif isinstance(value, str):
            texts[name] = value
        where[name] = ("--set", None, f"set.{name}")
    problems = [Problem("--variant", None, f"variant.{ident}", msg) for ident, variant in (variants or {}).items()
                if (msg := variant_problem(ident, variant, library))]
    try:
        values = parameter_values(texts, params, where)
    except StudyError as exc:
        problems = exc.problems + problems
    if problems:
        raise StudyError(problems)
    values.update({n: v for n, v in given.items() if not isinstance(v, str)})
    chosen.update(variants or {})
    return apply_variants(loaded, chosen), values
