"""One writer per database: the lock file, stale-lock recovery, and a second process refused."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from matrix_desktop.storage.lock import (
    DatabaseLock,
    DatabaseLocked,
    break_lock,
    lock_path_for,
    read_holder,
)

SRC = Path(__file__).resolve().parents[2] / "src"


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_lock_file_names_the_holder(tmp_path):
    db = tmp_path / "m.sqlite3"
    with DatabaseLock(db) as lock:
        data = json.loads(lock_path_for(db).read_text())
        assert data["pid"] == os.getpid()
        assert data["host"] == socket.gethostname()
        assert data["user"] and data["started_at"]
        assert read_holder(lock.path) == lock.holder
    assert not lock_path_for(db).exists()


def test_second_lock_is_refused_naming_the_holder(tmp_path):
    db = tmp_path / "m.sqlite3"
    with DatabaseLock(db) as first:
        with pytest.raises(DatabaseLocked) as info:
            DatabaseLock(db).acquire()
        assert info.value.holder == first.holder
        assert f"process {os.getpid()}" in str(info.value)
        assert socket.gethostname() in str(info.value)
    DatabaseLock(db).acquire().release()  # free again


def test_lock_left_by_a_dead_process_is_recovered(tmp_path):
    db = tmp_path / "m.sqlite3"
    stale = {
        "host": socket.gethostname(),
        "pid": _dead_pid(),
        "user": "ann",
        "started_at": "2026-11-22T09:00:00+00:00",
    }
    lock_path_for(db).write_text(json.dumps(stale))
    lock = DatabaseLock(db).acquire()
    assert lock.recovered_from is not None and lock.recovered_from.user == "ann"
    assert read_holder(lock.path) == lock.holder
    lock.release()


def test_lock_from_another_host_is_not_taken(tmp_path):
    db = tmp_path / "m.sqlite3"
    other = {
        "host": "other-laptop",
        "pid": _dead_pid(),
        "user": "bob",
        "started_at": "2026-11-22T09:00:00+00:00",
    }
    lock_path_for(db).write_text(json.dumps(other))
    with pytest.raises(DatabaseLocked, match="bob on other-laptop"):
        DatabaseLock(db).acquire()
    assert break_lock(db).user == "bob"  # the user said the other laptop is gone
    DatabaseLock(db).acquire().release()


def test_unreadable_old_lock_is_refused_not_deleted(tmp_path):
    db = tmp_path / "m.sqlite3"
    path = lock_path_for(db)
    path.write_text("garbage")
    old = time.time() - 60
    os.utime(path, (old, old))
    with pytest.raises(DatabaseLocked, match="unreadable lock"):
        DatabaseLock(db).acquire()
    assert path.read_text() == "garbage"


def test_release_leaves_someone_elses_lock_alone(tmp_path):
    db = tmp_path / "m.sqlite3"
    lock = DatabaseLock(db).acquire()
    lock.path.write_text(json.dumps({"host": "x", "pid": 1, "user": "u", "started_at": ""}))
    lock.release()
    assert lock.path.exists()


_SECOND = """
import json, sys, time
sys.path.insert(0, {src!r})
from matrix_desktop.storage.lock import DatabaseLock, DatabaseLocked
t = time.monotonic()
try:
    DatabaseLock(__import__("pathlib").Path({db!r})).acquire()
    print(json.dumps({{"refused": False}}))
except DatabaseLocked as exc:
    print(json.dumps({{"refused": True, "seconds": time.monotonic() - t, "message": str(exc),
                       "pid": exc.holder.pid}}))
"""


def test_second_process_is_refused_within_a_second(workshop):
    """Two processes on one database: the second is refused, holder named, within 1 s."""
    from matrix_desktop.services.safety import open_for_gui

    opened = open_for_gui(workshop.path, user="first")
    try:
        out = subprocess.run(
            [sys.executable, "-c", _SECOND.format(src=str(SRC), db=str(workshop.path))],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
        result = json.loads(out)
        assert result["refused"]
        assert result["seconds"] < 1.0
        assert result["pid"] == os.getpid()
        assert f"process {os.getpid()}" in result["message"]
        # No lost update: the first copy keeps writing after the refusal.
        svc = opened.services
        svc.assessments.execute(
            svc.assessments.edit_rating(workshop.assessment_id, workshop.domain, stage="thriving")
        )
    finally:
        opened.close()
    from matrix_desktop.services.context import open_services

    svc = open_services(workshop.path, read_only=True)
    try:
        assert (
            svc.assessments.record(workshop.assessment_id).rating(workshop.domain).stage
            == "thriving"
        )
    finally:
        svc.close()


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(SRC))
    return subprocess.run(
        [sys.executable, "-m", "matrix_desktop", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


@pytest.mark.slow
def test_cli_writing_commands_refused_reading_commands_proceed(workshop, tmp_path):
    with DatabaseLock(workshop.path) as lock:
        framework = Path(__file__).resolve().parents[2] / "resources" / "frameworks"
        written = _cli(
            "--database",
            str(workshop.path),
            "frameworks",
            "import",
            str(next(framework.glob("*.yaml"))),
        )
        assert written.returncode == 1
        assert f"process {lock.holder.pid}" in written.stderr
        read = _cli("--database", str(workshop.path), "entities")
        assert read.returncode == 0, read.stderr
        assert "Doncaster" in read.stdout
    written = _cli(
        "--database",
        str(workshop.path),
        "frameworks",
        "import",
        str(next(framework.glob("*.yaml"))),
    )
    assert written.returncode == 0, written.stderr
    assert not lock_path_for(workshop.path).exists()
