"""Reading exchange files: size, type, JSON, schema, checksum and id checks, each with its path."""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections import OrderedDict
from pathlib import Path
from types import MappingProxyType
from typing import Any

from pydantic import ValidationError

from matrix_desktop.core.datafile import Refused, bracket_depth, json_depth_place, load_json
from matrix_desktop.core.errors import FrameworkFileError
from matrix_desktop.core.framework import EntityKind, Framework
from matrix_desktop.core.framework_file import describe_validation_error, parse_framework
from matrix_desktop.core.model import Entity, Round, System
from matrix_desktop.core.names import name_key
from matrix_desktop.core.rules import bad_character
from matrix_desktop.exchange.codec import (
    Bundle,
    ExchangeError,
    _record_from_doc,
    canonical_json,
    content_body,
    content_checksum,
    digest_of,
    feedback_from_doc,
    pairing_from_doc,
)
from matrix_desktop.exchange.schema import (
    FORMAT_NAME,
    FORMAT_VERSION,
    MAX_FILE_BYTES,
    ExchangeDoc,
)

MAX_STRING = 200_000  # characters in any one string (the longest field, evidence, allows this)
MAX_LIST = 100_000  # items in any one list


def _bad_text(text: str, path: str) -> str | None:
    where = path or "(top level)"
    if len(text) > MAX_STRING:
        return f"{where}: is {len(text):,} characters; the limit is {MAX_STRING:,}"
    problem = bad_character(text)
    return f"{where}: {problem}" if problem else None


def _bad_value(value: Any, path: str) -> str | None:
    """Return the first string (value or key) or list breaking the generic limits, by path.

    These hold for every part of a file, framework specs included, before the schema's own
    per-field limits are checked.
    """
    if isinstance(value, str):
        return _bad_text(value, path)
    if isinstance(value, dict):
        for k, v in value.items():
            inner = f"{path}.{k}" if path else str(k)
            found = _bad_text(k, inner) or _bad_value(v, inner)
            if found:
                return found
    elif isinstance(value, list):
        if len(value) > MAX_LIST:
            return f"{path}: has {len(value):,} items; the limit is {MAX_LIST:,}"
        for i, v in enumerate(value):
            found = _bad_value(v, f"{path}[{i}]")
            if found:
                return found
    return None


MAX_DEPTH = 20


def _depth(value: Any, limit: int = MAX_DEPTH, level: int = 0) -> int:
    if level > limit:
        return level
    if isinstance(value, dict):
        return max((_depth(v, limit, level + 1) for v in value.values()), default=level)
    if isinstance(value, list):
        return max((_depth(v, limit, level + 1) for v in value), default=level)
    return level


# Quick scans of the raw text that prove the generic checks above cannot fail, so the
# Python-level walks over every value run only when they might find something:
# - a decoded string holds a character core.rules.bad_character refuses only if the text has
#   an escape for one or holds DEL, NEL, U+2028 or U+2029 raw (strict JSON refuses the C0
#   controls raw; UTF-8 cannot encode surrogates);
# - a string over MAX_STRING characters or a list over MAX_LIST items needs more bytes than
#   a file of at most _SMALL_FILE bytes has;
# - nesting (counting brackets outside strings) bounds _depth from above.
_SUSPECT_ESCAPE = re.compile(
    rb"\\(?:[bfr]|u00[01][0-9a-fA-F]|u007[fF]|u0085|u202[89]|u[dD][89a-fA-F][0-9a-fA-F]{2})"
    rb"|\x7f|\xc2\x85|\xe2\x80[\xa8\xa9]"
)
_SMALL_FILE = min(MAX_STRING, 2 * MAX_LIST)


class _KnownSpecs:
    """Framework specs already checked and parsed, by their exact canonical JSON.

    A thousand files from one programme carry the same framework; finding a spec's
    canonical JSON (serialised at C speed) among known ones lets each file skip scanning,
    validating and parsing it again. Keyed on the exact text, not on Python equality, which
    takes 1, 1.0 and true for the same value: a spec changed only in such ways is another
    spec, checked in full and checksummed as written.
    """

    def __init__(self, limit: int = 64):
        self.limit = limit
        self.by_text: dict[str, Framework] = {}

    @staticmethod
    def text(spec: Any) -> str | None:
        """Return the spec's canonical JSON (no newline), or None when it has none."""
        if not isinstance(spec, dict):
            return None
        try:
            return canonical_json(spec).decode("utf-8")[:-1]
        except (TypeError, ValueError):  # lone surrogates cannot be written as UTF-8
            return None

    def find(self, spec: Any) -> tuple[str, Framework] | None:
        text = self.text(spec)
        fw = self.by_text.get(text) if text is not None else None
        return (text, fw) if text is not None and fw is not None else None

    def add(self, spec: dict[str, Any], fw: Framework) -> None:
        text = self.text(spec)
        if text is None:
            return
        if len(self.by_text) >= self.limit:
            self.by_text.clear()
        self.by_text[text] = fw

    def clear(self) -> None:
        self.by_text.clear()


_KNOWN = _KnownSpecs()


def _framework(spec: Any, where: str) -> Framework:
    """Return the framework in a spec (parsed once per distinct spec)."""
    found = _KNOWN.find(spec)
    if found is not None:
        return found[1]
    try:
        fw = parse_framework(spec, where)
    except (ValueError, KeyError, TypeError) as exc:  # a spec pydantic let through
        raise FrameworkFileError(where, str(exc)) from None
    _KNOWN.add(spec, fw)
    return fw


def _checksum(data: dict[str, Any], known: dict[int, str]) -> str:
    """Return content_checksum(data), reusing the canonical JSON of known framework specs."""
    if not known:
        return content_checksum(data)
    parts = []
    for key in sorted(k for k in data if k not in ("checksum", "exported_at")):
        value = data[key]
        if key == "frameworks":
            text = (
                "["
                + ",".join(
                    known[i] if i in known else canonical_json(v).decode("utf-8")[:-1]
                    for i, v in enumerate(value)
                )
                + "]"
            )
        else:
            text = canonical_json(value).decode("utf-8")[:-1]
        parts.append(canonical_json(key).decode("utf-8")[:-1] + ":" + text)
    body = ("{" + ",".join(parts) + "}\n").encode("utf-8")
    return "sha256:" + hashlib.sha256(body).hexdigest()


class _Accepted:
    """Bundles of files already read and accepted, by the SHA-256 of their exact bytes.

    Reading is a pure function of the bytes, so identical bytes give the identical (frozen)
    bundle: a repeated import of unchanged files skips parsing and checking them again, at
    the cost of hashing the bytes. Only accepted files are remembered; the database side of
    an import (what it holds now) is always checked afresh. Bounded by the files' total size
    (a bundle takes about three quarters of its file's size in memory), oldest use first out.
    """

    def __init__(self, max_bytes: int = 64 * 1024 * 1024, max_files: int = 5000):
        self.max_bytes = max_bytes
        self.max_files = max_files
        self.size = 0
        self.items: OrderedDict[bytes, tuple[Bundle, int]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: bytes) -> Bundle | None:
        with self.lock:
            hit = self.items.get(key)
            if hit is None:
                return None
            self.items.move_to_end(key)
            return hit[0]

    def put(self, key: bytes, bundle: Bundle, size: int) -> None:
        if size > self.max_bytes:
            return
        with self.lock:
            if key in self.items:
                return
            self.items[key] = (bundle, size)
            self.size += size
            while self.size > self.max_bytes or len(self.items) > self.max_files:
                _old, (_bundle, old_size) = self.items.popitem(last=False)
                self.size -= old_size

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
            self.size = 0


_ACCEPTED = _Accepted()


def forget_accepted_files() -> None:
    """Forget the files and frameworks already read (the next read checks them in full)."""
    _ACCEPTED.clear()
    _KNOWN.clear()


def parse_document(raw: bytes, source: str = "<file>") -> Bundle:
    """Return the bundle in an exchange file's bytes; ExchangeError says what and where.

    Bytes identical to a file accepted before (same SHA-256) give that file's bundle again.
    """
    key = hashlib.sha256(raw).digest()
    hit = _ACCEPTED.get(key)
    if hit is not None:
        return hit
    bundle = _parse_document(raw, source)
    _ACCEPTED.put(key, bundle, len(raw))
    return bundle


def _parse_document(raw: bytes, source: str) -> Bundle:
    """Check and convert an exchange file's bytes (the work parse_document remembers)."""

    def fail(problem: str) -> ExchangeError:
        return ExchangeError(f"{source}: {problem}")

    if len(raw) > MAX_FILE_BYTES:
        raise fail(f"is {len(raw) / 1e6:.0f} MB; exchange files are limited to 50 MB")
    if raw[:4] == b"PK\x03\x04":
        raise fail("is a ZIP archive, not an exchange file (JSON)")
    if raw[:5] == b"%PDF-":
        raise fail("is a PDF document, not an exchange file (JSON)")
    if not raw.strip():
        raise fail("is empty, not an exchange file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise fail(f"is not UTF-8 text (byte {exc.start})") from None
    try:
        data = load_json(text, raw=raw)
    except json.JSONDecodeError as exc:
        raise fail(
            f"is not valid JSON (truncated or damaged?): line {exc.lineno} column {exc.colno}: "
            f"{exc.msg}"
        ) from None
    except Refused as exc:
        raise fail(f"is not valid exchange JSON: {exc}") from None
    if not isinstance(data, dict):
        raise fail("is not an exchange file (the top level must be an object)")
    specs = data.get("frameworks")
    known: dict[int, str] = {}
    if isinstance(specs, list):
        for i, spec in enumerate(specs):
            hit = _KNOWN.find(spec)
            if hit is not None:
                known[i] = hit[0]
    # Known specs were checked when first seen; everything else is walked here.
    rest = {k: v for k, v in data.items() if k != "frameworks"} if known else data
    if known:
        rest["frameworks"] = [{} if i in known else v for i, v in enumerate(specs)]  # type: ignore[arg-type]
    if bracket_depth(raw) > MAX_DEPTH and _depth(rest) > MAX_DEPTH:
        place = json_depth_place(text, MAX_DEPTH) or "somewhere"
        raise fail(f"{place}: is nested too deeply (more than {MAX_DEPTH} levels)")
    if len(raw) > _SMALL_FILE or _SUSPECT_ESCAPE.search(raw):
        control = _bad_value(rest, "")
        if control:
            raise fail(control)
    if data.get("format") != FORMAT_NAME:
        raise fail("is not a matrix-desktop exchange file (no 'format' of that name)")
    version = data.get("format_version")
    if type(version) is int and version > FORMAT_VERSION:
        raise fail(
            f"uses exchange format version {version}; this version of matrix-desktop reads "
            f"version {FORMAT_VERSION}. Update matrix-desktop to import it."
        )
    if type(version) is not int or version != FORMAT_VERSION:
        raise fail(f"format_version: must be {FORMAT_VERSION}, not {version!r}")
    try:
        doc = ExchangeDoc.model_validate(rest)
    except ValidationError as exc:
        raise fail(describe_validation_error(exc).replace("\n", "\n  ")) from None
    if _checksum(data, known) != doc.checksum:
        raise fail("checksum: does not match the content; the file was changed or damaged")
    frameworks = []
    for i, spec in enumerate(data["frameworks"] if known else doc.frameworks):
        try:
            frameworks.append(_framework(spec, f"frameworks[{i}]"))
        except FrameworkFileError as exc:
            raise fail(str(exc).replace("\n", "\n  ")) from None
    _check_ids(doc, frameworks, fail)
    _check_pairings(doc, fail)
    _check_feedback(doc, frameworks, fail)
    records = tuple(_record_from_doc(a) for a in doc.assessments)
    hashes = {}
    bodies = {}
    for i, (rec, a) in enumerate(zip(records, doc.assessments, strict=True)):
        bodies[a.id] = content_body(rec)
        hashes[a.id] = digest_of(bodies[a.id])
        if a.content_hash is not None and a.content_hash != hashes[a.id]:
            raise fail(f"assessments[{i}].content_hash: does not match the assessment's content")
    return Bundle(
        frameworks=tuple(frameworks),
        systems=tuple(System(s.id, s.name, s.short_name) for s in doc.systems),
        entities=tuple(
            Entity(e.id, e.system_id, e.name, EntityKind(e.kind), tuple(e.members))
            for e in doc.entities
        ),
        rounds=tuple(Round(r.id, r.name, r.sequence) for r in doc.rounds),
        records=records,
        pairings=tuple(pairing_from_doc(p) for p in doc.pairings),
        note=doc.note,
        ancestry=MappingProxyType(
            {a.id: tuple(sorted(set(a.shared_hashes))) for a in doc.assessments}
        ),
        hashes=MappingProxyType(hashes),
        bodies=MappingProxyType(bodies),
        feedback=tuple(feedback_from_doc(f) for f in doc.feedback),
    )


def _first_repeat(values: list[Any]) -> int | None:
    seen: set[Any] = set()
    for i, v in enumerate(values):
        if v in seen:
            return i
        seen.add(v)
    return None


def _check_pairings(doc: ExchangeDoc, fail: Any) -> None:
    """Refuse a pairing naming an entity or round the file does not carry, or twice one id."""
    entities = {e.id for e in doc.entities}
    rounds = {r.id for r in doc.rounds}
    seen: set[str] = set()
    for i, p in enumerate(doc.pairings):
        where = f"pairings[{i}]"
        if p.id in seen:
            raise fail(f"{where}.id: duplicate id")
        seen.add(p.id)
        for name in ("offering_entity_id", "receiving_entity_id"):
            if getattr(p, name) not in entities:
                raise fail(f"{where}.{name}: entity {getattr(p, name)} is not in the file")
        if p.offering_entity_id == p.receiving_entity_id:
            raise fail(f"{where}.receiving_entity_id: the same entity as the offering one")
        if p.round_id not in rounds:
            raise fail(f"{where}.round_id: round {p.round_id} is not in the file")


def _check_ids(doc: ExchangeDoc, frameworks: list[Framework], fail: Any) -> None:
    """Refuse repeats that would make the import ambiguous or break a uniqueness rule."""
    checks: list[tuple[str, list[Any], str]] = [
        (
            "frameworks[{}]",
            [(f.key, f.version) for f in frameworks],
            "the same framework version appears twice",
        ),
        ("systems[{}].id", [s.id for s in doc.systems], "duplicate id"),
        (
            "systems[{}].name",
            [name_key(s.name) for s in doc.systems],
            "two systems share this name",
        ),
        ("entities[{}].id", [e.id for e in doc.entities], "duplicate id"),
        (
            "entities[{}].name",
            [(e.system_id, name_key(e.name)) for e in doc.entities],
            "two entities of one system share this name",
        ),
        ("rounds[{}].id", [r.id for r in doc.rounds], "duplicate id"),
        ("rounds[{}].name", [name_key(r.name) for r in doc.rounds], "two rounds share this name"),
        ("assessments[{}].id", [a.id for a in doc.assessments], "duplicate id"),
    ]
    for i, a in enumerate(doc.assessments):
        where = f"assessments[{i}]"
        checks += [
            (
                where + ".ratings[{}].domain",
                [r.domain for r in a.ratings],
                "this domain is rated twice",
            ),
            (
                where + ".participants[{}].id",
                [p.id for p in a.participants],
                "duplicate participant id",
            ),
            (
                where + ".votes[{}]",
                [(v.participant_id, v.domain) for v in a.votes],
                "this participant voted twice on this domain",
            ),
            (
                where + ".ratings[].actions[{}].id",
                [x.id for r in a.ratings for x in r.actions],
                "duplicate action id",
            ),
        ]
        people = {p.id for p in a.participants}
        for j, v in enumerate(a.votes):
            if v.participant_id not in people:
                raise fail(
                    f"{where}.votes[{j}].participant_id: not a participant of this assessment"
                )
        if a.reviews_id == a.id:
            raise fail(f"{where}.reviews_id: an assessment cannot review itself")
        if a.kind == "self_assessment" and a.reviews_id is not None:
            raise fail(f"{where}.reviews_id: only a peer review reviews another assessment")
    for template, values, problem in checks:
        at = _first_repeat(values)
        if at is not None:
            raise fail(f"{template.format(at)}: {problem}")


def _check_feedback(doc: ExchangeDoc, frameworks: list[Framework], fail: Any) -> None:
    """Refuse feedback on the matrix that does not fit the assessment it was recorded in."""
    by_ref = {(f.key, f.version): f for f in frameworks}
    assessments = {a.id: a for a in doc.assessments}
    seen: set[str] = set()
    for i, f in enumerate(doc.feedback):
        where = f"feedback[{i}]"
        if f.id in seen:
            raise fail(f"{where}.id: duplicate id")
        seen.add(f.id)
        a = assessments.get(f.assessment_id)
        if a is None:
            raise fail(f"{where}.assessment_id: not an assessment in this file")
        fw = by_ref.get((a.framework.key, a.framework.version))
        if fw is None:
            continue  # the assessment's own check names the missing framework
        if not fw.has_domain(f.domain):
            raise fail(f"{where}.domain: {f.domain!r} is not a domain of {fw.title}")
        if f.statement is not None and f.statement not in {
            s.id for s in fw.domain(f.domain).statements
        }:
            raise fail(
                f"{where}.statement: {f.statement!r} is not a statement of domain {f.domain} "
                f"in {fw.title}"
            )
        if not f.text.strip():
            raise fail(f"{where}.text: is blank; feedback says what needs clarity or why")
        if f.kind == "rewording" and not f.wording.strip():
            raise fail(f"{where}.wording: a suggested rewording needs the suggested wording")


def read_file(path: Path) -> Bundle:
    """Return the bundle in an exchange file on disk."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ExchangeError(f"{path}: cannot be read ({exc.strerror})") from None
    if path.is_dir():
        raise ExchangeError(f"{path}: is a folder, not an exchange file")
    if size > MAX_FILE_BYTES:
        raise ExchangeError(
            f"{path}: is {size / 1e6:,.0f} MB; exchange files are limited to "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MB"
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ExchangeError(f"{path}: cannot be read ({exc.strerror})") from None
    return parse_document(raw, str(path))
