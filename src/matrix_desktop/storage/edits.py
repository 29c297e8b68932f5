"""The statements of one edit: claim the draft, read the row, write the touched columns, audit.

Every edit starts by bumping the assessment's revision with a conditional UPDATE. That one
statement takes the assessment's row lock (PostgreSQL) or the write lock (SQLite), refuses
a final assessment inside the write itself, and orders all edits of an assessment; a
finalise racing an edit therefore waits for it and then sees the new revision.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, NoReturn, cast

from sqlalchemy import CursorResult, Executable, delete, insert, select, update
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
from matrix_desktop.storage.pipeline import NOTIFY, pipelines, run_pipelined
from matrix_desktop.storage.tables import (
    AssessmentRow,
    AuditRow,
    EntityRow,
    RatingRow,
    VoteRow,
    table_of,
)

_A = table_of(AssessmentRow)
_E = table_of(EntityRow)
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


def _claim(assessment_id: str, now: str, with_kind: bool = False) -> Any:
    """Bump a draft assessment's revision, locking it for this transaction.

    Returns (revision, entity id, framework key, framework version[, entity kind]); no row
    when it is final (decided by the UPDATE itself, so a finalise committed a moment ago is
    seen) or does not exist.
    """
    returned: list[Any] = [
        _A.c.revision,
        _A.c.entity_id,
        _A.c.framework_key,
        _A.c.framework_version,
    ]
    if with_kind:  # the entity's kind, joined in (no statement of its own)
        returned.append(
            select(_E.c.kind).where(_E.c.id == _A.c.entity_id).scalar_subquery().label("kind")
        )
    return (
        update(_A)
        .where(_A.c.id == assessment_id, _A.c.status == Status.DRAFT.value)
        .values(revision=_A.c.revision + 1, modified_at=now)
        .returning(*returned)
    )


def _refuse_claim(session: Session, assessment_id: str) -> NoReturn:
    """Raise for a claim that matched no draft: NotFound, else FinalisedError."""
    _status_of(session, assessment_id)
    raise FinalisedError(FINAL_MESSAGE)


@dataclass(frozen=True)
class Claimed:
    """What an edit reads after claiming the draft (see claim_and_read)."""

    revision: int
    entity_id: str
    framework_key: str
    framework_version: str
    entity_kind: str | None  # on a server (joined into the claim); None: look it up
    rating: Rating | None = None  # a rating edit: the stored rating (None: no row yet)
    assessment: Assessment | None = None  # a vote or details edit: the stored assessment
    vote: Vote | None = None  # a vote edit: the stored view


def claim_and_read(
    session: Session,
    assessment_id: str,
    now: str,
    kind: str,
    domain_key: str | None = None,
    participant_id: str | None = None,
) -> Claimed:
    """Claim the draft (_claim) and read what an edit of this kind merges into.

    Raises FinalisedError when the assessment is final and NotFound when it does not exist.

    kind: 'rating' (reads the domain's rating), 'vote' (the assessment and the participant's
    view) or anything else (the assessment). On a server the claim and the reads go in one
    pipeline, a single round trip with the transaction's BEGIN; elsewhere one by one.
    """
    reads: list[Executable] = []
    if kind == "rating":
        reads.append(
            select(_R).where(_R.c.assessment_id == assessment_id, _R.c.domain_key == domain_key)
        )
    else:
        reads.append(select(_A).where(_A.c.id == assessment_id))
        if kind == "vote":
            reads.append(_vote_query(assessment_id, participant_id or "", domain_key or ""))
    if pipelines(session):
        claim_rows, *read_rows = run_pipelined(session, [_claim(assessment_id, now, True), *reads])
        if not claim_rows:
            _refuse_claim(session, assessment_id)
        head = claim_rows[0]
        entity_kind: str | None = head.kind
    else:
        head = session.execute(_claim(assessment_id, now)).first()
        if head is None:
            _refuse_claim(session, assessment_id)
        entity_kind = None
        read_rows = [list(session.execute(query).all()) for query in reads]
    assert head is not None
    claimed = Claimed(int(head[0]), head[1], head[2], head[3], entity_kind)
    if kind == "rating":
        rows = read_rows[0]
        rating = rating_from_row(rows[0]) if rows else None
        return replace(claimed, rating=rating)
    if not read_rows[0]:
        raise NotFound(f"no assessment with id {assessment_id}")
    assessment = assessment_from_row(read_rows[0][0])
    if kind != "vote":
        return replace(claimed, assessment=assessment)
    stage = read_rows[1][0][0] if read_rows[1] else None
    vote = Vote(assessment_id, participant_id or "", domain_key or "", stage)
    return replace(claimed, assessment=assessment, vote=vote)


def write_and_audit(session: Session, writes: Sequence[Executable], event: AuditEvent) -> int:
    """Run an edit's writes and add its audit event; returns the event's id.

    On a server the writes, the audit insert, the change notice and the COMMIT go in one
    pipeline (one round trip; the session is then committed, see storage.pipeline).
    """
    if not pipelines(session):
        for statement in writes:
            session.execute(statement)
        return append_audit(session, event)
    *_written, audit_rows, _notice = run_pipelined(
        session, [*writes, _audit_insert(event).returning(_AU.c.id), NOTIFY], end="COMMIT"
    )
    return int(audit_rows[0][0])


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


def rating_write(rating: Rating, fields: list[str], exists: bool, now: str) -> Executable:
    """The statement of write_rating."""
    values = rating_values(rating, now)
    if not exists:
        return insert(_R).values(values)
    columns = {RATING_COLUMNS.get(f, f): values[RATING_COLUMNS.get(f, f)] for f in fields}
    columns.update(carried_forward=rating.carried_forward, modified_at=now)
    return (
        update(_R)
        .where(_R.c.assessment_id == rating.assessment_id, _R.c.domain_key == rating.domain_key)
        .values(columns)
    )


def assessment_write(assessment: Assessment, fields: list[str]) -> Executable:
    """The statement of write_assessment."""
    values = assessment_values(assessment)
    columns = {ASSESSMENT_COLUMNS.get(f, f): values[ASSESSMENT_COLUMNS.get(f, f)] for f in fields}
    return update(_A).where(_A.c.id == assessment.id).values(columns)


def _vote_query(assessment_id: str, participant_id: str, domain_key: str) -> Any:
    return select(_V.c.stage).where(
        _V.c.assessment_id == assessment_id,
        _V.c.participant_id == participant_id,
        _V.c.domain_key == domain_key,
    )


def vote_write(vote: Vote, existed: bool) -> Executable:
    """The statement of write_vote."""
    where = (
        _V.c.assessment_id == vote.assessment_id,
        _V.c.participant_id == vote.participant_id,
        _V.c.domain_key == vote.domain_key,
    )
    if vote.stage is None:
        return delete(_V).where(*where)
    if existed:
        return update(_V).where(*where).values(stage=vote.stage)
    return insert(_V).values(
        assessment_id=vote.assessment_id,
        participant_id=vote.participant_id,
        domain_key=vote.domain_key,
        stage=vote.stage,
    )


def append_audit(session: Session, event: AuditEvent) -> int:
    """Add an audit event; returns its id (the change feed's position)."""
    result = session.execute(_audit_insert(event))
    key = cast("CursorResult[Any]", result).inserted_primary_key
    assert key is not None, "an insert returns its primary key"
    return int(key[0])


def _audit_insert(event: AuditEvent) -> Any:
    return insert(_AU).values(
        at=event.at,
        user=event.user,
        action=event.action,
        assessment_id=event.assessment_id,
        domain_key=event.domain_key,
        detail=event.detail,
    )


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
