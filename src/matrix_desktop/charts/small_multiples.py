"""Small-multiple radars: one small radar per entity in a grid, axes numbered by domain."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.projections.polar import PolarAxes

from matrix_desktop.charts import style
from matrix_desktop.charts.radar import closed_values, thetas
from matrix_desktop.core.chart_models import RadarChart

CELL_IN = 2.6


def build_small_multiples(charts: Sequence[RadarChart], columns: int = 3) -> Figure:
    """Return one Figure with a small radar per chart (first series each), numbered axes.

    Domain names would not fit at this size, so axes carry the domain number; the document
    printing the figure lists the numbers.
    """
    with style.chart_context():
        if not charts:
            return style.nothing_to_show(style.new_figure(6, 2), "no entity has a radar")
        columns = max(1, min(columns, len(charts)))
        rows = math.ceil(len(charts) / columns)
        width, height = CELL_IN * columns, (CELL_IN + 0.35) * rows
        fig = style.new_figure(width, height)
        look = style.series_style(0)
        for i, chart in enumerate(charts):
            row, col = divmod(i, columns)
            k, n = len(chart.domains), len(chart.stages)
            x0 = (col * CELL_IN + 0.45) / width
            y0 = 1 - ((row + 1) * (CELL_IN + 0.35) - 0.25) / height
            ax = fig.add_axes((x0, y0, (CELL_IN - 0.9) / width, (CELL_IN - 0.9) / height),
                              projection="polar")
            assert isinstance(ax, PolarAxes)
            ax.set_title(style.wrap(chart.title, 30, 2), fontsize=8, pad=14)
            if k == 0 or n == 0:
                ax.set_axis_off()
                continue
            ax.set_theta_offset(math.pi / 2)
            ax.set_theta_direction(-1)
            ax.set_ylim(0, n)
            ax.set_xticks(thetas(k)[:-1], labels=[str(d + 1) for d in range(k)])
            ax.tick_params(axis="x", labelsize=6, pad=-1)
            ax.set_yticks(np.arange(1, n + 1), labels=[""] * n)
            ax.grid(True, color=style.GRID, linewidth=0.5)
            ax.spines["polar"].set_color(style.GRID)
            if chart.threshold is not None and 1 <= chart.threshold <= n:
                circle = np.linspace(0, 2 * math.pi, 121)
                ax.plot(circle, np.full_like(circle, float(chart.threshold)),
                        color=style.THRESHOLD_COLOUR, linewidth=1.2, linestyle=":")
            if chart.series:
                values = closed_values(chart.series[0].values, k, n)
                ax.plot(thetas(k), values, color=look.colour, linewidth=1.4, marker=look.marker,
                        markersize=2.5)
                ax.fill(thetas(k), np.nan_to_num(values), color=look.colour, alpha=0.15,
                        linewidth=0)
    return fig
