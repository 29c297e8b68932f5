"""Pairings in an import: planned against this database by id, then written with the rest.

A pairing keeps its identity: one this database has never seen arrives as new under its own
id and never overwrites another. One seen before takes the file's status and note only when
the file's change is the newer one (pairings have no shared base to merge from); one whose
id names other entities, domain or round here is kept as it is here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from sqlalchemy.orm import Session

from matrix_desktop.core.help_match import Pairing
from matrix_desktop.core.model import AuditEvent, Entity, Round
from matrix_desktop.exchange.codec import Bundle, ExchangeError
from matrix_desktop.exchange.merge import PairingOutcome, PlannedPairing
from matrix_desktop.storage import pairings as pairing_repo

Incoming = tuple[str, int, Pairing]


def mapped(
    source: str, bundle: Bundle, entity_map: Mapping[str, str], round_map: Mapping[str, str]
) -> list[Incoming]:
    """Return the file's pairings with entity and round ids mapped to this database's."""
    out = []
    for i, p in enumerate(bundle.pairings):
        q = replace(
            p,
            offering_entity_id=entity_map.get(p.offering_entity_id, p.offering_entity_id),
            receiving_entity_id=entity_map.get(p.receiving_entity_id, p.receiving_entity_id),
            round_id=round_map.get(p.round_id, p.round_id),
        )
        if q.offering_entity_id == q.receiving_entity_id:
            raise ExchangeError(
                f"{source}: pairings[{i}].receiving_entity_id: is the offering entity here "
                "(both names match one entity in this database)"
            )
        out.append((source, i, q))
    return out


def plan_pairings(
    session: Session,
    incoming: Sequence[Incoming],
    entities: Mapping[str, Entity],
    rounds: Mapping[str, Round],
) -> tuple[PlannedPairing, ...]:
    """Return what the import does with each pairing (the first copy of an id across files)."""
    out: list[PlannedPairing] = []
    seen: set[str] = set()
    for source, i, p in incoming:
        if p.id in seen:
            continue
        seen.add(p.id)
        label = _label(p, entities, rounds)
        here = pairing_repo.get_pairing(session, p.id)
        if here is None:
            out.append(PlannedPairing(source, i, p, PairingOutcome.NEW, label))
        elif _identity(here) != _identity(p):
            out.append(
                PlannedPairing(
                    source,
                    i,
                    p,
                    PairingOutcome.KEPT,
                    _label(here, entities, rounds),
                    "the file's copy names other entities, domain or round; this one is kept",
                )
            )
        elif (here.status, here.note) == (p.status, p.note):
            out.append(PlannedPairing(source, i, p, PairingOutcome.UNCHANGED, label))
        elif p.modified_at > here.modified_at:
            reason = f"status {here.status.value} -> {p.status.value}, the file's is newer"
            out.append(PlannedPairing(source, i, p, PairingOutcome.UPDATED, label, reason))
        else:
            reason = "the change here is newer than the file's"
            out.append(PlannedPairing(source, i, p, PairingOutcome.KEPT, label, reason))
    return tuple(out)


def write_pairings(
    session: Session, planned: Sequence[PlannedPairing], user: str, now: str, file_name: str
) -> list[AuditEvent]:
    """Write the new and updated pairings; return their audit events."""
    events = []
    for item in planned:
        if item.outcome not in (PairingOutcome.NEW, PairingOutcome.UPDATED):
            continue
        p = item.pairing
        existed = item.outcome is PairingOutcome.UPDATED
        if existed:
            here = pairing_repo.get_pairing(session, p.id)
            assert here is not None
            p = replace(here, status=p.status, note=p.note)
        # The file's modified_at is kept, so importing the same file again changes nothing.
        session.execute(pairing_repo.pairing_write(p, p.id, existed, item.pairing.modified_at))
        events.append(
            AuditEvent(
                None,
                now,
                user,
                "pairing",
                None,
                p.domain_key,
                f"pairing {p.id} {item.outcome.value} from {file_name}: {item.label}"
                + (f"; {item.reason}" if item.reason else ""),
            )
        )
    return events


def _identity(p: Pairing) -> tuple[str, str, str, str]:
    return (p.offering_entity_id, p.receiving_entity_id, p.domain_key, p.round_id)


def _label(p: Pairing, entities: Mapping[str, Entity], rounds: Mapping[str, Round]) -> str:
    def name(eid: str) -> str:
        e = entities.get(eid)
        return e.name if e else eid

    rnd = rounds.get(p.round_id)
    return (
        f"{name(p.offering_entity_id)} offered help to {name(p.receiving_entity_id)} on "
        f"{p.domain_key} ({rnd.name if rnd else p.round_id})"
    )
