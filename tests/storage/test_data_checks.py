"""`check` on SQLite and on a server: orphans and bad values are reported, never a crash."""

from __future__ import annotations

import sqlite3

import psycopg
import pytest

from matrix_desktop.__main__ import main
from matrix_desktop.core.framework import EntityKind
from matrix_desktop.services.context import open_services

GHOST = "00000000-0000-0000-0000-00000000dead"


def run(capsys, *args):  # type: ignore[no-untyped-def]
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def _scored(target) -> str:  # type: ignore[no-untyped-def]
    """Make one assessment with one rating; returns its id."""
    svc = open_services(target, user="tester")
    try:
        fw = svc.catalog.framework("syb-place-development-matrix")
        system = svc.catalog.create_system("Test ICS", "TICS")
        entity = svc.catalog.create_entity(system.id, "Testshire", EntityKind.PLACE_PARTNERSHIP)
        aid = svc.assessments.create(entity.id, fw, "2021/22 Q2").id
        svc.assessments.execute(
            svc.assessments.edit_rating(aid, fw.domains[0].key, stage="developing")
        )
    finally:
        svc.close()
    return aid


_BREAK = [
    "CREATE TEMP TABLE ghost AS SELECT * FROM rating",
    f"UPDATE ghost SET assessment_id = '{GHOST}'",
    "INSERT INTO rating SELECT * FROM ghost",
    "UPDATE assessment SET status = 'bogus'",
]


def _assert_reported(code: int, out: str, err: str, aid: str) -> None:
    assert code == 1 and "Traceback" not in err
    assert f"data_check: rating pointing at no assessment: 1 row(s) (assessment {GHOST}" in out
    assert (
        f"data_check: assessment status not one of draft, final: 1 row(s) (assessment {aid}: bogus)"
        in out
    )
    assert "2 kind(s) of problem listed above" in err


def test_sqlite_check_reports_an_orphan_rating_and_a_bad_status(capsys, tmp_path):
    path = tmp_path / "broken.sqlite3"
    aid = _scored(path)
    code, out, _ = run(capsys, "check", "--database", str(path))
    assert code == 0 and "data_check: ok" in out
    con = sqlite3.connect(path)
    con.execute("PRAGMA foreign_keys=OFF")
    for sql in _BREAK:
        con.execute(sql)
    con.commit()
    con.close()
    code, out, err = run(capsys, "check", "--database", str(path))
    _assert_reported(code, out, err, aid)
    assert "foreign_key_check: 1 problem(s)" in out


def test_server_check_runs_the_same_checks(capsys, pg_url, pg_server):
    aid = _scored(pg_url)
    code, out, err = run(capsys, "check", "--database", pg_url)
    assert code == 0, err
    assert "data_check: ok" in out and "assessments: 1" in out
    dbname = pg_url.rsplit("/", 1)[1]
    dsn = f"host=127.0.0.1 port={pg_server.port} user=postgres dbname={dbname}"
    with psycopg.connect(dsn, autocommit=True) as con:
        con.execute("SET session_replication_role = replica")  # as a careless restore would
        for sql in _BREAK:
            con.execute(sql)
    code, out, err = run(capsys, "check", "--database", pg_url)
    _assert_reported(code, out, err, aid)


@pytest.mark.parametrize("value", ["", "FINAL"])
def test_an_empty_or_wrongly_cased_status_is_reported_too(capsys, tmp_path, value):
    path = tmp_path / "cased.sqlite3"
    aid = _scored(path)
    con = sqlite3.connect(path)
    con.execute("UPDATE assessment SET status = ?", (value,))
    con.commit()
    con.close()
    code, out, _ = run(capsys, "check", "--database", str(path))
    assert code == 1 and f"(assessment {aid}: {value})" in out
