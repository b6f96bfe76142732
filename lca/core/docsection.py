"""Generated sections of the Markdown docs: the text between two markers is rewritten by a
generator (``python -m lca.study.docgen``, ``python -m lca.library.datadoc``), and ``--check`` tells whether it
is current (the test suite runs the checks).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

END = "<!-- END GENERATED -->"


def begin_marker(module: str) -> str:
    return f"<!-- BEGIN GENERATED: python -m {module} -->"


def splice(text: str, begin: str, body: str, name: str = "the document") -> str:
    """``text`` with the part between ``begin`` and END replaced by ``body``."""
    if begin not in text or END not in text:
        raise ValueError(f"{name} lacks the markers {begin!r} and {END!r}")
    head, _, rest = text.partition(begin)
    _, _, tail = rest.partition(END)
    return f"{head}{begin}\n{body}{END}{tail}"


def generator_main(doc: Path, module: str, render: Callable[[str], str], argv: list[str] | None = None) -> int:
    """Rewrite ``doc`` with ``render``, or with ``--check`` exit 1 when it is out of date."""
    argv = sys.argv[1:] if argv is None else argv
    current = doc.read_text(encoding="utf-8")
    fresh = render(current)
    if "--check" in argv:
        if fresh != current:
            print(f"{doc.name} is out of date: run `python -m {module}`", file=sys.stderr)
            return 1
        return 0
    doc.write_text(fresh, encoding="utf-8")
    print(f"wrote {doc.name}")
    return 0
