"""The background library: impact criteria, biosphere flows and background datasets.

Everything here is read from ``inventories/methods`` and ``inventories/background`` through
pydantic models; every value carries its source. See docs/data.md for the file format.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, model_validator

from lca.core import units
from lca.core.errors import InputError, LibraryError, Problem
from lca.core.resources import inventories_dir
from lca.core.models import Amount, NonBlank, Slug, Strict, Uncertainty, UnitProcesses, UnitText
from lca.core.validation import problems_from_validation
from lca.core.yamlio import load_yaml
from lca.library.families import Datasets, Family, LazyMap, split_files

NO_DATA = "no data"

DatasetKind = Literal[
    "electricity", "equipment", "storage", "network", "datacentre", "end_of_life",
    "material", "energy", "transport", "agriculture", "water", "service",
]


# ---------------------------------------------------------------- methods and flows
class Flow(Strict):
    """A biosphere flow, with its biosphere3 UUID, name and compartment."""

    id: str = Field(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
    name: NonBlank
    categories: tuple[str, ...]
    unit: UnitText
    type: Literal["emission", "natural resource"]



class FlowsFile(Strict):
    source: NonBlank
    flows: list[Flow]


class CharacterisationFactor(Strict):
    flow: str = Field(description="biosphere3 UUID of the flow")
    name: str | None = Field(default=None, description="flow name, for the reader")
    factor: float


class Criterion(Strict):
    id: Slug
    name: NonBlank
    unit: UnitText
    source: NonBlank
    year: int | None = None
    description: str | None = None



class MethodFile(Strict):
    criterion: Criterion
    factors: list[CharacterisationFactor] = []
    order: int = 100


# ---------------------------------------------------------------- datasets
class SourcedValue(Strict):
    """A value with its citation: ``{value: "150 kgCO2e", source: "...", year: 2023}``."""

    value: Amount
    source: NonBlank
    year: int | None = None
    note: str | None = None
    covers: UnitProcesses | None = Field(default=None, description="unit processes this value covers, e.g. A+B1")
    uncertainty: Uncertainty | None = None



class FlowAmount(Strict):
    """A direct biosphere exchange of a dataset (e.g. kilograms of cobalt extracted)."""

    flow: str
    amount: Amount
    source: NonBlank
    note: str | None = None
    uncertainty: Uncertainty | None = None


class Variant(Strict):
    """One named set of values of a dataset (one source's figures)."""

    label: str | None = None
    attributes: dict[str, SourcedValue] = Field(
        default={}, description="sourced values of this variant only (e.g. its PUE or kWh/GB); "
                                "they override the dataset's attributes of the same name")
    impacts: dict[str, SourcedValue | Literal["no data"]] = {}
    flows: list[FlowAmount] = []
    note: str | None = None


class Dataset(Strict):
    """A background dataset: impacts per criterion for one unit of something."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]{0,79}$")
    kind: DatasetKind
    name: NonBlank
    unit: UnitText = Field(description='reference unit: "kWh", "unit", "GB", "kg", ...')
    covers: UnitProcesses = Field(description="ITU unit processes the impacts cover, e.g. C1 or A+B1")
    description: str | None = None
    geography: str | None = None
    attributes: dict[str, SourcedValue] = {}
    default: str
    variants: dict[Slug, Variant]



    @model_validator(mode="after")
    def _default_is_a_variant(self):
        if self.default not in self.variants:
            raise ValueError(f"default variant {self.default!r} is not one of {sorted(self.variants)}")
        return self


class BackgroundFile(Strict):
    datasets: list[Dataset]


# ---------------------------------------------------------------- the library
@dataclass(frozen=True)
class ImpactValue:
    """A dataset's impact on one criterion, per reference unit, in the criterion's unit."""

    amount: float | None  # None: the source has no data for this criterion
    source: str | None
    year: int | None = None
    uncertainty: Uncertainty | None = None


@dataclass
class Library:
    """The loaded background: criteria (ordered), flows by UUID, datasets by id."""

    criteria: dict[str, Criterion]
    factors: dict[str, list[CharacterisationFactor]]
    flows: dict[str, Flow]
    datasets: Mapping[str, Dataset]  # a LazyMap when loaded: large families are read on demand (families.py)
    dataset_files: Mapping[str, str] = field(default_factory=dict)
    fingerprint: str = ""  # sha256 of every file the library was read from (methods, background, materials)
    root: Path | None = None  # the inventories folder it was read from
    local: dict[str, str | None] = field(default_factory=dict)  # study-local dataset id -> library id it replaces
    local_of: str = ""  # sha256 of the study whose datasets this view adds (lca.study.local)
    base: Library | None = None  # for such a view: the shared library it was made from
    # a study-local value taken from a library dataset: (local id, variant, criterion) -> "id@variant"
    taken_from: dict[tuple[str, str, str], str] = field(default_factory=dict)

    def dataset(self, ref: str) -> tuple[Dataset, str]:
        """Resolve ``"id"`` or ``"id@variant"`` to (dataset, variant name); KeyError if unknown.

        Found once per reference and kept (a study of 10,000 activities asks for the same few
        references tens of thousands of times); the kept answers follow ``datasets`` if it is replaced.
        """
        known: tuple[object, dict[str, tuple[Dataset, str]]] | None = self.__dict__.get("_refs")
        if known is None or known[0] is not self.datasets:
            known = self.__dict__["_refs"] = (self.datasets, {})
        found = known[1].get(ref)
        if found is None:
            found = known[1][ref] = self._dataset(ref)
        return found

    def _dataset(self, ref: str) -> tuple[Dataset, str]:
        ident, _, variant = ref.partition("@")
        ds = self.datasets[ident]
        variant = variant or ds.default
        if variant not in ds.variants:
            raise KeyError(f"dataset {ident!r} has no variant {variant!r}; it has {sorted(ds.variants)}")
        return ds, variant

    def impact(self, ds: Dataset, variant: str, criterion: str) -> ImpactValue:
        """A variant's value on ``criterion`` in the criterion's unit (parsed once, then kept)."""
        key = (ds.id, variant, criterion)
        cache = self.__dict__.setdefault("_impacts", {})
        if key not in cache or cache[key][0] is not ds:
            cache[key] = (ds, self._impact(ds, variant, criterion))
        return cache[key][1]

    def _impact(self, ds: Dataset, variant: str, criterion: str) -> ImpactValue:
        value = ds.variants[variant].impacts.get(criterion)
        if value is None or isinstance(value, str):  # the only text an impact holds is NO_DATA
            return ImpactValue(None, None)
        crit = self.criteria[criterion]
        amount = units.per_reference(units.parse_quantity(value.value), crit.unit, ds.unit)
        return ImpactValue(amount, value.source, value.year, value.uncertainty)

    def attributes(self, ds: Dataset, variant: str | None = None) -> dict[str, SourcedValue]:
        """The dataset's attributes with the variant's own attributes laid over them."""
        merged = dict(ds.attributes)
        merged.update(ds.variants[variant or ds.default].attributes)
        return merged

    def attribute_quantity(self, ref: str, name: str):
        """A sourced attribute of ``"id"`` or ``"id@variant"`` as a pint Quantity (e.g. PUE, TDP, lifetime).

        The variant's own attribute wins over the dataset's; KeyError names the attributes there are.
        """
        ds, variant = self.dataset(ref)
        attributes = self.attributes(ds, variant)
        if name not in attributes:
            raise KeyError(f"dataset {ref!r} has no attribute {name!r}; it has {sorted(attributes) or 'none'}")
        return units.parse_quantity(attributes[name].value)

    @cached_property
    def flows_by_name(self) -> dict[str, list[Flow]]:
        out: dict[str, list[Flow]] = {}
        for f in self.flows.values():
            out.setdefault(f.name.lower(), []).append(f)
        return out

    def find_flow(self, ref: str) -> Flow:
        """A flow by UUID, by ``name`` (when unique) or by ``name (compartment, sub)``."""
        if ref in self.flows:
            return self.flows[ref]
        name, _, cats = ref.partition(" (")
        matches = self.flows_by_name.get(name.strip().lower(), [])
        if cats:
            wanted = tuple(c.strip() for c in cats.rstrip(")").split(","))
            matches = [f for f in matches if f.categories == wanted]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise KeyError(f"no biosphere flow {ref!r} in inventories/methods")
        options = ", ".join(f"{f.name} ({', '.join(f.categories)})" for f in matches)
        raise KeyError(f"flow {ref!r} is ambiguous: {options}; add the compartment or use the UUID")


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.yaml") if p.is_file())


def fingerprint_files(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def load_library(root: Path | str | None = None) -> Library:
    """Load and check every file of ``methods/`` and ``background/`` under ``root``.

    ``root`` defaults to the inventories shipped with ai-lca. Raises LibraryError listing every
    problem (file, line, field) found across the files, or saying that the folder holds no
    criteria or no datasets (a wrong folder or a broken install is never an empty library).
    """
    root = Path(root) if root else inventories_dir()
    problems: list[Problem] = []
    method_files = _files(root / "methods")
    background_files = _files(root / "background")
    eager, families = split_files(background_files)
    flows, criteria, factors = _load_methods(method_files, problems)
    units_of = {c: v[1].unit for c, v in criteria.items()}
    datasets, dataset_files = _load_datasets(eager, units_of, flows, problems)
    problems += _emptiness(root, criteria, datasets or families)
    if problems:
        raise LibraryError(problems)
    ordered = dict(sorted(((k, v) for k, v in criteria.items()), key=lambda kv: (kv[1][0], kv[0])))
    fingerprint = fingerprint_files(method_files + background_files + _files(root / "materials"))
    state = Datasets(datasets, dataset_files, families, FamilyReader(root, fingerprint, units_of, flows))
    return Library(
        criteria={k: v[1] for k, v in ordered.items()},
        factors=factors,
        flows=flows,
        datasets=LazyMap(state),
        dataset_files=LazyMap(state, files=True),
        fingerprint=fingerprint,
        root=root,
    )


@dataclass(frozen=True)
class FamilyReader:
    """Reads and checks a family's files when first needed (lca.library.families), cached on disk."""

    root: Path
    fingerprint: str
    criterion_units: dict[str, str]
    flows: dict[str, Flow]

    def __call__(self, family: Family, paths: list[Path],
                 known: dict[str, str]) -> tuple[dict[str, Dataset], dict[str, str]]:
        from lca.library.cache import cached_family

        return cached_family(self.root, self.fingerprint, family.prefix, lambda: self._read(family, paths, known))

    def _read(self, family: Family, paths: list[Path], known: dict[str, str]):
        problems: list[Problem] = []
        datasets, files = _load_datasets(paths, self.criterion_units, self.flows, problems, known, family.prefix)
        if problems:
            raise LibraryError(problems)
        return datasets, files


def _parse(path: Path, model, problems: list[Problem]):
    """(model instance, doc) of one library file; (None, doc or None) after adding its problems."""
    try:
        doc = load_yaml(path)
    except InputError as exc:
        problems.extend(exc.problems)
        return None, None
    try:
        return model.model_validate(doc.data), doc
    except ValidationError as exc:
        problems.extend(problems_from_validation(exc, doc))
        return None, doc


def _load_methods(method_files: list[Path], problems: list[Problem]):
    """Flows by UUID, criteria by id (with their order) and characterisation factors by criterion."""
    flows: dict[str, Flow] = {}
    criteria: dict[str, tuple[int, Criterion]] = {}
    factors: dict[str, list[CharacterisationFactor]] = {}
    for path in method_files:
        if path.name.startswith("flows"):
            parsed, _ = _parse(path, FlowsFile, problems)
            for f in parsed.flows if parsed else []:
                flows[f.id] = f
    for path in method_files:
        if path.name.startswith("flows"):
            continue
        parsed, doc = _parse(path, MethodFile, problems)
        if not parsed:
            continue
        crit = parsed.criterion
        if crit.id in criteria:
            problems.append(Problem(str(path), doc.line_of(("criterion", "id")), "criterion.id",
                                    f"criterion {crit.id!r} is defined twice"))
        criteria[crit.id] = (parsed.order, crit)
        for i, cf in enumerate(parsed.factors):
            if cf.flow not in flows:
                problems.append(Problem(str(path), doc.line_of(("factors", i, "flow")), f"factors[{i}].flow",
                                        f"flow {cf.flow} is not in the flows files; add it there"))
        factors[crit.id] = list(parsed.factors)
    return flows, criteria, factors


def _load_datasets(background_files: list[Path], criterion_units: dict[str, str], flows: dict[str, Flow],
                   problems: list[Problem], known: Mapping[str, str] | None = None,
                   prefix: str = "") -> tuple[dict[str, Dataset], dict[str, str]]:
    """Datasets by id and the file each comes from; ids are unique across files and unlike the ``known``
    ones (id -> file); with a ``prefix`` (a family's files), every id must start with it."""
    datasets: dict[str, Dataset] = {}
    dataset_files: dict[str, str] = {}
    known = known or {}
    for path in background_files:
        parsed, doc = _parse(path, BackgroundFile, problems)
        if not parsed:
            continue
        for i, ds in enumerate(parsed.datasets):
            loc = ("datasets", i)
            if ds.id in datasets or ds.id in known:
                problems.append(Problem(str(path), doc.line_of(loc + ("id",)), f"datasets[{i}].id",
                                        f"dataset id {ds.id!r} is already defined in "
                                        f"{dataset_files.get(ds.id) or known[ds.id]}"))
                continue
            if not ds.id.startswith(prefix):
                problems.append(Problem(str(path), doc.line_of(loc + ("id",)), f"datasets[{i}].id",
                                        f"dataset id {ds.id!r} does not start with {prefix!r}: the datasets of "
                                        f"{path.name} are looked up by that prefix; rename it, or move it to "
                                        "another file"))
                continue
            datasets[ds.id] = ds
            dataset_files[ds.id] = str(path)
            problems.extend(_check_dataset_values(ds, doc, loc, criterion_units, flows))
    return datasets, dataset_files


def _uncertainty_problems(unc, unit: str, per_unit: str | None, doc, loc, field_name: str) -> list[Problem]:
    """The bounds of a background value's distribution must be in the value's own unit."""
    out: list[Problem] = []
    if unc is None:
        return out
    for name in ("sd", "min", "max"):
        text = getattr(unc, name)
        if text is None:
            continue
        try:
            q = units.parse_quantity(text)
            try:
                units.convert(q, unit)
            except units.UnitError:
                if per_unit is None:
                    raise
                units.convert(q * units.Quantity(1, per_unit), unit)
        except units.UnitError as exc:
            where = f" per {per_unit}" if per_unit else ""
            out.append(Problem(doc.path, doc.line_of(loc + (name,)), f"{field_name}.{name}",
                               f"{exc}; write it in {unit}{where}, like the value"))
    return out


def _emptiness(root: Path, criteria: dict, datasets: dict) -> list[Problem]:
    """A library without criteria or without datasets is a wrong folder, not an empty result."""
    out = []
    if not criteria:
        out.append(Problem(str(root / "methods"), None, "", "no criterion found (no method YAML file): "
                           "this is not an ai-lca inventories folder, or the installation is incomplete"))
    if not datasets:
        out.append(Problem(str(root / "background"), None, "", "no dataset found (no background YAML file): "
                           "this is not an ai-lca inventories folder, or the installation is incomplete"))
    return out


def check_dataset_values(ds: Dataset, doc, loc, criteria: dict[str, str], flows: dict[str, Flow]) -> list[Problem]:
    """Units parse and have the criterion's dimension; flows exist; criteria are known (located)."""
    return _check_dataset_values(ds, doc, loc, criteria, flows)


def _check_dataset_values(ds: Dataset, doc, loc, criteria: dict[str, str], flows: dict[str, Flow]) -> list[Problem]:
    """Units parse and have the criterion's dimension; flows exist; criteria are known."""
    out: list[Problem] = []
    prefix = f"datasets[{loc[1]}]"

    def add(here, field_name, message):
        out.append(Problem(doc.path, doc.line_of(here), field_name, message))

    for vname, variant in ds.variants.items():
        vloc = loc + ("variants", vname)
        for crit, value in variant.impacts.items():
            here = vloc + ("impacts", crit)
            field_name = f"{prefix}.variants.{vname}.impacts.{crit}"
            if crit not in criteria:
                add(here, field_name, f"unknown criterion {crit!r}; known: {', '.join(sorted(criteria))}")
                continue
            if isinstance(value, str):  # NO_DATA, the only text an impact holds
                continue
            try:
                units.per_reference(units.parse_quantity(value.value), criteria[crit], ds.unit)
            except units.UnitError as exc:
                add(here + ("value",), field_name + ".value",
                    f"{exc}; write it in {criteria[crit]} per {ds.unit}")
                continue
            out.extend(_uncertainty_problems(value.uncertainty, criteria[crit], ds.unit, doc,
                                             here + ("uncertainty",), field_name + ".uncertainty"))
        for j, fa in enumerate(variant.flows):
            here = vloc + ("flows", j, "flow")
            if fa.flow not in flows:
                add(here, f"{prefix}.variants.{vname}.flows[{j}].flow",
                    f"flow {fa.flow!r} is not in the inventories/methods flows files")
                continue
            try:
                units.convert(units.parse_quantity(fa.amount), flows[fa.flow].unit)
            except units.UnitError as exc:
                add(vloc + ("flows", j, "amount"), f"{prefix}.variants.{vname}.flows[{j}].amount",
                    f"{exc}; write it in {flows[fa.flow].unit}")
                continue
            out.extend(_uncertainty_problems(fa.uncertainty, flows[fa.flow].unit, None, doc,
                                             vloc + ("flows", j, "uncertainty"),
                                             f"{prefix}.variants.{vname}.flows[{j}].uncertainty"))
    attribute_sets = [(loc + ("attributes",), f"{prefix}.attributes", ds.attributes)] + [
        (loc + ("variants", vname, "attributes"), f"{prefix}.variants.{vname}.attributes", v.attributes)
        for vname, v in ds.variants.items()]
    for here, field_name, attributes in attribute_sets:
        for name, attr in attributes.items():
            try:
                units.parse_quantity(attr.value)
            except units.UnitError as exc:
                add(here + (name,), f"{field_name}.{name}", str(exc))
    return out


# the parsed library pickled by its fingerprint (lca.library.cache): parsed once, not every run
from lca.library.cache import cached_library  # noqa: E402

load_library = cached_library(load_library, _files, fingerprint_files, inventories_dir)
