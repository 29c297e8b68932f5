"""Text that lays out and rasterises once per process on Agg, and stays real text in SVG/PDF."""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from matplotlib import font_manager
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.colors import to_rgba
from matplotlib.font_manager import FontProperties
from matplotlib.text import Text

PAD = 2  # pixels of transparent border around each cached bitmap


@lru_cache(maxsize=8)
def _measurer(dpi: float) -> RendererAgg:
    """Return a long-lived Agg renderer used only to measure text at dpi.

    matplotlib caches text metrics per renderer, and every new canvas (each chart, each resize)
    brings a new renderer, so every label was measured afresh at about a millisecond a line.
    Agg metrics depend only on the text, the font and the dpi, so one renderer per dpi serves.
    """
    return RendererAgg(1, 1, dpi)


@lru_cache(maxsize=2048)
def _block_bitmap(
    lines: tuple[tuple[str, float, float], ...],
    size: tuple[int, int],
    prop: FontProperties,
    font_file: str,  # part of the key: the font the family resolves to when drawn
    rgba: tuple[float, float, float, float],
    antialiased: bool,
    dpi: float,
) -> np.ndarray:
    """Return the lines (text, x, y-down baseline in pixels) rendered as one RGBA array."""
    width, height = size
    renderer = RendererAgg(width, height, dpi)
    gc = renderer.new_gc()
    gc.set_foreground(rgba, isRGBA=True)
    gc.set_antialiased(antialiased)
    for text, x, y in lines:
        renderer.draw_text(gc, x, y, text, prop, 0)
    gc.restore()
    # draw_image takes rows bottom to top; buffer_rgba gives them top to bottom.
    return np.ascontiguousarray(np.asarray(renderer.buffer_rgba())[::-1])


class CachedText(Text):
    """A ``Text`` whose Agg drawing stamps a cached bitmap of the whole (multi-line) block.

    Laying out and rasterising a line of text costs one to two milliseconds here, and charts
    are rebuilt on every edit and resize with the same labels.  On Agg this artist measures with
    a shared renderer (cached across figures) and draws one cached image per distinct label;
    SVG and PDF output, rotated, math and TeX text go through the ordinary ``Text`` path, so
    vector files keep real, searchable text.
    """

    def _get_layout(self, renderer):  # type: ignore[no-untyped-def]
        if isinstance(renderer, RendererAgg):
            renderer = _measurer(renderer.dpi)
        return super()._get_layout(renderer)

    def _fast_path(self, renderer) -> bool:  # type: ignore[no-untyped-def]
        return (
            isinstance(renderer, RendererAgg)
            and self.get_rotation() % 360 == 0
            and not self.get_usetex()
            and not self.get_path_effects()
            and "$" not in self.get_text()
        )

    def draw(self, renderer) -> None:  # type: ignore[no-untyped-def]
        if not self._fast_path(renderer):
            super().draw(renderer)
            return
        self._renderer = renderer
        if not self.get_visible() or self.get_text() == "":
            return
        renderer.open_group("text", self.get_gid())
        with self._cm_set(text=self._get_wrapped_text()):
            bbox, info, _descent = self._get_layout(renderer)
            posx, posy = self.get_transform().transform(
                (float(self.convert_xunits(self._x)), float(self.convert_yunits(self._y))))
            if not (math.isfinite(posx) and math.isfinite(posy)):
                renderer.close_group("text")
                return
            if self._bbox_patch:
                self.update_bbox_position_size(renderer)
                self._bbox_patch.draw(renderer)
            # Bitmap origin: the block's lower-left corner on the pixel grid, less the padding.
            x0 = math.floor(posx + bbox.x0) - PAD
            y0 = math.floor(posy + bbox.y0) - PAD
            width = math.ceil(posx + bbox.x1) + PAD - x0
            height = math.ceil(posy + bbox.y1) + PAD - y0
            fx, fy = posx - x0, posy - y0  # the anchor inside the bitmap (y up)
            lines = tuple(
                (line, round(fx + x, 2), round(height - (fy + y), 2)) for line, _wh, x, y in info)
            image = _block_bitmap(
                lines, (width, height), self._fontproperties.copy(),
                font_manager.findfont(self._fontproperties), to_rgba(self.get_color(),
                                                                      self.get_alpha()),
                bool(self._antialiased), renderer.dpi,
            )
            gc = renderer.new_gc()
            self._set_gc_clip(gc)
            renderer.draw_image(gc, x0, y0, image)
            gc.restore()
        renderer.close_group("text")
        self.stale = False


def adopt(text: Text) -> Text:
    """Make a Text built by matplotlib (legend entries, suptitle) draw as a CachedText."""
    if type(text) is Text:
        text.__class__ = CachedText
    return text
