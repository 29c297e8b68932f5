"""Turning assessments into an exchange document and back; canonical JSON and its checksum."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from matrix_desktop.core.errors import DataFileError
from matrix_desktop.core.feedback import Feedback, FeedbackKind
from matrix_desktop.core.framework import Framework
from matrix_desktop.core.framework_file import (
    spec_from_framework,
)
from matrix_desktop.core.help_match import Pairing, PairingStatus
from matrix_desktop.core.model import (
    Action,
    ActionStatus,
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
    rating_as_dict,
    utcnow,
)
from matrix_desktop.exchange.schema import (
    FORMAT_NAME,
    FORMAT_VERSION,
    AssessmentDoc,
)


class ExchangeError(DataFileError):
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
    # Per assessment id: the content hashes it had when exported or imported (sorted).
    ancestry: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Per assessment id: its content hash, when the reader has already worked it out.
    hashes: Mapping[str, str] = field(default_factory=dict)
    # Per assessment id: its content_body bytes (hashed above), kept as an import's merge base.
    bodies: Mapping[str, bytes] = field(default_factory=dict)
    # Pairings between the file's entities (core.help_match), each under its own id.
    pairings: tuple[Pairing, ...] = ()
    # Feedback on the matrix recorded in these assessments (not part of their content hash).
    feedback: tuple[Feedback, ...] = ()


def canonical_json(data: Any) -> bytes:
    """Return canonical JSON bytes: sorted keys, no spaces, UTF-8, one trailing newline."""
    return (
        json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"
    ).encode("utf-8")


def content_checksum(doc: dict[str, Any]) -> str:
    """Return 'sha256:<hex>' over the canonical JSON of everything but the checksum itself."""
    body = {k: v for k, v in doc.items() if k not in ("checksum", "exported_at")}
    return "sha256:" + hashlib.sha256(canonical_json(body)).hexdigest()


# Left out of an assessment's content hash: bookkeeping that differs between two laptops
# holding the same content (revision, modification time), the sync fields themselves, and
# references to the entity and round, which an import may map to the local ones of the same
# name. An assessment never moves to another entity; moving one between rounds is not merged.
_NOT_CONTENT = ("modified_at", "revision", "content_hash", "shared_hashes", "entity_id", "round_id")


def content_body(record: AssessmentRecord) -> bytes:
    """Return an assessment's content as canonical JSON: what content_hash hashes.

    A merge base is stored in this form, so its hash is the hash of the stored bytes.
    """
    doc = _assessment_doc(record)
    return canonical_json({k: v for k, v in doc.items() if k not in _NOT_CONTENT})


def digest_of(body: bytes) -> str:
    """Return 'sha256:<hex>' of content_body bytes (the content hash)."""
    return "sha256:" + hashlib.sha256(body).hexdigest()


def content_hash(record: AssessmentRecord) -> str:
    """Return 'sha256:<hex>' of an assessment's content, the same on every laptop."""
    return digest_of(content_body(record))


def record_from_content(
    body: bytes | str, entity_id: str, round_id: str, modified_at: str, revision: int = 1
) -> AssessmentRecord:
    """Return the assessment in content_body bytes, checked against the file schema.

    The content leaves out the entity, the round and the bookkeeping; the caller supplies
    them (those of the local copy). Raises ValueError when the bytes are not such content.
    """
    data = json.loads(body)
    if not isinstance(data, dict):
        raise ValueError("merge base: not an object")
    data.update(entity_id=entity_id, round_id=round_id, modified_at=modified_at, revision=revision)
    return _record_from_doc(AssessmentDoc.model_validate(data))


def _rating_doc(r: Rating) -> dict[str, Any]:
    return {"domain": r.domain_key, **rating_as_dict(r)}


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
            spec_from_framework(f)
            for f in sorted(bundle.frameworks, key=lambda f: (f.key, f.version))
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
            {
                **_assessment_doc(rec),
                "content_hash": content_hash(rec),
                "shared_hashes": sorted(bundle.ancestry.get(rec.assessment.id, ())),
            }
            for rec in sorted(bundle.records, key=lambda r: r.assessment.id)
        ],
    }
    if bundle.pairings:  # only when there are some: files without them read as before
        doc["pairings"] = [pairing_doc(p) for p in sorted(bundle.pairings, key=lambda p: p.id)]
    if bundle.feedback:  # only when there is some: older versions read the file as before
        doc["feedback"] = [
            feedback_doc(f) for f in sorted(bundle.feedback, key=lambda f: (f.created_at, f.id))
        ]
    doc["checksum"] = content_checksum(doc)
    return doc


def pairing_doc(p: Pairing) -> dict[str, Any]:
    """Return a pairing as it is written in an exchange file."""
    return {
        "id": p.id,
        "offering_entity_id": p.offering_entity_id,
        "receiving_entity_id": p.receiving_entity_id,
        "domain": p.domain_key,
        "round_id": p.round_id,
        "note": p.note,
        "status": p.status.value,
        "created_by": p.created_by,
        "created_at": p.created_at,
        "modified_at": p.modified_at,
    }


def pairing_from_doc(d: Any) -> Pairing:
    """Return the pairing of a validated PairingDoc."""
    return Pairing(
        d.id,
        d.offering_entity_id,
        d.receiving_entity_id,
        d.domain,
        d.round_id,
        d.note,
        PairingStatus(d.status),
        d.created_by,
        d.created_at,
        d.modified_at,
    )


def feedback_doc(fb: Feedback) -> dict[str, Any]:
    """Return feedback on the matrix as it is written in an exchange file."""
    assert fb.kind is not None, "only recorded feedback is exported"
    return {
        "id": fb.id,
        "assessment_id": fb.assessment_id,
        "domain": fb.domain_key,
        "statement": fb.statement_id,
        "kind": fb.kind.value,
        "text": fb.text,
        "wording": fb.wording,
        "author": fb.author,
        "created_at": fb.created_at,
    }


def feedback_from_doc(d: Any) -> Feedback:
    """Return the feedback in a checked FeedbackDoc."""
    return Feedback(
        id=d.id,
        assessment_id=d.assessment_id,
        domain_key=d.domain,
        kind=FeedbackKind(d.kind),
        statement_id=d.statement,
        text=d.text,
        wording=d.wording,
        author=d.author,
        created_at=d.created_at,
    )


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
            actions=tuple(
                Action(x.id, x.what, x.owner, x.due, ActionStatus(x.status), x.completed_on, x.note)
                for x in r.actions
            ),
            review_position=ReviewPosition(r.review_position) if r.review_position else None,
            review_comment=r.review_comment,
            review_suggestions=r.review_suggestions,
            carried_forward=r.carried_forward,
            target_stage=r.target_stage,
            target_date=r.target_date,
        )
        for r in d.ratings
    )
    votes = tuple(Vote(d.id, v.participant_id, v.domain, v.stage) for v in d.votes)
    return AssessmentRecord(a, ratings, votes)
