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
        """Load a framework (a new matrix, or a new version of one) into the database.

        A spreadsheet (XLSX, CSV) is previewed first, with its details filled in if it lacks
        them; a YAML or JSON framework file, complete in itself, is imported at once.
        """
        from matrix_desktop.core.errors import MatrixError
        from matrix_desktop.services.framework_sheets import is_sheet_file

        svc = self.services
        if svc is None:
            return
        if self.ctx.read_only:
            from matrix_desktop.ui.window_database import READ_ONLY_NOTE

            interaction.info(self.parent, "Import a framework", READ_ONLY_NOTE)
            return
        path = interaction.open_file(
            self.parent,
            "Import a framework",
            "Framework files (*.yaml *.yml *.json *.xlsx *.csv);;Spreadsheets (*.xlsx *.csv)",
        )
        if not path:
            return
        if is_sheet_file(path):
            self.preview_framework(path)
            return
        try:
            fw, added = svc.catalog.import_framework_file(path)
        except MatrixError as exc:
            interaction.error(
                self.parent, "Cannot import the framework; nothing was changed", str(exc)
            )
            return
        self.show_status(f"{fw.title}: {'added' if added else 'already in this database'}")

    def preview_framework(self, path: str) -> bool:
        """Show the import preview of a framework spreadsheet; True if it was imported."""
        from matrix_desktop.ui.framework_dialogs import FrameworkImportDialog

        svc = self.services
        if svc is None:
            return False
        dialog = FrameworkImportDialog(
            svc.framework_sheets, path, self.parent, feedback=svc.feedback
        )
        try:
            if not dialog.exec() or dialog.preview is None:
                return False
            fw = dialog.preview.framework
            self.show_status(
                f"{fw.title}: {'added' if dialog.added else 'already in this database'}"
            )
            return True
        finally:
            dialog.deleteLater()

    def export_framework(self) -> None:
        """Write a framework version to an XLSX workbook (or YAML), chosen from a list."""
        from matrix_desktop.core.errors import MatrixError
        from matrix_desktop.services.catalog import write_framework_file
        from matrix_desktop.services.framework_sheets import write_framework_xlsx

        svc = self.services
        if svc is None:
            return
        frameworks = sorted(svc.catalog.frameworks(), key=lambda f: (f.name, f.published))
        index = interaction.pick(
            self.parent,
            "Export a framework",
            "Framework version:",
            [f"{fw.title} [{fw.key}]" for fw in frameworks],
        )
        if index is None:
            return
        fw = frameworks[index]
        from matrix_desktop.core.framework_file import framework_file_name

        suggested = framework_file_name(fw).removesuffix(".yaml") + ".xlsx"
        path = interaction.save_file(
            self.parent,
            "Export a framework",
            suggested,
            "Spreadsheets (*.xlsx);;Framework files (*.yaml)",
        )
        if not path:
            return
        writer = write_framework_file if path.lower().endswith((".yaml", ".yml")) else None
        try:
            written = (writer or write_framework_xlsx)(fw, path)
        except MatrixError as exc:
            interaction.error(self.parent, "Cannot export the framework", str(exc))
            return
        self.show_status(f"Wrote {fw.title} to {written}")

    def compare_frameworks(self) -> None:
        """Show the difference between two versions of a framework."""
        from matrix_desktop.ui.framework_dialogs import FrameworkDiffDialog

        svc = self.services
        if svc is None:
            return
        dialog = FrameworkDiffDialog(
            svc.catalog.frameworks(), svc.framework_sheets, self.parent, feedback=svc.feedback
        )
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()

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
