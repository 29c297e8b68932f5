"""Entity lists as CSV and XLSX: round trips, and every spreadsheet problem named by sheet, row
and column with nothing changed."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from matrix_desktop.services.entity_list import (
    MAX_ROWS,
    EntityListError,
    entity_list_rows,
    plan_entity_list,
    read_entity_list,
    write_entity_list,
)

ROWS = [
    ("North ICS", "Barnsley Place", "Place partnership", "Barnsley Council"),
    ("North ICS", "Barnsley Place", "Place partnership", "=Barnsley Hospital"),
    ("North ICS", "Acute Collaborative", "Provider collaborative", "Hospital A"),
    ("North ICS", "North ICS", "Integrated care system", ""),
    ("South ICS", "Ωμέγα Place", "Place partnership", "中文 Trust"),
]


@pytest.fixture
def services(db_path):  # type: ignore[no-untyped-def]
    """An empty database (the package's conftest gives the example data)."""
    from matrix_desktop.services.context import open_services

    svc = open_services(db_path)
    yield svc
    svc.close()


def _import(services, path):
    plan = plan_entity_list(services, read_entity_list(path))
    services.setup.apply_many(plan.edits)
    return plan


def _sheet(path, rows, title="Entities"):
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(list(row))
    return wb, ws


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_list_import_then_export_gives_the_same_list(services, tmp_path, suffix):
    source = write_entity_list(ROWS, tmp_path / f"list.{suffix}")
    plan = _import(services, source)
    assert len(plan.new_systems) == 2 and len(plan.new_entities) == 4
    again = write_entity_list(entity_list_rows(services), tmp_path / f"again.{suffix}")
    assert sorted(entity_list_rows(services)) == sorted(ROWS)

    def rows(path):
        return sorted((r.system, r.entity, r.kind, r.organisation) for r in read_entity_list(path))

    assert rows(again) == rows(source)
    # importing it again changes nothing
    assert plan_entity_list(services, read_entity_list(again)).edits == []


def test_a_list_matches_existing_names_by_their_key_and_adds_members(services, tmp_path):
    sid = services.setup.add_system("North ICS").target_id
    services.setup.add_entity(sid, "Barnsley Place", "place", ["Barnsley Council"])
    path = tmp_path / "list.csv"
    path.write_text(
        "System,Entity,Kind,Organization\n"
        "north  ics,B\u0430rnsley place,place,barnsley council\n"
        "north ics,Barnsley Place,place,Barnsley Hospital\n",
        encoding="utf-8",
    )
    plan = _import(services, path)
    assert plan.new_systems == [] and plan.new_entities == []
    assert plan.new_members == ["Barnsley Hospital in Barnsley Place"]
    (entity,) = services.catalog.entities(sid)
    assert entity.members == ("Barnsley Council", "Barnsley Hospital")
    services.setup.undo_many(plan.edits)
    assert services.catalog.entities(sid)[0].members == ("Barnsley Council",)


def _problem(services, path) -> str:
    before = (services.catalog.systems(), services.catalog.entities())
    with pytest.raises(EntityListError) as caught:
        _import(services, path)
    assert (services.catalog.systems(), services.catalog.entities()) == before
    return str(caught.value)


def test_missing_columns_are_named(services, tmp_path):
    wb, _ = _sheet(tmp_path, [("system", "entity", "kind"), ("A", "B", "place")])
    wb.save(tmp_path / "l.xlsx")
    assert "sheet 'Entities', row 1: missing column 'organisation'" in _problem(
        services, tmp_path / "l.xlsx"
    )


def test_merged_cells_are_refused_naming_the_cell(services, tmp_path):
    wb, ws = _sheet(tmp_path, [("system", "entity", "kind", "organisation")] + [ROWS[0]] * 1)
    ws.append(["", "", "", "Another"])
    ws.merge_cells("A2:A3")
    wb.save(tmp_path / "l.xlsx")
    message = _problem(services, tmp_path / "l.xlsx")
    assert "sheet 'Entities', row 2, column A: merged cells (A2:A3)" in message


def test_formulas_are_refused_naming_the_cell(services, tmp_path):
    wb, ws = _sheet(tmp_path, [("system", "entity", "kind", "organisation"), ROWS[0]])
    ws["D2"] = '=CONCAT("Barnsley", " Council")'
    wb.save(tmp_path / "l.xlsx")
    assert "sheet 'Entities', row 2, column D: a formula" in _problem(services, tmp_path / "l.xlsx")


def test_hidden_sheets_are_refused(services, tmp_path):
    wb, _ = _sheet(tmp_path, [("system", "entity", "kind", "organisation"), ROWS[0]])
    secret = wb.create_sheet("Old list")
    secret.sheet_state = "hidden"
    wb.save(tmp_path / "l.xlsx")
    assert "sheet 'Old list' is hidden" in _problem(services, tmp_path / "l.xlsx")


def test_hidden_rows_and_columns_are_refused(services, tmp_path):
    wb, ws = _sheet(tmp_path, [("system", "entity", "kind", "organisation"), ROWS[0], ROWS[2]])
    ws.row_dimensions[3].hidden = True
    wb.save(tmp_path / "l.xlsx")
    assert "sheet 'Entities', row 3: a hidden row" in _problem(services, tmp_path / "l.xlsx")
    wb, ws = _sheet(tmp_path, [("system", "entity", "kind", "organisation", "notes"), ROWS[0]])
    ws.column_dimensions["E"].hidden = True
    wb.save(tmp_path / "l.xlsx")
    assert "column E: a hidden column" in _problem(services, tmp_path / "l.xlsx")


def test_bad_values_are_named_by_row_and_column(services, tmp_path):
    path = tmp_path / "l.csv"
    path.write_text("system,entity,kind,organisation\nA,B,place,\nA,C,club,\n", encoding="utf-8")
    assert "l.csv, row 3, column C (kind): 'club' is not a kind" in _problem(services, path)
    path.write_text(
        "system,entity,kind,organisation\nA,B,place,X\nA,b,collaborative,Y\n", encoding="utf-8"
    )
    assert "row 3, column C (kind): 'b' is a provider collaborative here but a place" in (
        _problem(services, path)
    )
    path.write_text("system,entity,kind,organisation\nA,B,place,X\nA,B,place,x\n", "utf-8")
    assert "row 3, column D (organisation): 'x' is listed again" in _problem(services, path)
    path.write_text("system,entity,kind,organisation\nA,,place,X\n", "utf-8")
    assert "row 2, column B (entity): The entity needs a name." in _problem(services, path)


def test_an_entity_of_another_kind_in_the_database_is_refused(services, tmp_path):
    sid = services.setup.add_system("A").target_id
    services.setup.add_entity(sid, "B", "collaborative")
    path = tmp_path / "l.csv"
    path.write_text("system,entity,kind,organisation\nA,C,place,\nA,B,place,X\n", "utf-8")
    assert "row 3: 'B' is a provider collaborative in this database" in _problem(services, path)
    assert len(services.catalog.entities()) == 1  # C was not added either


def test_ten_thousand_rows_are_read_and_more_are_refused(services, tmp_path):
    header = ("system", "entity", "kind", "organisation")
    rows = [header] + [("A", f"Entity {i // 10}", "place", f"Org {i}") for i in range(MAX_ROWS)]
    wb, _ = _sheet(tmp_path, rows)
    wb.save(tmp_path / "big.xlsx")
    assert len(read_entity_list(tmp_path / "big.xlsx")) == MAX_ROWS  # speed: benchmarks/
    rows[-1] = ("A", "Entity 0", "club", "Org")
    wb, _ = _sheet(tmp_path, rows)
    wb.save(tmp_path / "big.xlsx")
    assert f"row {MAX_ROWS + 1}, column C (kind): 'club'" in _problem(
        services, tmp_path / "big.xlsx"
    )
    wb, _ = _sheet(tmp_path, rows + [("A", "B", "place", "X")])
    wb.save(tmp_path / "big.xlsx")
    assert f"row {MAX_ROWS + 2}: more than 10,000 rows" in _problem(services, tmp_path / "big.xlsx")
