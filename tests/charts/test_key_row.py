"""Tests for KeyRow: a chart's key drawn exactly where and as a frameless fig.legend draws it."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from matrix_desktop.charts import style
from matrix_desktop.charts.export import figure_to_png
from matrix_desktop.charts.key_row import KeyRow
from matrix_desktop.charts.reportlab_backend import figure_to_vector


def _handles() -> list:
    """Handles like the report charts': hatched and outlined patches, markers, a dotted line."""
    return [
        Patch(facecolor="#edf8b1", hatch="", edgecolor="white", label="Emerging"),
        Patch(facecolor="#7fcdbb", hatch="//", edgecolor="white", label="Developing"),
        Patch(fill=False, edgecolor=style.INK, linewidth=2.0, label="agreed stage"),
        Line2D(
            [],
            [],
            linestyle="none",
            marker="s",
            markersize=9,
            color="#E69F00",
            markeredgecolor="white",
            markeredgewidth=0.6,
            label="Peer review of a place with a long name\nsecond line",
        ),
        Line2D([], [], color="#000000", linestyle=":", linewidth=1.6, label="threshold"),
    ]


def _figure(key: bool, ncols: int, fontsize: float = 7.5):
    """A figure whose key is a fig.legend (key=False) or a KeyRow (key=True)."""
    with style.chart_context():
        fig = style.new_figure(6, 2.5)
        fig.add_axes((0.1, 0.4, 0.8, 0.5)).plot([0, 1], [1, 0])
        if key:
            fig.add_artist(KeyRow(_handles(), fontsize=fontsize, ncols=ncols, anchor=(0.5, 0.0)))
        else:
            fig.legend(
                handles=_handles(),
                loc="lower center",
                ncols=ncols,
                fontsize=fontsize,
                bbox_to_anchor=(0.5, 0.0),
            )
    return fig


@pytest.mark.parametrize("ncols", [5, 2])  # one row; three rows filled column by column
def test_key_draws_the_same_pixels_as_a_legend(ncols):
    legend = np.frombuffer(figure_to_png(_figure(False, ncols), 100), dtype=np.uint8)
    key = np.frombuffer(figure_to_png(_figure(True, ncols), 100), dtype=np.uint8)
    assert np.array_equal(legend, key)


def test_key_prints_the_same_shapes_and_text_as_a_legend():
    legend = figure_to_vector(_figure(False, 3))
    key = figure_to_vector(_figure(True, 3))
    assert key.ops == legend.ops
    assert "agreed stage" in key.texts() and "second line" in key.texts()


def test_key_lists_its_labels_and_swatches():
    fig = _figure(True, 5)
    (key,) = fig.findobj(KeyRow)
    assert key.get_texts() == [str(h.get_label()) for h in _handles()]
    swatches = key.get_children()
    assert swatches[1].get_hatch() == "//" and not swatches[2].get_fill()
    assert swatches[3].get_marker() == "s" and swatches[4].get_linestyle() == ":"


def test_key_refuses_a_handle_it_cannot_draw():
    with pytest.raises(TypeError, match="line or a patch"):
        KeyRow([object()], ["x"], fontsize=8)  # type: ignore[list-item]


def test_printed_radar_keys_as_its_legend_draws():
    from chart_samples import syb_radar

    from matrix_desktop.charts.pdf import print_figure
    from matrix_desktop.charts.radar import build_radar

    chart = syb_radar()
    shown = build_radar(chart, 6.0, 6.0)  # the screen's figure keeps its Legend
    printed = print_figure(chart, 432.0, 432.0)
    assert len(shown.legends) == 1 and not printed.legends
    (key,) = printed.findobj(KeyRow)
    assert key.get_texts() == [t.get_text() for t in shown.legends[0].get_texts()]
    same = [np.frombuffer(figure_to_png(f, 100), dtype=np.uint8) for f in (shown, printed)]
    assert np.array_equal(*same)
    assert figure_to_vector(printed).ops == figure_to_vector(build_radar(chart, 6.0, 6.0)).ops
