"""The new-assessment dialog by keyboard and screen reader: one Tab per field (the date too), a
participant's cells left by Tab, the round's text box and blank cells named."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication, QLineEdit

from matrix_desktop.ui.workshop.new_assessment import NewAssessmentDialog

CTRL = Qt.KeyboardModifier.ControlModifier


def _cell_names(table) -> list[str]:  # type: ignore[no-untyped-def]
    iface = QAccessible.queryAccessibleInterface(table)
    children = (iface.child(i) for i in range(iface.childCount()))
    return [c.text(QAccessible.Text.Name) for c in children if c.role() == QAccessible.Role.Cell]


def test_the_form_takes_one_tab_per_field_and_names_every_part(qtbot, ctx, services, place, syb):
    ctx.set_services(services)
    dialog = NewAssessmentDialog(ctx, place.id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)

    dialog.entity.setFocus()
    seen = [QApplication.focusWidget()]
    for _ in range(5):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    inner_round = dialog.round.lineEdit()
    fields = [dialog.entity, dialog.framework, dialog.round, dialog.date, dialog.facilitator]
    assert [w if w is not inner_round else dialog.round for w in seen[:5]] == fields
    assert seen[5] is dialog.people  # the date took one Tab, not three
    assert inner_round.accessibleName() == "Round"
    assert dialog.date.accessibleName() == "Date"

    # two participants: Ctrl+Return adds one and puts the cursor in its name
    for _ in range(2):
        qtbot.keyClick(dialog.people, Qt.Key.Key_Return, CTRL)
    assert _cell_names(dialog.people) == [
        "Partner 1",
        "Organisation: blank",
        "Partner 2",
        "Organisation: blank",
    ]
    # type an organisation: Right, F2, text, then Tab commits it and leaves the table
    qtbot.keyClick(dialog.people, Qt.Key.Key_Right)
    qtbot.keyClick(dialog.people, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    qtbot.keyClicks(editor, "Barnsley Council")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.add_person)
    assert dialog.participants() == [("Partner 1", ""), ("Partner 2", "Barnsley Council")]
    dialog.reject()
