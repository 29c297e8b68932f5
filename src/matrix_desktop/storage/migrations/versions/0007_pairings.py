"""Pairings: one entity helping another with a domain in a round (issue 17, help matched to need).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pairing",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "offering_entity_id",
            sa.Text(),
            sa.ForeignKey("entity.id", ondelete="RESTRICT"),
            nullable=False,
        ),
        sa.Column(
            "receiving_entity_id",
            sa.Text(),
            sa.ForeignKey("entity.id", ondelete="RESTRICT"),
            nullable=False,
        ),
        sa.Column("domain_key", sa.String(), nullable=False),
        sa.Column(
            "round_id", sa.Text(), sa.ForeignKey("round.id", ondelete="RESTRICT"), nullable=False
        ),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.Column("modified_at", sa.String(), nullable=False),
    )
    op.create_index("ix_pairing_round", "pairing", ["round_id"])


def downgrade() -> None:
    op.drop_index("ix_pairing_round", "pairing")
    op.drop_table("pairing")
