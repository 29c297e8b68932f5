"""Reads that gather what one screen shows in a few queries (on a server each is a round trip)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from matrix_desktop.core.errors import NotFound
from matrix_desktop.core.model import AssessmentRecord, Entity, Round, System
from matrix_desktop.storage import repository as repo
from matrix_desktop.storage.convert import assessment_from_row
from matrix_desktop.storage.tables import AssessmentRow


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


def read_assessment_view(session: Session, assessment_id: str) -> AssessmentView:
    """Return the view of one assessment in seven queries, all in the caller's transaction.

    Raises NotFound when there is no such assessment.
    """
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
    here = order.get(mine.round_id, 0)
    earlier = [
        a
        for a in siblings
        if a.kind is mine.kind and a.id != mine.id and order.get(a.round_id, 0) < here
    ]
    prev = max(earlier, key=lambda a: order.get(a.round_id, 0), default=None)
    records = repo.get_records(session, [mine.id] + ([prev.id] if prev else []))
    entity = repo.get_entity(session, mine.entity_id)
    return AssessmentView(
        record=records[mine.id],
        entity=entity,
        system=repo.get_system(session, entity.system_id),
        round=rounds[mine.round_id],
        previous=records.get(prev.id) if prev else None,
        previous_round=rounds.get(prev.round_id) if prev else None,
    )
