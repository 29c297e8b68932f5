"""Decoding JSON and YAML files from outside safely: one place every reader goes through.

Hostile files are refused here with `Refused` (the caller wraps it in its own error type,
naming the file): integers too long to convert, nesting too deep, YAML aliases (the
"billion laughs" expansion), duplicate keys, and NaN or infinite numbers. Each refusal
names the place in the file (line and column, or line for YAML).
"""

from __future__ import annotations

import json
import math
import re
from array import array
from itertools import accumulate
from typing import Any

MAX_DEPTH = 64  # nesting of objects and lists; real files nest fewer than ten levels
MAX_INT_DIGITS = 100  # digits of any one integer; real files use a handful


class Refused(ValueError):
    """A construct data files never contain; the message names the place in the file."""

    def __init__(self, problem: str, token: str = ""):
        super().__init__(problem)
        self.token = token  # a literal outside strings whose place the message lacks


def _line_col(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line} column {col}"


# Strings as whole tokens (so their contents are skipped), or a long run of digits outside one.
_LONG_NUMBER = re.compile(r'"(?:[^"\\]|\\.)*"|-?\d{' + str(MAX_INT_DIGITS + 1) + ",}")
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def json_depth_place(text: str, limit: int) -> str | None:
    """Return the place where nesting first exceeds limit, outside strings, or None."""
    if text.count("[") + text.count("{") <= limit:
        return None
    depth = 0
    for m in _TOKENS.finditer(text):
        c = m.group()
        if c in "[{":
            depth += 1
            if depth > limit:
                return _line_col(text, m.start())
        elif c in "]}":
            depth -= 1
    return None


def _long_number_place(text: str) -> str:
    for m in _LONG_NUMBER.finditer(text):
        if not m.group().startswith('"'):
            return _line_col(text, m.start())
    return "somewhere"  # not reached for text the JSON decoder read


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise _RepeatedKey(key)
            seen.add(key)
    return out


class _RepeatedKey(ValueError):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


# JSON's tokens that matter for places: strings, brackets, colons and commas.
_STRUCTURE = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}:,]')


def _path_text(path: list[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "(top level)"


def _repeated_key_place(text: str) -> str | None:
    """Return 'line L column C (at PATH)' of the first key repeated in one object, or None.

    Only run once the decoder has found a repeat, so its cost is on the refusal path only.
    """
    # One frame per open object or list: [keys seen or None for a list, index, pending key].
    stack: list[list[Any]] = []
    path: list[str | int] = []
    for m in _STRUCTURE.finditer(text):
        tok = m.group()
        top = stack[-1] if stack else None
        if tok in "[{":
            if top is not None and top[2] is not None:
                path.append(top[2])
            elif top is not None and top[0] is None:
                path.append(top[1])
            stack.append([set() if tok == "{" else None, 0, None])
        elif tok in "]}":
            stack.pop()
            if stack and path:
                path.pop()
            if stack:
                stack[-1][2] = None
        elif tok == ",":
            if top is not None:
                top[1] += 1
                top[2] = None
        elif tok == ":":
            continue
        elif top is not None and top[0] is not None and top[2] is None:
            key = json.loads(tok)
            if key in top[0]:
                return f"{_line_col(text, m.start())} (at {_path_text([*path, key])})"
            top[0].add(key)
            top[2] = key
    return None


class _LongInt(ValueError):
    pass


def _int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise _LongInt
    return int(digits)


def _float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise Refused(f"the number {literal[:40]} is too large (it would be infinite)", literal)
    return value


def _constant(name: str) -> Any:
    raise Refused(f"{name} is not a number JSON allows", name)


_BRACKETS_AND_QUOTES = bytes(c for c in range(256) if c not in b'[]{}"')
_SIGNED_BRACKETS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")


def bracket_depth(raw: bytes) -> int:
    """Return the deepest nesting of brackets outside strings in valid JSON (an upper bound).

    C-speed steps only: drop escaped backslashes, then escaped quotes, so every quote left
    opens or closes a string; keep brackets and quotes; drop what lies between quote pairs.
    """
    if b"\\" in raw:  # a one-byte search; most files have no escapes at all
        raw = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    text = raw.translate(None, _BRACKETS_AND_QUOTES)
    brackets = b"".join(text.split(b'"')[::2]).translate(_SIGNED_BRACKETS)
    return max(accumulate(array("b", brackets)), default=0)


def load_json(text: str, max_depth: int = MAX_DEPTH, raw: bytes | None = None) -> Any:
    """Decode JSON text; Refused (place named) for hostile constructs, JSONDecodeError as usual.

    raw, the text's UTF-8 bytes if the caller has them, speeds up the nesting check.
    """
    shallow = bracket_depth(raw if raw is not None else text.encode("utf-8", "surrogatepass"))
    place = None if shallow <= max_depth else json_depth_place(text, max_depth)
    if place is not None:
        raise Refused(f"{place}: nested more than {max_depth} levels deep")
    try:
        return json.loads(
            text,
            object_pairs_hook=_pairs,
            parse_constant=_constant,
            parse_int=_int,
            parse_float=_float,
        )
    except _LongInt:
        raise Refused(
            f"{_long_number_place(text)}: an integer longer than {MAX_INT_DIGITS} digits"
        ) from None
    except _RepeatedKey as exc:
        place = _repeated_key_place(text) or "somewhere"
        raise Refused(f"{place}: the key {exc.key!r} appears twice in one object") from None
    except Refused as exc:
        # A bad number is found by searching for it.
        raise Refused(_placed(text, str(exc), exc.token)) from None
    except RecursionError:  # pragma: no cover - the depth scan above refuses these first
        raise Refused(f"nested more than {max_depth} levels deep") from None


def _placed(text: str, problem: str, token: str) -> str:
    if token:
        for t in re.finditer(r'"(?:[^"\\]|\\.)*"|' + re.escape(token), text):
            if not t.group().startswith('"'):
                return f"{_line_col(text, t.start())}: {problem}"
    return problem


def _yaml_place(mark: Any) -> str:
    if mark is None:
        return "somewhere"
    return f"line {mark.line + 1} column {mark.column + 1}"


def load_yaml(text: str, max_depth: int = MAX_DEPTH) -> Any:
    """Decode YAML text safely: no aliases, no duplicate keys, bounded depth and integers.

    The event stream is checked first (iteratively, by the C parser where available), so a
    hostile file is refused before any object is built.
    """
    import yaml

    base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    depth = 0
    for event in yaml.parse(text, Loader=base):
        mark = event.start_mark
        line = _yaml_place(mark)
        if isinstance(event, yaml.AliasEvent):
            raise Refused(
                f"{line}: uses the YAML alias *{event.anchor}; "
                "framework files write every value out in full"
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > max_depth:
                raise Refused(f"{line}: nested more than {max_depth} levels deep")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1

    class _Loader(base):
        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen: set[Any] = set()
            for key_node, _value in node.value:
                key = self.construct_object(key_node, deep=True)
                try:
                    repeated = key in seen
                    seen.add(key)
                except TypeError:
                    continue  # unhashable keys are refused by the constructor itself
                if repeated:
                    raise Refused(
                        f"{_yaml_place(key_node.start_mark)}: the key {key!r} appears twice "
                        "in one mapping"
                    )
            return super().construct_mapping(node, deep=deep)

        def construct_yaml_int(self, node: Any) -> Any:
            value = str(node.value)
            if sum(c.isdigit() for c in value) > MAX_INT_DIGITS:
                raise Refused(
                    f"{_yaml_place(node.start_mark)}: an integer longer than "
                    f"{MAX_INT_DIGITS} digits"
                )
            return super().construct_yaml_int(node)

        def construct_yaml_float(self, node: Any) -> Any:
            value = super().construct_yaml_float(node)
            if not math.isfinite(value):
                raise Refused(
                    f"{_yaml_place(node.start_mark)}: {node.value!r} is not a finite number"
                )
            return value

    _Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
    _Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_yaml_float)
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader


def dump_yaml(data: Any) -> str:
    """Return data as YAML that load_yaml reads back: values written out in full, no aliases."""
    import yaml

    class _Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True

    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
