"""The system's single view: heatmap, domains ranked, themes, readiness, and export."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from matrix_desktop.charts.heatmap import build_heatmap
from matrix_desktop.core.chart_text import describe_heatmap
from matrix_desktop.core.errors import MatrixError
from matrix_desktop.services.context import Services
from matrix_desktop.services.single_view import SingleView, SingleViewSection, export_xlsx
from matrix_desktop.ui.chart_canvas import ChartView
from matrix_desktop.ui.combos import combo_value, find_value
from matrix_desktop.ui.flow_layout import FlowLayout, captioned
from matrix_desktop.ui.keyboard import name_by_labels
from matrix_desktop.ui.table_model import text_table

if TYPE_CHECKING:
    from matrix_desktop.ui.context import AppContext


class SingleViewWidget(QWidget):
    """Everyone's latest final self-assessment in one system, and what they ask for.

    Embed: SingleViewWidget(services, system_id); call reload() after imports or edits.
    Given the AppContext (ctx=) it reloads itself whenever the context reloads.
    """

    def __init__(
        self,
        services: Services,
        system_id: str,
        parent: QWidget | None = None,
        *,
        ctx: AppContext | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.system_id = system_id
        self.view: SingleView | None = None
        self.setAccessibleName("Single view")
        self._ctx = ctx
        self._build()
        name_by_labels(self)
        self.reload()
        if ctx is not None:  # a bound method: Qt drops the connection when the page goes
            ctx.reloaded.connect(self._on_ctx_reloaded)

    def _on_ctx_reloaded(self) -> None:
        """The database changed as a whole (restored, reopened, imported): recompute."""
        services = self._ctx.services if self._ctx is not None else None
        if services is None:
            return
        self.services = services
        try:
            self.reload()
        except MatrixError:  # the system is gone (another database): nothing to show
            self.setEnabled(False)

    def _build(self) -> None:
        self.as_of = QComboBox(accessibleName="As of round")
        self.as_of.addItem("Latest", None)
        for r in self.services.catalog.rounds():
            self.as_of.addItem(r.name, r.id)
        self.section_box = QComboBox(accessibleName="Framework version shown")
        self.threshold = QComboBox(accessibleName="Readiness threshold stage")
        self.ranking = QComboBox(accessibleName="Rank domains by")
        self.ranking.addItems(["Median stage", "Spread across entities"])
        self.export = QPushButton("E&xport spreadsheet…", accessibleName="Export the single view")
        choices = QWidget()
        flow = FlowLayout(choices, spacing=12)  # a second row on a narrow window, not a wider one
        for label, box in (
            ("As &of", self.as_of),
            ("Versio&n", self.section_box),
            ("Thresho&ld", self.threshold),
            ("Ran&k by", self.ranking),
        ):
            flow.addWidget(captioned(label, box))
        bar = QHBoxLayout()
        bar.addWidget(choices, 1)
        bar.addWidget(self.export, 0, Qt.AlignmentFlag.AlignTop)

        self.message = QLabel(accessibleName="Single view message")
        self.message.setWordWrap(True)
        self.heatmap = ChartView(name="Single view heatmap")
        self.ranked, self.ranked_model = text_table("Domains ranked")
        self.themes, self.themes_model = text_table("Key themes")
        self.tags, self.tags_model = text_table("Themes by tag")
        self.readiness, self.readiness_model = text_table("Readiness against the threshold")
        self.grid, self.grid_model = text_table("Stages by entity and domain")
        self.tabs = QTabWidget(accessibleName="Single view parts")
        for widget, title in (
            (self.heatmap, "Heat&map"),
            (self.grid, "&Stages"),
            (self.ranked, "&Domains ranked"),
            (self.themes, "&Themes"),
            (self.tags, "Ta&gs"),
            (self.readiness, "Read&iness"),
        ):
            self.tabs.addTab(widget, title)
        from matrix_desktop.ui.help_match import HelpMatchPanel

        self.help = HelpMatchPanel(self.services, self.system_id, ctx=self._ctx)
        self.tabs.addTab(self.help, "Help m&atched to need")
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs)

        self.as_of.currentIndexChanged.connect(self._on_as_of_currentIndexChanged)
        self.section_box.currentIndexChanged.connect(self._on_section_box_currentIndexChanged)
        self.threshold.currentIndexChanged.connect(self._on_threshold_currentIndexChanged)
        self.ranking.currentIndexChanged.connect(self._on_ranking_currentIndexChanged)
        self.export.clicked.connect(self._on_export_clicked)

    # -- loading ------------------------------------------------------------------------
    def reload(self) -> None:
        """Recompute the view from the database."""
        self.view = self.services.single_view.single_view(
            self.system_id, combo_value(self.as_of, str)
        )
        self.help.services = self.services
        self.help.reload(combo_value(self.as_of, str))
        self.section_box.blockSignals(True)
        self.section_box.clear()
        for i, section in enumerate(self.view.sections):
            self.section_box.addItem(f"{section.framework.title}: {len(section.group.items)}", i)
        if self.view.sections:
            self.section_box.setCurrentIndex(self.view.sections.index(self.view.main))
        self.section_box.setEnabled(len(self.view.sections) > 1)
        self.section_box.blockSignals(False)
        self._show_section()

    @property
    def section(self) -> SingleViewSection | None:
        if self.view is None or not self.view.sections:
            return None
        return self.view.sections[combo_value(self.section_box, int) or 0]

    def _fill_thresholds(self, section: SingleViewSection) -> None:
        fw = section.framework
        keep = combo_value(self.threshold, str)
        self.threshold.blockSignals(True)
        self.threshold.clear()
        for stage in fw.stages:
            mark = " (framework threshold)" if stage.key == fw.threshold_stage else ""
            self.threshold.addItem(stage.name + mark, stage.key)
        wanted = keep if fw.has_stage(keep or "") else fw.threshold_stage
        index = find_value(self.threshold, wanted) if wanted else -1
        self.threshold.setCurrentIndex(index if index >= 0 else min(2, len(fw.stages) - 1))
        self.threshold.blockSignals(False)

    def _show_section(self) -> None:
        section = self.section
        notes = [self.view.message] if self.view and self.view.message else []
        if section is None:
            self.message.setText(" ".join(notes) or "No final self-assessments yet.")
            for model in (
                self.ranked_model,
                self.themes_model,
                self.tags_model,
                self.readiness_model,
                self.grid_model,
            ):
                model.set_rows((), ())
            return
        self._fill_thresholds(section)
        if section.framework.threshold_stage is None:
            notes.append(
                f"{section.framework.title} sets no threshold; readiness is measured "
                f"against the stage chosen."
            )
        self.message.setText(" ".join(notes))
        tables = section.tables(combo_value(self.threshold, str))
        self.grid_model.set_rows(*tables["Heatmap"])
        self.themes_model.set_rows(*tables["Themes"])
        self.tags_model.set_rows(*tables["Tags"])
        self.readiness_model.set_rows(*tables["Readiness"])
        self._show_ranking()
        heatmap = section.heatmap(self.view.system.name)
        self.heatmap.set_figure(build_heatmap(heatmap), describe_heatmap(heatmap))

    def _show_ranking(self) -> None:
        section = self.section
        if section is None:
            return
        headers, rows = section.tables()["Domains ranked"]
        if self.ranking.currentIndex() == 1:
            order = [s.title for s in section.by_spread]
            by_title = {r[1]: r for r in rows}
            rows = tuple((str(i), *by_title[t][1:]) for i, t in enumerate(order, start=1))
        self.ranked_model.set_rows(headers, rows)

    # -- export -------------------------------------------------------------------------
    def ask_save_path(self) -> Path | None:
        """Ask where to save (a port tests replace)."""
        from matrix_desktop.ui.interaction import interaction

        name = interaction.save_file(
            self, "Export the single view", "single-view.xlsx", "Spreadsheet (*.xlsx)"
        )
        return Path(name) if name else None

    def export_to(self, path: Path) -> Path | None:
        section = self.section
        if section is None:
            self.message.setText("Nothing to export: no final self-assessments yet.")
            return None
        from matrix_desktop.services.help_match import help_tables
        from matrix_desktop.ui.background import run_blocking

        helping = self.services.help_match
        system_id, round_id = self.system_id, combo_value(self.as_of, str)
        try:
            extra = run_blocking(
                self,
                "Reading the help matched to need…",
                lambda: help_tables(
                    helping.matches(system_id, round_id),
                    helping.pairings(system_id=system_id, round_id=round_id),
                ),
            )
            written = export_xlsx(section, path, combo_value(self.threshold, str), extra)
        except (MatrixError, OSError) as exc:
            self.message.setText(f"Could not export to {path}: {exc}")
            return None
        self.message.setText(f"Exported to {written}")
        return written

    # -- slots --------------------------------------------------------------------------
    def _on_as_of_currentIndexChanged(self, _index: int) -> None:
        self.reload()

    def _on_section_box_currentIndexChanged(self, _index: int) -> None:
        self._show_section()

    def _on_threshold_currentIndexChanged(self, _index: int) -> None:
        self._show_section()

    def _on_ranking_currentIndexChanged(self, _index: int) -> None:
        self._show_ranking()

    def _on_export_clicked(self) -> None:
        path = self.ask_save_path()
        if path is not None:
            self.export_to(path)
