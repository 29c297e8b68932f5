"""Queries of the improvement plan: every domain's actions across entities and rounds at once."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from matrix_desktop.core.model import AssessmentKind, Status, action_from_dict
from matrix_desktop.core.plan import ActionSource
from matrix_desktop.storage.tables import AssessmentRow, EntityRow, RatingRow, RoundRow, table_of

_A = table_of(AssessmentRow)
_R = table_of(RatingRow)
_E = table_of(EntityRow)
_RO = table_of(RoundRow)


def action_sources(session: Session, entity_ids: list[str] | None = None) -> list[ActionSource]:
    """Return each self-assessment's domains that hold actions, for these entities (None: all).

    One query: the plan of 50 entities over 12 rounds is read in one round trip.
    """
    query = (
        select(
            _E.c.id,
            _E.c.name,
            _RO.c.name,
            _RO.c.sequence,
            _A.c.id,
            _A.c.status,
            _R.c.domain_key,
            _R.c.actions_json,
        )
        .select_from(_R.join(_A, _A.c.id == _R.c.assessment_id))
        .join(_E, _E.c.id == _A.c.entity_id)
        .join(_RO, _RO.c.id == _A.c.round_id)
        .where(_A.c.kind == AssessmentKind.SELF_ASSESSMENT.value, _R.c.actions_json != "[]")
    )
    if entity_ids is not None:
        if not entity_ids:
            return []
        query = query.where(_A.c.entity_id.in_(entity_ids))
    return [
        ActionSource(
            entity_id=eid,
            entity_name=ename,
            round_name=rname,
            round_sequence=int(seq),
            assessment_id=aid,
            assessment_final=status == Status.FINAL.value,
            domain_key=domain,
            actions=tuple(action_from_dict(d) for d in json.loads(raw)),
        )
        for eid, ename, rname, seq, aid, status, domain, raw in session.execute(query)
    ]
