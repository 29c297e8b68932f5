"""Feedback on the matrix: requests for clarity and suggested rewordings (issue 17 item 4).

Revision ID: 0008
Revises: 0006
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "matrix_feedback",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column(
            "assessment_id",
            sa.Text(),
            sa.ForeignKey("assessment.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("framework_key", sa.String(), nullable=False),
        sa.Column("framework_version", sa.String(), nullable=False),
        sa.Column("domain_key", sa.String(), nullable=False),
        sa.Column("statement_id", sa.String(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("wording", sa.Text(), nullable=False),
        sa.Column("author", sa.String(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.Column("modified_at", sa.String(), nullable=False),
    )
    op.create_index(
        "ix_matrix_feedback_framework", "matrix_feedback", ["framework_key", "framework_version"]
    )
    op.create_index("ix_matrix_feedback_assessment", "matrix_feedback", ["assessment_id"])


def downgrade() -> None:
    op.drop_index("ix_matrix_feedback_assessment", table_name="matrix_feedback")
    op.drop_index("ix_matrix_feedback_framework", table_name="matrix_feedback")
    op.drop_table("matrix_feedback")
