"""The amount grammar: a small, safe reader for amount texts such as ``"433 MWh"``,
``"gpu_hours * 0.4 kW"`` or ``"max(1, ceil(requests / 1000))"``.

Grammar (docs/study-format.md, "Amounts")::

    amount   := sum
    sum      := product (("+" | "-") product)*
    product  := signed (("*" | "/") signed | implicit)*     implicit: "2 kWh", "2 (1 + x)"
    signed   := ("-" | "+")* power
    power    := atom ("**" signed)?
    atom     := NUMBER | NAME | FUNCTION "(" sum ("," sum)* ")" | "(" sum ")" | "%"

A NAME is a parameter of the study or a unit pint knows (``kWh``, ``kgCO2e/kWh`` is three
tokens); a FUNCTION is one of ``FUNCTIONS``. Nothing else is read: no attributes, no other calls,
no comparisons, brackets, semicolons, and no separators inside a number (``1 000``, ``1,5``,
``1'500``), each refused with the position and how to write it. The text is never handed to
``eval`` or to pint's expression parser: values are computed here, node by node, on pint
quantities whose magnitudes may be numpy arrays (Monte Carlo and break-even pass arrays as
parameter values). Every intermediate result is checked: an overflow, a division by zero, an
underflow to zero or a result that is not a real number is refused where it happens.
"""

from __future__ import annotations

import difflib
import re
import sys
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

FUNCTIONS = ("exp", "log", "sqrt", "min", "max", "floor", "ceil", "abs", "round")
MAX_DEPTH = 32  # nesting of parentheses, calls, powers and signs
MAX_UNIT_POWER = 12  # kWh**12 is already far beyond any physical unit
NOT_FINITE_NAMES = {"inf", "infinity", "nan", "Infinity", "NaN", "Inf", "INF", "NAN"}

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>(?:°|[^\W\d])[\w°]*)
  | (?P<op>\*\*|[-+*/(),%])
""", re.VERBOSE)

_HINTS = {
    "'": "quotes are not part of an amount; an amount is numbers, units, parameters and operators",
    '"': "quotes are not part of an amount; an amount is numbers, units, parameters and operators",
    ";": "a semicolon is not part of an amount: give one amount per field",
    "[": "brackets [ ] are not part of an amount: use parentheses ( ) to group",
    "]": "brackets [ ] are not part of an amount: use parentheses ( ) to group",
    "{": "braces { } are not part of an amount: use parentheses ( ) to group",
    "}": "braces { } are not part of an amount: use parentheses ( ) to group",
    "^": "write a power with ** (m**2), not ^",
    "<": "comparisons are not part of an amount: give the value itself (use min(...) or max(...) for a bound)",
    ">": "comparisons are not part of an amount: give the value itself (use min(...) or max(...) for a bound)",
    "=": "an amount is a value, not an equation or a comparison: give the value itself",
    "!": "comparisons are not part of an amount: give the value itself",
    "−": "write the minus sign as - (a plain hyphen)",
    "×": "write a product with *",
    "·": "write a product with *",
    "÷": "write a division with /",
    ".": "a dot is only a decimal point inside a number (0.5); there are no attributes",
    "²": "write a power with ** (m**2)",
    "³": "write a power with ** (m**3)",
}


class ExpressionError(ValueError):
    """An amount text outside the grammar, or a value it cannot have; ``pos`` is 0-based."""

    def __init__(self, message: str, pos: int | None = None):
        super().__init__(message)
        self.message = message
        self.pos = pos


@dataclass(frozen=True)
class Token:
    kind: str  # "number" | "name" | "op" | "end"
    text: str
    pos: int
    space_before: bool = False


@dataclass(frozen=True)
class Parsed:
    """A parsed amount: its tree and every NAME it uses (parameters or units)."""

    tree: tuple
    names: frozenset


def tokens(text: str) -> list[Token]:
    """Split ``text`` into tokens; an unknown character is refused with a hint."""
    out: list[Token] = []
    pos, space = 0, False
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            ch = text[pos]
            after_number = out and out[-1].kind == "number" and out[-1].pos + len(out[-1].text) == pos
            grouped = re.match(r"(\d+)['’](\d{3})", text[out[-1].pos:]) if after_number else None
            if grouped:
                raise ExpressionError(f"'{grouped.group()}' has an apostrophe inside a number: write "
                                      f"{grouped.group(1)}{grouped.group(2)} (no thousands separator)", pos)
            hint = _HINTS.get(ch, f"character {ch!r} is not part of an amount (numbers, units, parameters, "
                                  "+ - * / **, parentheses and the functions " + ", ".join(FUNCTIONS) + ")")
            raise ExpressionError(hint, pos)
        kind = m.lastgroup
        assert kind is not None  # every alternative of _TOKEN is a named group
        if kind == "space":
            space = True
        else:
            token_text = m.group()
            if kind == "name" and out and out[-1].kind == "number" and not space and token_text[:1] == "_":
                digits = out[-1].text + token_text.replace("_", "")
                raise ExpressionError(f"digits cannot be grouped with _: write {digits}", pos)
            if kind == "name" and any(ch in token_text for ch in "²³¹⁰⁴⁵⁶⁷⁸⁹"):
                raise ExpressionError(f"write a power with ** (m**2), not superscripts ({token_text!r})", pos)
            out.append(Token(kind, token_text, pos, space))
            space = False
        pos = m.end()
    out.append(Token("end", "", len(text), space))
    return out


@lru_cache(maxsize=16384)
def parse(text: str) -> Parsed:
    """Parse ``text`` into a tree of tuples; raise ExpressionError (with the position) when it
    is not an amount."""
    parser = _Parser(text, tokens(text))
    tree = parser.sum()
    tok = parser.peek()
    if tok.kind != "end":
        parser.leftover(tok)
    return Parsed(tree, frozenset(parser.names))


class _Parser:
    def __init__(self, text: str, toks: list[Token]):
        self.text, self.toks, self.i, self.depth = text, toks, 0, 0
        self.names: set[str] = set()
        self.in_call = 0

    def peek(self, ahead: int = 0) -> Token:
        return self.toks[min(self.i + ahead, len(self.toks) - 1)]

    def take(self) -> Token:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def deeper(self, tok: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(f"nested more than {MAX_DEPTH} levels deep; write a simpler amount", tok.pos)

    def sum(self):
        node = self.product()
        while self.peek().text in ("+", "-") and self.peek().kind == "op":
            op = self.take()
            node = ("op", op.text, node, self.product(), op.pos)
        return node

    def product(self):
        node = self.signed()
        divided = None
        while True:
            tok = self.peek()
            if tok.kind == "op" and tok.text in ("*", "/"):
                self.take()
                node = ("op", tok.text, node, self.signed(), tok.pos)
                divided = tok if tok.text == "/" else None
            elif tok.kind == "name" or (tok.kind == "op" and tok.text in ("(", "%")):
                if divided is not None:
                    raise ExpressionError(
                        f"'{self.text[divided.pos:tok.pos + len(tok.text)].strip()}' is ambiguous: write "
                        f"'/ ({self.text[divided.pos + 1:tok.pos + len(tok.text)].strip()})' to divide by both, "
                        "or put * between them", tok.pos)
                node = ("op", "*", node, self.power(), tok.pos)
            elif tok.kind == "number":
                self.two_numbers(tok)
            else:
                return node

    def two_numbers(self, tok: Token):
        prev = self.toks[self.i - 1]
        if prev.kind == "number" and re.fullmatch(r"\d{1,3}", prev.text) and re.fullmatch(r"\d{3}(\.\d*)?", tok.text):
            raise ExpressionError(f"'{prev.text} {tok.text}' has a space inside a number: write "
                                  f"{prev.text}{tok.text} (no thousands separator)", prev.pos)
        if prev.kind == "number":
            raise ExpressionError(f"two numbers in a row ('{prev.text} {tok.text}'): write one number, or put "
                                  "an operator (* + - /) between them", tok.pos)
        raise ExpressionError(f"a number after '{prev.text}': write the number before its unit (10 kWh), "
                              "or put an operator between them", tok.pos)

    def signed(self):
        negative, first = False, self.peek()
        while self.peek().kind == "op" and self.peek().text in ("-", "+"):
            self.deeper(self.peek())
            negative ^= self.take().text == "-"
        node = self.power()
        return ("neg", node, first.pos) if negative else node

    def power(self):
        base = self.atom()
        tok = self.peek()
        if tok.kind == "op" and tok.text == "**":
            self.take()
            self.deeper(tok)
            return ("op", "**", base, self.signed(), tok.pos)
        return base

    def atom(self):
        tok = self.take()
        if tok.kind == "number":
            return ("num", _number(tok), tok.pos)
        if tok.kind == "name":
            nxt = self.peek()
            if nxt.kind == "op" and nxt.text == "(" and (not nxt.space_before or tok.text in FUNCTIONS):
                return self.call(tok)
            self.names.add(tok.text)
            return ("name", tok.text, tok.pos)
        if tok.kind == "op" and tok.text == "%":
            self.names.add("percent")
            return ("name", "percent", tok.pos)
        if tok.kind == "op" and tok.text == "(":
            self.deeper(tok)
            node = self.sum()
            self.expect(")", tok)
            self.depth -= 1
            return node
        if tok.kind == "end":
            raise ExpressionError("the amount ends where a number, a unit or a parameter is expected"
                                  if self.i > 1 else "empty amount", tok.pos)
        raise ExpressionError(f"'{tok.text}' where a number, a unit or a parameter is expected", tok.pos)

    def call(self, name: Token):
        if name.text not in FUNCTIONS:
            close = difflib.get_close_matches(name.text, FUNCTIONS, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise ExpressionError(f"unknown function {name.text!r}{hint}; the functions are "
                                  f"{', '.join(FUNCTIONS)}; to multiply, write {name.text} * (...)", name.pos)
        opening = self.take()
        self.deeper(opening)
        args = [self.sum()]
        while self.peek().kind == "op" and self.peek().text == ",":
            self.take()
            args.append(self.sum())
        self.expect(")", opening)
        self.depth -= 1
        return ("call", name.text, tuple(args), name.pos)

    def expect(self, text: str, opening: Token) -> None:
        tok = self.peek()
        if tok.kind == "op" and tok.text == text:
            self.take()
            return
        if tok.kind == "end":
            raise ExpressionError(f"'(' at character {opening.pos + 1} is never closed: add ')'", opening.pos)
        if tok.text == ",":
            self.comma(tok)
        self.leftover(tok)

    def comma(self, tok: Token):
        prev, nxt = self.toks[self.i - 1], self.peek(1)
        if prev.kind == "number" and nxt.kind == "number" and not nxt.space_before:
            raise ExpressionError(f"'{prev.text},{nxt.text}' has a comma inside a number: write "
                                  f"{prev.text}.{nxt.text} (decimal point) or {prev.text}{nxt.text} "
                                  "(no thousands separator)", tok.pos)
        raise ExpressionError("a comma only separates the arguments of a function (max(a, b)); "
                              "give one amount per field", tok.pos)

    def leftover(self, tok: Token):
        if tok.text == ",":
            self.comma(tok)
        if tok.text == ")":
            raise ExpressionError("')' without a matching '('", tok.pos)
        raise ExpressionError(f"unexpected '{tok.text}'", tok.pos)


def _number(tok: Token) -> float:
    """A number literal as a float; one that overflows or underflows to zero is refused."""
    value = float(tok.text)
    shown = tok.text if len(tok.text) <= 24 else f"{tok.text[:12]}… ({len(tok.text)} characters)"
    if value == float("inf"):
        raise ExpressionError(f"{shown} is too large for a number (the largest is about 1.8e308); "
                              "check the exponent or the unit", tok.pos)
    if abs(value) < sys.float_info.min and re.search(r"[1-9]", tok.text.split("e")[0].split("E")[0]):
        raise ExpressionError(f"{shown} is too small to compute with (it would read as 0); "
                              "check the exponent, or choose a smaller unit", tok.pos)
    return value


def names_in(text: str) -> frozenset:
    """The NAMEs an amount text uses (empty when it is not an amount): a cheap scan before evaluation."""
    try:
        return parse(text).names
    except ExpressionError:
        return frozenset(m.group() for m in re.finditer(r"(?:°|[^\W\d])[\w°]*", text))


def evaluate(parsed: Parsed, variables: dict, quantity, unit_of) -> object:
    """The value of ``parsed`` as a pint quantity of class ``quantity``.

    ``variables`` maps parameter names to quantities (or plain numbers, arrays); ``unit_of(name)``
    gives the quantity ``1 unit`` of a unit name, or None when pint does not know it.
    """
    return _Evaluator(variables, quantity, unit_of).node(parsed.tree)


def _plain(value):
    array = np.asarray(value, dtype=float)
    return float(array) if array.ndim == 0 else array


def _show(q) -> str:
    if np.ndim(q.magnitude) == 0:
        return f"{q:~P}" if not q.dimensionless or str(q.units) != "dimensionless" else f"{q.magnitude:g}"
    return f"values in {q.units:~P}" if str(q.units) != "dimensionless" else "plain numbers"


class _Evaluator:
    def __init__(self, variables: dict, quantity, unit_of):
        self.variables, self.quantity, self.unit_of = variables, quantity, unit_of

    def node(self, n):
        kind = n[0]
        if kind == "num":
            return self.quantity(n[1])
        if kind == "name":
            return self.name(n[1], n[2])
        if kind == "neg":
            return -self.node(n[1])
        if kind == "call":
            return self.call(n[1], [self.node(a) for a in n[2]], n[3])
        return self.binary(n[1], self.node(n[2]), self.node(n[3]), n[4])

    def name(self, name: str, pos: int):
        if name in self.variables:
            value = self.variables[name]
            return value if isinstance(value, self.quantity) else self.quantity(value)
        if name in NOT_FINITE_NAMES:
            raise ExpressionError(f"'{name}' is not a finite number (give a real value)", pos)
        unit = self.unit_of(name)
        if unit is None:
            close = difflib.get_close_matches(name, list(self.variables), n=1)
            hint = f" (did you mean the parameter {close[0]}?)" if close else ""
            raise ExpressionError(f"unknown unit or parameter {name!r}{hint}", pos)
        return unit

    def binary(self, op: str, a, b, pos: int):
        import pint

        try:
            with np.errstate(all="ignore"):
                if op == "+":
                    result = a + b
                elif op == "-":
                    result = a - b
                elif op == "*":
                    result = a * b
                elif op == "/":
                    if np.any(np.asarray(b.magnitude) == 0):
                        raise ExpressionError("division by zero", pos)
                    result = a / b
                else:
                    return self.power(a, b, pos)
        except pint.DimensionalityError:
            verb = "add" if op == "+" else "subtract"
            raise ExpressionError(f"cannot {verb} {_show(a)} and {_show(b)}: they are of different kinds "
                                  f"({a.dimensionality} and {b.dimensionality})", pos) from None
        except OverflowError:
            raise ExpressionError("the result is too large to compute (overflow); check the exponents and units",
                                  pos) from None
        except pint.PintError as exc:
            raise ExpressionError(f"cannot compute this: {exc}", pos) from None
        self.check(result, pos, op in ("*", "/") and (a, b))
        return result

    def check(self, result, pos: int, operands=None) -> None:
        magnitude = np.asarray(result.magnitude, dtype=float)
        if not np.all(np.isfinite(magnitude)):
            if np.any(np.isnan(magnitude)):
                raise ExpressionError("the result is not a real number", pos)
            raise ExpressionError("the result is too large to compute (overflow); check the exponents and units",
                                  pos)
        if operands:
            a, b = (np.asarray(x.magnitude, dtype=float) for x in operands)
            if np.any((magnitude == 0) & (a != 0) & (b != 0)):
                raise ExpressionError("the result is too small to compute (it would read as 0); "
                                      "check the exponents and units", pos)

    def power(self, a, b, pos: int):
        if not b.dimensionless:
            raise ExpressionError(f"an exponent is a plain number, not {_show(b)}", pos)
        exponent = np.asarray(b.to("dimensionless").magnitude, dtype=float)
        if a.dimensionless:
            base = np.asarray(a.to("dimensionless").magnitude, dtype=float)
            with np.errstate(all="ignore"):
                value = np.power(base, exponent)
            if np.any(np.isnan(value)) and not np.any(np.isnan(base)):
                raise ExpressionError("a negative number to a fractional power is not a real number", pos)
            result = self.quantity(_plain(value))
            self.check(result, pos)
            if np.any((value == 0) & (base != 0)):
                raise ExpressionError("the result is too small to compute (it would read as 0)", pos)
            return result
        if exponent.ndim or abs(float(exponent)) > MAX_UNIT_POWER:
            raise ExpressionError(f"a quantity with a unit ({a.units:~P}) may only be raised to a fixed power "
                                  f"of at most {MAX_UNIT_POWER} (m**2, s**-1)", pos)
        with np.errstate(all="ignore"):
            try:
                result = a ** float(exponent)
            except OverflowError:
                raise ExpressionError("the result is too large to compute (overflow)", pos) from None
        self.check(result, pos)
        return result

    def call(self, name: str, args: list, pos: int):
        if name in ("min", "max"):
            return self.extreme(name, args, pos)
        if len(args) != 1:
            raise ExpressionError(f"{name}(...) takes one argument, got {len(args)}", pos)
        x = args[0]
        if name == "abs":
            return abs(x)
        if name == "sqrt":
            if np.any(np.asarray(x.magnitude) < 0):
                raise ExpressionError("sqrt of a negative value is not a real number", pos)
            result = x ** 0.5
            self.check(result, pos)
            return result
        if not x.dimensionless:
            raise ExpressionError(
                f"{name}(...) needs a plain number, got {_show(x)}: {name} of a quantity with a unit depends on "
                f"the unit; divide by the unit first, e.g. {name}(x / (1 {x.units:~P}))", pos)
        m = np.asarray(x.to("dimensionless").magnitude, dtype=float)
        with np.errstate(all="ignore"):
            if name == "exp":
                value = np.exp(m)
            elif name == "log":
                if np.any(m <= 0):
                    raise ExpressionError("log(...) needs a value above zero", pos)
                value = np.log(m)
            elif name == "floor":
                value = np.floor(m)
            elif name == "ceil":
                value = np.ceil(m)
            else:  # round: halves away from zero, as a spreadsheet's ROUND
                value = np.sign(m) * np.floor(np.abs(m) + 0.5)
        result = self.quantity(_plain(value))
        self.check(result, pos)
        return result

    def extreme(self, name: str, args: list, pos: int):
        if len(args) < 2:
            raise ExpressionError(f"{name}(...) compares two values or more, e.g. {name}(a, b)", pos)
        first = args[0]
        for other in args[1:]:
            if other.dimensionality != first.dimensionality:
                raise ExpressionError(f"{name}(...) compares values of one kind: {_show(first)} and {_show(other)} "
                                      f"({first.dimensionality} and {other.dimensionality})", pos)
        magnitudes = [np.asarray(a.to(first.units).magnitude, dtype=float) for a in args]
        reduce = np.minimum if name == "min" else np.maximum
        value = magnitudes[0]
        for m in magnitudes[1:]:
            value = reduce(value, m)
        return self.quantity(_plain(value), first.units)
