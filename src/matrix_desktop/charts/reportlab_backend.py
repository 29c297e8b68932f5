"""Draw a matplotlib Figure straight onto a reportlab page: vector shapes, text as text.

The SVG route (matplotlib -> SVG text -> svglib parse -> Drawing) spends most of a report's
time writing and re-reading XML. This renderer takes matplotlib's paths and strings as it draws
them and records each as a PDF drawing operation (a path already written as PDF path
operators, its colours and line style; a string with its font), and ``VectorChart``, a
flowable, replays them onto the page, setting only what changes from one to the next. Neither
a shape object per path nor reportlab's general graphics renderer is involved: the whole
chart costs a fraction of the SVG route and about a third of building a reportlab Drawing.

It covers what the house charts use (paths, markers, text in the bundled DejaVu font; hatching
is left out, the patch keeps its colour); a figure holding an image raises
``UnsupportedFigure`` so the caller can fall back to the SVG route. Clip paths are not
applied: the house charts keep their data inside the axes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.backend_bases import GraphicsContextBase, RendererBase
from matplotlib.figure import Figure
from matplotlib.path import Path as MplPath
from matplotlib.transforms import IdentityTransform
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import FILL_NON_ZERO
from reportlab.platypus import Flowable

from matrix_desktop.charts import style

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
_CAP = {"butt": 0, "round": 1, "projecting": 2}
_JOIN = {"miter": 0, "round": 1, "bevel": 2}

Rgba = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class PathOp:
    """One path: its PDF path operators and how it is painted."""

    code: str  # "x y m x y l ... h", in the figure's points
    closed: bool  # every subpath closed (else a filled and stroked path is painted twice)
    fill: Rgba | None
    stroke: Rgba | None
    line: tuple[float, int, int, tuple[float, tuple[float, ...]] | None]  # width cap join dash


@dataclass(frozen=True, slots=True)
class TextOp:
    """One line of text at a point (its baseline's start), turned by angle degrees."""

    x: float
    y: float
    text: str
    font: str
    size: float
    colour: Rgba
    angle: float


class UnsupportedFigure(Exception):
    """The figure holds something this renderer does not draw (e.g. an image)."""


def _font(prop) -> str:
    weight = prop.get_weight()
    bold = weight in ("bold", "heavy", "extra bold", "black", "semibold", "demibold") or (
        isinstance(weight, int | float) and weight >= 600
    )
    return BOLD if bold else REGULAR


class ReportlabRenderer(RendererBase):
    """A matplotlib renderer that records PDF drawing operations (units: points, y up)."""

    def __init__(self, width: float, height: float):
        super().__init__()
        self.width, self.height = width, height
        self.ops: list[PathOp | TextOp] = []

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
        code: list[str] = []
        add = code.append
        last: tuple[float, float] | None = None
        start: tuple[float, float] | None = None
        subpaths = closed = 0
        for points, kind in path.iter_segments(
            transform, remove_nans=True, simplify=False, curves=True
        ):
            if kind == MplPath.MOVETO:
                last = start = (points[0], points[1])
                subpaths += 1
                add(fp_str(*last) + " m")
            elif kind == MplPath.LINETO:
                last = (points[0], points[1])
                add(fp_str(*last) + " l")
            elif kind == MplPath.CURVE4:
                last = (points[4], points[5])
                add(fp_str(*points) + " c")
            elif kind == MplPath.CURVE3:  # a quadratic as the cubic that draws it
                x0, y0 = last if last is not None else (points[0], points[1])
                cx, cy, x, y = points
                add(
                    fp_str(
                        x0 + 2 / 3 * (cx - x0),
                        y0 + 2 / 3 * (cy - y0),
                        x + 2 / 3 * (cx - x),
                        y + 2 / 3 * (cy - y),
                        x,
                        y,
                    )
                    + " c"
                )
                last = (x, y)
            elif kind == MplPath.CLOSEPOLY:
                add("h")
                closed += 1
                last = start
        if not code:
            return
        self.ops.append(PathOp(" ".join(code), closed >= subpaths, *self._paint(gc, rgbFace)))

    def _paint(self, gc, rgbFace):  # noqa: N803
        """Return the fill colour, stroke colour and line style a path is painted with."""
        forced = gc.get_forced_alpha()
        alpha = gc.get_alpha()
        fill: Rgba | None = None
        if rgbFace is not None and len(rgbFace) >= 3:
            a = alpha if forced or len(rgbFace) < 4 else rgbFace[3]
            fill = (float(rgbFace[0]), float(rgbFace[1]), float(rgbFace[2]), float(a))
        width = gc.get_linewidth()
        r, g, b, a = gc.get_rgb()
        if width > 0 and not (rgbFace is not None and a == 0):
            offset, dashes = gc.get_dashes()
            dash = (
                (float(offset or 0), tuple(float(d) for d in dashes))
                if dashes is not None and len(dashes)
                else None
            )
            stroke = (float(r), float(g), float(b), float(alpha if forced else a))
            line = (
                float(width),
                _CAP.get(gc.get_capstyle(), 0),
                _JOIN.get(gc.get_joinstyle(), 0),
                dash,
            )
            return fill, stroke, line
        # A hatch (the screen's second cue for greyscale) is not drawn: the patch prints in its
        # colour, as the SVG route prints it once the hatching is dropped.
        return fill, None, (0.0, 0, 0, None)

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
        r, g, b, a = gc.get_rgb()
        alpha = gc.get_alpha() if gc.get_forced_alpha() else a
        self.ops.append(
            TextOp(
                float(x),
                float(y),
                s.replace("$", "") if ismath else s,
                _font(prop),
                float(prop.get_size_in_points()),
                (float(r), float(g), float(b), float(alpha)),
                float(angle) % 360,
            )
        )

    def draw_image(self, gc, x, y, im, transform=None):
        raise UnsupportedFigure("images")


_IDENTITY = IdentityTransform()


class _PathCode:
    """A path already written as PDF operators, in the shape canvas.drawPath takes."""

    __slots__ = ("_code",)

    def __init__(self, code: str):
        self._code = code

    def getCode(self) -> str:  # noqa: N802 (reportlab's name)
        return self._code


class VectorChart(Flowable):
    """A chart as recorded PDF drawing operations: a flowable that replays them onto the page."""

    def __init__(self, width: float, height: float, ops: list[PathOp | TextOp]):
        super().__init__()
        self.width, self.height = width, height
        self.ops = ops
        self.factor = 1.0

    def scale_to(self, factor: float) -> None:
        """Print the chart factor times its size (text and lines with it)."""
        self.factor *= factor
        self.width *= factor
        self.height *= factor

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.width, self.height

    def texts(self) -> list[str]:
        """Return every line of text the chart prints, in drawing order."""
        return [op.text for op in self.ops if isinstance(op, TextOp)]

    def fonts(self) -> set[str]:
        """Return the names of the fonts the chart prints in."""
        return {op.font for op in self.ops if isinstance(op, TextOp)}

    def fill_colours(self) -> list[Rgba]:
        """Return the colour of every filled path, in drawing order."""
        return [op.fill for op in self.ops if isinstance(op, PathOp) and op.fill is not None]

    def draw(self) -> None:
        replay(self.canv, self.ops, self.factor)


def replay(canvas, ops: list[PathOp | TextOp], factor: float = 1.0) -> None:  # noqa: C901
    """Draw recorded operations on a reportlab canvas at factor times their size.

    Colours, line style and font are set only when they differ from the operation before
    (they start unknown, so the first of each is always set), inside one saved graphics
    state that is restored at the end.
    """
    canvas.saveState()
    if factor != 1.0:
        canvas.scale(factor, factor)
    fill: Rgba | None = None
    stroke: Rgba | None = None
    line: tuple[float, int, int, object] | None = None
    font: tuple[str, float] | None = None
    for op in ops:
        if isinstance(op, TextOp):
            if op.colour != fill:
                fill = op.colour
                canvas.setFillColorRGB(*fill[:3], alpha=fill[3])
            if (op.font, op.size) != font:
                font = (op.font, op.size)
                canvas.setFont(*font)
            if op.angle == 0:
                canvas.drawString(op.x, op.y, op.text)
            else:
                canvas.saveState()
                canvas.translate(op.x, op.y)
                canvas.rotate(op.angle)
                canvas.drawString(0, 0, op.text)
                canvas.restoreState()
            continue
        if op.fill is not None and op.fill != fill:
            fill = op.fill
            canvas.setFillColorRGB(*fill[:3], alpha=fill[3])
        if op.stroke is not None:
            if op.stroke != stroke:
                stroke = op.stroke
                canvas.setStrokeColorRGB(*stroke[:3], alpha=stroke[3])
            if op.line != line:
                width, cap, join, dash = op.line
                previous = line
                line = op.line
                if previous is None or previous[0] != width:
                    canvas.setLineWidth(width)
                if previous is None or previous[1] != cap:
                    canvas.setLineCap(cap)
                if previous is None or previous[2] != join:
                    canvas.setLineJoin(join)
                if previous is None or previous[3] != dash:
                    if dash is None:
                        canvas.setDash()
                    else:
                        canvas.setDash(list(dash[1]), dash[0])
        path = _PathCode(op.code)
        filled, stroked = op.fill is not None, op.stroke is not None
        if filled and stroked and not op.closed:
            # An open outline: filled as if closed, stroked open (as matplotlib draws it).
            canvas.drawPath(path, stroke=0, fill=1, fillMode=FILL_NON_ZERO)
            canvas.drawPath(path, stroke=1, fill=0)
        elif filled or stroked:
            canvas.drawPath(path, stroke=int(stroked), fill=int(filled), fillMode=FILL_NON_ZERO)
    canvas.restoreState()


def figure_to_vector(fig: Figure, width: float | None = None) -> VectorChart:
    """Return the figure as a VectorChart, scaled to width points if given."""
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
    chart = VectorChart(renderer.width, renderer.height, renderer.ops)
    if width is not None and chart.width > 0:
        chart.scale_to(width / chart.width)
    return chart
