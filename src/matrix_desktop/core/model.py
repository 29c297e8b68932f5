"""Systems, entities, rounds, assessments, ratings, votes and audit events as plain values."""

from __future__ import annotations

import datetime as _dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from matrix_desktop.core.framework import EntityKind

MAX_TEXT = 200_000  # characters in one free-text field; 100,000 of evidence must fit
MAX_NAME = 300


def new_id() -> str:
    """Return a fresh stable id (a UUID4 string)."""
    return str(uuid.uuid4())


def utcnow() -> str:
    """Return the current UTC time as an ISO 8601 string with microseconds."""
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="microseconds")


class AssessmentKind(StrEnum):
    SELF_ASSESSMENT = "self_assessment"
    PEER_REVIEW = "peer_review"

    @property
    def label(self) -> str:
        return "Self-assessment" if self is AssessmentKind.SELF_ASSESSMENT else "Peer review"


class Status(StrEnum):
    DRAFT = "draft"
    FINAL = "final"


class Confidence(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Direction(StrEnum):
    IMPROVING = "improving"
    NO_CHANGE = "no_change"
    DETERIORATING = "deteriorating"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class ReviewPosition(StrEnum):
    """A peer reviewer's position on a domain's self-assessed stage."""

    AGREE = "agree"
    CHALLENGE = "challenge"


@dataclass(frozen=True)
class System:
    """An integrated care system: the group of places and collaboratives."""

    id: str
    name: str
    short_name: str = ""
    archived: bool = False


@dataclass(frozen=True)
class Entity:
    """A place partnership, provider collaborative or system that is assessed."""

    id: str
    system_id: str
    name: str
    kind: EntityKind
    members: tuple[str, ...] = ()
    archived: bool = False


@dataclass(frozen=True)
class Round:
    """An assessment round such as '2021/22 Q2'; ordered by sequence."""

    id: str
    name: str
    sequence: int = 0
    starts_on: str | None = None  # ISO dates, optional
    ends_on: str | None = None
    archived: bool = False


@dataclass(frozen=True)
class Participant:
    """Someone in the room; may be anonymous ('Partner 3')."""

    id: str
    name: str
    organisation: str = ""


class ActionStatus(StrEnum):
    """Where an action stands; open and in-progress actions follow into the next round."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def is_live(self) -> bool:
        """True while the action is still to be done (open or in progress)."""
        return self in _LIVE  # a str set: enum member lookups are slow over thousands


_LIVE = frozenset(("open", "in_progress"))


@dataclass(frozen=True)
class Action:
    """An agreed action: what, who, by when, and where it stands.

    Its id stays the same across rounds: a new round's assessment holds the previous
    round's open actions under their own ids, so the action plan follows one action, not
    copies of its text.
    """

    id: str
    what: str
    owner: str = ""
    due: str | None = None  # ISO date
    status: ActionStatus = ActionStatus.OPEN
    completed_on: str | None = None  # ISO date, when done or dropped
    note: str = ""

    def is_overdue(self, today: str) -> bool:
        """True when still to be done and its due date (ISO) is before today (ISO)."""
        return self.status.is_live and self.due is not None and self.due < today


def action_as_dict(a: Action) -> dict[str, object]:
    """Return an action as plain JSON values; the newer keys only when set.

    Leaving out defaults keeps the content hash of an assessment written before actions had
    a status unchanged, so exchange files of older versions still merge against it.
    """
    out: dict[str, object] = {"id": a.id, "what": a.what, "owner": a.owner, "due": a.due}
    if a.status is not ActionStatus.OPEN:
        out["status"] = a.status.value
    if a.completed_on:
        out["completed_on"] = a.completed_on
    if a.note:
        out["note"] = a.note
    return out


_STATUSES = {s.value: s for s in ActionStatus}  # a dict lookup: the plan reads thousands


def action_from_dict(d: Mapping[str, Any]) -> Action:
    """Return the action in a dict written by action_as_dict (older forms included)."""
    status = str(d.get("status") or "open")
    state = _STATUSES.get(status) or ActionStatus(status)  # ValueError names a bad one
    return Action(
        d["id"],
        d["what"],
        d.get("owner") or "",
        d.get("due"),
        state,
        d.get("completed_on"),
        d.get("note") or "",
    )


@dataclass(frozen=True)
class ThemeItem:
    """A key enabler or a request for support, with user-assigned tags."""

    text: str
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rating:
    """One domain's rating within an assessment."""

    assessment_id: str
    domain_key: str
    stage: str | None = None
    confidence: Confidence | None = None
    direction: Direction | None = None
    evidence: str = ""
    rationale: str = ""
    statements_met: tuple[str, ...] = ()
    enablers: tuple[ThemeItem, ...] = ()
    support_requests: tuple[ThemeItem, ...] = ()
    actions: tuple[Action, ...] = ()
    review_position: ReviewPosition | None = None
    review_comment: str = ""
    review_suggestions: str = ""
    carried_forward: bool = False
    target_stage: str | None = None  # the stage the entity aims to reach in this domain
    target_date: str | None = None  # ISO date, by when

    def evolve(self, **changes: Any) -> Rating:
        return replace(self, **changes)


def rating_as_dict(r: Rating) -> dict[str, object]:
    """Return a rating's fields as plain JSON values (exchange files, `assessment show`)."""
    return {
        "stage": r.stage,
        "confidence": r.confidence.value if r.confidence else None,
        "direction": r.direction.value if r.direction else None,
        "evidence": r.evidence,
        "rationale": r.rationale,
        "statements_met": list(r.statements_met),
        "enablers": [{"text": t.text, "tags": list(t.tags)} for t in r.enablers],
        "support_requests": [{"text": t.text, "tags": list(t.tags)} for t in r.support_requests],
        "actions": [action_as_dict(a) for a in r.actions],
        "review_position": r.review_position.value if r.review_position else None,
        "review_comment": r.review_comment,
        "review_suggestions": r.review_suggestions,
        "carried_forward": r.carried_forward,
        # Only when set, so the content hash of an assessment without targets is unchanged.
        **({"target_stage": r.target_stage} if r.target_stage else {}),
        **({"target_date": r.target_date} if r.target_date else {}),
    }


@dataclass(frozen=True)
class Vote:
    """One participant's view of a domain's stage."""

    assessment_id: str
    participant_id: str
    domain_key: str
    stage: str | None


@dataclass(frozen=True)
class Assessment:
    """One entity scored against one framework version in one round."""

    id: str
    entity_id: str
    framework_key: str
    framework_version: str
    round_id: str
    kind: AssessmentKind = AssessmentKind.SELF_ASSESSMENT
    status: Status = Status.DRAFT
    reviews_id: str | None = None
    title: str = ""
    assessed_on: str | None = None  # ISO date
    facilitator: str = ""
    reviewer_name: str = ""
    reviewer_organisation: str = ""
    strengths: str = ""
    areas_to_develop: str = ""
    recommendations: str = ""
    participants: tuple[Participant, ...] = ()
    created_at: str = field(default_factory=utcnow)
    modified_at: str = field(default_factory=utcnow)
    revision: int = 1

    @property
    def is_final(self) -> bool:
        return self.status is Status.FINAL

    @property
    def is_peer_review(self) -> bool:
        return self.kind is AssessmentKind.PEER_REVIEW

    def evolve(self, **changes: Any) -> Assessment:
        return replace(self, **changes)


@dataclass(frozen=True)
class AuditEvent:
    """One recorded change: when, by whom, what."""

    id: int | None
    at: str
    user: str
    action: str
    assessment_id: str | None = None
    domain_key: str | None = None
    detail: str = ""
    db_role: str | None = None  # the database login on a server (None on SQLite)

    @property
    def who(self) -> str:
        """Who made the change, in words: the laptop's user name, and beside it the database
        login the server recorded when that differs (the name anyone can set; the login the
        server vouches for)."""
        if self.db_role and self.db_role != self.user:
            return f"{self.user} (database login {self.db_role})"
        return self.user


@dataclass(frozen=True)
class AssessmentRecord:
    """An assessment with all it holds: ratings by domain and votes."""

    assessment: Assessment
    ratings: tuple[Rating, ...] = ()
    votes: tuple[Vote, ...] = ()

    def rating(self, domain_key: str) -> Rating:
        for r in self.ratings:
            if r.domain_key == domain_key:
                return r
        return Rating(self.assessment.id, domain_key)

    def votes_for(self, domain_key: str) -> tuple[Vote, ...]:
        return tuple(v for v in self.votes if v.domain_key == domain_key)


class PairingStatus(StrEnum):
    """Where a pairing stands."""

    OFFERED = "offered"
    AGREED = "agreed"
    DONE = "done"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return self.value.capitalize()


@dataclass(frozen=True)
class Pairing:
    """One entity helping another with a domain in a round (core.help_match).

    Recorded by a programme office: "Sheffield offered help to Barnsley on governance".
    """

    id: str
    offering_entity_id: str
    receiving_entity_id: str
    domain_key: str
    round_id: str
    note: str = ""
    status: PairingStatus = PairingStatus.OFFERED
    created_by: str = ""
    created_at: str = ""
    modified_at: str = ""
