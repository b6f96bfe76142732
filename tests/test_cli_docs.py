"""docs/cli.md lists every command and option that ``lca --help`` shows: each sub-command has an
entry ``lca CMD ...`` in the synopsis at the top of the page, and the entry names each of its long
options (the parser is read, not the help text, so a new option without its doc line fails here)."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from lca.cli import _parser

DOC = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def _synopsis() -> dict[str, str]:
    """The first code block of docs/cli.md: command path ("data search") -> its entry's text."""
    block = DOC.read_text(encoding="utf-8").split("```")[1]
    entries: dict[str, str] = {}
    current = None
    for line in block.splitlines():
        if line.startswith("lca "):
            words = re.match(r"lca ((?:[a-z][a-z-]* ?)*)", line).group(1).split()
            current = " ".join(words)
            entries[current] = line
        elif current is not None and line.startswith(" "):
            entries[current] += " " + line.strip()
    return entries


def _commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """(command path, its long options) for the parser and every sub-parser that takes no further command."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    options = [o for a in parser._actions for o in a.option_strings if o.startswith("--") and o != "--help"]
    if not subs or options:
        yield " ".join(path), options
    for action in subs:
        for name, sub in action.choices.items():
            yield from _commands(sub, path + (name,))


def test_every_command_and_option_is_in_the_synopsis():
    entries = _synopsis()
    missing = []
    for path, options in _commands(_parser()):
        entry = entries.get(path)
        if entry is None:
            missing.append(f"lca {path}".strip())
            continue
        missing += [f"lca {path} {o}".replace("  ", " ") for o in options if not re.search(rf"{o}\b", entry)]
    assert missing == [], f"docs/cli.md's synopsis lacks: {missing}"


def test_the_synopsis_names_no_command_the_parser_lacks():
    known = {path for path, _ in _commands(_parser())}
    assert set(_synopsis()) - known == set()
