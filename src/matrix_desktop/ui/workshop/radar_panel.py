"""The live radar beside the matrix: this assessment, last round, the room's spread."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QVBoxLayout, QWidget

from matrix_desktop.core.chart_models import Band, RadarChart, StageValue
from matrix_desktop.core.workshop import RadarOptions
from matrix_desktop.ui.chart_canvas import RadarView


class RadarPanel(QWidget):
    """A RadarView with switches; moves series 0 by blitting when only its values changed."""

    options_changed = Signal(object)  # RadarOptions

    def __init__(self, options: RadarOptions, parent: QWidget | None = None):
        super().__init__(parent)
        self.view = RadarView(self, name="Live radar")
        self.view.setMinimumSize(240, 260)
        self.previous = QCheckBox("Previo&us round", self)
        self.previous.setAccessibleName("Show previous round on the radar")
        self.previous.setChecked(options.previous)
        self.spread = QCheckBox("Spread &of views", self)
        self.spread.setAccessibleName("Show the spread of the room's views on the radar")
        self.spread.setChecked(options.spread)
        switches = QHBoxLayout()
        switches.addWidget(self.previous)
        switches.addWidget(self.spread)
        switches.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addLayout(switches)
        self.previous.toggled.connect(self._on_switch_toggled)
        self.spread.toggled.connect(self._on_switch_toggled)

    @property
    def options(self) -> RadarOptions:
        return RadarOptions(previous=self.previous.isChecked(), spread=self.spread.isChecked())

    def show_chart(self, chart: RadarChart, domain_names: Sequence[str] | None = None) -> None:
        """Draw the chart: blit series 0 if nothing else changed, else a full redraw.

        domain_names: the full names of the numbered axes, for the chart's text alternative.
        """
        current = self.view.chart
        if current is not None and _same_frame(current, chart):
            old, new = current.series[0], chart.series[0]
            if old != new:
                self.move_live(new.values, new.band)
            return
        self.view.set_chart(chart, domain_names)  # numbered axes: the list beside names them

    def move_live(self, values: Sequence[StageValue], band: Sequence[Band] | None) -> None:
        """Move this assessment's series at once (blitted)."""
        self.view.update_series(0, values, band)

    def _on_switch_toggled(self, _checked: bool) -> None:
        self.options_changed.emit(self.options)


def _same_frame(a: RadarChart, b: RadarChart) -> bool:
    """True when only series 0's values or band differ (so blitting is enough)."""
    if (
        (a.title, a.domains, a.stages, a.threshold, a.threshold_label)
        != (b.title, b.domains, b.stages, b.threshold, b.threshold_label)
        or len(a.series) != len(b.series)
        or not a.series
    ):
        return False
    if a.series[1:] != b.series[1:] or a.series[0].label != b.series[0].label:
        return False
    return (a.series[0].band is None) == (b.series[0].band is None)
