"""The programme office's view of feedback on the matrix: all of it per framework version, who
recorded it and where, how many on each statement; filtered, sorted, exported."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from matrix_desktop.core.commands import Change
from matrix_desktop.core.errors import MatrixError
from matrix_desktop.core.feedback import FeedbackItem, FeedbackKind
from matrix_desktop.services.context import Services
from matrix_desktop.services.feedback import (
    FEEDBACK_HEADERS,
    PER_STATEMENT_HEADERS,
    export_feedback,
    feedback_table,
    statement_table,
)
from matrix_desktop.ui.background import run_blocking
from matrix_desktop.ui.combos import add_items, combo_value
from matrix_desktop.ui.flow_layout import lay_out_filtered_page
from matrix_desktop.ui.keyboard import name_by_labels
from matrix_desktop.ui.table_model import text_table

if TYPE_CHECKING:
    from matrix_desktop.ui.context import AppContext

ALL_VERSIONS = ""  # the version combo's value for every framework version


class MatrixFeedbackWidget(QWidget):
    """All feedback on the matrix per framework version, with filters and XLSX/CSV export.

    Given the AppContext (ctx=) it follows edits and reloads: feedback recorded in a
    workshop shows here at once.
    """

    def __init__(
        self,
        services: Services,
        parent: QWidget | None = None,
        *,
        ctx: AppContext | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.items: list[FeedbackItem] = []
        self.setAccessibleName("Feedback on the matrix")
        self._build()
        name_by_labels(self)
        self.reload()
        self._ctx = ctx
        if ctx is not None:  # bound methods: Qt drops the connections when the page goes
            ctx.changed.connect(self._on_ctx_changed)
            ctx.reloaded.connect(self._on_ctx_reloaded)

    def _build(self) -> None:
        self.heading = QLabel("Feedback on the matrix")
        self.heading.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.version = QComboBox()
        self._fill_versions()
        self.kind = QComboBox()
        add_items(self.kind, [("Any kind", None)] + [(k.label, k) for k in FeedbackKind])
        self.domain = QComboBox()
        self.entity = QLineEdit()
        self.entity.setPlaceholderText("any")
        self.grouped = QCheckBox("One row per &statement")
        self.grouped.setAccessibleName("One row per statement, with how many of each kind")
        self.export = QPushButton("E&xport…")
        self.export.setAccessibleName("Export the feedback shown to XLSX or CSV")
        self.table, self.model = text_table("Feedback on the matrix")
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # as read until a header is
        self.summary = QLabel("")
        self.summary.setAccessibleName("Feedback summary")
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Feedback message")

        lay_out_filtered_page(
            self,
            self.heading,
            self.summary,
            [
                ("Fra&mework version", self.version),
                ("&Kind", self.kind),
                ("&Domain", self.domain),
                ("Ent&ity", self.entity),
            ],
            [self.grouped, self.export],
            self.table,
            self.message,
        )
        self._fill_domains()

        self.version.currentIndexChanged.connect(self._on_version_changed)
        self.kind.currentIndexChanged.connect(self._on_filter_changed)
        self.domain.currentIndexChanged.connect(self._on_filter_changed)
        self.entity.textChanged.connect(self._on_filter_changed)
        self.grouped.toggled.connect(self._on_filter_changed)
        self.export.clicked.connect(self._on_export_clicked)

    def _fill_versions(self) -> None:
        chosen = self.version.currentData() if self.version.count() else None
        self.version.blockSignals(True)
        self.version.clear()
        self.version.addItem("All framework versions", ALL_VERSIONS)
        feedback = self.services.feedback
        versions = run_blocking(self, "Reading the feedback…", feedback.versions)
        for v in versions:
            # "key\nversion": a string survives the combo's QVariant as it went in
            self.version.addItem(
                f"{v.title}: {v.count}", f"{v.framework_key}\n{v.framework_version}"
            )
        if chosen is not None:
            self.version.setCurrentIndex(max(self.version.findData(chosen), 0))
        elif self.version.count() > 1:
            self.version.setCurrentIndex(1)  # the version with the most feedback
        self.version.blockSignals(False)

    def _chosen_version(self) -> tuple[str, str] | None:
        data = self.version.currentData()
        if not isinstance(data, str) or "\n" not in data:
            return None
        key, version = data.split("\n", 1)
        return key, version

    def _fill_domains(self) -> None:
        self.domain.blockSignals(True)
        self.domain.clear()
        add_items(self.domain, [("Any domain", None)])
        ref = self._chosen_version()
        frameworks = (
            [self.services.catalog.framework(*ref)] if ref else self.services.catalog.frameworks()
        )
        seen: set[str] = set()
        for fw in frameworks:
            for d in fw.domains:
                if d.key not in seen:
                    seen.add(d.key)
                    add_items(self.domain, [(f"{d.number}. {d.title}", d.key)])
        self.domain.blockSignals(False)

    # -- reading -----------------------------------------------------------------------
    def reload(self) -> None:
        """Read the feedback again (on a worker: on a server it is a query over the network)."""
        ref = self._chosen_version()
        feedback = self.services.feedback
        kind = combo_value(self.kind, FeedbackKind)
        domain = combo_value(self.domain, str)
        entity = self.entity.text()
        self.items = run_blocking(
            self,
            "Reading the feedback…",
            lambda: feedback.items(
                *(ref or (None, None)), kind=kind, domain_key=domain, entity_text=entity
            ),
        )
        if self.grouped.isChecked():
            self.model.set_rows(PER_STATEMENT_HEADERS, statement_table(self.items))
        else:
            self.model.set_rows(FEEDBACK_HEADERS, feedback_table(self.items))
        self.table.resizeColumnsToContents()
        for column in (3, 5):  # the statement and the feedback: long, whole in a tooltip
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 320))
        places = {(i.feedback.domain_key, i.feedback.statement_id) for i in self.items}
        entities = {i.entity_name for i in self.items}
        n, p, e = len(self.items), len(places), len(entities)
        self.summary.setText(
            f"{n} piece{'s' if n != 1 else ''} of feedback on {p} statement"
            f"{'s' if p != 1 else ''} or domain{'s' if p != 1 else ''}, "
            f"from {e} entit{'ies' if e != 1 else 'y'}"
        )
        if not self.items:
            filtered = kind is not None or domain is not None or entity.strip()
            self.message.setText(
                "No feedback matches these filters."
                if filtered
                else "No feedback on this version of the matrix has been recorded yet. A "
                "workshop records it on a domain of a draft assessment: Ctrl+Shift+K "
                "(Assessment ▸ Feedback on the matrix…)."
            )
        elif self.message.text().startswith("No feedback"):
            self.message.setText("")

    def shown_items(self) -> list[FeedbackItem]:
        """Return the feedback in the order the table shows it (its sort)."""
        if self.grouped.isChecked():
            return list(self.items)
        ids = [
            self.proxy.index(row, FEEDBACK_HEADERS.index("Feedback id")).data()
            for row in range(self.proxy.rowCount())
        ]
        by_id = {i.feedback.id: i for i in self.items}
        return [by_id[i] for i in ids if i in by_id]

    # -- export -------------------------------------------------------------------------
    def ask_save_path(self) -> Path | None:
        """Ask where to save (a port tests replace)."""
        from matrix_desktop.ui.interaction import interaction

        name = interaction.save_file(
            self,
            "Export the feedback on the matrix",
            "matrix-feedback.xlsx",
            "Spreadsheet (*.xlsx);;CSV (*.csv)",
        )
        return Path(name) if name else None

    def export_to(self, path: Path) -> Path | None:
        items = self.shown_items()
        try:
            written = export_feedback(items, path, per_statement_rows=self.grouped.isChecked())
        except (MatrixError, OSError) as exc:
            self.message.setText(f"Could not export to {path}: {exc}")
            return None
        self.message.setText(f"Exported {len(items)} pieces of feedback to {written}")
        return written

    # -- slots --------------------------------------------------------------------------
    def _on_version_changed(self, *_args: object) -> None:
        self._fill_domains()
        self.reload()

    def _on_filter_changed(self, *_args: object) -> None:
        self.reload()

    def _on_export_clicked(self) -> None:
        path = self.ask_save_path()
        if path is not None:
            self.export_to(path)

    def _on_ctx_changed(self, change: Change) -> None:
        if change.parts & {"feedback", "created", "deleted"} or change.external:
            self._fill_versions()
            self.reload()

    def _on_ctx_reloaded(self) -> None:
        services = self._ctx.services if self._ctx is not None else None
        if services is None:
            return
        self.services = services
        try:
            self._fill_versions()
            self._fill_domains()
            self.reload()
        except MatrixError:  # another database without these frameworks: nothing to show
            self.setEnabled(False)
