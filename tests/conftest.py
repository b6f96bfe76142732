"""Test fixtures: one Brightway data directory per test session, never the user's.

``BRIGHTWAY2_DIR`` and ``AI_LCA_DATA_DIR`` point into a session temporary directory before
anything imports bw2data, so no test can touch the per-user data directory.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

_SESSION_DIR = Path(tempfile.mkdtemp(prefix="ai-lca-tests-"))
(_SESSION_DIR / "brightway").mkdir()
os.environ["AI_LCA_DATA_DIR"] = str(_SESSION_DIR)
os.environ["BRIGHTWAY2_DIR"] = str(_SESSION_DIR / "brightway")

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
STUDIES = ROOT / "inventories" / "studies"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The session's shared data directory (the Brightway project is built once and reused)."""
    return _SESSION_DIR


@pytest.fixture(scope="session")
def library():
    import lca

    return lca.load_library()


@pytest.fixture(scope="session")
def tiny_result(library, data_dir):
    import lca

    return lca.assess(DATA / "tiny.yaml", data_dir=data_dir, library=library)
