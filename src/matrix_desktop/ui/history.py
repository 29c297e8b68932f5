"""The History window: the audit trail of an assessment (or of the database), newest first.

Each change shows when it was made, by whom on the computer (the user name, which anyone
can set) and, on a server, the database login that made it (recorded by the server itself
from session_user, so it can be trusted).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from matrix_desktop.ui.table_model import TextTableModel

if TYPE_CHECKING:
    from matrix_desktop.core.model import AuditEvent

LIMIT = 500
HEADERS = ("When", "User on the computer", "Database login", "What", "Domain", "Detail")


def history_rows(
    events: list[AuditEvent], on_server: bool, domain_titles: dict[str, str] | None = None
) -> tuple[list[str], list[list[str]]]:
    """Return the table's headers and rows (the database login column only on a server).

    Domains are shown by their titles (domain_titles: key -> title) where known.
    """
    titles = domain_titles or {}
    headers = list(HEADERS if on_server else HEADERS[:2] + HEADERS[3:])
    rows = []
    for e in events:
        row = [e.at[:19].replace("T", " "), e.user]
        if on_server:
            row.append(e.db_role or "")
        domain = e.domain_key or ""
        row += [e.action, titles.get(domain, domain), e.detail]
        rows.append(row)
    return headers, rows


class HistoryDialog(QDialog):
    """The audit trail, read already (see show_history)."""

    def __init__(
        self,
        title: str,
        events: list[AuditEvent],
        on_server: bool,
        parent: QWidget | None = None,
        domain_titles: dict[str, str] | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle(f"History — {title}")
        self.setAccessibleName("History")
        note = (
            "On this server each change also shows the database login that made it."
            if on_server
            else "Changes recorded in this database, newest first."
        )
        self.note = QLabel(note)
        self.note.setWordWrap(True)
        self.model = TextTableModel(*history_rows(events, on_server, domain_titles), parent=self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Changes, newest first")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        # A long domain title must not squeeze the detail: the domain column starts narrow.
        domain_column = self.model.columnCount() - 2
        header.setSectionResizeMode(domain_column, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(domain_column, 170)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(900, 480)


def show_history(ctx, parent: QWidget, assessment_id: str | None) -> HistoryDialog | None:  # type: ignore[no-untyped-def]
    """Read the audit trail (off the GUI thread) and show it; returns the dialog shown."""
    from matrix_desktop.core.errors import MatrixError
    from matrix_desktop.ui.background import run_blocking
    from matrix_desktop.ui.interaction import interaction

    svc = ctx.services
    if svc is None:
        return None

    def read() -> tuple[str, list[AuditEvent], dict[str, str]]:
        events = svc.assessments.audit(assessment_id, LIMIT)
        titles = svc.catalog.domain_titles()
        if assessment_id is None:
            return "this database", events, titles
        return svc.assessments.get(assessment_id).title or "the assessment", events, titles

    try:
        title, events, titles = run_blocking(parent, "Reading the history…", read)
    except MatrixError as exc:
        interaction.error(parent, "History", str(exc))
        return None
    dialog = HistoryDialog(title, events, not svc.db.location.is_sqlite, parent, titles)
    dialog.show()
    dialog.table.setFocus()
    return dialog
