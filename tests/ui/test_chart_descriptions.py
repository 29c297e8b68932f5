"""Every chart on screen has a text alternative carrying its values, kept up to date: the live
radar as stages change, the entity's trend, the comparison and single-view heatmaps."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible

from matrix_desktop.core.chart_models import RadarChart, RadarSeries
from matrix_desktop.ui.chart_canvas import RadarView
from matrix_desktop.ui.workshop.screen import AssessmentScreen

STAGES = ("Emerging", "Developing", "Maturing", "Thriving")


def _said(widget) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """The name and description a screen reader gets for widget."""
    iface = QAccessible.queryAccessibleInterface(widget)
    return iface.text(QAccessible.Text.Name), iface.text(QAccessible.Text.Description)


def test_a_radar_says_its_values_and_follows_a_live_update(qtbot):
    view = RadarView(name="Live radar")
    qtbot.addWidget(view)
    view.resize(500, 500)
    view.show()
    chart = RadarChart(
        "",
        ("1", "2"),
        STAGES,
        (RadarSeries("This assessment", (2.0, None)), RadarSeries("Previous round", (1.0, 1.0))),
    )
    view.set_chart(chart, ["1. Leadership", "2. Governance"])
    name, said = _said(view.canvas)
    assert name == "Live radar"
    assert "1. Leadership: Developing (Previous round: Emerging)" in said
    assert "2. Governance: not assessed (Previous round: Emerging)" in said
    view.update_series(0, (2.0, 4.0))  # blitted, no full redraw: the text follows all the same
    assert "2. Governance: Thriving (Previous round: Emerging)" in _said(view.canvas)[1]
    assert view.accessibleDescription() == view.canvas.accessibleDescription()


def test_the_workshop_radar_says_the_stage_just_chosen(qtbot, ctx, services, place, syb, answers):
    ctx.set_services(services)
    aid = services.assessments.create(place.id, syb, "2021/22 Q2", participants=[("", "")]).id
    screen = AssessmentScreen(ctx, aid, undo_keys=True)
    qtbot.addWidget(screen)
    screen.resize(1366, 768)
    screen.show()
    qtbot.waitExposed(screen)
    screen.activateWindow()
    qtbot.waitUntil(screen.isActiveWindow)
    first = screen.state.scored[0]
    canvas = screen.radar.view.canvas
    assert f"{first.number}. {first.title}: not assessed" in _said(canvas)[1]
    screen.domains.setFocus()
    qtbot.keyClick(screen.domains, Qt.Key.Key_3)
    stage = syb.stage_at(3).name
    assert f"{first.number}. {first.title}: {stage}" in _said(canvas)[1]
    assert answers == []


def test_the_entity_trend_and_the_heatmaps_say_their_values(qtbot, services):
    from matrix_desktop.core.framework import EntityKind
    from matrix_desktop.ui.compare import CompareWidget
    from matrix_desktop.ui.progress import ProgressPanel
    from matrix_desktop.ui.single_view import SingleViewWidget

    entity = next(  # a place: SYB ICS's own self-assessment is against another framework
        e
        for e in services.catalog.entities()
        if services.assessments.counts_by_entity().get(e.id)
        and e.kind is EntityKind.PLACE_PARTNERSHIP
    )
    panel = ProgressPanel()
    qtbot.addWidget(panel)
    assert panel.show_entity(services, entity.id)
    trend = panel.progress.trend()
    said = _said(panel.trend.canvas)[1]
    domain = trend.domains[0]
    assert f"{domain}: {trend.rounds[0]} " in said and len(said) > 200

    system = services.catalog.systems()[0].id
    single = SingleViewWidget(services, system)
    qtbot.addWidget(single)
    said = _said(single.heatmap.canvas)[1]
    assert f"{entity.name} (" in said and "Developing" in said

    compare = CompareWidget(services, system)
    qtbot.addWidget(compare)
    compare.kind.setCurrentIndex(compare.kind.findData(EntityKind.PLACE_PARTNERSHIP))
    compare.select_all.click()
    compare.tabs.setCurrentWidget(compare.heatmap)
    assert compare.comparison.comparable
    said = _said(compare.heatmap.canvas)[1]
    assert said.startswith("Comparison: stage by domain. ") and "Developing" in said
