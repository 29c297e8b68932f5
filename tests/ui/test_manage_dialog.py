"""The Manage dialog by keyboard: add, rename, archive, restore, refuse a duplicate, undo;
deleting an assessment to the trash from the entity page and restoring it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from matrix_desktop.ui.context import AppContext
from matrix_desktop.ui.interaction import interaction
from matrix_desktop.ui.main_window import MainWindow
from matrix_desktop.ui.manage import SHOW_EXISTING, ManageDialog

pytestmark = pytest.mark.gui
ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def prompts(monkeypatch):
    asked: list = []
    monkeypatch.setattr(interaction, "error", lambda p, t, m: asked.append(("error", m)))
    monkeypatch.setattr(interaction, "info", lambda p, t, m: asked.append(("info", m)))

    def choose(parent, title, message, options):
        asked.append(("choose", message))
        return SHOW_EXISTING

    monkeypatch.setattr(interaction, "choose", choose)
    return asked


@pytest.fixture
def blank(db_path):  # type: ignore[no-untyped-def]
    """An empty database (the package's conftest gives the example data)."""
    from matrix_desktop.services.context import open_services

    return open_services(db_path)


@pytest.fixture
def dialog(qtbot, ctx, blank, prompts):
    ctx.set_services(blank)
    d = ManageDialog(ctx)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    d.activateWindow()
    qtbot.waitUntil(d.isActiveWindow)
    return d


def _alt(qtbot, widget, key, until):
    """Press Alt+key (a button's mnemonic clicks it after a short animation) and wait."""
    qtbot.keyClick(widget, key, ALT)
    qtbot.waitUntil(lambda: bool(until()))


def _type(qtbot, line, text):
    line.setFocus()
    line.selectAll()
    qtbot.keyClick(line, Qt.Key.Key_Delete)
    qtbot.keyClicks(line, text)


def test_systems_entities_and_rounds_by_keyboard_with_undo(qtbot, dialog, blank, prompts):
    services = blank
    tab = dialog.systems
    _type(qtbot, tab.name, "North ICS")
    _type(qtbot, tab.short_name, "NICS")
    _alt(qtbot, tab.short_name, Qt.Key.Key_A, lambda: services.catalog.systems())  # &Add
    (system,) = services.catalog.systems()
    assert (system.name, system.short_name) == ("North ICS", "NICS")

    # partnerships: Alt+2 opens the tab; type, Alt+A adds
    qtbot.keyClick(dialog.tabs, Qt.Key.Key_2, ALT)
    assert dialog.tabs.currentWidget() is dialog.entities
    tab = dialog.entities
    _type(qtbot, tab.name, "Barnsley Place")
    tab.members.setFocus()
    qtbot.keyClicks(tab.members, "Barnsley Council")
    qtbot.keyClick(tab.members, Qt.Key.Key_Return)
    qtbot.keyClicks(tab.members, "Barnsley Hospital")
    _alt(qtbot, tab.members, Qt.Key.Key_A, lambda: services.catalog.entities(system.id))
    (entity,) = services.catalog.entities(system.id)
    assert entity.members == ("Barnsley Council", "Barnsley Hospital")
    assert tab.current_id() == entity.id

    # the same name again, in another case and spacing: refused, the existing one shown
    _type(qtbot, tab.name, "barnsley   PLACE")
    _alt(qtbot, tab.name, Qt.Key.Key_A, lambda: bool(tab.error.text()))
    assert len(services.catalog.entities(system.id)) == 1
    assert "'Barnsley Place' already exists" in tab.error.text()
    assert prompts[-1][0] == "choose" and tab.current_id() == entity.id

    # rename with Alt+V (Save changes), then archive with the button
    _type(qtbot, tab.name, "Barnsley Place Partnership")
    _alt(
        qtbot,
        tab.name,
        Qt.Key.Key_V,
        lambda: services.catalog.entity(entity.id).name == "Barnsley Place Partnership",
    )
    tab.archive_button.setFocus()
    qtbot.keyClick(tab.archive_button, Qt.Key.Key_Space)
    assert services.catalog.entity(entity.id).archived
    assert tab.list.currentItem().text().endswith("(archived)")
    tab.show_archived.setFocus()
    qtbot.keyClick(tab.show_archived, Qt.Key.Key_Space)  # hide archived ones
    assert tab.list.count() == 0
    qtbot.keyClick(tab.list, Qt.Key.Key_Z, CTRL)  # undo the archive
    assert not services.catalog.entity(entity.id).archived
    qtbot.keyClick(tab.list, Qt.Key.Key_Z, CTRL)  # undo the rename
    assert services.catalog.entity(entity.id).name == "Barnsley Place"
    qtbot.keyClick(tab.list, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)  # redo
    assert services.catalog.entity(entity.id).name == "Barnsley Place Partnership"

    # rounds: name, order and dates
    qtbot.keyClick(dialog.tabs, Qt.Key.Key_3, ALT)
    tab = dialog.rounds
    _type(qtbot, tab.name, "2030/31 Q1")
    _type(qtbot, tab.starts, "01/04/2030")
    _alt(qtbot, tab.starts, Qt.Key.Key_A, lambda: services.catalog.rounds())
    (rnd,) = services.catalog.rounds()
    assert (rnd.name, rnd.starts_on, rnd.sequence) == ("2030/31 Q1", "2030-04-01", 1)
    _type(qtbot, tab.ends, "2030-01-01")
    _alt(qtbot, tab.ends, Qt.Key.Key_V, lambda: bool(tab.error.text()))
    assert "before it starts" in tab.error.text()
    assert services.catalog.rounds()[0].ends_on is None
    assert tab.ends.text() == "2030-01-01"  # what was typed stays
    actions = [e.action for e in services.assessments.audit(limit=20)]
    assert "entity undo archive" in actions and "round add" in actions


def test_delete_to_trash_from_the_entity_page_then_restore(
    qtbot, tmp_path, examples_copy, prompts, monkeypatch
):
    ctx = AppContext(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    ctx.set_services(examples_copy)
    svc = examples_copy
    barnsley = svc.catalog.find_entity("Barnsley")
    window.show_entity(barnsley.id)
    table = window.entity_page.table
    before = window.entity_page.model.rowCount()
    table.setFocus()
    table.selectRow(0)
    assert before > 0, window.entity_page.model.rowCount()
    assert table.selectionModel().selectedRows(), table.selectionModel().selectedIndexes()
    chosen = window.entity_page.selected_ids()[0]
    final = svc.assessments.get(chosen).is_final
    reasons = iter(["", "entered against the wrong place"])
    monkeypatch.setattr(interaction, "ask_text", lambda *a, **k: next(reasons))
    monkeypatch.setattr(interaction, "confirm", lambda *a, **k: True)
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    if final:  # an empty reason is refused
        assert prompts[-1] == ("error", "Say why a final assessment is deleted.")
        assert svc.assessments.get(chosen)
        qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert [t.assessment_id for t in svc.trash.entries()] == [chosen]
    qtbot.waitUntil(lambda: window.entity_page.model.rowCount() == before - 1)
    # undo (Ctrl+Z) restores it
    window.undo_action.trigger()
    assert svc.trash.entries() == [] and svc.assessments.get(chosen).id == chosen
    qtbot.waitUntil(lambda: window.entity_page.model.rowCount() == before)
    # and the trash tab restores one deleted earlier
    window.redo_action.trigger()
    assert [t.assessment_id for t in svc.trash.entries()] == [chosen]
    dialog = ManageDialog(ctx, window, tab=3)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.trash.list.count() == 1
    dialog.trash.restore_button.setFocus()
    qtbot.keyClick(dialog.trash.restore_button, Qt.Key.Key_Space)
    assert svc.trash.entries() == [] and dialog.trash.list.count() == 0
    assert QApplication.activeModalWidget() is None


def test_import_a_list_previews_then_applies_and_a_bad_one_changes_nothing(
    qtbot, dialog, blank, prompts, monkeypatch, tmp_path
):
    good = tmp_path / "list.csv"
    good.write_text(
        "system,entity,kind,organisation\n"
        "North ICS,Barnsley Place,place,Barnsley Council\n"
        "North ICS,Acute Collaborative,collaborative,Hospital A\n",
        encoding="utf-8",
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("system,entity,kind,organisation\nNorth ICS,X,club,\n", encoding="utf-8")
    files = iter([str(bad), str(good)])
    previews: list[str] = []
    monkeypatch.setattr(interaction, "open_file", lambda *a, **k: next(files))

    def confirm(parent, title, message, ok_text="OK"):
        previews.append(message)
        return True

    monkeypatch.setattr(interaction, "confirm", confirm)
    qtbot.keyClick(dialog.tabs, Qt.Key.Key_2, ALT)
    tab = dialog.entities
    _alt(qtbot, tab.name, Qt.Key.Key_I, lambda: bool(tab.error.text()))
    assert "bad.csv, row 2, column C (kind): 'club' is not a kind" in tab.error.text()
    assert blank.catalog.systems() == [] and previews == []
    _alt(qtbot, tab.name, Qt.Key.Key_I, lambda: tab.list.count() == 2)
    assert "1 new system(s), 2 new entities, 2 new member" in previews[0]
    assert {e.name for e in blank.catalog.entities()} == {"Barnsley Place", "Acute Collaborative"}
    qtbot.keyClick(tab.list, Qt.Key.Key_Z, CTRL)  # undo: the whole import is one change
    assert blank.catalog.entities() == [] and blank.catalog.systems() == []


def test_an_open_assessment_deleted_by_another_copy_stops_taking_edits(
    qtbot, tmp_path, examples_copy, prompts
):
    from matrix_desktop.core.model import AssessmentKind
    from matrix_desktop.services.context import open_services
    from matrix_desktop.ui.workshop.screen import AssessmentScreen

    ctx = AppContext(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    ctx.set_services(examples_copy)
    draft = next(
        a
        for a in examples_copy.assessments.assessments()
        if a.kind is AssessmentKind.SELF_ASSESSMENT and a.is_final
    )
    examples_copy.assessments.execute(examples_copy.assessments.reopen(draft.id, "revise"))
    window.open_assessment(draft.id)
    screen = window.stack.currentWidget()
    assert isinstance(screen, AssessmentScreen) and screen.isEnabled()
    other = open_services(examples_copy.db.path)
    try:
        other.trash.delete(draft.id)
    finally:
        other.close()
    qtbot.waitUntil(lambda: not screen.isEnabled(), timeout=5000)
    assert "moved to the trash" in screen.saved.text()
    assert prompts == []
