"""The study as a vectorised function: values of the uncertain inputs -> scores of both systems.

``StudyModel.scores(values, n)`` evaluates ``n`` iterations at once. Parameters are put back into
the study (``resolve`` with numpy arrays as overrides), so that a parameter used by both systems
(the grid, the baseline energy) takes the same value in both in the same iteration. Every
foreground exchange is compared with its deterministic amount; the differences, and the drawn
background values, become changes to single cells of the Brightway matrices
(:class:`~lca.uncertainty.linear.LinearSystem`), solved in bulk: linearly, without a solve, unless
an activity-to-activity amount changes.

An exchange's own distribution is centred on its deterministic amount. When the amount also
depends on sampled parameters, the exchange's draw is applied as a factor (lognormal) or a shift
(other distributions) to the amount those parameters give.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pint

from lca.core import units
from lca.library.background import Library
from lca.engine.matrices import StudyMatrices
from lca.engine.project import dataset_key, dataset_ref, foreground_exchanges
from lca.engine.user_proxies import draw_deltas
from lca.engine.solve_errors import UnsolvableDraws, unsolvable_error
from lca.core.errors import InputError, Problem
from lca.study.schema import Study
from lca.study import LoadedStudy, ResolvedStudy, resolve
from lca.uncertainty.distributions import UncertainInput
from lca.uncertainty.energy_mc import energy_system
from lca.uncertainty.inputs import KINDS, declared_inputs
from lca.uncertainty.linear import LinearSystem, build_linear_system


@dataclass
class StudyModel:
    loaded: LoadedStudy
    library: Library
    base: ResolvedStudy  # the deterministic study
    linear: LinearSystem
    inputs: list[UncertainInput]
    fixed: dict = field(default_factory=dict)  # scenario overrides: parameter name -> value, never sampled
    _variant_cache: dict = field(default_factory=dict, repr=False)  # dataset id -> study per drawn variant
    energy_linear: LinearSystem | None = None  # final energy as one row (lca.uncertainty.energy_mc)

    @property
    def systems(self) -> list[str]:
        return self.linear.systems

    @property
    def criteria(self) -> list[str]:
        return self.linear.criteria

    def base_values(self) -> dict[str, float]:
        return {i.name: i.base for i in self.inputs}

    def scores(self, values: dict[str, np.ndarray], n: int,
               progress: Callable[[int], None] | None = None, ai_only: frozenset[str] | None = None) -> np.ndarray:
        """Scores (n, systems, criteria) for ``values`` (input name -> array of n, or scalar).

        Names not among the declared inputs may be ``parameter:<name>`` of any study parameter
        (in its unit), as the break-even scan does. ``ai_only``: the AI solution's functional unit
        demands only these top-level activities (the others' amounts set to zero), so that its
        score is theirs alone (the target system, for the higher-order effects).
        """
        a_deltas, b_deltas = self.cells(values, n, ai_only)
        return self._solved(self.linear, values, n, a_deltas, b_deltas, progress)

    def _solved(self, linear: LinearSystem, values: dict, n: int, a_deltas: dict, b_deltas: dict,
                progress: Callable[[int], None] | None = None) -> np.ndarray:
        """``linear.solve``, a loop drawn at one unit of itself or more located (never a negative score)."""
        try:
            return linear.solve(n, a_deltas, b_deltas, progress)
        except UnsolvableDraws as exc:
            drawn = ", ".join(sorted(values)[:8]) + (", ..." if len(values) > 8 else "")
            raise unsolvable_error(self.base, exc.codes, (
                f"in {exc.draws} of {n} evaluations of the Monte Carlo, sensitivity or break-even, with "
                f"drawn values of {drawn}: the loop consumes one unit of itself or more per unit it makes, "
                "so supplies are negative or infinite; narrow the ranges that feed it")) from None

    def evaluate(self, values: dict[str, np.ndarray], n: int,
                 progress: Callable[[int], None] | None = None) -> tuple[np.ndarray, np.ndarray | None]:
        """Scores (n, systems, criteria) and final energy (n, systems; kWh) of the same draws.

        Energy is solved from the same changed cells as the scores; None without an energy system.
        """
        a_deltas, b_deltas = self.cells(values, n)
        scores = self._solved(self.linear, values, n, a_deltas, b_deltas, progress)
        if self.energy_linear is None:
            return scores, None
        return scores, self._solved(self.energy_linear, values, n, a_deltas, {})[:, :, 0]

    def cells(self, values: dict[str, np.ndarray], n: int, ai_only: frozenset[str] | None = None) -> tuple[dict, dict]:
        """The changed matrix cells of ``n`` iterations: ``(a_deltas, b_deltas)`` as for ``LinearSystem.solve``.

        Keys are Brightway node keys: ``(input, output)`` of technosphere cells (Brightway sign
        included), ``(flow, node)`` of biosphere cells; values are added to the deterministic cell.
        """
        resolved = self._resolve(values, n)
        variants = {name.split(":", 1)[1]: np.asarray(v) for name, v in values.items() if name.startswith("variants:")}
        fg = self.linear.foreground
        # a drawn variant may change amounts too (its own lifetime in an equipment share): the
        # study is resolved once per variant, with every reference to the dataset pointing at it
        per_variant = {ident: [list(foreground_exchanges(self._resolve(values, n, study), fg))
                               for study in self._variant_studies(ident)] for ident in variants}
        a_deltas: dict = defaultdict(float)
        b_deltas: dict = defaultdict(float)
        base_entries = foreground_exchanges(self.base, fg)
        for j, ((out, target, kind, amount0, inp0, _), (_, _, _, amount, inp, factor)) in enumerate(zip(
                base_entries, foreground_exchanges(resolved, fg))):
            amount = self._with_exchange_draw(values, inp, inp0, amount, factor)
            if ai_only is not None and out == (fg, "ai/__fu__") and kind == "technosphere" \
                    and target[1].split("/", 1)[1] not in ai_only:
                amount = 0.0 * np.asarray(amount)
            cells = b_deltas if kind == "biosphere" else a_deltas
            sign = -1.0 if kind == "technosphere" else 1.0
            ref = dataset_ref(target)
            ident = ref.partition("@")[0] if ref is not None else None
            if ident in variants:
                index = variants[ident]
                names = self.loaded.model.variant_draws[ident]
                cells[(target, out)] += sign * (amount * (index < 0) - amount0)
                for i, vname in enumerate(names):
                    _, _, _, amount_i, inp_i, factor_i = per_variant[ident][i][j]
                    amount_i = self._with_exchange_draw(values, inp_i, inp0, amount_i, factor_i)
                    cells[(dataset_key(self.base.library, f"{ident}@{vname}", fg), out)] += sign * amount_i * (index == i)
            elif np.ndim(amount) > 0 or amount != amount0:
                cells[(target, out)] += sign * (amount - amount0)
        for inp in self.inputs:
            if inp.kind == "background" and inp.name in values:
                b_deltas[inp.cell] += np.asarray(values[inp.name], dtype=float) - inp.base
            elif inp.kind == "brightway" and inp.name in values:  # the user's own data: one draw per iteration
                user = self.base.loaded.brightway
                if user is None:
                    raise ValueError("a brightway input without the user's background")
                for cell, delta in draw_deltas(user, values[inp.name], fg,
                                               self.linear.background).items():
                    b_deltas[cell] += delta
        return a_deltas, b_deltas

    @staticmethod
    def _with_exchange_draw(values: dict, inp, inp0, amount, factor):
        """The exchange's amount with its own drawn value, when it has one (see the module docstring)."""
        if inp is None or f"exchange:{inp.field}" not in values:
            return amount
        drawn = np.asarray(values[f"exchange:{inp.field}"], dtype=float)
        if np.ndim(inp.amount) == 0:
            return drawn * factor
        if inp.uncertainty.distribution == "lognormal":
            return amount * (drawn / float(inp0.amount))
        return amount + (drawn - float(inp0.amount)) * factor

    def _variant_studies(self, ident: str) -> list[LoadedStudy]:
        """The study once per drawn variant of dataset ``ident`` (cached)."""
        if ident not in self._variant_cache:
            self._variant_cache[ident] = [with_dataset_variant(self.loaded, ident, v)
                                          for v in self.loaded.model.variant_draws[ident]]
        return self._variant_cache[ident]

    def _resolve(self, values: dict, n: int, study: LoadedStudy | None = None) -> ResolvedStudy:
        overrides = dict(self.fixed)
        sampled = False
        for name, v in values.items():
            if name.startswith("parameter:"):
                pname = name.split(":", 1)[1]
                unit = _quantity(self.base.parameters[pname]).units
                overrides[pname] = units.Quantity(np.broadcast_to(np.asarray(v, dtype=float), (n,)), unit)
                sampled = True
        for pname, drawn in self._attribute_draws(values, n).items():
            if pname not in overrides:  # a scenario's fixed value or the parameter's own draw wins
                overrides[pname] = drawn
                sampled = True
        if not sampled and study is None:
            return self.base
        try:
            return resolve(study or self.loaded, self.library, overrides)
        except InputError as exc:
            hint = ("with the sampled parameter values; a normal distribution can draw negative values: "
                    "use a lognormal or a bounded (uniform, triangular) distribution")
            raise InputError([Problem(p.path, p.line, p.field, f"{p.message} ({hint})") for p in exc.problems]) from None


    def _attribute_draws(self, values: dict, n: int) -> dict[str, pint.Quantity]:
        """Parameters read from an attribute of a dataset whose variant is drawn: the drawn variant's value.

        Per iteration, the attribute of the variant drawn (``variants:<id>``; a negative index, the
        deterministic setting of the tornado, keeps the study's own value), in the parameter's unit;
        parameters that use it follow when the study is resolved with it.
        """
        out: dict[str, pint.Quantity] = {}
        for pname, param in self.loaded.model.parameters.items():
            ident = (param.dataset or "").partition("@")[0]
            if f"variants:{ident}" not in values or pname not in self.base.parameters:
                continue
            assert param.attribute is not None  # Parameter's validator: a dataset comes with its attribute
            base = _quantity(self.base.parameters[pname])
            options = np.array([units.convert(self.library.attribute_quantity(f"{ident}@{v}", param.attribute),
                                              str(base.units)) for v in self.loaded.model.variant_draws[ident]])
            index = np.broadcast_to(np.asarray(values[f"variants:{ident}"], dtype=float), (n,)).astype(int)
            out[pname] = units.Quantity(np.where(index < 0, float(base.magnitude), options[np.maximum(index, 0)]),
                                        base.units)
        return out


def with_dataset_variant(loaded: LoadedStudy, ident: str, variant: str) -> LoadedStudy:
    """The same study with every use of dataset ``ident`` pointing at ``variant`` (same file, same lines)."""
    data = loaded.model.model_dump()

    def point(ref):
        return f"{ident}@{variant}" if isinstance(ref, str) and ref.partition("@")[0] == ident else ref

    for key in ("ai", "reference"):
        system = data["systems"].get(key)
        for act in (system or {}).get("activities", []):
            for ex in act.get("exchanges") or []:
                ex["dataset"] = point(ex.get("dataset"))
            if act.get("equipment"):
                act["equipment"]["dataset"] = point(act["equipment"]["dataset"])
    for param in data.get("parameters", {}).values():  # parameters read from its attributes follow it
        param["dataset"] = point(param.get("dataset"))
    return replace(loaded, model=Study.model_validate(data))


def build_model(loaded: LoadedStudy, library: Library, data_dir: str | Path | None = None,
                kinds: tuple[str, ...] = KINDS, resolved: ResolvedStudy | None = None,
                overrides: dict | None = None, matrices: StudyMatrices | None = None) -> StudyModel:
    """Resolve the study, collect its uncertain inputs (of ``kinds``) and its Brightway matrices.

    ``overrides`` are the scenario's fixed parameter values (as for ``resolve``): kept in every
    iteration, and those parameters are not sampled. ``matrices`` are the deterministic run's
    (:func:`lca.engine.matrices.build_matrices` of the same resolved study): reused, not rebuilt.
    """
    overrides = dict(overrides or {})
    resolved = resolved or resolve(loaded, library, overrides)
    library = resolved.library or library  # with the study's own datasets
    inputs = [i for i in declared_inputs(resolved, library, kinds)
              if not (i.kind == "parameter" and i.name.split(":", 1)[1] in overrides)]
    extra_flows = [i.cell[0] for i in inputs if i.kind == "background"]
    linear = build_linear_system(resolved, library, data_dir, extra_flows, matrices)
    energy = energy_system(linear, resolved, library)
    return StudyModel(loaded, library, resolved, linear, inputs, overrides, energy_linear=energy)


def _quantity(value) -> pint.Quantity:
    """A study parameter, which resolve always makes a pint quantity."""
    if not isinstance(value, pint.Quantity):
        raise TypeError(f"expected a quantity, got {type(value).__name__}")
    return value
