"""Shared helpers of the library generators: pinned packages, their data files, YAML output.

A generator reads the data files that a *pinned* release of a package ships (never a live API,
never an unpinned version) and writes background datasets under ``inventories/background/generated``.
Each value cites the package, its version, the file and the key it was read from.

Where the package files come from, in this order:

1. a wheel ``NAME-VERSION-*.whl`` in the folder given by ``--wheels DIR`` or the environment
   variable ``AI_LCA_WHEELS`` (``pip download --no-deps NAME==VERSION -d DIR`` makes one);
2. the installed distribution, when its version is the pinned one (its files are read, the
   package is never imported: BoaviztAPI is AGPL-3.0 and ai-lca's own code must not use it).

The version found must equal the pin, or the generator stops: a new package release means a
deliberate change of the pin and a review of the regenerated diff.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import sys
import zipfile
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
INVENTORIES = HERE.parent
OUT = INVENTORIES / "background" / "generated"
CURATED = HERE / "curated"

# The releases the generated library is built from. Changing one is a reviewed change.
PINS = {"ecologits": "0.11.3", "boaviztapi": "2.5.0", "codecarbon": "3.3.2", "atomic6ghg": "1.1.1"}
# npm packages, read from the tarball ``npm pack NAME@VERSION`` makes (never installed, never run)
NPM_PINS = {"@open3cl/engine": "1.4.6"}
LICENCES = {"ecologits": "MPL-2.0", "boaviztapi": "AGPL-3.0", "codecarbon": "MIT", "atomic6ghg": "BSD-3-Clause",
            "@open3cl/engine": "GPL-3.0", "carculator": "BSD-3-Clause"}
DISPLAY = {"ecologits": "EcoLogits", "boaviztapi": "BoaviztAPI", "codecarbon": "CodeCarbon",
           "atomic6ghg": "atomic6ghg", "@open3cl/engine": "Open3CL engine"}


class PackageUnavailable(RuntimeError):
    """The pinned release of a package cannot be found (neither as a wheel nor installed)."""


class PackageVersionMismatch(RuntimeError):
    """A package was found, but not at the pinned version."""


def _metadata_version(text: str) -> str:
    for line in text.splitlines():
        if line.startswith("Version:"):
            return line.split(":", 1)[1].strip()
    raise PackageUnavailable("no Version: line in the package metadata")


class Package:
    """The data files of one pinned package release, read from a wheel or an installation."""

    def __init__(self, name: str, version: str, reader, origin: str):
        self.name = name
        self.version = version
        self._read = reader
        self.origin = origin  # "wheel" or "installed", for messages only (never written to files)

    @property
    def label(self) -> str:
        """How values cite it: ``CodeCarbon 3.3.2``."""
        return f"{DISPLAY.get(self.name, self.name)} {self.version}"

    def cite(self, path: str, key: str | None = None) -> str:
        """``CodeCarbon 3.3.2 codecarbon/data/x.json, key FRA.carbon_intensity``."""
        return f"{self.label} {path}" + (f", key {key}" if key else "")

    def read_bytes(self, path: str) -> bytes:
        return self._read(path)

    def read_text(self, path: str) -> str:
        return self._read(path).decode("utf-8-sig")

    def json(self, path: str):
        return json.loads(self.read_text(path))

    def csv_rows(self, path: str) -> list[list[str]]:
        return list(csv.reader(io.StringIO(self.read_text(path))))

    def csv_dicts(self, path: str) -> list[dict[str, str]]:
        return list(csv.DictReader(io.StringIO(self.read_text(path))))


def _from_wheel(name: str, version: str, folder: Path) -> Package | None:
    wheels = sorted(folder.glob(f"{name}-*.whl"))
    if not wheels:
        return None
    found = []
    for wheel in wheels:
        archive = zipfile.ZipFile(wheel)
        meta = next((n for n in archive.namelist() if n.endswith(".dist-info/METADATA")), None)
        if meta is None:
            continue
        got = _metadata_version(archive.read(meta).decode("utf-8"))
        if got == version:
            return Package(name, version, archive.read, "wheel")
        found.append(got)
    raise PackageVersionMismatch(f"{name}: wheels of version {', '.join(found)} in the wheel folder, "
                                 f"but the generators are pinned to {name}=={version}")


def _from_installed(name: str, version: str) -> Package | None:
    try:
        dist = metadata.distribution(name)
    except metadata.PackageNotFoundError:
        return None
    if dist.version != version:
        raise PackageVersionMismatch(f"{name} {dist.version} is installed, but the generators are pinned "
                                     f"to {name}=={version}; install that version or pass --wheels")

    def read(path: str) -> bytes:
        return Path(dist.locate_file(path)).read_bytes()

    return Package(name, version, read, "installed")


def open_package(name: str, wheels: str | Path | None = None) -> Package:
    """The pinned release of ``name``; PackageUnavailable says how to get it."""
    version = PINS[name]
    folder = wheels or os.environ.get("AI_LCA_WHEELS")
    if folder:
        pkg = _from_wheel(name, version, Path(folder))
        if pkg is not None:
            return pkg
    pkg = _from_installed(name, version)
    if pkg is not None:
        return pkg
    raise PackageUnavailable(f"{name}=={version} is neither installed nor in the wheel folder; run "
                             f"`pip download --no-deps {name}=={version} -d DIR` and pass --wheels DIR")


def npm_tarball_name(name: str, version: str) -> str:
    """The file ``npm pack`` writes: ``@open3cl/engine`` 1.4.6 -> ``open3cl-engine-1.4.6.tgz``."""
    return f"{name.lstrip('@').replace('/', '-')}-{version}.tgz"


def open_npm_package(name: str, wheels: str | Path | None = None) -> Package:
    """The pinned release of an npm package, read from its tarball in the wheel folder.

    The tarball is read as an archive (its files are data to the generator; its code is never run).
    Paths are those inside the package (``tv.js``), without npm's ``package/`` prefix.
    """
    import tarfile

    version = NPM_PINS[name]
    folder = wheels or os.environ.get("AI_LCA_WHEELS")
    path = Path(folder) / npm_tarball_name(name, version) if folder else None
    if path is None or not path.exists():
        raise PackageUnavailable(f"{name}@{version} is not in the wheel folder; run "
                                 f"`npm pack {name}@{version} --pack-destination DIR` and pass --wheels DIR")
    archive = tarfile.open(path, "r:gz")
    got = json.loads(archive.extractfile("package/package.json").read().decode("utf-8"))["version"]
    if got != version:
        raise PackageVersionMismatch(f"{name}: {path.name} holds version {got}, but the generators are pinned "
                                     f"to {name}@{version}")

    def read(inner: str) -> bytes:
        return archive.extractfile(f"package/{inner}").read()

    return Package(name, version, read, "npm tarball")


# ---------------------------------------------------------------- numbers
def num(x: float) -> str:
    """A float as the package wrote it, without float noise: repr of the float."""
    x = float(x)
    if x == int(x) and abs(x) < 1e15:
        return str(int(x)) if abs(x) >= 1 else repr(x)
    return repr(x)


def parse_float(text) -> float | None:
    """A number from a CSV cell (``"17.50%"`` -> 17.5, ``""`` -> None)."""
    if text is None:
        return None
    text = str(text).strip().rstrip("%").replace(",", "")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return None


# ---------------------------------------------------------------- YAML output
def _scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if value == "no data":
        return "no data"
    text = str(value)
    if _PLAIN.fullmatch(text) and text.lower() not in _YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9._+-]*")  # ids, kinds, units, variant names: no quotes needed
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"}


def _flow(mapping: dict) -> str:
    parts = []
    for k, v in mapping.items():
        if v is None:
            continue
        parts.append(f"{k}: {_flow(v) if isinstance(v, dict) else _scalar(v)}")
    return "{" + ", ".join(parts) + "}"


_FLOW_KEYS = ("impacts", "attributes")  # their values are sourced values, one per line in flow style


def _block(mapping: dict, indent: int, out: list[str]) -> None:
    pad = " " * indent
    for key, value in mapping.items():
        if value is None:
            continue
        if isinstance(value, dict) and key in _FLOW_KEYS:
            if not value:
                continue
            out.append(f"{pad}{key}:")
            for k, v in value.items():
                out.append(f"{pad}  {k}: {_flow(v) if isinstance(v, dict) else _scalar(v)}")
        elif isinstance(value, dict):
            if not value:
                continue
            out.append(f"{pad}{key}:")
            _block(value, indent + 2, out)
        elif isinstance(value, list):
            if not value:
                continue
            out.append(f"{pad}{key}:")
            for item in value:
                out.append(f"{pad}  - {_flow(item) if isinstance(item, dict) else _scalar(item)}")
        else:
            out.append(f"{pad}{key}: {_scalar(value)}")


def dump_datasets(datasets: list[dict], header: list[str]) -> str:
    """The YAML text of a background file: a comment header, then one block per dataset."""
    out = [f"# {line}" if line else "#" for line in header]
    out.append("datasets:")
    for ds in datasets:
        lines: list[str] = []
        _block(ds, 4, lines)
        lines[0] = "  - " + lines[0][4:]
        out.extend(lines)
    return "\n".join(out) + "\n"


def header(script: str, packages: list[Package], extra: list[str] = ()) -> list[str]:
    used = ", ".join(f"{p.label} ({LICENCES.get(p.name, '?')})" for p in packages)
    lines = [f"generated by inventories/generators/{script} from {used}; do not edit",
             "(edit the generator or its hand-written inputs in inventories/generators/curated/, then rerun it)"]
    if any(p.name == "boaviztapi" for p in packages):
        lines.append("Data from BoaviztAPI (Boavizta, AGPL-3.0) is read from its released files at build time "
                     "only and attributed value by value.")
    if any(p.name == "@open3cl/engine" for p in packages):
        lines.append("Data from the Open3CL engine (GPL-3.0) is read from its released npm tarball at build time "
                     "only and attributed value by value.")
    return lines + list(extra)


# ---------------------------------------------------------------- curated (hand-written) inputs
def load_curated(name: str) -> list[dict]:
    """The hand-written datasets or partial datasets a generator merges (``curated/NAME.yaml``)."""
    import yaml

    path = CURATED / name
    if not path.exists():
        return []
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("datasets", [])


def overlay(generated: dict[str, dict], curated: list[dict], source_name: str) -> None:
    """Lay hand-written fields and variants over generated datasets (by id), in place.

    A curated dataset whose id is not generated is added whole. Its variants are appended after
    the generated ones; a variant name used by both is an error (a value has one origin).
    """
    for item in curated:
        ident = item["id"]
        target = generated.get(ident)
        if target is None:
            generated[ident] = dict(item)
            continue
        for key, value in item.items():
            if key in ("id", "variants"):
                continue
            target[key] = value
        for vname, variant in (item.get("variants") or {}).items():
            if vname in target["variants"]:
                raise ValueError(f"{source_name}: variant {ident}@{vname} is both generated and hand-written")
            target["variants"][vname] = variant
        if target.get("default") not in target["variants"]:
            raise ValueError(f"{source_name}: default {target.get('default')!r} of {ident} is not a variant")


def write_files(files: dict[str, str], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files.items():
        path = out / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def cli(script: str, generate) -> int:
    """The command line of every generator: ``--out DIR`` and ``--wheels DIR``."""
    parser = argparse.ArgumentParser(prog=script, description=(generate.__doc__ or "").strip().splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="folder to write into (default: %(default)s)")
    parser.add_argument("--wheels", type=Path, default=None,
                        help="folder with the pinned wheels (pip download --no-deps NAME==VERSION -d DIR)")
    args = parser.parse_args()
    try:
        files = generate(args.wheels)
    except (PackageUnavailable, PackageVersionMismatch) as exc:
        print(f"{script}: {exc}", file=sys.stderr)
        return 2
    for path in write_files(files, args.out):
        print(f"wrote {path}", file=sys.stderr)
    return 0


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
