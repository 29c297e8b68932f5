"""Exchange file format version 1: a strict pydantic schema (unknown keys rejected)."""

from __future__ import annotations

import datetime as _dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

FORMAT_NAME = "matrix-desktop-exchange"
FORMAT_VERSION = 1
MAX_FILE_BYTES = 50 * 1024 * 1024

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"),
]
Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_\-]{0,79}$")]
Name = Annotated[str, StringConstraints(max_length=300)]
Text = Annotated[str, StringConstraints(max_length=200_000)]
ShortText = Annotated[str, StringConstraints(max_length=20_000)]


def _real_date(value: str) -> str:
    _dt.date.fromisoformat(value)  # ValueError: pydantic reports it at the field's path
    return value


def _real_timestamp(value: str) -> str:
    _dt.datetime.fromisoformat(value)
    return value


Date = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$"), AfterValidator(_real_date)]
Timestamp = Annotated[
    str,
    StringConstraints(max_length=40, pattern=r"^\d{4}-\d{2}-\d{2}T"),
    AfterValidator(_real_timestamp),
]
# "sha256:" and 64 lowercase hex digits: file checksums and assessment content hashes.
Digest = Annotated[str, StringConstraints(pattern=r"^sha256:[0-9a-f]{64}$")]
MAX_SHARED_HASHES = 1000


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class ThemeDoc(_Strict):
    text: ShortText
    tags: list[Annotated[str, StringConstraints(max_length=60)]] = Field(
        default_factory=list, max_length=20
    )


class ActionDoc(_Strict):
    # id: the action's own, kept across rounds; an id this database has never seen arrives
    # as a new action. status, completed_on and note are absent in files of older versions.
    id: Id
    what: ShortText
    owner: Name = ""
    due: Date | None = None
    status: Literal["open", "in_progress", "done", "dropped"] = "open"
    completed_on: Date | None = None
    note: ShortText = ""


class RatingDoc(_Strict):
    domain: Key
    stage: Key | None = None
    confidence: Literal["low", "medium", "high"] | None = None
    direction: Literal["improving", "no_change", "deteriorating"] | None = None
    evidence: Text = ""
    rationale: Text = ""
    statements_met: list[Annotated[str, StringConstraints(max_length=200)]] = Field(
        default_factory=list, max_length=500
    )
    enablers: list[ThemeDoc] = Field(default_factory=list, max_length=200)
    support_requests: list[ThemeDoc] = Field(default_factory=list, max_length=200)
    actions: list[ActionDoc] = Field(default_factory=list, max_length=200)
    review_position: Literal["agree", "challenge"] | None = None
    review_comment: Text = ""
    review_suggestions: Text = ""
    carried_forward: bool = False
    target_stage: Key | None = None
    target_date: Date | None = None


class VoteDoc(_Strict):
    participant_id: Id
    domain: Key
    stage: Key


class ParticipantDoc(_Strict):
    id: Id
    name: Name
    organisation: Name = ""


class FrameworkRefDoc(_Strict):
    key: Key
    version: Annotated[str, StringConstraints(min_length=1, max_length=40)]


class AssessmentDoc(_Strict):
    id: Id
    entity_id: Id
    round_id: Id
    framework: FrameworkRefDoc
    kind: Literal["self_assessment", "peer_review"]
    status: Literal["draft", "final"]
    reviews_id: Id | None = None
    title: Name = ""
    assessed_on: Date | None = None
    facilitator: Name = ""
    reviewer_name: Name = ""
    reviewer_organisation: Name = ""
    strengths: Text = ""
    areas_to_develop: Text = ""
    recommendations: Text = ""
    participants: list[ParticipantDoc] = Field(default_factory=list, max_length=500)
    created_at: Timestamp
    modified_at: Timestamp
    revision: int = Field(ge=1, le=10_000_000)
    ratings: list[RatingDoc] = Field(default_factory=list, max_length=200)
    votes: list[VoteDoc] = Field(default_factory=list, max_length=50_000)
    # Optional (files written before merging existed lack them): the hash of this content
    # and the content hashes this copy had whenever it was exported or imported.
    content_hash: Digest | None = None
    shared_hashes: list[Digest] = Field(default_factory=list, max_length=MAX_SHARED_HASHES)


class FeedbackDoc(_Strict):
    # Feedback on the matrix (a request for clarity or a suggested rewording) recorded in one
    # of the file's assessments, on a statement or (statement None) a domain of its framework.
    # id: its own; one this database has never seen arrives as new, a known one is kept.
    id: Id
    assessment_id: Id
    domain: Key
    statement: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None
    kind: Literal["clarity", "rewording"]
    text: Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
    wording: ShortText = ""
    author: Name = ""
    created_at: Timestamp


class SystemDoc(_Strict):
    id: Id
    name: Name
    short_name: Name = ""


class EntityDoc(_Strict):
    id: Id
    system_id: Id
    name: Name
    kind: Literal["integrated_care_system", "place_partnership", "provider_collaborative"]
    members: list[Name] = Field(default_factory=list, max_length=500)


class RoundDoc(_Strict):
    id: Id
    name: Name
    sequence: int = Field(ge=0, le=1_000_000)


class PairingDoc(_Strict):
    # id: the pairing's own, kept across laptops; one this database has never seen arrives
    # as a new pairing, never overwriting another. Absent in files of older versions.
    id: Id
    offering_entity_id: Id
    receiving_entity_id: Id
    domain: Key
    round_id: Id
    note: ShortText = ""
    status: Literal["offered", "agreed", "done", "withdrawn"] = "offered"
    created_by: Name = ""
    created_at: Timestamp
    modified_at: Timestamp


class ExchangeDoc(_Strict):
    """One exchange file: assessments and everything they refer to."""

    format: Literal["matrix-desktop-exchange"]
    format_version: int
    exported_at: Timestamp
    note: Text = ""
    checksum: Digest
    # Framework files in their own format; validated by the framework schema on import.
    frameworks: list[dict[Any, Any]] = Field(default_factory=list, max_length=50)
    systems: list[SystemDoc] = Field(default_factory=list, max_length=10_000)
    entities: list[EntityDoc] = Field(default_factory=list, max_length=100_000)
    rounds: list[RoundDoc] = Field(default_factory=list, max_length=10_000)
    assessments: list[AssessmentDoc] = Field(default_factory=list, max_length=100_000)
    pairings: list[PairingDoc] = Field(default_factory=list, max_length=100_000)
    # Absent in files without feedback (and in files of versions before it existed).
    feedback: list[FeedbackDoc] = Field(default_factory=list, max_length=100_000)


def json_schema() -> dict[str, Any]:
    """Return the JSON Schema of the exchange format."""
    schema = ExchangeDoc.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "matrix-desktop exchange file, format version 1"
    return schema


def json_schema_text() -> str:
    """Return the JSON Schema as the text of resources/schemas/exchange-v1.schema.json."""
    import json

    return json.dumps(json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # python -m matrix_desktop.exchange.schema > resources/schemas/...
    import sys

    sys.stdout.write(json_schema_text())
