"""Turn pydantic validation errors into located problems (``file:line: field: message``)."""

from __future__ import annotations

import difflib

from pydantic import ValidationError

from .errors import Problem
from .yamlio import LoadedYaml, dotted


def _allowed_keys(model, loc) -> list[str]:
    """Field names of the model that ``loc`` points into, for "did you mean" hints."""
    current = model
    for part in loc[:-1]:
        fields = getattr(current, "model_fields", None)
        if fields is None:
            return []
        if isinstance(part, int):
            continue
        info = fields.get(part)
        if info is None:
            return []
        current = _inner_model(info.annotation)
        if current is None:
            return []
    fields = getattr(current, "model_fields", None)
    return list(fields) if fields else []


def _inner_model(annotation):
    from typing import get_args

    if hasattr(annotation, "model_fields"):
        return annotation
    for arg in get_args(annotation) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def problems_from_validation(exc: ValidationError, doc: LoadedYaml, model=None) -> list[Problem]:
    """One Problem per pydantic error, located with the YAML line map."""
    out: list[Problem] = []
    seen = set()
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and ("[" in p or p in _UNION_TAGS)))
        msg = err["msg"]
        kind = err["type"]
        if kind == "extra_forbidden":
            key = loc[-1] if loc else ""
            allowed = _allowed_keys(model, loc) if model is not None else []
            hint = difflib.get_close_matches(str(key), allowed, n=1)
            msg = f"unknown key {key!r}" + (f"; did you mean {hint[0]!r}?" if hint else "")
            if allowed:
                msg += f" (allowed: {', '.join(allowed)})"
        elif kind == "missing":
            msg = "required field is missing"
        elif msg.startswith("Value error, "):
            msg = msg[len("Value error, "):]
        elif msg.startswith("Assertion failed, "):
            msg = msg[len("Assertion failed, "):]
        key = (loc, msg)
        if key in seen:
            continue
        seen.add(key)
        out.append(Problem(doc.path, doc.line_of(loc), dotted(loc), msg))
    return out


# pydantic inserts the names of union members into locations ("str", "float", "SourcedValue")
_UNION_TAGS = {"str", "float", "int", "bool", "literal['no data']", "SourcedValue", "function-after[_non_blank(), str]"}
