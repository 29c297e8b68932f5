"""Small-multiple radars: one small radar per entity in a grid, axes numbered by domain.

Drawn on one plain Axes with the geometry computed here: nine polar Axes cost matplotlib
several times more to build and draw than the few lines each small radar needs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from matrix_desktop.charts import style
from matrix_desktop.charts.radar import closed_values
from matrix_desktop.core.chart_models import RadarChart

CELL_IN = 2.6


def _unit_vectors(k: int) -> tuple[np.ndarray, np.ndarray]:
    """Return x, y of each domain axis: the first at the top, then clockwise."""
    angles = np.linspace(0.0, 2.0 * math.pi, k, endpoint=False)
    return np.sin(angles), np.cos(angles)


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
        fig = style.new_figure(CELL_IN * columns, (CELL_IN + 0.3) * rows)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, columns * 3.0)
        ax.set_ylim(-rows * 3.3, 0)
        ax.set_aspect("equal")
        ax.set_axis_off()
        look = style.series_style(0)
        grid_lines: list[np.ndarray] = []
        threshold_lines: list[np.ndarray] = []
        for i, chart in enumerate(charts):
            row, col = divmod(i, columns)
            cx, cy = col * 3.0 + 1.5, -row * 3.3 - 1.85
            ax.text(
                cx, cy + 1.42, style.wrap(chart.title, 34, 2), ha="center", va="bottom", fontsize=8
            )
            k, n = len(chart.domains), len(chart.stages)
            if k == 0 or n == 0:
                continue
            ux, uy = _unit_vectors(k)
            for ring in range(1, n + 1):
                r = ring / n
                grid_lines.append(
                    np.column_stack([cx + r * np.append(ux, ux[0]), cy + r * np.append(uy, uy[0])])
                )
            for d in range(k):
                grid_lines.append(np.array([[cx, cy], [cx + ux[d], cy + uy[d]]]))
                ax.text(
                    cx + 1.13 * ux[d],
                    cy + 1.13 * uy[d],
                    str(d + 1),
                    ha="center",
                    va="center",
                    fontsize=5.5,
                    color="#444444",
                )
            if chart.threshold is not None and 1 <= chart.threshold <= n:
                r = chart.threshold / n
                threshold_lines.append(
                    np.column_stack([cx + r * np.append(ux, ux[0]), cy + r * np.append(uy, uy[0])])
                )
            if chart.series:
                radii = closed_values(chart.series[0].values, k, n) / n
                xs = cx + radii * np.append(ux, ux[0])
                ys = cy + radii * np.append(uy, uy[0])
                ax.fill(
                    np.nan_to_num(xs, nan=cx),
                    np.nan_to_num(ys, nan=cy),
                    color=look.colour,
                    alpha=0.15,
                    linewidth=0,
                )
                ax.plot(
                    xs, ys, color=look.colour, linewidth=1.3, marker=look.marker, markersize=2.2
                )
        ax.add_collection(LineCollection(grid_lines, colors=style.GRID, linewidths=0.4, zorder=0))
        if threshold_lines:
            ax.add_collection(
                LineCollection(
                    threshold_lines,
                    colors=style.THRESHOLD_COLOUR,
                    linewidths=1.0,
                    linestyles=":",
                    zorder=1,
                )
            )
    return fig
