"""Sync ancestry: the content hashes each assessment had when it was exported or imported.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_hash",
        sa.Column(
            "assessment_id",
            sa.Text(),
            sa.ForeignKey("assessment.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("content_hash", sa.String(80), primary_key=True),
        sa.Column("shared_at", sa.String(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("sync_hash")
