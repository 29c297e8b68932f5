"""Migrations: every released schema's fixture upgrades with every score intact; a failed
migration leaves the database exactly as it was, with the pre-migration backup in place."""

from __future__ import annotations

import json
import shutil
import sys
import textwrap

import pytest
from storage_helpers import FIXTURES, logical_dump

from matrix_desktop.storage import database as database_module
from matrix_desktop.storage.backup import list_backups
from matrix_desktop.storage.database import current_revision, open_database
from matrix_desktop.storage.schema import HEAD_REVISION, KNOWN_REVISIONS

sys.path.insert(0, str(FIXTURES))
from make_fixture import scores  # noqa: E402

FIXTURE_FILES = sorted(FIXTURES.glob("schema-*.sqlite3"))


def test_every_released_schema_has_a_fixture():
    assert {p.stem.removeprefix("schema-") for p in FIXTURE_FILES} == set(KNOWN_REVISIONS)


@pytest.mark.parametrize("fixture", FIXTURE_FILES, ids=lambda p: p.stem)
def test_fixture_upgrades_to_head_with_every_score(fixture, tmp_path):
    expected = json.loads((fixture.parent / f"{fixture.stem}.expected.json").read_text("utf-8"))
    copy = tmp_path / "old.sqlite3"
    shutil.copy(fixture, copy)
    db = open_database(copy)
    try:
        assert current_revision(db.engine) == HEAD_REVISION
    finally:
        db.close()
    got = scores(copy)
    assert got["ratings"] == expected["ratings"]
    assert got["votes"] == expected["votes"]
    assert got["audit_events"] >= expected["audit_events"]
    assert len(expected["ratings"]) > 50 and len(expected["votes"]) > 100


FAILING = '''
"""Test-only revision that changes data and then fails."""
import sqlalchemy as sa
from alembic import op

revision = "9999_injected"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("rating", sa.Column("scratch", sa.String(), nullable=True))
    op.execute("UPDATE rating SET stage = NULL")
    op.create_table("half_done", sa.Column("id", sa.Integer, primary_key=True))
    raise RuntimeError("injected migration failure")


def downgrade():
    pass
'''


@pytest.fixture
def failing_migration(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    from matrix_desktop import paths

    folder = tmp_path / "migrations"
    shutil.copytree(paths.migrations_dir(), folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / "9999_injected_failure.py").write_text(
        textwrap.dedent(FAILING).replace("{head}", HEAD_REVISION)
    )
    monkeypatch.setattr(paths, "migrations_dir", lambda: folder)
    monkeypatch.setattr(database_module, "HEAD_REVISION", "9999_injected")
    monkeypatch.setattr(database_module, "KNOWN_REVISIONS", (*KNOWN_REVISIONS, "9999_injected"))


def test_failed_migration_leaves_the_database_as_it_was(failing_migration, tmp_path):
    copy = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURE_FILES[-1], copy)
    before = logical_dump(copy)
    with pytest.raises(RuntimeError, match="injected"):
        open_database(copy)
    assert logical_dump(copy) == before
    backups = list_backups(copy)
    assert [b.reason for b in backups] == ["migration"]
    assert logical_dump(backups[0].path) == before


def _revision(path) -> str | None:  # type: ignore[no-untyped-def]
    import sqlite3

    con = sqlite3.connect(path)  # writable: SQLite rolls back a crash's hot journal first
    try:
        return con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        con.close()


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs fork")
def test_kill_during_migration_leaves_the_old_or_the_new_state(tmp_path):
    import os
    import random
    import signal
    import time

    from matrix_desktop.storage.backup import integrity_ok

    oldest = FIXTURE_FILES[0]
    if oldest.stem.removeprefix("schema-") == HEAD_REVISION:
        pytest.fail("the oldest fixture is at head: nothing to migrate")
    expected = json.loads(oldest.with_suffix(".expected.json").read_text(encoding="utf-8"))
    before = logical_dump(oldest)

    def fresh_copy(name: str):  # type: ignore[no-untyped-def]
        folder = tmp_path / name
        folder.mkdir()
        target = folder / "old.sqlite3"
        shutil.copy(oldest, target)
        return target

    timing = fresh_copy("timing")
    start = time.monotonic()
    open_database(timing).close()
    whole = time.monotonic() - start
    rng = random.Random(7)
    outcomes = set()
    for i in range(16):
        copy = fresh_copy(f"run{i}")
        pid = os.fork()
        if pid == 0:
            try:
                open_database(copy).close()
            finally:
                os._exit(0)
        time.sleep(rng.uniform(0, whole))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        assert integrity_ok(copy)[0]  # recovers a hot journal first, as the app does
        revision = _revision(copy)
        outcomes.add(revision)
        if revision == HEAD_REVISION:
            assert scores(copy)["ratings"] == expected["ratings"]
        else:  # not migrated: byte for byte the old data, nothing half-done
            assert revision == oldest.stem.removeprefix("schema-")
            assert logical_dump(copy) == before
        for backup in (copy.parent / "backups").glob("*"):
            # A backup is at its final name only when whole and verified.
            assert ".partial" in backup.name or integrity_ok(backup)[0]
        open_database(copy).close()  # the next start finishes the job
        assert _revision(copy) == HEAD_REVISION
        assert scores(copy)["ratings"] == expected["ratings"]
    assert oldest.stem.removeprefix("schema-") in outcomes, "no kill landed before the commit"
