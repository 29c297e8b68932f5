"""`matrix-desktop history`: the audit trail, newest first, who (and on a server the database
login) changed what; bad input exits non-zero with one sentence."""

from __future__ import annotations

from matrix_desktop.__main__ import main
from matrix_desktop.core.model import AuditEvent
from matrix_desktop.services.context import open_services


def run(capsys, *args):  # type: ignore[no-untyped-def]
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_who_names_the_database_login_beside_the_user_when_it_differs():
    event = AuditEvent(1, "2030-01-01T10:00:00", "ann", "rating")
    assert event.who == "ann"  # a local file: no database login
    assert AuditEvent(1, "t", "ann", "rating", db_role="ann").who == "ann"
    assert AuditEvent(1, "t", "ann", "rating", db_role="ward").who == "ann (database login ward)"


def test_history_lists_an_assessments_changes_newest_first(capsys, db_path):
    svc = open_services(db_path, user="ann")
    try:
        from matrix_desktop.core.framework import EntityKind

        system = svc.catalog.create_system("History ICS")
        place = svc.catalog.create_entity(system.id, "Histshire", EntityKind.PLACE_PARTNERSHIP)
        fw = svc.catalog.framework("syb-place-development-matrix")
        aid = svc.assessments.create(place.id, fw, "2030 Q1").id
        key = fw.domains[0].key
        svc.assessments.execute(svc.assessments.edit_rating(aid, key, evidence="Minutes."))
    finally:
        svc.close()
    code, out, err = run(capsys, "history", "--assessment", aid, "--database", str(db_path))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split("  ")[1:4] == ["ann", "rating", f"{aid} {key}"]
    assert "database login" not in out  # a local file records no login
    code, out, _ = run(capsys, "history", "--limit", "1", "--database", str(db_path))
    assert code == 0 and len(out.splitlines()) == 1


def test_history_bad_input_exits_non_zero(capsys, db_path):
    code, _, err = run(capsys, "history", "--assessment", "nope", "--database", str(db_path))
    assert code == 1 and "nope" in err and "Traceback" not in err
    code, _, err = run(capsys, "history", "--limit", "0", "--database", str(db_path))
    assert code == 2 and "--limit 0" in err
