"""Shared chart look: bundled font, Okabe-Ito palette, greyscale-safe styles, text helpers."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

import matplotlib
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from matrix_desktop.charts.cached_text import adopt
from matrix_desktop.paths import fonts_dir

FONT_FAMILY = "DejaVu Sans"
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common CVD.
OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#000000",  # black
    "#F0E442",  # yellow (last: weak on white)
)
# Line style and marker vary independently of colour so a greyscale print still separates series.
LINE_STYLES = ("-", "--", "-.", ":")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")

INK = "#222222"
GRID = "#9a9a9a"
THRESHOLD_COLOUR = "#000000"
NOT_ASSESSED_COLOUR = "#eeeeee"
# ColorBrewer YlGnBu steps (sequential, colour-blind safe, monotone in lightness).
SEQUENTIAL = ("#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84")
# ColorBrewer PuOr (diverging, colour-blind safe): orange = self above peer, purple = below.
DIVERGING = ("#542788", "#8073ac", "#b2abd2", "#f7f7f7", "#fdb863", "#e08214", "#b35806")

MINUS = "\u2212"


@dataclass(frozen=True)
class SeriesStyle:
    """How one series is drawn, so it reads in colour and in greyscale."""

    colour: str
    line_style: str
    marker: str


def series_style(index: int) -> SeriesStyle:
    """Return the colour, line style and marker for the index-th series."""
    return SeriesStyle(
        colour=OKABE_ITO[index % len(OKABE_ITO)],
        line_style=LINE_STYLES[index % len(LINE_STYLES)],
        marker=MARKERS[index % len(MARKERS)],
    )


@cache
def register_fonts() -> tuple[str, ...]:
    """Add the bundled DejaVu fonts to matplotlib's font manager; return the files added."""
    added = []
    for name in FONT_FILES:
        path = fonts_dir() / name
        if path.is_file():
            font_manager.fontManager.addfont(str(path))
            added.append(str(path))
    return tuple(added)


# The rcParams every chart is built under, made once (rc_context only reads it).
_CHART_RC: dict[str, object] = {
    "font.family": "sans-serif",
    "font.sans-serif": [FONT_FAMILY],
    "font.size": 9,
    "axes.titlesize": 11,
    "text.color": INK,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "axes.edgecolor": GRID,
    "svg.fonttype": "none",
    "svg.hashsalt": "matrix-desktop",
    "legend.frameon": False,
}


def chart_rc() -> dict[str, object]:
    """Return the rcParams every chart is built under (a fresh copy the caller may change)."""
    return dict(_CHART_RC)


@contextmanager
def chart_context() -> Iterator[None]:
    """Build a chart with the bundled font and house style, without touching global rcParams."""
    register_fonts()  # cached: the fonts are added once per process
    with matplotlib.rc_context(_CHART_RC):
        yield


def wrap(text: str, width: int, max_lines: int | None = None) -> str:
    """Return text wrapped to width characters, cut with an ellipsis after max_lines."""
    lines = textwrap.wrap(" ".join(str(text).split()), width=max(width, 4)) or [""]
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(width - 1, 1)].rstrip() + "\u2026"
    return "\n".join(lines)


def stage_name(stages: Sequence[str], value: float) -> str:
    """Return the name of the stage nearest to a 1..N position."""
    index = min(max(int(math.floor(value + 0.5)) - 1, 0), len(stages) - 1)
    return stages[index]


def signed(value: float) -> str:
    """Return a stage difference as "+1", "−2" or "0" (true minus sign)."""
    rounded = round(value, 1)
    text = f"{abs(rounded):g}"
    if rounded > 0:
        return "+" + text
    if rounded < 0:
        return MINUS + text
    return "0"


def text_colour_for(background: str) -> str:
    """Return black or white, whichever reads better on the background colour."""
    r, g, b = (int(background[i : i + 2], 16) / 255 for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#000000" if luminance > 0.45 else "#ffffff"


def sample(palette: Sequence[str], count: int) -> tuple[str, ...]:
    """Return count colours spread evenly across a palette, light to dark."""
    if count <= 0:
        return ()
    if count == 1:
        return (palette[len(palette) // 2],)
    return tuple(palette[round(i * (len(palette) - 1) / (count - 1))] for i in range(count))


def nothing_to_show(fig: Figure, why: str, title: str = "") -> Figure:
    """Draw a clear "nothing to show: <why>" message in place of a chart and return the figure."""
    if title:
        adopt(fig.suptitle(wrap(title, 70, 3), fontsize=11))
    message = fig.text(
        0.5,
        0.5,
        wrap(f"nothing to show: {why}", 60),
        ha="center",
        va="center",
        fontsize=12,
        color=INK,
        gid="nothing-to-show",
    )
    adopt(message)
    return fig


@contextmanager
def limits_set_by_caller(ax: Axes) -> Iterator[None]:
    """Add patches to an axes without measuring them, for a chart that sets both limits itself.

    matplotlib measures each patch added (its outline through the axes' transforms) to grow
    the data limits that autoscaling reads: a quarter of the time of building the vote
    chart. A chart that sets its x and y limits explicitly never autoscales, so within this
    block patches are added unmeasured; nothing else changes.
    """
    setattr(ax, "_update_patch_limits", _unmeasured)  # noqa: B010 (an instance's override)
    try:
        yield
    finally:
        del ax._update_patch_limits


def _unmeasured(_patch: object) -> None:
    return None


def new_figure(width: float, height: float) -> Figure:
    """Return a white Figure of the given size in inches (no pyplot, no global state)."""
    return Figure(figsize=(width, height), facecolor="white")
