"""Help matched to need and pairings, as the peer-review report and system summary print them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from matrix_desktop.reports.models import HelpLine, PairingEntry

if TYPE_CHECKING:
    from matrix_desktop.core.model import Entity, Round, System
    from matrix_desktop.services.context import Services


def system_help(svc: Services, system: System, rnd: Round) -> tuple[HelpLine, ...]:
    """Return the round's requests for support in the system, each with who could help."""
    matches = svc.help_match.matches(system.id, rnd.id)
    return tuple(
        HelpLine(
            matches.domain_titles.get(m.domain_key, m.domain_key),
            m.entity_name,
            m.request,
            tuple(matches.helper_text(m.framework_key, h) for h in m.helpers),
        )
        for m in matches.requests
    )


def system_pairings(svc: Services, system: System, rnd: Round) -> tuple[PairingEntry, ...]:
    """Return the pairings recorded in the system for the round."""
    return tuple(
        PairingEntry(line.round_name, line.sentence, line.pairing.status.label, line.pairing.note)
        for line in svc.help_match.pairings(system_id=system.id, round_id=rnd.id)
    )


def entity_pairings(svc: Services, entity: Entity, rnd: Round) -> tuple[PairingEntry, ...]:
    """Return the help the entity offered and received, in the report's round and before."""
    order = {r.id: r.sequence for r in svc.catalog.rounds()}
    upto = order.get(rnd.id, 0)
    return tuple(
        PairingEntry(
            line.round_name,
            line.sentence,
            line.pairing.status.label,
            line.pairing.note,
            "Offered" if line.pairing.offering_entity_id == entity.id else "Received",
        )
        for line in svc.help_match.pairings(entity_id=entity.id)
        if order.get(line.pairing.round_id, 0) <= upto
    )
