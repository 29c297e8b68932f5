"""The system summary: heatmap, domains ranked, themes, enablers, support, a page per entity."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, PageBreak

from matrix_desktop.reports.common import ChartDrawer, chart, cover, no_progress, turned_chart
from matrix_desktop.reports.layout import (
    Progress,
    Running,
    build_pdf,
    bullets,
    contents,
    frame_size,
    grid,
    heading,
    labelled,
    para,
    styles,
)
from matrix_desktop.reports.models import (
    DEFAULT_OPTIONS,
    DocumentOptions,
    EntitySummary,
    SystemSummaryReport,
    ThemeEntry,
)


def build_system_summary(
    report: SystemSummaryReport,
    options: DocumentOptions = DEFAULT_OPTIONS,
    draw_chart: ChartDrawer | None = None,
    progress: Progress = no_progress,
) -> bytes:
    """Return the system summary as PDF bytes."""
    st = styles()
    width, height = frame_size(options)
    facts = [
        ("System", report.system),
        ("Round", report.round),
        ("Latest assessment", report.date),
        ("Framework", "; ".join(report.frameworks)),
        ("Entities", f"{len(report.entities)} with a self-assessment in this round"),
        ("Not in the single view", "; ".join(report.missing)),
    ]
    story: list[Flowable] = cover(
        "System summary", f"{report.system} · {report.round}", facts, width
    )
    story += [heading("Contents", 0, toc=False), contents(), PageBreak()]
    progress(0.1, "Drawing the heatmap")
    story += [
        heading("The single view", 0),
        para(
            "Each cell names the stage the entity agreed for the domain; blank cells "
            "are not yet assessed or not applicable.",
            st.muted,
        ),
    ]
    if report.heatmap is not None:  # wide: turned to run up the page, on a page of its own
        story += turned_chart(draw_chart, report.heatmap, width, height * 0.9, "Heatmap", options)
    story += [PageBreak(), heading("Domains ranked", 1)]
    story.append(
        grid(
            ("Domain", "Median stage", "Assessed", "Furthest ahead", "Furthest behind"),
            [
                [r.domain, r.median_stage, str(r.assessed), r.highest or "—", r.lowest or "—"]
                for r in report.ranking
            ],
            (width - 134 * mm, 32 * mm, 22 * mm, 40 * mm, 40 * mm),
        )
    )
    story += [CondPageBreak(height * 0.3), heading("Themes", 1)]
    if report.themes:
        story.append(
            grid(
                ("Theme (tag)", "Enablers and requests tagged"),
                [[tag, str(n)] for tag, n in report.themes],
                (width - 60 * mm, 60 * mm),
            )
        )
    else:
        story.append(para("No enablers or requests for support have been tagged.", st.muted))
    story += [PageBreak(), heading("Key enablers", 0), *_themes(report.enablers, width)]
    story += [
        PageBreak(),
        heading("Requests for support", 0),
        *_themes(report.support_requests, width),
    ]
    progress(0.35, "Drawing the small-multiple radars")
    radars = tuple(e.radar for e in report.entities if e.radar is not None)
    if radars:
        story += [
            PageBreak(),
            heading("Every entity at a glance", 0),
            para(
                "Axes are numbered in domain order, clockwise from the top: "
                + "; ".join(
                    f"{i}. {t}"
                    for i, t in enumerate(report.heatmap.domains if report.heatmap else (), start=1)
                )
                + ".",
                st.muted,
            ),
        ]
        story += chart(draw_chart, radars, width, height * 0.85, "Small-multiple radars", options)
    progress(0.7, "Laying out one page per entity")
    for e in report.entities:
        story += [PageBreak(), *_entity_page(e, width)]
    running = Running(
        title=f"System summary: {report.system}, {report.round}",
        subject=f"System summary ({'; '.join(report.frameworks)})",
        header_left=f"{report.system} · {report.round}",
        header_right="System summary",
        footer_left="; ".join(report.frameworks),
    )
    progress(0.8, "Writing the PDF")
    return build_pdf(story, running, options)


def _themes(items: tuple[ThemeEntry, ...], width: float) -> list[Flowable]:
    if not items:
        return [para("None recorded in this round.", styles().muted)]
    return [
        grid(
            ("Domain", "Raised", "By"),
            [[t.domain, t.text, ", ".join(t.entities)] for t in items],
            (45 * mm, width - 100 * mm, 55 * mm),
        )
    ]


def _entity_page(e: EntitySummary, width: float) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = [
        heading(e.name, 1),
        labelled(
            [("Kind", e.kind), ("Status", e.status), ("Actions agreed", str(e.actions))],
            (40 * mm, width - 40 * mm),
        ),
    ]
    out.append(
        grid(("Domain", "Agreed stage"), [list(p) for p in e.stages], (width - 45 * mm, 45 * mm))
    )
    if e.strongest:
        out.append(para("Furthest ahead: " + "; ".join(e.strongest), st.body))
    if e.weakest:
        out.append(para("Furthest behind: " + "; ".join(e.weakest), st.body))
    out += [heading("Key enablers", 2, toc=False), *bullets(list(e.enablers[:12]))]
    if len(e.enablers) > 12:
        out.append(para(f"… and {len(e.enablers) - 12} more (see Key enablers).", st.muted))
    out += [heading("Requests for support", 2, toc=False), *bullets(list(e.support_requests[:12]))]
    if len(e.support_requests) > 12:
        out.append(para(f"… and {len(e.support_requests) - 12} more.", st.muted))
    return out
