"""Tests for XTicks: an x axis' marks, gridlines and labels drawn exactly as matplotlib's axis."""

from __future__ import annotations

import numpy as np
import pytest
from chart_samples import STAGES, SYB_DOMAINS, syb_radar
from matplotlib import axis as maxis
from matplotlib.axes import Axes

from matrix_desktop.charts import style
from matrix_desktop.charts.axis_ticks import XTicks, shown_ticks
from matrix_desktop.charts.export import figure_to_png
from matrix_desktop.charts.lean_axes import LeanAxes
from matrix_desktop.charts.pdf import chart_drawing
from matrix_desktop.charts.reportlab_backend import PathOp, figure_to_vector
from matrix_desktop.core.chart_models import StageComparison, VoteSpread


def _counted(lean: bool):
    """An integer count axis with an axis label, as the vote chart has."""
    with style.chart_context():
        fig = style.new_figure(6, 2.5)
        ax = fig.add_axes((0.2, 0.3, 0.7, 0.6), axes_class=LeanAxes if lean else Axes)
        ax.barh([0, 1], [7, 3])
        ax.set_yticks([])
        ax.set_xlim(0, 7)
        ax.xaxis.get_major_locator().set_params(integer=True)
        if lean:
            ax.add_artist(
                XTicks(ax, *shown_ticks(ax, 0, 7), axis_label="participants", axis_label_size=8)
            )
            ax.xaxis.set_visible(False)
        else:
            ax.set_xlabel("participants", fontsize=8)
    return fig


def _named(lean: bool):
    """Named ticks with gridlines and smaller labels, as the comparison chart has."""
    with style.chart_context():
        fig = style.new_figure(6, 2.5)
        ax = fig.add_axes((0.2, 0.3, 0.7, 0.6), axes_class=LeanAxes if lean else Axes)
        ax.plot([1, 2, 3, 4], [0, 1, 0, 1], marker="o", linestyle="none")
        ax.set_xlim(0.6, 4.4)
        if lean:
            ax.add_artist(
                XTicks(
                    ax,
                    [1, 2, 3, 4],
                    list(STAGES),
                    labelsize=8,
                    grid=True,
                    grid_colour=style.GRID,
                    grid_linewidth=0.6,
                )
            )
            ax.xaxis.set_visible(False)
        else:
            ax.tick_params(axis="x", labelsize=8)
            ax.grid(True, axis="x", color=style.GRID, linewidth=0.6)
            ax.set_xticks([1, 2, 3, 4], labels=list(STAGES))
    return fig


@pytest.mark.parametrize("make", [_counted, _named])
def test_ticks_draw_the_same_pixels_as_the_axis(make):
    axis = np.frombuffer(figure_to_png(make(False), 100), dtype=np.uint8)
    lean = np.frombuffer(figure_to_png(make(True), 100), dtype=np.uint8)
    assert np.array_equal(axis, lean)


@pytest.mark.parametrize("make", [_counted, _named])
def test_ticks_print_the_same_shapes_and_text_as_the_axis(make):
    axis, lean = figure_to_vector(make(False)), figure_to_vector(make(True))
    assert _pieces(lean.ops) == _pieces(axis.ops)


def _pieces(ops) -> list[str]:  # type: ignore[no-untyped-def]
    """Every text and every subpath with its paint, in a stable order (a gridline per tick
    prints the same as one path of all gridlines)."""
    out = []
    for op in ops:
        if isinstance(op, PathOp):
            starts = [i for i, part in enumerate(op.code.split(" ")) if part == "m"]
            assert starts, op
            tokens = op.code.split(" ")
            cuts = [max(i - 2, 0) for i in starts] + [len(tokens)]
            for a, b in zip(cuts, cuts[1:], strict=False):
                out.append(repr((" ".join(tokens[a:b]), op.fill, op.stroke, op.line)))
        else:
            out.append(repr(op))
    return sorted(out)


def test_shown_ticks_are_the_locators_inside_the_limits():
    fig = _counted(True)
    (ticks,) = [a for a in fig.axes[0].get_children() if isinstance(a, XTicks)]
    assert ticks.get_texts() == ["0", "1", "2", "3", "4", "5", "6", "7"]
    assert list(ticks.positions) == list(range(8))
    assert ticks.axis_label.get_text() == "participants"


def test_report_charts_are_built_and_printed_without_a_tick(monkeypatch):
    made: list[object] = []
    original = maxis.Tick.__init__

    def counting(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        made.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(maxis.Tick, "__init__", counting)
    spread = VoteSpread("Votes", SYB_DOMAINS[:3], STAGES, ((1, 2, 0, 1),) * 3, (2, None, 1))
    for model in (StageComparison(syb_radar()), spread):
        chart = chart_drawing(model, 480.0, 560.0)
        assert "participants" in chart.texts() or "Emerging" in chart.texts()
    assert made == []


def test_ticks_need_a_label_each():
    with style.chart_context():
        ax = style.new_figure(3, 2).add_axes((0.1, 0.1, 0.8, 0.8))
        with pytest.raises(ValueError, match="one label per tick"):
            XTicks(ax, [1, 2], ["one"])
