"""Indented JSON written mostly by the C encoder.

``json.dumps(indent=2)`` runs Python's pure-Python encoder (the C one has no indentation): for the
result of 10,000 activities (12 MB) that is most of the time of writing it. Here the document is
laid out exactly as ``indent=2`` would lay it out, except inside *long* containers (more than
``LONG`` items): those hold one item per line, each item written on that line by the C encoder
(``{"gwp": 1.5, "pe": 0.0}``). A list or mapping of plain values (numbers, text) is the same
either way; every study shipped with the project, whose containers are all short, is written
byte for byte as ``indent=2`` writes it. The output depends only on the payload: the same bytes
in every process, and ``json.loads`` gives back the same object.

The items of a long container of plain values are written a column at a time (``_texts``): the
texts of 100,000 numbers or names made by one C call (map, split) instead of one encoder call
each, 4 to 8x faster. Any other item is one encoder call, made from C (``_each``). Both give the
text ``json.dumps`` gives for each item (tests/test_jsonfast.py compares them).
"""

from __future__ import annotations

import json
from itertools import repeat
from json import encoder as _encoder

LONG = 100  # items of a container beyond which each item is one line
_compact = json.JSONEncoder(separators=(", ", ": "), ensure_ascii=False, allow_nan=False).encode  # the C encoder
_indented = json.JSONEncoder(indent=2, ensure_ascii=False, allow_nan=False).encode
_text = _encoder.encode_basestring  # a JSON string, the C function when there is one
_PLAIN = frozenset({float, int, bool, type(None)})  # their JSON texts never hold ", "


def _c_encoder():
    """The C encoder made once (``JSONEncoder.encode`` makes one per call: 5 us an item), or None."""
    make = getattr(_encoder, "c_make_encoder", None)
    if make is None:
        return None
    return make(None, json.JSONEncoder().default, _text, None, ": ", ", ", False, False, False)


_encode = _c_encoder()


def dumps(payload: object, end: str = "") -> str:
    """``payload`` as UTF-8-ready indented JSON text, long containers one item per line (no NaN),
    followed by ``end`` (joined with the rest: no copy of a long text to add a newline)."""
    out: list[str] = []
    _write(payload, "", out)
    out.append(end)
    return "".join(out)


def _write(value: object, pad: str, out: list[str]) -> None:
    if not isinstance(value, (dict, list, tuple)) or not value or not (len(value) > LONG or _holds_long(value)):
        text = _indented(value)
        out.append(text.replace("\n", "\n" + pad) if pad and "\n" in text else text)
        return
    inner = pad + "  "
    is_map = isinstance(value, dict)
    out.append("{\n" + inner if is_map else "[\n" + inner)
    if len(value) > LONG:
        out.append((",\n" + inner).join(_lines(value)))
    else:
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for n, (key, item) in enumerate(items):
            if n:
                out.append(",\n" + inner)
            if is_map:
                out.append(_key(key))
            _write(item, inner, out)
    out.append("\n" + pad + ("}" if is_map else "]"))


def _lines(value: dict | list | tuple) -> list[str]:
    """The line of each item of a long container, as the C encoder writes it (``"key": `` first in
    a mapping)."""
    if not isinstance(value, dict):
        return _texts(value)
    keys = list(value)
    if set(map(type, keys)) == {str}:
        return list(map(": ".join, zip(map(_text, keys), _texts(list(value.values())))))
    return list(map(str.__add__, map(_key, keys), _texts(list(value.values()))))


def _texts(values: list | tuple) -> list[str]:
    """The compact JSON text of each of ``values``: what ``_each`` gives, made a column at a
    time when every value is text or every value a plain number (boolean, null). (Records, mappings
    of the same keys, formatted from a template of their keys with their values made a column at a
    time, were measured no faster than the C encoder's one call each: 0.9 to 1.1x.)"""
    kinds = set(map(type, values))
    if kinds == {str}:
        return list(map(_text, values))
    if kinds <= _PLAIN:
        # one C call for the whole column; none of these texts holds ", ", so the split is exact
        texts = _compact(list(values))[1:-1].split(", ")
        if len(texts) == len(values):
            return texts
    return _each(values)


def _each(values: list | tuple) -> list[str]:
    """The compact JSON text of each of ``values``, one C encoder call each, called from C (a map
    over a map: no Python frame per item, 15 % faster than a lambda for 100,000 records)."""
    if _encode is None:
        return list(map(_compact, values))
    return list(map("".join, map(_encode, values, repeat(0))))  # a call gives a sequence of texts


def _key(key: object) -> str:
    """``"key": `` as the encoder writes a mapping key (text, or a number, boolean or null made text)."""
    if isinstance(key, str):
        return _text(key) + ": "
    return _compact({key: 0})[1:-2]


def _holds_long(value: dict | list | tuple) -> bool:
    """Whether a container inside ``value`` (at any depth) holds more than LONG items."""
    items = value.values() if isinstance(value, dict) else value
    return any(isinstance(v, (dict, list, tuple)) and (len(v) > LONG or _holds_long(v)) for v in items)
