"""Read a practitioner's own Brightway project (ecoinvent, premise, ...) without ever writing to it.

bw2data writes as it opens a project: it creates the ``default`` project and missing metadata
files, makes folders, and may migrate the projects database. So the user's project is never
opened with bw2data; its files are read directly, read-only, the way bw2data lays them out
(bw2data 4):

- ``<dir>/projects.db`` (SQLite, opened ``mode=ro``): the project's row gives its folder
  (``bw_processing.safe_filename`` of its name, as bw2data names it);
- ``<project>/databases.json``, ``methods.json``: database metadata (``depends``, ``version``,
  ``modified``, ``dirty``) and methods (``unit``, ``abbreviation``);
- ``<project>/lci/databases.db`` (SQLite, ``mode=ro``): the activities;
- ``<project>/processed/*.zip``: the datapackages bw2calc computes from (read as zip files).

Nothing here changes a byte under the user's Brightway directory (tested by hashing every file).
"""

from __future__ import annotations

import json
import pickle
import sqlite3
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

PROCESS_TYPES = ("process", "processwithreferenceproduct", "product", None, "")


class UnreadableProject(Exception):
    """The directory, the project or one of its files cannot be read; the message says which."""


@dataclass(frozen=True)
class Node:
    """One activity (or product) of the user's project, as bw2data stores it."""

    id: int
    database: str
    code: str
    name: str
    product: str | None
    location: str | None
    unit: str | None
    type: str | None

    def describe(self) -> str:
        """``'name' [location], reference product 'x', unit 'y', code 'c'``: enough to tell candidates apart."""
        parts = [repr(self.name) + (f" [{self.location}]" if self.location else "")]
        if self.product:
            parts.append(f"reference product {self.product!r}")
        parts.append(f"unit {self.unit!r}")
        parts.append(f"code {self.code!r}")
        return ", ".join(parts)


def _connect(path: Path) -> sqlite3.Connection:
    """A read-only connection (no journal, no lock file, no change to the file)."""
    if not path.is_file():
        raise UnreadableProject(f"{path} is missing")
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        con.execute("SELECT name FROM sqlite_master LIMIT 1").fetchall()
    except sqlite3.Error as exc:
        raise UnreadableProject(f"cannot read {path}: {exc}") from None
    return con


def _json(path: Path):
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UnreadableProject(f"cannot read {path}: {exc}") from None


@dataclass
class UserProject:
    """One project of a Brightway directory, read-only."""

    base_dir: Path
    name: str
    dir: Path
    databases: dict[str, dict] = field(default_factory=dict)  # name -> metadata
    methods: dict[tuple[str, ...], dict] = field(default_factory=dict)  # method -> metadata

    @cached_property
    def _lci(self) -> sqlite3.Connection:
        return _connect(self.dir / "lci" / "databases.db")

    def close(self) -> None:
        if "_lci" in self.__dict__:
            self.__dict__.pop("_lci").close()

    def _nodes(self, where: str, args: tuple) -> list[Node]:
        sql = f"SELECT id, database, code, name, product, location, type, data FROM activitydataset WHERE {where}"
        try:
            rows = self._lci.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            raise UnreadableProject(f"cannot read {self.dir / 'lci' / 'databases.db'}: {exc}") from None
        out = []
        for ident, db, code, name, product, location, kind, blob in rows:
            try:
                data = pickle.loads(bytes(blob))
            except Exception:  # a damaged row: the rest of the file may be fine
                data = {}
            out.append(Node(int(ident), db, code, name or "", data.get("reference product", product), location,
                            data.get("unit"), kind))
        return out

    def by_code(self, database: str, code: str) -> Node | None:
        found = self._nodes("database = ? AND code = ?", (database, code))
        return found[0] if found else None

    def by_name(self, database: str, name: str) -> list[Node]:
        """Activities of ``database`` named ``name`` (exactly), biosphere flows left out."""
        return [n for n in self._nodes("database = ? AND name = ?", (database, name)) if n.type in PROCESS_TYPES]

    def similar(self, database: str, name: str, limit: int = 5) -> list[Node]:
        """Activities whose name is close to ``name`` (case-insensitive containment first, then similarity)."""
        import difflib

        words = [w for w in name.lower().replace(",", " ").split() if len(w) > 2][:3]
        pattern = "%" + "%".join(words) + "%" if words else "%"
        nodes = [n for n in self._nodes("database = ? AND lower(name) LIKE ?", (database, pattern))
                 if n.type in PROCESS_TYPES]
        if not nodes:
            names = [r[0] for r in self._lci.execute(
                "SELECT DISTINCT name FROM activitydataset WHERE database = ?", (database,)).fetchall() if r[0]]
            close = difflib.get_close_matches(name, names, n=limit, cutoff=0.5)
            nodes = [n for c in close for n in self.by_name(database, c)]
        nodes.sort(key=lambda n: -difflib.SequenceMatcher(None, n.name.lower(), name.lower()).ratio())
        return nodes[:limit]

    def codes(self, ids: list[int]) -> dict[int, tuple[str, str]]:
        """Node id -> (database, code), for the ids asked."""
        out: dict[int, tuple[str, str]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for ident, db, code in self._lci.execute(
                    f"SELECT id, database, code FROM activitydataset WHERE id IN ({marks})", chunk).fetchall():
                out[int(ident)] = (db, code)
        return out

    def dependencies(self, database: str) -> list[str]:
        """``database`` and every database it depends on, recursively (bw2data's ``depends``)."""
        seen: list[str] = []
        todo = [database]
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.append(name)
            todo.extend((self.databases.get(name) or {}).get("depends") or [])
        return seen

    def database_package(self, database: str) -> Path:
        from bw_processing import clean_datapackage_name, safe_filename

        return self.dir / "processed" / clean_datapackage_name(safe_filename(database) + ".zip")

    def method_package(self, method: tuple[str, ...]) -> Path:
        from bw_processing import clean_datapackage_name

        abbreviation = self.methods[method].get("abbreviation") or ""
        return self.dir / "processed" / clean_datapackage_name(abbreviation + ".zip")


def open_project(base_dir: Path, name: str) -> UserProject:
    """The project ``name`` of the Brightway directory ``base_dir``; UnreadableProject says why not."""
    base_dir = Path(base_dir).expanduser()
    if not base_dir.is_dir():
        raise UnreadableProject(f"there is no Brightway directory {base_dir}")
    con = _connect(base_dir / "projects.db")
    try:
        rows = con.execute("SELECT name, full_hash FROM projectdataset").fetchall()
    except sqlite3.Error as exc:
        raise UnreadableProject(f"{base_dir / 'projects.db'} is not a Brightway projects file ({exc})") from None
    finally:
        con.close()
    found = [r for r in rows if r[0] == name]
    if not found:
        known = ", ".join(sorted(repr(r[0]) for r in rows)) or "none"
        raise UnreadableProject(f"no Brightway project {name!r} in {base_dir} (projects there: {known})")
    from bw_processing import safe_filename

    folder = base_dir / safe_filename(name, full=bool(found[0][1]))
    if not folder.is_dir():
        raise UnreadableProject(f"project {name!r} is registered in {base_dir} but its folder {folder.name} is missing")
    databases = _json(folder / "databases.json")
    if databases is None:
        raise UnreadableProject(f"project {name!r} has no databases.json: not a Brightway 2.5 project folder")
    methods = {tuple(k): v for k, v in (_json(folder / "methods.json") or [])}
    return UserProject(base_dir, name, folder, databases, methods)
