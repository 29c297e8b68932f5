"""Initial schema: frameworks, systems, entities, rounds, assessments, ratings, votes, audit.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "framework",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(80), nullable=False),
        sa.Column("version", sa.String(40), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("publisher", sa.String(), nullable=False),
        sa.Column("published", sa.String(), nullable=False),
        sa.Column("bundled", sa.Boolean(), nullable=False),
        sa.Column("spec_json", sa.Text(), nullable=False),
        sa.Column("imported_at", sa.String(), nullable=False),
        sa.UniqueConstraint("key", "version", name="uq_framework_key_version"),
    )
    op.create_table(
        "system",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("short_name", sa.String(), nullable=False),
        sa.Column("modified_at", sa.String(), nullable=False),
    )
    op.create_index("ix_system_name", "system", ["name"], unique=True)
    op.create_table(
        "entity",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "system_id", sa.Text(), sa.ForeignKey("system.id", ondelete="RESTRICT"), nullable=False
        ),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("members_json", sa.Text(), nullable=False),
        sa.Column("modified_at", sa.String(), nullable=False),
        sa.UniqueConstraint("system_id", "name", name="uq_entity_system_name"),
    )
    op.create_table(
        "round",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
    )
    op.create_index("ix_round_name", "round", ["name"], unique=True)
    op.create_table(
        "assessment",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "entity_id", sa.Text(), sa.ForeignKey("entity.id", ondelete="RESTRICT"), nullable=False
        ),
        sa.Column("framework_key", sa.String(), nullable=False),
        sa.Column("framework_version", sa.String(), nullable=False),
        sa.Column(
            "round_id", sa.Text(), sa.ForeignKey("round.id", ondelete="RESTRICT"), nullable=False
        ),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column(
            "reviews_id",
            sa.Text(),
            sa.ForeignKey("assessment.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("assessed_on", sa.String(), nullable=True),
        sa.Column("facilitator", sa.String(), nullable=False),
        sa.Column("reviewer_name", sa.String(), nullable=False),
        sa.Column("reviewer_organisation", sa.String(), nullable=False),
        sa.Column("strengths", sa.Text(), nullable=False),
        sa.Column("areas_to_develop", sa.Text(), nullable=False),
        sa.Column("recommendations", sa.Text(), nullable=False),
        sa.Column("participants_json", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.Column("modified_at", sa.String(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
    )
    op.create_index("ix_assessment_entity_round", "assessment", ["entity_id", "round_id"])
    op.create_table(
        "rating",
        sa.Column(
            "assessment_id",
            sa.Text(),
            sa.ForeignKey("assessment.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("domain_key", sa.String(), primary_key=True),
        sa.Column("stage", sa.String(), nullable=True),
        sa.Column("confidence", sa.String(), nullable=True),
        sa.Column("direction", sa.String(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("statements_met_json", sa.Text(), nullable=False),
        sa.Column("enablers_json", sa.Text(), nullable=False),
        sa.Column("support_json", sa.Text(), nullable=False),
        sa.Column("actions_json", sa.Text(), nullable=False),
        sa.Column("review_position", sa.String(), nullable=True),
        sa.Column("review_comment", sa.Text(), nullable=False),
        sa.Column("review_suggestions", sa.Text(), nullable=False),
        sa.Column("carried_forward", sa.Boolean(), nullable=False),
        sa.Column("modified_at", sa.String(), nullable=False),
    )
    op.create_table(
        "vote",
        sa.Column(
            "assessment_id",
            sa.Text(),
            sa.ForeignKey("assessment.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("participant_id", sa.String(), primary_key=True),
        sa.Column("domain_key", sa.String(), primary_key=True),
        sa.Column("stage", sa.String(), nullable=True),
    )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.String(), nullable=False),
        sa.Column("user", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("assessment_id", sa.String(), nullable=True),
        sa.Column("domain_key", sa.String(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
    )
    op.create_index("ix_audit_event_at", "audit_event", ["at"])
    op.create_index("ix_audit_event_assessment_id", "audit_event", ["assessment_id"])
    op.create_table(
        "app_meta",
        sa.Column("key", sa.String(), primary_key=True),
        sa.Column("value", sa.String(), nullable=False),
    )
    if op.get_bind().dialect.name == "sqlite":
        # The audit trail is append-only: refuse updates and deletes at the database level.
        op.execute(
            "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
            "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
        )
        op.execute(
            "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
            "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
        )


def downgrade() -> None:
    for table in (
        "app_meta",
        "audit_event",
        "vote",
        "rating",
        "assessment",
        "round",
        "entity",
        "system",
        "framework",
    ):
        op.drop_table(table)
