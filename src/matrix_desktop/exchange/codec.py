"""Turning assessments into an exchange document and back; canonical JSON and its checksum."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from matrix_desktop.core.errors import FrameworkFileError, MatrixError
from matrix_desktop.core.framework import Framework
from matrix_desktop.core.framework_file import (
    describe_validation_error,
    parse_framework,
    spec_from_framework,
)
from matrix_desktop.core.model import (
    Action,
    Assessment,
    AssessmentKind,
    AssessmentRecord,
    Confidence,
    Direction,
    Entity,
    Participant,
    Rating,
    ReviewPosition,
    Round,
    Status,
    System,
    ThemeItem,
    Vote,
    utcnow,
)
from matrix_desktop.exchange.schema import (
    FORMAT_NAME,
    FORMAT_VERSION,
    MAX_FILE_BYTES,
    ExchangeDoc,
)


class ExchangeError(MatrixError):
    """An exchange file cannot be read; the message names the file, the place and the problem."""


@dataclass(frozen=True)
class Bundle:
    """The contents of one exchange file as core values."""

    frameworks: tuple[Framework, ...]
    systems: tuple[System, ...]
    entities: tuple[Entity, ...]
    rounds: tuple[Round, ...]
    records: tuple[AssessmentRecord, ...]
    note: str = ""


def canonical_json(data: Any) -> bytes:
    """Return canonical JSON bytes: sorted keys, no spaces, UTF-8, one trailing newline."""
    return (
        json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"
    ).encode("utf-8")


def content_checksum(doc: dict[str, Any]) -> str:
    """Return 'sha256:<hex>' over the canonical JSON of everything but the checksum itself."""
    body = {k: v for k, v in doc.items() if k not in ("checksum", "exported_at")}
    return "sha256:" + hashlib.sha256(canonical_json(body)).hexdigest()


def _rating_doc(r: Rating) -> dict[str, Any]:
    return {
        "domain": r.domain_key,
        "stage": r.stage,
        "confidence": r.confidence.value if r.confidence else None,
        "direction": r.direction.value if r.direction else None,
        "evidence": r.evidence,
        "rationale": r.rationale,
        "statements_met": list(r.statements_met),
        "enablers": [{"text": t.text, "tags": list(t.tags)} for t in r.enablers],
        "support_requests": [{"text": t.text, "tags": list(t.tags)} for t in r.support_requests],
        "actions": [{"id": a.id, "what": a.what, "owner": a.owner, "due": a.due} for a in r.actions],
        "review_position": r.review_position.value if r.review_position else None,
        "review_comment": r.review_comment,
        "review_suggestions": r.review_suggestions,
        "carried_forward": r.carried_forward,
    }


def _assessment_doc(rec: AssessmentRecord) -> dict[str, Any]:
    a = rec.assessment
    return {
        "id": a.id,
        "entity_id": a.entity_id,
        "round_id": a.round_id,
        "framework": {"key": a.framework_key, "version": a.framework_version},
        "kind": a.kind.value,
        "status": a.status.value,
        "reviews_id": a.reviews_id,
        "title": a.title,
        "assessed_on": a.assessed_on,
        "facilitator": a.facilitator,
        "reviewer_name": a.reviewer_name,
        "reviewer_organisation": a.reviewer_organisation,
        "strengths": a.strengths,
        "areas_to_develop": a.areas_to_develop,
        "recommendations": a.recommendations,
        "participants": [
            {"id": p.id, "name": p.name, "organisation": p.organisation} for p in a.participants
        ],
        "created_at": a.created_at,
        "modified_at": a.modified_at,
        "revision": a.revision,
        "ratings": [_rating_doc(r) for r in sorted(rec.ratings, key=lambda r: r.domain_key)],
        "votes": [
            {"participant_id": v.participant_id, "domain": v.domain_key, "stage": v.stage}
            for v in sorted(rec.votes, key=lambda v: (v.domain_key, v.participant_id))
            if v.stage is not None
        ],
    }


def build_document(bundle: Bundle, exported_at: str | None = None) -> dict[str, Any]:
    """Return the exchange document (a dict) for a bundle, with its checksum."""
    doc: dict[str, Any] = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "exported_at": exported_at or utcnow(),
        "note": bundle.note,
        "frameworks": [
            spec_from_framework(f) for f in sorted(bundle.frameworks, key=lambda f: (f.key, f.version))
        ],
        "systems": [
            {"id": s.id, "name": s.name, "short_name": s.short_name}
            for s in sorted(bundle.systems, key=lambda s: s.id)
        ],
        "entities": [
            {
                "id": e.id,
                "system_id": e.system_id,
                "name": e.name,
                "kind": e.kind.value,
                "members": list(e.members),
            }
            for e in sorted(bundle.entities, key=lambda e: e.id)
        ],
        "rounds": [
            {"id": r.id, "name": r.name, "sequence": r.sequence}
            for r in sorted(bundle.rounds, key=lambda r: r.id)
        ],
        "assessments": [
            _assessment_doc(rec) for rec in sorted(bundle.records, key=lambda r: r.assessment.id)
        ],
    }
    doc["checksum"] = content_checksum(doc)
    return doc


def dumps_document(doc: dict[str, Any]) -> bytes:
    """Return the bytes of an exchange file (canonical JSON)."""
    return canonical_json(doc)


def _record_from_doc(d: Any) -> AssessmentRecord:
    a = Assessment(
        id=d.id,
        entity_id=d.entity_id,
        framework_key=d.framework.key,
        framework_version=d.framework.version,
        round_id=d.round_id,
        kind=AssessmentKind(d.kind),
        status=Status(d.status),
        reviews_id=d.reviews_id,
        title=d.title,
        assessed_on=d.assessed_on,
        facilitator=d.facilitator,
        reviewer_name=d.reviewer_name,
        reviewer_organisation=d.reviewer_organisation,
        strengths=d.strengths,
        areas_to_develop=d.areas_to_develop,
        recommendations=d.recommendations,
        participants=tuple(Participant(p.id, p.name, p.organisation) for p in d.participants),
        created_at=d.created_at,
        modified_at=d.modified_at,
        revision=d.revision,
    )
    ratings = tuple(
        Rating(
            assessment_id=d.id,
            domain_key=r.domain,
            stage=r.stage,
            confidence=Confidence(r.confidence) if r.confidence else None,
            direction=Direction(r.direction) if r.direction else None,
            evidence=r.evidence,
            rationale=r.rationale,
            statements_met=tuple(r.statements_met),
            enablers=tuple(ThemeItem(t.text, tuple(t.tags)) for t in r.enablers),
            support_requests=tuple(ThemeItem(t.text, tuple(t.tags)) for t in r.support_requests),
            actions=tuple(Action(x.id, x.what, x.owner, x.due) for x in r.actions),
            review_position=ReviewPosition(r.review_position) if r.review_position else None,
            review_comment=r.review_comment,
            review_suggestions=r.review_suggestions,
            carried_forward=r.carried_forward,
        )
        for r in d.ratings
    )
    votes = tuple(Vote(d.id, v.participant_id, v.domain, v.stage) for v in d.votes)
    return AssessmentRecord(a, ratings, votes)


def _bad_control_chars(value: Any, path: str) -> str | None:
    if isinstance(value, str):
        for ch in value:
            if ord(ch) < 32 and ch not in "\n\r\t":
                return f"{path}: contains control character U+{ord(ch):04X}"
    elif isinstance(value, dict):
        for k, v in value.items():
            found = _bad_control_chars(v, f"{path}.{k}" if path else str(k))
            if found:
                return found
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found = _bad_control_chars(v, f"{path}[{i}]")
            if found:
                return found
    return None


def _depth(value: Any, limit: int = 20, level: int = 0) -> int:
    if level > limit:
        return level
    if isinstance(value, dict):
        return max((_depth(v, limit, level + 1) for v in value.values()), default=level)
    if isinstance(value, list):
        return max((_depth(v, limit, level + 1) for v in value), default=level)
    return level


def parse_document(raw: bytes, source: str = "<file>") -> Bundle:
    """Return the bundle in an exchange file's bytes; ExchangeError says what and where."""

    def fail(problem: str) -> ExchangeError:
        return ExchangeError(f"{source}: {problem}")

    if len(raw) > MAX_FILE_BYTES:
        raise fail(f"is {len(raw) / 1e6:.0f} MB; exchange files are limited to 50 MB")
    if raw[:4] == b"PK\x03\x04":
        raise fail("is a ZIP archive, not an exchange file (JSON)")
    if raw[:5] == b"%PDF-":
        raise fail("is a PDF document, not an exchange file (JSON)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise fail(f"is not UTF-8 text (byte {exc.start})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise fail(f"is not valid JSON: line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise fail("is nested too deeply") from None
    if not isinstance(data, dict):
        raise fail("is not an exchange file (the top level must be an object)")
    if _depth(data) > 20:
        raise fail("is nested too deeply (more than 20 levels)")
    if data.get("format") != FORMAT_NAME:
        raise fail("is not a matrix-desktop exchange file (no 'format' of that name)")
    version = data.get("format_version")
    if isinstance(version, int) and version > FORMAT_VERSION:
        raise fail(
            f"uses exchange format version {version}; this version of matrix-desktop reads "
            f"version {FORMAT_VERSION}. Update matrix-desktop to import it."
        )
    if version != FORMAT_VERSION:
        raise fail(f"format_version: must be {FORMAT_VERSION}, not {version!r}")
    control = _bad_control_chars(data, "")
    if control:
        raise fail(control)
    try:
        doc = ExchangeDoc.model_validate(data)
    except ValidationError as exc:
        raise fail(describe_validation_error(exc).replace("\n", "\n  ")) from None
    if content_checksum(data) != doc.checksum:
        raise fail("checksum: does not match the content; the file was changed or damaged")
    frameworks = []
    for i, spec in enumerate(doc.frameworks):
        try:
            frameworks.append(parse_framework(spec, f"frameworks[{i}]"))
        except FrameworkFileError as exc:
            raise fail(str(exc)) from None
    _check_ids(doc, fail)
    return Bundle(
        frameworks=tuple(frameworks),
        systems=tuple(System(s.id, s.name, s.short_name) for s in doc.systems),
        entities=tuple(
            Entity(e.id, e.system_id, e.name, e.kind, tuple(e.members))  # type: ignore[arg-type]
            for e in doc.entities
        ),
        rounds=tuple(Round(r.id, r.name, r.sequence) for r in doc.rounds),
        records=tuple(_record_from_doc(a) for a in doc.assessments),
        note=doc.note,
    )


def _check_ids(doc: ExchangeDoc, fail: Any) -> None:
    for name, items in (
        ("systems", doc.systems),
        ("entities", doc.entities),
        ("rounds", doc.rounds),
        ("assessments", doc.assessments),
    ):
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.id in seen:
                raise fail(f"{name}[{i}].id: duplicate id {item.id}")
            seen.add(item.id)
    for i, a in enumerate(doc.assessments):
        domains = [r.domain for r in a.ratings]
        for j, d in enumerate(domains):
            if d in domains[:j]:
                raise fail(f"assessments[{i}].ratings[{j}].domain: {d!r} appears twice")
        people = {p.id for p in a.participants}
        for j, v in enumerate(a.votes):
            if v.participant_id not in people:
                raise fail(f"assessments[{i}].votes[{j}].participant_id: not a participant")


def read_file(path: Path) -> Bundle:
    """Return the bundle in an exchange file on disk."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ExchangeError(f"{path}: cannot be read ({exc.strerror})") from None
    if size > MAX_FILE_BYTES:
        raise ExchangeError(f"{path}: is {size / 1e6:.0f} MB; exchange files are limited to 50 MB")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ExchangeError(f"{path}: cannot be read ({exc.strerror})") from None
    return parse_document(raw, str(path))
