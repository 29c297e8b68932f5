"""Reads that gather what one screen shows in a few queries (on a server each is a round trip)."""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col

from matrix_desktop.core.errors import NotFound
from matrix_desktop.core.feedback import Feedback
from matrix_desktop.core.model import Assessment, AssessmentRecord, Entity, Round, System
from matrix_desktop.storage import feedback_repo
from matrix_desktop.storage import repository as repo
from matrix_desktop.storage.convert import (
    assessment_from_row,
    entity_from_row,
    rating_from_row,
    round_from_row,
    system_from_row,
    vote_from_row,
)
from matrix_desktop.storage.tables import (
    AssessmentRow,
    EntityRow,
    FeedbackRow,
    RatingRow,
    RoundRow,
    SystemRow,
    VoteRow,
    table_of,
)


@dataclass(frozen=True)
class AssessmentView:
    """An assessment as the scoring screen opens it: its record and what it refers to,
    and the same entity's assessment of the same kind in the latest earlier round."""

    record: AssessmentRecord
    entity: Entity
    system: System
    round: Round
    previous: AssessmentRecord | None
    previous_round: Round | None
    feedback: tuple[Feedback, ...] = ()  # feedback on the matrix recorded in it, oldest first


def read_assessment_view(session: Session, assessment_id: str) -> AssessmentView:
    """Return the view of one assessment, all in the caller's transaction.

    On PostgreSQL its seven queries go in one pipeline (one round trip); on SQLite they are
    ordinary queries. Raises NotFound when there is no such assessment.
    """
    if session.get_bind().dialect.name == "postgresql":
        return _pipelined_view(session, assessment_id)
    return queried_view(session, assessment_id)


def queried_view(session: Session, assessment_id: str) -> AssessmentView:
    """The view read with ordinary queries, one after another (any database)."""
    owner = select(col(AssessmentRow.entity_id)).where(col(AssessmentRow.id) == assessment_id)
    siblings = [
        assessment_from_row(r)
        for r in session.scalars(
            select(AssessmentRow).where(col(AssessmentRow.entity_id) == owner.scalar_subquery())
        )
    ]
    mine = next((a for a in siblings if a.id == assessment_id), None)
    if mine is None:
        raise NotFound(f"no assessment with id {assessment_id}")
    rounds = {r.id: r for r in repo.list_rounds(session)}
    order = {rid: r.sequence for rid, r in rounds.items()}
    prev = _previous(siblings, mine, order)
    records = repo.get_records(session, [mine.id] + ([prev.id] if prev else []))
    entity = repo.get_entity(session, mine.entity_id)
    return AssessmentView(
        record=records[mine.id],
        entity=entity,
        system=repo.get_system(session, entity.system_id),
        round=rounds[mine.round_id],
        previous=records.get(prev.id) if prev else None,
        previous_round=rounds.get(prev.round_id) if prev else None,
        feedback=tuple(
            f.feedback for f in feedback_repo.list_feedback(session, assessment_ids=[mine.id])
        ),
    )


def _previous(
    siblings: list[Assessment], mine: Assessment, order: dict[str, int]
) -> Assessment | None:
    """The same kind's assessment in the latest earlier round (as AssessmentService.previous:
    of two in one round, the first made)."""
    here = order.get(mine.round_id, 0)
    earlier = sorted(
        (
            a
            for a in siblings
            if a.kind is mine.kind and a.id != mine.id and order.get(a.round_id, 0) < here
        ),
        key=lambda a: (order.get(a.round_id, 0), a.created_at),
    )
    return max(earlier, key=lambda a: order.get(a.round_id, 0), default=None)


_ROW_TYPES: dict[str, Any] = {}
_OWNER = "(SELECT entity_id FROM assessment WHERE id = %s)"
_SIBLINGS = f"(SELECT id FROM assessment WHERE entity_id = {_OWNER})"


def _columns(model: type[SQLModel]) -> tuple[str, Any]:
    table = table_of(model)
    names = [c.name for c in table.columns]
    row_type = _ROW_TYPES.get(table.name)
    if row_type is None:
        row_type = _ROW_TYPES[table.name] = namedtuple(f"{table.name}_view_row", names)
    return ", ".join(f'"{n}"' for n in names), row_type


def _pipelined_view(session: Session, assessment_id: str) -> AssessmentView:
    """The view's queries sent together in a psycopg pipeline, answered in one round trip."""
    queries = []
    for model, where in (
        (AssessmentRow, f"entity_id = {_OWNER}"),
        (RoundRow, "TRUE"),
        (RatingRow, f"assessment_id IN {_SIBLINGS}"),
        (VoteRow, f"assessment_id IN {_SIBLINGS}"),
        (EntityRow, f"id = {_OWNER}"),
        (SystemRow, f"id = (SELECT system_id FROM entity WHERE id = {_OWNER})"),
        (FeedbackRow, "assessment_id = %s ORDER BY created_at, id"),
    ):
        columns, row_type = _columns(model)
        table = table_of(model).name
        queries.append((f'SELECT {columns} FROM "{table}" WHERE {where}', row_type))
    raw = session.connection().connection.driver_connection
    cursors = []
    with raw.pipeline():  # type: ignore[union-attr]
        for sql, _row_type in queries:
            cursor = raw.cursor()  # type: ignore[union-attr]
            cursor.execute(sql, [assessment_id] * sql.count("%s"))
            cursors.append(cursor)
    rows = []
    for cursor, (_sql, row_type) in zip(cursors, queries, strict=True):
        rows.append([row_type._make(r) for r in cursor.fetchall()])
        cursor.close()
    siblings_rows, round_rows, rating_rows, vote_rows, entity_rows, system_rows, fb_rows = rows
    siblings = {r.id: assessment_from_row(r) for r in siblings_rows}
    mine = siblings.get(assessment_id)
    if mine is None or not entity_rows or not system_rows:
        raise NotFound(f"no assessment with id {assessment_id}")
    rounds = {r.id: round_from_row(r) for r in round_rows}
    order = {rid: r.sequence for rid, r in rounds.items()}
    prev = _previous(list(siblings.values()), mine, order)

    def record(a: Assessment) -> AssessmentRecord:
        return AssessmentRecord(
            a,
            tuple(rating_from_row(r) for r in rating_rows if r.assessment_id == a.id),
            tuple(vote_from_row(v) for v in vote_rows if v.assessment_id == a.id),
        )

    return AssessmentView(
        record=record(mine),
        entity=entity_from_row(entity_rows[0]),
        system=system_from_row(system_rows[0]),
        round=rounds[mine.round_id],
        previous=record(prev) if prev else None,
        previous_round=rounds.get(prev.round_id) if prev else None,
        feedback=tuple(feedback_repo.feedback_from_row(r) for r in fb_rows),
    )
