"""The main window's file transfers: import exchange files and frameworks, export assessments."""

from __future__ import annotations

from matrix_desktop.ui.interaction import interaction


def dropped_paths(mime) -> list[str]:  # type: ignore[no-untyped-def]
    """Return the local files and folders in a drop (exchange files or folders of them)."""
    if mime is None or not mime.hasUrls():
        return []
    return [u.toLocalFile() for u in mime.urls() if u.isLocalFile() and u.toLocalFile()]


class TransferActions:
    """Mixed into MainWindow: needs services, ctx, nav, nav_model, status_label, refresh()."""

    def dragEnterEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        if self.services is not None and dropped_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        if self.import_dropped(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def import_dropped(self, mime) -> bool:  # type: ignore[no-untyped-def]
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
            self, "Import assessments", "Exchange files (*.json);;All files (*)"
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

            interaction.info(self, "Import a framework", READ_ONLY_NOTE)
            return
        path = interaction.open_file(
            self, "Import a framework", "Framework files (*.yaml *.yml *.json)"
        )
        if not path:
            return
        try:
            fw, added = svc.catalog.import_framework_file(path)
        except MatrixError as exc:
            interaction.error(self, "Cannot import the framework; nothing was changed", str(exc))
            return
        self.status_label.setText(f"{fw.title}: {'added' if added else 'already in this database'}")

    def import_folder(self) -> None:
        folder = interaction.open_folder(self, "Import a folder of exchange files")
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

            interaction.info(self, "Import", READ_ONLY_NOTE)
            return False
        try:
            plan = svc.exchange.preview(paths)
        except MatrixError as exc:
            interaction.error(self, "Cannot import", str(exc))
            return False
        if not plan.has_changes and not confirm:
            decisions = {}
        elif confirm or plan.conflicts:
            dialog = ImportDialog(plan, self)
            if not dialog.exec():
                return False
            decisions = dialog.decisions()
        else:
            decisions = {}
        try:
            svc.exchange.apply(plan, decisions)
        except MatrixError as exc:
            interaction.error(self, "Import failed; nothing was changed", str(exc))
            return False
        self.ctx.undo_stack.clear()
        self.refresh()
        self.status_label.setText(f"Imported: {plan.summary()}")
        if self.current_entity_id is None:
            first = self.nav_model.index(0, 0, self.nav_model.index(0, 0))
            if first.isValid():
                self.nav.setCurrentIndex(first)
        return True

    def export_assessments(self, ids: list[str]) -> None:
        from matrix_desktop.core.errors import MatrixError

        svc = self.services
        if svc is None or not ids:
            interaction.info(self, "Export", "Choose an entity with assessments to export.")
            return
        path = interaction.save_file(
            self, "Export assessments", "assessments.mdx.json", "Exchange files (*.json)"
        )
        if not path:
            return
        try:
            svc.exchange.export(ids, path)
        except MatrixError as exc:
            interaction.error(self, "Export failed", str(exc))
            return
        self.status_label.setText(f"Exported {len(ids)} assessment(s) to {path}")
