"""Backups: verified copies, listing, rotation, restore round trip, and kills mid-backup."""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import time

import pytest
from storage_helpers import logical_dump

from matrix_desktop.core.errors import StorageError
from matrix_desktop.storage.backup import (
    backup_database,
    changed_since_last_backup,
    integrity_ok,
    list_backups,
    prune_backups,
    restore_backup,
    timestamped_backup_path,
)


def test_backup_then_restore_gives_identical_data(workshop, services):
    original = logical_dump(workshop.path)
    backup = services.db.backup("manual")
    svc = services.assessments
    svc.execute(svc.edit_rating(workshop.assessment_id, workshop.domain, stage="thriving"))
    assert logical_dump(workshop.path) != original
    services.db.engine.dispose()
    saved = restore_backup(workshop.path, backup)
    assert logical_dump(workshop.path) == original
    # The state that was replaced is itself kept, verified.
    assert integrity_ok(saved)[0]
    assert "thriving" in "\n".join(logical_dump(saved))


def test_backups_are_listed_newest_first_and_partials_ignored(workshop):
    first = backup_database(workshop.path, timestamped_backup_path(workshop.path, "startup"))
    second = backup_database(workshop.path, timestamped_backup_path(workshop.path, "manual"))
    (first.parent / (first.name + ".partial")).write_bytes(b"half")
    listed = list_backups(workshop.path)
    assert [b.path for b in listed] == [second, first]
    assert [b.reason for b in listed] == ["manual", "startup"]


def test_rotation_deletes_what_the_policy_drops(workshop):
    now = dt.datetime(2026, 11, 22, 12, 0)
    made = []
    for days in range(0, 60, 3):
        when = now - dt.timedelta(days=days)
        made.append(
            backup_database(workshop.path, timestamped_backup_path(workshop.path, "periodic", when))
        )
    removed = prune_backups(workshop.path, now)
    left = list_backups(workshop.path)
    assert len(left) + len(removed) == len(made)
    assert left[0].path == made[0]  # the newest stays
    assert 7 <= len(left) <= 7 + 4 + 6


def test_data_changed_since_last_backup(workshop, services):
    assert changed_since_last_backup(workshop.path)  # no backup yet
    services.db.backup("manual")
    assert not changed_since_last_backup(workshop.path)
    services.catalog.ensure_round("2022/23 Q1")
    assert changed_since_last_backup(workshop.path)


def test_a_damaged_backup_is_refused_before_anything_changes(workshop):
    backup = backup_database(workshop.path, timestamped_backup_path(workshop.path, "manual"))
    with open(backup, "r+b") as fh:
        fh.seek(4096 * 2)
        fh.write(os.urandom(4096))
    before = logical_dump(workshop.path)
    with pytest.raises(StorageError, match="damaged"):
        restore_backup(workshop.path, backup)
    assert logical_dump(workshop.path) == before


def _big_database(workshop, services) -> None:
    """Pad the database to ~20 MB so a backup takes long enough to be killed half-way."""
    import sqlite3

    services.close()
    con = sqlite3.connect(workshop.path)
    with con:
        for i in range(20):
            con.execute(
                "INSERT INTO app_meta (key, value) VALUES (?, ?)", (f"pad{i}", "x" * 1_000_000)
            )
    con.close()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_kill_during_backup_leaves_no_partial_file_at_a_final_path(workshop, services):
    _big_database(workshop, services)
    rng = random.Random(4)
    for _ in range(15):
        dest = timestamped_backup_path(workshop.path, "manual")
        pid = os.fork()
        if pid == 0:
            try:
                backup_database(workshop.path, dest)
            finally:
                os._exit(0)
        time.sleep(rng.uniform(0, 0.05))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        if dest.exists():  # at the final name only when whole and verified
            assert integrity_ok(dest)[0]
    partials = list(dest.parent.glob("*.partial"))
    assert partials, "no kill landed during a backup; the test proved nothing"
    for info in list_backups(workshop.path):
        assert integrity_ok(info.path)[0]
    assert integrity_ok(workshop.path)[0]
    # Leftovers of killed backups are cleared by the rotation once they are old.
    later = dt.datetime.now() + dt.timedelta(hours=2)
    prune_backups(workshop.path, later)
    assert not list(dest.parent.glob("*.partial*"))
