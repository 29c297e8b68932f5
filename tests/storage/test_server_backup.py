"""`backup create/list/restore` on a server URL: pg_dump -Fc and pg_restore, or what to do."""

from __future__ import annotations

from matrix_desktop.__main__ import main
from matrix_desktop.core.framework import EntityKind
from matrix_desktop.services.context import open_services
from matrix_desktop.storage import server_backup

SECRET = "dump-pw-9"


def run(capsys, *args):  # type: ignore[no-untyped-def]
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def _with_password(url: str) -> str:
    return url.replace("postgres@", f"postgres:{SECRET}@")  # trust login: any password works


def _evidence(url: str, aid: str, key: str) -> str:
    svc = open_services(url)
    try:
        return svc.assessments.record(aid).rating(key).evidence
    finally:
        svc.close()


def test_server_backup_create_list_and_restore(capsys, pg_url):
    svc = open_services(pg_url, user="tester")
    try:
        fw = svc.catalog.framework("syb-place-development-matrix")
        system = svc.catalog.create_system("Test ICS", "TICS")
        entity = svc.catalog.create_entity(system.id, "Testshire", EntityKind.PLACE_PARTNERSHIP)
        aid = svc.assessments.create(entity.id, fw, "2021/22 Q2").id
        key = fw.domains[0].key
        svc.assessments.execute(svc.assessments.edit_rating(aid, key, evidence="Before"))
    finally:
        svc.close()
    url = _with_password(pg_url)
    code, out, err = run(capsys, "backup", "create", "--database", url)
    assert code == 0, err
    assert "pg_dump custom format, checked" in out and SECRET not in out + err
    backups = server_backup.list_server_backups(url)
    assert len(backups) == 1 and backups[0].path.read_bytes()[:5] == b"PGDMP"

    svc = open_services(pg_url, user="tester")
    try:
        seen = svc.assessments.record(aid).rating(key)
        svc.assessments.execute(svc.assessments.edit_rating(aid, key, seen=seen, evidence="After"))
    finally:
        svc.close()
    code, out, err = run(capsys, "backup", "restore", "1", "--database", url)
    assert code == 0, err
    assert _evidence(pg_url, aid, key) == "Before"
    code, out, _ = run(capsys, "backup", "list", "--database", url)
    assert code == 0 and "(before-restore)" in out and "(manual)" in out and SECRET not in out


def test_server_backup_without_pg_dump_says_what_to_do(capsys, pg_url, monkeypatch):
    monkeypatch.setattr(server_backup, "find_tool", lambda name: None)
    code, out, err = run(capsys, "backup", "create", "--database", _with_password(pg_url))
    assert code == 1 and "Traceback" not in err and SECRET not in err
    assert "pg_dump (PostgreSQL's client tools) is not installed here" in err
    assert "apt-get install postgresql-client" in err and len(err.strip().splitlines()) == 1


def test_server_restore_of_a_missing_file_changes_nothing(capsys, pg_url, tmp_path):
    open_services(pg_url).close()
    code, _, err = run(
        capsys, "backup", "restore", str(tmp_path / "nope.dump"), "--database", pg_url
    )
    assert code == 1 and "no such backup file" in err
    code, _, err = run(capsys, "backup", "restore", "3", "--database", pg_url)
    assert code == 1 and "there is no backup number 3" in err
