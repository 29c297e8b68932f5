"""Merge bases: the content each assessment had when it was exported or imported.

Field-level merging of exchange files needs what both copies last shared, not only its hash
(sync_hash). Assessments shared before this revision have no base: their next import that
finds changes on both sides is decided for the whole assessment, as before.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A new table only: no existing table is rebuilt, so SQLite needs no batch mode here.
    op.create_table(
        "sync_base",
        sa.Column(
            "assessment_id",
            sa.Text(),
            sa.ForeignKey("assessment.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("content_hash", sa.String(80), primary_key=True),
        sa.Column("content_json", sa.Text(), nullable=False),
        sa.Column("shared_at", sa.String(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("sync_base")
