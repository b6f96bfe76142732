"""Single-line flow collections read by the JSON decoder: the compact layout of large studies.

A study of 10,000 activities is best written one activity per line, in flow style::

    activities:
    - {id: a0, name: a0, stage: C1, exchanges: [{dataset: electricity.fr, amount: "1 kWh"}]}

Through libyaml's events such a line costs about twenty Python event objects and as many passes
of the event loop (lca/core/yamlfast.py). Here the collections of all such lines are rewritten
as one JSON text by regular expressions (each plain scalar replaced by the JSON of the value
PyYAML's resolver gives it, computed once per distinct scalar) and decoded by the C decoder, and
libyaml is handed the document with each collection replaced by one plain placeholder scalar
(``__lca_flow_17__``): it still reads the block structure, the lines and everything else.

Only a strict subset is read this way; a line outside it stays in the document for libyaml:
keys and values that are plain scalars (no ``:``, ``#``, quote or backslash in them, no indicator
first, a ``-`` first only before a character that is not a space) or double-quoted scalars
without escapes, nested ``{}`` and ``[]``, separated by ``,``, spaces only, no comment, no
control or bidirectional character. What JSON does not read as YAML does is refused by the
decoder (an empty value, a trailing comma, a key without a value, a single-pair mapping in a
sequence) or by the decoder's hook (a duplicate key), and the line stays for libyaml too; so does
a scalar the event reader would decline (a number YAML 1.1 misreads, an infinite float). The
collections are decoded all at once; when that fails, each half on its own, down to the lines
outside the subset (a few such lines among 100,000 cost a few dozen decodes, not 100,000).

Every field of such a line is on the line of its collection, and ``LoadedYaml.line_of`` gives a
field the line of its closest parent that has one: only the collection's own line is recorded.
A placeholder that libyaml does not give back as one whole plain value (the line sat inside a
block or quoted scalar) makes the event reader decline the whole document, and ``load_yaml``
reads it as before. tests/test_yamlfast.py checks that every way gives the same data and the
same line for every field.
"""

from __future__ import annotations

import json
import math
import re

MARK = "__lca_flow_"
MAX_NESTING = 64  # within yamlio.MAX_DEPTH's reach, and far from the JSON decoder's recursion limit

# indentation, then "- " or "key: " (one, both or neither), then a collection closing on the line
_CANDIDATE = re.compile(r"^( *(?:- )?(?:[A-Za-z_][A-Za-z0-9_]*: )?)([\[{][^\n]*[\]}]) *$", re.M)

_WORD = r"[^\s,\[\]{}:#\"'\\\x00-\x1f\x7f-\x9f]+"
_FIRST = r"(?:[^-?:,\[\]{}#&*!|>'\"%@`\s\\\x00-\x1f\x7f-\x9f]|-(?=[^\s,\[\]{}]))"
_PLAIN = rf"{_WORD}(?: +{_WORD})*+"  # possessive, and the tokens atomic: one way to read a line, linear time
_QUOTED = r'"[^"\\\x00-\x1f\x7f-\x9f]*"'
# the subset's scalars: quoted, kept as they are; plain, as keys (with their colon) or as values.
# Between two of them (and before the first, after the last) only structure may stand: brackets,
# commas, spaces and a colon before a space (_NOT_STRUCTURE finds anything else, such as the "&" of
# an anchor, which no token starts with); the structure's grammar is the JSON decoder's to check.
_TOKEN = re.compile(rf"({_QUOTED}|(?={_FIRST}){_PLAIN}(?: *:(?= ))?)")
_NOT_STRUCTURE = re.compile(r"[^\[\]{},: \n]|:(?! )")  # on the structure joined by "\n" (in no line)
_QUOTED_RE = re.compile(_QUOTED)
_INNERMOST = re.compile(r"[\[{][^\[\]{}]*[\]}]")


class NotFlow(Exception):
    """The collection is outside the subset: its line is left to libyaml."""


def substitute(text: str, unsafe, typed) -> tuple[str, dict[str, tuple[object, int]], int]:
    """``(text with placeholders, placeholder -> (the collection's data, its nesting depth at most),
    the nodes of those collections)``.

    Adjacent lines that are items of one block sequence (``  - {...}`` on each, same indentation)
    share one placeholder, whose data is an ``Items`` list of their collections, followed by as
    many line breaks as it replaces: libyaml then reads one scalar, not one per activity, and
    every later line keeps its number.

    ``typed(text)`` is a plain scalar's value as the event reader builds it (raising when it would
    decline it).
    """
    if MARK in text or ("{" not in text and "[" not in text):
        return text, {}, 0
    bodies: list[str] = []
    spans: list[tuple[int, ...]] = []  # body start and end, depth, line start and end, item indent (or -1)
    for match in _CANDIDATE.finditer(text):
        body = match.group(2)
        depth = _depth(body)
        if depth <= MAX_NESTING:  # deeper: libyaml's (and its located limit)
            bodies.append(body)
            item = len(match.group(1)) if match.group(1)[-2:] == "- " else -1  # a sequence item's indent
            spans.append((match.start(2), match.end(2), depth, match.start(), match.end(), item))
    if unsafe(",".join(bodies)):  # all checked at once, else line by line
        kept = [i for i, body in enumerate(bodies) if not unsafe(body)]
        bodies, spans = [bodies[i] for i in kept], [spans[i] for i in kept]
    values, nodes = _Converter(typed).decode(bodies) if bodies else ([], 0)
    out: list[str] = []
    found: dict[str, tuple[object, int]] = {}
    at = 0
    for start, end, value, depth, lines in _runs(spans, values):
        name = f"{MARK}{len(found)}__"
        found[name] = (value, depth)  # what the event reader's depth limit sees
        out += (text[at:start], name, "\n" * (lines - 1))
        at = end
    out.append(text[at:])
    return "".join(out), found, nodes


class Items(list):
    """The collections of adjacent sequence items (one per line) read in place of one placeholder."""


def _runs(spans: list[tuple], values: list[object]):
    """``(start, end, data, depth, lines)`` of each placeholder: a collection on its own, or the
    ``Items`` of adjacent lines that are items of one sequence at the same indentation."""
    run: list[tuple] = []  # the spans and values of the current run of items

    def flush():
        if len(run) == 1:
            yield run[0][0][0], run[0][0][1], run[0][1], run[0][0][2], 1
        elif run:
            yield (run[0][0][0], run[-1][0][1], Items(v for _, v in run), max(sp[2] for sp, _ in run), len(run))

    for span, value in zip(spans, values):
        if value is _LEFT:
            yield from flush()
            run = []
            continue
        last = run[-1][0] if run else None
        if last is not None and span[5] >= 0 and span[5] == last[5] and span[3] == last[4] + 1:
            run.append((span, value))  # the next line, an item at the same indentation
            continue
        yield from flush()
        run = [(span, value)]
    yield from flush()


def _depth(body: str) -> int:
    """How deep the collection's fields nest (1: its own fields), or more: counting all the brackets
    when there are few only makes a limit reached sooner."""
    brackets = body.count("{") + body.count("[")
    if brackets <= 8:
        return brackets
    body = _QUOTED_RE.sub('""', body)  # a bracket inside quotes is text
    depth = 0
    while body and depth <= MAX_NESTING:
        body, n = _INNERMOST.subn("", body)
        if not n:
            break
        depth += 1
    return depth


_LEFT = object()  # a collection left to libyaml


class _Converter:
    """Plain scalars to JSON, once per distinct scalar; all the collections decoded in one call."""

    def __init__(self, typed):
        self.typed = typed
        self.json: dict[str, str] = {}  # scalar token -> its JSON text

    def decode(self, bodies: list[str]) -> tuple[list[object], int]:
        """The data of each collection (``_LEFT`` for one outside the subset) and their nodes:
        all at once, else each half on its own (a few lines outside the subset among 100,000 cost
        a few decodes each, not one decode per line)."""
        try:
            text, nodes = self.json_text(bodies)
            return json.loads(text, object_pairs_hook=_mapping), nodes
        except (NotFlow, ValueError, RecursionError):
            if len(bodies) == 1:
                return [_LEFT], 0
            half = len(bodies) // 2
            first, first_nodes = self.decode(bodies[:half])
            second, second_nodes = self.decode(bodies[half:])
            return first + second, first_nodes + second_nodes

    def json_text(self, bodies: list[str]) -> tuple[str, int]:
        """The JSON array of ``bodies`` and how many nodes (containers, keys, values) they hold."""
        parts = _TOKEN.split("[" + ",".join(bodies) + "]")  # [structure, token, structure, ..., structure]
        structure = "\n".join(parts[0::2])
        if _NOT_STRUCTURE.search(structure):
            raise NotFlow
        tokens = parts[1::2]
        for text in set(tokens).difference(self.json):
            self.json[text] = self.scalar(text)
        parts[1::2] = map(self.json.__getitem__, tokens)
        return "".join(parts), len(tokens) + structure.count("{") + structure.count("[") - 1

    def scalar(self, text: str) -> str:
        """A token's JSON: quoted text as it is (no escape in it), a key with its colon, a value."""
        if text[0] == '"':
            return text
        if text[-1] != ":":  # a plain scalar never ends with a colon: only a key's token does
            return _json_scalar(self.typed(text))
        key = self.typed(text[:-1].rstrip(" "))
        if key is None or not isinstance(key, (str, int, float, bool)):
            raise NotFlow  # the event reader declines a null key, and so does this reader
        return json.dumps(str(key)) + ":"


def _json_scalar(value: object) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        raise NotFlow  # JSON has no infinity: libyaml reads the line
    if not isinstance(value, (str, int, float, bool)) and value is not None:
        raise NotFlow
    return json.dumps(value)


def _mapping(pairs: list[tuple[str, object]]) -> dict:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise ValueError("duplicate key")  # the event reader declines, load_yaml locates it
    return out
