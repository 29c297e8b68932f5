"""Pairings in the database: read them as core values and the statements that write them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Executable, delete, insert, or_, select, update
from sqlalchemy.orm import Session

from matrix_desktop.core.help_match import Pairing, PairingStatus
from matrix_desktop.storage.tables import EntityRow, PairingRow, table_of

_P = table_of(PairingRow)
_E = table_of(EntityRow)


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
