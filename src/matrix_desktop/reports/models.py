"""Plain view-models the report and data-export builders read: no database, no reportlab."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from matrix_desktop.core.chart_models import (
    Heatmap,
    RadarChart,
    StageComparison,
    Trend,
    VoteSpread,
)
from matrix_desktop.core.framework import Framework

PageSize = Literal["a4", "letter"]


ChartModel = RadarChart | Heatmap | Trend | VoteSpread | StageComparison


@dataclass(frozen=True)
class DocumentOptions:
    """How a document is produced: paper size, metadata, and byte-identical output for tests.

    ``author`` stays empty unless the user supplies one, so no personal name reaches the PDF
    metadata by default.  ``deterministic`` fixes dates and ids so identical input gives
    identical bytes.
    """

    page_size: PageSize = "a4"
    author: str = ""
    deterministic: bool = False
    include_charts: bool = True


@dataclass(frozen=True)
class ActionLine:
    """An agreed action as printed: what, who, by when, where it stands."""

    what: str
    owner: str = ""
    due: str = ""
    status: str = ""  # its label: "Open", "In progress", "Done", "Dropped"
    overdue: bool = False


@dataclass(frozen=True)
class StatementLine:
    """One descriptor statement of the agreed stage, and whether it was judged met."""

    text: str
    met: bool


@dataclass(frozen=True)
class DomainSection:
    """Everything the peer-review report prints for one domain."""

    key: str
    number: int
    title: str
    stage: str  # agreed stage name, or "Not yet assessed"
    stage_position: int | None
    statements: tuple[StatementLine, ...] = ()
    met_elsewhere: tuple[str, ...] = ()  # statements judged met at other stages
    previous_stage: str = ""
    peer_stage: str = ""
    peer_position: str = ""  # "Agree" / "Challenge" / ""
    peer_comment: str = ""
    peer_suggestions: str = ""
    confidence: str = ""
    direction: str = ""
    evidence: str = ""
    rationale: str = ""
    votes: tuple[tuple[str, int], ...] = ()  # (stage name, participants)
    enablers: tuple[str, ...] = ()
    support_requests: tuple[str, ...] = ()
    actions: tuple[ActionLine, ...] = ()


@dataclass(frozen=True)
class StageChange:
    """A domain whose agreed stage moved since the previous round's self-assessment."""

    domain: str
    previous: str
    current: str
    steps: int  # current minus previous, in stage steps


@dataclass(frozen=True)
class TargetCheck:
    """A target set in the previous round, against the stage agreed now."""

    domain: str
    target: str  # the previous round's target stage name (and date)
    current: str  # the stage agreed now
    met: bool  # the stage now is at or beyond the target
    distance: str  # "met", "1 stage to go", "exceeded by 1 stage", "" (not assessed)


@dataclass(frozen=True)
class PlanLine:
    """An action as the action plan prints it: where it stands, who owns it, by when."""

    domain: str
    what: str
    owner: str
    due: str
    status: str
    overdue: bool = False
    completed_on: str = ""
    entity: str = ""  # set in the system summary, where the plan spans entities


@dataclass(frozen=True)
class TargetLine:
    """A domain's target in this round, with the distance to it and any warning."""

    domain: str
    current: str  # the stage agreed now
    target: str  # the target stage name
    by: str  # the target date, "" when none
    distance: str  # "2 stages to go", "met", "exceeded by 1 stage", "not assessed"
    notes: tuple[str, ...] = ()  # "the target date ... has passed", target below the stage


@dataclass(frozen=True)
class RoundChanges:
    """What changed since the previous round: stages, targets met, actions done and overdue.

    ``previous_round`` is empty when the entity has no earlier self-assessment; ``compared``
    is False when the previous round used another framework version (stages not compared).
    """

    previous_round: str = ""
    compared: bool = True
    up: tuple[StageChange, ...] = ()
    down: tuple[StageChange, ...] = ()
    same: int = 0  # domains at the same stage in both rounds
    targets: tuple[TargetCheck, ...] = ()
    done: tuple[PlanLine, ...] = ()
    overdue: tuple[PlanLine, ...] = ()
    today: str = ""  # the date overdue is measured from


@dataclass(frozen=True)
class Difference:
    """A domain where the self-assessed and the peer's stage differ."""

    domain: str
    self_stage: str
    peer_stage: str
    steps: int  # self minus peer, in stage steps


@dataclass(frozen=True)
class HelpLine:
    """A request for support and who could help: helpers as 'Name (Stage): enablers'."""

    domain: str
    asker: str
    request: str
    helpers: tuple[str, ...] = ()


@dataclass(frozen=True)
class PairingEntry:
    """A recorded pairing as a report prints it."""

    round: str
    sentence: str  # "Sheffield offered help to Barnsley on Governance"
    status: str
    note: str = ""
    role: str = ""  # in an entity's report: "Offered" or "Received"


@dataclass(frozen=True)
class PeerReviewReport:
    """The peer-review report for one entity in one round."""

    entity: str
    entity_kind: str
    system: str
    round: str
    date: str
    framework: Framework
    facilitator: str = ""
    participants: tuple[str, ...] = ()
    reviewer: str = ""
    has_peer_review: bool = False
    previous_round: str = ""
    status: str = ""  # the self-assessment's: "Draft" or "Final"
    review_status: str = ""  # the peer review's, empty when there is none
    sections: tuple[DomainSection, ...] = ()
    threshold: str = ""  # threshold stage name, empty when the framework has none
    at_threshold: tuple[str, ...] = ()
    below_threshold: tuple[str, ...] = ()
    differences: tuple[Difference, ...] = ()
    strengths: str = ""
    areas_to_develop: str = ""
    recommendations: str = ""
    charts: tuple[ChartModel, ...] = ()
    changes: RoundChanges = field(default_factory=RoundChanges)
    plan: tuple[PlanLine, ...] = ()  # this round's open and in-progress actions
    targets: tuple[TargetLine, ...] = ()
    today: str = ""  # the date overdue and past target dates are measured from
    pairings: tuple[PairingEntry, ...] = ()  # help offered and received (both sides')

    @property
    def drafts(self) -> tuple[str, ...]:
        """What in the report is not final: "self-assessment", "peer review" (or nothing)."""
        out = []
        if self.status.casefold() == "draft":
            out.append("self-assessment")
        if self.has_peer_review and self.review_status.casefold() == "draft":
            out.append("peer review")
        return tuple(out)


@dataclass(frozen=True)
class ThemeEntry:
    """An enabler or a request for support, with the entities that raised it."""

    domain: str
    text: str
    entities: tuple[str, ...]


@dataclass(frozen=True)
class DomainRank:
    """A domain's place across the system: median stage and how many are assessed."""

    domain: str
    median: float | None
    median_stage: str
    assessed: int
    lowest: str = ""
    highest: str = ""


@dataclass(frozen=True)
class EntitySummary:
    """One entity's page in the system summary."""

    name: str
    kind: str
    status: str
    stages: tuple[tuple[str, str], ...]  # (domain title, stage name)
    round: str = ""  # the round the self-assessment comes from (at or before the summary's)
    strongest: tuple[str, ...] = ()
    weakest: tuple[str, ...] = ()
    enablers: tuple[str, ...] = ()
    support_requests: tuple[str, ...] = ()
    actions: int = 0
    radar: RadarChart | None = None


@dataclass(frozen=True)
class SystemSummaryReport:
    """The system summary "as at" a round: each entity's latest final self-assessment up to it."""

    system: str
    round: str
    date: str
    frameworks: tuple[str, ...]
    heatmap: Heatmap | None
    ranking: tuple[DomainRank, ...] = ()
    themes: tuple[tuple[str, int], ...] = ()  # (tag, count) across enablers and requests
    enablers: tuple[ThemeEntry, ...] = ()
    support_requests: tuple[ThemeEntry, ...] = ()
    entities: tuple[EntitySummary, ...] = ()
    missing: tuple[str, ...] = ()  # entities with no final self-assessment up to the round
    stage_colours: tuple[str, ...] = ()  # a background per stage for the single view's cells
    stage_inks: tuple[str, ...] = ()  # the text colour that reads on each background
    help: tuple[HelpLine, ...] = ()  # the round's requests for support, who could help
    pairings: tuple[PairingEntry, ...] = ()  # the round's recorded pairings
    plan: tuple[PlanLine, ...] = ()  # open and in-progress actions across the system
    today: str = ""  # ISO date overdue actions are measured from


@dataclass(frozen=True)
class DataTable:
    """One table of a data export: a name, column headers and rows of plain values."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str | int | float | None, ...], ...] = field(default_factory=tuple)


DEFAULT_OPTIONS = DocumentOptions()
