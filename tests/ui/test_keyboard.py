"""Keyboard helpers, and no Alt+letter bound twice: each window's mnemonics listed and compared
(the menu bar with every page, each tab of each page, each menu, every dialog)."""

from __future__ import annotations

from collections import defaultdict
from pprint import pformat

import pytest
from PySide6.QtCore import QDate, QSettings, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QTabBar,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from matrix_desktop.core.model import AssessmentKind
from matrix_desktop.ui.context import AppContext
from matrix_desktop.ui.keyboard import (
    DateField,
    EntryItem,
    EntryTable,
    labelled,
    literal,
    mnemonic,
    name_by_labels,
    plain_text,
)
from matrix_desktop.ui.main_window import MainWindow


def test_mnemonic_and_plain_text_read_labels_as_qt_does():
    assert mnemonic("&File") == "F"
    assert mnemonic("Re&ports") == "P"
    assert mnemonic("Health && care") is None
    assert mnemonic("Fish && &chips") == "C"
    assert mnemonic("No mnemonic") is None
    assert plain_text("Fish && &chips") == "Fish & chips"
    assert plain_text(literal("Health & Care")) == "Health & Care"
    assert mnemonic(literal("Health & Care")) is None


def test_a_labelled_control_is_named_by_its_label(qtbot):
    root = QWidget()
    qtbot.addWidget(root)
    box = QLineEdit(root)
    box.setAccessibleName("Direction of travel")
    QLabel("Di&rection", root).setBuddy(box)
    name_by_labels(root)
    assert (box.accessibleName(), box.accessibleDescription()) == (
        "Direction",
        "Direction of travel",
    )
    other = QLineEdit(root)
    labelled("&Owner", other, root)
    assert other.accessibleName() == "Owner"


def _show(qtbot, root: QWidget) -> None:
    qtbot.addWidget(root)
    root.show()
    qtbot.waitExposed(root)
    root.activateWindow()
    qtbot.waitUntil(root.isActiveWindow)


def test_tab_in_a_table_cell_commits_it_and_leaves_the_table(qtbot):
    root = QWidget()
    layout = QVBoxLayout(root)
    table, after = EntryTable(1, 2), QLineEdit()
    layout.addWidget(table)
    layout.addWidget(after)
    _show(qtbot, root)
    table.setItem(0, 0, EntryItem(""))
    table.setFocus()
    table.setCurrentCell(0, 0)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor is not after
    qtbot.keyClicks(editor, "Jo")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is after)
    assert table.item(0, 0).text() == "Jo"


def cell_names(table: QWidget) -> list[str]:
    """What a screen reader says for each cell of a table (its accessible children)."""
    iface = QAccessible.queryAccessibleInterface(table)
    children = (iface.child(i) for i in range(iface.childCount()))
    return [c.text(QAccessible.Text.Name) for c in children if c.role() == QAccessible.Role.Cell]


def test_a_blank_cell_is_announced_by_its_column(qtbot):
    table = EntryTable(1, 2)
    qtbot.addWidget(table)
    table.setHorizontalHeaderLabels(["Name", "Organisation"])
    table.setItem(0, 0, EntryItem("Jo"))
    table.setItem(0, 1, EntryItem(""))
    assert cell_names(table) == ["Jo", "Organisation: blank"]
    table.item(0, 1).setText("Barnsley Council")
    assert cell_names(table) == ["Jo", "Barnsley Council"]


def test_one_tab_leaves_a_date_field(qtbot):
    root = QWidget()
    layout = QVBoxLayout(root)
    before, date, after = QLineEdit(), DateField(QDate(2025, 3, 31)), QLineEdit()
    date.setDisplayFormat("yyyy-MM-dd")
    for w in (before, date, after):
        layout.addWidget(w)
    _show(qtbot, root)
    before.setFocus()
    qtbot.keyClick(before, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is date
    qtbot.keyClick(date, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is after
    qtbot.keyClick(after, Qt.Key.Key_Backtab)
    qtbot.keyClick(date, Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is before


# -- no clashes ----------------------------------------------------------------------------


def mnemonics(window: QWidget) -> dict[str, list[str]]:
    """Return each Alt+letter live in window (menu bar and visible controls), with its owners."""
    found: dict[str, list[str]] = defaultdict(list)
    if isinstance(window, QMainWindow):
        for act in window.menuBar().actions():
            if act.isVisible() and mnemonic(act.text()):
                found[mnemonic(act.text())].append(f"menu {plain_text(act.text())}")
    for w in window.findChildren(QWidget):
        if not w.isVisible() or w.window() is not window:
            continue
        if isinstance(w, QAbstractButton) or isinstance(w, QLabel) and w.buddy() is not None:
            texts = [w.text()]
        elif isinstance(w, QGroupBox):
            texts = [w.title()]
        elif isinstance(w, QTabBar):
            texts = [w.tabText(i) for i in range(w.count()) if w.isTabEnabled(i)]
        else:
            continue
        for text in texts:
            if mnemonic(text):
                found[mnemonic(text)].append(f"{type(w).__name__} {plain_text(text)!r}")
    return found


def clashes(window: QWidget) -> dict[str, list[str]]:
    return {k: v for k, v in mnemonics(window).items() if len(v) > 1}


def menu_clashes(window: QMainWindow) -> dict[str, dict[str, list[str]]]:
    """Return, per menu, the letters two of its items share."""
    out = {}
    for top in window.menuBar().actions():
        seen: dict[str, list[str]] = defaultdict(list)
        for act in top.menu().actions():
            if act.isVisible() and not act.isSeparator() and mnemonic(act.text()):
                seen[mnemonic(act.text())].append(plain_text(act.text()))
        both = {k: v for k, v in seen.items() if len(v) > 1}
        if both:
            out[plain_text(top.text())] = both
    return out


def each_tab(page: QWidget):
    """Show each tab of each tab widget on page in turn (one at a time), yielding its name."""
    yield "first tabs"
    for tabs in page.findChildren(QTabWidget):
        if not tabs.isVisible():
            continue
        start = tabs.currentIndex()
        for i in range(tabs.count()):
            tabs.setCurrentIndex(i)
            yield plain_text(tabs.tabText(i))
        tabs.setCurrentIndex(start)


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


def test_no_window_binds_an_alt_letter_twice(window, qtbot):
    svc = window.services
    final = next(
        a
        for a in svc.assessments.assessments()
        if a.kind is AssessmentKind.SELF_ASSESSMENT and a.is_final
    )
    draft = next(
        a
        for a in svc.assessments.assessments()
        if a.kind is AssessmentKind.SELF_ASSESSMENT and a.is_final and a.id != final.id
    )
    svc.assessments.execute(svc.assessments.reopen(draft.id, "a draft to score"))

    def peer_review() -> None:
        started = svc.peer_review.start_review(final.id, "Pat Reviewer", "Doncaster")
        window.open_assessment(started.review.id)

    pages = {
        "entity": lambda: window.show_entity(final.entity_id),
        "workshop (draft)": lambda: window.open_assessment(draft.id),
        "workshop (final)": lambda: window.open_assessment(final.id),
        "compare": window.show_compare,
        "single view": window.show_single_view,
        "action plan": window.show_action_plan,
        "matrix feedback": window.show_matrix_feedback,
        "peer review": peer_review,
    }
    problems = {}
    for name, show in pages.items():
        show()
        qtbot.wait(1)
        page = window.stack.currentWidget()
        for tab in each_tab(page):
            found = clashes(window)
            if found:
                problems[f"{name}, {tab}"] = found
        menus = menu_clashes(window)
        if menus:
            problems[f"{name}: menus"] = menus
    assert mnemonics(window)["F"] == ["menu File"]  # the walk saw the menu bar
    assert problems == {}, pformat(problems)


def test_no_dialog_binds_an_alt_letter_twice(window, qtbot):
    from matrix_desktop.paths import examples_dir
    from matrix_desktop.ui.about import AboutDialog
    from matrix_desktop.ui.date_dialog import DateDialog
    from matrix_desktop.ui.import_dialog import ImportDialog
    from matrix_desktop.ui.peer_review import StartReviewForm
    from matrix_desktop.ui.workshop.feedback import FeedbackDialog
    from matrix_desktop.ui.workshop.new_assessment import NewAssessmentDialog

    svc = window.services
    start = QDialog(window)
    QVBoxLayout(start).addWidget(StartReviewForm(svc, start))
    newest = max(svc.assessments.assessments(), key=lambda a: a.round_id)
    new = NewAssessmentDialog(window.ctx, newest.entity_id, window)
    fw = svc.catalog.frameworks()[0]
    dialogs = [
        new,
        ImportDialog(svc.exchange.preview([str(examples_dir())]), window),
        start,
        AboutDialog("db", window),
        DateDialog("Pick due date", "Due date for action 1", None, window),
        FeedbackDialog(fw, fw.domains[0], None, lambda *_args: None, window),
    ]
    problems = {}
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        if dialog is new:
            new.round.setCurrentText("2099/00 Q1")  # a later round: the copy box shows too
            assert new.carry.isVisible()
        found = clashes(dialog)
        if found:
            problems[type(dialog).__name__] = found
        dialog.reject()
    assert problems == {}, pformat(problems)
