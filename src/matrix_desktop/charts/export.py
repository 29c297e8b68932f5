"""Chart export: PNG at a chosen DPI, SVG with real text, clipboard bytes, reportlab Drawings."""

from __future__ import annotations

import io
import re
import struct
import zlib
from functools import cache
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from reportlab.graphics.shapes import Drawing

from matrix_desktop.charts import style
from matrix_desktop.paths import fonts_dir

DEFAULT_DPI = 150
CLIPBOARD_DPI = 150

_STYLE_ATTR = re.compile(rb'style="([^"]*)"')
_HEX6 = re.compile(r"^#[0-9a-fA-F]{6}$")


def figure_to_png(fig: Figure, dpi: int = DEFAULT_DPI, compress_level: int = 6) -> bytes:
    """Return the figure as PNG bytes at dpi dots per inch (white background, nothing clipped).

    compress_level (0-9) trades file size for time: 1 writes a large print-resolution chart
    several times faster than the default 6, for a somewhat larger file.
    """
    pixels = _Pixels()
    with style.chart_context():
        try:
            # matplotlib's "raw" writer hands over the drawn RGBA pixels without encoding
            # them; encode_png then writes them far faster than Pillow's encoder (see there).
            fig.savefig(pixels, format="raw", dpi=dpi, facecolor="white")
        except _NotPixels:  # a matplotlib that writes raw images otherwise: its own PNG
            buffer = io.BytesIO()
            fig.savefig(
                buffer,
                format="png",
                dpi=dpi,
                facecolor="white",
                pil_kwargs={"compress_level": compress_level},
            )
            return buffer.getvalue()
    return encode_png(pixels.rgba, dpi, compress_level)


class _NotPixels(ValueError):
    """matplotlib's raw writer wrote something other than its renderer's pixel buffer."""


class _Pixels(io.RawIOBase):
    """A file for matplotlib's raw writer that keeps the pixels written to it, uncopied."""

    rgba: np.ndarray

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[no-untyped-def,override]
        view = memoryview(data)
        if view.ndim != 3 or view.shape[2] != 4:  # not the renderer's (height, width, 4)
            raise _NotPixels("matplotlib wrote no RGBA image")
        self.rgba = np.asarray(view)
        return view.nbytes


def encode_png(rgba: np.ndarray, dpi: float, compress_level: int = 6) -> bytes:
    """Return an RGBA image (height x width x 4 bytes) as a PNG recording its resolution.

    Charts are flat colours with sharp edges, which deflate compresses well as they are:
    rows left unfiltered (filter "None") write a print-resolution chart in a fraction of the
    time of Pillow's encoder (which tries every row filter on every row), in a file of about
    the same size. The pixels stay RGBA, as matplotlib writes them.
    """
    if rgba.ndim != 3 or rgba.shape[2] != 4 or rgba.dtype != np.uint8:
        raise ValueError("encode_png takes a height x width x 4 array of bytes")
    height, width = rgba.shape[:2]
    rows = np.empty((height, 1 + width * 4), dtype=np.uint8)
    rows[:, 0] = 0  # each row's filter type: None
    rows[:, 1:] = rgba.reshape(height, width * 4)
    per_metre = max(round(dpi / 0.0254), 1)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", header),
            _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
            _chunk(b"IDAT", zlib.compress(rows, min(max(compress_level, 0), 9))),
            _chunk(b"IEND", b""),
        )
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(data, zlib.crc32(kind))
    return b"".join((struct.pack(">I", len(data)), kind, data, struct.pack(">I", crc)))


def save_png(fig: Figure, path: str | Path, dpi: int = DEFAULT_DPI) -> Path:
    """Write the figure as a PNG file and return its path."""
    target = Path(path)
    target.write_bytes(figure_to_png(fig, dpi))
    return target


def clipboard_png(fig: Figure, dpi: int = CLIPBOARD_DPI) -> bytes:
    """Return PNG bytes suitable for putting on the clipboard as an image."""
    return figure_to_png(fig, dpi)


def figure_to_svg(fig: Figure) -> bytes:
    """Return the figure as SVG whose labels are <text> elements and whose alpha is in colours.

    Text stays text (``svg.fonttype='none'``) so it can be searched, edited and read by screen
    readers.  Transparency is folded into ``#rrggbbaa`` colours because svglib (used for PDFs)
    drops separate ``opacity`` values; browsers and Inkscape read both forms.
    """
    buffer = io.BytesIO()
    with style.chart_context():
        fig.savefig(buffer, format="svg", facecolor="white", metadata={"Date": None})
    return fold_opacity_into_colours(buffer.getvalue())


def save_svg(fig: Figure, path: str | Path) -> Path:
    """Write the figure as an SVG file and return its path."""
    target = Path(path)
    target.write_bytes(figure_to_svg(fig))
    return target


def fold_opacity_into_colours(svg: bytes) -> bytes:
    """Rewrite style attributes so fill/stroke opacity lives in an RGBA hex colour."""
    return _STYLE_ATTR.sub(_fold_style, svg)


def _fold_style(match: re.Match[bytes]) -> bytes:
    declarations: dict[str, str] = {}
    for part in match.group(1).decode("utf-8").split(";"):
        if ":" in part:
            key, value = part.split(":", 1)
            declarations[key.strip()] = value.strip()
    if not any(k in declarations for k in ("opacity", "fill-opacity", "stroke-opacity")):
        return match.group(0)
    overall = _alpha(declarations.get("opacity"))
    folded_all = True
    for paint in ("fill", "stroke"):
        alpha = overall * _alpha(declarations.get(f"{paint}-opacity"))
        colour = declarations.get(paint)
        if colour is not None and _HEX6.match(colour):
            if alpha < 1.0:
                declarations[paint] = f"{colour}{round(alpha * 255):02x}"
            declarations.pop(f"{paint}-opacity", None)
        elif f"{paint}-opacity" in declarations or (colour not in (None, "none") and overall < 1):
            folded_all = False
    if folded_all:
        declarations.pop("opacity", None)
    text = "; ".join(f"{k}: {v}" for k, v in declarations.items())
    return b'style="' + text.encode("utf-8") + b'"'


def _alpha(value: str | None) -> float:
    if value is None:
        return 1.0
    try:
        return min(max(float(value), 0.0), 1.0)
    except ValueError:
        return 1.0


@cache
def register_pdf_fonts() -> bool:
    """Register the bundled DejaVu fonts with reportlab/svglib; return True when available."""
    from svglib.fonts import register_font

    regular, bold = (fonts_dir() / name for name in style.FONT_FILES)
    if not regular.is_file():
        return False
    register_font(style.FONT_FAMILY, str(regular), rlgFontName="DejaVuSans")
    if bold.is_file():
        register_font(style.FONT_FAMILY, str(bold), weight="bold", rlgFontName="DejaVuSans-Bold")
    return True


def figure_to_drawing(fig: Figure, width: float | None = None) -> Drawing:
    """Return a reportlab Drawing (a flowable) of the figure, scaled to width points if given.

    The chart goes through SVG, so its text stays text in the PDF (searchable, selectable) and
    uses the bundled DejaVu font, embedded by reportlab.
    """
    from svglib.svglib import svg2rlg

    register_pdf_fonts()
    drawing = svg2rlg(io.BytesIO(figure_to_svg(fig)))
    if drawing is None:
        raise ValueError("the chart could not be converted to a PDF drawing")
    if width is not None and drawing.width > 0:
        factor = width / drawing.width
        drawing.width *= factor
        drawing.height *= factor
        drawing.scale(factor, factor)
    return drawing
