"""The main window: empty state, one-click example data, navigator, entity page, geometry."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt

from matrix_desktop.ui.main_window import MainWindow


def _window(qtbot, ctx, db_path):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.open_database(str(db_path))
    return window


def test_empty_database_shows_the_welcome_and_loads_examples_in_one_click(qtbot, ctx, db_path):
    window = _window(qtbot, ctx, db_path)
    assert window.stack.currentWidget() is window.welcome
    assert window.welcome.examples_button.isVisible()
    qtbot.mouseClick(window.welcome.examples_button, Qt.MouseButton.LeftButton)
    systems = window.nav_model.rowCount()
    entities = window.nav_model.rowCount(window.nav_model.index(0, 0))
    assert (systems, entities) == (1, 9)
    assert window.stack.currentWidget() is window.entity_page
    assert window.entity_page.model.rowCount() == 2


def test_choosing_an_entity_lists_its_assessments(qtbot, ctx, db_path):
    window = _window(qtbot, ctx, db_path)
    window.import_examples()
    system = window.nav_model.index(0, 0)
    labels = [window.nav_model.data(window.nav_model.index(r, 0, system)) for r in range(9)]
    sheffield = window.nav_model.index(labels.index("Sheffield Place Partnership"), 0, system)
    window.nav.setCurrentIndex(sheffield)
    assert "Sheffield" in window.entity_page.title.text()
    model = window.entity_page.model
    assert [model.data(model.index(r, 0)) for r in range(model.rowCount())] == ["2020/21 Q4", "2021/22 Q2"]
    assert model.data(model.index(0, 4)) == "13 of 13"


def test_unopenable_database_says_why(qtbot, ctx, tmp_path, answers):
    bad = tmp_path / "junk.sqlite3"
    bad.write_bytes(b"junk junk junk junk")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert not window.open_database(str(bad))
    assert answers and "not a matrix-desktop database" in answers[0][1]
    assert bad.read_bytes() == b"junk junk junk junk"


def test_geometry_is_remembered(qtbot, ctx, db_path, tmp_path):
    window = _window(qtbot, ctx, db_path)
    window.resize(900, 600)
    window.close()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    assert settings.value("main_window/geometry") is not None


def test_every_action_has_a_name_and_key_actions_have_shortcuts(qtbot, ctx, db_path):
    window = _window(qtbot, ctx, db_path)
    assert window.new_action.shortcut().toString() == "Ctrl+N"
    assert window.import_action.shortcut().toString() == "Ctrl+I"
    assert window.undo_action.shortcut().toString() == "Ctrl+Z"
    assert "Ctrl+Y" in [s.toString() for s in window.redo_action.shortcuts()]
    for widget in (window.nav, window.entity_page.table, window.welcome.examples_button):
        assert widget.accessibleName()


def test_quick_navigation_matches_the_full_read(ctx, db_path, example_services_path=None):
    from matrix_desktop.paths import examples_dir
    from matrix_desktop.services.context import open_services
    from matrix_desktop.storage.quick import read_navigation

    svc = open_services(db_path)
    svc.exchange.import_paths([examples_dir()])
    svc.close()
    quick = read_navigation(db_path)
    assert quick is not None
    (system, entities), = quick
    assert len(entities) == 9 and all(n == 2 for _, n in entities)
