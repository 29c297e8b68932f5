"""Tests for LeanAxes: ticks made only on demand, drawn exactly as a plain Axes draws them."""

from __future__ import annotations

import numpy as np
import pytest
from chart_samples import syb_radar
from matplotlib import axis as maxis
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from matrix_desktop.charts import radar, style
from matrix_desktop.charts.export import figure_to_png
from matrix_desktop.charts.lean_axes import LeanAxes
from matrix_desktop.charts.pdf import chart_drawing


@pytest.fixture
def ticks_made(monkeypatch):
    """Count the Tick objects made while the test runs."""
    made: list[maxis.Tick] = []
    original = maxis.Tick.__init__

    def counting(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        made.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(maxis.Tick, "__init__", counting)
    return made


def _ticked_figure(axes_class: type[Axes]) -> Figure:
    """A small chart using what the house charts use: grid, tick looks, tick labels, limits."""
    with style.chart_context():
        fig = style.new_figure(4, 3)
        ax = fig.add_axes((0.15, 0.2, 0.8, 0.7), axes_class=axes_class)
        ax.plot([0, 1, 2, 3], [2, 0, 3, 1], marker="o")
        ax.tick_params(axis="x", labelsize=8, colors="#aa3300")
        ax.grid(True, axis="x", color=style.GRID, linewidth=0.6)
        ax.set_xticks([0.5, 1.5, 2.5], labels=["one", "two", "three"])
        ax.set_yticks([])
        ax.set_xlim(-0.5, 3.5)
        ax.set_xlabel("participants", fontsize=8)
        ax.xaxis.get_major_ticks()
    return fig


def test_a_new_lean_axes_makes_no_ticks(ticks_made):
    fig = Figure()
    ax = fig.add_axes((0.1, 0.1, 0.8, 0.8), axes_class=LeanAxes)
    ax.grid(False)
    ax.set_axis_off()
    FigureCanvasAgg(fig).draw()
    assert ticks_made == []


def test_radar_is_built_and_printed_without_a_tick(ticks_made):
    chart = syb_radar()
    figure_to_png(radar.build_radar(chart), 60)
    chart_drawing(chart, 424.0, 441.0)
    assert ticks_made == []


def test_lean_axes_draws_its_ticks_exactly_as_a_plain_axes():
    plain = np.frombuffer(figure_to_png(_ticked_figure(Axes), 100), dtype=np.uint8)
    lean = np.frombuffer(figure_to_png(_ticked_figure(LeanAxes), 100), dtype=np.uint8)
    assert np.array_equal(plain, lean)


def test_ticks_made_late_take_the_looks_and_clip_set_before():
    fig = _ticked_figure(LeanAxes)
    ax = fig.axes[0]
    ticks = ax.xaxis.get_major_ticks()
    assert [t.label1.get_text() for t in ticks] == ["one", "two", "three"]
    for tick in ticks:
        assert tick.label1.get_fontsize() == 8
        assert tick.tick1line.get_color() == "#aa3300"
        assert tick.gridline.get_visible()
        assert tick.gridline.get_linewidth() == 0.6
        # the gridline is clipped to the axes, as a plain Axes clips it
        assert tick.gridline.get_clip_box() is not None
    assert ax.yaxis.get_major_ticks() == []


def test_background_transform_is_kept_and_follows_the_axes():
    fig = Figure(figsize=(4, 3), dpi=100)
    plain = fig.add_axes((0.1, 0.1, 0.5, 0.5))
    lean = fig.add_axes((0.1, 0.1, 0.5, 0.5), axes_class=LeanAxes)
    assert lean.patch.get_transform() is lean.patch.get_transform()  # made once
    clipped = [ax.add_line(Line2D([0, 1], [0, 1])) for ax in (plain, lean)]
    for ax in (plain, lean):
        ax.set_position((0.3, 0.2, 0.6, 0.7))  # a clip box made earlier follows the axes
    boxes = [line.get_clip_box().get_points() for line in clipped]
    assert np.array_equal(boxes[0], boxes[1])
    assert np.allclose(boxes[1], [[120, 60], [360, 270]])
    before = lean.patch.get_transform()
    lean.patch.set_width(0.5)  # a changed rectangle gets a new transform
    assert lean.patch.get_transform() is not before
    assert np.allclose(lean.patch.get_extents().get_points(), [[120, 60], [240, 270]])
