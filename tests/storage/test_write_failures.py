"""Hostile places: a full disk, an I/O error and a read-only file change nothing and say why."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from sqlalchemy import event
from storage_helpers import logical_dump, make_workshop

from matrix_desktop.services.context import open_services
from matrix_desktop.services.safety import open_for_gui
from matrix_desktop.storage.backup import integrity_ok
from matrix_desktop.storage.database import WriteFailed


def _cap_size(db):  # type: ignore[no-untyped-def]
    """Make SQLite itself report SQLITE_FULL once the file would grow (no new pages)."""

    @event.listens_for(db.engine, "connect")
    def _cap(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        count = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {count}")

    db.engine.dispose()
    return _cap


def test_disk_full_keeps_the_edit_for_a_retry(workshop):
    svc = open_services(workshop.path)
    try:
        cap = _cap_size(svc.db)
        before = logical_dump(workshop.path)
        told = []
        svc.assessments.subscribe(told.append)
        big = "x" * 200_000  # needs new pages
        cmd = svc.assessments.edit_rating(
            workshop.assessment_id, workshop.domain, evidence=big[:50_000], stage="developing"
        )
        with pytest.raises(WriteFailed) as info:
            svc.assessments.execute(cmd)
        assert info.value.reason == "disk_full" and info.value.retryable
        assert "disk is full" in str(info.value)
        assert told == []  # never shown as saved
        svc.db.engine.dispose()
        assert logical_dump(workshop.path) == before
        assert integrity_ok(workshop.path)[0]
        # Space freed: the same command (the GUI kept it) now saves.
        event.remove(svc.db.engine, "connect", cap)
        svc.db.engine.dispose()
        svc.assessments.execute(cmd)
        assert (
            svc.assessments.record(workshop.assessment_id).rating(workshop.domain).stage
            == "developing"
        )
    finally:
        svc.close()


def test_io_error_is_reported_as_retryable_without_partial_write(workshop, monkeypatch):
    import sqlite3

    svc = open_services(workshop.path)
    try:
        before = logical_dump(workshop.path)

        @event.listens_for(svc.db.engine, "before_cursor_execute")
        def _fail(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
            if statement.lstrip().upper().startswith("INSERT INTO AUDIT_EVENT"):
                raise sqlite3.OperationalError("disk I/O error")

        cmd = svc.assessments.edit_rating(workshop.assessment_id, workshop.domain, stage="thriving")
        with pytest.raises(WriteFailed) as info:
            svc.assessments.execute(cmd)
        assert info.value.reason == "io_error" and info.value.retryable
        # The rating was written before the audit insert failed: all of it rolled back.
        assert logical_dump(workshop.path) == before
        event.remove(svc.db.engine, "before_cursor_execute", _fail)
        svc.assessments.execute(cmd)
    finally:
        svc.close()


def _mount_tmpfs(folder, size: str) -> bool:  # type: ignore[no-untyped-def]
    if not shutil.which("mount") or os.geteuid() != 0:
        return False
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True
    )
    return done.returncode == 0


def test_disk_full_on_a_real_small_filesystem(tmp_path):
    """A 1 MB tmpfs fills up mid-workshop: the edit fails cleanly, earlier ones survive."""
    disk = tmp_path / "disk"
    if not _mount_tmpfs(disk, "1m"):
        pytest.skip("mounting a tmpfs needs root; the injected variant above still runs")
    try:
        workshop = make_workshop(disk / "w.sqlite3")
        svc = open_services(workshop.path)
        saved = 0
        failure = None
        try:
            for i in range(200):
                cmd = svc.assessments.edit_rating(
                    workshop.assessment_id, workshop.domain, evidence=f"{i} " + "y" * 40_000
                )
                try:
                    svc.assessments.execute(cmd)
                    saved = i
                except WriteFailed as exc:
                    failure = exc
                    break
        finally:
            svc.close()
        assert failure is not None and failure.reason in ("disk_full", "io_error")
        assert integrity_ok(workshop.path)[0]
        svc = open_services(workshop.path, read_only=True)
        try:
            evidence = (
                svc.assessments.record(workshop.assessment_id).rating(workshop.domain).evidence
            )
            assert evidence.startswith(f"{saved} ")  # the last acknowledged edit is there
        finally:
            svc.close()
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_read_only_file_opens_read_only_with_a_banner(tmp_path):
    disk = tmp_path / "ro"
    mounted = _mount_tmpfs(disk, "8m")
    try:
        workshop = make_workshop((disk if mounted else tmp_path) / "w.sqlite3")
        if mounted:
            subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        else:
            os.chmod(workshop.path, 0o444)
            os.chmod(workshop.path.parent, 0o555)
        before = workshop.path.read_bytes()
        opened = open_for_gui(workshop.path)
        try:
            assert opened.read_only and opened.lock is None
            assert [w.kind for w in opened.warnings] == ["read_only"]
            svc = opened.services.assessments
            assert svc.get(workshop.assessment_id)  # it can be read
            with pytest.raises(Exception, match="read-only"):
                svc.execute(
                    svc.edit_rating(workshop.assessment_id, workshop.domain, stage="thriving")
                )
        finally:
            opened.close()
        assert workshop.path.read_bytes() == before
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(disk)], check=False)
        else:
            os.chmod(tmp_path / "w.sqlite3", 0o644)
            os.chmod(tmp_path, 0o755)
