"""The workshop screen's commands in the main window's menus, for as long as the screen is shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu
from shiboken6 import isValid

from matrix_desktop.ui.workshop.feedback import SHORTCUT as FEEDBACK_KEY

if TYPE_CHECKING:
    from matrix_desktop.ui.workshop.screen import AssessmentScreen


def attach_menus(window: QMainWindow, screen: AssessmentScreen, view_menu: QMenu) -> QMenu:
    """Add an Assessment menu (Finalise, Reopen, Presentation) and View ▸ Presentation mode.

    The menu actions take over the screen's own F11 and Ctrl+Shift+F shortcuts (two active
    shortcuts on one key would be ambiguous and neither would fire); both go when another
    page replaces the screen in window.stack.  Returns the Assessment menu.
    """
    detach_menus(window, view_menu)  # the screen this one replaces may not be deleted yet
    menu = QMenu("&Assessment", window)
    menu.setObjectName("assessment_menu")

    def action(text: str, slot, shortcut: str | None, name: str) -> QAction:
        act = QAction(text, menu)
        act.setObjectName(name)
        if shortcut:
            act.setShortcut(QKeySequence(shortcut))
        act.triggered.connect(slot)
        menu.addAction(act)
        return act

    present = action("Presentation &mode", screen.toggle_presentation, "F11", "presentation_mode")
    menu.addSeparator()
    finalise = action("&Finalise…", screen.finalise, "Ctrl+Shift+F", "finalise")
    reopen = action("&Reopen…", screen.reopen, None, "reopen")
    menu.addSeparator()
    feedback = action(
        "F&eedback on the matrix…", screen.record_feedback, FEEDBACK_KEY, "matrix_feedback"
    )

    def _on_menu_aboutToShow() -> None:
        final = screen.state.record.assessment.is_final
        writable = not screen.locked
        finalise.setEnabled(not final and writable)
        reopen.setEnabled(final and writable)
        feedback.setEnabled(not final and writable)

    menu.aboutToShow.connect(_on_menu_aboutToShow)
    window.menuBar().insertMenu(view_menu.menuAction(), menu)
    view_menu.addAction(present)
    for shortcut in screen.window_keys:
        shortcut.setEnabled(False)

    def _on_stack_currentChanged(_index: int) -> None:
        # another page replaced the screen: its commands leave the menus at once
        if isValid(screen) and window.stack.currentWidget() is screen:  # type: ignore[attr-defined]
            return
        window.stack.currentChanged.disconnect(_on_stack_currentChanged)  # type: ignore[attr-defined]
        if isValid(menu) and menu.parent() is window:
            detach_menus(window, view_menu)

    window.stack.currentChanged.connect(_on_stack_currentChanged)  # type: ignore[attr-defined]
    screen.menu_actions = {
        "presentation": present,
        "finalise": finalise,
        "reopen": reopen,
        "feedback": feedback,
    }
    return menu


def detach_menus(window: QMainWindow, view_menu: QMenu) -> None:
    """Remove the Assessment menu and View ▸ Presentation mode, if a screen added them."""
    for act in view_menu.actions():
        if act.objectName() == "presentation_mode":
            view_menu.removeAction(act)
    for menu in window.findChildren(QMenu, "assessment_menu"):
        window.menuBar().removeAction(menu.menuAction())
        menu.setParent(None)
        menu.deleteLater()
