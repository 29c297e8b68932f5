"""The export and import commands: text preview, dry run, decisions, non-zero exits."""

from __future__ import annotations

from pathlib import Path

from exchange.helpers import logical_dump, new_assessment, open_db, set_stage, small_framework
from matrix_desktop.cli.main import run_cli


def _setup(tmp_path: Path):  # type: ignore[no-untyped-def]
    mine = open_db(tmp_path / "mine.sqlite3")
    a = new_assessment(mine, small_framework())
    mine.close()
    return a.id


def test_export_then_import_with_dry_run(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    aid = _setup(tmp_path)
    out = tmp_path / "x.mdx.json"
    assert (
        run_cli(
            [
                "export",
                "--entity",
                "Testplace",
                "-o",
                str(out),
                "--database",
                str(tmp_path / "mine.sqlite3"),
            ]
        )
        == 0
    )
    other = tmp_path / "other.sqlite3"
    open_db(other).close()
    before = logical_dump(other)
    assert run_cli(["import", "--dry-run", str(out), "--database", str(other)]) == 0
    text = capsys.readouterr().out
    assert f"new        Testplace, 2021/22 Q2, Self-assessment  [{aid}]" in text
    assert "dry run: nothing was changed" in text
    assert logical_dump(other) == before
    assert run_cli(["import", str(tmp_path), "--database", str(other)]) == 0
    assert "imported: 1 new" in capsys.readouterr().out
    assert run_cli(["import", str(out), "--database", str(other)]) == 0
    assert "nothing to import" in capsys.readouterr().out


def test_bad_file_exits_non_zero_with_the_path(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.mdx.json"
    bad.write_text('{"format": "matrix-desktop-exchange", "format_version": 1')
    assert run_cli(["import", str(bad), "--database", str(tmp_path / "db.sqlite3")]) == 1
    assert f"{bad}: is not valid JSON" in capsys.readouterr().err


def test_conflicts_need_a_decision(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    aid = _setup(tmp_path)
    mine_db, theirs_db = tmp_path / "mine.sqlite3", tmp_path / "theirs.sqlite3"
    first = tmp_path / "first.mdx.json"
    assert (
        run_cli(["export", "--assessment", aid, "-o", str(first), "--database", str(mine_db)]) == 0
    )
    assert run_cli(["import", str(first), "--database", str(theirs_db)]) == 0
    for db, stage in ((mine_db, "thriving"), (theirs_db, "maturing")):
        svc = open_db(db)
        svc.catalog.frameworks()
        set_stage(svc, aid, "d1", stage)
        svc.close()
    back = tmp_path / "back" / "back.mdx.json"
    assert (
        run_cli(["export", "--assessment", aid, "-o", str(back), "--database", str(theirs_db)]) == 0
    )
    capsys.readouterr()
    before = logical_dump(mine_db)
    assert run_cli(["import", str(back), "--database", str(mine_db)]) == 3
    captured = capsys.readouterr()
    assert "conflict" in captured.out and "--resolve" in captured.err
    assert logical_dump(mine_db) == before
    assert (
        run_cli(["import", str(back), "--decide", f"{aid}=keep-both", "--database", str(mine_db)])
        == 0
    )
    assert "kept both" in capsys.readouterr().out


def _field_conflict(tmp_path: Path):  # type: ignore[no-untyped-def]
    """mine and theirs both change d1's stage differently; theirs also changes d2's."""
    aid = _setup(tmp_path)
    mine_db, theirs_db = tmp_path / "mine.sqlite3", tmp_path / "theirs.sqlite3"
    first = tmp_path / "first.mdx.json"
    run_cli(["export", "--assessment", aid, "-o", str(first), "--database", str(mine_db)])
    run_cli(["import", str(first), "--database", str(theirs_db)])
    for db, stage in ((mine_db, "thriving"), (theirs_db, "maturing")):
        svc = open_db(db)
        svc.catalog.frameworks()
        set_stage(svc, aid, "d1", stage)
        if db == theirs_db:
            set_stage(svc, aid, "d2", "emerging")
        svc.close()
    back = tmp_path / "back" / "back.mdx.json"
    run_cli(["export", "--assessment", aid, "-o", str(back), "--database", str(theirs_db)])
    return aid, mine_db, back


def _stages(db: Path, aid: str) -> tuple[str | None, str | None]:
    svc = open_db(db)
    try:
        record = svc.assessments.record(aid)
        return record.rating("d1").stage, record.rating("d2").stage
    finally:
        svc.close()


def test_field_conflicts_are_listed_and_decided_per_field(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    aid, mine_db, back = _field_conflict(tmp_path)
    capsys.readouterr()
    assert run_cli(["import", str(back), "--database", str(mine_db)]) == 3
    captured = capsys.readouterr()
    assert f"{aid}:d1:stage  Domain 1: Agreed stage" in captured.out
    assert "base: emerging | mine (here): thriving | theirs (file): maturing" in captured.out
    assert "--field-choice" in captured.err and "Domain 1: Agreed stage" in captured.err
    bad = ["import", str(back), "--field-choice", f"{aid}:d1=theirs", "--database", str(mine_db)]
    assert run_cli(bad) == 1
    assert "expected ASSESSMENT_ID:DOMAIN:FIELD" in capsys.readouterr().err
    choice = f"{aid}:d1:stage=theirs"
    assert run_cli(["import", str(back), "--field-choice", choice, "--database", str(mine_db)]) == 0
    assert (
        "imported: 0 new, 0 updated, 0 merged, 0 unchanged, 1 conflict" in capsys.readouterr().out
    )
    assert _stages(mine_db, aid) == ("maturing", "emerging")


def test_resolve_applies_to_every_conflicting_field(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    aid, mine_db, back = _field_conflict(tmp_path)
    assert run_cli(["import", str(back), "--resolve", "keep-mine", "--database", str(mine_db)]) == 0
    # Keep mine decides the conflicting field; the file's other change still applies.
    assert _stages(mine_db, aid) == ("thriving", "emerging")
