"""Targets per domain: the stage a place aims to reach and by when (issue 17).

Actions keep living in rating.actions_json (their status, completion date and note are new
keys there, absent in older rows, read as open); only the target needs columns.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable columns added at the end: SQLite's ALTER TABLE ADD COLUMN does it in place.
    op.add_column("rating", sa.Column("target_stage", sa.String(), nullable=True))
    op.add_column("rating", sa.Column("target_date", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("rating") as batch:
        batch.drop_column("target_date")
        batch.drop_column("target_stage")
