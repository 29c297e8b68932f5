"""Assessments: create, read and change them by commands, each committed and audited."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence

from matrix_desktop.core.commands import Change, Command, EditAssessment, EditRating, SetVote
from matrix_desktop.core.errors import FinalisedError, ValidationFailed
from matrix_desktop.core.framework import Framework
from matrix_desktop.core.model import (
    Assessment,
    AssessmentRecord,
    AuditEvent,
    Participant,
    Rating,
    Status,
    Vote,
    new_id,
    utcnow,
)
from matrix_desktop.core.rules import check_editable, check_text, validate_rating
from matrix_desktop.services import local_user
from matrix_desktop.services.catalog import CatalogService
from matrix_desktop.storage import repository as repo
from matrix_desktop.storage.database import Database

ChangeListener = Callable[[Change], None]


class AssessmentService:
    """Creates assessments and applies commands to them: validated, committed, audited."""

    def __init__(self, db: Database, catalog: CatalogService, user: str | None = None):
        self.db = db
        self.catalog = catalog
        self.user = user or local_user()
        self._listeners: list[ChangeListener] = []

    # -- listening ---------------------------------------------------------------------
    def subscribe(self, listener: ChangeListener) -> None:
        """Call listener with each Change after it is committed."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: ChangeListener) -> None:
        """Stop calling listener (no error if it was not subscribed)."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _emit(self, change: Change) -> None:
        for listener in list(self._listeners):
            listener(change)

    # -- reading -----------------------------------------------------------------------
    def assessments(
        self, entity_id: str | None = None, round_id: str | None = None
    ) -> list[Assessment]:
        with self.db.reader() as s:
            return repo.list_assessments(s, entity_id, round_id)

    def counts_by_entity(self) -> dict[str, int]:
        """Return how many assessments each entity has."""
        with self.db.reader() as s:
            return repo.count_assessments_by_entity(s)

    def get(self, assessment_id: str) -> Assessment:
        with self.db.reader() as s:
            return repo.get_assessment(s, assessment_id)

    def record(self, assessment_id: str) -> AssessmentRecord:
        """Return the assessment with its ratings and votes."""
        with self.db.reader() as s:
            return repo.get_record(s, assessment_id)

    def framework_of(self, assessment: Assessment) -> Framework:
        return self.catalog.framework(assessment.framework_key, assessment.framework_version)

    def audit(self, assessment_id: str | None = None, limit: int = 1000) -> list[AuditEvent]:
        with self.db.reader() as s:
            return repo.list_audit(s, assessment_id, limit)

    def previous(self, assessment: Assessment) -> Assessment | None:
        """Return the same entity's assessment of the same kind in the latest earlier round."""
        rounds = {r.id: r.sequence for r in self.catalog.rounds()}
        mine = rounds.get(assessment.round_id, 0)
        earlier = [
            a
            for a in self.assessments(assessment.entity_id)
            if a.kind is assessment.kind and rounds.get(a.round_id, 0) < mine
        ]
        return max(earlier, key=lambda a: rounds.get(a.round_id, 0), default=None)

    # -- creating ----------------------------------------------------------------------
    def create(
        self,
        entity_id: str,
        framework: Framework,
        round_name: str,
        *,
        facilitator: str = "",
        participants: Sequence[tuple[str, str]] = (),
        assessed_on: str | None = None,
        title: str = "",
        carry_forward_from: str | None = None,
    ) -> Assessment:
        """Create a draft self-assessment; optionally copy an earlier one's ratings forward."""
        for label, value in (("Facilitator", facilitator), ("Title", title)):
            check_text(label, value, 300)
        if assessed_on:
            try:
                _dt.date.fromisoformat(assessed_on)
            except ValueError:
                raise ValidationFailed(f"{assessed_on!r} is not a date (YYYY-MM-DD).") from None
        people = []
        for i, (name, org) in enumerate(participants, start=1):
            name = name.strip() or f"Partner {i}"
            check_text("Participant name", name, 300)
            people.append(Participant(new_id(), name, org.strip()))
        entity = self.catalog.entity(entity_id)
        if entity.kind not in framework.applies_to:
            raise ValidationFailed(
                f"{framework.title} is not for a {entity.kind.label.lower()} "
                f"({entity.name}); choose another framework."
            )
        assessment_id = new_id()
        ratings: list[Rating] = []
        source_title = ""
        if carry_forward_from:
            source = self.record(carry_forward_from)
            src_fw = self.framework_of(source.assessment)
            source_title = source.assessment.title or carry_forward_from
            for r in source.ratings:
                if framework.has_domain(r.domain_key) and (
                    r.stage is None or framework.has_stage(r.stage)
                ):
                    met = r.statements_met if src_fw.ref == framework.ref else ()
                    ratings.append(
                        Rating(
                            assessment_id,
                            r.domain_key,
                            stage=r.stage,
                            confidence=r.confidence,
                            evidence=r.evidence,
                            rationale=r.rationale,
                            statements_met=met,
                            enablers=r.enablers,
                            support_requests=r.support_requests,
                            carried_forward=True,
                        )
                    )
        with self.db.session() as s:
            rnd = repo.ensure_round(s, round_name)
            assessment = Assessment(
                id=assessment_id,
                entity_id=entity_id,
                framework_key=framework.key,
                framework_version=framework.version,
                round_id=rnd.id,
                title=title.strip() or f"{entity.name} {rnd.name}",
                assessed_on=assessed_on,
                facilitator=facilitator.strip(),
                participants=tuple(people),
            )
            store = repo.SqlAssessmentStore(s)
            store.put_record(AssessmentRecord(assessment, tuple(ratings)))
            detail = f"{entity.name}, {rnd.name}, {framework.title}"
            if carry_forward_from:
                detail += f"; ratings carried forward from {source_title}"
            self._audit(s, "create", assessment_id, None, detail)
        self._emit(Change(assessment_id, frozenset(), frozenset({"assessment", "created"})))
        return assessment

    # -- commands ----------------------------------------------------------------------
    def edit_rating(self, assessment_id: str, domain_key: str, **changes: object) -> EditRating:
        """Return the command that changes fields of one domain's rating (not yet applied)."""
        # One row, not the whole record: this runs on every key press in a workshop.
        with self.db.reader() as s:
            before = repo.get_rating(s, assessment_id, domain_key)
        return EditRating(before, before.evolve(carried_forward=False, **changes))

    def set_vote(
        self, assessment_id: str, participant_id: str, domain_key: str, stage: str | None
    ) -> SetVote:
        """Return the command that records one participant's view (not yet applied)."""
        with self.db.reader() as s:
            assessment = repo.get_assessment(s, assessment_id)
            people = {p.id: p.name for p in assessment.participants}
            if participant_id not in people:
                raise ValidationFailed("That participant is not part of this assessment.")
            current = repo.get_vote(s, assessment_id, participant_id, domain_key)
        return SetVote(
            current,
            Vote(assessment_id, participant_id, domain_key, stage),
            participant_name=people[participant_id],
        )

    def edit_details(self, assessment_id: str, **changes: object) -> EditAssessment:
        before = self.get(assessment_id)
        if "status" in changes:
            raise ValueError("use finalise() or reopen() to change the status")
        return EditAssessment(before, before.evolve(**changes))

    def finalise(self, assessment_id: str) -> EditAssessment:
        before = self.get(assessment_id)
        if before.is_final:
            raise ValidationFailed("This assessment is already final.")
        return EditAssessment(before, before.evolve(status=Status.FINAL))

    def reopen(self, assessment_id: str, reason: str) -> EditAssessment:
        before = self.get(assessment_id)
        if not before.is_final:
            raise ValidationFailed("This assessment is not final.")
        if not reason.strip():
            raise ValidationFailed("Say why the assessment is being reopened.")
        return EditAssessment(before, before.evolve(status=Status.DRAFT), reason=reason.strip())

    def execute(self, command: Command) -> Change:
        """Validate and apply a command in one committed transaction; audit it; announce it."""
        return self._run(command, undo=False)

    def revert(self, command: Command) -> Change:
        """Undo a command in one committed transaction; the undo is itself audited."""
        return self._run(command, undo=True)

    def _run(self, command: Command, *, undo: bool) -> Change:
        if self.db.read_only:
            raise ValidationFailed("This database is open read-only; changes cannot be saved.")
        target = command.before if undo else command.after  # type: ignore[attr-defined]
        assessment_id = target.id if isinstance(target, Assessment) else target.assessment_id
        with self.db.session() as s:
            current = repo.get_assessment(s, assessment_id)
            if not isinstance(command, EditAssessment) or current.status == target.status:
                check_editable(current)
            elif isinstance(command, EditAssessment) and target.is_final and current.is_final:
                raise FinalisedError("This assessment is already final.")
            if isinstance(target, Rating):
                fw = self.framework_of(current)
                entity = repo.get_entity(s, current.entity_id)
                validate_rating(fw, entity.kind, target)
            if isinstance(target, Vote) and target.stage is not None:
                fw = self.framework_of(current)
                if not fw.has_stage(target.stage):
                    raise ValidationFailed(f"{target.stage!r} is not a stage of {fw.title}.")
            if isinstance(target, Assessment):
                for name in ("strengths", "areas_to_develop", "recommendations"):
                    check_text(name.replace("_", " ").capitalize(), getattr(target, name))
            store = repo.SqlAssessmentStore(s)
            change = command.undo(store) if undo else command.do(store)
            repo.touch_assessment(s, assessment_id)
            action = ("undo " if undo else "") + command.action
            self._audit(s, action, assessment_id, command.domain_key, command.detail())
        self._emit(change)
        return change

    def _audit(
        self, session, action: str, assessment_id: str | None, domain: str | None, detail: str
    ) -> None:  # type: ignore[no-untyped-def]
        repo.append_audit(
            session, AuditEvent(None, utcnow(), self.user, action, assessment_id, domain, detail)
        )

    def add_record(self, record: AssessmentRecord, detail: str) -> Assessment:
        """Store a new assessment (e.g. a peer review) in one audited commit; returns it."""
        if self.db.read_only:
            raise ValidationFailed("This database is open read-only; changes cannot be saved.")
        aid = record.assessment.id
        with self.db.session() as s:
            if repo.has_assessment(s, aid):
                raise ValidationFailed(f"An assessment with id {aid} already exists.")
            repo.SqlAssessmentStore(s).put_record(record)
            self._audit(s, "create", aid, None, detail)
        self._emit(Change(aid, frozenset(), frozenset({"assessment", "created"})))
        return record.assessment
