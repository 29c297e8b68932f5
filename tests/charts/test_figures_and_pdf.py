"""Every chart model to its Figure through one entry point, and charts as vector PDF drawings."""

from __future__ import annotations

import pytest
from chart_samples import syb_radar
from matplotlib.image import AxesImage

from matrix_desktop.charts.figures import build_figure
from matrix_desktop.charts.pdf import chart_drawing, figure_drawing
from matrix_desktop.core.chart_models import Heatmap, HeatmapRow, StageComparison

STAGES = ("Emerging", "Developing", "Maturing", "Thriving")
HEATMAP = Heatmap("SYB", ("A", "B", "C"), (HeatmapRow("Barnsley", "Place", (1, 2, None)),), STAGES)


def test_every_chart_model_has_a_figure_and_anything_else_is_refused():
    radar = syb_radar()
    for model in (radar, StageComparison(radar), HEATMAP, (radar, radar)):
        assert build_figure(model).axes
    with pytest.raises(TypeError, match="no chart for str"):
        build_figure("a radar, please")


def test_a_drawing_fits_the_width_and_the_height_allowed():
    drawing = chart_drawing(syb_radar(), 300, 1000)
    assert drawing.width == pytest.approx(300)
    short = chart_drawing(syb_radar(), 300, 100)
    assert short.height == pytest.approx(100) and short.width < 300


def test_an_image_becomes_vector_cells_and_a_hatched_bar_prints_in_its_colour():
    import numpy as np
    from matplotlib.collections import QuadMesh
    from matplotlib.figure import Figure

    fig = Figure(figsize=(3, 2))
    ax = fig.add_subplot()
    ax.imshow(np.arange(6.0).reshape(2, 3))
    (bar,) = ax.bar([0], [1], hatch="//", color="#e69f00")
    drawing = figure_drawing(fig, 400, 1000)  # the fast direct route, not the SVG fallback
    assert drawing.width == pytest.approx(400)
    assert not any(isinstance(a, AxesImage) for a in ax.get_children())
    assert any(isinstance(a, QuadMesh) for a in ax.get_children())
    assert any(  # the bar is filled in its colour (its hatching is not printed)
        abs(r - 0xE6 / 255) < 1e-3 and abs(g - 0x9F / 255) < 1e-3 and b < 1e-3
        for r, g, b, _a in drawing.fill_colours()
    )
