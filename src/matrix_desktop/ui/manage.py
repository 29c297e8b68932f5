"""Manage systems, entities (with members), rounds and the trash: one dialog, all by keyboard.

The tabs are in ui.manage_tabs; every change is audited by the services and undoable
(Ctrl+Z here or in the main window). A duplicate name is refused, offering to show the
existing one.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from matrix_desktop.core.errors import MatrixError
from matrix_desktop.ui.context import AppContext
from matrix_desktop.ui.interaction import interaction
from matrix_desktop.ui.keyboard import name_by_labels
from matrix_desktop.ui.manage_tabs import SHOW_EXISTING, EntitiesTab, RoundsTab, SystemsTab
from matrix_desktop.ui.setup_actions import apply_setup

__all__ = ["SHOW_EXISTING", "ManageDialog", "manage"]


class TrashTab(QWidget):
    """Deleted assessments, restorable."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        assert ctx.services is not None
        self.services = ctx.services
        self.list = QListWidget()
        self.list.setAccessibleName("Deleted assessments")
        self.restore_button = QPushButton("Res&tore assessment")
        self.restore_button.setAccessibleName("Restore the chosen assessment")
        self.restore_button.setAutoDefault(False)
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Deleted assessments stay here until restored."))
        layout.addWidget(self.list, 1)
        layout.addWidget(self.restore_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.reload()

    def reload(self) -> None:
        names = {e.id: e.name for e in self.services.catalog.entities()}
        self.list.clear()
        for t in self.services.trash.entries():
            reason = f"; reason: {t.reason}" if t.reason else ""
            item = QListWidgetItem(
                f"{t.title} — {names.get(t.entity_id, '?')} ({t.status.value}), deleted "
                f"{t.deleted_at[:16].replace('T', ' ')} by {t.deleted_by}{reason}"
            )
            item.setData(Qt.ItemDataRole.UserRole, t.assessment_id)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        self.restore_button.setEnabled(self.list.count() > 0)

    def _on_restore_button_clicked(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        aid = item.data(Qt.ItemDataRole.UserRole)
        try:
            apply_setup(self.ctx, lambda: [self.services.trash.restore(aid)], "restore assessment")
        except MatrixError as exc:
            interaction.error(self, "Not restored", str(exc))
        self.reload()


class ManageDialog(QDialog):
    """Systems, entities, rounds and the trash of the open database."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, tab: int = 0):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Manage systems, partnerships and rounds")
        self.setAccessibleName("Manage systems, partnerships and rounds")
        self.tabs = QTabWidget()
        self.systems = SystemsTab(ctx)
        self.entities = EntitiesTab(ctx)
        self.rounds = RoundsTab(ctx)
        self.trash = TrashTab(ctx)
        for widget, text in (
            (self.systems, "&1 Systems"),
            (self.entities, "&2 Partnerships and collaboratives"),
            (self.rounds, "&3 Rounds"),
            (self.trash, "&4 Trash"),
        ):
            self.tabs.addTab(widget, text)
        self.tabs.setCurrentIndex(tab)
        self.tabs.currentChanged.connect(self._on_tabs_currentChanged)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        undo = QPushButton("&Undo")
        undo.setAccessibleName("Undo the last change")
        undo.setAutoDefault(False)
        undo.clicked.connect(self._undo)
        close.addButton(undo, QDialogButtonBox.ButtonRole.ActionRole)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self, self._undo)
        QShortcut(QKeySequence("Ctrl+Shift+Z"), self, self._redo)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(close)
        self.resize(900, 520)
        name_by_labels(self)

    def _reload_all(self) -> None:
        for tab in (self.systems, self.entities, self.rounds):
            tab.reload()
        self.trash.reload()

    def _on_tabs_currentChanged(self, _index: int) -> None:
        self._reload_all()

    def _undo(self) -> None:
        self.ctx.undo_stack.undo()
        self._reload_all()

    def _redo(self) -> None:
        self.ctx.undo_stack.redo()
        self._reload_all()


def manage(ctx: AppContext, parent: QWidget | None = None, tab: int = 0) -> None:
    """Show the Manage dialog (modal) over the open database."""
    if ctx.services is None:
        return
    dialog = ManageDialog(ctx, parent, tab)
    dialog.exec()
    dialog.deleteLater()
