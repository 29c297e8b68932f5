"""The entity list as a spreadsheet: one row per member organisation, read, previewed, written.

Columns: system, entity, kind, organisation. Reading refuses what could hide or garble data
(merged cells, formulas, hidden sheets, missing columns, more than MAX_ROWS rows), naming the
sheet, row and column. The preview (a plan of CatalogEdits) is applied in one transaction;
nothing changes before.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from matrix_desktop.core.catalog_edit import CatalogEdit
from matrix_desktop.core.errors import ValidationFailed
from matrix_desktop.core.framework import EntityKind
from matrix_desktop.core.model import new_id
from matrix_desktop.core.names import checked_name, name_key
from matrix_desktop.services.files import write_atomically
from matrix_desktop.services.setup import KIND_CHOICES, entity_kind

COLUMNS = ("system", "entity", "kind", "organisation")
_ALIASES = {
    "organization": "organisation",
    "member": "organisation",
    "member organisation": "organisation",
}
MAX_ROWS = 10_000  # data rows in one list; a region's list has a few hundred
MAX_BYTES = 20_000_000
SHEET_NAME = "Entities"


class EntityListError(ValidationFailed):
    """A problem in an entity list file; the message names the sheet, row and column."""


@dataclass(frozen=True)
class ListRow:
    """One row of an entity list, cleaned, with where it came from (for messages)."""

    system: str
    entity: str
    kind: EntityKind
    organisation: str
    where: str  # e.g. "sheet 'Entities', row 7"


def _col_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _table_rows(path: Path) -> tuple[str, list[list[Any]]]:
    """Return (sheet label, rows of cell values) of a CSV or XLSX list, refusing hidden data."""
    if not path.is_file():
        raise EntityListError(f"{path}: no such file.")
    if path.stat().st_size > MAX_BYTES:
        raise EntityListError(
            f"{path}: larger than {MAX_BYTES // 1_000_000} MB; not an entity list."
        )
    suffix = path.suffix.lower()
    if suffix == ".csv":
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise EntityListError(
                f"{path}: not UTF-8 text (byte {exc.start}); save it as CSV UTF-8."
            ) from None
        try:
            return f"{path.name}", list(csv.reader(io.StringIO(text, newline="")))
        except csv.Error as exc:
            raise EntityListError(f"{path}: not a readable CSV file ({exc}).") from None
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_rows(path)
    raise EntityListError(f"{path}: an entity list is a .csv or .xlsx file.")


def _xlsx_rows(path: Path) -> tuple[str, list[list[Any]]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, data_only=False)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise EntityListError(f"{path}: not a readable XLSX workbook ({exc}).") from None
    try:
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                raise EntityListError(
                    f"{path}: sheet {ws.title!r} is hidden; unhide or delete it so nothing is "
                    "imported unseen."
                )
        ws = wb[SHEET_NAME] if SHEET_NAME in wb.sheetnames else wb.worksheets[0]
        label = f"{path.name}, sheet {ws.title!r}"
        if ws.merged_cells.ranges:
            first = sorted(ws.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col))[0]
            raise EntityListError(
                f"{label}, row {first.min_row}, column {_col_letter(first.min_col - 1)}: merged "
                f"cells ({first.coord}); unmerge them and fill in every row."
            )
        hidden_rows = sorted(r for r, d in ws.row_dimensions.items() if d.hidden)
        if hidden_rows and hidden_rows[0] <= ws.max_row:
            raise EntityListError(
                f"{label}, row {hidden_rows[0]}: a hidden row; unhide it (or delete it) so "
                "nothing is imported unseen."
            )
        hidden_cols = sorted(k for k, d in ws.column_dimensions.items() if d.hidden)
        if hidden_cols:
            raise EntityListError(
                f"{label}, column {hidden_cols[0]}: a hidden column; unhide it (or delete it) "
                "so nothing is imported unseen."
            )
        if ws.max_row > MAX_ROWS + 1:
            raise EntityListError(
                f"{label}, row {MAX_ROWS + 2}: more than {MAX_ROWS:,} rows; split the list."
            )
        rows: list[list[Any]] = []
        for r, row in enumerate(ws.iter_rows(), start=1):
            values = []
            for c, cell in enumerate(row):
                if cell.data_type == "f":
                    raise EntityListError(
                        f"{label}, row {r}, column {_col_letter(c)}: a formula ({cell.value}); "
                        "paste the values instead."
                    )
                values.append(cell.value)
            rows.append(values)
        return label, rows
    finally:
        wb.close()


def read_entity_list(path: str | os.PathLike[str]) -> list[ListRow]:
    """Return the checked rows of an entity list file; EntityListError names any problem."""
    source = Path(path)
    label, rows = _table_rows(source)
    if not rows:
        raise EntityListError(
            f"{label}: empty; the first row names the columns {', '.join(COLUMNS)}."
        )
    if len(rows) > MAX_ROWS + 1:
        raise EntityListError(
            f"{label}, row {MAX_ROWS + 2}: more than {MAX_ROWS:,} rows; split the list."
        )
    header = [" ".join(str(v or "").strip().lower().split()) for v in rows[0]]
    header = [_ALIASES.get(h, h) for h in header]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise EntityListError(
            f"{label}, row 1: missing column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(repr(m) for m in missing)}; the columns are {', '.join(COLUMNS)}."
        )
    at = {c: header.index(c) for c in COLUMNS}
    out: list[ListRow] = []
    kinds: dict[tuple[str, str], tuple[EntityKind, str]] = {}
    members: dict[tuple[str, str, str], str] = {}
    for r, raw in enumerate(rows[1:], start=2):
        cells = {c: raw[i] if i < len(raw) else None for c, i in at.items()}
        if all(v in (None, "") or (isinstance(v, str) and not v.strip()) for v in cells.values()):
            continue
        where = f"{label}, row {r}"

        def place(column: str, where: str = where) -> str:
            return f"{where}, column {_col_letter(at[column])} ({column})"

        values: dict[str, str] = {}
        for column in COLUMNS:
            value = cells[column]
            if value is not None and not isinstance(value, str):
                value = str(value)
            value = value or ""
            try:
                if column == "organisation" and not value.strip():
                    values[column] = ""
                elif column == "kind":
                    values[column] = value
                else:
                    values[column] = checked_name(f"The {column}", value)
            except ValidationFailed as exc:
                raise EntityListError(f"{place(column)}: {exc}") from None
        try:
            kind = entity_kind(values["kind"])
        except ValidationFailed:
            raise EntityListError(
                f"{place('kind')}: {values['kind']!r} is not a kind; use {KIND_CHOICES}."
            ) from None
        key = (name_key(values["system"]), name_key(values["entity"]))
        seen = kinds.setdefault(key, (kind, where))
        if seen[0] is not kind:
            raise EntityListError(
                f"{place('kind')}: {values['entity']!r} is a {kind.label.lower()} here but a "
                f"{seen[0].label.lower()} in {seen[1].split(', ')[-1]}."
            )
        if values["organisation"]:
            mkey = (*key, name_key(values["organisation"]))
            if mkey in members:
                raise EntityListError(
                    f"{place('organisation')}: {values['organisation']!r} is listed again for "
                    f"{values['entity']!r} ({members[mkey].split(', ')[-1]})."
                )
            members[mkey] = where
        out.append(ListRow(values["system"], values["entity"], kind, values["organisation"], where))
    return out


@dataclass
class ListPlan:
    """What applying a list would do: the edits, and counts for the preview."""

    edits: list[CatalogEdit] = field(default_factory=list)
    new_systems: list[str] = field(default_factory=list)
    new_entities: list[str] = field(default_factory=list)
    new_members: list[str] = field(default_factory=list)
    unchanged: int = 0

    def summary(self) -> list[str]:
        """Return the preview as lines a person reads."""
        lines = [
            f"{len(self.new_systems)} new system(s), {len(self.new_entities)} new entit"
            f"{'y' if len(self.new_entities) == 1 else 'ies'}, {len(self.new_members)} new "
            f"member organisation(s), {self.unchanged} entit"
            f"{'y' if self.unchanged == 1 else 'ies'} unchanged"
        ]
        lines += [f"  new system: {n}" for n in self.new_systems]
        lines += [f"  new entity: {n}" for n in self.new_entities]
        lines += [f"  new member: {n}" for n in self.new_members]
        return lines


def plan_entity_list(svc: Any, rows: list[ListRow]) -> ListPlan:
    """Return the edits that add a list's systems, entities and members to the database.

    Existing ones are matched by name key; an entity of another kind in the database is an
    error naming the row. Nothing is removed.
    """
    plan = ListPlan()
    systems = {name_key(s.name): s for s in svc.catalog.systems()}
    entities = {(e.system_id, name_key(e.name)): e for e in svc.catalog.entities()}
    new_system_ids: dict[str, str] = {}
    grouped: dict[tuple[str, str], list[ListRow]] = {}
    for row in rows:
        grouped.setdefault((name_key(row.system), name_key(row.entity)), []).append(row)
    for (skey, ekey), items in grouped.items():
        first = items[0]
        if skey in systems:
            system_id = systems[skey].id
        elif skey in new_system_ids:
            system_id = new_system_ids[skey]
        else:
            system_id = new_system_ids[skey] = new_id()
            after: dict[str, Any] = {"name": first.system, "short_name": "", "archived_at": None}
            plan.edits.append(
                CatalogEdit("system", system_id, None, after, f"add system {first.system}", "add")
            )
            plan.new_systems.append(first.system)
        orgs = [r.organisation for r in items if r.organisation]
        existing = entities.get((system_id, ekey))
        if existing is None:
            after = {
                "system_id": system_id,
                "name": first.entity,
                "kind": first.kind.value,
                "members_json": orgs,
                "archived_at": None,
            }
            text = f"add {first.kind.label.lower()} {first.entity} (from a list)"
            plan.edits.append(CatalogEdit("entity", new_id(), None, after, text, "add"))
            plan.new_entities.append(f"{first.entity} ({first.kind.label.lower()}, {first.system})")
            plan.new_members += [f"{o} in {first.entity}" for o in orgs]
            continue
        if existing.kind is not first.kind:
            raise EntityListError(
                f"{first.where}: {existing.name!r} is a {existing.kind.label.lower()} in this "
                f"database, not a {first.kind.label.lower()}."
            )
        have = {name_key(m) for m in existing.members}
        added = [o for o in orgs if name_key(o) not in have]
        if not added:
            plan.unchanged += 1
            continue
        before: dict[str, Any] = {
            "system_id": existing.system_id,
            "name": existing.name,
            "kind": existing.kind.value,
            "members_json": list(existing.members),
            "archived_at": _archived_at(svc, existing.id),
        }
        after = {**before, "members_json": [*existing.members, *added]}
        text = f"add {len(added)} member(s) to {existing.name} (from a list)"
        plan.edits.append(CatalogEdit("entity", existing.id, before, after, text, "edit"))
        plan.new_members += [f"{o} in {existing.name}" for o in added]
    return plan


def _archived_at(svc: Any, entity_id: str) -> Any:
    from matrix_desktop.storage import setup_repo

    with svc.db.reader() as s:
        fields = setup_repo.read_fields(s, "entity", entity_id)
    return None if fields is None else fields["archived_at"]


def entity_list_rows(svc: Any, system_id: str | None = None) -> list[tuple[str, str, str, str]]:
    """Return the list's rows (system, entity, kind, organisation) of the active entities.

    An entity without members has one row with an empty organisation.
    """
    out: list[tuple[str, str, str, str]] = []
    for system in svc.catalog.systems():
        if system.archived or (system_id and system.id != system_id):
            continue
        for e in svc.catalog.entities(system.id):
            if e.archived:
                continue
            for org in e.members or ("",):
                out.append((system.name, e.name, e.kind.label, org))
    return out


def write_entity_list(rows: list[tuple[str, str, str, str]], path: str | os.PathLike[str]) -> Path:
    """Write rows as CSV (UTF-8 with BOM, for Excel) or XLSX, by the file's extension."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix == ".csv":
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
        data = buffer.getvalue().encode("utf-8-sig")
    elif suffix == ".xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Font

        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = SHEET_NAME
        ws.append(list(COLUMNS))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for r, row in enumerate(rows, start=2):
            for c, value in enumerate(row, start=1):
                cell = ws.cell(row=r, column=c, value=value)
                cell.data_type = "s"  # text, even when it starts with '=' (never a formula)
        for letter, width in zip("ABCD", (30, 40, 24, 50), strict=True):
            ws.column_dimensions[letter].width = width
        buffer_b = io.BytesIO()
        wb.save(buffer_b)
        data = buffer_b.getvalue()
    else:
        raise EntityListError(f"{target}: write the entity list as .csv or .xlsx.")
    try:
        write_atomically(target, data)
    except OSError as exc:
        raise EntityListError(f"{target}: cannot be written ({exc.strerror}).") from None
    return target
