"""Pieces every report shares: cover pages, charts as flowables, the framework appendix."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak

from matrix_desktop.core.framework import Framework
from matrix_desktop.reports.layout import (
    FONT,
    bullets,
    gap,
    grid,
    heading,
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


class Turned(Flowable):
    """A drawing turned a quarter turn anticlockwise, so a wide chart fills a portrait page."""

    def __init__(self, drawing: Flowable):
        super().__init__()
        self.drawing = drawing

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        w, h = self.drawing.wrap(avail_height, avail_width)
        self.width, self.height = h, w
        return self.width, self.height

    def draw(self) -> None:
        self.canv.saveState()
        self.canv.translate(self.width, 0)
        self.canv.rotate(90)
        self.drawing.drawOn(self.canv, 0, 0)
        self.canv.restoreState()


def turned_chart(
    draw: ChartDrawer | None,
    model: object,
    width: float,
    height: float,
    label: str,
    options: DocumentOptions,
) -> list[Flowable]:
    """Return a wide chart turned to run up the page (width and height of the frame)."""
    out = chart(draw, model, height, width, label, options)
    return [Turned(f) if isinstance(f, Drawing) else f for f in out]


def framework_appendix(fw: Framework, width: float, kind: str | None = None) -> list[Flowable]:
    """Return the whole framework as published: facts, stages, every domain's statements."""
    st = styles()
    out: list[Flowable] = [PageBreak(), heading("Appendix: the framework as published", 0)]
    facts = [
        ("Framework", fw.name),
        ("Version", fw.version),
        ("Publisher", fw.publisher),
        ("Published", fw.published),
        ("Source", fw.source),
        ("Threshold stage", fw.stage(fw.threshold_stage).name if fw.threshold_stage else "None"),
        ("Stages", " → ".join(s.name for s in fw.stages)),
    ]
    out += [labelled(facts, (40 * mm, width - 40 * mm)), gap(3)]
    if fw.description:
        out.append(para(fw.description, st.body))
    for s in fw.stages:
        if s.description:
            out.append(rich(f"<b>{markup(s.name)}</b>: {markup(s.description)}", st.body))
    for note in fw.notes:
        out.append(para(note, st.muted))
    for d in fw.domains:
        out.append(heading(f"{d.number}. {d.title}", 1))
        if d.summary:
            out.append(para(d.summary, st.muted))
        rows = []
        for s in fw.stages:
            items = [x.text for x in d.statements_for(s.key)]
            cell = bullets(items, empty="No descriptor published for this stage.")
            rows.append([para(s.name, st.cell_bold), cell])
        out.append(
            grid(("Stage", "Descriptor statements"), rows, (32 * mm, width - 32 * mm), raw=True)
        )
    for section in fw.supporting:  # published with the matrix but not scored
        out.append(heading(section.title, 1))
        out += bullets([x.text for x in section.statements])
    return out
