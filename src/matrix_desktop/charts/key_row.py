"""A figure's key (legend) as one artist: swatches and labels laid out as matplotlib lays out a
``fig.legend`` without a frame or title, at a fraction of its cost.

A ``Legend`` builds a handler artist, a text box, a drawing box and packers per entry, then
packs them again at every draw (each packer asking its children for their boxes afresh): a
fifth of building and printing a report chart. ``KeyRow`` keeps one swatch per entry and one
``Text``; at draw time it measures the labels with the renderer and places everything with the
same arithmetic matplotlib's packers use, so the key prints where and as the legend did.
Swatches are made from the chart's handles as matplotlib's legend handlers make them
(``update_from`` the handle): a patch becomes a rectangle, a line a short line with its marker
once in the middle.

It uses matplotlib's own packing helpers (offsetbox._get_aligned_offsets, _get_packed_offsets,
_get_anchored_bbox), private but stable in the pinned matplotlib; tests/charts/test_key_row.py
compares its pixels and PDF operations with a real legend's, so a change there shows at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib import text as mtext
from matplotlib.artist import Artist
from matplotlib.lines import Line2D
from matplotlib.offsetbox import _get_aligned_offsets, _get_anchored_bbox, _get_packed_offsets
from matplotlib.patches import Patch, Rectangle
from matplotlib.text import Text
from matplotlib.transforms import Affine2D, Bbox, BboxTransformTo, IdentityTransform

from matrix_desktop.charts.cached_text import adopt

# matplotlib's legend location code for "lower center" (offsetbox._get_anchored_bbox)
_LOWER_CENTER = 8


def _swatch(handle: Artist, width: float, height: float, descent: float) -> Artist:
    """Return the key's drawing of a handle in a width x height box (points), as a legend's."""
    if isinstance(handle, Line2D):
        # One marker in the middle of a line across the box (a legend's numpoints=1).
        xdata = np.linspace(-0.0, width, 3)
        swatch: Artist = Line2D(xdata, np.full_like(xdata, (height - descent) / 2), markevery=[1])
    elif isinstance(handle, Patch):
        swatch = Rectangle(xy=(-0.0, -descent), width=width, height=height)
    else:
        raise TypeError(f"a key entry must be a line or a patch, not {type(handle).__name__}")
    swatch.update_from(handle)
    swatch.set_clip_box(None)
    swatch.set_clip_path(None)
    return swatch


class KeyRow(Artist):
    """A frameless key below (or around) a point of the figure: ``fig.add_artist(KeyRow(...))``.

    Takes what ``fig.legend`` takes for a frameless key anchored by its lower centre:
    handles with their labels, the font size, columns (filled top to bottom, left to right),
    the anchor as a fraction of the figure, and the legend's spacings in font sizes.
    With ``cached_text`` the labels draw as CachedText (as texts a chart adopts).
    """

    def __init__(
        self,
        handles: Sequence[Artist],
        labels: Sequence[str] | None = None,
        *,
        fontsize: float,
        ncols: int = 1,
        anchor: tuple[float, float] = (0.5, 0.0),
        handlelength: float = 2.0,
        handleheight: float = 0.7,
        handletextpad: float = 0.8,
        labelspacing: float = 0.5,
        columnspacing: float = 2.0,
        borderpad: float = 0.4,
        borderaxespad: float = 0.5,
        cached_text: bool = False,
        gid: str | None = None,
    ) -> None:
        super().__init__()
        self.labels = [str(h.get_label()) for h in handles] if labels is None else list(labels)
        self.fontsize = fontsize
        self.ncols = max(int(ncols), 1)
        self.anchor = anchor
        self.handlelength, self.handleheight = handlelength, handleheight
        self.handletextpad, self.labelspacing = handletextpad, labelspacing
        self.columnspacing, self.borderpad, self.borderaxespad = (
            columnspacing,
            borderpad,
            borderaxespad,
        )
        # as a legend's drawing box: this much below the baseline, the rest above
        self._descent = 0.35 * fontsize * (handleheight - 0.7)
        box_h = fontsize * handleheight - self._descent
        self.swatches = [_swatch(h, handlelength * fontsize, box_h, self._descent) for h in handles]
        self._places = [Affine2D() for _ in self.swatches]  # each swatch's box, set at draw
        for swatch, place in zip(self.swatches, self._places, strict=True):
            swatch.set_transform(place)
        # The labels' look (a print may raise its size: pdf.floor_text); drawn once per label.
        self._text = Text(0, 0, "", fontsize=fontsize, ha="left", va="baseline")
        self._text.set_transform(IdentityTransform())
        if cached_text:  # drawn from the Agg bitmap cache, like a legend's adopted texts
            adopt(self._text)
        self.set_gid(gid)
        self.set_zorder(5)  # as a legend

    def get_texts(self) -> list[str]:
        """Return the labels, in order."""
        return list(self.labels)

    def get_children(self) -> list[Artist]:
        return list(self.swatches)

    def set_figure(self, fig) -> None:  # type: ignore[no-untyped-def]
        super().set_figure(fig)
        self._text.set_figure(fig)
        for swatch in self.swatches:
            swatch.set_figure(fig)

    def _entry_boxes(self, renderer) -> list[tuple[Bbox, Bbox, float]]:
        """Return each entry's swatch box, label box and label baseline shift (pixels)."""
        dpi_cor = renderer.points_to_pixels(1.0)
        figure = self.get_figure(root=True)
        text = self._text
        _, lp_h, lp_d = mtext._get_text_metrics_with_cache(
            renderer, "lp", text._fontproperties, ismath=False, dpi=figure.dpi
        )
        width = self.handlelength * self.fontsize
        height = self.fontsize * self.handleheight - self._descent
        swatch_box = Bbox.from_bounds(
            -0.0 * dpi_cor, -self._descent * dpi_cor, width * dpi_cor, height * dpi_cor
        )
        boxes = []
        for label in self.labels:
            text.set_text(label)
            bbox, info, descent = text._get_layout(renderer)
            w, h = bbox.size
            shift = 0.0
            if len(info) > 1:  # centred on a one-line label's middle (multilinebaseline)
                centred = 0.5 * h - 0.5 * (lp_h - lp_d)
                shift = descent - centred
                descent = centred
            else:
                h = max(lp_h - lp_d, h - descent) + descent
            boxes.append((swatch_box, Bbox.from_bounds(0, -descent, w, h), shift))
        return boxes

    def _layout(self, renderer) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
        """Return where each swatch box and each label goes (display pixels)."""
        dpi_cor = renderer.points_to_pixels(1.0)
        f = self.fontsize
        entries = self._entry_boxes(renderer)
        order = list(range(len(entries)))
        columns = [list(c) for c in np.array_split(order, self.ncols) if len(c)]
        item_boxes, item_offsets = {}, {}
        for i, (swatch_box, label_box, _shift) in enumerate(entries):
            item_boxes[i], item_offsets[i] = _hpack(
                [swatch_box, label_box], (self.handletextpad * f) * dpi_cor
            )
        column_boxes, column_offsets = [], []
        for column in columns:
            box, offsets = _vpack(
                [item_boxes[i] for i in column], (self.labelspacing * f) * dpi_cor, "baseline"
            )
            column_boxes.append(box)
            column_offsets.append(offsets)
        handle_box, handle_offsets = _hpack(column_boxes, (self.columnspacing * f) * dpi_cor)
        outer, outer_offsets = _vpack(
            [handle_box],
            (self.labelspacing * f) * dpi_cor,
            "center",
            (self.borderpad * f) * dpi_cor,
        )
        # Anchored as a legend with loc="lower center" at bbox_to_anchor=anchor.
        figure = self.get_figure(root=True)
        parent = Bbox.from_bounds(*self.anchor, 0, 0).transformed(BboxTransformTo(figure.bbox))
        pad = self.borderaxespad * renderer.points_to_pixels(f)
        x, y = _get_anchored_bbox(
            _LOWER_CENTER, Bbox.from_bounds(0, 0, outer.width, outer.height), parent, pad
        )
        px, py = x + -outer.x0, y + -outer.y0
        hx, hy = px + outer_offsets[0][0], py + outer_offsets[0][1]
        swatch_at: list[tuple[float, float]] = [(0.0, 0.0)] * len(entries)
        label_at: list[tuple[float, float]] = [(0.0, 0.0)] * len(entries)
        for column, (cx_off, cy_off), offsets in zip(
            columns, handle_offsets, column_offsets, strict=True
        ):
            cx, cy = hx + cx_off, hy + cy_off
            for i, (ix_off, iy_off) in zip(column, offsets, strict=True):
                ix, iy = cx + ix_off, cy + iy_off
                (sx, sy), (tx, ty) = item_offsets[i]
                swatch_at[i] = (ix + sx, iy + sy)
                label_at[i] = (ix + tx, iy + ty + entries[i][2])
        return swatch_at, label_at

    def draw(self, renderer) -> None:
        if not self.get_visible() or not self.labels:
            return
        renderer.open_group("key", gid=self.get_gid())
        swatch_at, label_at = self._layout(renderer)
        dpi_cor = renderer.points_to_pixels(1.0)
        for swatch, place, (sx, sy), label, position in zip(
            self.swatches, self._places, swatch_at, self.labels, label_at, strict=True
        ):
            place.clear().scale(dpi_cor).translate(sx, sy)
            swatch.draw(renderer)
            self._text.set_text(label)
            self._text.set_position(position)
            self._text.draw(renderer)
        renderer.close_group("key")
        self.stale = False


def _hpack(boxes: list[Bbox], sep: float) -> tuple[Bbox, list[Any]]:
    """Place boxes side by side on a common baseline, as matplotlib's HPacker (no padding)."""
    (y0, y1), yoffsets = _get_aligned_offsets([b.intervaly for b in boxes], None, "baseline")
    width, xoffsets = _get_packed_offsets([b.width for b in boxes], None, sep, "fixed")
    x0 = boxes[0].x0
    xoffsets -= [b.x0 for b in boxes] - x0
    return Bbox.from_bounds(x0, y0, width, y1 - y0), [*zip(xoffsets, yoffsets, strict=True)]


def _vpack(boxes: list[Bbox], sep: float, align: str, pad: float = 0.0) -> tuple[Bbox, list[Any]]:
    """Stack boxes top to bottom, as matplotlib's VPacker."""
    (x0, x1), xoffsets = _get_aligned_offsets([b.intervalx for b in boxes], None, align)
    height, yoffsets = _get_packed_offsets([b.height for b in boxes], None, sep, "fixed")
    yoffsets = height - (yoffsets + [b.y1 for b in boxes])
    descent = yoffsets[0]
    yoffsets = yoffsets - descent
    return (
        Bbox.from_bounds(x0, -descent, x1 - x0, height).padded(pad),
        [*zip(xoffsets, yoffsets, strict=True)],
    )
