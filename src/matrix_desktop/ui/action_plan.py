"""The action plan: every action once, for one entity or across a system, filtered, exported."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

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
from matrix_desktop.core.model import ActionStatus
from matrix_desktop.core.plan import PlanAction, PlanFilter
from matrix_desktop.services.context import Services
from matrix_desktop.services.plan import PLAN_HEADERS, export_plan_xlsx, plan_table
from matrix_desktop.ui.background import run_blocking
from matrix_desktop.ui.combos import add_items, combo_value
from matrix_desktop.ui.flow_layout import lay_out_filtered_page
from matrix_desktop.ui.keyboard import name_by_labels
from matrix_desktop.ui.table_model import text_table

if TYPE_CHECKING:
    from matrix_desktop.ui.context import AppContext

WHOLE_SYSTEM = ""  # the scope combo's value for every entity of the system


class ActionPlanWidget(QWidget):
    """A system's action plan (or one entity's), with filters by domain, owner, status, overdue.

    Embed: ActionPlanWidget(services, system_id, entity_id=None). Given the AppContext (ctx=)
    it follows edits and reloads, so a status changed in the workshop shows here at once.
    """

    def __init__(
        self,
        services: Services,
        system_id: str,
        entity_id: str | None = None,
        parent: QWidget | None = None,
        *,
        ctx: AppContext | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.system_id = system_id
        self.rows: list[PlanAction] = []
        self.setAccessibleName("Action plan")
        self._build(entity_id)
        name_by_labels(self)
        self.reload()
        self._ctx = ctx
        if ctx is not None:  # bound methods: Qt drops the connections when the page goes
            ctx.changed.connect(self._on_ctx_changed)
            ctx.reloaded.connect(self._on_ctx_reloaded)

    def _build(self, entity_id: str | None) -> None:
        system = self.services.catalog.system(self.system_id)
        self.heading = QLabel(f"Action plan: {system.name}")
        self.heading.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.scope = QComboBox()
        add_items(
            self.scope,
            [(f"Whole system ({system.name})", WHOLE_SYSTEM)]
            + [(e.name, e.id) for e in self.services.catalog.entities(self.system_id)],
        )
        if entity_id is not None:
            self.scope.setCurrentIndex(max(self.scope.findData(entity_id), 0))
        self.domain = QComboBox()
        self._titles = self.services.catalog.domain_titles()
        add_items(self.domain, [("Any domain", None)] + [(t, k) for k, t in self._titles.items()])
        self.owner = QLineEdit()
        self.owner.setPlaceholderText("any")
        self.status = QComboBox()
        add_items(self.status, [("Any status", None)] + [(s.label, s) for s in ActionStatus])
        self.overdue = QCheckBox("&Overdue only")
        self.overdue.setAccessibleName("Overdue only")
        self.export = QPushButton("E&xport to XLSX…")
        self.export.setAccessibleName("Export the action plan to a spreadsheet")
        self.table, self.model = text_table("Actions")
        self.summary = QLabel("")
        self.summary.setAccessibleName("Action plan summary")
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Action plan message")

        lay_out_filtered_page(
            self,
            self.heading,
            self.summary,
            [
                ("&Show", self.scope),
                ("&Domain", self.domain),
                ("O&wner", self.owner),
                ("S&tatus", self.status),
            ],
            [self.overdue, self.export],
            self.table,
            self.message,
        )

        self.scope.currentIndexChanged.connect(self._on_filter_changed)
        self.domain.currentIndexChanged.connect(self._on_filter_changed)
        self.status.currentIndexChanged.connect(self._on_filter_changed)
        self.overdue.toggled.connect(self._on_filter_changed)
        self.owner.textChanged.connect(self._on_filter_changed)
        self.export.clicked.connect(self._on_export_clicked)

    # -- reading -----------------------------------------------------------------------
    def plan_filter(self) -> PlanFilter:
        return PlanFilter(
            domain_key=combo_value(self.domain, str),
            owner=self.owner.text().strip() or None,
            status=combo_value(self.status, ActionStatus),
            overdue_only=self.overdue.isChecked(),
        )

    def reload(self) -> None:
        """Read the plan again (on a worker: on a server it is a query over the network)."""
        entity = combo_value(self.scope, str)
        plan = self.services.plan
        ids = [entity] if entity else None
        self.rows = run_blocking(
            self,
            "Reading the action plan…",
            lambda: plan.plan(
                entity_ids=ids,
                system_id=self.system_id,
                plan_filter=self.plan_filter(),
                domain_titles=self._titles,
            ),
        )
        self.model.set_rows(PLAN_HEADERS, plan_table(self.rows))
        self.table.resizeColumnsToContents()
        overdue = sum(1 for r in self.rows if r.overdue)
        live = sum(1 for r in self.rows if r.action.status.is_live)
        self.summary.setText(
            f"{len(self.rows)} actions: {live} open or in progress, {overdue} overdue"
        )

    # -- export -------------------------------------------------------------------------
    def ask_save_path(self) -> Path | None:
        """Ask where to save (a port tests replace)."""
        from matrix_desktop.ui.interaction import interaction

        name = interaction.save_file(
            self, "Export the action plan", "action-plan.xlsx", "Spreadsheet (*.xlsx)"
        )
        return Path(name) if name else None

    def export_to(self, path: Path) -> Path | None:
        try:
            written = export_plan_xlsx(self.rows, path)
        except (MatrixError, OSError) as exc:
            self.message.setText(f"Could not export to {path}: {exc}")
            return None
        self.message.setText(f"Exported {len(self.rows)} actions to {written}")
        return written

    # -- slots --------------------------------------------------------------------------
    def _on_filter_changed(self, *_args: object) -> None:
        self.reload()

    def _on_export_clicked(self) -> None:
        path = self.ask_save_path()
        if path is not None:
            self.export_to(path)

    def _on_ctx_changed(self, change: Change) -> None:
        if "rating" in change.parts or "created" in change.parts or "status" in change.parts:
            self.reload()

    def _on_ctx_reloaded(self) -> None:
        services = self._ctx.services if self._ctx is not None else None
        if services is None:
            return
        self.services = services
        try:
            self.reload()
        except MatrixError:  # the system is gone (another database): nothing to show
            self.setEnabled(False)
