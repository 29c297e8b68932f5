"""Radar chart: one axis per domain, one ring per stage, threshold ring, series with spread bands.

Drawn on a plain Axes with the axis off: a polar Axes builds and lays out a Tick (two lines,
two texts) per spoke and ring, which cost most of a render.  Series, bands and the threshold
ring keep their data as (angle, stage position) pairs and are drawn through RadialTransform,
so update_series changes them in place for blitting.

A spread band is drawn as one sector per domain, centred on that domain's axis and running
from the lowest to the highest view: a domain shows its spread as soon as it has views,
whatever its neighbours have.  The first series (this assessment, the latest round) is drawn
on top of the others, and the stage names on the rings sit under every series and band.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path
from matplotlib.text import Text
from matplotlib.transforms import Transform

from matrix_desktop.charts import radar_labels, style
from matrix_desktop.charts.cached_text import CachedText, adopt, font_key, layout
from matrix_desktop.charts.key_row import KeyRow
from matrix_desktop.charts.lean_axes import LeanAxes
from matrix_desktop.core.chart_models import Band, RadarChart, RadarSeries, StageValue

WIDTH_IN = 9.0
HEIGHT_IN = 9.0
BAND_ALPHA = 0.28  # no outline: stroking the sectors doubled the cost of a live update
BAND_WIDTH = 0.5  # a sector spans this share of the angle between two spokes...
BAND_MAX_HALF_ANGLE = math.radians(14)  # ...but never wider than this either side of its axis
BAND_MIN_DEPTH = 0.12  # stages: views that all agree still show as a thin arc
BAND_ARC_POINTS = 9  # straight pieces per sector edge (the transform maps vertices only)
SERIES_ZORDER = 3.5  # series 0 on top; each later series a little lower
RING_LABEL_ZORDER = 1.9  # above rings, spokes and the threshold ring; below bands and series
WIDE_ASPECT = 1.6  # a figure this many times wider than tall lays its legend out in one row
RING_SEGMENTS = 240  # straight pieces per ring: smooth even at 200 dpi


class RadialTransform(Transform):
    """Map (angle, radius) to x/y, the angle running clockwise from the top like the domains."""

    input_dims = output_dims = 2
    is_separable = False
    has_inverse = True

    def transform_non_affine(self, values):
        values = np.asarray(values, dtype=float)
        theta, radius = values[..., 0], values[..., 1]
        return np.stack([radius * np.sin(theta), radius * np.cos(theta)], axis=-1)

    def inverted(self) -> Transform:
        return _CartesianToRadial()


class _CartesianToRadial(Transform):
    input_dims = output_dims = 2
    is_separable = False
    has_inverse = True

    def transform_non_affine(self, values):
        values = np.asarray(values, dtype=float)
        x, y = values[..., 0], values[..., 1]
        return np.stack([np.mod(np.arctan2(x, y), 2 * math.pi), np.hypot(x, y)], axis=-1)

    def inverted(self) -> Transform:
        return RadialTransform()


@dataclass
class RadarArtists:
    """Handles to the drawn radar, so a view can update one series without a full redraw."""

    chart: RadarChart
    axes: Axes | None = None
    lines: list[Line2D] = field(default_factory=list)
    bands: list[PathPatch | None] = field(default_factory=list)
    threshold: Line2D | None = None
    legend: Legend | None = None
    domain_labels: list = field(default_factory=list)
    # Kept free of rings and labels, for the title and the legend: left right top bottom.
    margins_in: tuple[float, float, float, float] = (0.0, 0.0, 0.1, 0.1)
    label_fit: radar_labels.LabelFit | None = None  # how the domain labels were last fitted
    legend_columns: int = 0  # the most legend columns wanted; fewer when the figure is narrow
    legend_handles: list = field(default_factory=list)
    rings: LineCollection | None = None  # one closed ring per stage, radius 1..N
    ring_labels: list = field(default_factory=list)  # the stage name written on each ring
    title: Text | None = None  # the figure's title, rewrapped to the figure's width
    band_data: dict[int, tuple] = field(default_factory=dict)  # each band's values as drawn
    spokes: LineCollection | None = None  # one spoke per domain


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


def band_half_angle(domain_count: int) -> float:
    """Return how far a band sector reaches either side of its domain's axis (radians)."""
    return min(BAND_WIDTH * math.pi / max(domain_count, 1), BAND_MAX_HALF_ANGLE)


def band_sectors(band: Sequence[Band] | None, domain_count: int, top: int) -> list[np.ndarray]:
    """Return one closed (angle, radius) polygon per domain with views: low to high, on its axis.

    A domain whose views all agree gets a thin arc (BAND_MIN_DEPTH deep) at that stage.
    """
    low, high = closed_band(band, domain_count, top)
    wanted = ~(np.isnan(low[:-1]) | np.isnan(high[:-1]))
    if not wanted.any():
        return []
    half = band_half_angle(domain_count)
    centres = thetas(domain_count)[:-1][wanted]
    lo, hi = low[:-1][wanted], high[:-1][wanted]
    thin = hi - lo < BAND_MIN_DEPTH
    middle = (lo + hi) / 2
    lo = np.where(thin, middle - BAND_MIN_DEPTH / 2, lo)
    hi = np.where(thin, middle + BAND_MIN_DEPTH / 2, hi)
    arc = np.linspace(-half, half, BAND_ARC_POINTS)
    angles = centres[:, None] + np.concatenate([arc, arc[::-1]])[None, :]
    radii = np.concatenate(
        [np.repeat(hi[:, None], len(arc), axis=1), np.repeat(lo[:, None], len(arc), axis=1)],
        axis=1,
    )
    return list(np.stack([angles, radii], axis=-1))


def band_path(band: Sequence[Band] | None, domain_count: int, top: int) -> Path:
    """Return every band sector as one compound path (one draw call, however many domains)."""
    sectors = band_sectors(band, domain_count, top)
    if not sectors:
        return Path(np.zeros((0, 2)))
    size = len(sectors[0])
    codes = np.full(size + 1, Path.LINETO, dtype=Path.code_type)
    codes[0], codes[-1] = Path.MOVETO, Path.CLOSEPOLY
    vertices = np.concatenate([np.vstack([s, s[:1]]) for s in sectors])
    return Path(vertices, np.tile(codes, len(sectors)))


def thetas(domain_count: int) -> np.ndarray:
    """Return the angle of each domain axis plus a closing angle (clockwise from the top)."""
    return np.linspace(0.0, 2.0 * math.pi, domain_count + 1)


TITLE_PT = 12


def _title_text(title: str, width_in: float) -> str:
    """The title wrapped to the figure's width (at most 3 lines): a long entity name (such as
    "South Yorkshire and Bassetlaw ICS (system level)") must not run off a narrow chart."""
    chars = max(24, min(80, int(width_in * 72 / (TITLE_PT * 0.6))))
    return style.wrap(title, chars, 3)


def _legend_label(text: str) -> str:
    return style.wrap(text, 38, 2)


def draw_radar(fig: Figure, chart: RadarChart) -> RadarArtists:
    """Draw the radar into fig (cleared first) and return handles to its artists."""
    fig.clear()
    artists = RadarArtists(chart=chart)
    with style.chart_context():
        if chart.title:
            title = _title_text(chart.title, fig.get_figwidth())
            artists.title = fig.suptitle(title, fontsize=TITLE_PT, y=0.985, va="top")
            adopt(artists.title)
        k, n = len(chart.domains), len(chart.stages)
        if k == 0:
            style.nothing_to_show(fig, "the framework has no domains to draw")
            return artists
        if n == 0:
            style.nothing_to_show(fig, "the framework has no stages to draw")
            return artists
        # A LeanAxes makes no Tick objects: with the axis off none is ever asked for.
        ax = fig.add_axes((0.2, 0.2, 0.6, 0.6), axes_class=LeanAxes)
        ax.set_axis_off()  # no ticks, spines or axis labels: _draw_frame draws the grid
        ax.set_xlim(-n, n)
        ax.set_ylim(-n, n)
        ax.set_aspect("equal")
        artists.axes = ax
        radial = RadialTransform() + ax.transData
        _draw_frame(ax, chart, artists, radial)
        handles: list[Artist] = []
        if artists.threshold is not None:
            handles.append(artists.threshold)
        banded: list[int] = []
        for index, series in enumerate(chart.series):
            line, band = _draw_series(ax, chart, index, series, radial)
            artists.lines.append(line)
            artists.bands.append(band)
            if band is not None and series.band is not None:
                artists.band_data[index] = tuple(series.band)
                banded.append(index)
            handles.append(line)
        for index in banded:  # the swatch is the band's own colour
            look = style.series_style(index)
            note = "shaded: range of participants' views"
            if len(banded) > 1:
                note += f" ({chart.series[index].label or f'Series {index + 1}'})"
            handles.append(
                Patch(
                    facecolor=_rgba(look.colour, BAND_ALPHA),
                    edgecolor="none",
                    label=_legend_label(note),
                )
            )
        if not chart.series:
            ax.add_artist(
                CachedText(
                    0.5,
                    0.5,
                    "nothing to show yet: no scores recorded",
                    transform=ax.transAxes,
                    ha="center",
                    va="center",
                    fontsize=10,
                    bbox={"facecolor": "white", "edgecolor": style.GRID, "pad": 4},
                    gid="nothing-to-show",
                    zorder=5,
                )
            )
        if handles:
            artists.legend_handles = handles
            artists.legend_columns = 1 if len(handles) <= 2 else 2 if len(handles) <= 6 else 3
            _make_legend(fig, artists, artists.legend_columns)
    layout_radar(fig, artists)
    return artists


def layout_radar(fig: Figure, artists: RadarArtists) -> None:
    """Fit the domain labels and the rings into the figure at its size (see radar_labels)."""
    if artists.axes is None or not artists.domain_labels:
        return
    width, height = fig.get_size_inches()
    left, right, top, bottom = artists.margins_in
    bottom += _fit_legend(artists, width, height, fig.dpi)
    title_lines = 0
    if artists.title is not None and artists.chart.title:
        wrapped = _title_text(artists.chart.title, width)
        artists.title.set_text(wrapped)
        title_lines = wrapped.count("\n") + 1
    top += 0.22 * title_lines
    fit = radar_labels.fit_labels(
        artists.chart.domains,
        thetas(len(artists.chart.domains))[:-1],
        artists.domain_labels[0].get_fontproperties(),
        (width, height),
        fig.dpi,
        (left, right, top, bottom),
    )
    artists.label_fit = fit
    for text, label in zip(artists.domain_labels, fit.texts, strict=True):
        if text.get_text() != label:
            text.set_text(label)
        if text.get_fontsize() != fit.style.fontsize:
            text.set_fontsize(fit.style.fontsize)
    (cx, cy), radius = fit.centre, fit.radius
    artists.axes.set_position(
        ((cx - radius) / width, (cy - radius) / height, 2 * radius / width, 2 * radius / height)
    )


# The legend's look, shared by the screen's Legend and the printed KeyRow.
LEGEND = {"fontsize": 8.5, "handlelength": 3.2, "columnspacing": 1.5}
LEGEND_ANCHOR = (0.5, 0.01)  # its lower centre, as a fraction of the figure


def _make_legend(fig: Figure, artists: RadarArtists, columns: int) -> None:
    artists.legend = fig.legend(
        handles=artists.legend_handles,
        loc="lower center",
        bbox_to_anchor=LEGEND_ANCHOR,
        ncols=columns,
        **LEGEND,  # type: ignore[arg-type]
    )
    for text in artists.legend.get_texts():
        adopt(text)


def key_for_print(fig: Figure, artists: RadarArtists) -> None:
    """Swap the fitted legend for a KeyRow that draws the same, for a figure only printed.

    A Legend packs its boxes afresh at every draw; the screen keeps it (legend fitting and
    resizing use it), a print draws once, and the KeyRow costs a fraction of it.
    """
    legend = artists.legend
    if legend is None:
        return
    with style.chart_context():
        key = KeyRow(
            artists.legend_handles,
            [text.get_text() for text in legend.get_texts()],
            ncols=legend._ncols,
            anchor=LEGEND_ANCHOR,
            cached_text=True,  # as the legend's adopted texts
            gid="legend",
            **LEGEND,  # type: ignore[arg-type]
        )
    legend.remove()
    artists.legend = None
    fig.add_artist(key)


def _fit_legend(artists: RadarArtists, width_in: float, height_in: float, dpi: float) -> float:
    """Use as many legend columns as fit the figure's width; return the legend's height."""
    legend = artists.legend
    if legend is None:
        return 0.0
    texts = legend.get_texts()
    prop = texts[0].get_fontproperties()
    em = prop.get_size_in_points() / 72
    key = font_key(prop)
    entries = [
        layout(t.get_text(), key, dpi, 1.2, "left", "baseline", None).bbox.width / dpi
        + (3.2 + 0.8) * em
        for t in texts
    ]
    columns = max(artists.legend_columns, 1)
    if width_in >= WIDE_ASPECT * height_in:  # a wide, short radar: every row of legend costs
        columns = max(columns, len(entries))  # the rings height, so fill the width
    while columns > 1:
        rows = math.ceil(len(entries) / columns)
        widest = [max(entries[c * rows : (c + 1) * rows], default=0.0) for c in range(columns)]
        if sum(widest) + 1.5 * em * (columns - 1) + 2.0 * em <= width_in:
            break
        columns -= 1
    if legend._ncols != columns:  # the legend lays out its columns when made: make it again
        fig = legend.get_figure(root=False)
        legend.remove()
        with style.chart_context():
            _make_legend(fig, artists, columns)
        legend = artists.legend
        texts = legend.get_texts()
    if columns == 1:  # still too wide: wrap the entries to the width there is
        room = width_in - 2.0 * em - 4.0 * em
        for text, handle, entry in zip(texts, artists.legend_handles, entries, strict=True):
            full = handle.get_label()
            wrapped = (
                full
                if entry <= width_in - 2.0 * em
                else style.wrap(
                    full, max(int(len(full) * room / max(entry - 4.0 * em, 0.01)), 8), 3
                )
            )
            if text.get_text() != wrapped:
                text.set_text(wrapped)
    # rows, plus any wrapped (two-line) entries, counted as if all fell in one column
    lines = math.ceil(len(texts) / columns) + sum(t.get_text().count("\n") for t in texts)
    return 0.15 + 0.25 * lines


def _draw_frame(ax: Axes, chart: RadarChart, artists: RadarArtists, radial: Transform) -> None:
    k, n = len(chart.domains), len(chart.stages)
    angles = thetas(k)[:-1]
    circle = np.linspace(0.0, 2.0 * math.pi, RING_SEGMENTS + 1)
    unit = np.column_stack([np.sin(circle), np.cos(circle)])
    artists.rings = LineCollection(
        [unit * radius for radius in range(1, n + 1)],
        colors=style.GRID,
        linewidths=0.7,
        zorder=1.5,
        gid="stage-rings",
        clip_on=False,
    )
    ax.add_artist(artists.rings)
    tips = np.column_stack([np.sin(angles), np.cos(angles)]) * n
    artists.spokes = LineCollection(
        [((0.0, 0.0), (x, y)) for x, y in tips],
        colors=style.GRID,
        linewidths=0.7,
        zorder=1.5,
        gid="spokes",
        clip_on=False,
    )
    ax.add_artist(artists.spokes)
    label_angle = math.pi / k if k > 1 else math.pi / 4  # between the first two spokes
    for i, stage in enumerate(chart.stages):
        radius = i + 1
        text = CachedText(
            radius * math.sin(label_angle),
            radius * math.cos(label_angle),
            stage,
            ha="center",
            va="center",
            fontsize=7.5,
            color="#444444",
            zorder=RING_LABEL_ZORDER,  # the data is drawn over the stage names, never under
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6, "alpha": 0.75},
            gid=f"ring-label-{i}",
            clip_on=False,
        )
        ax.add_artist(text)
        artists.ring_labels.append(text)
    gap = radar_labels.LABEL_GAP
    for i, (angle, name) in enumerate(zip(angles, chart.domains, strict=True)):
        ha, va = radar_labels.alignment(angle)
        # text and size are set by layout_radar, which fits them to the figure
        text = CachedText(
            math.sin(angle) * n * gap,
            math.cos(angle) * n * gap,
            name,
            ha=ha,
            va=va,
            fontsize=8.5,
            clip_on=False,
            gid=f"domain-label-{i}",
            linespacing=radar_labels.LINE_SPACING,
        )
        ax.add_artist(text)
        artists.domain_labels.append(text)
    if chart.threshold is not None and 1 <= chart.threshold <= n:
        label = chart.threshold_label or f"{chart.stages[chart.threshold - 1]}: threshold"
        artists.threshold = Line2D(
            circle,
            np.full_like(circle, float(chart.threshold)),
            transform=radial,
            color=style.THRESHOLD_COLOUR,
            linewidth=2.6,
            linestyle=(0, (1.2, 1.8)),
            dash_capstyle="round",
            zorder=1.8,
            label=_legend_label(label),
            gid="threshold-ring",
            clip_on=False,
        )
        ax.add_artist(artists.threshold)


def _draw_series(
    ax: Axes, chart: RadarChart, index: int, series: RadarSeries, radial: Transform
) -> tuple[Line2D, PathPatch | None]:
    k, n = len(chart.domains), len(chart.stages)
    look = style.series_style(index)
    angle = thetas(k)
    band = None
    if series.band is not None:
        band = PathPatch(
            band_path(series.band, k, n),
            facecolor=_rgba(look.colour, BAND_ALPHA),
            edgecolor="none",
            zorder=2,
            gid=f"band-{index}",
            transform=radial,
            clip_on=False,
        )
        ax.add_artist(band)
    line = Line2D(
        angle,
        closed_values(series.values, k, n),
        transform=radial,
        color=look.colour,
        linestyle=look.line_style,
        marker=look.marker,
        markersize=6,
        linewidth=2.0,
        markeredgecolor="white",
        markeredgewidth=0.8,
        zorder=series_zorder(index),
        label=_legend_label(series.label or f"Series {index + 1}"),
        gid=f"series-{index}",
        clip_on=False,
    )
    ax.add_artist(line)
    return line, band


def series_zorder(index: int) -> float:
    """Return the drawing order of a series: the first (the current round) over the rest."""
    return SERIES_ZORDER - 0.01 * min(index, 99)


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
    patch = artists.bands[index]
    if patch is not None and band is not None:
        # The room's views rarely change with a stage key: only rebuild the sectors when they do.
        wanted = tuple(band)
        if artists.band_data.get(index) != wanted:
            patch.set_path(band_path(band, k, n))
            artists.band_data[index] = wanted
        changed.insert(0, patch)
    return changed


def build_radar(chart: RadarChart, width: float = WIDTH_IN, height: float = HEIGHT_IN) -> Figure:
    """Return a new Figure drawing the radar chart (or a "nothing to show" message)."""
    fig = style.new_figure(width, height)
    draw_radar(fig, chart)
    return fig
