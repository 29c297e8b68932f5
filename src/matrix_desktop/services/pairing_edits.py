"""Applying an edit of a pairing: compare-and-set, checked, written and audited in one commit.

AssessmentService.execute hands pairing edits here, so a pairing goes through the one edit
path like every other change: the values the user saw are compared with the stored ones
(core.merge), the result is checked, and the write and its audit event commit together.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from matrix_desktop.core.commands import Change, Edit
from matrix_desktop.core.errors import EditConflict, NotFound, ValidationFailed
from matrix_desktop.core.help_match import (
    PAIRING_FIELDS,
    Pairing,
    check_pairing,
    is_absent,
    pairing_status,
    pairing_values,
)
from matrix_desktop.core.merge import merge_fields
from matrix_desktop.core.model import AuditEvent, utcnow
from matrix_desktop.storage import edits, pairings
from matrix_desktop.storage import repository as repo

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from matrix_desktop.services.catalog import CatalogService
    from matrix_desktop.storage.database import Database


def apply_pairing_edit(
    db: Database, catalog: CatalogService, user: str, own_audit_ids: set[int], command: Edit
) -> Change:
    """Apply a pairing's edit; returns the Change carrying the pairing after it.

    Raises EditConflict (nothing written) when a field it touches changed since the user saw
    it, ValidationFailed when the result is not a pairing that can be.
    """
    pid = command.target.item_id
    if not pid:
        raise ValidationFailed("A pairing's edit must name the pairing.")
    now = utcnow()
    with db.session() as s:
        stored = pairings.get_pairing(s, pid)
        current = pairing_values(stored)
        writes, conflicts = merge_fields(command.seen, command.new, current)
        if conflicts:
            raise EditConflict("this pairing", conflicts, command)
        merged = {**current, **writes}
        pairing: Pairing | None = None
        if not is_absent(merged):
            missing = [n for n in PAIRING_FIELDS if merged.get(n) is None]
            if missing:
                raise ValidationFailed(f"A pairing needs {missing[0].replace('_', ' ')}.")
            pairing = Pairing(
                pid,
                str(merged["offering_entity_id"]),
                str(merged["receiving_entity_id"]),
                str(merged["domain_key"]),
                str(merged["round_id"]),
                str(merged["note"]),
                pairing_status(str(merged["status"])),
                str(merged["created_by"]),
                str(merged["created_at"]),
                now,
            )
            check_pairing(pairing)
            check_places(catalog, s, pairing)
        sentence = pairing_sentence(catalog, s, pairing or stored)
        stmts = [pairings.pairing_write(pairing, pid, stored is not None, now)] if writes else []
        command.before = {k: current[k] for k in command.new}
        command.after = {k: writes.get(k, current[k]) for k in command.new}
        if stored is None and pairing is not None:
            detail = f"pairing {pid} recorded: {sentence}; status: {pairing.status.value}"
        elif pairing is None:
            detail = f"pairing {pid} removed: {sentence}"
        else:
            detail = f"pairing {pid} ({sentence}): {command.detail()}"
        if pairing is not None and pairing.note and stored is None:
            detail += f"; note: {pairing.note[:200]}"
        shown = pairing or stored
        domain = shown.domain_key if shown is not None else None
        event = AuditEvent(None, now, user, command.action, None, domain, detail)
        own_audit_ids.add(edits.write_and_audit(s, stmts, event))
    return Change(
        "",
        frozenset({domain}) if domain else frozenset(),
        frozenset({"pairing"}),
        pairing=pairing,
    )


def check_places(catalog: CatalogService, s: Session, p: Pairing) -> None:
    """Refuse a pairing naming an unknown entity, round or domain, or entities of two systems."""
    try:
        offering = repo.get_entity(s, p.offering_entity_id)
    except NotFound:
        raise ValidationFailed(
            f"Offering entity {p.offering_entity_id!r} is not in this database."
        ) from None
    try:
        receiving = repo.get_entity(s, p.receiving_entity_id)
    except NotFound:
        raise ValidationFailed(
            f"Receiving entity {p.receiving_entity_id!r} is not in this database."
        ) from None
    if offering.system_id != receiving.system_id:
        raise ValidationFailed(
            f"Receiving entity {receiving.name} is in another system than {offering.name}: "
            "a pairing is within one system."
        )
    try:
        repo.get_round(s, p.round_id)
    except NotFound:
        raise ValidationFailed(f"Round {p.round_id!r} is not in this database.") from None
    known = domains_of(catalog, s, [offering.id, receiving.id], p.round_id)
    if p.domain_key not in known:
        raise ValidationFailed(
            f"Domain {p.domain_key!r} is not a domain of the matrix {offering.name} or "
            f"{receiving.name} used in that round."
        )


def domains_of(
    catalog: CatalogService, s: Session, entity_ids: list[str], round_id: str
) -> dict[str, str]:
    """Return domain key -> title of the frameworks the entities' assessments of the round use
    (every framework's when they have none)."""
    refs = {
        (a.framework_key, a.framework_version)
        for eid in entity_ids
        for a in repo.list_assessments(s, eid, round_id)
    }
    frameworks = [f for f in catalog.frameworks() if (f.key, f.version) in refs]
    return catalog.domain_titles(frameworks or None)


def pairing_sentence(catalog: CatalogService, s: Session, p: Pairing | None) -> str:
    """Return a pairing as a reader says it: 'Sheffield offered help to Barnsley on Governance
    (2021/22 Q2)'."""
    if p is None:
        return ""
    names = {e.id: e.name for e in repo.list_entities(s)}
    rounds = {r.id: r.name for r in repo.list_rounds(s)}
    titles = domains_of(catalog, s, [p.offering_entity_id, p.receiving_entity_id], p.round_id)
    return (
        f"{names.get(p.offering_entity_id, p.offering_entity_id)} offered help to "
        f"{names.get(p.receiving_entity_id, p.receiving_entity_id)} on "
        f"{titles.get(p.domain_key, p.domain_key)} ({rounds.get(p.round_id, p.round_id)})"
    )
