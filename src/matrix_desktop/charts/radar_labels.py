"""Fit a radar's domain labels to the figure: the biggest readable type that neither overlaps nor
leaves the figure, shortened (numbered, with an ellipsis) only when the space is really short.

At each type size every wrap width is tried and the one that leaves the rings biggest wins.
When no usual wrap fits at any size, long lines are tried before names are cut: a wide, short
figure (a radar under a table) then writes its labels on fewer, longer lines, so they need
less height and keep their full names.

Each candidate style is measured with the cached Agg text layout (cached_text.layout), so after
the first draw a fit costs a few dictionary look-ups per label, fast enough to run on every
resize of a widget.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from matplotlib.font_manager import FontProperties

from matrix_desktop.charts.cached_text import font_key, layout

LABEL_GAP = 1.07  # label anchors sit this far out, in ring radii
EDGE_IN = 0.06  # keep labels this far inside the figure edge
SPACE_IN = 0.03  # and this far apart from each other
MIN_SHARE = 0.42  # the rings span at least this share of the room before type shrinks further
LINE_SPACING = 1.15
WIDER_GAIN = 0.03  # a wider wrap is taken only when it makes the rings this much bigger


@dataclass(frozen=True)
class LabelStyle:
    """How to write the domain labels: type size, wrap width, line limit, numbering."""

    fontsize: float
    wrap: int
    max_lines: int = 4
    numbered: bool = False  # "3. Governance…": the number ties it to the domain list and legend
    short: int | None = None  # cut to this many characters (with an ellipsis) after the number

    def text(self, index: int, name: str) -> str:
        number = f"{index + 1}"
        prefix = self.numbered and not name.lstrip().startswith(number)
        if self.short == 0:
            return number if self.numbered else ""
        if self.short is not None and len(name) > self.short:
            name = name[: self.short - 1].rstrip() + "\u2026"
        # The number goes before the first line, not into the wrapping: wrapped with the name
        # it could push the name's first word past the last line and leave "2.…".
        body = wrap_words(name, self.wrap, self.max_lines)
        return f"{number}. {body}" if prefix else body


def wrap_words(text: str, width: int, max_lines: int) -> str:
    """Return text wrapped at spaces only (never inside a word), cut with an ellipsis."""
    lines = textwrap.wrap(
        " ".join(text.split()), width=max(width, 1), break_long_words=False, break_on_hyphens=False
    ) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(width - 1, 1)].rstrip() + "\u2026"
    return "\n".join(lines)


@dataclass(frozen=True)
class LabelFit:
    """The chosen style, the label texts and where the rings go (inches from bottom-left)."""

    style: LabelStyle
    texts: tuple[str, ...]
    centre: tuple[float, float]
    radius: float
    shortened: bool  # some label no longer shows its full name (tooltips give it)


def alignment(angle: float) -> tuple[str, str]:
    """Return (ha, va) that put a label outside the rings at this angle (clockwise from top)."""
    x, y = math.sin(angle), math.cos(angle)
    ha = "left" if x > 0.2 else "right" if x < -0.2 else "center"
    va = "bottom" if y > 0.2 else "top" if y < -0.2 else "center"
    return ha, va


def candidates(domain_count: int) -> Iterator[tuple[LabelStyle, ...]]:
    """Yield tiers of label styles, from the most to the least readable, for this many domains.

    The styles in one tier are equally readable (one type size, several wrap widths); the
    fit takes the first tier that fits and, within it, the style that leaves the rings biggest.
    """
    if domain_count <= 8:
        sizes, wraps, wide = (9.5, 8.5, 7.5), (22, 16, 12), (32, 48)
    elif domain_count <= 14:
        sizes, wraps, wide = (8.5, 8.0, 7.5, 7.0), (18, 14, 11), (26, 40)
    elif domain_count <= 24:
        sizes, wraps, wide = (7.0, 6.5, 6.0), (16, 12), (24,)
    else:
        sizes, wraps, wide = (6.0, 5.5), (22, 16), ()
    for size in sizes:
        yield tuple(LabelStyle(size, wrap) for wrap in wraps)
    # Long lines only when the usual wraps do not fit at any size: in a square figure they
    # would shrink the rings, in a wide short one they are what lets the full names fit.
    for size in sizes if wide else ():
        yield tuple(LabelStyle(size, wrap) for wrap in wide)
    smallest = sizes[-1]
    for short in (24, 16):
        yield (LabelStyle(smallest, 12, 2, numbered=True, short=short),)
    yield (LabelStyle(smallest, 12, 1, numbered=True, short=10),)
    yield (LabelStyle(smallest, 4, 1, numbered=True, short=0),)  # the number alone


def fit_labels(
    names: Sequence[str],
    angles: Sequence[float],
    font: FontProperties,
    size_in: tuple[float, float],
    dpi: float,
    reserve_in: tuple[float, float, float, float],
) -> LabelFit:
    """Return the most readable label style that fits, and the ring centre and radius for it.

    reserve_in (left, right, top, bottom) is kept free for the title and the legend.
    """
    width, height = size_in
    left, right, top, bottom = reserve_in
    box = (left + EDGE_IN, bottom + EDGE_IN, width - right - EDGE_IN, height - top - EDGE_IN)
    room = max(min(box[2] - box[0], box[3] - box[1]) / 2, 0.05)
    centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
    aligns = [alignment(a) for a in angles]
    units = [(math.sin(a), math.cos(a)) for a in angles]
    last: LabelFit | None = None
    for tier in candidates(len(names)):
        best: LabelFit | None = None
        for candidate in tier:
            texts = tuple(candidate.text(i, n) for i, n in enumerate(names))
            prop = font.copy()
            prop.set_size(candidate.fontsize)
            key = font_key(prop)
            extents = []
            for text, (ha, va) in zip(texts, aligns, strict=True):
                b = layout(text, key, dpi, LINE_SPACING, ha, va, None).bbox
                extents.append((b.x0 / dpi, b.y0 / dpi, b.x1 / dpi, b.y1 / dpi))
            radius = _largest_radius(extents, units, centre, box, room)
            shortened = candidate.short is not None or any(
                t.replace("\n", " ") != " ".join(n.split())
                for t, n in zip(texts, names, strict=True)
            )
            last = LabelFit(candidate, texts, centre, max(radius, 0.05), shortened)
            if shortened and not candidate.numbered:
                continue  # a plain style must show every name in full; numbered ones may cut
            if radius < MIN_SHARE * room or _any_overlap(extents, units, centre, radius):
                continue
            # an earlier (narrower) wrap keeps its place unless a later one is clearly bigger
            if best is None or radius > best.radius * (1 + WIDER_GAIN):
                best = last
        if best is not None:
            return best
    assert last is not None
    return last


def _largest_radius(extents, units, centre, box, room) -> float:
    """Return the largest ring radius at which every label stays inside box (or -1)."""
    radius = room
    cx, cy = centre
    for (x0, y0, x1, y1), (ux, uy) in zip(extents, units, strict=True):
        # the label's edges move with the radius: edge = centre + LABEL_GAP * r * u + offset
        for start, unit, low, high, lo_off, hi_off in (
            (cx, ux, box[0], box[2], x0, x1),
            (cy, uy, box[1], box[3], y0, y1),
        ):
            slope = LABEL_GAP * unit
            if slope > 1e-9:
                radius = min(radius, (high - start - hi_off) / slope)
            elif slope < -1e-9:
                radius = min(radius, (low - start - lo_off) / slope)
            elif start + lo_off < low or start + hi_off > high:
                return -1.0  # a label on this axis is wider than the room at any radius
    return radius


def _any_overlap(extents, units, centre, radius) -> bool:
    boxes = [
        (
            centre[0] + LABEL_GAP * radius * ux + x0,
            centre[1] + LABEL_GAP * radius * uy + y0,
            centre[0] + LABEL_GAP * radius * ux + x1,
            centre[1] + LABEL_GAP * radius * uy + y1,
        )
        for (x0, y0, x1, y1), (ux, uy) in zip(extents, units, strict=True)
    ]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if (
                a[0] < b[2] + SPACE_IN
                and b[0] < a[2] + SPACE_IN
                and a[1] < b[3] + SPACE_IN
                and b[1] < a[3] + SPACE_IN
            ):
                return True
    return False
