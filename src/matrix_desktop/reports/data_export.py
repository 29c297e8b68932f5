"""CSV and XLSX data exports: one row per item; text that looks like a formula stays text."""

from __future__ import annotations

import csv
import io

from matrix_desktop.reports.models import DataTable
from matrix_desktop.reports.text import looks_like_formula, spreadsheet_text

TABLE_NAMES = ("ratings", "votes", "actions", "enablers", "support_requests")
_XLSX_CELL_LIMIT = 32_767  # Excel refuses longer cells


def to_csv(table: DataTable) -> bytes:
    """Return one table as UTF-8 CSV (with a BOM so spreadsheets detect the encoding)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow(
            ["" if v is None else spreadsheet_text(v) if isinstance(v, str) else v for v in row]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(tables: list[DataTable]) -> bytes:
    """Return the tables as one workbook, a sheet each, every text cell typed as text."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for table in tables:
        ws = wb.create_sheet(table.name.replace("_", " ").capitalize()[:31])
        ws.append(list(table.columns))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for r, row in enumerate(table.rows, start=2):
            for c, value in enumerate(row, start=1):
                cell = ws.cell(row=r, column=c)
                if isinstance(value, str):
                    text = ILLEGAL_CHARACTERS_RE.sub("", value)[:_XLSX_CELL_LIMIT]
                    cell.value = text
                    # openpyxl treats a leading "=" as a formula; force a plain string.
                    if looks_like_formula(text) or cell.data_type != "s":
                        cell.data_type = "s"
                else:
                    cell.value = value
        ws.freeze_panes = "A2"
        for c, name in enumerate(table.columns, start=1):
            ws.column_dimensions[get_column_letter(c)].width = min(max(len(name) + 2, 12), 40)
    wb.properties.creator = "matrix-desktop"
    wb.properties.lastModifiedBy = ""
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
