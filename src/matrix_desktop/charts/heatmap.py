"""Heatmap: entities by domains, the stage name (or self-minus-peer difference) written in each cell."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from matrix_desktop.charts import style
from matrix_desktop.charts.cell_labels import CellLabels
from matrix_desktop.core.chart_models import Heatmap, HeatmapRow

NOT_ASSESSED_TEXT = "\u2013"  # en dash; the legend says what it means
CELL_WIDTH_IN = 0.82
CELL_HEIGHT_IN = 0.3
MAX_WIDTH_IN = 40.0


def _row_values(row: HeatmapRow, count: int) -> list[float]:
    out = []
    for i in range(count):
        value = row.values[i] if i < len(row.values) else None
        try:
            number = math.nan if value is None else float(value)
        except (TypeError, ValueError):
            number = math.nan
        out.append(number if math.isfinite(number) else math.nan)
    return out


def _colours(heatmap: Heatmap) -> tuple[tuple[str, ...], np.ndarray]:
    """Return the colour per class and the class boundaries for the heatmap's mode."""
    n = len(heatmap.stages)
    if heatmap.mode == "difference":
        span = max(n - 1, 1)
        steps = 2 * span + 1
        colours = style.sample(style.DIVERGING, steps)
        return colours, np.arange(-span - 0.5, span + 1.0, 1.0)
    colours = style.sample(style.SEQUENTIAL[1:], n)
    return colours, np.arange(0.5, n + 1.0, 1.0)


def _cell_text(heatmap: Heatmap, value: float) -> str:
    if math.isnan(value):
        return NOT_ASSESSED_TEXT
    if heatmap.mode == "difference":
        return style.signed(value)
    return style.stage_name(heatmap.stages, value)


def build_heatmap(heatmap: Heatmap) -> Figure:
    """Return a Figure of the heatmap, rows in the given order (see core ordering helpers)."""
    rows, k = heatmap.rows, len(heatmap.domains)
    with style.chart_context():
        if k == 0 or not rows or not heatmap.stages:
            fig = style.new_figure(8, 3)
            why = (
                "the framework has no domains" if k == 0
                else "no assessments to compare yet" if not rows
                else "the framework has no stages"
            )
            return style.nothing_to_show(fig, why, heatmap.title)
        data = np.array([_row_values(r, k) for r in rows], dtype=float)
        if heatmap.mode == "stage":
            data = np.clip(data, 1, len(heatmap.stages))
        colours, bounds = _colours(heatmap)
        data = np.clip(data, bounds[0], bounds[-1])
        cmap = ListedColormap(colours).with_extremes(bad=style.NOT_ASSESSED_COLOUR)
        norm = BoundaryNorm(bounds, cmap.N)

        label_in = min(max(len(r.label) for r in rows), 32) * 0.075 + 0.3
        groups = [r.group for r in rows]
        show_groups = len(set(groups)) > 1
        group_in = (min(max(len(g) for g in groups), 24) * 0.075 + 0.4) if show_groups else 0.25
        cell_w = CELL_WIDTH_IN if k <= 20 else 0.6
        width = max(min(label_in + group_in + k * cell_w, MAX_WIDTH_IN), 5.0)
        title = style.wrap(heatmap.title, int(width * 11), 2)
        header_in = 0.75 + 0.22 * (title.count("\n") + 1)
        height = header_in + 0.25 + len(rows) * CELL_HEIGHT_IN + 0.55
        fig = style.new_figure(width, height)
        fig.suptitle(title, fontsize=11, y=1 - 0.1 / height, va="top")
        ax = fig.add_axes((
            label_in / width, 0.55 / height,
            (width - label_in - group_in) / width, (height - header_in - 0.8) / height,
        ))
        ax.imshow(np.ma.masked_invalid(data), cmap=cmap, norm=norm, aspect="auto",
                  interpolation="nearest")
        cell_font = 7.5 if k <= 20 else 6.0
        xs, ys, texts, inks = [], [], [], []
        for (r, c), value in np.ndenumerate(data):
            background = (style.NOT_ASSESSED_COLOUR if math.isnan(value)
                          else colours[int(np.searchsorted(bounds, value) - 1)])
            xs.append(c)
            ys.append(r)
            texts.append(_cell_text(heatmap, value))
            inks.append(style.text_colour_for(background))
        cells = CellLabels(xs, ys, texts, inks, cell_font)
        cells.set_gid("cell-labels")
        ax.add_artist(cells)
        ax.set_xticks(np.arange(k), labels=[style.wrap(d, 14 if k <= 20 else 10, 4)
                                            for d in heatmap.domains])
        ax.xaxis.tick_top()
        ax.tick_params(axis="x", labelsize=7 if k <= 20 else 5.5, length=0)
        ax.set_yticks(np.arange(len(rows)), labels=[style.wrap(r.label, 32, 1) for r in rows])
        ax.tick_params(axis="y", labelsize=8, length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        # White gaps between cells keep them readable when neighbours share a colour; two line
        # collections, because minor ticks would build a Tick (and Texts) per cell edge.
        ax.vlines(np.arange(0.5, k - 1, 1), -0.5, len(rows) - 0.5, colors="white", linewidth=1.5)
        ax.hlines(np.arange(0.5, len(rows) - 1, 1), -0.5, k - 0.5, colors="white", linewidth=1.5)
        if show_groups:
            _draw_groups(ax, groups, k)
        _draw_key(fig, heatmap, colours, bounds)
    return fig


def _draw_groups(ax, groups: list[str], k: int) -> None:  # type: ignore[no-untyped-def]
    start = 0
    for i in range(1, len(groups) + 1):
        if i == len(groups) or groups[i] != groups[start]:
            if start > 0:
                ax.axhline(start - 0.5, color=style.INK, linewidth=1.6)
            ax.text(k - 0.35, (start + i - 1) / 2, style.wrap(groups[start], 24, 2),
                    ha="left", va="center", fontsize=7.5, fontweight="bold", clip_on=False)
            start = i


def _draw_key(fig: Figure, heatmap: Heatmap, colours: tuple[str, ...], bounds: np.ndarray) -> None:
    if heatmap.mode == "difference":
        names = [style.signed(b + 0.5) for b in bounds[:-1]]
        title = "self minus peer (stages)"
    else:
        names = list(heatmap.stages)
        title = ""
    handles = [Patch(facecolor=c, edgecolor=style.GRID, label=n) for c, n in zip(colours, names,
                                                                                 strict=False)]
    handles.append(Patch(facecolor=style.NOT_ASSESSED_COLOUR, edgecolor=style.GRID,
                         label=f"{NOT_ASSESSED_TEXT} not yet assessed"))
    fig.legend(handles=handles, loc="lower center", ncols=min(len(handles), 8), fontsize=7.5,
               title=title or None, title_fontsize=7.5, bbox_to_anchor=(0.5, 0.0),
               handlelength=1.4, columnspacing=1.0)
