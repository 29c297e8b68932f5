"""`feedback list|add|export` and `frameworks diff` with the feedback, run as a user types them."""

from __future__ import annotations

import csv
import json
from dataclasses import replace

from openpyxl import load_workbook

from matrix_desktop.cli.main import run_cli
from matrix_desktop.services import local_user


def cli(capsys, db_path, *args):  # type: ignore[no-untyped-def]
    try:
        code = run_cli(["--database", str(db_path), *args])
    except SystemExit as exc:  # argparse's own usage errors
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


def _next_version(fw):  # the leadership domain's first statement reworded
    domain = fw.domain("leadership")
    first = domain.statements[0]
    statements = tuple(
        replace(s, text=s.text + " Together.") if s == first else s for s in domain.statements
    )
    domains = tuple(
        replace(d, statements=statements) if d.key == "leadership" else d for d in fw.domains
    )
    return replace(fw, version="v9", domains=domains)


def test_add_list_export_and_beside_the_diff(services, place, syb, db_path, capsys, tmp_path):
    aid = services.assessments.create(place.id, syb, "2030/31 Q1").id
    first = syb.domain("leadership").statements[0]
    services.catalog.import_framework(_next_version(syb))
    services.close()
    for text in ("What is 'system leadership'?", "Which leaders?"):
        code, out, err = cli(
            capsys,
            db_path,
            "feedback",
            "add",
            "--assessment",
            aid[:8],
            "--domain",
            "leadership",
            "--statement",
            "1",
            "--kind",
            "clarity",
            "--text",
            text,
        )
        assert code == 0, err
        assert "kind: — -> clarity" in out
    code, out, err = cli(
        capsys,
        db_path,
        "feedback",
        "add",
        "--assessment",
        aid,
        "--domain",
        "2",
        "--kind",
        "rewording",
        "--text",
        "Too long",
        "--wording",
        "Shorter",
    )
    assert code == 0, err

    code, out, err = cli(capsys, db_path, "feedback", "list", "--framework", syb.key)
    assert code == 0, err
    assert f"{syb.key} {syb.version}: 3 pieces of feedback" in out
    assert "Request for clarity (2 on this): Which leaders?" in out
    assert "suggested wording: Shorter" in out
    assert f"by {local_user()}, Testshire Place Partnership, 2030/31 Q1" in out
    code, out, err = cli(capsys, db_path, "feedback", "list", "--version", "v9", "--json")
    assert code == 0 and json.loads(out) == []
    code, out, err = cli(capsys, db_path, "feedback", "list", "--json")
    rows = json.loads(out)
    assert [r["statement"] for r in rows[:2]] == [first.text, first.text]

    xlsx, csv_path = tmp_path / "f.xlsx", tmp_path / "f.csv"
    code, out, err = cli(capsys, db_path, "feedback", "export", str(xlsx))
    assert code == 0 and "wrote 3 pieces of feedback" in out
    assert len(list(load_workbook(xlsx).active.iter_rows())) == 4
    code, out, err = cli(capsys, db_path, "feedback", "export", str(csv_path), "--version", "v1-4")
    with open(csv_path, encoding="utf-8-sig", newline="") as f:
        assert len(list(csv.reader(f))) == 4

    code, out, err = cli(capsys, db_path, "frameworks", "diff", syb.key, syb.version, "v9")
    assert code == 0, err
    assert "~ reworded" in out
    assert "Feedback on version v1-4 (3 in all)" in out
    assert "2 requests for clarity; reworded in the new version" in out
    assert "the domain as a whole: 1 suggested rewording" in out  # domain 2 is leadership


def test_importing_the_next_version_previews_the_feedback_beside_it(
    services, place, syb, db_path, capsys, tmp_path
):
    from matrix_desktop.services.catalog import write_framework_file

    aid = services.assessments.create(place.id, syb, "2030/31 Q1").id
    first = syb.domain("leadership").statements[0]
    services.assessments.execute(
        services.feedback.add(aid, "leadership", "clarity", "Which?", statement_id=first.id)
    )
    path = write_framework_file(_next_version(syb), tmp_path / "next.yaml")
    services.close()
    code, out, err = cli(capsys, db_path, "frameworks", "import", "--dry-run", str(path))
    assert code == 0, err
    assert "A new version of SYB Place Development Matrix (v1-4)" in out
    assert "Feedback on version v1-4 (1 in all)" in out
    assert "1 request for clarity; reworded in the new version" in out


def test_bad_input_exits_2_naming_the_field_and_changes_nothing(
    services, place, syb, db_path, capsys, tmp_path
):
    aid = services.assessments.create(place.id, syb, "2030/31 Q1").id
    services.close()
    base = ("feedback", "add", "--assessment", aid, "--domain", "leadership")
    for extra, said in (
        (("--kind", "opinion", "--text", "x"), "--kind: Kind of feedback: 'opinion'"),
        (("--kind", "clarity", "--text", " "), "Feedback text:"),
        (("--kind", "rewording", "--text", "x"), "Suggested wording:"),
        (("--kind", "clarity", "--text", "x", "--statement", "99"), "is not a statement"),
    ):
        code, out, err = cli(capsys, db_path, *base, *extra)
        assert code == 2, (extra, err)
        assert said in err
    code, out, err = cli(
        capsys,
        db_path,
        "feedback",
        "add",
        "--assessment",
        aid,
        "--domain",
        "nowhere",
        "--kind",
        "clarity",
        "--text",
        "x",
    )
    assert code == 2 and "'nowhere' is not a domain" in err
    code, out, err = cli(capsys, db_path, "feedback", "list")
    assert out.strip() == "no feedback"
    code, out, err = cli(capsys, db_path, "feedback", "export", str(tmp_path / "f.pdf"))
    assert code == 2 and "must end in .xlsx or .csv" in err
    code, out, err = cli(capsys, db_path, "feedback", "list", "--framework", "nope")
    assert code == 2 and "--framework: 'nope' is not a framework here" in err


def test_withdraw_by_id_prefix_audited(services, place, syb, db_path, capsys):
    aid = services.assessments.create(place.id, syb, "2030/31 Q1").id
    edit = services.feedback.add(aid, "leadership", "clarity", "By mistake")
    services.assessments.execute(edit)
    fid = edit.target.item_id
    services.close()
    code, out, err = cli(capsys, db_path, "feedback", "withdraw", "zzzz")
    assert code == 2 and "no such feedback" in err
    code, out, err = cli(capsys, db_path, "feedback", "withdraw", fid[:8])
    assert code == 0, err
    assert "kind: clarity -> —" in out
    code, out, err = cli(capsys, db_path, "feedback", "list")
    assert out.strip() == "no feedback"
