"""Large generated families of datasets, read the first time one of them is asked for.

The 2,331 cloud instances (``background/generated/cloud-instances-*.yaml``, ids ``instance.*``)
are four fifths of the library's bytes and almost never used by a study: reading and checking
them made every first load four times slower. A *family* is a set of background files, chosen by
file name, whose datasets all have ids starting with the family's prefix. ``load_library`` reads
every other file at once and leaves a family's files pending; the library's ``datasets`` (and
``dataset_files``) mapping reads a pending family, checks it (every problem located, ``FILE:LINE:
field: message``, as for any file) and adds it:

- when an id with the family's prefix is looked up (``library.datasets["instance.aws.m5.large"]``,
  ``"instance.x" in library.datasets``, ``library.dataset("instance.x@v")``);
- when the datasets are listed (iteration, ``len``, ``keys``/``values``/``items``): ``lca data
  list/search``, the Brightway background written once per library, the docs.

The library's fingerprint covers the family's files all the same (an edit is a new library), and
a family once read is cached on disk next to the library (``family-*.pickle``, same key plus the
prefix), so a later process that needs it unpickles it. A dataset of a family file whose id lacks
the prefix is refused (it could not be found by its id), and so is an id defined both in a family
and elsewhere, when the family is read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from lca.core.errors import LibraryError, Problem

V = TypeVar("V")


@dataclass(frozen=True)
class Family:
    """Background files read on demand: those named like ``pattern``, holding ids ``prefix*``."""

    prefix: str
    pattern: str

    def holds(self, path: Path) -> bool:
        return Path(path.name).match(self.pattern)


FAMILIES = (Family("instance.", "cloud-instances-*.yaml"),)

# (family, its files, ids already defined -> their file) -> (datasets, their files); raises LibraryError
FamilyReader = Callable[["Family", list[Path], dict[str, str]], tuple[dict[str, Any], dict[str, str]]]


def split_files(paths: list[Path]) -> tuple[list[Path], dict[Family, list[Path]]]:
    """The files read at once, and per family (with at least one file) its files."""
    eager: list[Path] = []
    families: dict[Family, list[Path]] = {}
    for path in paths:
        family = next((f for f in FAMILIES if f.holds(path)), None)
        if family is None:
            eager.append(path)
        else:
            families.setdefault(family, []).append(path)
    return eager, families


@dataclass
class Datasets:
    """What the two mappings of a library share: the datasets read so far and the pending families."""

    datasets: dict[str, Any]
    files: dict[str, str]
    pending: dict[Family, list[Path]] = field(default_factory=dict)
    reader: FamilyReader | None = None

    def need(self, key: object) -> None:
        """Read the pending family whose prefix ``key`` has, if any."""
        if self.pending and isinstance(key, str) and key.startswith(tuple(f.prefix for f in self.pending)):
            for family in [f for f in self.pending if key.startswith(f.prefix)]:
                self._read(family)

    def need_all(self) -> None:
        for family in list(self.pending):
            self._read(family)

    def _read(self, family: Family) -> None:
        if self.reader is None:
            raise RuntimeError(f"family {family.prefix}* is pending without a reader")
        datasets, files = self.reader(family, self.pending[family], dict(self.files))
        twice = sorted(datasets.keys() & self.datasets.keys())  # only if prefixes nest: both were read first
        if twice:
            raise LibraryError([Problem(files[i], None, "id", f"dataset id {i!r} is already defined in "
                                        f"{self.files[i]}") for i in twice])
        self.datasets.update(datasets)
        self.files.update(files)
        del self.pending[family]  # only once read and checked: a failed read is tried (and refused) again


class LazyMap(Mapping[str, V]):
    """A read-only view of ``Datasets.datasets`` or ``Datasets.files`` that reads families on demand."""

    def __init__(self, state: Datasets, files: bool = False):
        self.state = state
        self.files = files

    def _data(self) -> dict:
        return self.state.files if self.files else self.state.datasets

    def __getitem__(self, key: str) -> V:
        self.state.need(key)
        return self._data()[key]

    def __contains__(self, key: object) -> bool:
        self.state.need(key)
        return key in self._data()

    def __iter__(self) -> Iterator[str]:
        self.state.need_all()
        return iter(self._data())

    def __len__(self) -> int:
        self.state.need_all()
        return len(self._data())

    def keys(self):  # the dict's views: fast, and the same behaviour
        self.state.need_all()
        return self._data().keys()

    def values(self):
        self.state.need_all()
        return self._data().values()

    def items(self):
        self.state.need_all()
        return self._data().items()

    def __repr__(self) -> str:
        pending = ", ".join(f.prefix + "*" for f in self.state.pending)
        return f"<{len(self._data())} {'files' if self.files else 'datasets'}" + (
            f", pending {pending}>" if pending else ">")
