"""Tab on the scoring screen, pressed as a user presses it: the reading order (domains, stages and
statements, details, then the rest), no stop on a container or on anything hidden, each stop
scrolled into view and framed, and keys never acting on a control out of sight."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, QSettings, Qt
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from matrix_desktop.core.model import AssessmentKind
from matrix_desktop.ui import focus
from matrix_desktop.ui.context import AppContext
from matrix_desktop.ui.main_window import MainWindow


@pytest.fixture
def keeper(qapp):
    yield focus.install(qapp)
    focus.uninstall(qapp)


@pytest.fixture(params=[(1366, 768), (1024, 768)], ids=["1366x768", "1024x768"])
def window(request, qtbot, services, tmp_path, keeper):
    path = services.db.path
    final = next(
        a
        for a in services.assessments.assessments()
        if a.kind is AssessmentKind.SELF_ASSESSMENT and a.is_final
    )
    services.assessments.execute(services.assessments.reopen(final.id, "scored again"))
    services.close()
    ctx = AppContext(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.resize(*request.param)
    win.show()
    qtbot.waitExposed(win)
    assert win.open_database(str(path))
    win.open_assessment(final.id)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    yield win
    win.close()


def reading_order(screen) -> list[QWidget]:
    """The stops a user expects on the Matrix tab, in the order the page reads."""
    stops: list[QWidget] = [screen.domains]
    for card in screen.cards.cards:
        stops.append(card.header)
        stops += [row.box for row in card.rows]
    stops.append(screen.feedback_button)  # feedback on the statements just read
    d = screen.details
    stops += [d.confidence, d.direction, d.target]
    stops += [d.target_date] if d.target_date.isEnabled() else []  # a date needs a target
    stops += [d.evidence, d.rationale, d.enablers, d.support]
    stops += [d.actions, d.add_action, d.remove_action, d.pick_due]
    stops += [screen.tabs.tabBar(), screen.radar.view.canvas]
    stops += [screen.radar.previous, screen.radar.spread, screen.present_button]
    stops.append(screen.finalise_button)
    return stops


def _rect_in(widget: QWidget, ancestor: QWidget) -> QRect:
    return QRect(widget.mapTo(ancestor, QPoint(0, 0)), widget.size())


def out_of_view(widget: QWidget) -> str:
    """Say why widget is not in view inside its scroll areas ('' when it is)."""
    if not widget.isVisible() or widget.width() <= 0 or widget.height() <= 0:
        return "hidden"
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            port = parent.viewport()
            shown = _rect_in(widget, port)
            whole = port.rect()
            if not shown.intersects(whole):
                return f"outside {parent.accessibleName()!r}"
            fits = shown.width() <= whole.width() and shown.height() <= whole.height()
            if fits and not whole.contains(shown):
                return f"cut off by {parent.accessibleName()!r}"
        parent = parent.parentWidget()
    return ""


def press_tab_round(qtbot, start: QWidget, limit: int = 150) -> list[tuple[QWidget, str]]:
    """Tab from start until focus comes back to it; return each stop and what hid it."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    assert QApplication.focusWidget() is start
    stops = []
    for _ in range(limit):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        now = QApplication.focusWidget()
        if now is start:
            return stops
        stops.append((now, out_of_view(now)))
    raise AssertionError(f"Tab never came back to {start!r}: stuck at {stops[-3:]}")


def _name(widget: QWidget) -> str:
    return f"{type(widget).__name__} {widget.accessibleName()[:40]!r}"


def _check_round(qtbot, window, keeper) -> None:
    screen = window.assessment_screen
    expected = reading_order(screen)
    stops = press_tab_round(qtbot, screen.domains)
    on_screen = [w for w, _ in stops if screen.isAncestorOf(w)]
    assert [_name(w) for w in on_screen] == [_name(w) for w in expected[1:]]
    assert on_screen == expected[1:]
    # the screen's stops come together, then the window's (the navigator, unless it is
    # hidden to make room for the scoring screen below 1400 px), then back
    assert [w for w, _ in stops[: len(on_screen)]] == on_screen
    assert [w for w, _ in stops[len(on_screen) :]] == (
        [window.nav] if window.nav.isVisible() else []
    )
    assert window.nav.isVisible() == (window.width() >= 1400)
    assert {_name(w): why for w, why in stops if why} == {}
    ring = keeper.ring
    assert ring is not None and ring.isVisible()


def test_tab_follows_the_reading_order_and_each_stop_is_in_view(qtbot, window, keeper):
    screen = window.assessment_screen
    assert sum(len(c.rows) for c in screen.cards.cards) > 10  # a matrix taller than the view
    _check_round(qtbot, window, keeper)
    # another domain: its stage cards are built afresh, and keep their place in the order
    screen.domains.setFocus()
    qtbot.keyClick(screen.domains, Qt.Key.Key_PageDown)
    assert screen.domains.currentRow() == 1
    _check_round(qtbot, window, keeper)


def test_the_room_tab_reads_in_order_too(qtbot, window):
    screen = window.assessment_screen
    screen.tabs.setCurrentIndex(1)
    room = screen.room
    stops = [w for w, _ in press_tab_round(qtbot, screen.domains)]
    assert stops[:5] == [room.grid, room.agreed, room.rationale, room.spread_table, stops[4]]
    assert stops[4] is screen.tabs.tabBar()


def test_space_on_a_stage_scrolled_out_of_sight_shows_it_first(qtbot, window, keeper):
    screen = window.assessment_screen
    cards = screen.cards
    last = cards.cards[-1]
    before = screen.state.record.rating(screen.current_domain.key).stage
    assert before != last.stage.key
    screen.domains.setFocus()
    for _ in range(60):
        if QApplication.focusWidget() is last.header:
            break
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is last.header, "Tab never reached the last stage"
    assert out_of_view(last.header) == ""
    # the room scrolls the matrix back with the mouse wheel: the header goes out of sight
    cards.horizontalScrollBar().setValue(0)
    cards.verticalScrollBar().setValue(cards.verticalScrollBar().maximum())
    if out_of_view(last.header) == "":
        pytest.skip("the whole matrix fits this window; nothing can be scrolled away")
    qtbot.keyClick(last.header, Qt.Key.Key_Space)
    assert screen.state.record.rating(screen.current_domain.key).stage == before
    assert out_of_view(last.header) == ""  # shown instead
    qtbot.keyClick(last.header, Qt.Key.Key_Space)  # seen now: this press chooses it
    assert screen.state.record.rating(screen.current_domain.key).stage == last.stage.key
