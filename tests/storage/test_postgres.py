"""A shared PostgreSQL server instead of SQLite: migrations, import, edits, undo, views."""

from __future__ import annotations

import time

import pytest

from matrix_desktop.paths import examples_dir
from matrix_desktop.services.context import open_services

# The server and pg_url fixtures are in conftest.py (server start/stop: benchmarks/_pgserver.py).


def test_postgres_database_migrates_imports_and_edits_with_undo(pg_url):
    svc = open_services(pg_url, user="regional")
    try:
        assert svc.db.path is None and not svc.db.read_only
        result = svc.exchange.import_paths([examples_dir()])
        assert len(result.changed) == 21
        record = svc.assessments.assessments()[0]
        svc.assessments.execute(svc.assessments.reopen(record.id, "regional review"))
        command = svc.assessments.edit_rating(
            record.id, "leadership", stage="thriving", evidence="日本語 ✓"
        )
        svc.assessments.execute(command)
        assert svc.assessments.record(record.id).rating("leadership").evidence == "日本語 ✓"
        svc.assessments.revert(command)
        assert svc.assessments.record(record.id).rating("leadership").stage != "thriving"
        assert [e.action for e in svc.assessments.audit(record.id)][:2] == ["undo rating", "rating"]
        system = svc.catalog.systems()[0]
        view = svc.single_view.single_view(system.id)
        assert view is not None
    finally:
        svc.close()


def test_postgres_and_sqlite_export_the_same_bytes(pg_url, tmp_path):
    pg = open_services(pg_url)
    lite = open_services(tmp_path / "lite.sqlite3")
    try:
        for svc in (pg, lite):
            svc.exchange.import_paths([examples_dir()])
        ids = sorted(a.id for a in lite.assessments.assessments())
        a = pg.exchange.export(ids, tmp_path / "pg.mdx.json", exported_at="2026-01-01T00:00:00")
        b = lite.exchange.export(ids, tmp_path / "lite.mdx.json", exported_at="2026-01-01T00:00:00")
        assert a.read_bytes() == b.read_bytes()
    finally:
        pg.close()
        lite.close()


def test_second_open_of_a_migrated_server_database_is_fast(pg_url):
    open_services(pg_url).close()
    start = time.monotonic()
    open_services(pg_url).close()
    assert time.monotonic() - start < 5


@pytest.mark.parametrize("revision", ["9999", "0001"])
def test_another_applications_alembic_server_database_is_not_ours(empty_pg_url, revision):
    pg_url = empty_pg_url
    from sqlalchemy import create_engine, text

    from matrix_desktop.core.errors import StorageError
    from matrix_desktop.storage.database import open_database

    engine = create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)"))
        conn.execute(text("INSERT INTO alembic_version VALUES (:r)"), {"r": revision})
        conn.execute(text("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)"))
    try:
        with pytest.raises(StorageError, match="is not a matrix-desktop database.*users"):
            open_database(pg_url)
        with engine.connect() as conn:
            tables = conn.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            ).scalars()
            assert sorted(tables) == ["alembic_version", "users"]
    finally:
        engine.dispose()
