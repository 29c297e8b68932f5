"""Conversion between table rows and core values (rows never leave storage)."""

from __future__ import annotations

import json
from typing import Any

from matrix_desktop.core.framework import EntityKind
from matrix_desktop.core.model import (
    Assessment,
    AssessmentKind,
    AuditEvent,
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
    action_as_dict,
    action_from_dict,
    utcnow,
)
from matrix_desktop.storage.tables import (
    AssessmentRow,
    AuditRow,
    EntityRow,
    RatingRow,
    RoundRow,
    SystemRow,
    VoteRow,
)


def _dumps(value: object) -> str:
    if value == []:  # most list columns are empty
        return "[]"
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def system_from_row(row: SystemRow) -> System:
    return System(row.id, row.name, row.short_name, row.archived_at is not None)


def entity_from_row(row: EntityRow) -> Entity:
    return Entity(
        row.id,
        row.system_id,
        row.name,
        EntityKind(row.kind),
        tuple(json.loads(row.members_json)),
        row.archived_at is not None,
    )


def round_from_row(row: RoundRow) -> Round:
    return Round(
        row.id, row.name, row.sequence, row.starts_on, row.ends_on, row.archived_at is not None
    )


def assessment_from_row(row: AssessmentRow) -> Assessment:
    return Assessment(
        id=row.id,
        entity_id=row.entity_id,
        framework_key=row.framework_key,
        framework_version=row.framework_version,
        round_id=row.round_id,
        kind=AssessmentKind(row.kind),
        status=Status(row.status),
        reviews_id=row.reviews_id,
        title=row.title,
        assessed_on=row.assessed_on,
        facilitator=row.facilitator,
        reviewer_name=row.reviewer_name,
        reviewer_organisation=row.reviewer_organisation,
        strengths=row.strengths,
        areas_to_develop=row.areas_to_develop,
        recommendations=row.recommendations,
        participants=tuple(Participant(**p) for p in json.loads(row.participants_json)),
        created_at=row.created_at,
        modified_at=row.modified_at,
        revision=row.revision,
    )


def assessment_values(a: Assessment) -> dict[str, object]:
    """Return an assessment as the column values of its row."""
    return {
        "id": a.id,
        "entity_id": a.entity_id,
        "framework_key": a.framework_key,
        "framework_version": a.framework_version,
        "round_id": a.round_id,
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
        "participants_json": _dumps(
            [{"id": p.id, "name": p.name, "organisation": p.organisation} for p in a.participants]
        ),
        "created_at": a.created_at,
        "modified_at": a.modified_at,
        "revision": a.revision,
    }


def assessment_to_row(a: Assessment, row: AssessmentRow | None = None) -> AssessmentRow:
    row = row or AssessmentRow(id=a.id)  # type: ignore[call-arg]
    for name, value in assessment_values(a).items():
        setattr(row, name, value)
    return row


def _list(raw: str) -> list[Any]:
    """Return a JSON list column's items (most are empty: skip the decoder for those)."""
    return [] if raw == "[]" else json.loads(raw)


def _themes(raw: str) -> tuple[ThemeItem, ...]:
    return tuple(ThemeItem(d["text"], tuple(d.get("tags", ()))) for d in _list(raw))


def _themes_json(items: tuple[ThemeItem, ...]) -> str:
    return _dumps([{"text": t.text, "tags": list(t.tags)} for t in items])


def rating_from_row(row: RatingRow) -> Rating:
    return Rating(
        assessment_id=row.assessment_id,
        domain_key=row.domain_key,
        stage=row.stage,
        confidence=Confidence(row.confidence) if row.confidence else None,
        direction=Direction(row.direction) if row.direction else None,
        evidence=row.evidence,
        rationale=row.rationale,
        statements_met=tuple(_list(row.statements_met_json)),
        enablers=_themes(row.enablers_json),
        support_requests=_themes(row.support_json),
        actions=tuple(action_from_dict(d) for d in _list(row.actions_json)),
        review_position=ReviewPosition(row.review_position) if row.review_position else None,
        review_comment=row.review_comment,
        review_suggestions=row.review_suggestions,
        carried_forward=bool(row.carried_forward),
        target_stage=row.target_stage,
        target_date=row.target_date,
    )


def rating_values(r: Rating, modified_at: str | None = None) -> dict[str, object]:
    """Return a rating as the column values of its row."""
    return {
        "assessment_id": r.assessment_id,
        "domain_key": r.domain_key,
        "stage": r.stage,
        "confidence": r.confidence.value if r.confidence else None,
        "direction": r.direction.value if r.direction else None,
        "evidence": r.evidence,
        "rationale": r.rationale,
        "statements_met_json": _dumps(list(r.statements_met)),
        "enablers_json": _themes_json(r.enablers),
        "support_json": _themes_json(r.support_requests),
        "actions_json": _dumps([action_as_dict(a) for a in r.actions]),
        "review_position": r.review_position.value if r.review_position else None,
        "review_comment": r.review_comment,
        "review_suggestions": r.review_suggestions,
        "carried_forward": r.carried_forward,
        "target_stage": r.target_stage,
        "target_date": r.target_date,
        "modified_at": modified_at or utcnow(),
    }


def rating_to_row(r: Rating, row: RatingRow | None = None) -> RatingRow:
    row = row or RatingRow(assessment_id=r.assessment_id, domain_key=r.domain_key)  # type: ignore[call-arg]
    for name, value in rating_values(r).items():
        setattr(row, name, value)
    return row


def vote_from_row(row: VoteRow) -> Vote:
    return Vote(row.assessment_id, row.participant_id, row.domain_key, row.stage)


def audit_from_row(row: AuditRow) -> AuditEvent:
    return AuditEvent(
        row.id,
        row.at,
        row.user,
        row.action,
        row.assessment_id,
        row.domain_key,
        row.detail,
        getattr(row, "db_role", None),
    )
