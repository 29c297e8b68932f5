"""Text that lays out and rasterises once per process on Agg, and stays real text in SVG/PDF.

Laying out and rasterising one line of text costs one to two milliseconds here, and matplotlib
repeats both for every new canvas (each chart built, each resize), although charts are rebuilt
on every edit with the same labels.  Agg text depends only on the text, the font, the colour
and the dpi, so this module measures with one long-lived renderer per dpi and keeps each
distinct label as a bitmap that is stamped at its position.  Vector back ends (SVG, PDF) and
anything unusual (rotation, math, TeX, path effects) take matplotlib's ordinary text path, so
exported files keep real, searchable text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from matplotlib import font_manager
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.text import Text
from matplotlib.transforms import Bbox, IdentityTransform, Transform
from numpy.typing import ArrayLike

# This module builds on matplotlib Text internals (_get_layout, _fontproperties, ...), stable in
# the pinned matplotlib 3.10 but absent from its type stubs.
# mypy: disable-error-code="attr-defined"

PAD = 2  # pixels of transparent border around each bitmap

# family, style, variant, weight, stretch, size in points, file, math font family
FontKey = tuple[tuple[str, ...], Any, Any, Any, Any, float, Any, str]


@lru_cache(maxsize=8)
def _measurer(dpi: float) -> RendererAgg:
    """Return a long-lived Agg renderer used only to measure text at dpi."""
    return RendererAgg(1, 1, dpi)


def font_key(prop: FontProperties) -> FontKey:
    """Return a hashable snapshot of a FontProperties (which is mutable)."""
    return (
        tuple(prop.get_family()),
        prop.get_style(),
        prop.get_variant(),
        prop.get_weight(),
        prop.get_stretch(),
        prop.get_size_in_points(),
        prop.get_file(),
        prop.get_math_fontfamily(),
    )


def _font(key: FontKey) -> FontProperties:
    family, style, variant, weight, stretch, size, fname, math_family = key
    return FontProperties(
        family=list(family),
        style=style,
        variant=variant,
        weight=weight,
        stretch=stretch,
        size=size,
        fname=fname,
        math_fontfamily=math_family,
    )


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: layout() makes each once
class Block:
    """A laid-out label relative to its anchor point, in pixels (y up)."""

    bbox: Bbox  # the text's extent around the anchor, as Text.get_window_extent gives it
    origin: tuple[int, int]  # the bitmap's lower-left corner, relative to the anchor
    size: tuple[int, int]  # bitmap width and height
    lines: tuple[tuple[str, float, float], ...]  # (line, x, y from the top) inside the bitmap


@lru_cache(maxsize=8)
def _dpi_figure(dpi: float) -> Figure:
    """Return an empty Figure that only lends its dpi to the Texts that layout() measures."""
    return Figure(dpi=dpi)


@lru_cache(maxsize=4096)
def layout(
    text: str,
    font: FontKey,
    dpi: float,
    linespacing: float,
    ha: Any,
    va: Any,
    ma: Any,
) -> Block:
    """Return the layout of a label, measured once per process (Agg metrics)."""
    # A new Text per distinct label (not one shared): safe if a worker thread exports a chart.
    scratch = Text(
        0,
        0,
        text,
        fontproperties=_font(font),
        linespacing=linespacing,
        horizontalalignment=ha,
        verticalalignment=va,
        multialignment=ma,
    )
    scratch.set_figure(_dpi_figure(dpi))
    bbox, info, _descent = Text._get_layout(scratch, _measurer(dpi))
    x0, y0 = math.floor(bbox.x0) - PAD, math.floor(bbox.y0) - PAD
    width, height = math.ceil(bbox.x1) + PAD - x0, math.ceil(bbox.y1) + PAD - y0
    lines = tuple((line, x - x0, height - (y - y0)) for line, _wh, x, y in info)
    return Block(bbox.frozen(), (x0, y0), (width, height), lines)


@lru_cache(maxsize=1024)  # a few charts' labels at screen and export dpi: tens of MB at most
def _bitmap(
    block: Block,
    font: FontKey,
    font_file: str,  # the file the family resolves to when drawn: part of the key only
    rgba: tuple[float, float, float, float],
    antialiased: bool,
    dpi: float,
) -> np.ndarray:
    """Return a laid-out label rendered as an RGBA array, rows bottom to top."""
    width, height = block.size
    renderer = RendererAgg(width, height, dpi)
    gc = renderer.new_gc()
    gc.set_foreground(rgba, isRGBA=True)
    gc.set_antialiased(antialiased)
    prop = _font(font)
    for line, x, y in block.lines:
        renderer.draw_text(gc, x, y, line, prop, 0)
    gc.restore()
    # draw_image takes rows bottom to top; buffer_rgba gives them top to bottom.
    return np.ascontiguousarray(np.asarray(renderer.buffer_rgba())[::-1])


def _stamp(
    renderer: RendererAgg,
    gc,
    block: Block,
    image: np.ndarray,
    x: float,
    y: float,
) -> None:
    renderer.draw_image(gc, round(x) + block.origin[0], round(y) + block.origin[1], image)


def _plain(text: Text, renderer) -> bool:
    """Return True when text can take the cached bitmap path on this renderer."""
    return (
        isinstance(renderer, RendererAgg)
        and text.get_rotation() % 360 == 0
        and not text.get_usetex()
        and not text.get_path_effects()
        and "$" not in text.get_text()
    )


class CachedText(Text):
    """A ``Text`` that Agg draws as one cached bitmap per distinct label (see module docstring).

    It is still a ``Text``: extents, legends, findobj and vector output work as usual.
    """

    def _get_layout(self, renderer):
        if isinstance(renderer, RendererAgg):
            renderer = _measurer(renderer.dpi)  # matplotlib caches metrics per renderer
        return super()._get_layout(renderer)

    def draw(self, renderer) -> None:
        if not _plain(self, renderer):
            super().draw(renderer)
            return
        self._renderer = renderer
        if not self.get_visible() or self.get_text() == "":
            return
        posx, posy = self.get_transform().transform(
            (float(self.convert_xunits(self._x)), float(self.convert_yunits(self._y)))
        )
        if not (math.isfinite(posx) and math.isfinite(posy)):
            return
        renderer.open_group("text", self.get_gid())
        if self._bbox_patch:
            self.update_bbox_position_size(renderer)
            self._bbox_patch.draw(renderer)
        text = self._get_wrapped_text()
        font = font_key(self._fontproperties)
        block = layout(
            text,
            font,
            renderer.dpi,
            self._linespacing,
            self._horizontalalignment,
            self._verticalalignment,
            self._get_multialignment(),
        )
        image = _bitmap(
            block,
            font,
            font_manager.findfont(self._fontproperties),
            to_rgba(self.get_color(), self.get_alpha()),
            bool(self._antialiased),
            renderer.dpi,
        )
        gc = renderer.new_gc()
        self._set_gc_clip(gc)
        _stamp(renderer, gc, block, image, posx, posy)
        gc.restore()
        renderer.close_group("text")
        self.stale = False


def adopt(text: Text) -> Text:
    """Make a Text built by matplotlib (legend entries, suptitle) draw as a CachedText."""
    if type(text) is Text:
        text.__class__ = CachedText
    return text


class LabelBatch(Artist):
    """Many labels sharing one font, colour and alignment, drawn by one artist.

    For row and column names: a ``Text`` per label costs a fraction of a millisecond just to
    create.  On Agg each label is stamped from the bitmap cache; other renderers get every
    label as real text through one reused ``Text``.
    """

    def __init__(
        self,
        xs: ArrayLike,
        ys: ArrayLike,
        labels: Sequence[str],
        *,
        fontsize: float,
        fontweight: str = "normal",
        colour: str | None = None,
        ha: Any = "center",
        va: Any = "center",
        ma: Any = None,
        linespacing: float = 1.2,
        transform: Transform | None = None,
        gid: str | None = None,
    ) -> None:
        super().__init__()
        self.xs = np.asarray(xs, dtype=float)
        self.ys = np.asarray(ys, dtype=float)
        self.labels = list(labels)
        self._text = Text(
            0,
            0,
            "",
            fontsize=fontsize,
            fontweight=fontweight,
            color=colour,
            ha=ha,
            va=va,
            multialignment=ma,
            linespacing=linespacing,
        )
        if transform is not None:
            self.set_transform(transform)
        self.set_gid(gid)
        self.set_zorder(3)
        self.set_clip_on(False)

    def get_texts(self) -> list[str]:
        """Return the labels, in order."""
        return list(self.labels)

    def _points(self) -> np.ndarray:
        return self.get_transform().transform(np.column_stack([self.xs, self.ys]))

    def _block(self, label: str, dpi: float) -> Block:
        t = self._text
        return layout(
            label,
            font_key(t.get_fontproperties()),
            dpi,
            t._linespacing,
            t.get_horizontalalignment(),
            t.get_verticalalignment(),
            t._get_multialignment(),
        )

    def label_extents(self, renderer=None) -> list[Bbox]:
        """Return each label's extent in display pixels (Agg metrics)."""
        figure = self.get_figure(root=True)
        dpi = figure.dpi if figure is not None else 100.0
        return [
            self._block(label, dpi).bbox.translated(round(x), round(y))
            for (x, y), label in zip(self._points(), self.labels, strict=True)
        ]

    def get_window_extent(self, renderer=None) -> Bbox:
        boxes = self.label_extents(renderer)
        return Bbox.union(boxes) if boxes else Bbox.null()

    def draw(self, renderer) -> None:
        if not self.get_visible() or not self.labels:
            return
        points = self._points()
        renderer.open_group("labels", gid=self.get_gid())
        stamp = self._text
        figure = self.get_figure(root=False)
        if stamp.get_figure(root=False) is None and figure is not None:
            stamp.set_figure(figure)
        if _plain(stamp, renderer):
            prop = stamp.get_fontproperties()
            font, font_file = font_key(prop), font_manager.findfont(prop)
            rgba = to_rgba(stamp.get_color())
            gc = renderer.new_gc()
            for (x, y), label in zip(points, self.labels, strict=True):
                block = self._block(label, renderer.dpi)
                image = _bitmap(block, font, font_file, rgba, True, renderer.dpi)
                _stamp(renderer, gc, block, image, x, y)
            gc.restore()
        else:
            stamp.set_transform(IdentityTransform())
            for (x, y), label in zip(points, self.labels, strict=True):
                stamp.set_position((x, y))
                stamp.set_text(label)
                stamp.draw(renderer)
        renderer.close_group("labels")
        self.stale = False
