"""Vote spread: per domain, how many workshop participants chose each stage; agreed stage marked."""

from __future__ import annotations

import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle
from matplotlib.transforms import offset_copy

from matrix_desktop.charts import style
from matrix_desktop.charts.axis_ticks import XTicks, shown_ticks
from matrix_desktop.charts.cached_text import LabelBatch
from matrix_desktop.charts.cell_labels import CellLabels
from matrix_desktop.charts.key_row import KeyRow
from matrix_desktop.charts.lean_axes import LeanAxes
from matrix_desktop.core.chart_models import VoteSpread

ROW_H_IN = 0.42
BAR_H = 0.68  # bar thickness, in rows
HATCHES = ("", "..", "//", "xx", "\\\\", "oo", "++", "--")  # second cue for greyscale


def _counts(spread: VoteSpread, domain: int) -> list[int]:
    row = spread.counts[domain] if domain < len(spread.counts) else ()
    out = []
    for s in range(len(spread.stages)):
        value = row[s] if s < len(row) else 0
        try:
            out.append(max(int(value or 0), 0))
        except (TypeError, ValueError):
            out.append(0)
    return out


def build_votes(spread: VoteSpread) -> Figure:
    """Return a Figure of stacked horizontal bars: participants per stage, agreed stage outlined."""
    k, n = len(spread.domains), len(spread.stages)
    with style.chart_context():
        counts = np.array([_counts(spread, d) for d in range(k)], dtype=int).reshape(k, n)
        if k == 0 or n == 0 or counts.sum() == 0:
            why = (
                "the framework has no domains"
                if k == 0
                else "the framework has no stages"
                if n == 0
                else "no participants' votes recorded"
            )
            return style.nothing_to_show(style.new_figure(8, 3), why, spread.title)
        label_in = 2.3
        width = 9.0
        title = style.wrap(spread.title, 95, 2)
        top_in = 0.2 + 0.22 * (title.count("\n") + 1)
        height = top_in + k * ROW_H_IN + 0.9
        fig = style.new_figure(width, height)
        fig.suptitle(title, fontsize=11, y=1 - 0.1 / height, va="top")
        ax = fig.add_axes(
            (
                label_in / width,
                0.75 / height,
                (width - label_in - 1.7) / width,
                (height - top_in - 0.85) / height,
            ),
            axes_class=LeanAxes,  # no Tick objects for the y axis, which shows none
        )
        # Both limits are set below: bars and outlines need not be measured as they are added.
        with style.limits_set_by_caller(ax):
            colours = style.sample(style.SEQUENTIAL, n)
            totals = counts.sum(axis=1)
            y = np.arange(k)
            left = np.zeros(k)
            at_x: list[float] = []
            at_y: list[int] = []
            numbers: list[str] = []
            inks: list[str] = []
            boxes: list[str] = []
            for s in range(n):
                # A stage's bars as one collection (one artist, not a Rectangle per bar),
                # painted as the bars of ax.barh are: corners mitred, ends butt.
                bottom = y - BAR_H / 2
                ax.add_collection(
                    PolyCollection(
                        [
                            (
                                (x0, y0),
                                (x0 + w, y0),
                                (x0 + w, y0 + BAR_H),
                                (x0, y0 + BAR_H),
                            )
                            for x0, y0, w in zip(left, bottom, counts[:, s], strict=True)
                        ],
                        facecolors=colours[s],
                        edgecolors="white",
                        linewidths=0.8,
                        hatch=HATCHES[s % len(HATCHES)],
                        joinstyle="miter",
                        capstyle="butt",
                        label=spread.stages[s],
                        gid=f"stage-{s}",
                    ),
                    autolim=False,
                )
                for d in np.flatnonzero(counts[:, s]):
                    at_x.append(left[d] + counts[d, s] / 2)
                    at_y.append(int(d))
                    numbers.append(str(counts[d, s]))
                    inks.append(style.text_colour_for(colours[s]))
                    boxes.append(colours[s])  # keeps the bar's hatching out of the number
                left += counts[:, s]
            # One artist for every count (not a Text and a box patch each).
            counts_drawn = CellLabels(at_x, at_y, numbers, inks, 7.5, backgrounds=boxes)
            counts_drawn.set_gid("counts")
            ax.add_artist(counts_drawn)
            xmax = max(int(totals.max()), 1)
            agreed_rows: list[int] = []
            agreed_notes: list[str] = []
            open_rows: list[int] = []
            for d in range(k):
                agreed = spread.agreed[d] if d < len(spread.agreed) else None
                if agreed is not None and 1 <= agreed <= n:
                    start = counts[d, : agreed - 1].sum()
                    if counts[d, agreed - 1]:
                        ax.add_patch(
                            Rectangle(
                                (start, d - 0.4),
                                counts[d, agreed - 1],
                                0.8,
                                fill=False,
                                edgecolor=style.INK,
                                linewidth=2.2,
                                zorder=4,
                                gid=f"agreed-{d}",
                            )
                        )
                    agreed_rows.append(d)
                    agreed_notes.append(f"\u25c6 agreed: {spread.stages[agreed - 1]}")
                else:
                    open_rows.append(d)
            for rows, notes, weight, gid in (
                (agreed_rows, agreed_notes, "bold", "agreed-notes"),
                (open_rows, ["no agreed stage yet"] * len(open_rows), "normal", "open-notes"),
            ):
                if rows:
                    ax.add_artist(
                        LabelBatch(
                            np.full(len(rows), xmax * 1.02),
                            rows,
                            notes,
                            fontsize=7.5,
                            fontweight=weight,
                            ha="left",
                            va="center",
                            transform=ax.transData,
                            gid=gid,
                        )
                    )
        # The domain names as one batch of labels left of the axes (not a tick each).
        ax.set_yticks([])
        ax.yaxis.set_visible(False)  # it shows nothing: spare its ticks when laying out
        ax.add_artist(
            LabelBatch(
                np.zeros(k),
                y,
                [style.wrap(name, 34, 2) for name in spread.domains],
                fontsize=7.5 if k <= 20 else 6,
                ha="right",
                va="center_baseline",  # as matplotlib places a y tick label
                ma="right",
                transform=offset_copy(ax.get_yaxis_transform(), fig=fig, x=-3.5, units="points"),
                gid="domain-labels",
            )
        )
        ax.set_ylim(k - 0.5, -0.5)
        ax.set_xlim(0, xmax)
        ax.xaxis.get_major_locator().set_params(integer=True)
        # The x ticks as one artist (see axis_ticks), where the axis' locator puts them.
        ax.add_artist(
            XTicks(ax, *shown_ticks(ax, 0, xmax), axis_label="participants", axis_label_size=8)
        )
        ax.xaxis.set_visible(False)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        handles = [
            Patch(
                facecolor=c,
                hatch=HATCHES[i % len(HATCHES)],
                edgecolor="white",
                label=spread.stages[i],
            )
            for i, c in enumerate(colours)
        ]
        handles.append(Patch(fill=False, edgecolor=style.INK, linewidth=2.0, label="agreed stage"))
        # The key as one artist laid out like a fig.legend (see key_row).
        fig.add_artist(
            KeyRow(
                handles,
                fontsize=7.5,
                ncols=min(len(handles), 6),
                anchor=(0.5, 0.0),
                handlelength=2.0,
                gid="key",
            )
        )
    return fig
