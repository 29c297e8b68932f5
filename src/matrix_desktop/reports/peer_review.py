"""The peer-review report for one entity and round: cover, contents, summary, domains, appendix."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak

from matrix_desktop.reports.common import (
    ChartDrawer,
    chart,
    cover,
    framework_appendix,
    no_progress,
)
from matrix_desktop.reports.layout import (
    NO_TICK,
    TICK,
    Progress,
    Running,
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
from matrix_desktop.reports.models import (
    DEFAULT_OPTIONS,
    DocumentOptions,
    DomainSection,
    PeerReviewReport,
)
from matrix_desktop.reports.text import markup


def build_peer_review(
    report: PeerReviewReport,
    options: DocumentOptions = DEFAULT_OPTIONS,
    draw_chart: ChartDrawer | None = None,
    progress: Progress = no_progress,
) -> bytes:
    """Return the peer-review report as PDF bytes."""
    width, height = frame_size(options)
    fw = report.framework
    drafts = report.drafts
    draft_note = (
        "DRAFT: the "
        + " and the ".join(drafts)
        + (" are" if len(drafts) > 1 else " is")
        + " not final and may still change."
        if drafts
        else ""
    )
    facts = [
        ("System", report.system),
        ("Entity", f"{report.entity} ({report.entity_kind})"),
        ("Round", report.round),
        ("Date", report.date),
        ("Framework", f"{fw.name}, version {fw.version} ({fw.publisher}, {fw.published})"),
        ("Facilitator", report.facilitator or "Not recorded"),
        ("Participants", "\n".join(report.participants) or "Not recorded"),
        ("Peer reviewer", report.reviewer or "No peer review recorded yet"),
        ("Self-assessment status", report.status),
        ("Peer review status", report.review_status if report.has_peer_review else ""),
    ]
    story: list[Flowable] = cover(
        "Peer-review report" + (" — DRAFT" if drafts else ""),
        f"{report.entity} · {report.round}",
        facts,
        width,
        note=(f"{draft_note} " if drafts else "") + "Prepared with matrix-desktop. Stages are "
        "agreed by the partnership in a facilitated workshop; the peer "
        "review is a critical friend's view.",
    )
    story += [heading("Contents", 0, toc=False), contents(), PageBreak()]
    story += _summary(report, width, height, draw_chart, options, progress)
    progress(0.7, "Laying out the domains")
    for section in report.sections:
        story += [PageBreak(), *_domain(section, report, width)]
    story += framework_appendix(fw, width)
    running = Running(
        title=("DRAFT " if drafts else "") + f"Peer-review report: {report.entity}, {report.round}",
        subject=f"{fw.name} ({fw.version}) peer-review report" + (" (draft)" if drafts else ""),
        header_left=f"{report.entity} · {report.round}",
        header_right="Peer-review report" + (" — DRAFT" if drafts else ""),
        footer_left=f"{fw.name} ({fw.version})",
        watermark="DRAFT" if drafts else "",
        watermark_note=draft_note,
    )
    progress(0.8, "Writing the PDF")
    return build_pdf(story, running, options)


def _summary(
    report: PeerReviewReport,
    width: float,
    height: float,
    draw: ChartDrawer | None,
    options: DocumentOptions,
    progress: Progress,
) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = [heading("Summary", 0)]
    progress(0.15, "Drawing the radar")
    radar, compared_chart, votes = (list(report.charts) + [None, None, None])[:3]
    compared = ["self-assessment"]
    if report.has_peer_review:
        compared.append("peer review")
    if report.previous_round:
        compared.append(f"self-assessment in {report.previous_round}")
    listed = (
        compared[0]
        if len(compared) == 1
        else (", the ".join(compared[:-1]) + " and the " + compared[-1])
    )
    out.append(para(f"The radar shows the {listed}.", st.muted))
    if radar is not None:
        out += chart(draw, radar, width * 0.86, height * 0.62, "Radar", options)
    out.append(heading("Readiness", 1, toc=False))
    if report.threshold:
        out.append(
            para(
                f"{len(report.at_threshold)} of {len(report.sections)} domains are at or above the "
                f"threshold stage ({report.threshold}).",
                st.body,
            )
        )
        if report.below_threshold:
            out.append(
                para(
                    "Below the threshold or not yet assessed: "
                    + "; ".join(report.below_threshold)
                    + ".",
                    st.body,
                )
            )
    else:
        out.append(
            para(
                f"{report.framework.name} sets no threshold stage; the stages below show "
                "where each domain stands.",
                st.body,
            )
        )
    out.append(heading("Stages at a glance", 1, toc=False))
    rows = [
        [
            f"{s.number}. {s.title}",
            s.stage,
            s.peer_stage or "—",
            s.previous_stage or "—",
            s.confidence or "—",
            s.direction or "—",
        ]
        for s in report.sections
    ]
    w = width - 116 * mm
    out.append(
        grid(
            ("Domain", "Agreed stage", "Peer view", "Previous round", "Confidence", "Direction"),
            rows,
            (w, 24 * mm, 24 * mm, 24 * mm, 22 * mm, 22 * mm),
        )
    )
    out.append(heading("Largest differences between self-assessment and peer review", 1, toc=False))
    if not report.has_peer_review:
        out.append(para("No peer review has been recorded for this self-assessment yet.", st.muted))
    elif not report.differences:
        out.append(
            para("The peer reviewer placed every domain at the self-assessed stage.", st.body)
        )
    else:
        out.append(
            grid(
                ("Domain", "Self-assessed", "Peer view", "Difference"),
                [
                    [
                        d.domain,
                        d.self_stage,
                        d.peer_stage,
                        f"{'+' if d.steps > 0 else '−'}{abs(d.steps)} "
                        f"stage{'s' if abs(d.steps) > 1 else ''}",
                    ]
                    for d in report.differences
                ],
                (width - 90 * mm, 30 * mm, 30 * mm, 30 * mm),
            )
        )
    out.append(heading("The peer reviewer's overall view", 1, toc=False))
    if report.has_peer_review:
        for label, text in (
            ("Strengths", report.strengths),
            ("Areas to develop", report.areas_to_develop),
            ("Recommendations", report.recommendations),
        ):
            out.append(rich(f"<b>{markup(label)}</b>", st.h3))
            out += long_text(text, st.body, empty="Not recorded.")
    else:
        out.append(para("No peer review recorded yet.", st.muted))
    progress(0.35, "Drawing the stages compared")
    if compared_chart is not None:
        out.append(
            keep(
                heading("Stages compared by domain", 1, toc=False),
                *chart(draw, compared_chart, width, height * 0.8, "Stages compared", options),
            )
        )
    progress(0.55, "Drawing the participants' views")
    if votes is not None:
        out.append(
            keep(
                heading("Participants' views", 1, toc=False),
                *chart(draw, votes, width, height * 0.8, "Participants' views", options),
            )
        )
    return out


def _domain(s: DomainSection, report: PeerReviewReport, width: float) -> list[Flowable]:
    st = styles()
    peer = s.peer_stage
    if peer and s.peer_position:
        verb = "agrees with" if s.peer_position == "Agree" else "challenges"
        peer = f"{peer} (the reviewer {verb} the self-assessment)"
    facts = [
        ("Agreed stage", s.stage),
        (
            "Peer reviewer's stage",
            peer or ("No peer review yet" if not report.has_peer_review else "Not given"),
        ),
        (
            "Previous round",
            f"{s.previous_stage} ({report.previous_round})" if report.previous_round else "",
        ),
        ("Confidence", s.confidence or "Not recorded"),
        ("Direction of travel", s.direction or "Not recorded"),
    ]
    out: list[Flowable] = [
        heading(f"{s.number}. {s.title}", 0),
        labelled([f for f in facts if f[1]], (45 * mm, width - 45 * mm)),
    ]
    out.append(
        heading(f"Descriptor statements at {s.stage}", 2, toc=False)
        if s.stage_position
        else heading("Descriptor statements", 2, toc=False)
    )
    if s.statements:
        met = sum(1 for x in s.statements if x.met)
        out.append(para(f"{met} of {len(s.statements)} judged met.", st.muted))
        for x in s.statements:
            out.append(rich(f"{TICK if x.met else NO_TICK}&nbsp;&nbsp;{markup(x.text)}", st.body))
    elif s.stage_position:
        out.append(
            para(f"The framework publishes no descriptor for {s.stage} in this domain.", st.muted)
        )
    else:
        out.append(para("No stage agreed yet.", st.muted))
    if s.met_elsewhere:
        out.append(heading("Also judged met", 2, toc=False))
        out += bullets(list(s.met_elsewhere))
    out.append(heading("Evidence", 2, toc=False))
    out += long_text(s.evidence, st.body, empty="No evidence recorded.")
    out.append(heading("Rationale", 2, toc=False))
    out += long_text(s.rationale, st.body, empty="No rationale recorded.")
    if report.has_peer_review:
        out.append(heading("Peer reviewer's comment", 2, toc=False))
        out += long_text(s.peer_comment, st.body, empty="No comment.")
        if s.peer_suggestions:
            out.append(heading("Peer reviewer's suggestions", 2, toc=False))
            out += long_text(s.peer_suggestions, st.body)
    out.append(heading("Participants' views", 2, toc=False))
    if s.votes and any(n for _, n in s.votes):
        out.append(para(" · ".join(f"{name}: {n}" for name, n in s.votes), st.body))
    else:
        out.append(para("No individual views recorded.", st.muted))
    out.append(heading("Key enablers", 2, toc=False))
    out += bullets(list(s.enablers))
    out.append(heading("Requests for support", 2, toc=False))
    out += bullets(list(s.support_requests))
    out.append(heading("Actions", 2, toc=False))
    if s.actions:
        out.append(
            grid(
                ("Action", "Who", "By when"),
                [[a.what, a.owner or "—", a.due or "—"] for a in s.actions],
                (width - 75 * mm, 50 * mm, 25 * mm),
            )
        )
    else:
        out.append(para("None recorded.", st.muted))
    out.append(gap(2))
    return out
