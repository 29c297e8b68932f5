"""`actions list|set-status` and `targets set` run as a user types them."""

from __future__ import annotations

import json

from openpyxl import load_workbook

from matrix_desktop.cli.main import run_cli
from matrix_desktop.core.model import Action, ActionStatus


def cli(capsys, db_path, *args):  # type: ignore[no-untyped-def]
    try:
        code = run_cli(["--database", str(db_path), *args])
    except SystemExit as exc:  # argparse's own usage errors
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


def _draft(services, place, syb, round_name="2030/31 Q1"):
    return services.assessments.create(place.id, syb, round_name, facilitator="Fay")


def _with_actions(services, aid, *actions):
    svc = services.assessments
    svc.execute(svc.edit_rating(aid, "leadership", actions=tuple(actions)))


ACT = Action("77777777-7777-4777-8777-777777777777", "Estates plan", "Ann Lee", "2001-02-03")


def test_actions_list_filters_json_and_xlsx(services, place, syb, db_path, capsys, tmp_path):
    a = _draft(services, place, syb)
    other = Action("88888888-8888-4888-8888-888888888888", "Digital", "Bob", "2999-01-01")
    _with_actions(services, a.id, ACT, other)
    services.close()
    code, out, err = cli(capsys, db_path, "actions", "list", "--entity", "Testshire")
    assert code == 0, err
    assert "77777777  Testshire Place Partnership / Leadership: Estates plan — Ann Lee" in out
    assert "open, due 2001-02-03, OVERDUE; since 2030/31 Q1, in 2030/31 Q1" in out
    code, out, err = cli(capsys, db_path, "actions", "list", "--overdue", "--json")
    assert code == 0, err
    assert [r["action_id"] for r in json.loads(out)] == [ACT.id]
    code, out, err = cli(capsys, db_path, "actions", "list", "--owner", "bob", "--json")
    assert [r["action"] for r in json.loads(out)] == ["Digital"]
    xlsx = tmp_path / "plan.xlsx"
    code, out, err = cli(
        capsys, db_path, "actions", "list", "--system", "Test ICS", "--xlsx", str(xlsx)
    )
    assert code == 0 and "wrote 2 actions" in err
    assert len(list(load_workbook(xlsx).active.iter_rows())) == 3
    code, out, err = cli(capsys, db_path, "actions", "list", "--domain", "nowhere")
    assert code == 2 and "'nowhere' is not a domain" in err


def test_actions_set_status_edits_the_latest_round_and_refuses_bad_input(
    services, place, syb, db_path, capsys
):
    a = _draft(services, place, syb)
    _with_actions(services, a.id, ACT)
    b = _draft(services, place, syb, "2030/31 Q2")  # takes the open action over
    services.close()
    code, out, err = cli(
        capsys,
        db_path,
        "actions",
        "set-status",
        "7777",
        "done",
        "--completed",
        "01/06/2031",
        "--note",
        "Signed off by the board",
    )
    assert code == 0, err
    assert "Estates plan -> Estates plan (done)" in out
    code, out, err = cli(capsys, db_path, "actions", "set-status", "7777", "finished")
    assert code == 2 and "invalid choice" in err
    code, out, err = cli(capsys, db_path, "actions", "set-status", "0000", "done")
    assert code == 2 and "no action with id '0000'" in err
    code, out, err = cli(
        capsys, db_path, "actions", "set-status", "7777", "open", "--completed", "2031-01-01"
    )
    assert code == 2 and "--completed is for done or dropped" in err
    code, out, err = cli(capsys, db_path, "assessment", "show", b.id, "--json")
    shown = json.loads(out)
    rating = next(r for r in shown["domains"] if r["key"] == "leadership")
    assert rating["actions"][0]["status"] == ActionStatus.DONE.value
    assert rating["actions"][0]["completed_on"] == "2031-06-01"
    assert rating["actions"][0]["note"] == "Signed off by the board"
    code, out, err = cli(capsys, db_path, "assessment", "show", a.id, "--json")
    first = next(r for r in json.loads(out)["domains"] if r["key"] == "leadership")
    assert "status" not in first["actions"][0]  # still open in the round it was agreed in


def test_targets_set_warns_below_stage_and_refuses_unknown(services, place, syb, db_path, capsys):
    a = _draft(services, place, syb)
    svc = services.assessments
    svc.execute(svc.edit_rating(a.id, "leadership", stage="maturing"))
    services.close()
    code, out, err = cli(
        capsys, db_path, "targets", "set", a.id, "leadership", "developing", "--by", "2001-01-01"
    )
    assert code == 0, err
    assert "warning: the target Developing is below the agreed stage Maturing (saved anyway)" in err
    assert "target_stage: — -> developing" in out
    code, out, err = cli(capsys, db_path, "targets", "set", a.id, "leadership", "golden")
    assert code == 2 and "'golden' is not a stage" in err and "Nothing was changed" in err
    code, out, err = cli(
        capsys, db_path, "targets", "set", a.id, "leadership", "thriving", "--by", "31/02/2031"
    )
    assert code == 2 and "--by 31/02/2031" in err
    code, out, err = cli(
        capsys, db_path, "targets", "set", a.id, "2", "thriving", "--by", "31/03/2032"
    )
    assert code == 0, err
    code, out, err = cli(capsys, db_path, "assessment", "show", a.id, "--json")
    rating = next(r for r in json.loads(out)["domains"] if r["key"] == "leadership")
    assert (rating["target_stage"], rating["target_date"]) == ("thriving", "2032-03-31")
    code, out, err = cli(capsys, db_path, "targets", "set", a.id, "leadership", "none")
    assert code == 0, err
