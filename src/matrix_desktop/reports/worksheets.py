"""Workshop worksheets: one domain per page, with boxes to tick and room to write."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Table, TableStyle

from matrix_desktop.core.framework import EntityKind, Framework
from matrix_desktop.core.model import Entity
from matrix_desktop.reports.common import cover, no_progress
from matrix_desktop.reports.layout import (
    FONT,
    NO_TICK,
    RULE,
    SHADE,
    Progress,
    Running,
    build_pdf,
    frame_size,
    heading,
    para,
    rich,
    styles,
)
from matrix_desktop.reports.models import DEFAULT_OPTIONS, DocumentOptions
from matrix_desktop.reports.text import markup

WRITE_LINES = (
    "Evidence and why",
    "Key enablers",
    "Requests for support",
    "Actions (what, who, by when)",
)


def build_worksheets(
    fw: Framework,
    options: DocumentOptions = DEFAULT_OPTIONS,
    *,
    entity: Entity | None = None,
    progress: Progress = no_progress,
) -> bytes:
    """Return printable worksheets for a framework (only the domains for the entity's kind)."""
    width, height = frame_size(options)
    kind = entity.kind if entity else None
    domains = fw.domains_for(kind) if kind else fw.domains
    facts = [
        ("Framework", f"{fw.name}, version {fw.version}"),
        ("Publisher", fw.publisher),
        ("For", f"{entity.name} ({entity.kind.label})" if entity else _kinds(fw)),
        ("Round", "________________________"),
        ("Date", "________________________"),
        ("Facilitator", "________________________"),
    ]
    story: list[Flowable] = cover("Workshop worksheets", fw.name, facts, width)
    story.pop()  # the how-to follows on the cover page
    story += [
        rich("<b>How to use these sheets</b>", styles().h3),
        para(
            "One domain per page. Read the statements for each stage; tick those the room "
            "judges met; tick the stage the room agrees; note confidence and direction of "
            "travel; write the evidence, enablers, support needed and actions. Enter the "
            "results in matrix-desktop after the workshop.",
            styles().body,
        ),
    ]
    for i, d in enumerate(domains):
        progress(0.1 + 0.7 * i / max(len(domains), 1), f"Laying out {d.title}")
        story += [PageBreak(), heading(f"{d.number}. {d.title}", 0, toc=False)]
        if d.summary:
            story.append(para(d.summary, styles().muted))
        story.append(_stage_table(fw, d.key, width))
        story.append(_choices(fw, width))
        story.append(_writing_space(width, height))
    running = Running(
        title=f"Workshop worksheets: {fw.name} ({fw.version})",
        subject=f"{fw.name} ({fw.version}) workshop worksheets",
        header_left=entity.name if entity else fw.name,
        header_right="Workshop worksheet · Round: ____________",
        footer_left=f"{fw.name} ({fw.version})",
    )
    progress(0.85, "Writing the PDF")
    return build_pdf(story, running, options)


def _kinds(fw: Framework) -> str:
    return ", ".join(EntityKind(k).label for k in fw.applies_to)


def _stage_table(fw: Framework, domain_key: str, width: float) -> Table:
    st = styles()
    d = fw.domain(domain_key)
    rows: list[list[object]] = [
        [para("Stage", st.cell_bold), para("Statements (tick those met)", st.cell_bold)]
    ]
    for s in fw.stages:
        items = d.statements_for(s.key)
        cell = [rich(f"{NO_TICK}&nbsp;{markup(x.text)}", st.cell) for x in items] or [
            para("No descriptor published for this stage.", st.muted)
        ]
        rows.append([rich(f"{NO_TICK}&nbsp;<b>{markup(s.name)}</b>", st.cell), cell])
    t = Table(rows, colWidths=[32 * mm, width - 32 * mm], repeatRows=1, splitByRow=1, splitInRow=1)
    t.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 8.5),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("GRID", (0, 0), (-1, -1), 0.4, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return t


def _choices(fw: Framework, width: float) -> Table:
    st = styles()
    pick = "&nbsp;&nbsp;&nbsp;".join
    rows = [
        [
            para("Agreed stage", st.cell_bold),
            rich(pick(f"{NO_TICK} {markup(s.name)}" for s in fw.stages), st.cell),
        ],
        [
            para("Confidence", st.cell_bold),
            rich(pick(f"{NO_TICK} {x}" for x in ("Low", "Medium", "High")), st.cell),
        ],
        [
            para("Direction of travel", st.cell_bold),
            rich(
                pick(f"{NO_TICK} {x}" for x in ("Improving", "No change", "Deteriorating")), st.cell
            ),
        ],
    ]
    t = Table(rows, colWidths=[38 * mm, width - 38 * mm], spaceBefore=6)
    t.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 8.5),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return t


class _Lines(Flowable):
    """Ruled space to write in, filling what is left of the page."""

    def __init__(self, width: float, labels: tuple[str, ...], minimum: float = 120):
        super().__init__()
        self.width, self.labels, self.minimum = width, labels, minimum

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.height = max(avail_height - 2, min(self.minimum, avail_height))
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        block = self.height / len(self.labels)
        for i, label in enumerate(self.labels):
            top = self.height - i * block
            c.setFont(FONT, 8.5)
            c.setFillColor("#222222")
            c.drawString(0, top - 12, label)
            c.setStrokeColor("#b8b8b8")
            c.setLineWidth(0.4)
            y = top - 28
            while y > top - block + 4:
                c.line(0, y, self.width, y)
                y -= 17


def _writing_space(width: float, height: float) -> Flowable:
    return _Lines(width, WRITE_LINES, minimum=height * 0.3)
