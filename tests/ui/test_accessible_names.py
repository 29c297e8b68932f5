"""Every control a user can reach has a name a screen reader can say: walk the real main window
with each task page open (workshop, compare, single view, peer review) and the dialogs."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTabBar,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from matrix_desktop.core.model import AssessmentKind
from matrix_desktop.ui.context import AppContext
from matrix_desktop.ui.main_window import MainWindow

CONTROLS = (
    QAbstractButton,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QComboBox,
    QAbstractItemView,
    QSpinBox,
    QDateEdit,
    QCheckBox,
)
# Qt's own parts of a compound control, named through the control itself
COMPOUND = (QComboBox, QAbstractSpinBox, QTabBar)


checked: list[QWidget] = []  # the controls the last walk looked at (so a test sees it walked)
CONTAINERS = ("qt_scrollarea_viewport", "qt_tabwidget_stackedwidget")


def _qt_internal(widget: QWidget) -> bool:
    if widget.objectName().startswith("qt_") or isinstance(widget, QHeaderView):
        return True
    parent = widget.parentWidget()
    while parent is not None:
        name = parent.objectName()
        if isinstance(parent, COMPOUND) or name.startswith("qt_") and name not in CONTAINERS:
            return True
        parent = parent.parentWidget()
    return False


def unnamed_controls(root: QWidget) -> list[str]:
    """Return a description of each reachable control with no accessible name or buddy."""
    buddies = {id(label.buddy()) for label in root.findChildren(QLabel) if label.buddy()}
    missing = []
    checked.clear()
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or _qt_internal(widget):
            continue
        if not widget.isVisibleTo(root) or not widget.isEnabled() and not widget.isVisible():
            continue
        checked.append(widget)
        if widget.accessibleName().strip() or id(widget) in buddies:
            continue
        text = getattr(widget, "text", lambda: "")()
        missing.append(
            f"{type(widget).__name__} {widget.objectName()!r} {text!r} in "
            f"{type(widget.parentWidget()).__name__}"
        )
    return missing


@pytest.fixture
def window(qtbot, services, tmp_path):
    path = services.db.path
    services.close()
    ctx = AppContext(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    assert win.open_database(str(path))
    yield win
    win.close()


def _self_assessment(win: MainWindow) -> str:
    svc = win.services
    return next(
        a.id
        for a in svc.assessments.assessments()
        if a.kind is AssessmentKind.SELF_ASSESSMENT and a.is_final
    )


def _pages(window: MainWindow) -> dict:
    """Each page of the main window, by name, as a function that shows it."""
    svc = window.services
    pages = {"welcome/entity": lambda: window.show_entity(svc.catalog.entities()[0].id)}
    aid = _self_assessment(window)

    def workshop() -> None:
        window.open_assessment(aid)
        window.assessment_screen.tabs.setCurrentIndex(1)  # the votes grid and spread table too

    pages["workshop"] = workshop
    pages["compare"] = window.show_compare
    pages["single view"] = window.show_single_view
    pages["action plan"] = window.show_action_plan
    pages["matrix feedback"] = window.show_matrix_feedback

    def peer_review() -> None:
        started = svc.peer_review.start_review(aid, "Pat Reviewer", "Doncaster")
        window.open_assessment(started.review.id)

    pages["peer review"] = peer_review
    return pages


def _walk_pages(window: MainWindow, qtbot, check) -> dict[str, list[str]]:
    """Show each page (both tabs of the workshop) and return what check(window) found."""
    problems = {}
    for name, show in _pages(window).items():
        show()
        qtbot.wait(1)
        if window.assessment_screen is not None:  # both tabs of the workshop
            problems[name + " (views)"] = check(window)
            window.assessment_screen.tabs.setCurrentIndex(0)
        problems[name] = check(window)
    return {k: v for k, v in problems.items() if v}


def test_every_control_on_every_page_has_an_accessible_name(window, qtbot):
    def check(root: QWidget) -> list[str]:
        found = unnamed_controls(root)
        assert len(checked) > 3
        return found

    assert _walk_pages(window, qtbot, check) == {}


def _dialogs(window: MainWindow) -> list[QDialog]:
    from matrix_desktop.paths import examples_dir
    from matrix_desktop.ui.about import AboutDialog
    from matrix_desktop.ui.date_dialog import DateDialog
    from matrix_desktop.ui.import_dialog import ImportDialog
    from matrix_desktop.ui.peer_review import StartReviewForm
    from matrix_desktop.ui.workshop.new_assessment import NewAssessmentDialog

    svc = window.services
    start = QDialog(window)
    QVBoxLayout(start).addWidget(StartReviewForm(svc, start))
    return [
        NewAssessmentDialog(window.ctx, svc.catalog.entities()[0].id, window),
        ImportDialog(svc.exchange.preview([str(examples_dir())]), window),
        start,
        AboutDialog("db", window),
        DateDialog("Pick due date", "Due date for action 1: Health & care", None, window),
    ]


def _walk_dialogs(window: MainWindow, qtbot, check) -> dict[str, list[str]]:
    problems = {}
    for dialog in _dialogs(window):
        qtbot.addWidget(dialog)
        dialog.show()
        problems[type(dialog).__name__] = check(dialog)
        dialog.reject()
    return {k: v for k, v in problems.items() if v}


def test_dialogs_name_their_controls(window, qtbot):
    assert _walk_dialogs(window, qtbot, unnamed_controls) == {}


def misnamed_controls(root: QWidget) -> list[str]:
    """Return each labelled control whose accessible name is not its label's text.

    A screen reader says a control's name; the eye reads its label. They must be the same
    words, or a user following spoken instructions ("choose Direction") cannot find it.
    """
    wrong = []
    for label in root.findChildren(QLabel):
        buddy = label.buddy()
        if buddy is None or not label.isVisibleTo(root):
            continue
        said = label.text().replace("&&", "\x00").replace("&", "").replace("\x00", "&")
        if buddy.accessibleName() != said.strip():
            wrong.append(f"{type(buddy).__name__} {buddy.accessibleName()!r}, label {said!r}")
    return wrong


def unlabelled_combo_boxes(root: QWidget) -> list[str]:
    """Return each visible combo box no label names through the accessibility relations.

    On Linux a combo box's accessible name is its current value ("Not set"); screen
    readers find what it is for through its label (AT-SPI's labelled-by), so one is needed.
    """
    missing = []
    for box in root.findChildren(QComboBox):
        if not box.isVisibleTo(root) or _in_cell(box):
            continue
        iface = QAccessible.queryAccessibleInterface(box)
        labels = iface.relations(QAccessible.RelationFlag.Label)
        if not labels:
            missing.append(f"{box.accessibleName()!r} showing {box.currentText()!r}")
    return missing


def _in_cell(widget: QWidget) -> bool:
    """A widget in a table cell, labelled by its column header and named for its row."""
    parent = widget.parentWidget()
    return parent is not None and parent.objectName() == "qt_scrollarea_viewport"


def test_every_labelled_control_is_named_by_its_label(window, qtbot):
    def check(root: QWidget) -> list[str]:
        return misnamed_controls(root) + unlabelled_combo_boxes(root)

    assert _walk_pages(window, qtbot, check) == {}
    assert _walk_dialogs(window, qtbot, check) == {}
    # the details' combo boxes: named "Confidence", not "Not set"
    window.open_assessment(_self_assessment(window))
    details = window.assessment_screen.details
    assert (details.confidence.accessibleName(), details.direction.accessibleName()) == (
        "Confidence",
        "Direction",
    )
