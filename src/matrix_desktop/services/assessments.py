"""Assessments: create, read and change them by commands, each committed and audited."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar, cast

from matrix_desktop.core.commands import (
    Change,
    Command,
    Edit,
    SetStatus,
    assessment_edit,
    rating_edit,
    vote_edit,
)
from matrix_desktop.core.errors import AlreadyExists, EditConflict, ValidationFailed
from matrix_desktop.core.framework import EntityKind, Framework
from matrix_desktop.core.merge import merge_fields
from matrix_desktop.core.model import (
    Assessment,
    AssessmentKind,
    AssessmentRecord,
    AuditEvent,
    Participant,
    Rating,
    Round,
    Status,
    Vote,
    new_id,
    utcnow,
)
from matrix_desktop.core.plan import carried_actions
from matrix_desktop.core.rules import check_text, review_problem, validate_rating
from matrix_desktop.services import local_user
from matrix_desktop.services.catalog import CatalogService
from matrix_desktop.storage import edits
from matrix_desktop.storage import repository as repo
from matrix_desktop.storage.database import Database
from matrix_desktop.storage.views import AssessmentView

if TYPE_CHECKING:
    from sqlalchemy import Executable
    from sqlalchemy.orm import Session

    from matrix_desktop.core.feedback import Feedback

_Row = TypeVar("_Row", Assessment, Rating, Vote, "Feedback")  # the stored values an edit changes

ChangeListener = Callable[[Change], None]


class AssessmentService:
    """Creates assessments and applies commands to them: validated, committed, audited."""

    def __init__(self, db: Database, catalog: CatalogService, user: str | None = None):
        self.db = db
        self.catalog = catalog
        self.user = user or local_user()
        self._listeners: list[ChangeListener] = []
        self._kinds: dict[str, EntityKind] = {}
        self.own_audit_ids: set[int] = set()  # events this copy wrote (the feed skips them)

    # -- listening ---------------------------------------------------------------------
    def subscribe(self, listener: ChangeListener) -> None:
        """Call listener with each Change after it is committed."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: ChangeListener) -> None:
        """Stop calling listener (no error if it was not subscribed)."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    def announce(self, change: Change) -> None:
        """Tell listeners of a change committed elsewhere (another copy, via the feed)."""
        self._emit(change)

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

    def rated_counts(self, entity_id: str) -> dict[str, int]:
        """Return how many domains have a stage, for each of an entity's assessments (1 query)."""
        with self.db.reader() as s:
            return repo.count_rated_by_assessment(s, entity_id)

    def get(self, assessment_id: str) -> Assessment:
        with self.db.reader() as s:
            return repo.get_assessment(s, assessment_id)

    def record(self, assessment_id: str) -> AssessmentRecord:
        """Return the assessment with its ratings and votes."""
        with self.db.reader() as s:
            return repo.get_record(s, assessment_id)

    def open_view(self, assessment_id: str) -> AssessmentView:
        """Return what the scoring screen shows of an assessment, read in one snapshot.

        The record, its entity, system and round, and the previous round's record (see
        previous()): one read of seven queries instead of a read for each.
        """
        from matrix_desktop.storage.views import read_assessment_view

        with self.db.reader() as s:
            return read_assessment_view(s, assessment_id)

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
        if self.db.read_only:
            raise ValidationFailed("This database is open read-only; changes cannot be saved.")
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
        if entity.archived:
            raise ValidationFailed(f"{entity.name} is archived; restore it to assess it.")
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
            self._refuse_second(s, entity.name, entity_id, rnd.id, rnd.name, framework)
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
            ratings, plan_note = _carry_plan(s, assessment, rnd, framework, ratings)
            store = repo.SqlAssessmentStore(s)
            store.put_record(AssessmentRecord(assessment, tuple(ratings)))
            detail = f"{entity.name}, {rnd.name}, {framework.title}"
            if carry_forward_from:
                detail += f"; ratings carried forward from {source_title}"
            detail += plan_note
            self._audit(s, "create", assessment_id, None, detail)
        self._emit(Change(assessment_id, frozenset(), frozenset({"assessment", "created"})))
        return assessment

    def _refuse_second(
        self,
        session: Session,
        entity_name: str,
        entity_id: str,
        round_id: str,
        round_name: str,
        framework: Framework,
    ) -> None:
        """Refuse a second self-assessment of an entity in a round against one framework."""
        for other in repo.list_assessments(session, entity_id, round_id):
            if (
                other.kind is AssessmentKind.SELF_ASSESSMENT
                and other.framework_key == framework.key
            ):
                raise AlreadyExists(
                    f"{entity_name} already has a self-assessment for {round_name} against "
                    f"{framework.name} ({other.title}, id {other.id}); open it instead.",
                    "assessment",
                    other.id,
                )

    # -- edits -------------------------------------------------------------------------
    def edit_rating(
        self, assessment_id: str, domain_key: str, *, seen: Rating | None = None, **changes: object
    ) -> Edit:
        """Return the edit of one domain's rating from the values the user saw (not applied).

        seen: the rating as shown to the user; None reads the stored one now (a script's
        edit, made against the current values).
        """
        if seen is None:
            with self.db.reader() as s:
                seen = repo.get_rating(s, assessment_id, domain_key)
        changes = {k: v for k, v in changes.items() if k != "carried_forward"}
        return rating_edit(seen, **changes)

    def set_vote(
        self,
        assessment_id: str,
        participant_id: str,
        domain_key: str,
        stage: str | None,
        *,
        seen: Vote | None = None,
        who: str = "",
    ) -> Edit:
        """Return the edit of one participant's view (not applied); seen as edit_rating."""
        if seen is None or not who:
            with self.db.reader() as s:
                assessment = repo.get_assessment(s, assessment_id)
                people = {p.id: p.name for p in assessment.participants}
                if participant_id not in people:
                    raise ValidationFailed("That participant is not part of this assessment.")
                who = who or people[participant_id]
                if seen is None:
                    seen = repo.get_vote(s, assessment_id, participant_id, domain_key)
        return vote_edit(seen, stage, who)

    def edit_details(
        self, assessment_id: str, *, seen: Assessment | None = None, **changes: object
    ) -> Edit:
        """Return the edit of an assessment's details (narrative, title, people...)."""
        if "status" in changes:
            raise ValueError("use finalise() or reopen() to change the status")
        return assessment_edit(seen or self.get(assessment_id), **changes)

    def finalise(self, assessment_id: str, seen_revision: int | None = None) -> SetStatus:
        """Return the finalise command; with seen_revision it is refused over unseen changes."""
        return SetStatus(assessment_id, Status.FINAL, seen_revision=seen_revision)

    def reopen(self, assessment_id: str, reason: str) -> SetStatus:
        if not reason.strip():
            raise ValidationFailed("Say why the assessment is being reopened.")
        return SetStatus(assessment_id, Status.DRAFT, reason=reason.strip())

    def execute(self, command: Command) -> Change:
        """Apply an edit in one transaction (compare-and-set, validated, audited); announce it.

        Returns the Change with the stored values after it. Raises EditConflict (nothing
        written) when a field the edit touches was changed by someone else since the user
        saw it, FinalisedError when the assessment is final, StaleError when a finalise
        would cover changes the user has not seen.
        """
        if self.db.read_only:
            raise ValidationFailed("This database is open read-only; changes cannot be saved.")
        if isinstance(command, SetStatus):
            change = self._apply_status(command)
        else:
            assert isinstance(command, Edit)
            change = self._apply_edit(command)
        self._emit(change)
        return change

    def revert(self, command: Command) -> Change:
        """Undo a command by applying its inverse to the fields it changed; audited as undo.

        Undo of a field someone else has since changed is an EditConflict, not an overwrite.
        """
        inverse = command.inverse()
        inverse.action = "undo " + command.action
        change = self.execute(inverse)
        if isinstance(command, Edit) and isinstance(inverse, Edit):
            # Redo re-applies from what the undo left to what it replaced.
            command.seen, command.new = dict(inverse.after), dict(inverse.before)
        elif isinstance(command, SetStatus) and isinstance(inverse, SetStatus):
            command.seen_revision = inverse.revision_after
        return change

    def _apply_status(self, command: SetStatus) -> Change:
        now = utcnow()
        with self.db.session() as s:
            revision = edits.set_status(
                s, command.target_id, command.status, now, command.seen_revision
            )
            command.revision_after = revision
            self._audit_event(s, command.action, command.target_id, None, command.detail(), now)
        return Change(
            command.target_id,
            frozenset(),
            frozenset({"assessment", "status"}),
            revision=revision,
        )

    def _apply_edit(self, command: Edit) -> Change:
        target, now = command.target, utcnow()
        if target.kind == "pairing":
            from matrix_desktop.services.pairing_edits import apply_pairing_edit

            return apply_pairing_edit(self.db, self.catalog, self.user, self.own_audit_ids, command)
        aid = target.assessment_id
        writes: list[Executable] = []
        with self.db.session() as s:
            # The claim and the reads: one round trip on a server (storage.edits).
            claimed = edits.claim_and_read(
                s, aid, now, target.kind, target.domain_key, target.participant_id
            )
            revision = claimed.revision
            if target.kind == "rating":
                assert target.domain_key is not None
                stored = claimed.rating
                current = stored or Rating(aid, target.domain_key)
                merged, before, after = self._merge(command, current, f"{target.domain_key}")
                merged = merged.evolve(carried_forward=False) if after else merged
                fw = self.catalog.framework(claimed.framework_key, claimed.framework_version)
                if claimed.entity_kind is not None:
                    kind = self._kinds.setdefault(
                        claimed.entity_id, EntityKind(claimed.entity_kind)
                    )
                else:
                    kind = self._entity_kind(s, claimed.entity_id)
                validate_rating(fw, kind, merged)
                if after:
                    writes.append(edits.rating_write(merged, list(after), stored is not None, now))
                change = Change(
                    aid,
                    frozenset({target.domain_key}),
                    frozenset({"rating"}),
                    rating=merged,
                    revision=revision,
                )
            elif target.kind == "vote":
                assert target.domain_key is not None and target.participant_id is not None
                a = claimed.assessment
                assert a is not None and claimed.vote is not None
                if target.participant_id not in {p.id for p in a.participants}:
                    raise ValidationFailed("That participant is not part of this assessment.")
                stored_vote = claimed.vote
                vote, before, after = self._merge(command, stored_vote, "this view")
                if vote.stage is not None:
                    fw = self.framework_of(a)
                    if not fw.has_stage(vote.stage):
                        raise ValidationFailed(f"{vote.stage!r} is not a stage of {fw.title}.")
                if after:
                    writes.append(edits.vote_write(vote, stored_vote.stage is not None))
                change = Change(
                    aid,
                    frozenset({target.domain_key}),
                    frozenset({"vote"}),
                    vote=vote,
                    revision=revision,
                )
            elif target.kind == "feedback":
                change, before, after = self._feedback_edit(s, command, claimed, now, writes)
            else:
                a = claimed.assessment
                assert a is not None
                merged_a, before, after = self._merge(command, a, "the assessment's details")
                for name in ("strengths", "areas_to_develop", "recommendations"):
                    check_text(name.replace("_", " ").capitalize(), getattr(merged_a, name))
                for name in ("title", "facilitator", "reviewer_name", "reviewer_organisation"):
                    check_text(name.replace("_", " ").capitalize(), getattr(merged_a, name), 300)
                if after:
                    writes.append(edits.assessment_write(merged_a, list(after)))
                change = Change(
                    aid,
                    frozenset(),
                    frozenset({"assessment"}),
                    assessment=merged_a.evolve(revision=revision, modified_at=now),
                    revision=revision,
                )
            command.before = before
            command.after = {k: after.get(k, before[k]) for k in before}
            # The writes, the audit event and (on a server) the COMMIT: one round trip.
            event = AuditEvent(
                None, now, self.user, command.action, aid, target.domain_key, command.detail()
            )
            self.own_audit_ids.add(edits.write_and_audit(s, writes, event))
        return change

    def _feedback_edit(
        self,
        s: Session,
        command: Edit,
        claimed: edits.Claimed,
        now: str,
        writes: list[Executable],
    ) -> tuple[Change, dict[str, object], dict[str, object]]:
        """Merge an edit of feedback on the matrix into the stored one (core.feedback)."""
        from matrix_desktop.core.feedback import Feedback, check_feedback, feedback_kind
        from matrix_desktop.storage import feedback_repo

        target = command.target
        assert target.domain_key is not None and target.item_id is not None
        stored = feedback_repo.get_feedback(s, target.item_id)
        if stored is not None and stored.assessment_id != target.assessment_id:
            raise ValidationFailed(
                f"Feedback {target.item_id} belongs to another assessment; nothing was changed."
            )
        current = stored or Feedback(
            target.item_id, target.assessment_id, target.domain_key, author=self.user
        )
        merged, before, after = self._merge(command, current, "this feedback")
        if merged.kind is not None:
            merged = merged.evolve(kind=feedback_kind(merged.kind))
        fw = self.catalog.framework(claimed.framework_key, claimed.framework_version)
        check_feedback(fw, merged)
        if after and (stored is not None or merged.kind is not None):
            writes.append(
                feedback_repo.feedback_write(
                    merged.evolve(created_at=merged.created_at or now),
                    stored is not None,
                    claimed.framework_key,
                    claimed.framework_version,
                    now,
                )
            )
        change = Change(
            target.assessment_id,
            frozenset({target.domain_key}),
            frozenset({"feedback"}),
            revision=claimed.revision,
            feedback=merged,
        )
        return change, before, after

    def _merge(
        self, command: Edit, current: _Row, where: str
    ) -> tuple[_Row, dict[str, object], dict[str, object]]:
        """Merge the edit into the stored row; returns (row after, values replaced, written)."""
        stored = {name: getattr(current, name) for name in command.new}
        writes, conflicts = merge_fields(command.seen, command.new, stored)
        if conflicts:
            label = where
            if command.target.kind == "rating":
                label = f"domain {where}"
            raise EditConflict(label, conflicts, command)
        # Each value written is the field's own (the user's or the stored one), so any type fits.
        merged = replace(current, **cast(dict[str, Any], writes)) if writes else current
        return merged, stored, writes

    def _entity_kind(self, session: Session, entity_id: str) -> EntityKind:
        """Return an entity's kind (which decides the domains that apply); kinds never change."""
        kind = self._kinds.get(entity_id)
        if kind is None:
            kind = self._kinds[entity_id] = repo.get_entity(session, entity_id).kind
        return kind

    def _audit(
        self,
        session: Session,
        action: str,
        assessment_id: str | None,
        domain: str | None,
        detail: str,
    ) -> None:
        self._audit_event(session, action, assessment_id, domain, detail, utcnow())

    def _audit_event(
        self,
        session: Session,
        action: str,
        assessment_id: str | None,
        domain: str | None,
        detail: str,
        at: str,
    ) -> None:
        event = AuditEvent(None, at, self.user, action, assessment_id, domain, detail)
        self.own_audit_ids.add(edits.append_audit(session, event))

    @staticmethod
    def _check_review_target(s: Session, review: Assessment) -> None:
        """Refuse a peer review of anything but a self-assessment of the same place."""
        if review.kind is not AssessmentKind.PEER_REVIEW:
            return
        if review.reviews_id is None or not repo.has_assessment(s, review.reviews_id):
            raise ValidationFailed(
                "A peer review must name the self-assessment it reviews, in this database."
            )
        target = repo.get_record(s, review.reviews_id).assessment
        problem = review_problem(review, target)
        if problem is not None:
            raise ValidationFailed(f"Peer review {review.id}, {problem[0]}: {problem[1]}.")

    def add_record(self, record: AssessmentRecord, detail: str) -> Assessment:
        """Store a new assessment (e.g. a peer review) in one audited commit; returns it."""
        if self.db.read_only:
            raise ValidationFailed("This database is open read-only; changes cannot be saved.")
        aid = record.assessment.id
        with self.db.session() as s:
            if repo.has_assessment(s, aid):
                raise ValidationFailed(f"An assessment with id {aid} already exists.")
            self._check_review_target(s, record.assessment)
            repo.SqlAssessmentStore(s).put_record(record)
            self._audit(s, "create", aid, None, detail)
        self._emit(Change(aid, frozenset(), frozenset({"assessment", "created"})))
        return record.assessment


def _carry_plan(
    session: Session,
    assessment: Assessment,
    rnd: Round,
    framework: Framework,
    ratings: list[Rating],
) -> tuple[list[Rating], str]:
    """Bring the previous round's open actions and targets into a new self-assessment.

    The previous round is the entity's latest self-assessment in an earlier round. Its open
    and in-progress actions keep their ids (the same actions, updated in this round), and
    each domain's target carries over while the framework still has that stage. Returns the
    ratings and a note for the audit trail ('' when nothing was carried).
    """
    order = {r.id: r.sequence for r in repo.list_rounds(session)}
    earlier = [
        a
        for a in repo.list_assessments(session, assessment.entity_id)
        if a.kind is AssessmentKind.SELF_ASSESSMENT
        and order.get(a.round_id, 0) < rnd.sequence
        and a.id != assessment.id
    ]
    if not earlier:
        return ratings, ""
    prev = max(earlier, key=lambda a: (order.get(a.round_id, 0), a.created_at))
    record = repo.get_record(session, prev.id)
    by_domain = {r.domain_key: r for r in ratings}
    actions = targets = 0
    for old in record.ratings:
        if not framework.has_domain(old.domain_key):
            continue
        live = carried_actions(old.actions)
        target = (
            old.target_stage if old.target_stage and framework.has_stage(old.target_stage) else None
        )
        if not live and target is None:
            continue
        mine = by_domain.get(old.domain_key) or Rating(assessment.id, old.domain_key)
        known = {a.id for a in mine.actions}
        mine = mine.evolve(actions=mine.actions + tuple(a for a in live if a.id not in known))
        if target is not None and mine.target_stage is None:
            mine = mine.evolve(target_stage=target, target_date=old.target_date)
            targets += 1
        actions += len(live)
        by_domain[old.domain_key] = mine
    if not actions and not targets:
        return ratings, ""
    kept = [by_domain[k] for k in by_domain]
    return kept, (
        f"; {actions} open action{'s' if actions != 1 else ''} and {targets} "
        f"target{'s' if targets != 1 else ''} carried from {prev.title or prev.id}"
    )
