"""Compare screen: filter and tick assessments; see them on a radar, a heatmap and a table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from matrix_desktop.charts.heatmap import build_heatmap
from matrix_desktop.core.chart_text import describe_heatmap
from matrix_desktop.core.errors import MatrixError
from matrix_desktop.core.framework import EntityKind, FrameworkRef
from matrix_desktop.services.compare import CompareFilter, Comparison
from matrix_desktop.services.context import Services
from matrix_desktop.ui.chart_canvas import ChartView, RadarView
from matrix_desktop.ui.combos import add_items, combo_value
from matrix_desktop.ui.flow_layout import FlowLayout, captioned
from matrix_desktop.ui.keyboard import name_by_labels
from matrix_desktop.ui.table_model import text_table

if TYPE_CHECKING:
    from matrix_desktop.ui.context import AppContext

ID_ROLE = Qt.ItemDataRole.UserRole


def _combo(name: str, items: list[tuple[str, object]]) -> QComboBox:
    box = QComboBox(accessibleName=name)
    add_items(box, items)
    return box


class CompareWidget(QWidget):
    """Choose assessments by entity kind, framework version and round; compare the ticked ones.

    Embed: CompareWidget(services, system_id=None). Refresh with reload() after imports;
    given the AppContext (ctx=) it reloads itself whenever the context reloads.
    """

    compared = Signal()  # after every recomputation, for tests and status bars

    def __init__(
        self,
        services: Services,
        system_id: str | None = None,
        parent: QWidget | None = None,
        *,
        ctx: AppContext | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.system_id = system_id
        self.comparison: Comparison = Comparison(())
        self.setAccessibleName("Compare assessments")
        self._build()
        name_by_labels(self)
        self.reload()
        self._ctx = ctx
        if ctx is not None:  # a bound method: Qt drops the connection when the page goes
            ctx.reloaded.connect(self._on_ctx_reloaded)

    def _on_ctx_reloaded(self) -> None:
        """The database changed as a whole (restored, reopened, imported): list afresh."""
        services = self._ctx.services if self._ctx is not None else None
        if services is None:
            return
        self.services = services
        self.reload()

    def _build(self) -> None:
        kinds = [("All kinds", None)] + [(k.label, k) for k in EntityKind]
        self.kind = _combo("Entity kind", kinds)
        versions = [("All framework versions", None)] + [
            (fw.title, fw.ref) for fw in self.services.catalog.frameworks()
        ]
        self.framework = _combo("Framework version", versions)
        rounds = [("All rounds", None)] + [(r.name, r.id) for r in self.services.catalog.rounds()]
        self.round = _combo("Round", rounds)
        self.final_only = QComboBox(accessibleName="Status")
        self.final_only.addItems(["Final and draft", "Final only"])
        filters = QWidget()
        flow = FlowLayout(filters, spacing=12)  # a second row on a narrow window, not a wider one
        for label, box in (
            ("&Kind", self.kind),
            ("Frame&work", self.framework),
            ("R&ound", self.round),
            ("&Status", self.final_only),
        ):
            flow.addWidget(captioned(label, box))
            box.currentIndexChanged.connect(self._on_filter_currentIndexChanged)

        self.choices = QListWidget(accessibleName="Assessments to compare")
        self.choices.itemChanged.connect(self._on_choices_itemChanged)
        self.choices.setWordWrap(True)  # the whole name and round, not cut off at the edge
        self.choices.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.select_all = QPushButton("Select a&ll", accessibleName="Select all assessments")
        self.clear = QPushButton("&Clear", accessibleName="Clear the selection")
        self.select_all.clicked.connect(lambda: self._set_all(Qt.CheckState.Checked))
        self.clear.clicked.connect(lambda: self._set_all(Qt.CheckState.Unchecked))
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.choices)
        buttons = QHBoxLayout()
        buttons.addWidget(self.select_all)
        buttons.addWidget(self.clear)
        side_layout.addLayout(buttons)

        self.message = QLabel(accessibleName="Comparison message")
        self.message.setWordWrap(True)
        self.radar = RadarView(name="Comparison radar")
        self.heatmap = ChartView(name="Comparison heatmap")
        self.table, self.table_model = text_table("Comparison table")
        self.tabs = QTabWidget(accessibleName="Comparison views")
        self.tabs.addTab(self.table, "&Table")
        self.tabs.addTab(self.radar, "Ra&dar")
        self.tabs.addTab(self.heatmap, "Heat&map")
        self.tabs.currentChanged.connect(lambda _i: self._draw_charts())
        results = QWidget()
        results_layout = QVBoxLayout(results)
        results_layout.setContentsMargins(0, 0, 0, 0)
        results_layout.addWidget(self.message)
        results_layout.addWidget(self.tabs)

        split = QSplitter()
        split.addWidget(side)
        split.addWidget(results)
        split.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(filters)
        layout.addWidget(split, 1)

    # -- choosing -----------------------------------------------------------------------
    def current_filter(self) -> CompareFilter:
        rnd = combo_value(self.round, str)
        fw = self.framework.currentData()
        return CompareFilter(
            system_id=self.system_id,
            entity_kind=combo_value(self.kind, EntityKind),
            framework=fw if isinstance(fw, FrameworkRef) else None,
            round_ids=(rnd,) if rnd else None,
            final_only=self.final_only.currentIndex() == 1,
        )

    def reload(self) -> None:
        """List the assessments the filters allow, keeping ticks where they still apply."""
        ticked = set(self.checked_ids())
        heads = self.services.compare.candidates(self.current_filter())
        self.choices.blockSignals(True)
        self.choices.clear()
        for h in heads:
            status = "" if h.is_final else " (draft)"
            item = QListWidgetItem(f"{h.entity_name}, {h.round_name}{status}")
            item.setData(ID_ROLE, h.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if h.id in ticked else Qt.CheckState.Unchecked)
            item.setToolTip(f"{h.title} ({h.framework.key} {h.framework.version})")
            self.choices.addItem(item)
        self.choices.blockSignals(False)
        self.recompute()

    def checked_ids(self) -> list[str]:
        return [
            self.choices.item(i).data(ID_ROLE)
            for i in range(self.choices.count())
            if self.choices.item(i).checkState() == Qt.CheckState.Checked
        ]

    def check(self, assessment_ids: list[str]) -> None:
        """Tick exactly these assessments (those the filters show) and compare them."""
        wanted = set(assessment_ids)
        self.choices.blockSignals(True)
        for i in range(self.choices.count()):
            item = self.choices.item(i)
            on = item.data(ID_ROLE) in wanted
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self.choices.blockSignals(False)
        self.recompute()

    def _set_all(self, state: Qt.CheckState) -> None:
        self.check(
            []
            if state == Qt.CheckState.Unchecked
            else [self.choices.item(i).data(ID_ROLE) for i in range(self.choices.count())]
        )

    # -- comparing ----------------------------------------------------------------------
    def recompute(self) -> None:
        try:
            self.comparison = self.services.compare.compare(self.checked_ids())
        except MatrixError as exc:
            self.comparison = Comparison(())
            self.message.setText(str(exc))
        else:
            self.message.setText(self.comparison.message)
        if self.comparison.comparable:
            headers, rows = self.comparison.table()
        else:
            headers, rows = (
                ("Assessment", "Framework version"),
                tuple(
                    (i.label, f"{i.head.framework.key} {i.head.framework.version}")
                    for i in self.comparison.items
                ),
            )
        self.table_model.set_rows(headers, rows)
        self._draw_charts()
        self.compared.emit()

    def _draw_charts(self) -> None:
        # Only the visible chart is drawn; the other waits until its tab is chosen.
        if not self.comparison.comparable:
            return
        if self.tabs.currentWidget() is self.radar:
            self.radar.set_chart(self.comparison.radar("Comparison"))
        elif self.tabs.currentWidget() is self.heatmap:
            heatmap = self.comparison.heatmap("Comparison")
            self.heatmap.set_figure(build_heatmap(heatmap), describe_heatmap(heatmap))

    # -- slots --------------------------------------------------------------------------
    def _on_filter_currentIndexChanged(self, _index: int) -> None:
        self.reload()

    def _on_choices_itemChanged(self, _item: QListWidgetItem) -> None:
        self.recompute()
