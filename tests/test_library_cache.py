"""The parsed library is cached by its fingerprint: read back when unchanged, rebuilt otherwise."""

from __future__ import annotations

import shutil

from conftest import ROOT

from lca.library.background import load_library


def _copy(tmp_path):
    root = tmp_path / "inventories"
    for part in ("methods", "background", "materials"):
        shutil.copytree(ROOT / "inventories" / part, root / part)
    return root


def _gwp_of_french_grid(library) -> float:
    ds, variant = library.dataset("electricity.fr@owid-2023")
    return library.impact(ds, variant, "gwp").amount


def test_unchanged_files_come_from_the_cache_and_a_changed_file_is_read_again(tmp_path, monkeypatch):
    monkeypatch.setenv("AI_LCA_DATA_DIR", str(tmp_path / "data"))
    root = _copy(tmp_path)
    first = load_library(root)
    cached = list((tmp_path / "data" / "cache" / "library").glob("library-*.pickle"))
    assert len(cached) == 1
    assert _gwp_of_french_grid(load_library(root)) == _gwp_of_french_grid(first) == 0.056  # 56.0 gCO2e/kWh
    (electricity,) = [p for p in (root / "background").rglob("*.yaml") if "id: electricity.fr\n" in p.read_text()]
    text = electricity.read_text()
    at = text.index("id: electricity.fr\n")  # the French grid's first 56.0 g figure (owid-2023) becomes 57.0
    electricity.write_text(text[:at] + text[at:].replace('"56.0 gCO2e/kWh"', '"57.0 gCO2e/kWh"', 1))
    changed = load_library(root)
    assert _gwp_of_french_grid(changed) == 0.057  # the edit is seen, not the cached value
    assert changed.fingerprint != first.fingerprint


def test_a_damaged_cache_file_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("AI_LCA_DATA_DIR", str(tmp_path / "data"))
    root = _copy(tmp_path)
    first = load_library(root)
    (cached,) = (tmp_path / "data" / "cache" / "library").glob("library-*.pickle")
    cached.write_bytes(cached.read_bytes()[:100])  # cut short, as by a killed run
    again = load_library(root)
    assert again.fingerprint == first.fingerprint and sorted(again.datasets) == sorted(first.datasets)
    assert cached.stat().st_size > 100  # written again in full
