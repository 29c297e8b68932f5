"""Framework spreadsheets on a shared PostgreSQL server: export, import a new version, diff."""

from __future__ import annotations

from openpyxl import load_workbook

from matrix_desktop.__main__ import main
from matrix_desktop.services.context import open_services
from matrix_desktop.services.framework_sheets import write_framework_xlsx

SYB = "syb-place-development-matrix"


def test_postgres_framework_from_a_sheet_and_the_version_diff(pg_url, tmp_path, capsys):
    svc = open_services(pg_url, user="regional")
    try:
        path = write_framework_xlsx(svc.catalog.framework(SYB), tmp_path / "syb.xlsx")
        wb = load_workbook(path)
        for row in wb["Framework"].iter_rows(min_row=2):
            if row[0].value == "version":
                row[1].value = "v2"
        cell = wb["Matrix"]["F2"]  # Emerging of the first key area
        cell.value = cell.value + "\nPartners name one lead for the place."
        wb.save(path)
        preview = svc.framework_sheets.preview(path)
        assert preview.status == "new version" and preview.diff is not None
        assert preview.diff.count("added") == 1
        assert svc.framework_sheets.apply(preview)
    finally:
        svc.close()
    code = main(["--database", pg_url, "frameworks", "diff", SYB, "v1-4", "v2"])
    out = capsys.readouterr().out
    assert code == 0 and "+ added (Emerging): Partners name one lead for the place." in out
