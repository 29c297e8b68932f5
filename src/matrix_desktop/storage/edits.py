"""The statements of one edit: claim the draft, read the row, write the touched columns, audit.

Every edit starts by bumping the assessment's revision with a conditional UPDATE. That one
statement takes the assessment's row lock (PostgreSQL) or the write lock (SQLite), refuses
a final assessment inside the write itself, and orders all edits of an assessment; a
finalise racing an edit therefore waits for it and then sees the new revision.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, delete, insert, select, update
from sqlalchemy.orm import Session

from matrix_desktop.core.errors import FinalisedError, NotFound, StaleError, ValidationFailed
from matrix_desktop.core.model import Assessment, AuditEvent, Rating, Status, Vote
from matrix_desktop.storage.convert import (
    assessment_from_row,
    assessment_values,
    audit_from_row,
    rating_from_row,
    rating_values,
)
from matrix_desktop.storage.tables import AssessmentRow, AuditRow, RatingRow, VoteRow, table_of

_A = table_of(AssessmentRow)
_R = table_of(RatingRow)
_V = table_of(VoteRow)
_AU = table_of(AuditRow)

RATING_COLUMNS = {
    "statements_met": "statements_met_json",
    "enablers": "enablers_json",
    "support_requests": "support_json",
    "actions": "actions_json",
}
ASSESSMENT_COLUMNS = {"participants": "participants_json"}
FINAL_MESSAGE = "This assessment is final and read-only. Reopen it (with a reason) to change it."


def _status_of(session: Session, assessment_id: str) -> tuple[str, int]:
    row = session.execute(
        select(_A.c.status, _A.c.revision).where(_A.c.id == assessment_id)
    ).first()
    if row is None:
        raise NotFound(f"no assessment with id {assessment_id}")
    return row[0], row[1]


def claim_draft(session: Session, assessment_id: str, now: str) -> tuple[int, str, str, str]:
    """Bump a draft assessment's revision, locking it for this transaction.

    Returns (revision, entity id, framework key, framework version).

    Raises FinalisedError when it is final (decided by the UPDATE itself, so a finalise
    committed a moment ago is seen) and NotFound when it does not exist.
    """
    row = session.execute(
        update(_A)
        .where(_A.c.id == assessment_id, _A.c.status == Status.DRAFT.value)
        .values(revision=_A.c.revision + 1, modified_at=now)
        .returning(_A.c.revision, _A.c.entity_id, _A.c.framework_key, _A.c.framework_version)
    ).first()
    if row is None:
        _status_of(session, assessment_id)
        raise FinalisedError(FINAL_MESSAGE)
    return int(row[0]), row[1], row[2], row[3]


def set_status(
    session: Session,
    assessment_id: str,
    status: Status,
    now: str,
    seen_revision: int | None = None,
) -> int:
    """Finalise or reopen in one conditional UPDATE; returns the new revision.

    A finalise with seen_revision is refused (StaleError) when the assessment has changed
    since that revision: the user would be finalising values they have not seen.
    """
    wanted_from = Status.DRAFT if status is Status.FINAL else Status.FINAL
    query = update(_A).where(_A.c.id == assessment_id, _A.c.status == wanted_from.value)
    if seen_revision is not None:
        query = query.where(_A.c.revision == seen_revision)
    row = session.execute(
        query.values(status=status.value, revision=_A.c.revision + 1, modified_at=now).returning(
            _A.c.revision
        )
    ).first()
    if row is not None:
        return int(row[0])
    current, revision = _status_of(session, assessment_id)
    if current == status.value:
        word = "final" if status is Status.FINAL else "a draft"
        raise ValidationFailed(f"This assessment is already {word}.")
    changes = revision - (seen_revision or 0)
    raise StaleError(
        f"This assessment changed since you last saw it ({changes} change"
        f"{'' if changes == 1 else 's'} by someone else). Look at the changes now shown, "
        "then finalise again."
    )


def read_rating(session: Session, assessment_id: str, domain_key: str) -> Rating | None:
    """Return the stored rating of a domain, or None when it has no row yet."""
    row = session.execute(
        select(_R).where(_R.c.assessment_id == assessment_id, _R.c.domain_key == domain_key)
    ).first()
    return rating_from_row(row) if row is not None else None  # type: ignore[arg-type]


def write_rating(
    session: Session, rating: Rating, fields: list[str], exists: bool, now: str
) -> None:
    """Write the named fields of a rating (its whole row when it has none yet)."""
    values = rating_values(rating, now)
    if not exists:
        session.execute(insert(_R).values(values))
        return
    columns = {RATING_COLUMNS.get(f, f): values[RATING_COLUMNS.get(f, f)] for f in fields}
    columns.update(carried_forward=rating.carried_forward, modified_at=now)
    session.execute(
        update(_R)
        .where(_R.c.assessment_id == rating.assessment_id, _R.c.domain_key == rating.domain_key)
        .values(columns)
    )


def read_assessment(session: Session, assessment_id: str) -> Assessment:
    row = session.execute(select(_A).where(_A.c.id == assessment_id)).first()
    if row is None:
        raise NotFound(f"no assessment with id {assessment_id}")
    return assessment_from_row(row)  # type: ignore[arg-type]


def write_assessment(session: Session, assessment: Assessment, fields: list[str]) -> None:
    """Write the named detail fields of an assessment."""
    values = assessment_values(assessment)
    columns = {ASSESSMENT_COLUMNS.get(f, f): values[ASSESSMENT_COLUMNS.get(f, f)] for f in fields}
    session.execute(update(_A).where(_A.c.id == assessment.id).values(columns))


def read_vote(session: Session, assessment_id: str, participant_id: str, domain_key: str) -> Vote:
    stage = session.execute(
        select(_V.c.stage).where(
            _V.c.assessment_id == assessment_id,
            _V.c.participant_id == participant_id,
            _V.c.domain_key == domain_key,
        )
    ).scalar()
    return Vote(assessment_id, participant_id, domain_key, stage)


def write_vote(session: Session, vote: Vote, existed: bool) -> None:
    """Record, change or clear (stage None) one participant's view."""
    where = (
        _V.c.assessment_id == vote.assessment_id,
        _V.c.participant_id == vote.participant_id,
        _V.c.domain_key == vote.domain_key,
    )
    if vote.stage is None:
        session.execute(delete(_V).where(*where))
    elif existed:
        session.execute(update(_V).where(*where).values(stage=vote.stage))
    else:
        session.execute(
            insert(_V).values(
                assessment_id=vote.assessment_id,
                participant_id=vote.participant_id,
                domain_key=vote.domain_key,
                stage=vote.stage,
            )
        )


def append_audit(session: Session, event: AuditEvent) -> int:
    """Add an audit event; returns its id (the change feed's position)."""
    result = session.execute(
        insert(_AU).values(
            at=event.at,
            user=event.user,
            action=event.action,
            assessment_id=event.assessment_id,
            domain_key=event.domain_key,
            detail=event.detail,
        )
    )
    key = cast("CursorResult[Any]", result).inserted_primary_key
    assert key is not None, "an insert returns its primary key"
    return int(key[0])


def audit_since(session: Session, after_id: int, limit: int = 500) -> list[AuditEvent]:
    """Return audit events with id above after_id, oldest first (the change feed)."""
    rows = session.execute(
        select(_AU).where(_AU.c.id > after_id).order_by(_AU.c.id).limit(limit)
    ).all()
    return [audit_from_row(r) for r in rows]  # type: ignore[arg-type]


def last_audit_id(session: Session) -> int:
    """Return the newest audit event's id (0 when there is none)."""
    from sqlalchemy import func

    return int(session.execute(select(func.max(_AU.c.id))).scalar() or 0)
