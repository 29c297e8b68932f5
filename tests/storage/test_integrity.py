"""Start-up checks: a corrupt file is found and never written; unclean shutdowns get full checks."""

from __future__ import annotations

import hashlib
import os
import re
import signal

import pytest

from matrix_desktop.services.safety import DatabaseDamaged, open_for_cli, open_for_gui
from matrix_desktop.storage.backup import backup_database, timestamped_backup_path
from matrix_desktop.storage.integrity import check_database, read_session_marker
from matrix_desktop.storage.lock import lock_path_for


def _digest(path) -> str:  # type: ignore[no-untyped-def]
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _corrupt(path) -> None:  # type: ignore[no-untyped-def]
    """Overwrite pages in the middle of the file (the header stays valid)."""
    size = path.stat().st_size
    with open(path, "r+b") as fh:
        for page in range(2, size // 4096 - 1, 3):
            fh.seek(page * 4096)  # b-tree page headers: type, cell count, pointers
            fh.write(b"\xde\xad\xbe\xef" * 200)


def test_healthy_database_passes_quick_check(workshop):
    report = check_database(workshop.path)
    assert report.ok and report.quick_ok and not report.full_checked and not report.unclean_shutdown


def test_corrupt_database_is_refused_naming_the_newest_good_backup(workshop):
    good = backup_database(workshop.path, timestamped_backup_path(workshop.path, "startup"))
    _corrupt(workshop.path)
    before = _digest(workshop.path)
    with pytest.raises(DatabaseDamaged) as info:
        open_for_gui(workshop.path)
    assert info.value.backup is not None and info.value.backup.path == good
    assert str(good) in str(info.value) and "damaged" in str(info.value)
    assert _digest(workshop.path) == before  # nothing was written to it
    assert not lock_path_for(workshop.path).exists()  # and the lock was let go
    with pytest.raises(DatabaseDamaged):
        open_for_cli(workshop.path)  # writing CLI commands refuse too
    assert _digest(workshop.path) == before


def test_damaged_database_restores_from_the_offered_backup(workshop):
    from matrix_desktop.storage.backup import restore_backup

    good = backup_database(workshop.path, timestamped_backup_path(workshop.path, "startup"))
    _corrupt(workshop.path)
    with pytest.raises(DatabaseDamaged) as info:
        open_for_gui(workshop.path)
    saved = restore_backup(workshop.path, info.value.backup.path)
    assert saved.exists()  # the damaged file is kept, not destroyed
    opened = open_for_gui(workshop.path)
    try:
        assert opened.services.assessments.get(workshop.assessment_id)
    finally:
        opened.close()
    assert good.exists()


def test_overwritten_header_is_reported_clearly(workshop):
    with open(workshop.path, "r+b") as fh:
        fh.write(b"not a database!!")
    with pytest.raises(Exception, match="not a SQLite file|damaged"):
        open_for_gui(workshop.path)


def test_writes_are_refused_once_damage_is_known(workshop, services):
    from matrix_desktop.storage.database import WriteFailed

    services.db.refuse_writes = "the database is damaged; restore a backup"
    svc = services.assessments
    with pytest.raises(WriteFailed, match="damaged") as info:
        svc.execute(svc.edit_rating(workshop.assessment_id, workshop.domain, stage="thriving"))
    assert not info.value.retryable


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_unclean_shutdown_runs_the_full_checks(workshop):
    pid = os.fork()
    if pid == 0:
        try:
            opened = open_for_gui(workshop.path)
            svc = opened.services.assessments
            svc.execute(
                svc.edit_rating(workshop.assessment_id, workshop.domain, stage="developing")
            )
            os.kill(os.getpid(), signal.SIGKILL)  # no close: as if the laptop's app was killed
        finally:
            os._exit(1)
    os.waitpid(pid, 0)
    assert read_session_marker(workshop.path) is not None
    opened = open_for_gui(workshop.path)
    try:
        assert opened.integrity.unclean_shutdown and opened.integrity.full_checked
        # One crash, one message (not a second one about the lock it left), dated for people
        crash = [w for w in opened.warnings if w.kind in ("unclean_shutdown", "lock_recovered")]
        assert [w.kind for w in crash] == ["unclean_shutdown"]
        assert "did not close properly" in crash[0].message
        assert re.search(r"opened (today|yesterday) at \d\d:\d\d\)", crash[0].message)
        assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:", crash[0].message)  # no raw ISO time
        rating = opened.services.assessments.record(workshop.assessment_id).rating(workshop.domain)
        assert rating.stage == "developing"
    finally:
        opened.close()
    assert read_session_marker(workshop.path) is None
    again = open_for_gui(workshop.path)
    assert not again.unclean_shutdown
    again.close()
