"""Study parameters: named values evaluated in declared order, or read from a dataset's sourced
attribute; their distributions and variants; the table of parameters of a result."""

from __future__ import annotations

import numpy as np

from lca.core import units
from lca.core.distribution import ResolvedUncertainty
from lca.core.errors import StudyError
from lca.core.quantities import readable, unit_text
from lca.library.background import Library
from lca.study.amounts import Collector, amount, distribution
from lca.study.datasets import unknown_dataset
from lca.study.model import LoadedStudy
from lca.study.names import check_parameter_names


def evaluate_parameters(loaded: LoadedStudy, overrides: dict | None = None,
                        collector: Collector | None = None, library: Library | None = None) -> dict[str, object]:
    """Parameters as pint quantities, in declared order (a parameter may use earlier ones).

    A parameter declared as a dataset attribute (``{dataset: ..., attribute: pue}``) takes the
    attribute's sourced value from ``library``.
    """
    col = collector or Collector(loaded.doc)
    values: dict[str, object] = {}
    overrides = overrides or {}
    refused = check_parameter_names(loaded.model.parameters, col)
    for name, param in loaded.model.parameters.items():
        if name in refused:
            continue
        if name in overrides:
            ov = overrides[name]
            values[name] = ov if isinstance(ov, units.Quantity) else units.Quantity(ov, "dimensionless")
            continue
        if param.dataset is not None:
            quantity = _dataset_attribute(param, library, col, ("parameters", name))
            if quantity is not None:
                values[name] = quantity
            continue
        assert param.value is not None  # Parameter's validator: no dataset means a value
        try:
            values[name] = units.parse_quantity(param.value, values)
        except units.UnitError as exc:
            col.add(("parameters", name, "value"), str(exc))
    if collector is None and col.problems:
        raise StudyError(col.problems)
    return values


def _dataset_attribute(param, library: Library | None, col: Collector, loc: tuple):
    """The sourced attribute a parameter refers to, as a quantity; None after a located problem."""
    if library is None:
        col.add(loc + ("dataset",), "this parameter reads a dataset attribute: resolve the study with a library")
        return None
    try:
        ds, variant = library.dataset(param.dataset)
    except KeyError as exc:
        col.add(loc + ("dataset",), unknown_dataset(param.dataset, library, exc))
        return None
    attributes = library.attributes(ds, variant)
    if param.attribute not in attributes:
        col.add(loc + ("attribute",), f"dataset {param.dataset!r} has no attribute {param.attribute!r}; "
                                      f"it has {', '.join(sorted(attributes)) or 'none'}")
        return None
    try:
        return units.parse_quantity(attributes[param.attribute].value)
    except units.UnitError as exc:
        col.add(loc + ("attribute",), str(exc))
        return None


def parameter_table(loaded: LoadedStudy, params: dict, library: Library) -> dict[str, dict]:
    """Every parameter with its value, unit and where it comes from (for the result file)."""
    table = {}
    for name, param in loaded.model.parameters.items():
        if name not in params:
            continue
        q = params[name]
        value, unit = readable(q) if np.ndim(q.magnitude) == 0 else (None, unit_text(q))  # kWh, never h·W
        entry = {"value": value, "unit": unit,
                 "source": param.source, "assumption": param.assumption,
                 "line": loaded.doc.line_of(("parameters", name))}
        if param.dataset is not None:
            assert param.attribute is not None  # Parameter's validator: a dataset comes with its attribute
            ds, variant = library.dataset(param.dataset)
            attr = library.attributes(ds, variant)[param.attribute]
            entry.update(source=attr.source, year=attr.year, dataset=f"{ds.id}@{variant}", attribute=param.attribute)
        table[name] = entry
    return table


def parameter_uncertainty(loaded: LoadedStudy, params: dict, col: Collector) -> dict[str, ResolvedUncertainty]:
    """Distributions and variants of the parameters, converted to each parameter's own unit."""
    out: dict[str, ResolvedUncertainty] = {}
    for name, param in loaded.model.parameters.items():
        if name not in params or (param.uncertainty is None and not param.variants):
            continue
        loc = ("parameters", name)
        unit = str(params[name].units)
        if param.variants:
            values = [amount(text, params, col, loc + ("variants", vname), unit, positive=False, what="variant")
                      for vname, text in param.variants.items()]
            if all(v is not None and np.ndim(v) == 0 for v in values):
                out[name] = ResolvedUncertainty("discrete", options=tuple(float(v) for v in values),
                                                option_names=tuple(param.variants))
            continue
        base = params[name].magnitude
        resolved = distribution(param.uncertainty, base, params, col, loc + ("uncertainty",), unit)
        if resolved is not None:
            out[name] = resolved
    return out


def attribute_draw_problems(loaded: LoadedStudy, library: Library, params: dict, col: Collector) -> None:
    """A parameter read from an attribute of a dataset in ``variant_draws`` follows the drawn variant
    (lca.uncertainty.model): every drawn variant must have that attribute, of the parameter's kind."""
    for name, param in loaded.model.parameters.items():
        ident = (param.dataset or "").partition("@")[0]
        variants = loaded.model.variant_draws.get(ident)
        if not variants or name not in params or ident not in library.datasets:
            continue
        ds = library.datasets[ident]
        for variant in (v for v in variants if v in ds.variants):
            attributes = library.attributes(ds, variant)
            if param.attribute not in attributes:
                col.add(("variant_draws", ident), f"parameter {name!r} reads attribute {param.attribute!r} of "
                        f"{ident}, which variant {variant!r} does not have; give that variant the attribute, or "
                        f"draw other variants")
                continue
            try:
                units.convert(units.parse_quantity(attributes[param.attribute].value), params[name].units)
            except units.UnitError as exc:
                col.add(("variant_draws", ident), f"variant {variant!r}: attribute {param.attribute!r}: {exc}; "
                        f"parameter {name!r} reads it")

