"""The system summary: the single view, domains ranked, themes, enablers, support, entity pages.

``system_summary_document`` says what the summary contains; ``build_system_summary`` prints it
as a PDF and ``build_system_summary_docx`` as a Word document, from the same blocks.
"""

from __future__ import annotations

from matrix_desktop.reports import content as c
from matrix_desktop.reports.models import (
    DEFAULT_OPTIONS,
    DocumentOptions,
    EntitySummary,
    SystemSummaryReport,
    ThemeEntry,
)

NOT_ASSESSED = "\u2013"  # en dash, explained under the table
ENTITY_MM = 48.0
ROUND_MM = 20.0
STAGE_MM = 21.0  # a domain column: room for "Developing" at cell size with padding
LANDSCAPE_MM = (297 - 36, 279.4 - 36)  # A4 and Letter frames, turned


def build_system_summary(
    report: SystemSummaryReport,
    options: DocumentOptions = DEFAULT_OPTIONS,
    draw_chart=None,  # type: ignore[no-untyped-def]
    progress=None,  # type: ignore[no-untyped-def]
) -> bytes:
    """Return the system summary as PDF bytes."""
    from matrix_desktop.reports.common import no_progress
    from matrix_desktop.reports.pdf_writer import render_pdf

    return render_pdf(system_summary_document(report), options, draw_chart, progress or no_progress)


def build_system_summary_docx(
    report: SystemSummaryReport,
    options: DocumentOptions = DEFAULT_OPTIONS,
    draw_image=None,  # type: ignore[no-untyped-def]
    progress=None,  # type: ignore[no-untyped-def]
) -> bytes:
    """Return the system summary as an editable Word document (DOCX bytes)."""
    from matrix_desktop.reports.docx_writer import _quiet, render_docx

    return render_docx(system_summary_document(report), options, draw_image, progress or _quiet)


def system_summary_document(report: SystemSummaryReport) -> c.Document:
    """Return the system summary's content as blocks."""
    facts = (
        ("System", report.system),
        ("As at round", report.round),
        ("Latest assessment", report.date),
        ("Framework", "; ".join(report.frameworks)),
        (
            "Entities",
            f"{len(report.entities)} with a final self-assessment up to {report.round}",
        ),
        ("Not in the single view", "\n".join(report.missing)),
    )
    blocks: list[c.Block] = [
        c.Cover(
            "System summary",
            f"{report.system} · as at {report.round}",
            facts,
            note="Prepared with matrix-desktop. Each entity is shown with its latest final "
            f"self-assessment up to {report.round}, and the round it comes from.",
        ),
        c.Heading("Contents", 0, toc=False),
        c.Contents(),
        c.Step(0.1, "Laying out the single view"),
    ]
    blocks += single_view(report)
    blocks += [c.PageBreak(orientation="portrait"), c.Heading("Domains ranked", 1)]
    blocks.append(
        c.Table(
            ("Domain", "Median stage", "Assessed", "Furthest ahead", "Furthest behind"),
            tuple(
                (r.domain, r.median_stage, str(r.assessed), r.highest or "—", r.lowest or "—")
                for r in report.ranking
            ),
            (None, 32, 22, 40, 40),
        )
    )
    blocks += [c.PageBreak(only_if_less_than=0.3), c.Heading("Themes", 1)]
    if report.themes:
        blocks.append(
            c.Table(
                ("Theme (tag)", "Enablers and requests tagged"),
                tuple((tag, str(n)) for tag, n in report.themes),
                (None, 60),
            )
        )
    else:
        blocks.append(c.Para("No enablers or requests for support have been tagged.", "muted"))
    blocks += [c.PageBreak(), c.Heading("Key enablers", 0), *_themes(report.enablers)]
    blocks += [
        c.PageBreak(),
        c.Heading("Requests for support", 0),
        *_themes(report.support_requests),
    ]
    from matrix_desktop.reports.help_section import help_matched_section

    blocks += [c.PageBreak(), *help_matched_section(report)]
    blocks += [c.PageBreak(), *system_plan(report)]
    blocks.append(c.Step(0.35, "Drawing the small-multiple radars"))
    radars = tuple(e.radar for e in report.entities if e.radar is not None)
    domains = report.heatmap.domains if report.heatmap else ()
    if radars:
        key = "; ".join(f"{i}. {t}" for i, t in enumerate(domains, start=1))
        blocks += [
            c.PageBreak(),
            c.Heading("Every entity at a glance", 0),
            c.Para(
                "Axes are numbered in domain order, clockwise from the top: " + key + ".",
                "muted",
            ),
            c.Chart(
                radars,
                "Small-multiple radars",
                "Small radar charts, one per entity, of the stages in the single view: "
                + ", ".join(e.name for e in report.entities if e.radar is not None)
                + ". The single view table gives the same stages.",
                height=0.85,
            ),
        ]
    blocks.append(c.Step(0.7, "Laying out one page per entity"))
    for e in report.entities:
        blocks += [c.PageBreak(), *_entity_page(e)]
    running = c.Running(
        title=f"System summary: {report.system}, as at {report.round}",
        subject=f"System summary ({'; '.join(report.frameworks)})",
        header_left=f"{report.system} · as at {report.round}",
        header_right="System summary",
        footer_left="; ".join(report.frameworks),
    )
    blocks.append(c.Step(0.8, "Writing the document"))
    return c.Document(tuple(blocks), running)


def single_view(report: SystemSummaryReport) -> list[c.Block]:
    """Return the single view: entities by domains on landscape pages, split if too wide.

    Domains are numbered columns with a key beneath; entities are named in full; each cell
    names the stage, shaded as in the heatmap.
    """
    heatmap = report.heatmap
    out: list[c.Block] = [
        c.PageBreak(orientation="landscape"),
        c.Heading("The single view", 0),
        c.Para(
            f"Each row is an entity's latest final self-assessment up to {report.round}; the "
            "round column says which round it comes from. Each cell names the stage the entity "
            f"agreed for the domain; {NOT_ASSESSED} marks a domain not yet assessed or not "
            "applicable.",
            "muted",
        ),
    ]
    if heatmap is None or not heatmap.rows:
        out.append(c.Para("No entity has a final self-assessment to show.", "muted"))
        return out
    rounds = {e.name: e.round for e in report.entities}
    per_part = max(1, int((min(LANDSCAPE_MM) - ENTITY_MM - ROUND_MM) // STAGE_MM))
    k = len(heatmap.domains)
    parts = [range(i, min(i + per_part, k)) for i in range(0, k, per_part)]
    for n, part in enumerate(parts, start=1):
        if len(parts) > 1:
            out.append(
                c.Para(
                    f"Domains {part[0] + 1} to {part[-1] + 1} (part {n} of {len(parts)})", "label"
                )
            )
        rows = []
        shades = []
        for row in heatmap.rows:
            cells: list[c.Cell] = [row.label, rounds.get(row.label, "")]
            shade: list[tuple[str, str] | None] = [None, None]
            for i in part:
                value = row.values[i] if i < len(row.values) else None
                if value is None:
                    cells.append(NOT_ASSESSED)
                    shade.append(None)
                else:
                    pos = int(value)
                    cells.append(heatmap.stages[pos - 1])
                    shade.append(_shade(report, pos))
            rows.append(tuple(cells))
            shades.append(tuple(shade))
        out.append(
            c.Table(
                ("Entity", "Round", *(str(i + 1) for i in part)),
                tuple(rows),
                (ENTITY_MM, ROUND_MM, *(None for _ in part)),
                first_bold=True,
                shades=tuple(shades),
            )
        )
        out.append(
            c.Para(
                "Domains: " + "; ".join(f"{i + 1}. {heatmap.domains[i]}" for i in part) + ".",
                "muted",
            )
        )
    return out


def system_plan(report: SystemSummaryReport) -> list[c.Block]:
    """Return the action plan across the system: every open or in-progress action."""
    out: list[c.Block] = [c.Heading("Action plan across the system", 0)]
    if not report.plan:
        out.append(
            c.Para(
                "No action is open or in progress in the final self-assessments up to "
                f"{report.round}.",
                "muted",
            )
        )
        return out
    late = sum(1 for x in report.plan if x.overdue)
    places = len({x.entity for x in report.plan})
    out.append(
        c.Para(
            f"{len(report.plan)} action{'s' if len(report.plan) != 1 else ''} open or in "
            f"progress across {places} entit{'ies' if places != 1 else 'y'}, as each entity's "
            f"latest final self-assessment up to {report.round} holds it"
            + (f"; {late} overdue (due before {report.today})." if late else ".")
        )
    )
    out.append(
        c.Table(
            ("Entity", "Domain", "Action", "Owner", "Due", "Status"),
            tuple(
                (
                    x.entity,
                    x.domain,
                    x.what,
                    x.owner or "\u2014",
                    x.due or "\u2014",
                    x.status + (", overdue" if x.overdue else ""),
                )
                for x in report.plan
            ),
            (34, 30, None, 28, 23, 22),
        )
    )
    return out


def _shade(report: SystemSummaryReport, position: int) -> tuple[str, str] | None:
    if 1 <= position <= len(report.stage_colours) and len(report.stage_inks) >= position:
        return report.stage_colours[position - 1], report.stage_inks[position - 1]
    return None


def _themes(items: tuple[ThemeEntry, ...]) -> list[c.Block]:
    if not items:
        return [c.Para("None recorded in this round.", "muted")]
    return [
        c.Table(
            ("Domain", "Raised", "By"),
            tuple((t.domain, t.text, ", ".join(t.entities)) for t in items),
            (45, None, 55),
        )
    ]


def _entity_page(e: EntitySummary) -> list[c.Block]:
    out: list[c.Block] = [
        c.Heading(e.name, 1),
        c.Table(
            (),
            (
                ("Kind", e.kind),
                ("Round", e.round),
                ("Status", e.status),
                ("Actions agreed", str(e.actions)),
            ),
            (40, None),
            labelled=True,
        ),
        c.Table(("Domain", "Agreed stage"), tuple(e.stages), (None, 45)),
    ]
    if e.strongest:
        out.append(c.Para("Furthest ahead: " + "; ".join(e.strongest)))
    if e.weakest:
        out.append(c.Para("Furthest behind: " + "; ".join(e.weakest)))
    out += [c.Heading("Key enablers", 2, toc=False), c.Bullets(e.enablers[:12])]
    if len(e.enablers) > 12:
        out.append(c.Para(f"… and {len(e.enablers) - 12} more (see Key enablers).", "muted"))
    out += [c.Heading("Requests for support", 2, toc=False), c.Bullets(e.support_requests[:12])]
    if len(e.support_requests) > 12:
        out.append(c.Para(f"… and {len(e.support_requests) - 12} more.", "muted"))
    return out
