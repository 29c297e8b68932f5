"""`frameworks export --format xlsx`, `frameworks import FILE.xlsx|csv`, `frameworks diff`."""

from __future__ import annotations

from openpyxl import load_workbook

from matrix_desktop.__main__ import main

SYB = "syb-place-development-matrix"


def run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_export_xlsx_edit_import_as_new_version_then_diff(capsys, db_path, tmp_path):
    db = ("--database", str(db_path))
    target = tmp_path / "syb.xlsx"
    code, out, err = run(
        capsys, *db, "frameworks", "export", SYB, "v1-4", "--format", "xlsx", "-o", str(target)
    )
    assert code == 0, err
    assert "wrote SYB Place Development Matrix (v1-4)" in out
    wb = load_workbook(target)
    details = wb["Framework"]
    for row in details.iter_rows(min_row=2):
        if row[0].value == "version":
            row[1].value = "v1-5"
    matrix = wb["Matrix"]
    header = [c.value for c in matrix[1]]
    emerging = matrix.cell(row=2, column=header.index("Emerging") + 1)
    first = emerging.value.splitlines()[0]
    emerging.value = emerging.value.replace(first, first.replace("shared vision", "common vision"))
    thriving = matrix.cell(row=3, column=header.index("Thriving") + 1)
    thriving.value += "\nLeaders publish an annual review of their collaboration."
    wb.save(target)

    code, out, err = run(capsys, *db, "frameworks", "import", "--dry-run", str(target))
    assert code == 0, err
    assert "A new version of SYB Place Development Matrix (v1-4)" in out
    assert "nothing was changed" in out
    code, out, _ = run(capsys, *db, "frameworks", "list")
    assert "v1-5" not in out
    code, out, err = run(capsys, *db, "frameworks", "import", str(target))
    assert code == 0, err
    assert "added: SYB Place Development Matrix (v1-5)" in out
    code, out, err = run(capsys, *db, "frameworks", "diff", SYB, "v1-4", "v1-5")
    assert code == 0, err
    assert "2 domains changed; 1 statement added; 1 statement reworded." in out
    assert "~ reworded (Emerging):" in out and "[-shared-] {+common+}" in out
    assert "+ added (Thriving): Leaders publish an annual review" in out


def test_import_csv_with_details_given(capsys, db_path, tmp_path):
    path = tmp_path / "matrix.csv"
    path.write_text(
        "Domain,Emerging,Developing,Maturing,Thriving\n"
        'Leadership,"Leaders meet\nThey share aims",A plan,,Delivered\n',
        encoding="utf-8",
    )
    db = ("--database", str(db_path))
    code, _, err = run(capsys, *db, "frameworks", "import", str(path))
    assert code == 1 and "are missing" in err and "matrix.csv" in err
    code, out, err = run(
        capsys,
        *db,
        "frameworks",
        "import",
        str(path),
        "--key",
        "barnsley-matrix",
        "--version",
        "1",
        "--name",
        "Barnsley matrix",
        "--publisher",
        "Barnsley",
        "--published",
        "2024-03-01",
        "--applies-to",
        "place partnership",
    )
    assert code == 0, err
    assert "A new framework: it will be added." in out and "added: Barnsley matrix (1)" in out
    code, out, _ = run(
        capsys, *db, "frameworks", "export", "barnsley-matrix", "-o", str(tmp_path / "b.yaml")
    )
    assert code == 0 and "Leaders meet" in (tmp_path / "b.yaml").read_text(encoding="utf-8")


def test_bad_spreadsheets_and_versions_exit_non_zero_changing_nothing(capsys, db_path, tmp_path):
    from openpyxl import Workbook

    db = ("--database", str(db_path))
    wb = Workbook()
    ws = wb.active
    ws.title = "Matrix"
    ws.append(["Domain", "Emerging", "Developing"])
    ws.append(["Leadership", "a", "=A2"])
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    code, _, err = run(
        capsys, *db, "frameworks", "import", str(path), "--key", SYB, "--version", "9"
    )
    assert code == 1 and "sheet 'Matrix', row 2, column C: a formula" in err
    code, _, err = run(capsys, *db, "frameworks", "diff", SYB, "v1-4", "v9")
    assert code == 1 and "version v9 is not in this database" in err
    code, out, _ = run(capsys, *db, "frameworks", "list")
    assert code == 0 and out.count(SYB) == 1


def test_export_a_row_per_statement_and_import_it_back_unchanged(capsys, db_path, tmp_path):
    db = ("--database", str(db_path))
    target = tmp_path / "ics.xlsx"
    code, _, err = run(
        capsys, *db, "frameworks", "export", "nhs-ics-maturity-matrix", "--layout", "statements",
        "-o", str(target),
    )  # fmt: skip
    assert code == 0, err
    assert load_workbook(target).sheetnames == ["Framework", "Stages", "Statements", "Supporting"]
    code, out, err = run(capsys, *db, "frameworks", "import", str(target))
    assert code == 0, err
    assert "already in this database, the same" in out and "already present" in out
