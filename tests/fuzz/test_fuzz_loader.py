"""A short, bounded fuzz run of the study loader in the test suite (see fuzz_loader.py)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fuzz_loader import Target, run_for

SECONDS = float(os.environ.get("AI_LCA_FUZZ_SECONDS", "5"))


def test_fuzz_study_loader_short_run(capsys):
    tried = run_for(SECONDS, Target())
    assert tried >= 50  # the loader is fast: a few seconds try hundreds of inputs
    with capsys.disabled():
        print(f"\nfuzz: {tried} mutated or random inputs through the study loader in {SECONDS:g} s, no crash")


def test_fuzz_target_catches_a_crash(monkeypatch, tmp_path):
    """The target is not blind: an exception other than InputError is reported as a crash."""
    import lca

    target = Target()

    def broken(path, library=None):
        raise ZeroDivisionError("planted")

    monkeypatch.setattr(lca, "validate", broken)
    try:
        target.check(b"study: {}\n")
    except ZeroDivisionError:
        return
    raise AssertionError("a planted crash went unnoticed")
