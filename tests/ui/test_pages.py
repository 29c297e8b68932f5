"""The entity page by keyboard: Tab leaves the assessments table (and the progress table) for
the buttons after it; arrows move within it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from matrix_desktop.ui.main_window import MainWindow


def test_tab_leaves_the_assessments_table(qtbot, ctx, services):
    path = services.db.path
    services.close()
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    assert window.open_database(str(path))
    window.show_entity(window.services.catalog.find_entity("Barnsley").id)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page = window.entity_page
    assert page.model.rowCount() == 2
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Down)  # arrows move between the rows
    assert page.table.currentIndex().row() == 1
    qtbot.keyClick(page.table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.open_button
    qtbot.keyClick(page.open_button, Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is page.table
    qtbot.keyClick(page.table, Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is not page.table

    progress = page.progress.table
    progress.setFocus()
    qtbot.keyClick(progress, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not progress
