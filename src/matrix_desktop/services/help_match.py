"""Help matched to need: who could help with each request for support, and the pairings.

Reading matches is a few queries (entities, the system's final self-assessments and their
ratings) and the pure core.help_match.match_help. Recording a pairing or changing its status
returns an Edit, run by AssessmentService.execute like every other edit: compare-and-set,
checked, audited, undoable.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from matrix_desktop.core.commands import Edit
from matrix_desktop.core.errors import NotFound, ValidationFailed
from matrix_desktop.core.help_match import (
    DRAFTS_NOTE,
    NOBODY,
    Helper,
    MatchedRequest,
    Pairing,
    PairingStatus,
    RatedDomain,
    helping_stages,
    match_help,
    pairing_edit,
    pairing_status,
)
from matrix_desktop.core.model import Entity, new_id, utcnow
from matrix_desktop.reports.models import DataTable
from matrix_desktop.services.assessments import AssessmentService
from matrix_desktop.services.catalog import CatalogService
from matrix_desktop.storage import pairings as pairing_repo
from matrix_desktop.storage import repository as repo
from matrix_desktop.storage.database import Database
from matrix_desktop.storage.pairings import FinalSelf


@dataclass(frozen=True)
class PairingLine:
    """A pairing with the names a reader needs."""

    pairing: Pairing
    offering: str
    receiving: str
    domain_title: str
    round_name: str

    @property
    def sentence(self) -> str:
        return f"{self.offering} offered help to {self.receiving} on {self.domain_title}"


@dataclass(frozen=True)
class HelpMatches:
    """Every request for support of a system with who could help, and the names to show."""

    requests: list[MatchedRequest]
    round_names: dict[str, str] = field(default_factory=dict)
    round_order: dict[str, int] = field(default_factory=dict)
    domain_titles: dict[str, str] = field(default_factory=dict)  # domain key -> title
    stage_names: dict[tuple[str, str], str] = field(default_factory=dict)  # (fw, key) -> name
    note: str = DRAFTS_NOTE

    def stage_name(self, framework_key: str, stage: str | None) -> str:
        if not stage:
            return "not assessed"
        return self.stage_names.get((framework_key, stage), stage)

    def helper_text(self, framework_key: str, helper: Helper) -> str:
        """Return 'Sheffield (Maturing): enabler one; enabler two' (or 'no enablers recorded')."""
        enablers = "; ".join(helper.enablers) or "no enablers recorded"
        return f"{helper.entity_name} ({self.stage_name(framework_key, helper.stage)}): {enablers}"

    def for_entity(self, entity_id: str) -> list[MatchedRequest]:
        return [r for r in self.requests if r.entity_id == entity_id]


class HelpMatchService:
    """Reads help matched to need and pairings; prepares pairing edits."""

    def __init__(self, db: Database, catalog: CatalogService, assessments: AssessmentService):
        self.db = db
        self.catalog = catalog
        self.assessments = assessments

    # -- matching ----------------------------------------------------------------------
    def matches(self, system_id: str, round_id: str | None = None) -> HelpMatches:
        """Return the system's requests for support (final self-assessments; every round, or
        one) with the entities that could help, latest round first."""
        with self.db.reader() as s:
            entities = {e.id: e for e in repo.list_entities(s, system_id)}
            rounds = repo.list_rounds(s)
            chosen = _latest_final_self(pairing_repo.final_self_assessments(s, system_id, round_id))
            rated_rows = pairing_repo.rated_domains(s, [a.id for a in chosen])
        rated: list[RatedDomain] = []
        strong: dict[str, tuple[str, ...]] = {}
        titles: dict[str, str] = {}
        stage_names: dict[tuple[str, str], str] = {}
        order = {r.id: r.sequence for r in rounds}
        by_assessment: dict[str, list[pairing_repo.RatedRow]] = {}
        for row in rated_rows:
            by_assessment.setdefault(row.assessment_id, []).append(row)
        for a in sorted(chosen, key=lambda a: (-order.get(a.round_id, 0), a.created_at)):
            fw = self.catalog.framework(a.framework_key, a.framework_version)
            strong.setdefault(fw.key, helping_stages(fw))
            for st in fw.stages:
                stage_names[(fw.key, st.key)] = st.name
            for d in fw.domains:
                titles.setdefault(d.key, d.title)
            e = entities[a.entity_id]
            by_domain = {r.domain_key: r for r in by_assessment.get(a.id, ())}
            for d in fw.domains_for(e.kind):
                r = by_domain.get(d.key)
                if r is None:
                    continue
                rated.append(
                    RatedDomain(
                        system_id,
                        e.id,
                        e.name,
                        a.round_id,
                        fw.key,
                        d.key,
                        r.stage,
                        True,  # final self-assessments only (DRAFTS_NOTE)
                        r.enablers,
                        r.support_requests,
                    )
                )
        return HelpMatches(
            match_help(rated, strong),
            {r.id: r.name for r in rounds},
            order,
            titles,
            stage_names,
        )

    # -- pairings ----------------------------------------------------------------------
    def pairings(
        self,
        *,
        system_id: str | None = None,
        round_id: str | None = None,
        entity_id: str | None = None,
    ) -> list[PairingLine]:
        """Return recorded pairings with names, oldest first."""
        with self.db.reader() as s:
            found = pairing_repo.list_pairings(
                s, system_id=system_id, round_id=round_id, entity_id=entity_id
            )
            names = {e.id: e.name for e in repo.list_entities(s)}
            rounds = {r.id: r.name for r in repo.list_rounds(s)}
        titles = self.catalog.domain_titles()
        return [
            PairingLine(
                p,
                names.get(p.offering_entity_id, p.offering_entity_id),
                names.get(p.receiving_entity_id, p.receiving_entity_id),
                titles.get(p.domain_key, p.domain_key),
                rounds.get(p.round_id, p.round_id),
            )
            for p in found
        ]

    def get(self, pairing_id: str) -> Pairing:
        """Return one pairing; NotFound names the id."""
        with self.db.reader() as s:
            found = pairing_repo.get_pairing(s, pairing_id)
            if found is None:
                # A unique prefix is enough on the command line.
                matches = [p for p in pairing_repo.list_pairings(s) if p.id.startswith(pairing_id)]
                found = matches[0] if len(matches) == 1 and len(pairing_id) >= 4 else None
        if found is None:
            raise NotFound(f"Pairing {pairing_id!r} is not in this database.")
        return found

    def find_domain(self, typed: str, entities: list[Entity], round_id: str) -> str:
        """Return the domain key a user typed (key or title, any case) among the domains of
        the matrices the entities used in the round; ValidationFailed names it otherwise."""
        from matrix_desktop.services.pairing_edits import domains_of

        with self.db.reader() as s:
            known = domains_of(self.catalog, s, [e.id for e in entities], round_id)
        wanted = typed.strip().casefold()
        for key, title in known.items():
            if wanted in (key.casefold(), title.casefold()):
                return key
        raise ValidationFailed(
            f"Domain {typed!r} is not a domain of the matrix these entities use "
            f"(for example {next(iter(known.values()), 'none')!r})."
        )

    def record(
        self,
        offering: Entity,
        receiving: Entity,
        domain_key: str,
        round_id: str,
        note: str = "",
        status: PairingStatus = PairingStatus.OFFERED,
    ) -> Edit:
        """Return the edit that records a new pairing (not applied; execute it)."""
        if offering.id == receiving.id:
            raise ValidationFailed(
                f"Offering and receiving entity are both {offering.name}: "
                "a pairing is between two entities."
            )
        if offering.system_id != receiving.system_id:
            raise ValidationFailed(
                f"Receiving entity {receiving.name} is in another system than {offering.name}: "
                "a pairing is within one system."
            )
        return pairing_edit(
            None,
            new_id(),
            text=f"Record pairing: {offering.name} to {receiving.name}",
            offering_entity_id=offering.id,
            receiving_entity_id=receiving.id,
            domain_key=domain_key,
            round_id=round_id,
            note=note.strip(),
            status=status,
            created_by=self.assessments.user,
            created_at=utcnow(),
        )

    def set_status(self, seen: Pairing, status: PairingStatus | str) -> Edit:
        """Return the edit of a pairing's status from the pairing the user saw."""
        state = status if isinstance(status, PairingStatus) else pairing_status(status)
        return pairing_edit(seen, seen.id, text=f"Pairing {state.label.lower()}", status=state)

    def set_note(self, seen: Pairing, note: str) -> Edit:
        """Return the edit of a pairing's note from the pairing the user saw."""
        return pairing_edit(seen, seen.id, text="Change pairing note", note=note.strip())


def _latest_final_self(found: list[FinalSelf]) -> list[FinalSelf]:
    """Return each entity's latest final self-assessment per round and framework."""
    chosen: dict[tuple[str, str, str], FinalSelf] = {}
    for a in found:
        key = (a.entity_id, a.round_id, a.framework_key)
        held = chosen.get(key)
        if held is None or a.created_at >= held.created_at:
            chosen[key] = a
    return list(chosen.values())


REQUEST_HEADERS = ("Round", "Domain", "Asked by", "Request", "Could help (stage): enablers")
PAIRING_HEADERS = ("Round", "Pairing", "Status", "Note")


def request_rows(matches: HelpMatches) -> list[tuple[str, ...]]:
    """Return each request for support with who could help, as the tab and export show it."""
    rows: list[tuple[str, ...]] = []
    for m in matches.requests:
        helpers = tuple(matches.helper_text(m.framework_key, h) for h in m.helpers)
        rows.append(
            (
                matches.round_names.get(m.round_id, m.round_id),
                matches.domain_titles.get(m.domain_key, m.domain_key),
                m.entity_name,
                m.request,
                "\n".join(helpers) or NOBODY,
            )
        )
    return rows


def pairing_rows(lines: list[PairingLine]) -> list[tuple[str, ...]]:
    """Return the pairings recorded, as the tab and export show them."""
    return [(x.round_name, x.sentence, x.pairing.status.label, x.pairing.note) for x in lines]


def help_tables(matches: HelpMatches, lines: list[PairingLine]) -> list[DataTable]:
    """Return the requests with who could help, and the pairings, as two export sheets."""
    return [
        DataTable("Help matched to need", REQUEST_HEADERS, tuple(request_rows(matches))),
        DataTable("Pairings", PAIRING_HEADERS, tuple(pairing_rows(lines))),
    ]
