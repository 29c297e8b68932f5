"""Stages compared: one row per domain, a marker per series (self, peer, last round) on one axis.

A dot plot of the same view-model as the radar, for print: exact stages are easier to read
along a line than around a circle, and one axes draws far faster than a grid of small ones.
"""

from __future__ import annotations

import numpy as np
from matplotlib.artist import Artist
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.transforms import offset_copy

from matrix_desktop.charts import style
from matrix_desktop.charts.axis_ticks import XTicks
from matrix_desktop.charts.cached_text import LabelBatch
from matrix_desktop.charts.key_row import KeyRow
from matrix_desktop.charts.lean_axes import LeanAxes
from matrix_desktop.charts.radar import closed_values
from matrix_desktop.core.chart_models import RadarChart

ROW_IN = 0.32


def build_comparison(chart: RadarChart) -> Figure:
    """Return a Figure with a row per domain and a marker per series at its stage."""
    k, n = len(chart.domains), len(chart.stages)
    with style.chart_context():
        if k == 0 or n == 0 or not chart.series:
            why = "no domains" if k == 0 else "no stages" if n == 0 else "no scores recorded"
            return style.nothing_to_show(style.new_figure(8, 2.5), why, chart.title)
        width, label_in = 9.0, 2.6
        height = 0.9 + k * ROW_IN + 0.6
        fig = style.new_figure(width, height)
        fig.suptitle(style.wrap(chart.title, 90, 1), fontsize=11, y=1 - 0.12 / height, va="top")
        ax = fig.add_axes(
            (
                label_in / width,
                0.75 / height,
                (width - label_in - 0.4) / width,
                (height - 1.35) / height,
            ),
            axes_class=LeanAxes,  # no Tick objects for the y axis, which shows none
        )
        y = np.arange(k)
        offsets = np.linspace(-0.22, 0.22, len(chart.series)) if len(chart.series) > 1 else [0]
        keyed: list[Artist] = []
        for index, series in enumerate(chart.series):
            look = style.series_style(index)
            values = closed_values(series.values, k, n)[:-1]
            (line,) = ax.plot(
                values,
                y + offsets[index],
                linestyle="none",
                marker=look.marker,
                markersize=9,
                color=look.colour,
                markeredgecolor="white",
                markeredgewidth=0.6,
                label=style.wrap(series.label, 40, 2),
                gid=f"series-{index}",
            )
            keyed.append(line)
        if chart.threshold is not None and 1 <= chart.threshold <= n:
            threshold = ax.axvline(
                chart.threshold,
                color=style.THRESHOLD_COLOUR,
                linestyle=":",
                linewidth=1.6,
                label=chart.threshold_label or "threshold",
            )
            keyed.append(threshold)
        # The domain names as one batch of labels left of the axes (not a tick each).
        ax.set_yticks([])
        ax.yaxis.set_visible(False)  # it shows nothing: spare its ticks when laying out
        ax.add_artist(
            LabelBatch(
                np.zeros(k),
                y,
                [style.wrap(name, 40, 2) for name in chart.domains],
                fontsize=7.5,
                ha="right",
                va="center_baseline",  # as matplotlib places a y tick label
                ma="right",
                transform=offset_copy(ax.get_yaxis_transform(), fig=fig, x=-3.5, units="points"),
                gid="domain-labels",
            )
        )
        ax.set_ylim(k - 0.5, -0.5)
        ax.set_xlim(0.6, n + 0.4)
        # A tick and a gridline per stage, as one artist (see axis_ticks).
        ax.add_artist(
            XTicks(
                ax,
                np.arange(1, n + 1),
                list(chart.stages),
                labelsize=8,
                grid=True,
                grid_colour=style.GRID,
                grid_linewidth=0.6,
            )
        )
        ax.xaxis.set_visible(False)
        # Every other row shaded, as one collection across the axes' width.
        stripes = [[(0, i - 0.5), (1, i - 0.5), (1, i + 0.5), (0, i + 0.5)] for i in range(0, k, 2)]
        ax.add_collection(
            PolyCollection(
                stripes,
                facecolors="#f3f3f3",
                linewidths=0,
                zorder=0,
                transform=ax.get_yaxis_transform(),
                gid="row-stripes",
            ),
            autolim=False,
        )
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        # The key as one artist laid out like a fig.legend (see key_row).
        fig.add_artist(
            KeyRow(
                keyed,
                fontsize=7.5,
                ncols=min(len(chart.series) + 1, 4),
                anchor=(0.5, 0.0),
                gid="key",
            )
        )
    return fig
