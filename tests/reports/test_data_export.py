"""Tests for CSV and XLSX data exports: one row per item, formula-looking text kept as text."""

from __future__ import annotations

import csv
import io

from report_fixtures import ENTITY, ROUND, SYSTEM

from matrix_desktop.reports.data_export import to_csv, to_xlsx
from matrix_desktop.reports.models import DataTable

DANGEROUS = ("=1+2", "+SUM(A1)", "-3+4", "@cmd", "\tx", "\rx", '=HYPERLINK("http://x")')


def _table() -> DataTable:
    return DataTable(
        "ratings",
        ("entity", "evidence", "stage position"),
        tuple(("Barnsley", s, 2) for s in DANGEROUS) + (("Barnsley", "plain", None),),
    )


def test_xlsx_cells_that_look_like_formulas_are_strings():
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(to_xlsx([_table()])))
    ws = wb["Ratings"]
    cells = [ws.cell(row=r, column=2) for r in range(2, 2 + len(DANGEROUS))]
    for cell, text in zip(cells, DANGEROUS, strict=True):
        assert cell.data_type == "s", f"{text!r} was stored as {cell.data_type}"
        assert cell.value == text
    assert ws.cell(row=2, column=3).value == 2  # numbers stay numbers


def test_csv_prefixes_formula_text_and_keeps_everything_else():
    rows = list(csv.reader(io.StringIO(to_csv(_table()).decode("utf-8-sig"), newline="")))
    assert rows[0] == ["entity", "evidence", "stage position"]
    for row, text in zip(rows[1:-1], DANGEROUS, strict=True):
        assert row[1] == "'" + text
    assert rows[-1] == ["Barnsley", "plain", ""]


def test_tables_have_one_row_per_item_with_entity_round_and_domain(reports):
    tables = {t.name: t for t in reports.data_tables([ENTITY], None, ROUND)}
    assert set(tables) == {"ratings", "votes", "actions", "enablers", "support_requests"}
    ratings = tables["ratings"]
    # 13 domains for the self-assessment and 13 for the peer review
    assert len(ratings.rows) == 26
    for t in tables.values():
        assert {"entity", "round", "domain"} <= set(t.columns)
        idx = t.columns.index("round")
        assert all(row[idx] == ROUND for row in t.rows)
    assert tables["votes"].rows and tables["enablers"].rows


def test_write_xlsx_and_csv_files(reports, tmp_path):
    from openpyxl import load_workbook

    (xlsx,) = reports.write_data("xlsx", tmp_path / "all.xlsx", system_name=SYSTEM)
    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["Ratings", "Votes", "Actions", "Enablers", "Support requests"]
    assert wb["Ratings"].max_row > 9 * 13
    written = reports.write_data("csv", tmp_path / "data.csv", entity_names=[ENTITY])
    assert [p.name for p in written] == [
        "data-ratings.csv",
        "data-votes.csv",
        "data-actions.csv",
        "data-enablers.csv",
        "data-support-requests.csv",
    ]
    (one,) = reports.write_data("csv", tmp_path / "r.csv", entity_names=[ENTITY], table="ratings")
    assert one.read_text("utf-8-sig").startswith("system,entity")


def test_peer_review_recommendation_formula_is_text_in_xlsx(reports, tmp_path):
    from openpyxl import load_workbook

    (xlsx,) = reports.write_data("xlsx", tmp_path / "x.xlsx", entity_names=[ENTITY])
    ws = load_workbook(xlsx)["Ratings"]
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                assert cell.data_type == "s"
