"""The main window's database actions: open safely, warn, back up, restore."""

from __future__ import annotations

import logging

from matrix_desktop import APP_DISPLAY_NAME
from matrix_desktop.ui.background import run_blocking
from matrix_desktop.ui.interaction import interaction

log = logging.getLogger(__name__)

READ_ONLY_NOTE = (
    "This database is open read-only (another copy of Matrix Desktop may be using it): "
    "you can look and export, but nothing can be added or changed here."
)


class DatabaseActions:
    """Mixed into MainWindow: needs ctx, status_label, banner, banner_box, _backup_timer."""

    def open_database(self, database: str | None, read_only: bool = False) -> bool:
        """Open the database safely (lock, integrity, backups); imports storage only now."""
        from matrix_desktop.core.errors import MatrixError
        from matrix_desktop.services.safety import (
            DatabaseDamaged,
            DatabaseLocked,
            open_for_gui,
            restore_damaged,
        )

        while True:
            try:
                opened = open_for_gui(database, read_only=read_only)
                break
            except DatabaseLocked as exc:
                choice = interaction.choose(
                    self, "Database in use", f"{exc}", ["Open read-only", "Quit"]
                )
                if choice != "Open read-only":
                    self.status_label.setText("No database open")
                    return False
                read_only = True
            except DatabaseDamaged as exc:
                if exc.backup is None:
                    interaction.error(self, "The database is damaged", str(exc))
                    self.status_label.setText("No database open")
                    return False
                choice = interaction.choose(
                    self,
                    "The database is damaged",
                    f"{exc}\n\nNothing was written to it. Restore the newest good backup "
                    f"({exc.backup.label})? The damaged file is kept beside it.",
                    ["Restore backup", "Quit"],
                )
                if choice != "Restore backup":
                    self.status_label.setText("No database open")
                    return False
                run_blocking(self, "Restoring the backup…", restore_damaged, exc)
            except MatrixError as exc:
                self.status_label.setText("No database open")
                interaction.error(self, "Cannot open the database", str(exc))
                return False
        self._shut_down = False  # a database open again: closing must close it cleanly
        self.ctx.set_opened(opened)
        self._show_warnings([w.message for w in opened.warnings])
        where = str(opened.services.db.location)
        ro = opened.read_only
        self.setWindowTitle(f"{APP_DISPLAY_NAME} — {where}" + (" (read-only)" if ro else ""))
        self.status_label.setText(f"Database: {where}")
        self._backup_timer.start()
        self.data_loaded.emit()
        return True

    def _show_warnings(self, messages: list[str]) -> None:
        self.banner.setText("\n".join(messages))
        self.banner_box.setVisible(bool(messages))

    def _on_backup_timer_timeout(self) -> None:
        opened = self.ctx.opened
        if opened is None:
            return
        try:
            made = opened.safety.maybe_backup()
        except Exception as exc:  # a failed backup must not stop the workshop
            log.warning("periodic backup failed: %s", exc)
            self.status_label.setText(f"Backup failed: {exc}")
            return
        if made is not None:
            self.status_label.setText(f"Backed up at {made.created:%H:%M}")

    def restore_from_backup(self) -> None:
        """Choose a backup and restore it (the current state is backed up first)."""
        from matrix_desktop.core.errors import MatrixError

        opened = self.ctx.opened
        if opened is None or not opened.safety.enabled:
            interaction.info(
                self, "Restore", "Backups can be restored only into a database open for writing."
            )
            return
        backups = opened.safety.backups()
        if not backups:
            interaction.info(self, "Restore", "There are no backups of this database yet.")
            return
        index = interaction.pick(
            self, "Restore from a backup", "Backup to restore:", [b.label for b in backups]
        )
        if index is None:
            return
        chosen = backups[index]
        if not interaction.confirm(
            self,
            "Restore from a backup",
            f"Replace the data with the backup of {chosen.label}? "
            "The current data is backed up first.",
            "Restore",
        ):
            return
        try:
            saved = opened.safety.restore(chosen.path)
        except MatrixError as exc:
            interaction.error(self, "Restore failed; nothing was changed", str(exc))
            return
        self.ctx.undo_stack.clear()
        self.ctx.reloaded.emit()
        self.status_label.setText(f"Restored {chosen.label}; the replaced data is in {saved.name}")
