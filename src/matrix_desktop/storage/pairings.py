"""Pairings in the database: read them as core values and the statements that write them."""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from sqlalchemy import Executable, delete, insert, or_, select, update
from sqlalchemy.orm import Session

from matrix_desktop.core.model import Pairing, PairingStatus, ThemeItem
from matrix_desktop.storage.tables import (
    AssessmentRow,
    EntityRow,
    PairingRow,
    RatingRow,
    table_of,
)

_P = table_of(PairingRow)
_E = table_of(EntityRow)
_R = table_of(RatingRow)
_A = table_of(AssessmentRow)


def pairing_from_row(row: Any) -> Pairing:
    """Return the core value of a pairing row."""
    return Pairing(
        row.id,
        row.offering_entity_id,
        row.receiving_entity_id,
        row.domain_key,
        row.round_id,
        row.note or "",
        PairingStatus(row.status),
        row.created_by or "",
        row.created_at,
        row.modified_at,
    )


def get_pairing(session: Session, pairing_id: str) -> Pairing | None:
    """Return the pairing with this id, or None when there is none."""
    row = session.execute(select(_P).where(_P.c.id == pairing_id)).first()
    return pairing_from_row(row) if row is not None else None


def list_pairings(
    session: Session,
    *,
    system_id: str | None = None,
    round_id: str | None = None,
    entity_id: str | None = None,
) -> list[Pairing]:
    """Return pairings, oldest first; narrowed to a system (the offering entity's), a round,
    or an entity on either side."""
    query = select(_P)
    if system_id is not None:
        query = query.where(
            _P.c.offering_entity_id.in_(select(_E.c.id).where(_E.c.system_id == system_id))
        )
    if round_id is not None:
        query = query.where(_P.c.round_id == round_id)
    if entity_id is not None:
        query = query.where(
            or_(_P.c.offering_entity_id == entity_id, _P.c.receiving_entity_id == entity_id)
        )
    rows = session.execute(query.order_by(_P.c.created_at, _P.c.id)).all()
    return [pairing_from_row(r) for r in rows]


def pairing_write(pairing: Pairing | None, pairing_id: str, existed: bool, now: str) -> Executable:
    """Return the statement that stores a pairing (None: removes it)."""
    if pairing is None:
        return delete(_P).where(_P.c.id == pairing_id)
    values = {
        "offering_entity_id": pairing.offering_entity_id,
        "receiving_entity_id": pairing.receiving_entity_id,
        "domain_key": pairing.domain_key,
        "round_id": pairing.round_id,
        "note": pairing.note,
        "status": pairing.status.value,
        "created_by": pairing.created_by,
        "created_at": pairing.created_at,
        "modified_at": now,
    }
    if existed:
        return update(_P).where(_P.c.id == pairing_id).values(values)
    return insert(_P).values(id=pairing_id, **values)


def pairings_of(session: Session, entity_ids: list[str]) -> list[Pairing]:
    """Return the pairings with any of these entities on either side, oldest first."""
    if not entity_ids:
        return []
    rows = session.execute(
        select(_P)
        .where(
            or_(_P.c.offering_entity_id.in_(entity_ids), _P.c.receiving_entity_id.in_(entity_ids))
        )
        .order_by(_P.c.created_at, _P.c.id)
    ).all()
    return [pairing_from_row(r) for r in rows]


class RatedRow(NamedTuple):
    """What matching reads of one domain's rating: its stage, enablers and requests."""

    assessment_id: str
    domain_key: str
    stage: str | None
    enablers: tuple[ThemeItem, ...]
    support_requests: tuple[ThemeItem, ...]


def rated_domains(session: Session, assessment_ids: list[str]) -> list[RatedRow]:
    """Return the stage, enablers and requests for support of each rating of the assessments.

    Only the columns matching needs (no votes, evidence or actions): a system's every round
    is read at once.
    """
    out: list[RatedRow] = []
    for start in range(0, len(assessment_ids), 500):  # well under SQLite's variable limit
        chunk = assessment_ids[start : start + 500]
        rows = session.execute(
            select(
                _R.c.assessment_id,
                _R.c.domain_key,
                _R.c.stage,
                _R.c.enablers_json,
                _R.c.support_json,
            ).where(_R.c.assessment_id.in_(chunk))
        ).all()
        for aid, key, stage, enablers, support in rows:
            themes = _themes(enablers) if stage else ()  # a helper's enablers need a stage
            out.append(RatedRow(aid, key, stage, themes, _themes(support)))
    return out


def _themes(raw: str | None) -> tuple[ThemeItem, ...]:
    if not raw or raw == "[]":
        return ()
    return tuple(ThemeItem(d["text"], tuple(d.get("tags", ()))) for d in json.loads(raw))


class FinalSelf(NamedTuple):
    """A final self-assessment as matching needs it."""

    id: str
    entity_id: str
    round_id: str
    framework_key: str
    framework_version: str
    created_at: str


def final_self_assessments(
    session: Session, system_id: str, round_id: str | None = None
) -> list[FinalSelf]:
    """Return the final self-assessments of a system's entities (of one round, or all)."""
    query = select(
        _A.c.id,
        _A.c.entity_id,
        _A.c.round_id,
        _A.c.framework_key,
        _A.c.framework_version,
        _A.c.created_at,
    ).where(
        _A.c.entity_id.in_(select(_E.c.id).where(_E.c.system_id == system_id)),
        _A.c.kind == "self_assessment",
        _A.c.status == "final",
    )
    if round_id is not None:
        query = query.where(_A.c.round_id == round_id)
    return [FinalSelf(*row) for row in session.execute(query).all()]
