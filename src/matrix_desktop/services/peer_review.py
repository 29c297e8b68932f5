"""Peer review of a finalised self-assessment, and the self vs peer view domain by domain."""

from __future__ import annotations

from dataclasses import dataclass

from matrix_desktop.core.chart_models import (
    Heatmap,
    HeatmapRow,
    RadarChart,
    RadarSeries,
    radar_for,
)
from matrix_desktop.core.errors import ValidationFailed
from matrix_desktop.core.framework import Framework, FrameworkRef
from matrix_desktop.core.model import (
    Assessment,
    AssessmentKind,
    AssessmentRecord,
    Confidence,
    Entity,
    ReviewPosition,
    new_id,
)
from matrix_desktop.core.rules import check_text
from matrix_desktop.services.assessments import AssessmentService
from matrix_desktop.services.catalog import CatalogService


def _same_person(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        return " ".join(s.split()).casefold()

    return bool(norm(a)) and norm(a) == norm(b)


@dataclass(frozen=True)
class StartedReview:
    """A new draft peer review, and anything the reviewer should be warned about."""

    review: Assessment
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class DomainReview:
    """One domain: the self-assessment beside the peer review."""

    domain_key: str
    title: str
    number: int
    self_stage: str | None
    peer_stage: str | None
    self_position: int | None
    peer_position: int | None
    position: ReviewPosition | None
    comment: str
    suggestions: str
    evidence: str
    rationale: str
    confidence: Confidence | None

    @property
    def difference(self) -> int | None:
        """Self minus peer, in stages (positive: the place rated itself higher)."""
        if self.self_position is None or self.peer_position is None:
            return None
        return self.self_position - self.peer_position

    @property
    def flagged(self) -> bool:
        """The stages differ by one stage or more."""
        return self.difference is not None and abs(self.difference) >= 1


@dataclass(frozen=True)
class SelfVsPeer:
    """A self-assessment and its peer review side by side."""

    entity: Entity
    framework: Framework
    self_assessment: Assessment
    review: Assessment
    domains: tuple[DomainReview, ...]

    @property
    def flagged(self) -> tuple[DomainReview, ...]:
        return tuple(d for d in self.domains if d.flagged)

    @property
    def challenged(self) -> tuple[DomainReview, ...]:
        return tuple(d for d in self.domains if d.position is ReviewPosition.CHALLENGE)

    @property
    def reviewer(self) -> str:
        r = self.review
        return (
            f"{r.reviewer_name} ({r.reviewer_organisation})"
            if r.reviewer_organisation
            else r.reviewer_name
        )

    def radar(self, title: str = "") -> RadarChart:
        """Return the radar overlaying the self-assessment and the peer review."""
        return radar_for(
            self.framework,
            (d.title for d in self.domains),
            (
                RadarSeries("Self-assessment", tuple(d.self_position for d in self.domains)),
                RadarSeries(
                    f"Peer review: {self.reviewer}", tuple(d.peer_position for d in self.domains)
                ),
            ),
            title=title or f"{self.entity.name}: self-assessment and peer review",
        )

    def difference_heatmap(self) -> Heatmap:
        """Return self minus peer per domain as a one-row difference heatmap."""
        return Heatmap(
            title=f"{self.entity.name}: self minus peer (stages)",
            domains=tuple(d.title for d in self.domains),
            rows=(
                HeatmapRow(
                    self.entity.name,
                    self.entity.kind.label,
                    tuple(d.difference for d in self.domains),
                ),
            ),
            stages=tuple(s.name for s in self.framework.stages),
            mode="difference",
        )


class PeerReviewService:
    """Starts peer reviews and puts them beside the self-assessments they review.

    Edits to a review go through AssessmentService commands (edit_rating with stage,
    review_position, review_comment, review_suggestions; edit_details with strengths,
    areas_to_develop, recommendations), so undo and the audit trail cover them.
    """

    def __init__(self, catalog: CatalogService, assessments: AssessmentService):
        self.catalog = catalog
        self.assessments = assessments

    def check(
        self,
        self_assessment_id: str,
        reviewer_name: str,
        reviewer_organisation: str = "",
        framework: FrameworkRef | None = None,
    ) -> tuple[str, ...]:
        """Return warnings for a proposed review; raise ValidationFailed if it must be refused."""
        name = reviewer_name.strip()
        if not name:
            raise ValidationFailed("A peer review needs the reviewer's name.")
        check_text("Reviewer name", name, 300)
        check_text("Reviewer organisation", reviewer_organisation, 300)
        target = self.assessments.get(self_assessment_id)
        if target.kind is not AssessmentKind.SELF_ASSESSMENT:
            raise ValidationFailed(
                f"'{target.title}' is itself a peer review; choose a self-assessment to review."
            )
        if not target.is_final:
            raise ValidationFailed(
                f"'{target.title}' is still a draft. Only a finalised self-assessment can be "
                "peer reviewed; finalise it first."
            )
        mine = FrameworkRef(target.framework_key, target.framework_version)
        if framework is not None and framework != mine:
            raise ValidationFailed(
                f"'{target.title}' was made against {mine.key} version {mine.version}; a peer "
                f"review must use the same version, not {framework.version}."
            )
        warnings = []
        if _same_person(name, target.facilitator):
            warnings.append(
                f"{name} facilitated this self-assessment; a peer reviewer should come from "
                "another place or collaborative."
            )
        elif any(_same_person(name, p.name) for p in target.participants):
            warnings.append(f"{name} took part in this self-assessment.")
        entity = self.catalog.entity(target.entity_id)
        org = reviewer_organisation.strip()
        if org and any(_same_person(org, m) for m in entity.members):
            warnings.append(f"{org} is a member of {entity.name}, the partnership under review.")
        return tuple(warnings)

    def start_review(
        self,
        self_assessment_id: str,
        reviewer_name: str,
        reviewer_organisation: str = "",
        *,
        framework: FrameworkRef | None = None,
        assessed_on: str | None = None,
    ) -> StartedReview:
        """Create a draft peer review of a final self-assessment, against the same version.

        Refuses a draft self-assessment, a different framework version and a missing
        reviewer name (ValidationFailed); warns, without refusing, when the reviewer
        facilitated or took part in the self-assessment.
        """
        warnings = self.check(self_assessment_id, reviewer_name, reviewer_organisation, framework)
        target = self.assessments.get(self_assessment_id)
        name, org = reviewer_name.strip(), reviewer_organisation.strip()
        entity = self.catalog.entity(target.entity_id)
        review = Assessment(
            id=new_id(),
            entity_id=target.entity_id,
            framework_key=target.framework_key,
            framework_version=target.framework_version,
            round_id=target.round_id,
            kind=AssessmentKind.PEER_REVIEW,
            reviews_id=target.id,
            title=f"Peer review of {entity.name} by {name}",
            assessed_on=assessed_on,
            reviewer_name=name,
            reviewer_organisation=org,
        )
        detail = f"peer review of {target.title} by {name}" + (f" ({org})" if org else "")
        self.assessments.add_record(AssessmentRecord(review), detail)
        return StartedReview(review, warnings)

    def reviews_of(self, self_assessment_id: str) -> list[Assessment]:
        """Return the peer reviews of a self-assessment, oldest first."""
        target = self.assessments.get(self_assessment_id)
        return [
            a
            for a in self.assessments.assessments(target.entity_id, target.round_id)
            if a.reviews_id == self_assessment_id
        ]

    def self_vs_peer(self, review_id: str) -> SelfVsPeer:
        """Return a peer review beside the self-assessment it reviews, domain by domain."""
        review = self.assessments.record(review_id)
        r = review.assessment
        if r.kind is not AssessmentKind.PEER_REVIEW or r.reviews_id is None:
            raise ValidationFailed(f"'{r.title}' is not a peer review of a self-assessment.")
        try:
            own = self.assessments.record(r.reviews_id)
        except Exception:
            raise ValidationFailed(
                f"The self-assessment that '{r.title}' reviews is not in this database; "
                "import it first."
            ) from None
        s = own.assessment
        if (s.framework_key, s.framework_version) != (r.framework_key, r.framework_version):
            raise ValidationFailed(
                f"'{r.title}' uses {r.framework_key} {r.framework_version} but the "
                f"self-assessment uses {s.framework_key} {s.framework_version}; they cannot "
                "be compared domain by domain."
            )
        fw = self.assessments.framework_of(s)
        entity = self.catalog.entity(s.entity_id)
        rows = []
        for d in fw.domains_for(entity.kind):
            mine, theirs = own.rating(d.key), review.rating(d.key)
            rows.append(
                DomainReview(
                    domain_key=d.key,
                    title=d.title,
                    number=d.number,
                    self_stage=mine.stage,
                    peer_stage=theirs.stage,
                    self_position=fw.stage_position(mine.stage),
                    peer_position=fw.stage_position(theirs.stage),
                    position=theirs.review_position,
                    comment=theirs.review_comment,
                    suggestions=theirs.review_suggestions,
                    evidence=mine.evidence,
                    rationale=mine.rationale,
                    confidence=mine.confidence,
                )
            )
        return SelfVsPeer(entity, fw, s, r, tuple(rows))
