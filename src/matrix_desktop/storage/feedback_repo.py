"""Feedback on the matrix in the matrix_feedback table (0008): read, write, list, import."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Executable, delete, insert, select, update
from sqlalchemy.orm import Session

from matrix_desktop.core.feedback import Feedback, FeedbackKind
from matrix_desktop.storage.tables import (
    AssessmentRow,
    EntityRow,
    FeedbackRow,
    RoundRow,
    table_of,
)

_F = table_of(FeedbackRow)
_A = table_of(AssessmentRow)
_E = table_of(EntityRow)
_RO = table_of(RoundRow)


@dataclass(frozen=True)
class StoredFeedback:
    """A feedback row with the framework version and the entity and round it came from."""

    feedback: Feedback
    framework_key: str
    framework_version: str
    entity_name: str
    round_name: str


def feedback_from_row(row: Any) -> Feedback:
    """Return the feedback in a matrix_feedback row (any row with its columns by name)."""
    return Feedback(
        id=row.id,
        assessment_id=row.assessment_id,
        domain_key=row.domain_key,
        kind=FeedbackKind(row.kind),
        statement_id=row.statement_id,
        text=row.text,
        wording=row.wording,
        author=row.author,
        created_at=row.created_at,
    )


def get_feedback(session: Session, feedback_id: str) -> Feedback | None:
    """Return the stored feedback with this id, or None."""
    row = session.execute(select(_F).where(_F.c.id == feedback_id)).first()
    return feedback_from_row(row) if row is not None else None


def feedback_ids(session: Session, ids: Sequence[str]) -> set[str]:
    """Return which of these feedback ids this database holds."""
    found: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        found.update(session.execute(select(_F.c.id).where(_F.c.id.in_(chunk))).scalars())
    return found


def feedback_write(
    fb: Feedback,
    existed: bool,
    framework_key: str,
    framework_version: str,
    now: str,
) -> Executable:
    """The statement that stores fb: insert, update, or (kind None) delete."""
    if fb.kind is None:
        return delete(_F).where(_F.c.id == fb.id)
    values = {
        "domain_key": fb.domain_key,
        "statement_id": fb.statement_id,
        "kind": fb.kind.value,
        "text": fb.text,
        "wording": fb.wording,
        "modified_at": now,
    }
    if existed:
        return update(_F).where(_F.c.id == fb.id).values(values)
    return insert(_F).values(
        id=fb.id,
        assessment_id=fb.assessment_id,
        framework_key=framework_key,
        framework_version=framework_version,
        author=fb.author,
        created_at=fb.created_at or now,
        **values,
    )


def insert_feedback(session: Session, rows: Sequence[tuple[Feedback, str, str]], now: str) -> None:
    """Insert new feedback (feedback, framework key, framework version), e.g. from a file."""
    for fb, key, version in rows:
        session.execute(feedback_write(fb, False, key, version, now))


def list_feedback(
    session: Session,
    framework_key: str | None = None,
    framework_version: str | None = None,
    assessment_ids: Sequence[str] | None = None,
) -> list[StoredFeedback]:
    """Return stored feedback (oldest first) with its framework version, entity and round."""
    query = (
        select(_F, _E.c.name.label("entity_name"), _RO.c.name.label("round_name"))
        .join(_A, _A.c.id == _F.c.assessment_id)
        .join(_E, _E.c.id == _A.c.entity_id)
        .join(_RO, _RO.c.id == _A.c.round_id)
        .order_by(_F.c.created_at, _F.c.id)
    )
    if framework_key is not None:
        query = query.where(_F.c.framework_key == framework_key)
    if framework_version is not None:
        query = query.where(_F.c.framework_version == framework_version)
    if assessment_ids is not None:
        query = query.where(_F.c.assessment_id.in_(list(assessment_ids)))
    return [
        StoredFeedback(
            feedback_from_row(row),
            row.framework_key,
            row.framework_version,
            row.entity_name,
            row.round_name,
        )
        for row in session.execute(query)
    ]


def count_by_version(session: Session) -> dict[tuple[str, str], int]:
    """Return how much feedback each framework version has (one grouped query)."""
    from sqlalchemy import func

    query = select(_F.c.framework_key, _F.c.framework_version, func.count()).group_by(
        _F.c.framework_key, _F.c.framework_version
    )
    return {(key, version): int(n) for key, version, n in session.execute(query)}
