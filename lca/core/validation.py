"""Turn pydantic validation errors into located problems (``file:line: field: message``).

Three things make pydantic's raw errors readable:

- locations: pydantic inserts the names of union members (``str``, ``float``, ``SourcedValue``)
  into error locations; they are recognised by walking the data and dropped;
- unions: a value that fits no member of a union gives one error per member; they are merged into
  one message ("expected a number or a text such as "10 kWh", got a list"), or, when one member
  matched the shape of the value and only failed a check, that member's errors alone are kept;
- hints: unknown keys and unknown choices get "did you mean ...?", type errors say what was given.
"""

from __future__ import annotations

import difflib
import re

from pydantic import ValidationError

from lca.core.errors import Problem
from lca.core.models import SLUG
from lca.core.yamlio import LoadedYaml, dotted

# what a type error's expected kind is called in messages
_EXPECTED = {
    "string_type": "a text",
    "float_type": "a number", "float_parsing": "a number",
    "int_type": "a whole number", "int_parsing": "a whole number", "int_from_float": "a whole number",
    "bool_type": "true or false", "bool_parsing": "true or false",
    "dict_type": "a mapping (key: value)", "model_type": "a mapping (key: value)",
    "model_attributes_type": "a mapping (key: value)",
    "list_type": "a list", "tuple_type": "a list",
}
MAX_PROBLEMS = 100  # shown per file; a flood of the same mistake says nothing more
_INCLUDE_KEYS = {"include", "includes", "import", "imports", "$ref", "extends"}


def describe(value) -> str:
    """What a YAML value is, in a user's words: ``a list``, ``a mapping``, ``the number 3``."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"the true/false value {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text {shown!r}"
    if isinstance(value, dict):
        return "a mapping" if value else "an empty mapping"
    if isinstance(value, (list, tuple)):
        return "a list" if value else "an empty list"
    return type(value).__name__


def _clean(raw_loc: tuple, data, keep_last: bool) -> tuple[tuple, list[int]]:
    """Drop union-member tags from a pydantic location by walking the data.

    Returns the location in the data and the positions (in ``raw_loc``) of the dropped tags.
    """
    loc: list = []
    tags: list[int] = []
    current = data
    for i, part in enumerate(raw_loc):
        last = i == len(raw_loc) - 1
        if isinstance(current, dict) and part in current:
            loc.append(part)
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            loc.append(part)
            current = current[part]
        elif last and keep_last:
            loc.append(part)
            current = None
        else:
            tags.append(i)
    return tuple(loc), tags


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


def _message(err: dict, loc: tuple, model) -> str:
    """The user-facing message of one (non-merged) pydantic error."""
    kind, msg = err["type"], err["msg"]
    if kind == "extra_forbidden":
        key = str(loc[-1]) if loc else ""
        allowed = _allowed_keys(model, loc) if model is not None else []
        hint = difflib.get_close_matches(key, allowed, n=1)
        text = f"unknown key {key!r}" + (f"; did you mean {hint[0]!r}?" if hint else "")
        if key.lower() in _INCLUDE_KEYS:
            text += " (a study is one self-contained file: nothing is included or imported)"
        if allowed:
            text += f" (allowed: {', '.join(allowed)})"
        return text
    if kind == "missing":
        return "required field is missing"
    if kind == "literal_error":
        expected = re.findall(r"'([^']*)'", str((err.get("ctx") or {}).get("expected", "")))
        given = err.get("input")
        hint = difflib.get_close_matches(str(given), expected, n=1) if isinstance(given, str) else []
        text = f"{describe(given)} is not one of: {', '.join(expected)}"
        return text + (f"; did you mean {hint[0]!r}?" if hint else "")
    if kind == "string_pattern_mismatch" and (err.get("ctx") or {}).get("pattern") == SLUG:
        given = str(err.get("input"))
        suggestion = re.sub(r"[^a-z0-9._-]+", "-", given[:200].strip().lower()).strip("-._")[:40]
        shown = given if len(given) <= 40 else given[:37] + "..."
        return (f"{shown!r} is not an id: use lower-case letters, digits, '.', '_' or '-'"
                + (f" (e.g. {suggestion!r})" if suggestion else ""))
    if kind in _EXPECTED:
        return f"expected {_EXPECTED[kind]}, got {describe(err.get('input'))}"
    bounds = {"greater_than": "greater than", "greater_than_equal": "at least", "less_than": "less than",
              "less_than_equal": "at most"}
    if kind in bounds:
        limit = next(iter((err.get("ctx") or {}).values()), "")
        limit = f"{limit:g}" if isinstance(limit, (int, float)) else limit
        return f"must be {bounds[kind]} {limit}, got {describe(err.get('input'))}"
    if kind == "too_short":
        need = (err.get("ctx") or {}).get("min_length", 1)
        return f"needs at least {need} item{'s' if need != 1 else ''}, got {describe(err.get('input'))}"
    if kind == "finite_number":
        return f"must be a finite number, got {describe(err.get('input'))}"
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            return msg[len(prefix):]
    return msg


def _merge_union(errs: list[dict], loc: tuple) -> list[tuple[tuple, dict | str]]:
    """One union's errors -> the errors to show (a merged message when no member fitted)."""
    type_errors = [e for e in errs if e["type"] in _EXPECTED and len(e["_loc"]) == len(loc)]
    closer = [e for e in errs if e not in type_errors]
    if closer:  # some member fitted the value's shape: its own findings are the useful ones
        return [(e["_loc"], e) for e in closer]
    expected = list(dict.fromkeys(_EXPECTED[e["type"]] for e in type_errors))
    if 'a number' in expected and 'a whole number' in expected:
        expected.remove('a whole number')
    text = f"expected {' or '.join(expected)}, got {describe(type_errors[0].get('input'))}"
    return [(loc, text)]


def problems_from_validation(exc: ValidationError, doc: LoadedYaml, model=None) -> list[Problem]:
    """One Problem per distinct finding, located with the YAML line map."""
    plain: list[tuple[tuple, dict | str]] = []
    unions: dict[tuple, list[dict]] = {}
    for details in exc.errors(include_url=False):
        raw = tuple(details["loc"])
        loc, tags = _clean(raw, doc.data, keep_last=details["type"] == "missing")
        err: dict = dict(details, _loc=loc)
        if tags:
            site = _clean(raw[: tags[0]], doc.data, keep_last=False)[0]
            unions.setdefault(site, []).append(err)
        else:
            plain.append((loc, err))
    for site, errs in unions.items():
        plain.extend(_merge_union(errs, site))
    plain.sort(key=lambda item: doc.line_of(item[0]) or 0)
    out: list[Problem] = []
    seen = set()
    for k, (loc, found) in enumerate(plain):
        if len(out) == MAX_PROBLEMS:
            rest = len(plain) - k
            out.append(Problem(doc.path, doc.line_of(loc), "",
                               f"{rest} more problem{'s' if rest != 1 else ''} not shown; fix the ones above first"))
            break
        msg = found if isinstance(found, str) else _message(found, loc, model)
        if (loc, msg) in seen:
            continue
        seen.add((loc, msg))
        out.append(Problem(doc.path, doc.line_of(loc), dotted(loc), msg))
    return out
