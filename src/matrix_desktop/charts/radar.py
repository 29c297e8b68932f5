"""Radar chart: one axis per domain, one ring per stage, threshold ring, series with spread bands."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from matplotlib.artist import Artist
from matplotlib.collections import FillBetweenPolyCollection
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.projections.polar import PolarAxes

from matrix_desktop.charts import style
from matrix_desktop.core.chart_models import Band, RadarChart, RadarSeries, StageValue

WIDTH_IN = 9.0
HEIGHT_IN = 9.0
BAND_ALPHA = 0.18


@dataclass
class RadarArtists:
    """Handles to the drawn radar, so a view can update one series without a full redraw."""

    chart: RadarChart
    axes: PolarAxes | None = None
    lines: list[Line2D] = field(default_factory=list)
    bands: list[FillBetweenPolyCollection | None] = field(default_factory=list)
    threshold: Line2D | None = None
    legend: Legend | None = None
    domain_labels: list = field(default_factory=list)
    margins_in: tuple[float, float, float, float] = (1.6, 1.6, 1.0, 1.0)  # left right top bottom


def _finite(value: StageValue, top: int) -> float:
    if value is None:
        return math.nan
    try:
        number = float(value)
    except (TypeError, ValueError):
        return math.nan
    if not math.isfinite(number):
        return math.nan
    return min(max(number, 1.0), float(top))  # stage positions run 1..N


def closed_values(values: Sequence[StageValue], domain_count: int, top: int) -> np.ndarray:
    """Return radii for each domain plus the first again (to close the polygon); gaps as NaN."""
    padded = [_finite(values[i] if i < len(values) else None, top) for i in range(domain_count)]
    return np.array(padded + padded[:1], dtype=float)


def closed_band(
    band: Sequence[Band] | None, domain_count: int, top: int
) -> tuple[np.ndarray, np.ndarray]:
    """Return (low, high) radii per domain, closed like closed_values; NaN where no band."""
    lows: list[StageValue] = []
    highs: list[StageValue] = []
    for i in range(domain_count):
        pair = band[i] if band is not None and i < len(band) else None
        lows.append(None if pair is None else min(pair))
        highs.append(None if pair is None else max(pair))
    return closed_values(lows, domain_count, top), closed_values(highs, domain_count, top)


def thetas(domain_count: int) -> np.ndarray:
    """Return the angle of each domain axis plus a closing angle (clockwise from the top)."""
    return np.linspace(0.0, 2.0 * math.pi, domain_count + 1)


def _label_layout(domain_count: int) -> tuple[int, float]:
    """Return (wrap width in characters, font size) for domain labels, denser for many domains."""
    if domain_count <= 8:
        return 22, 9.5
    if domain_count <= 14:
        return 18, 8.5
    if domain_count <= 24:
        return 16, 7.0
    return 22, 6.0


def _legend_label(text: str) -> str:
    return style.wrap(text, 38, 2)


def draw_radar(fig: Figure, chart: RadarChart) -> RadarArtists:
    """Draw the radar into fig (cleared first) and return handles to its artists."""
    fig.clear()
    artists = RadarArtists(chart=chart)
    with style.chart_context():
        if chart.title:
            fig.suptitle(style.wrap(chart.title, 80, 3), fontsize=12, y=0.985, va="top")
        k, n = len(chart.domains), len(chart.stages)
        if k == 0:
            style.nothing_to_show(fig, "the framework has no domains to draw")
            return artists
        if n == 0:
            style.nothing_to_show(fig, "the framework has no stages to draw")
            return artists
        ax = fig.add_axes((0.2, 0.2, 0.6, 0.6), projection="polar")
        assert isinstance(ax, PolarAxes)
        artists.axes = ax
        _draw_frame(ax, chart, artists)
        handles: list[Artist] = []
        if artists.threshold is not None:
            handles.append(artists.threshold)
        any_band = False
        for index, series in enumerate(chart.series):
            line, band = _draw_series(ax, chart, index, series)
            artists.lines.append(line)
            artists.bands.append(band)
            any_band = any_band or band is not None
            handles.append(line)
        if any_band:
            handles.append(
                Patch(facecolor=(0.3, 0.3, 0.3, 0.25), label="shaded: range of participants' views")
            )
        if not chart.series:
            ax.text(
                0.5, 0.5, "nothing to show yet: no scores recorded",
                transform=ax.transAxes, ha="center", va="center", fontsize=10,
                bbox={"facecolor": "white", "edgecolor": style.GRID, "pad": 4},
                gid="nothing-to-show",
            )
        if handles:
            columns = 1 if len(handles) <= 2 else 2 if len(handles) <= 6 else 3
            artists.legend = fig.legend(
                handles=handles, loc="lower center", bbox_to_anchor=(0.5, 0.01), ncols=columns,
                fontsize=8.5, handlelength=3.2, columnspacing=1.5,
            )
            rows = math.ceil(len(handles) / columns)
            artists.margins_in = (1.6, 1.6, 1.0, 0.9 + 0.3 * rows)
    layout_radar(fig, artists)
    return artists


def layout_radar(fig: Figure, artists: RadarArtists) -> None:
    """Place the round axes in the space left by labels, title and legend, at the figure's size."""
    if artists.axes is None:
        return
    width, height = fig.get_size_inches()
    left, right, top, bottom = artists.margins_in
    title_lines = artists.chart.title and style.wrap(artists.chart.title, 80, 3).count("\n") + 1
    top += 0.22 * (title_lines or 0)
    size = max(min(width - left - right, height - top - bottom), 0.5)
    x0 = (width - size) / 2
    y0 = bottom + (height - top - bottom - size) / 2
    artists.axes.set_position((x0 / width, y0 / height, size / width, size / height))


def _draw_frame(ax: PolarAxes, chart: RadarChart, artists: RadarArtists) -> None:
    k, n = len(chart.domains), len(chart.stages)
    ax.set_theta_offset(math.pi / 2)
    ax.set_theta_direction(-1)
    ax.set_ylim(0, n)
    angles = thetas(k)[:-1]
    ax.set_xticks(angles, labels=[""] * k)
    ax.set_yticks(np.arange(1, n + 1), labels=list(chart.stages))
    ax.set_rlabel_position(180.0 / k if k > 1 else 45.0)
    ax.grid(True, color=style.GRID, linewidth=0.7)
    ax.spines["polar"].set_color(style.GRID)
    for label in ax.get_yticklabels():
        label.set_fontsize(7.5)
        label.set_color("#444444")
        label.set_bbox({"facecolor": "white", "edgecolor": "none", "pad": 0.6})
        label.set_zorder(4)
    width, size = _label_layout(k)
    for i, (angle, name) in enumerate(zip(angles, chart.domains, strict=True)):
        x, y = math.sin(angle), math.cos(angle)
        ha = "left" if x > 0.2 else "right" if x < -0.2 else "center"
        va = "bottom" if y > 0.2 else "top" if y < -0.2 else "center"
        text = ax.text(
            angle, n * 1.07, style.wrap(name, width, 4), ha=ha, va=va, fontsize=size,
            clip_on=False, gid=f"domain-label-{i}", linespacing=1.15,
        )
        artists.domain_labels.append(text)
    if chart.threshold is not None and 1 <= chart.threshold <= n:
        circle = np.linspace(0, 2 * math.pi, 241)
        label = chart.threshold_label or f"{chart.stages[chart.threshold - 1]}: threshold"
        (artists.threshold,) = ax.plot(
            circle, np.full_like(circle, float(chart.threshold)), color=style.THRESHOLD_COLOUR,
            linewidth=2.6, linestyle=(0, (1.2, 1.8)), dash_capstyle="round", zorder=1.8,
            label=_legend_label(label), gid="threshold-ring",
        )


def _draw_series(
    ax: PolarAxes, chart: RadarChart, index: int, series: RadarSeries
) -> tuple[Line2D, FillBetweenPolyCollection | None]:
    k, n = len(chart.domains), len(chart.stages)
    look = style.series_style(index)
    angle = thetas(k)
    band = None
    if series.band is not None:
        low, high = closed_band(series.band, k, n)
        band = ax.fill_between(
            angle, low, high, where=~(np.isnan(low) | np.isnan(high)), interpolate=False,
            facecolor=_rgba(look.colour, BAND_ALPHA), edgecolor="none", zorder=2,
            gid=f"band-{index}",
        )
    (line,) = ax.plot(
        angle, closed_values(series.values, k, n), color=look.colour,
        linestyle=look.line_style, marker=look.marker, markersize=6, linewidth=2.0,
        markeredgecolor="white", markeredgewidth=0.8, zorder=3 + index * 0.01,
        label=_legend_label(series.label or f"Series {index + 1}"), gid=f"series-{index}",
    )
    return line, band


def _rgba(colour: str, alpha: float) -> tuple[float, float, float, float]:
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return (r, g, b, alpha)


def update_series(
    artists: RadarArtists,
    index: int,
    values: Sequence[StageValue],
    band: Sequence[Band] | None = None,
) -> list[Artist]:
    """Change one series' data in place and return the artists that changed (for blitting)."""
    if not 0 <= index < len(artists.lines):
        raise IndexError(f"no series {index} on this radar ({len(artists.lines)} series)")
    chart = artists.chart
    k, n = len(chart.domains), len(chart.stages)
    line = artists.lines[index]
    line.set_ydata(closed_values(values, k, n))
    changed: list[Artist] = [line]
    collection = artists.bands[index]
    if collection is not None and band is not None:
        low, high = closed_band(band, k, n)
        collection.set_data(thetas(k), low, high, where=~(np.isnan(low) | np.isnan(high)))
        changed.insert(0, collection)
    return changed


def build_radar(chart: RadarChart, width: float = WIDTH_IN, height: float = HEIGHT_IN) -> Figure:
    """Return a new Figure drawing the radar chart (or a "nothing to show" message)."""
    fig = style.new_figure(width, height)
    draw_radar(fig, chart)
    return fig
