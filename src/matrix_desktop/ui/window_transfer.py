"""The main window's file transfers: import exchange files and frameworks, export assessments."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QWidget

from matrix_desktop.ui.interaction import interaction

if TYPE_CHECKING:
    from matrix_desktop.services.context import Services
    from matrix_desktop.ui.context import AppContext


def dropped_paths(mime: QMimeData | None) -> list[str]:
    """Return the local files and folders in a drop (exchange files or folders of them)."""
    if mime is None or not mime.hasUrls():
        return []
    return [u.toLocalFile() for u in mime.urls() if u.isLocalFile() and u.toLocalFile()]


class TransferActions:
    """The main window's transfers part: imports exchange files and frameworks, exports.

    The window owns one and gives it the AppContext, a parent for dialogs and its hooks:
    show_status (the status line), refresh (reload the lists after an import) and
    show_first_entity (choose an entity when none is chosen yet).
    """

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget,
        *,
        show_status: Callable[[str], None],
        refresh: Callable[[], None],
        show_first_entity: Callable[[], None],
    ):
        self.ctx = ctx
        self.parent = parent
        self.show_status = show_status
        self.refresh = refresh
        self.show_first_entity = show_first_entity

    @property
    def services(self) -> Services | None:
        return self.ctx.services

    def drag_enter(self, event: QDragEnterEvent) -> None:
        if self.services is not None and dropped_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def drop(self, event: QDropEvent) -> None:
        if self.import_dropped(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def import_dropped(self, mime: QMimeData | None) -> bool:
        """Import dropped exchange files or folders, through the same preview as the menu."""
        paths = dropped_paths(mime)
        if self.services is None or not paths:
            return False
        return self.import_paths(paths)

    def import_examples(self) -> None:
        from matrix_desktop.paths import examples_dir

        self.import_paths([str(examples_dir())], confirm=False)

    def import_files(self) -> None:
        files = interaction.open_files(
            self.parent, "Import assessments", "Exchange files (*.json);;All files (*)"
        )
        if files:
            self.import_paths(files)

    def import_framework(self) -> None:
        """Load a framework file (a new matrix, or a new version of one) into the database."""
        from matrix_desktop.core.errors import MatrixError

        svc = self.services
        if svc is None:
            return
        if self.ctx.read_only:
            from matrix_desktop.ui.window_database import READ_ONLY_NOTE

            interaction.info(self.parent, "Import a framework", READ_ONLY_NOTE)
            return
        path = interaction.open_file(
            self.parent, "Import a framework", "Framework files (*.yaml *.yml *.json)"
        )
        if not path:
            return
        try:
            fw, added = svc.catalog.import_framework_file(path)
        except MatrixError as exc:
            interaction.error(
                self.parent, "Cannot import the framework; nothing was changed", str(exc)
            )
            return
        self.show_status(f"{fw.title}: {'added' if added else 'already in this database'}")

    def import_folder(self) -> None:
        folder = interaction.open_folder(self.parent, "Import a folder of exchange files")
        if folder:
            self.import_paths([folder])

    def import_paths(self, paths: list[str], confirm: bool = True) -> bool:
        """Preview an import, ask, then apply it; returns True if something was imported."""
        from matrix_desktop.core.errors import MatrixError
        from matrix_desktop.ui.import_dialog import ImportDialog

        svc = self.services
        if svc is None:
            return False
        if self.ctx.read_only:
            from matrix_desktop.ui.window_database import READ_ONLY_NOTE

            interaction.info(self.parent, "Import", READ_ONLY_NOTE)
            return False
        try:
            plan = svc.exchange.preview(paths)
        except MatrixError as exc:
            interaction.error(self.parent, "Cannot import", str(exc))
            return False
        if not plan.has_changes and not confirm:
            decisions = {}
        elif confirm or plan.conflicts:
            dialog = ImportDialog(plan, self.parent)
            if not dialog.exec():
                return False
            decisions = dialog.decisions()
        else:
            decisions = {}
        try:
            svc.exchange.apply(plan, decisions)
        except MatrixError as exc:
            interaction.error(self.parent, "Import failed; nothing was changed", str(exc))
            return False
        self.ctx.undo_stack.clear()
        self.refresh()
        self.show_status(f"Imported: {plan.summary()}")
        self.show_first_entity()
        return True

    def export_assessments(self, ids: list[str]) -> None:
        from matrix_desktop.core.errors import MatrixError

        svc = self.services
        if svc is None or not ids:
            interaction.info(self.parent, "Export", "Choose an entity with assessments to export.")
            return
        path = interaction.save_file(
            self.parent, "Export assessments", "assessments.mdx.json", "Exchange files (*.json)"
        )
        if not path:
            return
        try:
            svc.exchange.export(ids, path)
        except MatrixError as exc:
            interaction.error(self.parent, "Export failed", str(exc))
            return
        self.show_status(f"Exported {len(ids)} assessment(s) to {path}")
