"""Errors a user can meet, named after the condition, each with what to do.

``InputError`` carries every located problem of the input at once (exit code 2 on the CLI);
anything else escaping the pipeline is an internal error (exit code 1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One located problem in an input file: ``PATH:LINE: field.path: message``."""

    path: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        """Always one line: line breaks are escaped, a very long field or message is shortened."""
        line = self.line if self.line is not None else 1
        field = _one_line(self.field or "(file)", MAX_FIELD_CHARS)
        return f"{_one_line(self.path, 4096)}:{line}: {field}: {_one_line(self.message, MAX_MESSAGE_CHARS)}"


MAX_FIELD_CHARS = 200
MAX_MESSAGE_CHARS = 1000


def _one_line(text: str, limit: int) -> str:
    text = text.replace("\r", "\\r").replace("\n", "\\n")
    text = _CONTROL.sub(_escaped, text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _escaped(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\u{code:04x}" if code > 0xFF else f"\\x{code:02x}"


# control and bidirectional characters (a file name such as "\e]0;x\a.yaml" would retitle the terminal)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


class InputError(Exception):
    """The input is invalid; ``problems`` lists every problem found, with its location."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class LibraryError(InputError):
    """The background library (inventories, or a folder given with ``--library``) is invalid or empty."""


class StudyError(InputError):
    """A study file is invalid: its problems are located in the file."""


class UnsolvableSystemError(StudyError):
    """The activities of a system form a loop (or a singular system) with no solution."""


class InstallationError(Exception):
    """Data shipped with ai-lca (inventories, report templates) cannot be found: a broken install."""


class DataDirectoryError(Exception):
    """The data directory cannot be created or used; the message says which and what to do."""


class OutputError(Exception):
    """A result file cannot be written (folder missing rights, a file in the way, disk full)."""


class BrightwayProjectError(InputError):
    """The practitioner's own Brightway project cannot be read (no such directory or project, a
    damaged file, a database not processed); located at the setting that names it."""


class BrightwayMatchError(StudyError):
    """A ``brightway:`` exchange matches no activity or several, or a method named for a criterion
    is not in the user's project; the message lists the candidates."""
