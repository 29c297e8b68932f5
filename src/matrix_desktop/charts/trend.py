"""Trend: each domain's stage over assessment rounds, as small multiples sharing one stage scale."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure

from matrix_desktop.charts import style
from matrix_desktop.core.chart_models import Trend

PANEL_W_IN = 2.4
PANEL_H_IN = 1.75


def _columns(domain_count: int) -> int:
    if domain_count <= 3:
        return domain_count
    if domain_count <= 16:
        return 4
    return 6


def _values(trend: Trend, domain: int) -> np.ndarray:
    row = trend.values[domain] if domain < len(trend.values) else ()
    out = []
    for r in range(len(trend.rounds)):
        value = row[r] if r < len(row) else None
        try:
            number = math.nan if value is None else float(value)
        except (TypeError, ValueError):
            number = math.nan
        out.append(number if math.isfinite(number) else math.nan)
    return np.clip(np.array(out, dtype=float), 1, len(trend.stages))


def build_trend(trend: Trend) -> Figure:
    """Return a Figure with one small panel per domain: stage (y) by round (x)."""
    k, rounds, n = len(trend.domains), len(trend.rounds), len(trend.stages)
    with style.chart_context():
        if k == 0 or rounds == 0 or n == 0:
            why = (
                "the framework has no domains"
                if k == 0
                else "no assessment rounds yet"
                if rounds == 0
                else "the framework has no stages"
            )
            return style.nothing_to_show(style.new_figure(8, 3), why, trend.title)
        cols = _columns(k)
        grid_rows = math.ceil(k / cols)
        width = 1.3 + cols * PANEL_W_IN
        title = style.wrap(trend.title, int(width * 11), 2)
        top_in = 0.35 + 0.22 * (title.count("\n") + 1)
        height = top_in + grid_rows * PANEL_H_IN + 0.3
        fig = style.new_figure(width, height)
        fig.suptitle(title, fontsize=11, y=1 - 0.1 / height, va="top")
        fig.subplots_adjust(
            left=1.1 / width,
            right=1 - 0.2 / width,
            top=1 - top_in / height,
            bottom=0.55 / height,
            hspace=0.95,
            wspace=0.12,
        )
        axes = fig.subplots(grid_rows, cols, sharex=True, sharey=True, squeeze=False)
        x = np.arange(rounds)
        look = style.series_style(0)
        round_labels = [style.wrap(r, 8, 2) for r in trend.rounds]
        for index, ax in enumerate(axes.flat):
            if index >= k:
                ax.set_visible(False)
                continue
            y = _values(trend, index)
            ax.plot(
                x,
                y,
                color=look.colour,
                linestyle="-",
                marker=look.marker,
                markersize=4.5,
                linewidth=1.8,
                gid=f"trend-{index}",
            )
            if rounds > 1 and np.isnan(y).any() and not np.isnan(y).all():
                # Unassessed rounds break the line; a faint dotted bridge keeps the path readable.
                valid = ~np.isnan(y)
                ax.plot(
                    x[valid], y[valid], color=look.colour, linestyle=":", linewidth=1.0, zorder=1
                )
            if np.isnan(y).all():
                ax.text(
                    0.5,
                    0.5,
                    "not yet assessed",
                    transform=ax.transAxes,
                    ha="center",
                    va="center",
                    fontsize=7.5,
                    color="#555555",
                )
            ax.set_title(style.wrap(trend.domains[index], 30, 2), fontsize=8, loc="left")
            ax.set_ylim(0.6, n + 0.4)
            ax.set_xlim(-0.4, max(rounds - 1, 0) + 0.4)
            ax.grid(True, axis="y", color="#dddddd", linewidth=0.6)
            ax.tick_params(labelsize=7, length=2)
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
        first = axes.flat[0]
        first.set_yticks(np.arange(1, n + 1), labels=list(trend.stages))
        step = max(1, math.ceil(rounds / 5))
        first.set_xticks(x[::step], labels=round_labels[::step])
        for ax in axes.flat[:k]:
            ax.tick_params(labelbottom=True)
    return fig
