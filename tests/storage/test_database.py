"""Opening databases: pragmas, migrations with a backup first, refusing newer or unusable files."""

from __future__ import annotations

import sqlite3

import pytest

from matrix_desktop.core.errors import StorageError
from matrix_desktop.storage.database import open_database
from matrix_desktop.storage.schema import HEAD_REVISION, KNOWN_REVISIONS


def _dump(path):
    con = sqlite3.connect(path)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def test_sqlite_is_opened_durable(db_path):
    db = open_database(db_path)
    try:
        assert db.pragma("journal_mode") == "wal"
        assert db.pragma("synchronous") == "2"  # FULL
        assert db.pragma("foreign_keys") == "1"
        assert int(db.pragma("busy_timeout")) >= 1000
    finally:
        db.close()


def test_first_start_loads_the_bundled_frameworks_once(db_path):
    from matrix_desktop.storage.frameworks_repo import list_frameworks

    for _ in range(2):
        db = open_database(db_path)
        with db.reader() as s:
            keys = sorted((f.key, f.version) for f in list_frameworks(s))
        db.close()
    assert keys == [
        ("nhs-ics-maturity-matrix", "2019-06"),
        ("syb-place-development-matrix", "v1-4"),
    ]


def test_known_revisions_match_the_migrations():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from matrix_desktop.paths import migrations_dir

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    script = ScriptDirectory.from_config(cfg)
    assert script.get_heads() == [HEAD_REVISION]
    walked = [r.revision for r in script.walk_revisions()][::-1]
    assert tuple(walked) == KNOWN_REVISIONS


def test_migrated_schema_matches_the_tables(db_path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    import matrix_desktop.storage.tables  # noqa: F401

    db = open_database(db_path)
    try:
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    finally:
        db.close()
    # Only differences of no consequence (type spellings of SQLite TEXT/VARCHAR) are allowed.
    assert diff == []


def test_database_from_a_newer_version_is_refused_unchanged(db_path):
    open_database(db_path).close()
    con = sqlite3.connect(db_path)
    con.execute("UPDATE alembic_version SET version_num='9999'")
    con.commit()
    con.close()
    before = _dump(db_path)
    with pytest.raises(StorageError, match="newer version"):
        open_database(db_path)
    assert _dump(db_path) == before


def test_old_schema_is_backed_up_before_migrating(db_path, monkeypatch):
    import matrix_desktop.storage.database as database

    open_database(db_path).close()
    # Pretend the running build knows a newer head: the open must migrate, after a backup.
    calls = []
    monkeypatch.setattr(database, "HEAD_REVISION", "0002-test")
    monkeypatch.setattr(database, "KNOWN_REVISIONS", KNOWN_REVISIONS + ("0002-test",))
    monkeypatch.setattr(
        database,
        "migrate",
        lambda engine, loc: calls.append(
            database.backup_database(
                loc.path, database.timestamped_backup_path(loc.path, "migration")
            )
        ),
    )
    open_database(db_path).close()
    assert len(calls) == 1 and calls[0].exists()
    assert sqlite3.connect(calls[0]).execute("SELECT count(*) FROM framework").fetchone()[0] == 2


def test_not_a_database_is_refused_and_untouched(tmp_path):
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(b"these are my notes, not a database")
    with pytest.raises(StorageError, match="not a matrix-desktop database"):
        open_database(path)
    assert path.read_bytes() == b"these are my notes, not a database"


def test_unwritable_path_is_refused(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StorageError, match="cannot create the folder"):
        open_database(blocker / "sub" / "x.sqlite3")


def test_read_only_open_refuses_edits(db_path):
    open_database(db_path).close()
    db = open_database(db_path, read_only=True)
    try:
        assert db.read_only
        with pytest.raises(Exception, match="readonly"):
            with db.session() as s:
                s.connection().exec_driver_sql("INSERT INTO app_meta(key, value) VALUES ('x', 'y')")
    finally:
        db.close()


def test_audit_trail_is_append_only(db_path):
    open_database(db_path).close()
    con = sqlite3.connect(db_path)
    con.execute("INSERT INTO audit_event(at, user, action, detail) VALUES ('t', 'u', 'a', '')")
    con.commit()
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("UPDATE audit_event SET user='x'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("DELETE FROM audit_event")
    con.close()


def test_readers_do_not_wait_for_a_writer(db_path):
    import time

    db = open_database(db_path)
    other = open_database(db_path)
    try:
        with db.session() as writer:
            writer.connection().exec_driver_sql(
                "INSERT INTO app_meta(key, value) VALUES ('w', '1')"
            )
            start = time.monotonic()
            with other.reader() as reader:
                value = (
                    reader.connection()
                    .exec_driver_sql("SELECT value FROM app_meta WHERE key='w'")
                    .scalar()
                )
            assert time.monotonic() - start < 1.0
            assert value is None  # the uncommitted write is not visible
    finally:
        db.close()
        other.close()
