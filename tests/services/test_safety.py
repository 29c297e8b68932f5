"""The safety service the GUI calls: opening with warnings, periodic backups, import backups."""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from matrix_desktop.core.errors import StorageError
from matrix_desktop.core.framework import EntityKind
from matrix_desktop.services.context import open_services
from matrix_desktop.services.safety import open_for_gui
from matrix_desktop.storage.backup import integrity_ok, list_backups

SRC = Path(__file__).resolve().parents[2] / "src"


def _workshop(path: Path) -> str:
    svc = open_services(path)
    try:
        fw = svc.catalog.framework("syb-place-development-matrix")
        system = svc.catalog.create_system("SYB")
        entity = svc.catalog.create_entity(system.id, "Rotherham", EntityKind.PLACE_PARTNERSHIP)
        return svc.assessments.create(entity.id, fw, "2021/22 Q2").id
    finally:
        svc.close()


def test_cloud_folder_warning_and_startup_backup(tmp_path):
    path = tmp_path / "Dropbox" / "m.sqlite3"
    opened = open_for_gui(path)
    try:
        assert [w.kind for w in opened.warnings] == ["cloud"]
        assert "Dropbox" in opened.warnings[0].message
        assert opened.startup_backup is not None
    finally:
        opened.close()
    again = open_for_gui(path)  # nothing changed: no new start-up backup
    try:
        assert again.startup_backup is None
    finally:
        again.close()


def test_maybe_backup_every_thirty_minutes_while_data_changes(tmp_path):
    path = tmp_path / "m.sqlite3"
    aid = _workshop(path)
    opened = open_for_gui(path)
    try:
        safety, svc = opened.safety, opened.services.assessments
        start = opened.startup_backup.created
        assert safety.maybe_backup(start + dt.timedelta(minutes=31)) is None  # no change
        domain = svc.framework_of(svc.get(aid)).domains[0].key
        svc.execute(svc.edit_rating(aid, domain, stage="developing"))
        assert safety.maybe_backup(start + dt.timedelta(minutes=10)) is None  # too soon
        made = safety.maybe_backup(start + dt.timedelta(minutes=31))
        assert made is not None and made.reason == "periodic" and integrity_ok(made.path)[0]
        assert not safety.changed_since_last_backup()
    finally:
        opened.close()


def test_restore_through_the_service_backs_up_first(tmp_path):
    path = tmp_path / "m.sqlite3"
    aid = _workshop(path)
    opened = open_for_gui(path)
    try:
        svc = opened.services.assessments
        domain = svc.framework_of(svc.get(aid)).domains[0].key
        before_edit = opened.startup_backup
        svc.execute(svc.edit_rating(aid, domain, stage="thriving"))
        saved = opened.safety.restore(before_edit.path)
        assert svc.record(aid).rating(domain).stage is None
        assert any(b.path == saved for b in opened.safety.backups())
        svc.execute(svc.edit_rating(aid, domain, stage="developing"))  # still writable
    finally:
        opened.close()
    assert not open_for_gui(path).unclean_shutdown  # restore did not leave a stale marker


def test_damaged_database_is_restored_from_the_backup_its_check_named(tmp_path):
    from matrix_desktop.services.safety import DatabaseDamaged, restore_damaged
    from matrix_desktop.storage.integrity import IntegrityReport

    path = tmp_path / "m.sqlite3"
    aid = _workshop(path)
    good = open_for_gui(path)
    good.close()  # the start-up backup holds the new assessment
    report = IntegrityReport(quick_ok=False, message="simulated damage")
    with pytest.raises(StorageError, match="no good backup"):
        restore_damaged(DatabaseDamaged(path, report, None))
    (newest,) = list_backups(path)
    saved = restore_damaged(DatabaseDamaged(path, report, newest))
    assert saved.exists()
    opened = open_for_gui(path)
    try:
        assert opened.services.assessments.get(aid).id == aid
    finally:
        opened.close()


def test_import_is_preceded_by_a_backup(tmp_path):
    source = tmp_path / "a.sqlite3"
    aid = _workshop(source)
    svc = open_services(source)
    try:
        exported = svc.exchange.export([aid], tmp_path / "x.mdx.json")
    finally:
        svc.close()
    target = tmp_path / "b.sqlite3"
    svc = open_services(target)
    try:
        svc.exchange.import_paths([exported])
    finally:
        svc.close()
    assert [b.reason for b in list_backups(target)] == ["import"]


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_kill_during_import_is_all_or_nothing(tmp_path):
    source = tmp_path / "a.sqlite3"
    svc = open_services(source)
    ids = []
    try:
        fw = svc.catalog.framework("syb-place-development-matrix")
        system = svc.catalog.create_system("SYB")
        for i in range(30):
            entity = svc.catalog.create_entity(
                system.id, f"Place {i}", EntityKind.PLACE_PARTNERSHIP
            )
            ids.append(svc.assessments.create(entity.id, fw, "2021/22 Q2").id)
        exported = svc.exchange.export(ids, tmp_path / "x.mdx.json")
    finally:
        svc.close()
    rng = random.Random(5)
    outcomes = set()
    for run in range(12):
        target = tmp_path / f"t{run}.sqlite3"
        open_services(target).close()
        pid = os.fork()
        if pid == 0:
            try:
                s = open_services(target)
                s.exchange.import_paths([exported])
            finally:
                os._exit(0)
        time.sleep(rng.uniform(0.0, 0.6))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        con = sqlite3.connect(target)
        try:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            count = con.execute("SELECT count(*) FROM assessment").fetchone()[0]
            ratings = con.execute(
                "SELECT count(DISTINCT assessment_id) FROM audit_event WHERE action='import'"
            ).fetchone()[0]
        finally:
            con.close()
        assert count in (0, 30), f"half an import: {count} assessments"
        assert ratings == count
        outcomes.add(count)
        for backup in list_backups(target):
            assert integrity_ok(backup.path)[0]
        assert not list(target.parent.glob(f"{target.name}*partial"))
    assert outcomes  # at least one run; ideally both outcomes were seen


def test_cli_backup_create_list_restore(tmp_path):
    path = tmp_path / "m.sqlite3"
    aid = _workshop(path)
    env = dict(os.environ, PYTHONPATH=str(SRC))

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "matrix_desktop", "--database", str(path), *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )

    made = cli("backup", "create")
    assert made.returncode == 0 and "integrity ok" in made.stdout, made.stderr
    svc = open_services(path)
    try:
        domain = svc.assessments.framework_of(svc.assessments.get(aid)).domains[0].key
        svc.assessments.execute(svc.assessments.edit_rating(aid, domain, stage="thriving"))
    finally:
        svc.close()
    listed = cli("backup", "list")
    assert listed.returncode == 0 and "(manual)" in listed.stdout
    restored = cli("backup", "restore", "1")
    assert restored.returncode == 0, restored.stderr
    assert "before-restore" in restored.stdout
    svc = open_services(path, read_only=True)
    try:
        assert svc.assessments.record(aid).rating(domain).stage is None
    finally:
        svc.close()
    assert cli("backup", "restore", "99").returncode == 1
