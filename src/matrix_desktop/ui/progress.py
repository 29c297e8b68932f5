"""An entity's progress over time: radar of the last two rounds, trend, direction of travel."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QHeaderView, QLabel, QTableView, QTabWidget, QVBoxLayout, QWidget

from matrix_desktop.ui.table_model import TextTableModel

if TYPE_CHECKING:
    from matrix_desktop.services.context import Services

_ARROWS = {
    "improving": "↑ improving",
    "no_change": "→ no change",
    "deteriorating": "↓ deteriorating",
}


class ProgressPanel(QWidget):
    """Shows one entity's self-assessments round by round; charts are built on first use."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName("Progress over time")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Progress message")
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Progress views")
        self.table_model = TextTableModel(parent=self)
        self.table = QTableView()
        self.table.setModel(self.table_model)
        self.table.setAccessibleName("Stages by round and direction of travel")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().hide()
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move within it
        self.radar = None
        self.trend = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs, 1)
        self.setMinimumWidth(360)
        self.progress = None

    def _ensure_charts(self) -> None:
        if self.radar is not None:
            return
        from matrix_desktop.ui.chart_canvas import ChartView, RadarView

        self.radar = RadarView(name="Radar: latest round against the one before")
        self.trend = ChartView(name="Trend: each domain's stage by round", fit_to_widget=True)
        self.tabs.addTab(self.radar, "Ra&dar")
        self.tabs.addTab(self.trend, "&Trend")

    def show_entity(self, services: Services, entity_id: str) -> bool:
        """Show an entity's progress; returns False (with a message) if it has none yet."""
        from matrix_desktop.core.errors import NotFound

        try:
            progress = services.single_view.progress(entity_id)
        except NotFound as exc:
            return self.show_progress(None, str(exc))
        return self.show_progress(progress)

    def show_progress(self, progress: Any, missing: str = "") -> bool:
        """Show progress read already (None: none yet, `missing` saying why); False if none."""
        from matrix_desktop.charts.trend import build_trend
        from matrix_desktop.core.chart_models import RadarSeries, radar_for
        from matrix_desktop.core.chart_text import describe_trend

        if progress is None:
            self.message.setText(missing)
            self.tabs.hide()
            self.table_model.set_rows([], [])
            return False
        self._ensure_charts()
        self.progress = progress
        fw = progress.framework
        last = range(max(0, len(progress.rounds) - 2), len(progress.rounds))
        series = tuple(
            RadarSeries(
                progress.rounds[i],
                tuple(
                    None if d.positions[i] is None else float(d.positions[i])
                    for d in progress.domains
                ),
            )
            for i in reversed(last)
        )
        self.radar.set_chart(
            radar_for(
                fw, (d.title for d in progress.domains), series, title=f"{progress.entity.name}"
            )
        )
        trend = progress.trend()
        self.trend.set_figure(build_trend(trend), describe_trend(trend))
        stage_names = [s.name for s in fw.stages]
        rows = [
            [
                d.title,
                *("—" if p is None else stage_names[p - 1] for p in d.positions),
                _ARROWS.get(d.direction.value, "") if d.direction else "",
            ]
            for d in progress.domains
        ]
        self.table_model.set_rows(["Domain", *progress.rounds, "Direction of travel"], rows)
        # the domain names give way (wrapped) so the stages and the direction stay in view
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        self.table.resizeRowsToContents()
        counts = progress.counts()
        summary = ", ".join(
            f"{counts.get(k, 0)} {label.split(' ', 1)[1]}"
            for k, label in ((d, _ARROWS[d.value]) for d in counts if d is not None)
        )
        note = f" {progress.message}" if progress.message else ""
        rounds = len(progress.rounds)
        text = f"{fw.title}: {rounds} round{'' if rounds == 1 else 's'}."
        self.message.setText(text + (f" {summary}." if summary else "") + note)
        self.tabs.show()
        return True
