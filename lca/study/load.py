"""Read a study file: safe YAML with line numbers, then the pydantic models (every problem at once)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from pydantic import ValidationError

from lca.core.errors import Problem, StudyError
from lca.core.validation import problems_from_validation
from lca.core.yamlio import load_yaml, read_text
from lca.study.model import LoadedStudy
from lca.study.schema import Study


def load_study(path: str | Path) -> LoadedStudy:
    """Parse and validate a study file; raise InputError with every located problem."""
    text = read_text(path)
    doc = load_yaml(path, text)
    if not isinstance(doc.data, dict):
        raise StudyError([Problem(doc.path, 1, "", "a study file is a mapping with `study` and `systems`")])
    try:
        model = Study.model_validate(doc.data)
    except ValidationError as exc:
        raise StudyError(problems_from_validation(exc, doc, Study)) from None
    return LoadedStudy(model, doc, str(path), hashlib.sha256(text.encode()).hexdigest())


def dump_study(study: Study | LoadedStudy) -> str:
    """The study as YAML text that ``load_study`` reads back into an equal model.

    Fields left at their default are left out; key order follows the schema.
    """
    from lca.core.yamlio import dump_yaml

    model = study.model if isinstance(study, LoadedStudy) else study
    return dump_yaml(model.model_dump(mode="json", exclude_defaults=True))
