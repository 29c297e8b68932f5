"""Frameworks to and from spreadsheets (XLSX, CSV): reading, previewing, writing, comparing.

Reading refuses what would make a spreadsheet mean something other than it shows: merged
cells, formulas, hidden sheets, too many rows. The parsing and the checks on content are
core.framework_sheet's (the YAML framework rules); nothing is stored until `apply`.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matrix_desktop.core.errors import FrameworkFileError, ValidationFailed
from matrix_desktop.core.framework import Framework
from matrix_desktop.core.framework_diff import FrameworkDiff, diff_frameworks
from matrix_desktop.core.framework_file import read_framework_file, spec_from_framework
from matrix_desktop.core.framework_sheet import (
    MAX_CELL,
    MAX_COLUMNS,
    MAX_ROWS,
    Sheet,
    column_letter,
    framework_from_sheets,
    split_statements,
    where,
)
from matrix_desktop.services.catalog import CatalogService
from matrix_desktop.services.files import write_atomically

SHEET_SUFFIXES = (".xlsx", ".xlsm", ".csv")
MAX_FILE_BYTES = 20_000_000


def is_sheet_file(path: str | os.PathLike[str]) -> bool:
    """Return True for a file read as a spreadsheet (by its extension)."""
    return Path(path).suffix.lower() in SHEET_SUFFIXES


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, _dt.datetime):
        return value.date().isoformat() if value.time() == _dt.time() else value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value)


def read_workbook(path: str | os.PathLike[str]) -> list[Sheet]:
    """Return the sheets of an XLSX file; FrameworkFileError names sheet, row and column."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    p = Path(path)
    source = str(p)
    try:
        _check_size_streaming(p)
        wb = load_workbook(p, data_only=False, keep_links=False, rich_text=False)
    except (InvalidFileException, BadZipFile, KeyError, ValueError, TypeError) as exc:
        raise FrameworkFileError(source, f"is not an XLSX workbook ({exc})") from None
    except OSError as exc:
        raise FrameworkFileError(source, f"cannot be read ({exc.strerror or exc})") from None
    try:
        sheets: list[Sheet] = []
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                raise FrameworkFileError(source, _hidden_sheet(ws.title))
            if ws.max_row > MAX_ROWS + 1:
                raise FrameworkFileError(source, _too_many_rows(ws.title, f"{ws.max_row - 1:,}"))
            if ws.max_column > MAX_COLUMNS:
                raise FrameworkFileError(
                    source,
                    f"{where(ws.title, 1, MAX_COLUMNS + 1)}: a framework sheet has at most "
                    f"{MAX_COLUMNS} columns; this one has {ws.max_column}",
                )
            merged = sorted(ws.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col))
            if merged:
                first = merged[0]
                raise FrameworkFileError(
                    source,
                    f"{where(ws.title, first.min_row, first.min_col)}: merged cells "
                    f"({first.coord}); unmerge them so each domain and stage has its own cell",
                )
            _refuse_hidden_rows_and_columns(source, ws)
            rows: list[tuple[str | None, ...]] = []
            for r, row in enumerate(ws.iter_rows(), start=1):
                values: list[str | None] = []
                for c, cell in enumerate(row, start=1):
                    if cell.data_type == "f":
                        raise FrameworkFileError(
                            source,
                            f"{where(ws.title, r, c)}: a formula ({str(cell.value)[:60]}); "
                            "type the text itself (copy, then paste values)",
                        )
                    values.append(_text(cell.value))
                while values and values[-1] in (None, ""):
                    values.pop()
                rows.append(tuple(values))
            while rows and not rows[-1]:
                rows.pop()
            sheets.append(Sheet(ws.title, tuple(rows)))
        return sheets
    finally:
        wb.close()


def _too_many_rows(title: str, rows: int | str) -> str:
    return (
        f"{where(title, MAX_ROWS + 2, 1)}: a framework sheet has at most {MAX_ROWS:,} rows "
        f"under its header; this one has {rows}"
    )


def _check_size_streaming(path: Path) -> None:
    """Refuse hidden sheets and oversized sheets before loading the whole workbook.

    A full load of a sheet of 200,000 rows takes half a minute; streaming stops at the limit.
    """
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=False, keep_links=False)
    try:
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                raise FrameworkFileError(str(path), _hidden_sheet(ws.title))
            declared = ws.max_row
            if declared is not None and declared > MAX_ROWS + 1:
                raise FrameworkFileError(str(path), _too_many_rows(ws.title, f"{declared - 1:,}"))
            for n, _row in enumerate(ws.iter_rows(values_only=True), start=1):
                if n > MAX_ROWS + 1:
                    raise FrameworkFileError(str(path), _too_many_rows(ws.title, "more"))
    finally:
        wb.close()


def _hidden_sheet(title: str) -> str:
    return (
        f"sheet {title!r} is hidden; a framework is read from what can be seen: "
        "unhide it (or delete it) and save again"
    )


def _refuse_hidden_rows_and_columns(source: str, ws: Any) -> None:
    """Refuse hidden rows or columns within the used range: they would import unseen text."""
    for r, dim in sorted(ws.row_dimensions.items()):
        if dim.hidden and r <= ws.max_row:
            raise FrameworkFileError(
                source, f"{where(ws.title, r)}: the row is hidden; unhide it (or delete it)"
            )
    for dim in ws.column_dimensions.values():
        first = dim.min or 0
        if dim.hidden and first and first <= ws.max_column:
            raise FrameworkFileError(
                source,
                f"{where(ws.title, 1, first)}: the column is hidden; unhide it (or delete it)",
            )


def read_csv(path: str | os.PathLike[str]) -> list[Sheet]:
    """Return a CSV file as one sheet (named after the file); errors name the row."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise FrameworkFileError(str(p), f"cannot be read ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FrameworkFileError(
            str(p), f"is not UTF-8 text (byte {exc.start}); save it as 'CSV UTF-8'"
        ) from None
    # The separator is the header's: statements themselves hold commas and semicolons.
    header = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=header.count)
    rows: list[tuple[str | None, ...]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            if len(rows) > MAX_ROWS:  # the header and MAX_ROWS rows under it
                raise FrameworkFileError(
                    str(p),
                    f"{where(p.stem, len(rows) + 1, 1)}: a framework sheet has at most "
                    f"{MAX_ROWS:,} rows under its header",
                )
            values: list[str | None] = [v if v != "" else None for v in row]
            while values and values[-1] is None:
                values.pop()
            rows.append(tuple(values))
    except csv.Error as exc:
        raise FrameworkFileError(str(p), f"line {reader.line_num}: {exc}") from None
    while rows and not rows[-1]:
        rows.pop()
    return [Sheet(p.stem, tuple(rows))]


def read_sheets(path: str | os.PathLike[str]) -> list[Sheet]:
    """Return the sheets of a spreadsheet file (XLSX or CSV)."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise FrameworkFileError(str(p), f"cannot be read ({exc.strerror})") from None
    if size > MAX_FILE_BYTES:
        raise FrameworkFileError(str(p), "is larger than 20 MB; a framework is much smaller")
    if p.suffix.lower() == ".csv":
        return read_csv(p)
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        return read_workbook(p)
    raise FrameworkFileError(str(p), "is not a spreadsheet (expected .xlsx or .csv)")


@dataclass(frozen=True)
class FrameworkPreview:
    """What importing a framework file would do; nothing is stored until it is applied."""

    path: str
    framework: Framework
    status: str  # "new" | "new version" | "already present" | "conflict"
    previous: Framework | None
    diff: FrameworkDiff | None

    @property
    def can_apply(self) -> bool:
        return self.status in ("new", "new version", "already present")

    def lines(self) -> list[str]:
        """Return the preview as readable lines."""
        fw = self.framework
        statements = sum(len(d.statements) for d in fw.domains)
        out = [
            f"{fw.title}: key {fw.key}, published {fw.published} by {fw.publisher}",
            f"Stages: {', '.join(s.name for s in fw.stages)}"
            + (f"; threshold {fw.stage(fw.threshold_stage).name}" if fw.threshold_stage else ""),
            f"{len(fw.domains)} domains, {statements} statements"
            + (f", {len(fw.supporting)} supporting sections" if fw.supporting else ""),
        ]
        for d in fw.domains:
            counts = ", ".join(f"{s.name} {len(d.statements_for(s.key))}" for s in fw.stages)
            out.append(f"  {d.number}. {d.title} ({counts})")
        out.append("")
        if self.status == "new":
            out.append("A new framework: it will be added.")
        elif self.status == "already present":
            out.append("This version is already in this database, the same: nothing to add.")
        elif self.status == "conflict":
            out.append(
                f"{fw.title} is already in this database with different content. A published "
                "version never changes: give the edited matrix a new version and check again."
            )
        else:
            assert self.previous is not None
            out.append(f"A new version of {self.previous.title}: it will be added beside it.")
        if self.diff is not None and self.status != "already present":
            out.append("")
            out += self.diff.lines()
        return out


class FrameworkSheetService:
    """Frameworks from and to spreadsheets, previewed before anything is stored."""

    def __init__(self, catalog: CatalogService):
        self.catalog = catalog

    def newest_versions(self) -> dict[str, Framework]:
        """Return the newest stored version of each framework key."""
        newest: dict[str, Framework] = {}
        for fw in sorted(self.catalog.frameworks(), key=lambda f: (f.published, f.version)):
            newest[fw.key] = fw
        return newest

    def read(
        self, path: str | os.PathLike[str], given: Mapping[str, Any] | None = None
    ) -> Framework:
        """Return the framework in a file (XLSX, CSV, YAML or JSON), checked, not stored."""
        if not is_sheet_file(path):
            if given:
                raise ValidationFailed(
                    f"{path}: a YAML or JSON framework file carries its own key, version and "
                    "details; edit the file rather than giving them"
                )
            return read_framework_file(path)
        return framework_from_sheets(read_sheets(path), str(path), given, self.newest_versions())

    def preview(
        self, path: str | os.PathLike[str], given: Mapping[str, Any] | None = None
    ) -> FrameworkPreview:
        """Return what importing this file would do; changes nothing."""
        fw = self.read(path, given)
        self.catalog.forget_frameworks()  # another copy may have added versions since
        same = [f for f in self.catalog.frameworks() if f.key == fw.key and f.version == fw.version]
        previous = self.newest_versions().get(fw.key)
        if same:
            status = "already present" if same[0] == fw else "conflict"
            previous = same[0]
        else:
            status = "new" if previous is None else "new version"
        diff = diff_frameworks(previous, fw) if previous is not None else None
        return FrameworkPreview(str(path), fw, status, previous, diff)

    def apply(self, preview: FrameworkPreview) -> bool:
        """Store a previewed framework; returns True if it was added."""
        return self.catalog.import_framework(preview.framework)

    def diff(self, key: str, old_version: str, new_version: str) -> FrameworkDiff:
        """Return the difference between two stored versions of a framework."""
        return diff_frameworks(
            self.catalog.framework(key, old_version), self.catalog.framework(key, new_version)
        )


LAYOUTS = ("auto", "matrix", "statements")


def framework_xlsx(fw: Framework, layout: str = "auto") -> bytes:
    """Return a framework version as a workbook in the published layout (a row per domain).

    Sheets: Framework (its details), Stages, Matrix (a row per domain, a column per stage,
    statements one per line) and, if it has any, Supporting. Importing it gives the same
    framework back. layout "statements" writes a row per statement instead (sheet
    Statements); "auto" does so only for a framework a cell per stage cannot hold (a
    statement with a line break, or more text than a cell takes).
    """
    if layout not in LAYOUTS:
        raise ValidationFailed(f"layout {layout!r} is not one of {', '.join(LAYOUTS)}")
    if layout == "auto":
        try:
            return _workbook(fw, "matrix")
        except ValidationFailed:
            return _workbook(fw, "statements")
    return _workbook(fw, layout)


def _workbook(fw: Framework, layout: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    spec = spec_from_framework(fw)
    wb = Workbook()
    wb.remove(wb.active)

    def sheet(name: str, header: list[str], rows: list[list[Any]], widths: list[int]) -> None:
        ws = wb.create_sheet(name)
        ws.append(header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        wrap = Alignment(wrap_text=True, vertical="top")
        for r, row in enumerate(rows, start=2):
            for c, value in enumerate(row, start=1):
                cell = ws.cell(row=r, column=c)
                cell.value = value
                if isinstance(value, str):
                    cell.data_type = "s"  # text stays text, even "=..." (never a formula)
                    cell.alignment = wrap
        ws.freeze_panes = "A2"
        for c, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(c)].width = width

    meta: list[list[Any]] = [
        [label, spec[field]]
        for label, field in (
            ("key", "key"),
            ("version", "version"),
            ("name", "name"),
            ("publisher", "publisher"),
            ("published", "published"),
            ("source", "source"),
            ("description", "description"),
        )
        if spec[field]
    ]
    meta.append(["applies to", ", ".join(k.label for k in fw.applies_to)])
    if fw.threshold_stage:
        meta.append(["threshold", fw.stage(fw.threshold_stage).name])
        if fw.threshold_label:
            meta.append(["threshold label", fw.threshold_label])
    meta += [["note", note] for note in fw.notes]
    sheet("Framework", ["Field", "Value"], meta, [18, 100])
    sheet(
        "Stages",
        ["Key", "Name", "Description"],
        [[s.key, s.name, s.description] for s in fw.stages],
        [16, 20, 80],
    )

    def cells(title: str, statements_by_stage: dict[str, list[str]]) -> list[str | None]:
        out: list[str | None] = []
        for stage in fw.stages:
            texts = statements_by_stage.get(stage.key, [])
            joined = "\n".join(texts)
            if split_statements(joined) != texts:
                raise ValidationFailed(
                    f"{fw.title}: a statement of {title!r} ({stage.name}) has a line break "
                    "or starts with a bullet, so it cannot be one line of a cell"
                )
            if len(joined) > MAX_CELL:
                raise ValidationFailed(
                    f"{fw.title}: the {stage.name} statements of {title!r} are longer than one "
                    f"spreadsheet cell holds ({MAX_CELL:,} characters)"
                )
            out.append(joined or None)
        return out

    stage_names = [s.name for s in fw.stages]

    def domain_cells(d: dict[str, Any]) -> list[Any]:
        kinds = ", ".join(k.label for k in fw.domain(d["key"]).applies_to or ())
        return [d["number"], d["key"], d["title"], kinds or None, d["summary"]]

    columns = ["Number", "Key", "Domain", "Applies to", "Summary"]
    if layout == "statements":
        rows: list[list[Any]] = []
        for d in spec["domains"]:
            texts: list[tuple[str | None, str | None]] = [
                (s.name, t) for s in fw.stages for t in d["descriptors"][s.key]
            ]
            rows += [[*domain_cells(d), name, text] for name, text in texts or [(None, None)]]
        sheet("Statements", [*columns, "Stage", "Statement"], rows, [8, 24, 30, 20, 30, 14, 90])
        if spec["supporting"]:
            rows = [
                [s["key"], s["title"], stage.name, text]
                for s in spec["supporting"]
                for stage in fw.stages
                for text in s["descriptors"][stage.key]
            ]
            sheet("Supporting", ["Key", "Section", "Stage", "Statement"], rows, [16, 30, 14, 90])
    else:
        rows = [[*domain_cells(d), *cells(d["title"], d["descriptors"])] for d in spec["domains"]]
        widths = [8, 24, 30, 20, 30] + [60] * len(stage_names)
        sheet("Matrix", [*columns, *stage_names], rows, widths)
        if spec["supporting"]:
            rows = [
                [s["key"], s["title"], *cells(s["title"], s["descriptors"])]
                for s in spec["supporting"]
            ]
            widths = [16, 30] + [60] * len(stage_names)
            sheet("Supporting", ["Key", "Section", *stage_names], rows, widths)
    wb.properties.creator = "matrix-desktop"
    wb.properties.lastModifiedBy = ""
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def write_framework_xlsx(fw: Framework, path: str | os.PathLike[str], layout: str = "auto") -> Path:
    """Write a framework version as an XLSX workbook (atomically); returns the path."""
    target = Path(path)
    data = framework_xlsx(fw, layout)
    try:
        write_atomically(target, data)
    except OSError as exc:
        raise ValidationFailed(f"{target}: cannot be written ({exc.strerror})") from None
    return target


__all__ = [
    "FrameworkPreview",
    "FrameworkSheetService",
    "column_letter",
    "framework_xlsx",
    "is_sheet_file",
    "read_sheets",
    "write_framework_xlsx",
]
