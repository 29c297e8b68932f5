"""`pairings list|add|set-status` run as a user types them, on the example data."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from matrix_desktop.cli.main import run_cli


@pytest.fixture
def example_db(examples_template, tmp_path) -> Path:
    target = tmp_path / "examples.sqlite3"
    for suffix in ("", "-wal"):
        source = Path(f"{examples_template}{suffix}")
        if source.exists():
            shutil.copyfile(source, f"{target}{suffix}")
    return target


def cli(capsys, db_path, *args):  # type: ignore[no-untyped-def]
    try:
        code = run_cli(["--database", str(db_path), *args])
    except SystemExit as exc:  # argparse's own usage errors
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


ADD = ("pairings", "add", "--from", "Sheffield", "--to", "Barnsley", "--round", "2021/22 Q2")


def test_add_list_and_set_status(example_db, capsys):
    code, out, err = cli(
        capsys,
        example_db,
        *ADD,
        "--domain",
        "Governance",
        "--note",
        "Sheffield offered help to Barnsley on governance",
    )
    assert code == 0, err
    assert "Sheffield Place Partnership offered help to Barnsley Place Partnership on " in out
    pid = out.split()[0]
    code, out, err = cli(capsys, example_db, "pairings", "list", "--system", "SYB ICS")
    assert code == 0, err
    assert f"{pid[:8]}  Sheffield" in out and ": offered" in out
    assert "note: Sheffield offered help to Barnsley on governance" in out
    code, out, err = cli(capsys, example_db, "pairings", "set-status", pid[:8], "agreed")
    assert code == 0, err
    assert "status: offered -> agreed" in out
    code, out, err = cli(capsys, example_db, "pairings", "list", "--round", "2021/22 Q2", "--json")
    (row,) = json.loads(out)
    assert row["id"] == pid and row["status"] == "agreed" and row["domain"] == "governance"
    code, out, err = cli(capsys, example_db, "pairings", "list", "--round", "2020/21 Q4")
    assert code == 0 and "no pairings" in out
    from matrix_desktop.services.context import open_services

    svc = open_services(example_db, user="tester")
    try:
        assert [e.action for e in svc.assessments.audit()[:2]] == ["pairing", "pairing"]
    finally:
        svc.close()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--from", "Nowhere", "--domain", "governance"), "--from: no entity named 'Nowhere'"),
        (("--domain", "Nonsense"), "Domain 'Nonsense' is not a domain"),
        (("--to", "Sheffield", "--domain", "governance"), "both Sheffield Place Partnership"),
        (("--round", "1999", "--domain", "governance"), "--round: no round named '1999'"),
    ],
)
def test_add_refusals_exit_2_and_change_nothing(example_db, capsys, args, message):
    base = dict(zip(ADD[2::2], ADD[3::2], strict=True))
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    flat = [x for kv in base.items() for x in kv]
    code, out, err = cli(capsys, example_db, "pairings", "add", *flat)
    assert code == 2, out
    assert message in err and "Nothing was changed." in err
    code, out, err = cli(capsys, example_db, "pairings", "list")
    assert "no pairings" in out


def test_entity_from_another_system_is_refused(example_db, capsys):
    code, out, err = cli(capsys, example_db, "systems", "add", "Other ICS")
    assert code == 0, err
    code, out, err = cli(
        capsys,
        example_db,
        "entities",
        "add",
        "Elsewhere Place",
        "--system",
        "Other ICS",
        "--kind",
        "place",
    )
    assert code == 0, err
    code, out, err = cli(
        capsys,
        example_db,
        "pairings",
        "add",
        "--from",
        "Sheffield",
        "--to",
        "Elsewhere",
        "--domain",
        "governance",
        "--round",
        "2021/22 Q2",
    )
    assert code == 2 and "another system" in err and "Nothing was changed." in err


def test_set_status_refusals(example_db, capsys):
    code, out, err = cli(capsys, example_db, "pairings", "set-status", "deadbeef", "done")
    assert code == 2 and "Pairing 'deadbeef' is not in this database." in err
    code, out, err = cli(capsys, example_db, "pairings", "set-status", "deadbeef", "maybe")
    assert code == 2
