"""The SCIM filter language (RFC 7644 §3.4.2.2) and PATCH paths (§3.5.2): parsing into a small syntax tree.

Precedence is `not` > `and` > `or`, parentheses group, and `attr[filter]` selects values of a multi-valued
attribute. Operators and keywords are case-insensitive; attribute names are resolved case-insensitively later,
against the resource's schemas (see `evaluate`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from samla_identity.scim.errors import ScimError, invalid_filter, invalid_path

COMPARE_OPS = ("eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le")
MAX_FILTER_LENGTH = 4096
MAX_DEPTH = 32
Value = str | int | float | bool | None

_TOKEN = re.compile(r"""\s*(?:
    (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<punct>[()\[\]])
  | (?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(?![\w:.$])
  | (?P<word>[A-Za-z_$][\w:.$\-]*)
)""", re.VERBOSE)
_NAME = re.compile(r"[A-Za-z$][\w$\-]*")


@dataclass(frozen=True)
class AttrPath:
    urn: str | None
    attr: str
    sub: str | None = None

    def __str__(self) -> str:
        text = f"{self.urn}:{self.attr}" if self.urn else self.attr
        return f"{text}.{self.sub}" if self.sub else text


@dataclass(frozen=True)
class Compare:
    path: AttrPath
    op: str
    value: Value


@dataclass(frozen=True)
class Present:
    path: AttrPath


@dataclass(frozen=True)
class And:
    left: Filter
    right: Filter


@dataclass(frozen=True)
class Or:
    left: Filter
    right: Filter


@dataclass(frozen=True)
class Not:
    inner: Filter


@dataclass(frozen=True)
class ValuePath:
    path: AttrPath
    inner: Filter


Filter = Compare | Present | And | Or | Not | ValuePath


@dataclass(frozen=True)
class PatchPath:
    """`attr`, `attr.sub`, `attr[filter]` or `attr[filter].sub`, optionally URN-qualified."""

    path: AttrPath
    filter: Filter | None = None
    sub: str | None = None


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    pos: int


def parse_attr_path(text: str) -> AttrPath:
    """`[urn:]attr[.sub]`; raises invalidPath (or invalidFilter from the filter parser)."""
    urn, _, rest = text.rpartition(":")
    parts = rest.split(".")
    if len(parts) > 2 or not all(_NAME.fullmatch(p) for p in parts):
        raise invalid_path(f"{text!r} is not an attribute path (attr, attr.subAttr or urn:...:attr).")
    return AttrPath(urn or None, parts[0], parts[1] if len(parts) == 2 else None)


def parse_filter(text: str) -> Filter:
    """Parses a filter expression; raises a 400 invalidFilter error that says what and where."""
    if len(text) > MAX_FILTER_LENGTH:
        raise invalid_filter(f"The filter is longer than {MAX_FILTER_LENGTH} characters.")
    parser = _Parser(_tokenize(text))
    if not parser.tokens:
        raise invalid_filter("The filter is empty.")
    result = parser.or_()
    if parser.i < len(parser.tokens):
        tok = parser.tokens[parser.i]
        raise invalid_filter(f"Unexpected {tok.text!r} at position {tok.pos}; join expressions with and/or.")
    return result


def parse_patch_path(text: str) -> PatchPath:
    match = re.fullmatch(r"\s*([^\[\]\s]+)(?:\[(.*)\](?:\.([A-Za-z$][\w$\-]*))?)?\s*", text, re.DOTALL)
    if match is None:
        raise invalid_path(f"{text!r} is not a PATCH path such as emails[type eq \"work\"].value.")
    path = _attr_path(match[1])
    if match[2] is None:
        return PatchPath(path)
    if path.sub:
        raise invalid_path(f"{text!r}: a value filter follows a multi-valued attribute, not a sub-attribute.")
    return PatchPath(path, parse_filter(match[2]), match[3])


def render(f: Filter) -> str:
    """Filter text that parses back to `f`."""
    if isinstance(f, Compare):
        return f"{f.path} {f.op} {json.dumps(f.value)}"
    if isinstance(f, Present):
        return f"{f.path} pr"
    if isinstance(f, And):
        return f"({render(f.left)} and {render(f.right)})"
    if isinstance(f, Or):
        return f"({render(f.left)} or {render(f.right)})"
    if isinstance(f, Not):
        return f"not ({render(f.inner)})"
    return f"{f.path}[{render(f.inner)}]"


def _attr_path(text: str) -> AttrPath:
    try:
        return parse_attr_path(text)
    except ScimError as exc:
        raise invalid_path(exc.detail) from exc


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if match is None or match.lastgroup is None:
            at = len(text) - len(text[pos:].lstrip())
            raise invalid_filter(f"Unexpected character {text[at]!r} at position {at} of the filter.")
        kind = match.lastgroup
        tokens.append(_Token(kind, match[kind], match.start(kind)))
        pos = match.end()
    return tokens


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    def _peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def _next(self, expected: str) -> _Token:
        tok = self._peek()
        if tok is None:
            raise invalid_filter(f"The filter ends where {expected} was expected.")
        self.i += 1
        return tok

    def _keyword(self, word: str) -> bool:
        tok = self._peek()
        if tok is not None and tok.kind == "word" and tok.text.lower() == word:
            self.i += 1
            return True
        return False

    def _punct(self, char: str) -> bool:
        tok = self._peek()
        if tok is not None and tok.kind == "punct" and tok.text == char:
            self.i += 1
            return True
        return False

    def or_(self) -> Filter:
        left = self._and()
        while self._keyword("or"):
            left = Or(left, self._and())
        return left

    def _and(self) -> Filter:
        left = self._unary()
        while self._keyword("and"):
            left = And(left, self._unary())
        return left

    def _unary(self) -> Filter:
        if self._keyword("not"):
            if not self._punct("("):
                raise invalid_filter("'not' must be followed by a parenthesised filter: not (...).")
            return Not(self._group(")"))
        if self._punct("("):
            return self._group(")")
        return self._atom()

    def _group(self, close: str) -> Filter:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise invalid_filter(f"The filter nests deeper than {MAX_DEPTH} levels.")
        inner = self.or_()
        tok = self._next(f"{close!r}")
        if tok.kind != "punct" or tok.text != close:
            raise invalid_filter(f"Expected {close!r} at position {tok.pos}, found {tok.text!r}.")
        self.depth -= 1
        return inner

    def _atom(self) -> Filter:
        tok = self._next("an attribute")
        if tok.kind != "word" or tok.text.lower() in ("and", "or", "not"):
            raise invalid_filter(f"Expected an attribute at position {tok.pos}, found {tok.text!r}.")
        try:
            path = parse_attr_path(tok.text)
        except ScimError as exc:
            raise invalid_filter(exc.detail) from exc
        if self._punct("["):
            if path.sub:
                raise invalid_filter(f"{tok.text}[...]: a value filter follows a multi-valued attribute.")
            return ValuePath(path, self._group("]"))
        op_tok = self._next(f"an operator after {tok.text}")
        op = op_tok.text.lower()
        if op == "pr":
            return Present(path)
        if op_tok.kind != "word" or op not in COMPARE_OPS:
            raise invalid_filter(f"Unknown operator {op_tok.text!r} at position {op_tok.pos}; "
                                 f"use one of {', '.join(COMPARE_OPS)} or pr.")
        return Compare(path, op, self._value(op))

    def _value(self, op: str) -> Value:
        tok = self._next(f"a value after {op}")
        if tok.kind == "string":
            try:
                text: str = json.loads(tok.text)
            except json.JSONDecodeError as exc:
                raise invalid_filter(f"Bad escape in the string at position {tok.pos}.") from exc
            return text
        if tok.kind == "number":
            return float(tok.text) if any(c in tok.text for c in ".eE") else int(tok.text)
        words: dict[str, Value] = {"true": True, "false": False, "null": None}
        if tok.kind == "word" and tok.text.lower() in words:
            return words[tok.text.lower()]
        raise invalid_filter(f"Expected a value (\"string\", number, true, false or null) at position {tok.pos}, "
                             f"found {tok.text!r}; quote strings with double quotes.")
