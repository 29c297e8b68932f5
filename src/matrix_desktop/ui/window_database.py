"""The main window's database actions: open safely, warn, back up, restore."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from matrix_desktop.ui.background import run_blocking
from matrix_desktop.ui.interaction import interaction

if TYPE_CHECKING:
    from matrix_desktop.services.safety import OpenResult
    from matrix_desktop.ui.context import AppContext

log = logging.getLogger(__name__)

READ_ONLY_NOTE = (
    "This database is open read-only (another copy of Matrix Desktop may be using it): "
    "you can look and export, but nothing can be added or changed here."
)


class DatabaseActions:
    """The main window's database part: opens the database, backs it up, restores a backup.

    The window owns one and gives it the AppContext, a parent for dialogs and three hooks:
    show_status (the status line), show_warnings (the warning banner) and on_opened (called
    once a database is open: the window retitles itself and says its data is loaded).
    """

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget,
        *,
        show_status: Callable[[str], None],
        show_warnings: Callable[[list[str]], None],
        on_opened: Callable[[], None],
    ):
        self.ctx = ctx
        self.parent = parent
        self.show_status = show_status
        self.show_warnings = show_warnings
        self.on_opened = on_opened
        self.backup_timer = QTimer(parent)
        self.backup_timer.setInterval(5 * 60 * 1000)  # maybe_backup decides (30 min, changed)
        self.backup_timer.timeout.connect(self._on_backup_timer_timeout)

    def open_database(self, database: str | None, read_only: bool = False) -> bool:
        """Open the database safely (lock, integrity, backups); imports storage only now."""
        from matrix_desktop.core.errors import MatrixError
        from matrix_desktop.services import server_login
        from matrix_desktop.services.safety import (
            DatabaseDamaged,
            DatabaseLocked,
            open_for_gui,
            restore_damaged,
        )

        try:
            server = server_login.server_url(database)
        except MatrixError as exc:
            self.show_status("No database open")
            interaction.error(self.parent, "Cannot open the database", str(exc))
            return False
        stored = False  # the keychain holds a password for this login
        if server is not None:
            stored = server_login.has_stored_password(server)
            database = server_login.with_stored_password(server)
        remember: str | None = None  # a password typed with "remember" ticked
        forget = False  # a password typed with "remember" unticked: the user opted out

        def _open() -> OpenResult:
            return open_for_gui(database, read_only=read_only)

        while True:
            try:
                if server is None:
                    opened = _open()
                else:  # a server can take seconds to answer (or time out): off the GUI thread
                    opened = run_blocking(self.parent, "Connecting to the database server…", _open)
                break
            except DatabaseLocked as exc:
                choice = interaction.choose(
                    self.parent, "Database in use", f"{exc}", ["Open read-only", "Quit"]
                )
                if choice != "Open read-only":
                    self.show_status("No database open")
                    return False
                read_only = True
            except DatabaseDamaged as exc:
                if exc.backup is None:
                    interaction.error(self.parent, "The database is damaged", str(exc))
                    self.show_status("No database open")
                    return False
                choice = interaction.choose(
                    self.parent,
                    "The database is damaged",
                    f"{exc}\n\nNothing was written to it. Restore the newest good backup "
                    f"({exc.backup.label})? The damaged file is kept beside it.",
                    ["Restore backup", "Quit"],
                )
                if choice != "Restore backup":
                    self.show_status("No database open")
                    return False
                run_blocking(self.parent, "Restoring the backup…", restore_damaged, exc)
            except MatrixError as exc:
                if server is not None and server_login.needs_password(exc):
                    answer = interaction.ask_password(
                        self.parent, str(exc), server_login.keychain_available(), stored
                    )
                    if answer is not None:
                        password, keep = answer
                        database = server_login.with_password(server, password)
                        remember = password if keep else None
                        forget = stored and not keep
                        continue
                self.show_status("No database open")
                interaction.error(self.parent, "Cannot open the database", str(exc))
                return False
        if server is not None and remember is not None:
            server_login.remember_password(server, remember)  # only once it proved right
        elif server is not None and forget:
            server_login.forget_password(server)
        self.ctx.set_opened(opened)
        self.show_warnings([w.message for w in opened.warnings])
        access = opened.services.db.access  # on a server: say what the role may not do
        role = f" — {access.refusal()}" if access and not access.writes_everything else ""
        self.show_status(f"Database: {opened.services.db.location}{role}")
        self.backup_timer.start()
        self.on_opened()
        return True

    def _on_backup_timer_timeout(self) -> None:
        opened = self.ctx.opened
        if opened is None:
            return
        try:
            made = opened.safety.maybe_backup()
        except Exception as exc:  # a failed backup must not stop the workshop
            log.warning("periodic backup failed: %s", exc)
            self.show_status(f"Backup failed: {exc}")
            return
        if made is not None:
            self.show_status(f"Backed up at {made.created:%H:%M}")

    def restore_from_backup(self) -> None:
        """Choose a backup and restore it (the current state is backed up first)."""
        from matrix_desktop.core.errors import MatrixError

        opened = self.ctx.opened
        if opened is None or not opened.safety.enabled:
            interaction.info(
                self.parent,
                "Restore",
                "Backups can be restored only into a database open for writing.",
            )
            return
        backups = opened.safety.backups()
        if not backups:
            interaction.info(self.parent, "Restore", "There are no backups of this database yet.")
            return
        index = interaction.pick(
            self.parent, "Restore from a backup", "Backup to restore:", [b.label for b in backups]
        )
        if index is None:
            return
        chosen = backups[index]
        if not interaction.confirm(
            self.parent,
            "Restore from a backup",
            f"Replace the data with the backup of {chosen.label}? "
            "The current data is backed up first.",
            "Restore",
        ):
            return
        # On a worker, so the window never freezes while the file is copied and upgraded; the
        # backup timer and the change feed wait (nothing else reads the file meanwhile).
        active = self.backup_timer.isActive()
        self.backup_timer.stop()
        try:
            with self.ctx.feed_paused():
                saved = run_blocking(
                    self.parent, "Restoring the backup…", opened.safety.restore, chosen.path
                )
        except MatrixError as exc:
            interaction.error(self.parent, "Restore failed; nothing was changed", str(exc))
            return
        finally:
            if active:
                self.backup_timer.start()
        self.ctx.undo_stack.clear()
        self.ctx.reloaded.emit()
        self.show_status(f"Restored {chosen.label}; the replaced data is in {saved.name}")
