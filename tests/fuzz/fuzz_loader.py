"""Fuzz target for the study loader: bytes in, either a valid study or located problems out.

``check(data)`` writes ``data`` to a file and runs the full check of ``lca validate`` (YAML,
schema, cross-references, units, loops). Any exception other than ``InputError`` is a crash; so
is a problem that is not one ``PATH:LINE: field: message`` line. Inputs are random bytes and,
mostly, mutations of real study files (deleted or repeated slices, YAML punctuation inserted,
scalars replaced with hostile values, amounts rebuilt from pieces of the amount grammar, lines
swapped or re-indented).

Short run (the test suite runs it for a few seconds): ``tests/fuzz/test_fuzz_loader.py``.
Longer local run::

    .venv/bin/python tests/fuzz/fuzz_loader.py --minutes 10

A crash is printed and saved under ``tests/fuzz/crashes/``; turn it into a corpus case in
``tests/bad_inputs/`` (the file and its ``.expect``) once fixed.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import re
import sys
import tempfile
import time
from pathlib import Path

from hypothesis import strategies as st

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent
VALID_SEEDS = (TESTS / "data" / "tiny.yaml", *sorted((TESTS.parent / "inventories" / "studies").glob("*.yaml")))
BAD_SEEDS = tuple(sorted((TESTS / "bad_inputs").glob("*.yaml")))
PROBLEM = re.compile(r"^[^\n]+?:\d+: (?:(?!: )[^\n])+: [^\n]+$")
PUNCTUATION = list(":-[]{},&*!|>'\"#%@` \t\n?<=~.") + ["\n  ", ": ", "- ", "&a ", "*a", "<<: ", "!!str ", "---\n"]
HOSTILE_SCALARS = ["nan", ".nan", "-.inf", "1e999", "-1", "0", "yes", "~", "[]", "{}", "''", '"10 kg"',
                   '"10**10**10 kWh"', '"1e300 MWh"', "2024-13-45", "9" * 5000, "!!python/object:os.system",
                   "&x [*x]", '"nan kWh"', '"kWh / 0"', '"0 year"', "0x10", "electricity.fr@nope", "\x85",
                   "\u2028", "\ufeff", "é", "\x07", "010", "1:30", "0x10", "1_000", "9" * 400,
                   '"1 000 kWh"', '"1,5 MWh"', '"1\'500 kWh"', '"10 MWh; 0"', '"10 MWh < 5"', '"[1, 2] MWh"',
                   '"5 10 kWh"', '"1e-400 kWh"', '"(kWh/J)**200"', '"exp(2 kWh)"', '"max(1 kWh, 5 kg)"',
                   '"sin(2)"', '"6 kWh/2 h"', '"log(0)"', '"sqrt(-1 kWh)"', '"1 / 0 kWh"']
# pieces of the amount grammar (lca.core.expression), joined at random into amount texts
AMOUNT_PIECES = ["1", "0", "2.5", "1e300", "1e-300", "10", " ", "kWh", "h", "kg", "year", "%", "gpu_hours", "pue",
                 "energy", "+", "-", "*", "/", "**", "(", ")", ",", "exp(", "log(", "sqrt(", "min(", "max(",
                 "floor(", "ceil(", "abs(", "round(", "1,5", "1 000", ";", "<", "[", "'"]


@functools.cache
def _seed_texts(paths: tuple[Path, ...]) -> list[str]:
    texts = []
    for path in paths:
        try:
            texts.append(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, OSError):
            continue
    return texts


@st.composite
def mutated(draw) -> bytes:
    """A real study file (mostly a valid one) with 1 to 6 random edits, as UTF-8 bytes."""
    seeds = VALID_SEEDS if draw(st.integers(0, 9)) < 7 else BAD_SEEDS  # mostly files that reach every check
    text = draw(st.sampled_from(_seed_texts(seeds)))
    for _ in range(draw(st.integers(1, 6))):
        n = max(len(text), 1)
        i = draw(st.integers(0, n - 1))
        op = draw(st.integers(0, 7))
        if op == 0:  # delete a slice
            text = text[:i] + text[i + draw(st.integers(1, 40)):]
        elif op == 1:  # insert YAML punctuation
            text = text[:i] + draw(st.sampled_from(PUNCTUATION)) + text[i:]
        elif op == 2:  # replace the scalar after a ': ' with a hostile one
            j = text.find(": ", i)
            if j >= 0:
                end = text.find("\n", j)
                end = len(text) if end < 0 else end
                text = text[: j + 2] + draw(st.sampled_from(HOSTILE_SCALARS)) + text[end:]
        elif op == 3:  # repeat a slice
            chunk = text[i: i + draw(st.integers(1, 200))]
            text = text[:i] + chunk * draw(st.integers(2, 4)) + text[i:]
        elif op == 4:  # swap two lines
            lines = text.split("\n")
            a, b = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[a], lines[b] = lines[b], lines[a]
            text = "\n".join(lines)
        elif op == 5:  # re-indent a line
            lines = text.split("\n")
            a = draw(st.integers(0, len(lines) - 1))
            lines[a] = " " * draw(st.integers(0, 9)) + lines[a].lstrip(" ")
            text = "\n".join(lines)
        elif op == 6:  # insert random text
            text = text[:i] + draw(st.text(max_size=12)) + text[i:]
        else:  # replace the next amount with a text built from pieces of the amount grammar
            j = max(text.find("amount: ", i), text.find("value: ", i))
            if j >= 0:
                start = text.find(": ", j) + 2
                end = min(k for k in (text.find("\n", start), text.find(",", start), len(text)) if k >= 0)
                pieces = draw(st.lists(st.sampled_from(AMOUNT_PIECES), min_size=1, max_size=12))
                text = text[:start] + '"' + "".join(pieces).replace('"', "") + '"' + text[end:]
    return text.encode("utf-8", "surrogatepass")


INPUTS = st.one_of(mutated(), mutated(), mutated(), st.binary(max_size=600))


class Target:
    """Runs one input through the loader and checks the outcome."""

    def __init__(self):
        import lca

        self.library = lca.load_library()
        self.folder = Path(tempfile.mkdtemp(prefix="ai-lca-fuzz-"))
        self.path = self.folder / "study.yaml"

    def check(self, data: bytes) -> None:
        import lca
        from lca.core.errors import InputError

        self.path.write_bytes(data)
        try:
            lca.validate(self.path, self.library)
        except InputError as exc:
            assert exc.problems, "InputError without problems"
            for problem in exc.problems:
                assert PROBLEM.match(str(problem)), f"malformed problem line: {str(problem)!r}"


def save_crash(data: bytes, exc: BaseException) -> Path:
    folder = HERE / "crashes"
    folder.mkdir(exist_ok=True)
    path = folder / f"crash-{hashlib.sha256(data).hexdigest()[:12]}.yaml"
    path.write_bytes(data)
    print(f"crash: {type(exc).__name__}: {exc}\n  saved to {path}", file=sys.stderr)
    return path


def run_for(seconds: float, target: Target | None = None) -> int:
    """Fuzz for about ``seconds``; return the number of inputs tried (raises on the first crash)."""
    from hypothesis import HealthCheck, given, settings

    target = target or Target()
    tried = [0]
    stop = time.monotonic() + seconds

    @settings(max_examples=200, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(INPUTS)
    def one(data):
        tried[0] += 1
        try:
            target.check(data)
        except Exception as exc:
            save_crash(data, exc)
            raise

    while time.monotonic() < stop:
        one()
    return tried[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    args = parser.parse_args(argv)
    tried = run_for(args.minutes * 60)
    print(f"fuzzed the study loader with {tried} inputs in {args.minutes:g} min: no crash")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(TESTS.parent))
    sys.exit(main())
