"""Writes for setting up a database: systems, entities, rounds as field patches, and the trash.

Inserts turn a unique violation (another copy adding the same name at the same moment) into
the same clear "already exists" message the service gives for a name it can see.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from matrix_desktop.core.catalog_edit import EDITABLE
from matrix_desktop.core.errors import AlreadyExists, ValidationFailed
from matrix_desktop.storage.tables import (
    AssessmentRow,
    EntityRow,
    FeedbackRow,
    RatingRow,
    RoundRow,
    SyncBaseRow,
    SyncHashRow,
    SystemRow,
    TrashRow,
    VoteRow,
    table_of,
)

_TABLES: dict[str, Table] = {
    "system": table_of(SystemRow),
    "entity": table_of(EntityRow),
    "round": table_of(RoundRow),
}
_A = table_of(AssessmentRow)
_T = table_of(TrashRow)


def read_fields(session: Session, kind: str, row_id: str) -> dict[str, Any] | None:
    """Return a system's, entity's or round's editable fields, or None if there is no such row."""
    table = _TABLES[kind]
    cols = [table.c[name] for name in EDITABLE[kind]]
    row = session.execute(select(*cols).where(table.c.id == row_id)).first()
    return None if row is None else dict(zip(EDITABLE[kind], row, strict=True))


def names(session: Session, kind: str, system_id: str | None = None) -> list[tuple[str, str]]:
    """Return (id, name) of every row of a kind (entities: of one system), archived included."""
    table = _TABLES[kind]
    query = select(table.c.id, table.c.name)
    if kind == "entity" and system_id is not None:
        query = query.where(table.c.system_id == system_id)
    return [(r[0], r[1]) for r in session.execute(query)]


def next_round_sequence(session: Session) -> int:
    """Return the sequence after the last round's."""
    last = session.scalar(select(func.max(_TABLES["round"].c.sequence)))
    return int(last or 0) + 1


def usage(session: Session, kind: str, row_id: str) -> int:
    """Return how many rows refer to this one (entities of a system, assessments otherwise)."""
    if kind == "system":
        t = _TABLES["entity"]
        query = select(func.count()).select_from(t).where(t.c.system_id == row_id)
    else:
        column = _A.c.entity_id if kind == "entity" else _A.c.round_id
        query = select(func.count()).select_from(_A).where(column == row_id)
    count = int(session.scalar(query) or 0)
    if kind != "system":
        column = _T.c.entity_id if kind == "entity" else _T.c.round_id
        count += int(
            session.scalar(select(func.count()).select_from(_T).where(column == row_id)) or 0
        )
    return count


def write_fields(
    session: Session,
    kind: str,
    row_id: str,
    after: dict[str, Any] | None,
    now: str,
    label: str,
    exists: bool,
) -> None:
    """Insert, update or delete a row so its fields are `after` (None: delete).

    exists: whether the row is there now (read by the caller in this transaction). label
    names the row in the message if another copy added the same name just now; the whole
    transaction is then rolled back by the caller (nothing is half-applied).
    """
    table = _TABLES[kind]
    stamp = {"modified_at": now} if "modified_at" in table.c else {}
    try:
        if after is None:
            session.execute(delete(table).where(table.c.id == row_id))
        elif exists:
            session.execute(update(table).where(table.c.id == row_id).values(**after, **stamp))
        else:
            session.execute(insert(table).values(id=row_id, **after, **stamp))
    except IntegrityError:
        if after is None:
            raise ValidationFailed(
                f"{label} is in use and cannot be removed; archive it."
            ) from None
        raise AlreadyExists(f"{label} already exists.", kind, row_id) from None


# -- the trash -----------------------------------------------------------------------------

# Feedback on the matrix (0008) goes with them; trash from before it has none to put back.
_CHILDREN = (
    table_of(RatingRow),
    table_of(VoteRow),
    table_of(SyncHashRow),
    table_of(SyncBaseRow),
    table_of(FeedbackRow),
)


def _dicts(session: Session, table: Table, column: str, value: str) -> list[dict[str, Any]]:
    rows = session.execute(select(table).where(table.c[column] == value)).mappings()
    return [dict(r) for r in rows]


def move_to_trash(
    session: Session, assessment_id: str, user: str, reason: str, now: str
) -> dict[str, Any]:
    """Move an assessment (and its ratings, votes, sync history) into the trash.

    Peer reviews that review it keep their own rows; the link is stored and put back on
    restore. Returns the trashed assessment's row (as stored).
    """
    rows = _dicts(session, _A, "id", assessment_id)
    if not rows:
        raise ValidationFailed(f"There is no assessment with id {assessment_id} to delete.")
    head = rows[0]
    payload: dict[str, Any] = {"assessment": head}
    for table in _CHILDREN:
        payload[table.name] = _dicts(session, table, "assessment_id", assessment_id)
    reviews = session.execute(select(_A.c.id).where(_A.c.reviews_id == assessment_id))
    payload["reviewed_by"] = [r[0] for r in reviews]
    session.execute(update(_A).where(_A.c.reviews_id == assessment_id).values(reviews_id=None))
    session.execute(delete(_A).where(_A.c.id == assessment_id))  # children cascade
    session.execute(
        insert(_T).values(
            assessment_id=assessment_id,
            entity_id=head["entity_id"],
            round_id=head["round_id"],
            title=head["title"] or "",
            status=head["status"],
            deleted_at=now,
            deleted_by=user,
            reason=reason,
            rows_json=json.dumps(payload, ensure_ascii=False),
        )
    )
    return head


def restore_from_trash(session: Session, assessment_id: str) -> dict[str, Any]:
    """Put a trashed assessment back with all its rows; returns its assessment row."""
    row = session.execute(select(_T.c.rows_json).where(_T.c.assessment_id == assessment_id)).first()
    if row is None:
        raise ValidationFailed(f"There is no assessment with id {assessment_id} in the trash.")
    payload = json.loads(row[0])
    head = payload["assessment"]
    if head.get("reviews_id") is not None:
        exists = session.execute(select(_A.c.id).where(_A.c.id == head["reviews_id"])).first()
        if exists is None:
            head = {**head, "reviews_id": None}  # the reviewed one is gone (e.g. in the trash)
    session.execute(insert(_A).values(**head))
    for table in _CHILDREN:
        if payload.get(table.name):
            session.execute(insert(table), payload[table.name])
    review_ids = payload.get("reviewed_by") or []
    if review_ids:
        session.execute(update(_A).where(_A.c.id.in_(review_ids)).values(reviews_id=assessment_id))
    session.execute(delete(_T).where(_T.c.assessment_id == assessment_id))
    return dict(head)


def list_trash(session: Session) -> list[dict[str, Any]]:
    """Return the trash's entries (without their rows), the most recently deleted first."""
    cols = [c for c in _T.c if c.name != "rows_json"]
    rows = session.execute(select(*cols).order_by(_T.c.deleted_at.desc())).mappings()
    return [dict(r) for r in rows]


def trash_reason(session: Session, assessment_id: str) -> str | None:
    """Return why a trashed assessment was deleted, or None when it is not in the trash."""
    return session.scalar(select(_T.c.reason).where(_T.c.assessment_id == assessment_id))
