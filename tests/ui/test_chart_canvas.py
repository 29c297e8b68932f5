"""GUI tests for the chart canvases: full draw, blitted updates, resize, export and the menu."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QGuiApplication, QImage

from matrix_desktop.charts.heatmap import build_heatmap
from matrix_desktop.core.chart_models import Heatmap, HeatmapRow, RadarChart, RadarSeries
from matrix_desktop.ui.chart_canvas import ChartView, RadarView

DOMAINS = ("Purpose and Vision", "Leadership", "Governance", "Financial framework", "Estates")
STAGES = ("Emerging", "Developing", "Maturing", "Thriving")


def chart() -> RadarChart:
    return RadarChart(
        "Doncaster",
        DOMAINS,
        STAGES,
        (
            RadarSeries("Self", (1.0, 2.0, 3.0, 2.0, 1.0), ((1.0, 2.0),) * 5),
            RadarSeries("Peer", (2.0, 2.0, None, 3.0, 2.0)),
        ),
        3,
        "Maturing: minimum for ICS designation",
    )


def grab(view: RadarView) -> np.ndarray:
    image = view.canvas.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    pointer = image.constBits()
    return np.frombuffer(pointer, dtype=np.uint8).reshape(image.height(), -1).copy()


@pytest.fixture
def radar_view(qtbot) -> RadarView:
    view = RadarView()
    qtbot.addWidget(view)
    view.resize(700, 700)
    view.show()
    qtbot.waitExposed(view)
    view.set_chart(chart())
    return view


def test_update_series_blits_new_values_on_screen(radar_view, qtbot, monkeypatch):
    before = grab(radar_view)
    blits = []
    real_blit = radar_view.canvas.blit
    monkeypatch.setattr(
        radar_view.canvas, "blit", lambda bbox=None: (blits.append(bbox), real_blit(bbox))
    )
    radar_view.update_series(1, (4.0, 4.0, 4.0, 4.0, 4.0))  # first update: caches background
    draws = radar_view.full_draws
    radar_view.update_series(1, (3.0, 4.0, 4.0, 4.0, 4.0))
    radar_view.update_series(1, (4.0, 4.0, 4.0, 4.0, 4.0))
    assert radar_view.full_draws == draws, "later updates must blit, not redraw everything"
    assert len(blits) == 2
    after = grab(radar_view)
    assert before.shape == after.shape
    assert (before != after).any()
    assert np.allclose(radar_view.artists.lines[1].get_ydata(), 4.0)
    assert radar_view.chart.series[1].values == (4.0,) * 5
    assert radar_view.chart.series[0].values == (1.0, 2.0, 3.0, 2.0, 1.0)


def test_blitted_image_matches_a_full_redraw(radar_view, qtbot):
    radar_view.update_series(0, (4.0, 3.0, 4.0, 3.0, 4.0), ((3.0, 4.0),) * 5)
    radar_view.update_series(0, (4.0, 4.0, 4.0, 3.0, 4.0), ((3.0, 4.0),) * 5)
    blitted = grab(radar_view)
    fresh = RadarView()
    qtbot.addWidget(fresh)
    fresh.resize(radar_view.size())
    fresh.show()
    qtbot.waitExposed(fresh)
    updated = radar_view.chart
    fresh.set_chart(updated)
    # the live series is drawn last (on top); compare where that cannot matter: pixel counts
    difference = (
        (blitted != grab(fresh)).any(axis=-1) if blitted.ndim == 3 else blitted != grab(fresh)
    )
    assert difference.mean() < 0.01


def test_resize_refreshes_the_background(radar_view, qtbot):
    radar_view.update_series(1, (4.0,) * 5)
    radar_view.update_series(1, (3.0,) * 5)
    assert radar_view._background is not None
    old_background = radar_view._background
    radar_view.resize(500, 400)

    def refreshed() -> bool:
        background = radar_view._background
        width = radar_view.canvas.get_width_height(physical=True)[0]
        return (
            background is not None
            and background is not old_background
            and (background.get_extents()[2] == width)
        )

    qtbot.waitUntil(refreshed)
    radar_view.update_series(1, (2.0,) * 5)
    assert np.allclose(radar_view.artists.lines[1].get_ydata(), 2.0)


def test_update_before_chart_or_bad_index_raises(qtbot):
    view = RadarView()
    qtbot.addWidget(view)
    with pytest.raises(RuntimeError):
        view.update_series(0, (1.0,))
    view.set_chart(chart())
    with pytest.raises(IndexError):
        view.update_series(5, (1.0,))


def test_context_menu_saves_and_copies(radar_view, tmp_path, monkeypatch):
    menu = radar_view.context_menu()
    actions = [a.text() for a in menu.actions()]
    assert actions == ["Save as PNG\u2026", "Save as SVG\u2026", "Copy to clipboard"]
    monkeypatch.setattr(
        radar_view, "ask_save_path", lambda caption, _filter, suffix: tmp_path / f"radar{suffix}"
    )
    monkeypatch.setattr(radar_view, "ask_dpi", lambda: 300)
    menu.actions()[0].trigger()
    menu.actions()[1].trigger()
    assert (tmp_path / "radar.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from PySide6.QtGui import QImage

    at_300 = QImage(str(tmp_path / "radar.png"))
    assert at_300.dotsPerMeterX() == round(300 / 0.0254)  # the chosen resolution
    assert b"Governance" in (tmp_path / "radar.svg").read_bytes()
    menu.actions()[2].trigger()
    copied = QGuiApplication.clipboard().image()
    assert not copied.isNull() and copied.width() > 100
    monkeypatch.setattr(radar_view, "ask_save_path", lambda *a: None)
    assert radar_view.save_png_interactively() is None


def test_widgets_have_accessible_names(radar_view):
    assert radar_view.accessibleName() == "Radar chart"
    assert radar_view.canvas.accessibleName() == "Radar chart"  # the Tab stop: the chart
    assert "Leadership: Developing (Peer: Developing" in radar_view.canvas.accessibleDescription()


def test_chart_view_shows_a_built_figure_at_natural_size(qtbot, tmp_path):
    view = ChartView(name="Single view heatmap")
    qtbot.addWidget(view)
    figure = build_heatmap(
        Heatmap(
            "Single view", DOMAINS, (HeatmapRow("Doncaster", "Place", (1, 2, 3, 4, None)),), STAGES
        )
    )
    view.set_figure(figure)
    assert view.figure is figure and figure.canvas is view.canvas
    width, height = figure.get_size_inches() * figure.dpi
    assert view.canvas.width() == pytest.approx(width / view.canvas.device_pixel_ratio, abs=1)
    assert view.save_png(tmp_path / "h.png", dpi=50).stat().st_size > 1000
    with pytest.raises(TypeError):
        RadarView().set_figure(figure)


def test_hovering_a_shortened_radar_label_names_the_domain(qtbot):
    from matplotlib.backend_bases import MouseEvent

    from matrix_desktop.core.chart_models import RadarChart, RadarSeries

    names = tuple(f"Domain {i} with a long name about integrated care" for i in range(13))
    view = RadarView(name="Radar")
    qtbot.addWidget(view)
    view.resize(400, 420)
    view.show()
    qtbot.waitExposed(view)
    view.set_chart(RadarChart("t", names, ("A", "B", "C", "D"), (RadarSeries("s", (2.0,) * 13),)))
    view.canvas.draw()
    label = view.artists.domain_labels[3]
    assert label.get_text().replace("\n", " ") != names[3]  # cut short to fit 400 px
    box = label.get_window_extent()
    x, y = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
    assert view.label_at(x, y) == names[3]
    view._on_canvas_motion(MouseEvent("motion_notify_event", view.canvas, x, y))
    assert view.label_at(1, 1) is None
