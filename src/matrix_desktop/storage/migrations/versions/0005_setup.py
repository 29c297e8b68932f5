"""Self set-up: archiving systems, entities and rounds; round dates; the assessment trash.

Archived rows stay (assessments rest on them) and drop out of the lists people pick from.
A deleted assessment moves whole (its rows as JSON) into assessment_trash, from which it
can be restored.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable columns only: SQLite adds them in place, no table is rebuilt.
    for table in ("system", "entity", "round"):
        op.add_column(table, sa.Column("archived_at", sa.String(), nullable=True))
    op.add_column("round", sa.Column("starts_on", sa.String(), nullable=True))
    op.add_column("round", sa.Column("ends_on", sa.String(), nullable=True))
    op.create_table(
        "assessment_trash",
        sa.Column("assessment_id", sa.String(36), primary_key=True),
        sa.Column("entity_id", sa.Text(), nullable=False),
        sa.Column("round_id", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("deleted_at", sa.String(), nullable=False),
        sa.Column("deleted_by", sa.String(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("rows_json", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("assessment_trash")
    op.drop_column("round", "ends_on")
    op.drop_column("round", "starts_on")
    for table in ("round", "entity", "system"):
        op.drop_column(table, "archived_at")
