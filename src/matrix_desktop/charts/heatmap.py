"""Heatmap: entities by domains, the stage (or self-minus-peer difference) in each cell."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.transforms import offset_copy

from matrix_desktop.charts import style
from matrix_desktop.charts.cached_text import LabelBatch, adopt
from matrix_desktop.charts.cell_labels import CellLabels
from matrix_desktop.core.chart_models import Heatmap, HeatmapRow

NOT_ASSESSED_TEXT = "\u2013"  # en dash; the legend says what it means
CELL_WIDTH_IN = 0.82
CELL_HEIGHT_IN = 0.3
MAX_WIDTH_IN = 40.0
LABEL_PAD_PT = 3.5  # gap between the cells and the row and column names, as tick labels had
ROW_LABEL_PT = 8.0
ROW_LABEL_CHARS = 40  # a row name longer than this wraps onto more lines; it is never cut
ROW_LABEL_MAX_CHARS = 60  # very long names widen the label column up to this before a 4th line
ROW_LABEL_LINES = 3
CHAR_IN = 0.075  # a generous average character width of the 8 pt labels, in inches


def row_labels(labels: Sequence[str]) -> list[str]:
    """Return the row names wrapped to fit the label column, whole: never cut or ellipsised.

    Rows must stay distinguishable ("Barnsley Place Partnership, 2021/22 Q1" and "..., Q2"),
    so a long name wraps onto up to ROW_LABEL_LINES lines (the column widening for longer
    ones) rather than losing its end.
    """
    longest = max((len(" ".join(t.split())) for t in labels), default=0)
    width = min(max(ROW_LABEL_CHARS, math.ceil(longest / ROW_LABEL_LINES)), ROW_LABEL_MAX_CHARS)
    return [style.wrap(t, width) for t in labels]


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
                "the framework has no domains"
                if k == 0
                else "no assessments to compare yet"
                if not rows
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

        names = row_labels([r.label for r in rows])
        label_lines = max(t.count("\n") + 1 for t in names)
        label_in = max(len(line) for t in names for line in t.split("\n")) * CHAR_IN + 0.3
        row_in = max(CELL_HEIGHT_IN, label_lines * ROW_LABEL_PT * 1.2 / 72 + 0.06)
        groups = [r.group for r in rows]
        show_groups = len(set(groups)) > 1
        group_in = (min(max(len(g) for g in groups), 24) * 0.075 + 0.4) if show_groups else 0.25
        cell_w = CELL_WIDTH_IN if k <= 20 else 0.6
        width = max(min(label_in + group_in + k * cell_w, MAX_WIDTH_IN), 5.0)
        title = style.wrap(heatmap.title, int(width * 11), 2)
        header_in = 0.75 + 0.22 * (title.count("\n") + 1)
        height = header_in + 0.25 + len(rows) * row_in + 0.55
        fig = style.new_figure(width, height)
        adopt(fig.suptitle(title, fontsize=11, y=1 - 0.1 / height, va="top"))
        ax = fig.add_axes(
            (
                label_in / width,
                0.55 / height,
                (width - label_in - group_in) / width,
                (height - header_in - 0.8) / height,
            )
        )
        ax.set_axis_off()  # labels are drawn below: 60 tick labels would each be a Tick
        # One mesh of flat cells: an image would be resampled to the screen and pushed through
        # the norm pixel by pixel, which cost more than everything else together.
        cells_mesh = ax.pcolormesh(
            np.arange(k + 1) - 0.5,
            np.arange(len(rows) + 1) - 0.5,
            np.ma.masked_invalid(data),
            cmap=cmap,
            norm=norm,
            antialiased=False,
            edgecolors="none",
        )
        cells_mesh.set_gid("cells")
        ax.set_xlim(-0.5, k - 0.5)
        ax.set_ylim(len(rows) - 0.5, -0.5)  # first row at the top
        cell_font = 7.5 if k <= 20 else 6.0
        # Text and ink per distinct value (a handful), not per cell.
        unassessed = (NOT_ASSESSED_TEXT, style.text_colour_for(style.NOT_ASSESSED_COLOUR))
        looks = {
            float(v): (
                _cell_text(heatmap, v),
                style.text_colour_for(colours[int(np.searchsorted(bounds, v) - 1)]),
            )
            for v in np.unique(data[~np.isnan(data)])
        }
        rows_at, columns_at = np.indices(data.shape)
        flat = [unassessed if math.isnan(v) else looks[v] for v in data.ravel().tolist()]
        cells = CellLabels(
            columns_at.ravel(),
            rows_at.ravel(),
            [t for t, _ in flat],
            [ink for _, ink in flat],
            cell_font,
        )
        cells.set_gid("cell-labels")
        ax.add_artist(cells)
        _draw_headers(fig, ax, heatmap.domains, names)
        # White gaps between cells keep them readable when neighbours share a colour: one line
        # broken by NaNs (one path), not a Tick per cell edge or a Path per segment.
        ax.add_artist(
            Line2D(
                *_rules(np.arange(0.5, k - 1, 1), np.arange(0.5, len(rows) - 1, 1), k, len(rows)),
                color="white",
                linewidth=1.5,
                solid_capstyle="butt",
                gid="cell-gaps",
                zorder=2,
            )
        )
        if show_groups:
            _draw_groups(ax, groups, k)
        _draw_key(fig, heatmap, colours, bounds)
    return fig


def _rules(
    xs: Iterable[float], ys: Iterable[float], k: int, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Return x and y data for full-height lines at xs and full-width lines at ys, NaN-broken."""
    x: list[float] = []
    y: list[float] = []
    for v in xs:
        x += [v, v, math.nan]
        y += [-0.5, n - 0.5, math.nan]
    for v in ys:
        x += [-0.5, k - 0.5, math.nan]
        y += [v, v, math.nan]
    return np.array(x, dtype=float), np.array(y, dtype=float)


def _draw_headers(fig: Figure, ax: Axes, domains: Sequence[str], labels: Sequence[str]) -> None:
    """Write domain names above the columns and entity names (wrapped) left of the rows."""
    k = len(domains)
    ax.add_artist(
        LabelBatch(
            np.arange(k),
            np.full(k, -0.5),
            [style.wrap(d, 14 if k <= 20 else 10, 5) for d in domains],
            fontsize=7 if k <= 20 else 5.5,
            ha="center",
            va="bottom",
            ma="center",
            transform=offset_copy(ax.transData, fig=fig, y=LABEL_PAD_PT, units="points"),
            gid="column-labels",
        )
    )
    ax.add_artist(
        LabelBatch(
            np.full(len(labels), -0.5),
            np.arange(len(labels)),
            list(labels),
            fontsize=ROW_LABEL_PT,
            ha="right",
            va="center",
            transform=offset_copy(ax.transData, fig=fig, x=-LABEL_PAD_PT, units="points"),
            gid="row-labels",
        )
    )


def _draw_groups(ax: Axes, groups: list[str], k: int) -> None:
    """Name each run of rows in the same group at the right; rule a line between runs."""
    starts = [i for i in range(len(groups)) if i == 0 or groups[i] != groups[i - 1]]
    ends = [*starts[1:], len(groups)]
    if len(starts) > 1:
        ax.add_artist(
            Line2D(
                *_rules((), [s - 0.5 for s in starts[1:]], k, len(groups)),
                color=style.INK,
                linewidth=1.6,
                solid_capstyle="butt",
                gid="group-rules",
                zorder=2.1,
            )
        )
    ax.add_artist(
        LabelBatch(
            np.full(len(starts), k - 0.35),
            [(s + e - 1) / 2 for s, e in zip(starts, ends, strict=True)],
            [style.wrap(groups[s], 24, 2) for s in starts],
            fontsize=7.5,
            fontweight="bold",
            ha="left",
            va="center",
            transform=ax.transData,
            gid="group-labels",
        )
    )


def _draw_key(fig: Figure, heatmap: Heatmap, colours: tuple[str, ...], bounds: np.ndarray) -> None:
    if heatmap.mode == "difference":
        names = [style.signed(b + 0.5) for b in bounds[:-1]]
        title = "self minus peer (stages)"
    else:
        names = list(heatmap.stages)
        title = ""
    handles = [
        Patch(facecolor=c, edgecolor=style.GRID, label=n)
        for c, n in zip(colours, names, strict=False)
    ]
    handles.append(
        Patch(
            facecolor=style.NOT_ASSESSED_COLOUR,
            edgecolor=style.GRID,
            label=f"{NOT_ASSESSED_TEXT} not yet assessed",
        )
    )
    legend = fig.legend(
        handles=handles,
        loc="lower center",
        ncols=min(len(handles), 8),
        fontsize=7.5,
        title=title or None,
        title_fontsize=7.5,
        bbox_to_anchor=(0.5, 0.0),
        handlelength=1.4,
        columnspacing=1.0,
    )
    for text in [*legend.get_texts(), legend.get_title()]:
        adopt(text)
