"""The main window at 1024x768, 1366x768 and 1920x1080: it fits the screen it opens on, and
nothing on its pages (entity, peer review, compare, single view, scoring) is cut off."""

from __future__ import annotations

import datetime

import pytest
from layout_checks import SIZES, clipped, fits_screen, pretend_screen, settle
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMainWindow

from matrix_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.gui

AUTO_HIDE_BELOW_PX = 1400


def _assessment(services, entity: str = "Barnsley", round_name: str = "2021/22 Q2") -> str:
    e = services.catalog.find_entity(entity)
    r = services.catalog.find_round(round_name)
    return services.assessments.assessments(e.id, r.id)[0].id


def _open(qtbot, ctx, services, monkeypatch, size) -> tuple[MainWindow, QRect]:
    screen = pretend_screen(monkeypatch, *size)
    ctx.set_services(services)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.refresh()
    window.show_entity(services.catalog.find_entity("Barnsley").id)
    settle(qtbot, window)
    return window, screen


def _page_problems(window: MainWindow, screen: QRect) -> list[str]:
    problems = fits_screen(window, screen) + clipped(window)
    bar = window.statusBar()
    if not bar.isVisible() or not window.rect().contains(bar.geometry()):
        problems.append(f"status bar at {bar.geometry().getRect()} is not on show")
    return problems


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_window_fits_the_screen_with_its_status_bar_and_buttons(
    qtbot, ctx, services, monkeypatch, size
):
    window, screen = _open(qtbot, ctx, services, monkeypatch, size)
    assert window.stack.currentWidget() is window.entity_page
    assert _page_problems(window, screen) == []
    ctx.saved.emit(datetime.datetime(2025, 1, 2, 3, 4, 5))
    assert window.saved_label.isVisible() and window.saved_label.text() == "Saved 03:04:05"


def test_restored_geometry_that_no_longer_fits_is_brought_onto_the_screen(
    qtbot, ctx, services, monkeypatch
):
    big = QMainWindow()  # as saved on a large monitor, at its far corner
    big.setGeometry(600, 300, 1800, 1000)
    ctx.settings.setValue("main_window/geometry", big.saveGeometry())
    big.deleteLater()
    window, screen = _open(qtbot, ctx, services, monkeypatch, (1024, 768))
    assert _page_problems(window, screen) == []


def test_restored_geometry_that_fits_is_kept(qtbot, ctx, services, monkeypatch):
    small = QMainWindow()
    small.setGeometry(10, 20, 780, 600)  # within the offscreen platform's own 800x800 too
    ctx.settings.setValue("main_window/geometry", small.saveGeometry())
    small.deleteLater()
    window, _screen = _open(qtbot, ctx, services, monkeypatch, (1920, 1080))
    assert window.geometry().size().toTuple() == (780, 600)


def _show_review(window: MainWindow, services) -> None:
    started = services.peer_review.start_review(_assessment(services), "Rev Iewer", "Elsewhere")
    window.refresh()
    window.open_assessment(started.review.id)


def _show_compare(window: MainWindow, services) -> None:
    from matrix_desktop.core.framework import EntityKind

    window.show_compare()
    compare = window.stack.currentWidget()
    # the places (SYB matrix); SYB ICS's own assessment is against the ICS matrix
    compare.kind.setCurrentIndex(compare.kind.findData(EntityKind.PLACE_PARTNERSHIP))
    compare.select_all.click()
    assert compare.comparison.comparable


PAGES = {
    "peer review": _show_review,
    "compare": _show_compare,
    "single view": lambda window, _services: window.show_single_view(),
    "action plan": lambda window, _services: window.show_action_plan(),
    "matrix feedback": lambda window, _services: window.show_matrix_feedback(),
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_each_page_fits_the_window(qtbot, ctx, services, monkeypatch, size, page):
    window, screen = _open(qtbot, ctx, services, monkeypatch, size)
    PAGES[page](window, services)
    settle(qtbot, window)
    assert _page_problems(window, screen) == []


def test_the_review_shows_the_self_assessments_evidence_readably_at_1024(
    qtbot, ctx, services, monkeypatch
):
    window, _screen = _open(qtbot, ctx, services, monkeypatch, (1024, 768))
    _show_review(window, services)
    settle(qtbot, window)
    review = window.stack.currentWidget()
    evidence = review.self_evidence
    assert evidence.toPlainText()
    # 30 characters to a line, as a narrow newspaper column: several words, not one
    assert evidence.viewport().width() >= 30 * evidence.fontMetrics().averageCharWidth()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_scoring_screen_fits_and_the_navigator_makes_room_below_1400_px(
    qtbot, ctx, services, monkeypatch, size
):
    window, screen = _open(qtbot, ctx, services, monkeypatch, size)
    assert window.nav_dock.isVisible()
    window.open_assessment(_assessment(services))
    settle(qtbot, window)
    narrow = window.width() < AUTO_HIDE_BELOW_PX
    assert window.nav_dock.isVisible() is not narrow
    assert _page_problems(window, screen) == []
    window.show_entity(services.catalog.find_entity("Barnsley").id)  # leaving it: back
    settle(qtbot, window)
    assert window.nav_dock.isVisible()


def _nav_action(window: MainWindow):
    action = window.navigator_action
    assert action in window.view_menu.actions() and "Partnerships" in action.text()
    return action


def test_the_navigator_can_be_hidden_and_shown_from_the_view_menu_and_by_key(
    qtbot, ctx, services, monkeypatch
):
    window, _screen = _open(qtbot, ctx, services, monkeypatch, (1920, 1080))
    action = _nav_action(window)
    assert action.isEnabled() and action.isCheckable() and action.isChecked()
    keys = action.shortcut()
    assert keys == QKeySequence("Ctrl+B")
    others = [
        a.shortcut()
        for a in window.findChildren(type(action))
        if a is not action and not a.shortcut().isEmpty()
    ]
    assert keys not in others
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert not window.nav_dock.isVisible() and not action.isChecked()
    action.trigger()
    assert window.nav_dock.isVisible() and action.isChecked()


def test_the_users_choice_of_navigator_outlasts_the_scoring_screen(
    qtbot, ctx, services, monkeypatch
):
    window, _screen = _open(qtbot, ctx, services, monkeypatch, (1366, 768))
    action = _nav_action(window)
    window.open_assessment(_assessment(services))
    settle(qtbot, window)
    assert not window.nav_dock.isVisible()  # made room for the stages
    action.trigger()  # the user wants it on this screen after all
    assert window.nav_dock.isVisible()
    window.show_entity(services.catalog.find_entity("Barnsley").id)
    assert window.nav_dock.isVisible()
    window.open_assessment(_assessment(services))
    settle(qtbot, window)
    assert not window.nav_dock.isVisible()  # a new visit: room made again
    action.trigger()
    action.trigger()  # shown, then hidden by the user: it stays hidden after leaving
    window.show_entity(services.catalog.find_entity("Barnsley").id)
    settle(qtbot, window)
    assert not window.nav_dock.isVisible()


def test_an_automatically_hidden_navigator_is_not_remembered_hidden(
    qtbot, ctx, services, monkeypatch
):
    window, _screen = _open(qtbot, ctx, services, monkeypatch, (1024, 768))
    window.open_assessment(_assessment(services))
    settle(qtbot, window)
    assert not window.nav_dock.isVisible()
    window.close()  # saves the window's state
    again = MainWindow(ctx)
    qtbot.addWidget(again)
    again.show()
    assert again.nav_dock.isVisible()


def test_the_navigator_follows_the_windows_width_on_the_scoring_screen(
    qtbot, ctx, services, monkeypatch
):
    window, _screen = _open(qtbot, ctx, services, monkeypatch, (1920, 1080))
    window.resize(1300, 760)
    window.open_assessment(_assessment(services))
    settle(qtbot, window)
    assert not window.nav_dock.isVisible()
    window.resize(1600, 900)  # wide enough for both
    settle(qtbot, window)
    assert window.nav_dock.isVisible()
    window.resize(1300, 760)
    settle(qtbot, window)
    assert not window.nav_dock.isVisible()
