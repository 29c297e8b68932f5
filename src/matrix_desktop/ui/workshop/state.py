"""What the scoring screen knows about its assessment, with the texts it shows.

A view-model: plain values and texts, no widgets and no Qt (the import contract in
pyproject.toml keeps it so), so it is tested without a QApplication.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from matrix_desktop.core.chart_models import RadarChart
from matrix_desktop.core.commands import Change
from matrix_desktop.core.errors import NotFound
from matrix_desktop.core.feedback import Feedback
from matrix_desktop.core.framework import Domain
from matrix_desktop.core.model import AssessmentRecord
from matrix_desktop.core.workshop import (
    RadarOptions,
    SpreadRow,
    domain_spread,
    scored_domains,
    workshop_radar,
)

if TYPE_CHECKING:
    from matrix_desktop.services.assessments import AssessmentView
    from matrix_desktop.services.context import Services
    from matrix_desktop.services.unsaved import LastSeen


class ServicesHolder(Protocol):
    """Where the open database's services are: the app's AppContext, or a stand-in in tests."""

    services: Services | None

    @property
    def read_only(self) -> bool: ...  # the database is open read-only (another copy has it)


class WorkshopState:
    """The open assessment, its framework and entity, last round's record, radar options."""

    def __init__(self, ctx: ServicesHolder, assessment_id: str, view: AssessmentView | None = None):
        """view: the assessment's open_view, read already (else read here)."""
        assert ctx.services is not None, "no database is open"
        self.ctx = ctx
        self.assessment_id = assessment_id
        self.options = RadarOptions()
        if view is None:
            view = self.services.assessments.open_view(assessment_id)  # one read, one snapshot
        self.record: AssessmentRecord = view.record
        self.framework = self.services.assessments.framework_of(view.record.assessment)
        self.entity = view.entity
        self.round = view.round
        self.round_name = self.round.name
        # Kept in memory so edits the server cannot take yet can still go to a file.
        self.system = view.system
        self.scored = scored_domains(self.framework, self.entity.kind)
        self.previous: AssessmentRecord | None = view.previous
        self.previous_label = (
            f"Previous round: {view.previous_round.name}"
            if view.previous_round
            else "Previous round"
        )
        # The round each of the entity's actions was agreed in: an action carried over from
        # an earlier round says so in the workshop.
        # Only an assessment holding an action the previous round held can carry one, so the
        # plan is read only then (opening stays one read otherwise).
        self.action_origins: dict[str, str] = (
            {
                row.action.id: row.first_round_name
                for row in self.services.plan.plan(entity_ids=[self.entity.id])
                if row.first_round_name != self.round_name
            }
            if _holds_carried_actions(self.record, view.previous)
            else {}
        )
        # Feedback on the matrix recorded in this assessment (the domain page lists it).
        self.feedback: list[Feedback] = list(view.feedback)

    def last_seen(self) -> LastSeen:
        """Return what was last read of the assessment (memory only: works offline)."""
        from matrix_desktop.services.unsaved import LastSeen

        return LastSeen(self.record, self.framework, self.entity, self.system, self.round)

    @property
    def services(self) -> Services:
        assert self.ctx.services is not None
        return self.ctx.services

    @property
    def heading(self) -> str:
        a = self.record.assessment
        return f"{self.entity.name} · {self.round_name} · {self.framework.title}" + (
            f" · facilitated by {a.facilitator}" if a.facilitator else ""
        )

    def reload(self) -> None:
        self.record = self.services.assessments.record(self.assessment_id)
        self.feedback = self.services.feedback.for_assessment(self.assessment_id)

    def apply(self, change: Change) -> bool:
        """Update the record from a committed change's values; False when it must be reloaded.

        A change made here carries the stored row after it and the assessment's revision.
        When that revision is not the next one, others changed the assessment meanwhile:
        the record is reloaded so the screen (and a finalise) never rests on unseen values.
        """
        rec, a = self.record, self.record.assessment
        if change.external or "status" in change.parts or change.revision is None:
            return False
        if change.revision != a.revision + 1:
            return False
        ratings, votes = rec.ratings, rec.votes
        if change.rating is not None:
            key = change.rating.domain_key
            ratings = tuple(r for r in ratings if r.domain_key != key) + (change.rating,)
        if change.vote is not None:
            v = change.vote
            votes = tuple(
                x
                for x in votes
                if (x.participant_id, x.domain_key) != (v.participant_id, v.domain_key)
            ) + ((v,) if v.stage is not None else ())
        a = change.assessment or a
        self.record = AssessmentRecord(a.evolve(revision=change.revision), ratings, votes)
        fb = change.feedback
        if isinstance(fb, Feedback):
            kept = [f for f in self.feedback if f.id != fb.id]
            self.feedback = kept + [fb] if fb.kind is not None else kept
        return True

    def exists(self) -> bool:
        """True while a database is open and still holds this assessment."""
        if self.ctx.services is None:
            return False
        try:
            self.services.assessments.get(self.assessment_id)
        except NotFound:
            return False
        return True

    def applies(self, domain: Domain) -> bool:
        return domain.applies(self.entity.kind)

    def refusal(self, domain: Domain, *, staging: bool = True) -> str | None:
        """Return why the domain cannot be changed now, or None when it can."""
        if self.record.assessment.is_final:
            return "This assessment is final and read-only. Reopen it (with a reason) to change it."
        if self.services.db.read_only:
            return (
                "This database is open read-only (another copy of Matrix Desktop may be using "
                "it): you can look and export, but changes cannot be saved."
            )
        access = self.services.db.access  # on a server: what this login's role may change
        if access is not None and not access.may_edit(self.record.assessment):
            return access.refusal()
        if staging and not self.applies(domain):
            return (
                f"'{domain.title}' does not apply to a "
                f"{self.entity.kind.label.lower()} in {self.framework.title}, "
                "so it cannot be given a stage."
            )
        return None

    def stage_name(self, key: str | None) -> str:
        return self.framework.stage(key).name if key else "not yet assessed"

    def domain_line(self, d: Domain) -> str:
        if not self.applies(d):
            return f"{d.number}. {d.title}\n    does not apply"
        rating = self.record.rating(d.key)
        marks = []
        if rating.carried_forward:
            marks.append("carried forward")
        if domain_spread(self.framework, self.record, d.key).flagged:
            marks.append("views differ")
        extra = f" ({', '.join(marks)})" if marks else ""
        return f"{d.number}. {d.title}\n    {self.stage_name(rating.stage)}{extra}"

    def suggestion_text(self, d: Domain, suggested: str | None) -> str:
        rating = self.record.rating(d.key)
        agreed = self.stage_name(rating.stage)
        if not rating.statements_met:
            return (
                f"Agreed: {agreed}. Tick the statements the room judges met to see the "
                "stage they support."
            )
        if suggested is None:
            return f"Agreed: {agreed}. The statements ticked do not yet support a stage."
        text = f"Agreed: {agreed}. The statements ticked suggest {self.stage_name(suggested)}"
        if rating.stage and rating.stage != suggested:
            return text + "; the agreed stage stands."
        return text + "."

    def views_text(self, d: Domain) -> str:
        s = domain_spread(self.framework, self.record, d.key)
        if not s.voters:
            return "No views recorded yet."
        counts = ", ".join(f"{self.framework.stage(k).name} {n}" for k, n in s.counts.items() if n)
        flag = " VIEWS DIFFER: discuss before agreeing." if s.flagged else ""
        return f"{s.voters} views: {counts}.{flag}"

    def participant_name(self, participant_id: str) -> str:
        for p in self.record.assessment.participants:
            if p.id == participant_id:
                return p.name
        return ""

    def vote_map(self) -> dict[tuple[str, str], str | None]:
        return {(v.participant_id, v.domain_key): v.stage for v in self.record.votes}

    def spread_rows(self) -> list[SpreadRow]:
        rows = []
        for d in self.framework.domains:
            s = domain_spread(self.framework, self.record, d.key)
            rating = self.record.rating(d.key)
            rows.append(
                SpreadRow(
                    f"{d.number}. {d.title}",
                    tuple(s.counts.values()),
                    s.voters,
                    s.flagged,
                    self.stage_name(rating.stage) if rating.stage else "—",
                    rating.rationale,
                )
            )
        return rows

    def radar_chart(self, options: RadarOptions, *, numbered: bool = True) -> RadarChart:
        return workshop_radar(
            self.framework,
            self.entity.kind,
            self.record,
            title="",
            previous=self.previous,
            previous_label=self.previous_label,
            options=options,
            numbered=numbered,
        )


def _holds_carried_actions(record: AssessmentRecord, previous: AssessmentRecord | None) -> bool:
    """Whether the assessment holds an action (by id) that the previous round's also held."""
    if previous is None:
        return False
    before = {a.id for r in previous.ratings for a in r.actions}
    return any(a.id in before for r in record.ratings for a in r.actions)
