"""Many short centred labels (heatmap cells, counts on bars): cached bitmaps on Agg, real text
elsewhere, each optionally on a box of its own colour."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.colors import to_rgba
from matplotlib.font_manager import FontProperties
from matplotlib.path import Path
from matplotlib.transforms import Affine2D

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

    With ``backgrounds`` each label sits on a filled box of that colour, `pad` points wider
    than the text on every side (as a Text's bbox would, e.g. to keep a hatched bar's pattern
    out of a number drawn on it), without a patch and a Text per label.
    """

    def __init__(
        self,
        xs: Sequence[float],
        ys: Sequence[float],
        labels: Sequence[str],
        colours: Sequence[str],
        fontsize: float,
        backgrounds: Sequence[str] | None = None,
        pad: float = 1.2,
    ) -> None:
        super().__init__()
        self.xs = np.asarray(xs, dtype=float)
        self.ys = np.asarray(ys, dtype=float)
        self.labels = list(labels)
        self.colours = list(colours)
        self.fontsize = fontsize
        self.backgrounds = None if backgrounds is None else list(backgrounds)
        self.pad = pad
        self.set_zorder(3)

    def draw(self, renderer) -> None:
        if not self.get_visible() or self.axes is None or not self.labels:
            return
        points = self.axes.transData.transform(np.column_stack([self.xs, self.ys]))
        gc = renderer.new_gc()
        renderer.open_group("cell-labels", gid=self.get_gid())
        backs = self.backgrounds or [None] * len(self.labels)
        pad = renderer.points_to_pixels(self.pad)
        if isinstance(renderer, RendererAgg):
            for (x, y), text, colour, back in zip(
                points, self.labels, self.colours, backs, strict=True
            ):
                image = _bitmap(text, colour, self.fontsize, renderer.dpi)
                h, w = image.shape[:2]
                if back is not None:
                    _box(renderer, x, y, w - 2 * PAD + 2 * pad, h - 2 * PAD + 2 * pad, back)
                renderer.draw_image(gc, round(x - w / 2), round(y - h / 2), image)
        else:
            prop = FontProperties(family=style.FONT_FAMILY, size=self.fontsize)
            canvas_height = renderer.get_canvas_width_height()[1]
            for (x, y), text, colour, back in zip(
                points, self.labels, self.colours, backs, strict=True
            ):
                width, height, descent = renderer.get_text_width_height_descent(
                    text, prop, ismath=False
                )
                if back is not None:
                    _box(renderer, x, y, width + 2 * pad, height + 2 * pad, back)
                gc.set_foreground(colour)
                baseline = y - height / 2 + descent
                if renderer.flipy():  # as Text.draw does
                    baseline = canvas_height - baseline
                renderer.draw_text(gc, x - width / 2, baseline, text, prop, 0)
        renderer.close_group("cell-labels")
        gc.restore()
        self.stale = False


def _box(renderer, x: float, y: float, width: float, height: float, colour: str) -> None:
    """Fill a width x height box centred on (x, y) display pixels with colour, unstroked."""
    box = renderer.new_gc()
    box.set_linewidth(0)
    left, bottom = x - width / 2, y - height / 2
    path = Path.unit_rectangle()
    placed = Affine2D().scale(width, height).translate(left, bottom)
    renderer.draw_path(box, path, placed, to_rgba(colour))
    box.restore()
