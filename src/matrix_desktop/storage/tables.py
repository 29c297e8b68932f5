"""SQLModel tables: the database schema of the current version (migrations create it)."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Table, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def table_of(model: type[SQLModel]) -> Table:
    """Return a table class's Core Table, for Core statements and driver-level bulk work."""
    return SQLModel.metadata.tables[str(model.__tablename__)]


class FrameworkRow(SQLModel, table=True):
    __tablename__ = "framework"
    __table_args__ = (UniqueConstraint("key", "version", name="uq_framework_key_version"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=80)
    version: str = Field(max_length=40)
    name: str
    publisher: str
    published: str
    bundled: bool = False
    spec_json: str = Field(sa_column=Column(Text, nullable=False))
    imported_at: str


class SystemRow(SQLModel, table=True):
    __tablename__ = "system"

    id: str = Field(primary_key=True, max_length=36)
    name: str = Field(index=True, unique=True)
    short_name: str = ""
    modified_at: str
    archived_at: str | None = None


class EntityRow(SQLModel, table=True):
    __tablename__ = "entity"
    __table_args__ = (UniqueConstraint("system_id", "name", name="uq_entity_system_name"),)

    id: str = Field(primary_key=True, max_length=36)
    system_id: str = Field(
        sa_column=Column(Text, ForeignKey("system.id", ondelete="RESTRICT"), nullable=False)
    )
    name: str
    kind: str = Field(max_length=40)
    members_json: str = Field(default="[]", sa_column=Column(Text, nullable=False))
    modified_at: str
    archived_at: str | None = None


class RoundRow(SQLModel, table=True):
    __tablename__ = "round"

    id: str = Field(primary_key=True, max_length=36)
    name: str = Field(index=True, unique=True)
    sequence: int = 0
    starts_on: str | None = None
    ends_on: str | None = None
    archived_at: str | None = None


class AssessmentRow(SQLModel, table=True):
    __tablename__ = "assessment"
    __table_args__ = (Index("ix_assessment_entity_round", "entity_id", "round_id"),)

    id: str = Field(primary_key=True, max_length=36)
    entity_id: str = Field(
        sa_column=Column(Text, ForeignKey("entity.id", ondelete="RESTRICT"), nullable=False)
    )
    framework_key: str
    framework_version: str
    round_id: str = Field(
        sa_column=Column(Text, ForeignKey("round.id", ondelete="RESTRICT"), nullable=False)
    )
    kind: str = Field(max_length=20)
    status: str = Field(max_length=10)
    reviews_id: str | None = Field(
        default=None,
        sa_column=Column(Text, ForeignKey("assessment.id", ondelete="SET NULL"), nullable=True),
    )
    title: str = ""
    assessed_on: str | None = None
    facilitator: str = ""
    reviewer_name: str = ""
    reviewer_organisation: str = ""
    strengths: str = Field(default="", sa_column=Column(Text, nullable=False))
    areas_to_develop: str = Field(default="", sa_column=Column(Text, nullable=False))
    recommendations: str = Field(default="", sa_column=Column(Text, nullable=False))
    participants_json: str = Field(default="[]", sa_column=Column(Text, nullable=False))
    created_at: str
    modified_at: str
    revision: int = 1
    # The database role that created it (PostgreSQL fills it from session_user; see 0004).
    created_by: str | None = None


class RatingRow(SQLModel, table=True):
    __tablename__ = "rating"

    assessment_id: str = Field(
        sa_column=Column(Text, ForeignKey("assessment.id", ondelete="CASCADE"), primary_key=True)
    )
    domain_key: str = Field(primary_key=True)
    stage: str | None = None
    confidence: str | None = None
    direction: str | None = None
    evidence: str = Field(default="", sa_column=Column(Text, nullable=False))
    rationale: str = Field(default="", sa_column=Column(Text, nullable=False))
    statements_met_json: str = Field(default="[]", sa_column=Column(Text, nullable=False))
    enablers_json: str = Field(default="[]", sa_column=Column(Text, nullable=False))
    support_json: str = Field(default="[]", sa_column=Column(Text, nullable=False))
    actions_json: str = Field(default="[]", sa_column=Column(Text, nullable=False))
    review_position: str | None = None
    review_comment: str = Field(default="", sa_column=Column(Text, nullable=False))
    review_suggestions: str = Field(default="", sa_column=Column(Text, nullable=False))
    carried_forward: bool = False
    target_stage: str | None = None
    target_date: str | None = None
    modified_at: str


class VoteRow(SQLModel, table=True):
    __tablename__ = "vote"

    assessment_id: str = Field(
        sa_column=Column(Text, ForeignKey("assessment.id", ondelete="CASCADE"), primary_key=True)
    )
    participant_id: str = Field(primary_key=True)
    domain_key: str = Field(primary_key=True)
    stage: str | None = None


class TrashRow(SQLModel, table=True):
    """A deleted assessment: every row it had (assessment, ratings, votes, sync) as JSON.

    Restoring puts the rows back; nothing else refers to a trashed assessment.
    """

    __tablename__ = "assessment_trash"

    assessment_id: str = Field(primary_key=True, max_length=36)
    entity_id: str = Field(sa_column=Column(Text, nullable=False))
    round_id: str = Field(sa_column=Column(Text, nullable=False))
    title: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(max_length=10)
    deleted_at: str
    deleted_by: str
    reason: str = Field(default="", sa_column=Column(Text, nullable=False))
    rows_json: str = Field(sa_column=Column(Text, nullable=False))


class AuditRow(SQLModel, table=True):
    """Append-only: rows are never updated or deleted (a trigger enforces it on SQLite)."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: str = Field(index=True)
    user: str
    action: str
    assessment_id: str | None = Field(default=None, index=True)
    domain_key: str | None = None
    detail: str = Field(default="", sa_column=Column(Text, nullable=False))
    # The database login (session_user) on PostgreSQL, set by a trigger; NULL on SQLite.
    db_role: str | None = None


class EntityAccessRow(SQLModel, table=True):
    """A login's named entities on a server: 'facilitator' or 'peer_reviewer' of an entity.

    The row-level-security policies of storage.server_lifecycle read it; `server grant` writes it.
    """

    __tablename__ = "entity_access"

    login: str = Field(primary_key=True)
    role: str = Field(primary_key=True, max_length=20)
    entity_id: str = Field(
        sa_column=Column(Text, ForeignKey("entity.id", ondelete="CASCADE"), primary_key=True)
    )


class MetaRow(SQLModel, table=True):
    """Small key/value facts about the database (e.g. when it was last backed up)."""

    __tablename__ = "app_meta"

    key: str = Field(primary_key=True)
    value: str = ""


class SyncHashRow(SQLModel, table=True):
    """A content hash an assessment has had when it was exported or imported (its ancestry).

    Merging on import compares these sets: if the incoming copy's ancestry holds this
    database's current content, only the file changed; the other way round, only this
    database changed; otherwise both changed since they last shared a revision.
    """

    __tablename__ = "sync_hash"

    assessment_id: str = Field(
        sa_column=Column(Text, ForeignKey("assessment.id", ondelete="CASCADE"), primary_key=True)
    )
    content_hash: str = Field(primary_key=True, max_length=80)
    shared_at: str


class SyncBaseRow(SQLModel, table=True):
    """The content an assessment had when it was exported or imported: a base for merging.

    content_json is the canonical content (exchange.codec.content_body) whose hash is
    content_hash. An import whose copy and this database's both changed merges them field by
    field from the newest base here that is also in the file's ancestry. A few of the most
    recent bases are kept per assessment (services.exchange_import.KEEP_BASES).
    """

    __tablename__ = "sync_base"

    assessment_id: str = Field(
        sa_column=Column(Text, ForeignKey("assessment.id", ondelete="CASCADE"), primary_key=True)
    )
    content_hash: str = Field(primary_key=True, max_length=80)
    content_json: str = Field(sa_column=Column(Text, nullable=False))
    shared_at: str


class PairingRow(SQLModel, table=True):
    """One entity helping another with a domain in a round (issue 17: help matched to need).

    Changed only through the edit path (AssessmentService.execute, audited); exchange files
    carry it by id, so it keeps its identity across laptops.
    """

    __tablename__ = "pairing"
    __table_args__ = (Index("ix_pairing_round", "round_id"),)

    id: str = Field(primary_key=True, max_length=36)
    offering_entity_id: str = Field(
        sa_column=Column(Text, ForeignKey("entity.id", ondelete="RESTRICT"), nullable=False)
    )
    receiving_entity_id: str = Field(
        sa_column=Column(Text, ForeignKey("entity.id", ondelete="RESTRICT"), nullable=False)
    )
    domain_key: str
    round_id: str = Field(
        sa_column=Column(Text, ForeignKey("round.id", ondelete="RESTRICT"), nullable=False)
    )
    note: str = Field(default="", sa_column=Column(Text, nullable=False))
    status: str = Field(max_length=20)
    created_by: str = ""
    created_at: str
    modified_at: str


class FeedbackRow(SQLModel, table=True):
    """Feedback on the matrix (0008): a request for clarity or a suggested rewording of a
    statement (statement_id) or a domain, recorded in an assessment's workshop.

    The framework key and version are the assessment's, kept here so the programme office
    reads all feedback on a version without joining every assessment.
    """

    __tablename__ = "matrix_feedback"
    __table_args__ = (
        Index("ix_matrix_feedback_framework", "framework_key", "framework_version"),
        Index("ix_matrix_feedback_assessment", "assessment_id"),
    )

    id: str = Field(primary_key=True, max_length=36)
    assessment_id: str = Field(
        sa_column=Column(Text, ForeignKey("assessment.id", ondelete="CASCADE"), nullable=False)
    )
    framework_key: str
    framework_version: str
    domain_key: str
    statement_id: str | None = None
    kind: str = Field(max_length=20)
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    wording: str = Field(default="", sa_column=Column(Text, nullable=False))
    author: str = ""
    created_at: str
    modified_at: str
