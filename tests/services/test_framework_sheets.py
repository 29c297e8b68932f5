"""Frameworks to and from XLSX/CSV: round trips, previews, and hostile spreadsheets refused."""

from __future__ import annotations

import pytest
from openpyxl import Workbook, load_workbook

from matrix_desktop.core.errors import FrameworkFileError
from matrix_desktop.core.framework_file import read_framework_file
from matrix_desktop.paths import frameworks_dir
from matrix_desktop.services.framework_sheets import read_sheets, write_framework_xlsx

BUNDLED = sorted(frameworks_dir().glob("*.yaml"))
STAGES = ["Emerging", "Developing", "Maturing", "Thriving"]


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_yaml_to_xlsx_to_import_gives_the_same_framework(services, tmp_path, path):
    fw = read_framework_file(path)
    target = write_framework_xlsx(fw, tmp_path / "fw.xlsx")
    wb = load_workbook(target)
    assert wb.sheetnames[:3] == ["Framework", "Stages", "Matrix"]
    header = [c.value for c in wb["Matrix"][1]]
    assert header[2] == "Domain" and header[-4:] == [s.name for s in fw.stages]
    preview = services.framework_sheets.preview(target)
    assert preview.framework == fw
    assert preview.status == "already present" and preview.diff is not None
    assert preview.diff.is_empty


def _workbook(path, rows, *, title="Matrix"):
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return wb


def test_a_published_layout_sheet_becomes_a_new_version_of_a_stored_framework(services, tmp_path):
    path = tmp_path / "syb-v1-5.xlsx"
    syb = services.catalog.framework("syb-place-development-matrix")
    rows = [["Key area", "Emerging", "Developing", "Thriving"]]
    for d in syb.domains:
        rows.append(
            [d.title]
            + [
                "\n".join(f"• {s.text}" for s in d.statements_for(k))
                for k in ("emerging", "developing", "thriving")
            ]
        )
    rows[1][1] += "\n• Partners publish their shared vision."
    _workbook(path, rows)
    preview = services.framework_sheets.preview(path, {"key": syb.key, "version": "v1-5"})
    assert preview.status == "new version" and preview.previous == syb
    assert preview.diff is not None and preview.diff.count("added") == 1
    assert [d.key for d in preview.framework.domains] == [d.key for d in syb.domains]
    assert preview.diff.count("removed") == preview.diff.count("reworded") == 0
    assert services.catalog.framework(syb.key).version == "v1-4"  # nothing stored yet
    assert services.framework_sheets.apply(preview)
    assert services.catalog.framework(syb.key, "v1-5").stages == syb.stages


def _hostile(tmp_path, make):
    wb = Workbook()
    ws = wb.active
    ws.title = "Matrix"
    ws.append(["Domain", *STAGES])
    ws.append(["Leadership", "a", "b", None, "c"])
    ws.append(["Governance", "d", "e", None, "f"])
    make(wb, ws)
    path = tmp_path / "hostile.xlsx"
    wb.save(path)
    return path


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda wb, ws: ws.merge_cells("B2:C2"), r"sheet 'Matrix', row 2, column B: merged cells"),
        (
            lambda wb, ws: ws.__setitem__("C3", '=B3&"!"'),
            r"sheet 'Matrix', row 3, column C: a formula",
        ),
        (
            lambda wb, ws: setattr(wb.create_sheet("Old"), "sheet_state", "hidden"),
            r"sheet 'Old' is hidden",
        ),
        (
            lambda wb, ws: [ws.append(["D", f"s{i}"]) for i in range(10_000)],
            r"sheet 'Matrix', row 5,002, column A: a framework sheet has at most 5,000 rows",
        ),
        (
            lambda wb, ws: setattr(ws.row_dimensions[3], "hidden", True),
            r"sheet 'Matrix', row 3: the row is hidden",
        ),
        (
            lambda wb, ws: setattr(ws.column_dimensions["C"], "hidden", True),
            r"sheet 'Matrix', row 1, column C: the column is hidden",
        ),
    ],
    ids=["merged", "formula", "hidden", "10000-rows", "hidden-row", "hidden-column"],
)
def test_hostile_spreadsheets_are_refused_naming_the_place(services, tmp_path, make, expected):
    path = _hostile(tmp_path, make)
    before = services.catalog.frameworks()
    with pytest.raises(FrameworkFileError, match=expected):
        services.framework_sheets.preview(
            path,
            {
                "key": "k",
                "version": "1",
                "name": "N",
                "publisher": "P",
                "published": "2024-01-01",
                "applies_to": "place partnership",
            },
        )
    assert services.catalog.frameworks() == before


def test_csv_a_row_per_statement(services, tmp_path):
    path = tmp_path / "matrix.csv"
    path.write_text(
        "\ufeffDomain,Stage,Statement\n"
        'Leadership,Emerging,"Leaders meet, sometimes"\n'
        "Leadership,Developing,A plan\n"
        "Governance,Emerging,Loose forum\n"
        "Governance,Thriving,Delegated decisions\n",
        encoding="utf-8",
    )
    [sheet] = read_sheets(path)
    assert sheet.name == "matrix" and sheet.rows[1] == (
        "Leadership",
        "Emerging",
        "Leaders meet, sometimes",
    )
    preview = services.framework_sheets.preview(
        path,
        {
            "key": "new-matrix",
            "version": "1",
            "name": "New",
            "publisher": "P",
            "published": "2024-01-01",
            "applies_to": "place_partnership",
        },
    )
    assert preview.status == "new" and preview.diff is None
    assert [s.key for s in preview.framework.stages] == ["emerging", "developing", "thriving"]


def test_csv_separated_by_semicolons_and_a_csv_too_long(tmp_path):
    path = tmp_path / "semi.csv"
    path.write_text(
        'Domain;Emerging;Thriving\nLeadership;"Leaders meet, talk; agree";Delivered\n',
        encoding="utf-8",
    )
    [sheet] = read_sheets(path)
    assert sheet.rows[1] == ("Leadership", "Leaders meet, talk; agree", "Delivered")
    long = tmp_path / "long.csv"
    long.write_text("Domain,Stage,Statement\n" + "L,Emerging,x\n" * 10_000, encoding="utf-8")
    with pytest.raises(FrameworkFileError, match=r"sheet 'long', row 5,002, column A"):
        read_sheets(long)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("Domain,Emerging\nCaf\xe9,x\n".encode("latin-1"))
    with pytest.raises(FrameworkFileError, match="not UTF-8"):
        read_sheets(latin)


def test_not_a_workbook_and_a_huge_sheet_refused_before_a_full_load(tmp_path):
    fake = tmp_path / "fake.xlsx"
    fake.write_text("Domain,Emerging\n", encoding="utf-8")
    with pytest.raises(FrameworkFileError, match="fake.xlsx: is not an XLSX workbook"):
        read_sheets(fake)
    wb = Workbook()
    ws = wb.active
    ws.title = "Statements"
    ws.append(["Domain", "Stage", "Statement"])
    for i in range(50_000):
        ws.append(["D", "Emerging", f"statement {i}"])
    big = tmp_path / "big.xlsx"
    wb.save(big)
    with pytest.raises(FrameworkFileError, match=r"row 5,002, column A.*this one has 50,000"):
        read_sheets(big)


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_a_row_per_statement_export_round_trips_too(tmp_path, path):
    from matrix_desktop.core.framework_sheet import framework_from_sheets

    fw = read_framework_file(path)
    target = write_framework_xlsx(fw, tmp_path / "fw.xlsx", layout="statements")
    assert "Statements" in load_workbook(target).sheetnames
    assert framework_from_sheets(read_sheets(target), str(target)) == fw


def test_auto_layout_keeps_a_statement_with_a_line_break_and_an_empty_domain(tmp_path):
    import dataclasses

    from matrix_desktop.core.framework import Domain, Statement
    from matrix_desktop.core.framework_sheet import framework_from_sheets

    fw = read_framework_file(BUNDLED[0])
    first = fw.domains[0]
    two_lines = Statement(f"{first.key}.emerging.1", first.key, "emerging", "Line one\nline two")
    domains = (
        dataclasses.replace(first, statements=(two_lines, *first.statements[1:])),
        *fw.domains[1:],
        Domain("new_area", "A new area", len(fw.domains) + 1, ()),
    )
    edited = dataclasses.replace(fw, version="v-next", domains=domains)
    target = write_framework_xlsx(edited, tmp_path / "fw.xlsx")  # auto: a row per statement
    assert "Statements" in load_workbook(target).sheetnames
    assert framework_from_sheets(read_sheets(target), str(target)) == edited
