"""`systems`, `entities`, `rounds`, `assessment delete|restore` and `trash`: every subcommand
run as a user would, on an empty database."""

from __future__ import annotations

import pytest

from matrix_desktop.__main__ import main


@pytest.fixture
def cli(capsys, db_path):  # type: ignore[no-untyped-def]
    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--database", str(db_path), *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def test_systems_subcommands(cli):
    assert cli("systems", "add", "North ICS", "--short-name", "NICS")[0] == 0
    code, _, err = cli("systems", "add", "north\u200b ics")
    assert code == 1 and "A system named 'North ICS' already exists" in err
    assert cli("systems", "rename", "nics", "North Region ICS")[0] == 0
    code, out, _ = cli("systems", "list")
    assert code == 0 and out.strip() == "North Region ICS [NICS]"
    assert cli("systems", "archive", "North Region ICS")[0] == 0
    assert cli("systems", "list")[1] == ""
    assert "(archived)" in cli("systems", "list", "--all")[1]
    assert cli("systems", "restore", "north region ics")[0] == 0
    assert cli("systems", "list")[1].strip() == "North Region ICS [NICS]"
    code, _, err = cli("systems", "rename", "Nowhere", "X")
    assert code == 2 and "There is no system named 'Nowhere'" in err


def test_entities_subcommands(cli):
    cli("systems", "add", "North ICS")
    code, out, _ = cli(
        "entities", "add", "Barnsley Place", "--system", "North ICS", "--kind", "place",
        "--members", "Barnsley Council; Barnsley Hospital",
    )  # fmt: skip
    assert code == 0 and "added place partnership Barnsley Place" in out
    code, _, err = cli("entities", "add", "B\u0430rnsley place", "--system", "North ICS",
                       "--kind", "place")  # fmt: skip
    assert code == 1 and "'Barnsley Place' already exists in this system" in err
    code, _, err = cli("entities", "add", "X", "--system", "North ICS", "--kind", "club")
    assert code == 2 and "'club' is not a kind of entity" in err
    assert cli("entities", "add", "Acute Collaborative", "--system", "North ICS", "--kind",
               "collaborative")[0] == 0  # fmt: skip
    assert cli("entities", "rename", "barnsley place", "Barnsley Place Partnership")[0] == 0
    code, _, _ = cli("entities", "edit", "Barnsley Place Partnership",
                     "--members", "Barnsley Council; Barnsley Hospital; Hospice")  # fmt: skip
    assert code == 0
    code, out, _ = cli("entities", "list", "--members")
    assert code == 0
    assert out.splitlines() == [
        "North ICS",
        "  Barnsley Place Partnership [Place partnership]",
        "    - Barnsley Council",
        "    - Barnsley Hospital",
        "    - Hospice",
        "  Acute Collaborative [Provider collaborative]",
    ]
    assert cli("entities", "archive", "Acute Collaborative")[0] == 0
    assert "Acute" not in cli("entities", "list")[1]
    assert (
        "Acute Collaborative [Provider collaborative]  (archived): no assessments"
        in cli("entities")[1]
    )
    assert (
        "Acute Collaborative [Provider collaborative]  (archived)"
        in cli("entities", "list", "--all")[1]
    )
    assert cli("entities", "restore", "Acute Collaborative")[0] == 0
    code, out, _ = cli("entities")  # the overview, as before
    assert code == 0 and "Acute Collaborative [Provider collaborative]: no assessments" in out


def test_entities_import_previews_then_applies_and_export_round_trips(cli, tmp_path):
    source = tmp_path / "list.csv"
    source.write_text(
        "system,entity,kind,organisation\n"
        "North ICS,Barnsley Place,Place partnership,Barnsley Council\n"
        "North ICS,Barnsley Place,Place partnership,Barnsley Hospital\n"
        "North ICS,Acute Collaborative,Provider collaborative,Hospital A\n",
        encoding="utf-8",
    )
    code, out, _ = cli("entities", "import", str(source), "--dry-run")
    assert code == 0 and "1 new system(s), 2 new entities, 3 new member" in out
    assert "dry run: nothing was changed" in out
    assert cli("systems", "list")[1] == ""
    code, out, _ = cli("entities", "import", str(source))
    assert code == 0 and "applied 3 changes" in out
    code, out, _ = cli("entities", "import", str(source))
    assert code == 0 and "2 entities unchanged" in out and "nothing to change" in out
    for suffix in ("csv", "xlsx"):
        target = tmp_path / f"out.{suffix}"
        code, out, _ = cli("entities", "export", "-o", str(target))
        assert code == 0 and "wrote 3 rows" in out
    exported = (tmp_path / "out.csv").read_text("utf-8-sig").replace("\r\n", "\n")
    assert sorted(exported.splitlines()) == sorted(source.read_text("utf-8").splitlines())
    bad = tmp_path / "bad.csv"
    bad.write_text("system,entity,organisation\nA,B,C\n", encoding="utf-8")
    code, _, err = cli("entities", "import", str(bad))
    assert code == 1 and "bad.csv, row 1: missing column 'kind'" in err


def test_rounds_subcommands(cli):
    code, out, _ = cli("rounds", "add", "2030 Q1", "--starts", "01/04/2030", "--ends", "2030-06-30")
    assert code == 0 and "added round 2030 Q1 (order 1)" in out
    assert cli("rounds", "add", "2030 Q2")[0] == 0
    code, _, err = cli("rounds", "add", "2030 q2 ")
    assert code == 1 and "already exists" in err
    assert cli("rounds", "edit", "2030 Q2", "--order", "0")[0] == 0
    assert cli("rounds", "rename", "2030 Q2", "2029/30 Q4")[0] == 0
    code, out, _ = cli("rounds", "list")
    assert out.splitlines() == ["   0  2029/30 Q4", "   1  2030 Q1  2030-04-01 to 2030-06-30"]
    code, _, err = cli("rounds", "edit", "2030 Q1", "--ends", "2020-01-01")
    assert code == 1 and "before it starts" in err
    assert cli("rounds", "archive", "2029/30 Q4")[0] == 0
    assert "2029/30" not in cli("rounds", "list")[1]
    assert cli("rounds", "restore", "2029/30 Q4")[0] == 0
    assert "2029/30 Q4" in cli("rounds", "list")[1]


def test_assessment_delete_restore_and_trash(cli):
    cli("systems", "add", "North ICS")
    cli("entities", "add", "Barnsley", "--system", "North ICS", "--kind", "place")
    new = ("assessment", "new", "--entity", "Barnsley", "--framework",
           "syb-place-development-matrix", "--round", "2030 Q1")  # fmt: skip
    code, out, _ = cli(*new)
    assert code == 0
    aid = out.strip()
    code, _, err = cli(*new)
    assert code == 2 and "already has a self-assessment for 2030 Q1" in err and aid in err
    assert cli("trash")[1].strip() == "the trash is empty"
    assert cli("assessment", "finalise", aid)[0] == 0
    code, _, err = cli("assessment", "delete", aid)
    assert code == 2 and "is final: say why" in err
    code, out, _ = cli("assessment", "delete", aid[:8], "--reason", "made by mistake")
    assert code == 0 and "to the trash" in out
    assert cli("assessment", "list")[1] == ""
    code, out, _ = cli("trash")
    assert aid in out and "reason: made by mistake" in out
    assert cli("assessment", "restore", aid[:8])[0] == 0
    assert aid in cli("assessment", "list")[1]
    code, _, err = cli("assessment", "restore", aid)
    assert code == 2 and "no assessment in the trash" in err
