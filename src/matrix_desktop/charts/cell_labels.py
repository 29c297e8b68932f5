"""Many short centred labels (heatmap cells): cached bitmaps on Agg, real text elsewhere."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.font_manager import FontProperties

from matrix_desktop.charts import style

PAD = 2


@lru_cache(maxsize=512)
def _bitmap(text: str, colour: str, size: float, dpi: float) -> np.ndarray:
    """Return the label rendered once as an RGBA array, in the row order draw_image expects."""
    prop = FontProperties(family=style.FONT_FAMILY, size=size)
    probe = RendererAgg(1, 1, dpi)
    width, height, descent = probe.get_text_width_height_descent(text, prop, ismath=False)
    w, h = int(np.ceil(width)) + 2 * PAD, int(np.ceil(height)) + 2 * PAD
    renderer = RendererAgg(w, h, dpi)
    gc = renderer.new_gc()
    gc.set_foreground(colour)
    renderer.draw_text(gc, PAD, h - PAD - descent, text, prop, 0)  # Agg: y runs down
    gc.restore()
    # draw_image takes rows bottom to top; buffer_rgba gives them top to bottom.
    image = np.ascontiguousarray(np.asarray(renderer.buffer_rgba())[::-1])
    return image


class CellLabels(Artist):
    """Labels centred on data positions, e.g. one stage name per heatmap cell.

    Hundreds of ``Text`` artists cost over a millisecond each to lay out and rasterise; here a
    raster canvas stamps a cached bitmap per distinct label instead, while vector outputs (SVG,
    PDF) still receive every label as real, searchable text.
    """

    def __init__(
        self,
        xs: Sequence[float],
        ys: Sequence[float],
        labels: Sequence[str],
        colours: Sequence[str],
        fontsize: float,
    ) -> None:
        super().__init__()
        self.xs = np.asarray(xs, dtype=float)
        self.ys = np.asarray(ys, dtype=float)
        self.labels = list(labels)
        self.colours = list(colours)
        self.fontsize = fontsize
        self.set_zorder(3)

    def draw(self, renderer) -> None:
        if not self.get_visible() or self.axes is None or not self.labels:
            return
        points = self.axes.transData.transform(np.column_stack([self.xs, self.ys]))
        gc = renderer.new_gc()
        renderer.open_group("cell-labels", gid=self.get_gid())
        if isinstance(renderer, RendererAgg):
            for (x, y), text, colour in zip(points, self.labels, self.colours, strict=True):
                image = _bitmap(text, colour, self.fontsize, renderer.dpi)
                h, w = image.shape[:2]
                renderer.draw_image(gc, round(x - w / 2), round(y - h / 2), image)
        else:
            prop = FontProperties(family=style.FONT_FAMILY, size=self.fontsize)
            canvas_height = renderer.get_canvas_width_height()[1]
            for (x, y), text, colour in zip(points, self.labels, self.colours, strict=True):
                width, height, descent = renderer.get_text_width_height_descent(
                    text, prop, ismath=False
                )
                gc.set_foreground(colour)
                baseline = y - height / 2 + descent
                if renderer.flipy():  # as Text.draw does
                    baseline = canvas_height - baseline
                renderer.draw_text(gc, x - width / 2, baseline, text, prop, 0)
        renderer.close_group("cell-labels")
        gc.restore()
        self.stale = False
