"""Server roles: who may edit which entity, who created an assessment, the audit's database role.

entity_access maps a database login to the entities it facilitates or peer-reviews (the
row-level-security policies of storage.server_lifecycle read it). assessment.created_by and
audit_event.db_role hold the database role (session_user) that inserted the row: on
PostgreSQL a trigger fills both from session_user, so a client cannot set them; on SQLite
they stay NULL. On PostgreSQL the audit trail also refuses UPDATE, DELETE and TRUNCATE for
every role, the owner included (SQLite's triggers of 0001 already refuse the first two).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_PG_TRIGGERS = (
    """
    CREATE OR REPLACE FUNCTION matrix_stamp_session_user() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_TABLE_NAME = 'audit_event' THEN
            NEW.db_role := session_user;
        ELSE
            NEW.created_by := session_user;
        END IF;
        RETURN NEW;
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION matrix_refuse_audit_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'the audit trail is append-only'
            USING ERRCODE = 'insufficient_privilege';
    END $$
    """,
    "CREATE TRIGGER audit_event_stamp BEFORE INSERT ON audit_event "
    "FOR EACH ROW EXECUTE FUNCTION matrix_stamp_session_user()",
    "CREATE TRIGGER assessment_stamp BEFORE INSERT ON assessment "
    "FOR EACH ROW EXECUTE FUNCTION matrix_stamp_session_user()",
    "CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event "
    "FOR EACH ROW EXECUTE FUNCTION matrix_refuse_audit_change()",
    "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
    "FOR EACH STATEMENT EXECUTE FUNCTION matrix_refuse_audit_change()",
)


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    stamp = sa.text("session_user") if postgres else None
    op.add_column("audit_event", sa.Column("db_role", sa.String(), nullable=True))
    op.add_column("assessment", sa.Column("created_by", sa.String(), nullable=True))
    if postgres:
        op.alter_column("audit_event", "db_role", server_default=stamp)
        op.alter_column("assessment", "created_by", server_default=stamp)
    op.create_table(
        "entity_access",
        sa.Column("login", sa.String(), primary_key=True),
        sa.Column("role", sa.String(20), primary_key=True),
        sa.Column(
            "entity_id",
            sa.Text(),
            sa.ForeignKey("entity.id", ondelete="CASCADE"),
            primary_key=True,
        ),
    )
    if postgres:
        for statement in _PG_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # The row-level security of storage.server_lifecycle reads created_by and
        # entity_access: its functions go, with the policies that call them (CASCADE), and
        # RLS is off again.
        op.execute(
            "DROP FUNCTION IF EXISTS matrix_may_read_in(text), matrix_may_write_in(text), "
            "matrix_may_read(text, text, text), matrix_may_write(text, text, text), "
            "matrix_reads_all() CASCADE"
        )
        for table in ("assessment", "rating", "vote", "sync_hash", "sync_base"):
            op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        op.execute("DROP TRIGGER audit_event_no_truncate ON audit_event")
        op.execute("DROP TRIGGER audit_event_no_change ON audit_event")
        op.execute("DROP TRIGGER assessment_stamp ON assessment")
        op.execute("DROP TRIGGER audit_event_stamp ON audit_event")
        op.execute("DROP FUNCTION matrix_refuse_audit_change()")
        op.execute("DROP FUNCTION matrix_stamp_session_user()")
    op.drop_table("entity_access")
    with op.batch_alter_table("assessment") as batch:
        batch.drop_column("created_by")
    with op.batch_alter_table("audit_event") as batch:
        batch.drop_column("db_role")
