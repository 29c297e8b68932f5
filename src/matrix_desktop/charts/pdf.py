"""Charts for print: a chart view-model as a vector flowable (text stays text)."""

from __future__ import annotations

from collections.abc import Iterator

from matplotlib.artist import Artist
from matplotlib.figure import Figure
from reportlab.platypus import Flowable

from matrix_desktop.charts.figures import build_figure

MIN_PRINT_PT = 7.0  # no chart text smaller than this on the printed page


def chart_drawing(model: object, width: float, max_height: float) -> Flowable:
    """Return a chart view-model as a vector flowable fitting width x max_height points."""
    return figure_drawing(print_figure(model, width, max_height), width, max_height)


def print_figure(model: object, width: float, max_height: float) -> Figure:
    """Return the chart's Figure for a page where it fits width x max_height points.

    A radar is laid out at the size it will print, so its labels fit at their own sizes; any
    other chart is scaled to fit, so its text is first raised to what prints at MIN_PRINT_PT.
    """
    from matrix_desktop.charts import style
    from matrix_desktop.charts.radar import draw_radar, key_for_print
    from matrix_desktop.core.chart_models import RadarChart

    if isinstance(model, RadarChart):
        side = min(width, max_height) / 72
        fig = style.new_figure(side, side)
        key_for_print(fig, draw_radar(fig, model))
    else:
        fig = build_figure(model)
    w, h = fig.get_size_inches()
    scale = min(width / (w * 72), max_height / (h * 72))
    floor_text(fig, MIN_PRINT_PT / scale)
    return fig


def floor_text(fig: Figure, smallest: float) -> None:
    """Raise every text in the figure smaller than `smallest` points to that size."""
    from matplotlib.text import Text

    from matrix_desktop.charts.axis_ticks import XTicks
    from matrix_desktop.charts.cached_text import LabelBatch
    from matrix_desktop.charts.cell_labels import CellLabels
    from matrix_desktop.charts.key_row import KeyRow

    for artist in _printed(fig):
        if isinstance(artist, CellLabels):
            artist.fontsize = max(artist.fontsize, smallest)
            continue
        text = artist._text if isinstance(artist, LabelBatch | KeyRow | XTicks) else artist
        if isinstance(text, Text) and text.get_fontsize() < smallest:
            text.set_fontsize(smallest)


def _printed(artist: Artist) -> Iterator[Artist]:
    """Yield the artist and everything under it, leaving out axes' axes that are turned off.

    Like ``findobj`` but in one walk, and without asking an axis that never prints (the radar
    turns its axes off) for its ticks: that builds and lays out every tick, for nothing.
    """
    from matplotlib.axis import Axis

    yield artist
    for child in artist.get_children():
        if isinstance(child, Axis) and not (child.axes.axison and child.get_visible()):
            continue
        yield from _printed(child)


def figure_drawing(fig: Figure, width: float, max_height: float) -> Flowable:
    """Return a figure as a vector flowable fitting width x max_height points.

    Images are redrawn as vector cells first (changing fig), so the fast direct renderer can
    draw it (a VectorChart); it draws hatched patches in their colour without the hatching.
    The SVG route (a reportlab Drawing) remains for anything it cannot (its hatching is
    dropped first, changing fig).
    """
    from reportlab import rl_config

    from matrix_desktop.charts.export import figure_to_drawing, register_pdf_fonts
    from matrix_desktop.charts.reportlab_backend import UnsupportedFigure, figure_to_vector

    register_pdf_fonts()
    _vectorise_images(fig)
    try:
        chart = figure_to_vector(fig, width)
    except UnsupportedFigure:  # e.g. an RGB image: take the slower SVG route
        _unhatch(fig)
        # Building a Drawing sets thousands of shape attributes; reportlab validating each
        # one costs much and guards nothing here (the values come from svglib).
        checking, rl_config.shapeChecking = rl_config.shapeChecking, 0
        try:
            drawing = figure_to_drawing(fig, width)
        finally:
            rl_config.shapeChecking = checking
        if drawing.height > max_height:
            factor = max_height / drawing.height
            drawing.width *= factor
            drawing.height *= factor
            drawing.scale(factor, factor)
        return drawing
    if chart.height > max_height:
        chart.scale_to(max_height / chart.height)
    return chart


def _vectorise_images(fig: Figure) -> None:
    """Redraw each image (e.g. the heatmap's cells) as coloured vector cells, for print.

    An image would reach the PDF as a raster; cells as vector rectangles stay sharp at any
    zoom, and the direct renderer can then draw the whole figure.
    """
    import numpy as np
    from matplotlib.image import AxesImage

    for ax in fig.axes:
        for image in [a for a in ax.get_children() if isinstance(a, AxesImage)]:
            data = image.get_array()
            if data is None or data.ndim != 2:
                continue  # an RGB picture, not a colour-mapped grid: leave it
            left, right, bottom, top = image.get_extent()
            rows, cols = data.shape
            xs = np.linspace(left, right, cols + 1)
            ys = (
                np.linspace(top, bottom, rows + 1)
                if image.origin == "upper"
                else np.linspace(bottom, top, rows + 1)
            )
            limits = ax.get_xlim(), ax.get_ylim()
            ax.pcolormesh(
                xs,
                ys,
                data,
                cmap=image.cmap,
                norm=image.norm,
                zorder=image.get_zorder(),
                edgecolors="face",
                linewidth=0.0,
            )
            ax.set_xlim(limits[0])
            ax.set_ylim(limits[1])
            image.remove()


def _unhatch(fig: Figure) -> None:
    """Drop hatching before the SVG -> PDF conversion.

    matplotlib writes a hatched patch as an SVG <pattern> fill, which svglib cannot read, so
    the bar would print white; without the hatch it prints in its colour (and keeps its label).
    """
    from matplotlib.collections import Collection
    from matplotlib.patches import Patch

    for artist in fig.findobj(lambda a: isinstance(a, Patch | Collection)):
        if artist.get_hatch():
            artist.set_hatch(None)
    for legend in fig.legends:
        for handle in getattr(legend, "legend_handles", []):
            if isinstance(handle, Patch) and handle.get_hatch():
                handle.set_hatch(None)
