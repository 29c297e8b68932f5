"""Draw a matplotlib Figure straight into a reportlab Drawing: vector shapes, text as text.

The SVG route (matplotlib -> SVG text -> svglib parse -> Drawing) spends most of a report's
time writing and re-reading XML; this renderer hands matplotlib's paths and strings to
reportlab directly, about three times faster.  It covers what the house charts use (paths,
markers, text in the bundled DejaVu font; hatching is left out, the patch keeps its colour);
a figure holding an image raises ``UnsupportedFigure`` so the caller can fall back to the SVG
route.  Clip paths are not applied: the house charts keep their data inside the axes.
"""

from __future__ import annotations

import copy
import math

import numpy as np
from matplotlib.backend_bases import GraphicsContextBase, RendererBase
from matplotlib.figure import Figure
from matplotlib.path import Path as MplPath
from matplotlib.transforms import IdentityTransform
from reportlab.graphics.shapes import Drawing, Group, Path, String
from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import FILL_NON_ZERO

from matrix_desktop.charts import style

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
_CAP = {"butt": 0, "round": 1, "projecting": 2}
_JOIN = {"miter": 0, "round": 1, "bevel": 2}


class UnsupportedFigure(Exception):
    """The figure holds something this renderer does not draw (e.g. an image)."""


def _font(prop) -> str:
    weight = prop.get_weight()
    bold = weight in ("bold", "heavy", "extra bold", "black", "semibold", "demibold") or (
        isinstance(weight, int | float) and weight >= 600
    )
    return BOLD if bold else REGULAR


class ReportlabRenderer(RendererBase):
    """A matplotlib renderer whose output is a reportlab Drawing (units: points, y up)."""

    def __init__(self, width: float, height: float):
        super().__init__()
        self.width, self.height = width, height
        self.drawing = Drawing(width, height)

    # -- what matplotlib asks ------------------------------------------------------------
    def flipy(self) -> bool:
        return False

    def get_canvas_width_height(self) -> tuple[float, float]:
        return self.width, self.height

    def points_to_pixels(self, points):
        return points

    def new_gc(self) -> GraphicsContextBase:
        return GraphicsContextBase()

    def option_image_nocomposite(self) -> bool:
        return True

    def get_text_width_height_descent(self, s, prop, ismath):
        size = prop.get_size_in_points()
        name = _font(prop)
        face = pdfmetrics.getFont(name).face
        width = pdfmetrics.stringWidth(s, name, size)
        descent = -face.descent * size / 1000.0
        height = face.ascent * size / 1000.0 + descent
        return width, height, descent

    # -- drawing -------------------------------------------------------------------------
    def draw_path(self, gc, path, transform, rgbFace=None):  # noqa: N803
        # "svg" fills an open path as matplotlib does (reportlab's default leaves it empty);
        # non-zero winding is matplotlib's fill rule too.
        shape = _new_path()
        for points, code in path.iter_segments(
            transform, remove_nans=True, simplify=False, curves=True
        ):
            if code == MplPath.MOVETO:
                shape.moveTo(*points)
            elif code == MplPath.LINETO:
                shape.lineTo(*points)
            elif code == MplPath.CURVE4:
                shape.curveTo(*points)
            elif code == MplPath.CURVE3:
                (x0, y0) = shape.points[-2:] if shape.points else points[:2]
                cx, cy, x, y = points
                shape.curveTo(
                    x0 + 2 / 3 * (cx - x0),
                    y0 + 2 / 3 * (cy - y0),
                    x + 2 / 3 * (cx - x),
                    y + 2 / 3 * (cy - y),
                    x,
                    y,
                )
            elif code == MplPath.CLOSEPOLY:
                shape.closePath()
        if not shape.points:
            return
        self._paint(shape, gc, rgbFace)
        self.drawing.add(shape)

    def _paint(self, shape: Path, gc, rgbFace) -> None:  # noqa: N803
        # Set straight into the shape's attributes: reportlab checks each attribute set through
        # it even with shape checking off, which cost more than the drawing itself.
        look = shape.__dict__
        forced = gc.get_forced_alpha()
        alpha = gc.get_alpha()
        if rgbFace is not None and len(rgbFace) >= 3:
            a = alpha if forced or len(rgbFace) < 4 else rgbFace[3]
            look["fillColor"] = Color(*rgbFace[:3], alpha=a)
        else:
            look["fillColor"] = None
        width = gc.get_linewidth()
        r, g, b, a = gc.get_rgb()
        if width > 0 and not (rgbFace is not None and gc.get_rgb()[3] == 0):
            look["strokeColor"] = Color(r, g, b, alpha=alpha if forced else a)
            look["strokeWidth"] = width
            look["strokeLineCap"] = _CAP.get(gc.get_capstyle(), 0)
            look["strokeLineJoin"] = _JOIN.get(gc.get_joinstyle(), 0)
            offset, dashes = gc.get_dashes()
            if dashes is not None and len(dashes):
                look["strokeDashArray"] = (offset or 0, [float(d) for d in dashes])
        else:
            look["strokeColor"] = None
        # A hatch (the screen's second cue for greyscale) is not drawn: the patch prints in its
        # colour, as the SVG route prints it once the hatching is dropped.

    def draw_markers(self, gc, marker_path, marker_trans, path, trans, rgbFace=None):  # noqa: N803, E501
        # The marker's outline in points once, then moved to each position (composing a new
        # transform per marker cost more than drawing it).
        marker = marker_trans.transform_path(marker_path)
        for vertices, _code in path.iter_segments(trans, simplify=False):
            if len(vertices) < 2 or not np.all(np.isfinite(vertices[-2:])):
                continue
            x, y = vertices[-2:]
            placed = MplPath(marker.vertices + (x, y), marker.codes)
            self.draw_path(gc, placed, _IDENTITY, rgbFace)

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):  # noqa: E501
        if not s.strip():
            return
        text = s.replace("$", "") if ismath else s
        r, g, b, a = gc.get_rgb()
        alpha = gc.get_alpha() if gc.get_forced_alpha() else a
        level = angle % 360 == 0  # most labels: placed directly, no rotated group
        string = copy.copy(_BLANK_STRING)  # as for paths: not each attribute checked
        string.__dict__.update(
            x=x if level else 0,
            y=y if level else 0,
            text=text,
            fontName=_font(prop),
            fontSize=prop.get_size_in_points(),
            fillColor=Color(r, g, b, alpha=alpha),
        )
        if level:
            self.drawing.add(string)
            return
        group = Group(string)
        rad = math.radians(angle)
        c, s_ = math.cos(rad), math.sin(rad)
        group.transform = (c, s_, -s_, c, x, y)
        self.drawing.add(group)

    def draw_image(self, gc, x, y, im, transform=None):
        raise UnsupportedFigure("images")


_IDENTITY = IdentityTransform()
# Every path starts as this one: copied, not made (making one sets each attribute through
# reportlab's checks); each copy gets its own point and operator lists.
_BLANK_PATH = Path(autoclose="svg", fillMode=FILL_NON_ZERO)
_BLANK_STRING = String(0, 0, "")


def _new_path() -> Path:
    shape = copy.copy(_BLANK_PATH)
    shape.__dict__.update(points=[], operators=[])
    return shape


def figure_to_drawing(fig: Figure, width: float | None = None) -> Drawing:
    """Return the figure as a reportlab Drawing, scaled to width points if given."""
    from matrix_desktop.charts.export import register_pdf_fonts

    if not register_pdf_fonts():
        raise UnsupportedFigure("the bundled DejaVu font is missing")
    original_dpi = fig.dpi
    w_in, h_in = fig.get_size_inches()
    renderer = ReportlabRenderer(w_in * 72.0, h_in * 72.0)
    try:
        fig.set_dpi(72)
        with style.chart_context():
            background = fig.patch.get_facecolor()
            fig.patch.set_facecolor("white")
            fig.draw(renderer)
            fig.patch.set_facecolor(background)
    finally:
        fig.set_dpi(original_dpi)
    drawing = renderer.drawing
    if width is not None and drawing.width > 0:
        factor = width / drawing.width
        drawing.width *= factor
        drawing.height *= factor
        drawing.scale(factor, factor)
    return drawing
