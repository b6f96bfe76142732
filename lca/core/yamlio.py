"""Safe YAML reading with a line number for every field.

Only plain YAML is accepted: no language tags (``!!python/...``), no duplicate keys, a bounded
number of nodes (alias bombs), UTF-8 text only. ``load_yaml`` returns the data and a map from
field paths (tuples of keys and indices) to the line where each field starts, so that every
validation error can name its line.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from lca.core.errors import InputError, Problem

# A study of 100,000 activities is about 10 MB in flow style and 30 to 40 MB in block style, with
# 2 to 4 million nodes (20 to 40 an activity); nothing legitimate comes near these limits.
MAX_BYTES = 50_000_000
MAX_NODES = 5_000_000
MAX_DEPTH = 64  # nesting levels; a study needs about 8
# Nodes built again through aliases (``*a`` repeats the anchored ``&a`` node): a study uses few or
# none; a "billion laughs" multiplies them, and is refused here, long before MAX_NODES.
MAX_ALIAS_NODES = 100_000

_ALLOWED_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:timestamp",
}

FieldPath = tuple
# libyaml's composer when available (15x faster on the method files); same nodes and marks.
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class LoadedYaml:
    """A parsed YAML document: its data, its path and the line of each field path."""

    path: str
    data: object
    lines: dict[FieldPath, int] = field(default_factory=dict)

    def line_of(self, loc: FieldPath) -> int | None:
        """The line of ``loc`` or of its closest parent that has one."""
        loc = tuple(loc)
        while True:
            if loc in self.lines:
                return self.lines[loc]
            if not loc:
                return None
            loc = loc[:-1]


class _Builder:
    def __init__(self, path: str):
        self.path = path
        self.lines: dict[FieldPath, int] = {}
        self.problems: list[Problem] = []
        self.count = 0
        self.aliased = 0  # nodes built again through an alias
        self._seen: set[int] = set()  # the collection nodes built so far (an alias is a node seen again)
        self._scalars = yaml.SafeLoader("")

    def _fail(self, node: yaml.Node, loc: FieldPath, message: str) -> None:
        self.problems.append(Problem(self.path, node.start_mark.line + 1, dotted(loc), message))

    def build(self, node: yaml.Node, loc: FieldPath, depth: int = 0, alias: bool = False):
        self.count += 1
        if not alias and isinstance(node, yaml.CollectionNode):
            alias = id(node) in self._seen
            self._seen.add(id(node))
        if alias:
            self.aliased += 1
            if self.aliased > MAX_ALIAS_NODES:
                raise InputError([Problem(self.path, node.start_mark.line + 1, dotted(loc),
                                          f"aliases expand to more than {MAX_ALIAS_NODES} nodes (an alias bomb?); "
                                          "write the values out instead of repeating anchors (*name)")])
        if depth > MAX_DEPTH:
            shown = dotted(loc[:6]) + ("..." if len(loc) > 6 else "")
            raise InputError([Problem(self.path, node.start_mark.line + 1, shown,
                                      f"nested more than {MAX_DEPTH} levels deep; a study needs far fewer")])
        if self.count > MAX_NODES:
            raise InputError([Problem(self.path, node.start_mark.line + 1, dotted(loc),
                                      f"document expands to more than {MAX_NODES} nodes "
                                      "(an alias bomb?); simplify the file")])
        self.lines.setdefault(loc, node.start_mark.line + 1)
        if node.tag not in _ALLOWED_TAGS:
            hint = (" (a study is one self-contained file: nothing is included or imported)"
                    if "include" in node.tag or "import" in node.tag else "")
            self._fail(node, loc, f"tag {node.tag!r} is not allowed; write plain YAML values{hint}")
            return None
        if isinstance(node, yaml.MappingNode):
            out: dict = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    self._fail(key_node, loc, "keys must be plain text")
                    continue
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self._fail(key_node, loc, "merge keys ('<<') are not supported; repeat the fields")
                    continue
                key = self.build(key_node, loc + ("<key>",), depth + 1, alias)
                if not isinstance(key, (str, int, float, bool)) or key is None:
                    self._fail(key_node, loc, "keys must be plain text")
                    continue
                key = str(key)
                if key in out:
                    self._fail(key_node, loc + (key,), f"duplicate key {key!r}; each key may appear once")
                    continue
                self.lines[loc + (key,)] = key_node.start_mark.line + 1
                out[key] = self.build(value_node, loc + (key,), depth + 1, alias)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, loc + (i,), depth + 1, alias) for i, item in enumerate(node.value)]
        odd = _yaml11_number(node)
        if odd:
            self._fail(node, loc, odd)
            return None
        try:
            # text is most of a study: taken as it is (what the constructor would return), fast
            value = node.value if node.tag == _STR_TAG else self._scalars.construct_object(node, deep=True)
        except (ValueError, OverflowError, yaml.YAMLError) as exc:  # 2024-13-45, a 5000-digit integer
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            self._fail(node, loc, f"cannot read {node.value[:40]!r} as a YAML value ({reason}); quote it if it is text")
            return None
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        if isinstance(value, str) and _UNSAFE_TEXT.search(value):
            self._fail(node, loc, unsafe_text_message(value))
            return None
        return value


# Control characters (escape sequences retitle a terminal or hide a line) and bidirectional
# controls (U+202E shows text reversed) that YAML escapes such as "\e", "\a", "\0", "\u202e" let
# into text. Tabs and line breaks are text.
_UNSAFE_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_NAMES = {0x00: "NUL", 0x07: "bell", 0x08: "backspace", 0x1B: "escape", 0x7F: "delete", 0x202E: "right-to-left override",
          0x202D: "left-to-right override", 0x202B: "right-to-left embedding", 0x2067: "right-to-left isolate"}


def unsafe_text_message(text: str) -> str:
    """The located message for text holding a control or bidirectional character."""
    found = _UNSAFE_TEXT.search(text)
    if found is None:
        raise ValueError("unsafe_text_message needs a text that holds a control or bidirectional character")
    ch = found.group()
    name = _NAMES.get(ord(ch), "control character")
    return (f"text holds U+{ord(ch):04X} ({name}); control and bidirectional characters are not allowed in a "
            "study (they can retitle a terminal or reorder a report): delete it, or the escape that wrote it")


def has_unsafe_text(text: str) -> bool:
    return bool(_UNSAFE_TEXT.search(text))


_INT_TAG, _FLOAT_TAG, _STR_TAG = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:str"


def _yaml11_number(node: yaml.Node) -> str | None:
    """Why a plain scalar that YAML 1.1 reads as a number other than the one written is refused:
    a leading zero (``010`` is octal 8), base 60 (``1:30`` is 90), hexadecimal or binary
    (``0x10``, ``0b101``), digits grouped with ``_`` (``1_000``)."""
    if node.style not in (None, "") or node.tag not in (_INT_TAG, _FLOAT_TAG):  # plain: None, or '' (libyaml)
        return None
    text = node.value
    shown = text if len(text) <= 40 else text[:40] + "…"
    quote = "; quote it if it is text"
    if ":" in text:
        return (f"{shown} is read by YAML as a number in base 60 (1:30 is 90); write the number itself, or "
                f"the amount with its unit (\"1.5 h\"){quote}")
    if "_" in text:
        return f"{shown} has digits grouped with _; write {text.replace('_', '')} (no separator){quote}"
    if re.match(r"^[-+]?0[xXbB]", text):
        return f"{shown} is read by YAML as a hexadecimal or binary number; write it in decimal{quote}"
    if node.tag == _INT_TAG and re.match(r"^[-+]?0[0-9]", text):
        return (f"{shown} is read by YAML as an octal number (010 is 8); write it without the leading "
                f"zero{quote}")
    return None


def dotted(loc: FieldPath) -> str:
    """``("systems", "ai", "activities", 2, "id")`` -> ``systems.ai.activities[2].id``.

    A key that is not a plain word (``a: b``, ``:x``, a key with a line break) is shown quoted in
    brackets, ``["a:\\u0020b"]``, so that a field never holds ``": "`` and a problem stays one
    ``PATH:LINE: field: message`` line.
    """
    text = ""
    for part in loc:
        if part == "<key>":
            continue
        if isinstance(part, int):
            text += f"[{part}]"
        elif _PLAIN_KEY.match(str(part)):
            text += ("." if text else "") + str(part)
        else:
            text += "[" + json.dumps(str(part)).replace(": ", ":\\u0020") + "]"
    return text


_PLAIN_KEY = re.compile(r"^[\w.+@/()-]+$")


def read_text(path: str | Path) -> str:
    """Read a UTF-8 text file, refusing binary, non-UTF-8 and oversized files with a Problem."""
    p = Path(path)
    shown = str(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise InputError([Problem(shown, None, "", "file not found")]) from None
    except OSError as exc:
        raise InputError([Problem(shown, None, "", f"cannot read file: {exc.strerror}")]) from None
    if p.is_dir():
        raise InputError([Problem(shown, None, "", "is a directory; give a YAML file")])
    if size > MAX_BYTES:
        raise InputError([Problem(shown, None, "", f"file is {size} bytes, over the {MAX_BYTES}-byte limit")])
    try:
        with open(p, "rb") as handle:  # bounded read: /dev/zero or a pipe has no size to check first
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError([Problem(shown, None, "", f"cannot read file: {exc.strerror}")]) from None
    if len(raw) > MAX_BYTES:
        raise InputError([Problem(shown, None, "", f"file is over the {MAX_BYTES}-byte limit")])
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError([Problem(shown, 1, "", "UTF-16 text; save the file as UTF-8")])
    if b"\x00" in raw:
        raise InputError([Problem(shown, None, "", "binary file (NUL bytes); give a UTF-8 YAML text file")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError([Problem(shown, line, "", "not UTF-8 text; save the file as UTF-8")]) from None
    return text


def load_yaml(path: str | Path, text: str | None = None) -> LoadedYaml:
    """Parse one YAML document safely; raise InputError with located problems."""
    shown = str(path)
    if text is None:
        text = read_text(path)
    if not text.strip():
        raise InputError([Problem(shown, 1, "", "file is empty")])
    from lca.core.yamlfast import read_plain  # here: it reads this module's limits and checks

    plain = read_plain(text)  # the plain case in one pass over libyaml's events (3x faster)
    if plain is not None:
        return LoadedYaml(shown, plain[0], plain[1])
    try:
        nodes = list(yaml.compose_all(text, Loader=_COMPOSER))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        reason = exc.problem or str(exc)
        if "\t" in reason or "tab" in reason.lower():
            reason += " (YAML forbids tabs for indentation; use spaces)"
        raise InputError([Problem(shown, line, "", f"YAML syntax error: {reason}")]) from None
    except yaml.reader.ReaderError as exc:  # a control character: locate it by its position
        line = text[: exc.position].count("\n") + 1 if isinstance(exc.position, int) else None
        raise InputError([Problem(shown, line, "", f"character {chr(exc.character)!r} (code {exc.character}) "
                                  "is not allowed in YAML text; delete it")]) from None
    except yaml.YAMLError as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError([Problem(shown, None, "", f"YAML error: {reason}")]) from None
    nodes = [n for n in nodes if n is not None]
    if not nodes:
        raise InputError([Problem(shown, 1, "", "file holds no YAML document")])
    if len(nodes) > 1:
        raise InputError([Problem(shown, nodes[1].start_mark.line + 1, "",
                                  "more than one YAML document ('---'); keep one per file")])
    builder = _Builder(shown)
    data = builder.build(nodes[0], ())
    if builder.problems:
        raise InputError(builder.problems)
    return LoadedYaml(shown, data, builder.lines)


class _SafeDumper(yaml.SafeDumper):
    """Plain YAML out; text that YAML would normalise (line separators, control characters) is
    written double-quoted with escapes, so that it reads back unchanged."""


def _represent_str(dumper: yaml.SafeDumper, text: str):
    risky = any(ch in "\x85\u2028\u2029\r\ufeff" or (ord(ch) < 32 and ch not in "\n\t")
                or 0x7f <= ord(ch) < 0xa0 or 0xd800 <= ord(ch) <= 0xdfff or ord(ch) in (0xfffe, 0xffff)
                for ch in text)
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style='"' if risky else None)


_SafeDumper.add_representer(str, _represent_str)


def dump_yaml(data) -> str:
    """``data`` (plain dicts, lists, text, numbers) as block-style UTF-8 YAML, keys in order."""
    return yaml.dump(data, Dumper=_SafeDumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)
