"""Lay out a report's blocks (reports.content) as a PDF with the house styles of reports.layout."""

from __future__ import annotations

from functools import cache

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, NextPageTemplate, TableStyle
from reportlab.platypus import PageBreak as RLPageBreak

from matrix_desktop.reports import content as c
from matrix_desktop.reports.common import ChartDrawer, chart, cover, no_progress
from matrix_desktop.reports.fonts import take_missing
from matrix_desktop.reports.layout import (
    Progress,
    build_pdf,
    bullets,
    contents,
    frame_size,
    gap,
    grid,
    heading,
    keep,
    labelled,
    long_text,
    para,
    rich,
    styles,
)
from matrix_desktop.reports.models import DEFAULT_OPTIONS, DocumentOptions
from matrix_desktop.reports.text import markup


@cache
def _ink(colour: str) -> ParagraphStyle:
    """Return the cell style in a given text colour (for shaded cells)."""
    return ParagraphStyle(f"cell-{colour}", parent=styles().cell, textColor=colors.HexColor(colour))


def widths_in_points(widths: tuple[float | None, ...], width: float) -> tuple[float, ...]:
    """Return column widths in points: millimetres as given, None sharing what is left."""
    fixed = sum(w * mm for w in widths if w is not None)
    flexible = sum(1 for w in widths if w is None)
    rest = max(width - fixed, 20 * mm) / max(flexible, 1)
    return tuple(rest if w is None else w * mm for w in widths)


def render_pdf(
    doc: c.Document,
    options: DocumentOptions = DEFAULT_OPTIONS,
    draw_chart: ChartDrawer | None = None,
    progress: Progress = no_progress,
) -> bytes:
    """Return the document as PDF bytes."""
    take_missing()  # start this document's list of unprintable characters afresh
    landscape = False
    story: list[Flowable] = []
    for block in doc.blocks:
        width, height = frame_size(options, landscape=landscape)
        if isinstance(block, c.PageBreak):
            if block.only_if_less_than:
                story.append(CondPageBreak(height * block.only_if_less_than))
                continue
            if block.orientation is not None:
                landscape = block.orientation == "landscape"
                story.append(NextPageTemplate("landscape" if landscape else "page"))
            story.append(RLPageBreak())
        elif isinstance(block, c.Step):
            progress(block.fraction, block.message)
        else:
            story += _flowables(block, width, height, options, draw_chart)
    return build_pdf(story, doc.running, options)


def _flowables(
    block: c.Block,
    width: float,
    height: float,
    options: DocumentOptions,
    draw: ChartDrawer | None,
) -> list[Flowable]:
    st = styles()
    if isinstance(block, c.Heading):
        return [heading(block.text, block.level, toc=block.toc)]
    if isinstance(block, c.Para):
        if block.style == "label":
            return [rich(f"<b>{markup(block.text)}</b>", st.h3)]
        style = st.muted if block.style == "muted" else st.body
        return long_text(block.text, style, empty=block.empty)
    if isinstance(block, c.Bullets):
        return bullets(list(block.items), empty=block.empty)
    if isinstance(block, c.Table):
        widths = widths_in_points(block.widths, width)
        if block.labelled:
            return [labelled([(str(k), str(v)) for k, v in block.rows], (widths[0], widths[1]))]
        rows: list[list[object]] = []
        shading: list[tuple[object, ...]] = []
        for r, row in enumerate(block.rows):
            shades = block.shades[r] if r < len(block.shades) else ()
            cells: list[object] = []
            for i, cell in enumerate(row):
                shade = shades[i] if i < len(shades) else None
                if isinstance(cell, tuple):
                    cells.append(bullets(list(cell), empty="—"))
                elif block.first_bold and i == 0:
                    cells.append(para(cell, st.cell_bold))
                elif shade is not None:
                    cells.append(para(cell, _ink(shade[1])))
                    spot = (i, r + 1)
                    shading.append(("BACKGROUND", spot, spot, colors.HexColor(shade[0])))
                else:
                    cells.append(cell)
            rows.append(cells)
        table = grid(block.header, rows, widths, raw=True)
        if shading:
            table.setStyle(TableStyle(shading))
        return [table]
    if isinstance(block, c.Chart):
        drawn = chart(
            draw, block.model, width * block.width, height * block.height, block.label, options
        )
        if block.heading is not None:
            h = block.heading
            return [keep(heading(h.text, h.level, toc=h.toc), *drawn)]
        return drawn
    if isinstance(block, c.Cover):
        return cover(block.title, block.subtitle, block.facts, width, note=block.note)
    if isinstance(block, c.Contents):
        return [contents()]
    if isinstance(block, c.Gap):
        return [gap(block.height)]
    raise TypeError(f"no PDF layout for {type(block).__name__}")
