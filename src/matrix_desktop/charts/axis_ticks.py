"""An x axis' ticks for a chart that fixes them when it is built: one artist, no Tick objects.

matplotlib draws each tick of an axis as a Tick (a mark, a gridline, a label and their unused
twins on the far side, each with its own transforms), made and laid out afresh for every
figure: a fifth of building and printing a report chart. ``XTicks`` draws the same marks,
gridlines and labels as the axis would, from the house style in force when it is made:
every mark as one marker line, every gridline as one NaN-broken line, the labels through one
reused ``Text``, and the axis label placed below them as matplotlib places it. The axes'
own x axis is hidden (``ax.xaxis.set_visible(False)``).
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib as mpl
import numpy as np
from matplotlib import lines as mlines
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.transforms import Bbox, IdentityTransform, blended_transform_factory

_MARKS = {"out": mlines.TICKDOWN, "in": mlines.TICKUP, "inout": "|"}
_PADDING = {"out": 1.0, "in": 0.0, "inout": 0.5}


def shown_ticks(ax: Axes, low: float, high: float) -> tuple[list[float], list[str]]:
    """Return the tick positions the axes' x locator puts between low and high, and their labels.

    As the axis itself would draw them: labels formatted over every position, then only the
    positions inside the limits kept.
    """
    locs = ax.xaxis.get_majorticklocs()
    labels = ax.xaxis.get_major_formatter().format_ticks(locs)
    a, b = sorted((low, high))
    slack = (b - a) * 1e-10  # as matplotlib's _interval_contains_close
    kept = [(float(x), s) for x, s in zip(locs, labels, strict=True) if a - slack <= x <= b + slack]
    return [x for x, _ in kept], [s for _, s in kept]


class XTicks(Artist):
    """Bottom x ticks at fixed positions with labels, optional gridlines and an axis label.

    Made inside the chart's style context (it reads the tick and grid looks from rcParams
    then, as a Tick would); add with ``ax.add_artist`` and hide the axes' own x axis.
    """

    def __init__(
        self,
        ax: Axes,
        positions: Sequence[float],
        labels: Sequence[str],
        *,
        labelsize: float | str | None = None,
        grid_colour: str | None = None,
        grid_linewidth: float | None = None,
        grid: bool = False,
        axis_label: str = "",
        axis_label_size: float | str | None = None,
        gid: str | None = None,
    ) -> None:
        super().__init__()
        rc = mpl.rcParams
        self.positions = np.asarray(positions, dtype=float)
        self.labels = list(labels)
        if len(self.labels) != len(self.positions):
            raise ValueError("XTicks needs one label per tick position")
        size, width = rc["xtick.major.size"], rc["xtick.major.width"]
        direction = rc["xtick.direction"]
        self._pad = rc["xtick.major.pad"] + size * _PADDING[direction]
        self._mark_size_outside = size * {"out": 1.0, "inout": 0.5, "in": 0.0}[direction]
        colour = rc["xtick.color"]
        label_colour = rc["xtick.labelcolor"]
        if label_colour == "inherit":
            label_colour = colour
        self.marks = Line2D(
            self.positions,
            np.zeros(len(self.positions)),
            color=colour,
            linestyle="none",
            markeredgecolor=colour,
            markersize=size,
            markeredgewidth=width,
            marker=_MARKS[direction],
            transform=ax.get_xaxis_transform("tick1"),
        )
        self.gridlines: Line2D | None = None
        if grid:
            xs = np.repeat(self.positions, 3)
            ys = np.tile([0.0, 1.0, np.nan], len(self.positions))
            xs[2::3] = np.nan
            self.gridlines = Line2D(
                xs,
                ys,
                color=rc["grid.color"] if grid_colour is None else grid_colour,
                alpha=rc["grid.alpha"],
                linestyle=rc["grid.linestyle"],
                linewidth=rc["grid.linewidth"] if grid_linewidth is None else grid_linewidth,
                marker="",
                transform=ax.get_xaxis_transform("grid"),
            )
            self.gridlines.set_clip_path(ax.patch)
        transform, va, ha = ax.get_xaxis_text1_transform(self._pad)
        # The tick labels' look (a print may raise its size: pdf.floor_text).
        self._text = Text(
            0,
            0,
            "",
            fontsize=rc["xtick.labelsize"] if labelsize is None else labelsize,
            color=label_colour,
            verticalalignment=va,
            horizontalalignment=ha,
            transform=transform,
        )
        # The axis label, as matplotlib's own x axis label.
        self.axis_label = Text(
            0.5,
            0,
            axis_label,
            fontsize=rc["axes.labelsize"] if axis_label_size is None else axis_label_size,
            fontweight=rc["axes.labelweight"],
            color=rc["axes.labelcolor"],
            verticalalignment="top",
            horizontalalignment="center",
            transform=blended_transform_factory(ax.transAxes, IdentityTransform()),
        )
        self._labelpad = rc["axes.labelpad"]
        self._ax = ax
        self.set_zorder(ax.xaxis.get_zorder())  # drawn where the axis would be
        self.set_gid(gid)

    def get_texts(self) -> list[str]:
        """Return the tick labels, in order."""
        return list(self.labels)

    def get_children(self) -> list[Artist]:
        drawn: list[Artist] = [self.marks, self.axis_label]
        return drawn if self.gridlines is None else [self.gridlines, *drawn]

    def set_figure(self, fig) -> None:  # type: ignore[no-untyped-def]
        super().set_figure(fig)
        for artist in (self._text, self.marks, self.axis_label, self.gridlines):
            if artist is not None:
                artist.set_figure(fig)

    def draw(self, renderer) -> None:
        if not self.get_visible():
            return
        renderer.open_group("xticks", gid=self.get_gid())
        if self.gridlines is not None:
            self.gridlines.draw(renderer)
        self.marks.draw(renderer)
        text = self._text
        boxes = []
        for x, label in zip(self.positions, self.labels, strict=True):
            text.set_text(label)
            text.set_position((x, 0))
            text.draw(renderer)
            boxes.append(text.get_window_extent(renderer))
        if self.axis_label.get_text():
            # Below the tick labels and the spine with its tick marks, as XAxis places it.
            spine = self._ax.spines["bottom"].get_window_extent(renderer)
            if len(self.positions):
                spine = spine.frozen()
                spine.y0 = spine.y0 - self._mark_size_outside / 72 * renderer_dpi(self)
            bottom = Bbox.union([*boxes, spine]).y0
            self.axis_label.set_y(bottom - self._labelpad * renderer_dpi(self) / 72)
            self.axis_label.draw(renderer)
        renderer.close_group("xticks")
        self.stale = False


def renderer_dpi(artist: Artist) -> float:
    """Return the dpi of the figure the artist is drawn in."""
    figure = artist.get_figure(root=True)
    return 72.0 if figure is None else float(figure.dpi)
