"""The fast reading of a plain YAML document, straight from libyaml's events.

``lca.core.yamlio.load_yaml`` composes the document into PyYAML nodes (libyaml's composer, which
calls PyYAML's Python resolver for every scalar) and then builds the data and the line of each
field from the nodes: for a study of 10,000 activities (200,000 nodes) that is three quarters of
the time of reading it. Here the same data and the same lines are built in one pass over the
parser's events, for the documents a study almost always is: no anchor, alias or tag, keys that
are text, numbers or booleans, no duplicate key, within the limits, no number YAML 1.1 would
misread and no unsafe character. Anything else, a syntax error included, returns None and
``load_yaml`` reads the document its own way, which locates every problem; tests/test_yamlfast.py
checks that both ways give the same data and lines on every YAML file of the project.
"""

from __future__ import annotations

import yaml
from yaml.resolver import Resolver

from lca.core import yamlflow, yamlio

_STR, _MAP, _SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_IMPLICIT = Resolver.yaml_implicit_resolvers  # first character -> [(tag, pattern)], what resolve() reads
_SCALAR_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
                "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp"}
_NO_KEY = object()


class _Unusual(Exception):
    """The document is not one this reader builds: ``load_yaml`` reads it its own way."""


def read_plain(text: str) -> tuple[object, dict] | None:
    """``(data, lines)`` as ``load_yaml`` builds them, or None for a document outside the plain case.

    Single-line flow collections (one activity per line) are read by lca.core.yamlflow, libyaml
    reading the rest of the document with a placeholder in their place.
    """
    if not hasattr(yaml, "CSafeLoader"):
        return None
    constructor, tags = yaml.SafeLoader(""), dict[str, str]()
    try:
        shown, flows, nodes = yamlflow.substitute(text, yamlio._UNSAFE_TEXT.search, typer(constructor, tags))
    except (_Unusual, yaml.YAMLError, ValueError, OverflowError):
        return None
    loader = yaml.CSafeLoader(shown)
    try:
        return _build(loader, constructor, tags, flows, nodes - len(flows))
    except (_Unusual, yaml.YAMLError, ValueError, OverflowError):
        return None
    finally:
        loader.dispose()


def typer(constructor, tags: dict[str, str]):
    """``typed(text)``: a plain scalar's value as the event reader builds it (raising _Unusual
    where it declines), its tag kept in ``tags``."""

    def typed(value: str) -> object:
        tag = tags.get(value)
        if tag is None:
            tag = tags[value] = _resolve(value)
        return value if tag is _STR else _typed(value, tag, constructor)

    return typed


def _resolve(value: str) -> str:
    """The tag PyYAML's resolver gives a plain scalar (Resolver.resolve for ScalarNode, implicit)."""
    for tag, pattern in _IMPLICIT.get(value[:1], ()) or ():
        if pattern.match(value):
            return tag
    for tag, pattern in _IMPLICIT.get(None, ()) or ():
        if pattern.match(value):
            return tag
    return _STR


def _typed(text: str, tag: str, constructor) -> object:
    """A plain scalar YAML reads as something other than text (a number, true, null, a date)."""
    if tag not in _SCALAR_TAGS:
        raise _Unusual
    node = yaml.ScalarNode(tag, text, None, None, None)
    if yamlio._yaml11_number(node):
        raise _Unusual
    value = constructor.construct_object(node, deep=True)
    return value.isoformat() if hasattr(value, "isoformat") else value


def _build(loader, constructor, tags: dict[str, str], flows: dict[str, tuple], count: int = 0) -> tuple[object, dict]:
    """One pass over the events: a stack of [container, field path, depth, pending key, next index].

    ``tags``: plain text -> its tag (keys and most values repeat); ``flows``: placeholder ->
    (the collection read in its place, its depth), each to be met once as a plain value, whose
    line is the line of all its fields; ``count``: the nodes in them beyond the placeholders.
    """
    get = loader.get_event
    max_nodes, max_depth = yamlio.MAX_NODES, yamlio.MAX_DEPTH
    if count > max_nodes:
        raise _Unusual
    unsafe = yamlio._UNSAFE_TEXT.search
    flow = None
    lines: dict = {}
    stack: list[list] = []
    root: list = []
    documents = 0
    scalar_event, mapping_event, sequence_event = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    while True:
        event = get()
        kind = type(event)
        if kind is scalar_event:
            value = event.value
            if event.implicit[0]:
                tag = tags.get(value)
                if tag is None:
                    tag = tags[value] = _resolve(value)
                if tag is not _STR:
                    value = _typed(value, tag, constructor)
                elif flows and value in flows:
                    value, flow = flows.pop(value)
                elif unsafe(value):
                    raise _Unusual
            elif unsafe(value):
                raise _Unusual
        elif kind is mapping_event:
            value = {}
        elif kind is sequence_event:
            value = []
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            stack.pop()
            continue
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _Unusual
            continue
        elif kind is yaml.StreamEndEvent:
            break
        elif kind is yaml.StreamStartEvent or kind is yaml.DocumentEndEvent:
            continue
        else:
            raise _Unusual  # an alias
        if event.anchor is not None or event.tag is not None:
            raise _Unusual
        count += 1
        line = event.start_mark.line + 1
        if type(value) is yamlflow.Items and (not stack or type(stack[-1][0]) is not list):
            raise _Unusual  # items of a sequence met anywhere but in a sequence: not as written
        if not stack:
            if root:
                raise _Unusual
            loc, depth = (), 0
            if flow is not None and flow > max_depth:
                raise _Unusual
            root.append(value)
            lines[loc] = line
        else:
            frame = stack[-1]
            container, parent, depth = frame[0], frame[1], frame[2] + 1
            if depth > max_depth or count > max_nodes:
                raise _Unusual
            if flow is not None and depth + flow > max_depth:
                raise _Unusual
            if type(container) is dict:
                key = frame[3]
                if key is _NO_KEY:  # this node is a key
                    if flow is not None or kind is not scalar_event or value is None \
                            or not isinstance(value, (str, int, float, bool)):
                        raise _Unusual
                    key = str(value)
                    if key in container:
                        raise _Unusual
                    if not container:
                        lines.setdefault(parent + ("<key>",), line)
                    lines[parent + (key,)] = line
                    frame[3] = key
                    continue
                frame[3] = _NO_KEY
                container[key] = value  # its line is its key's
                loc = parent + (key,)
            elif type(value) is yamlflow.Items:  # adjacent items of this sequence, one line each
                key = frame[4]
                frame[4] = key + len(value)
                container.extend(value)
                lines.update(((*parent, key + i), line + i) for i in range(len(value)))
                flow = None
                continue
            else:
                key = frame[4]
                frame[4] = key + 1
                container.append(value)
                loc = parent + (key,)
                lines[loc] = line
        if flow is not None:  # a collection of one line: its fields are found at its line (line_of)
            flow = None
        elif kind is not scalar_event:
            stack.append([value, loc, depth, _NO_KEY, 0])
    if not root or flows:  # a placeholder not met as one whole value: it sat inside a scalar
        raise _Unusual
    return root[0], lines
