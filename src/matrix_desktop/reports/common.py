"""Pieces every PDF report shares: cover pages and charts as flowables."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak

from matrix_desktop.reports.layout import (
    FONT,
    gap,
    labelled,
    para,
    rich,
    styles,
)
from matrix_desktop.reports.models import DocumentOptions
from matrix_desktop.reports.text import markup

log = logging.getLogger(__name__)

ChartDrawer = Callable[[object, float, float], Flowable]


def no_progress(_fraction: float, _message: str) -> None:
    return None


def cover(
    title: str, subtitle: str, facts: Sequence[tuple[str, str]], width: float, note: str = ""
) -> list[Flowable]:
    """Return a cover page: title, subtitle, a table of facts and a note, then a page break."""
    st = styles()
    return [
        gap(30),
        rich(markup(title), st.title),
        rich(markup(subtitle), st.subtitle),
        gap(8),
        labelled([(k, v) for k, v in facts if v], (45 * mm, width - 45 * mm)),
        gap(10),
        para(note or "Prepared with matrix-desktop.", st.muted),
        PageBreak(),
    ]


def chart(
    draw: ChartDrawer | None,
    model: object,
    width: float,
    max_height: float,
    label: str,
    options: DocumentOptions,
) -> list[Flowable]:
    """Return a chart as a vector drawing, or a note saying why it is not shown."""
    if draw is None or not options.include_charts:
        return [para(f"[{label}: chart not included in this copy]", styles().muted)]
    try:
        drawing = draw(model, width, max_height)
        if isinstance(drawing, Drawing):  # else the renderer selects Helvetica (unembedded)
            drawing.initialFontName = FONT
        return [drawing]
    except Exception as exc:  # a chart must never stop the document
        log.exception("chart %s failed", label)
        return [para(f"[{label}: the chart could not be drawn ({exc})]", styles().muted)]
