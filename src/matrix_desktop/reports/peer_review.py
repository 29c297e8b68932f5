"""The peer-review report for one entity and round: cover, contents, summary, domains, appendix.

``peer_review_document`` says what the report contains; ``build_peer_review`` prints it as a
PDF and ``build_peer_review_docx`` as a Word document, from the same blocks.
"""

from __future__ import annotations

from matrix_desktop.core.framework import Framework
from matrix_desktop.reports import content as c
from matrix_desktop.reports.models import (
    DEFAULT_OPTIONS,
    DocumentOptions,
    DomainSection,
    PeerReviewReport,
    StageChange,
)

TICK = "\u2611"  # ballot box with check
NO_TICK = "\u2610"  # ballot box
NBSP2 = "\u00a0\u00a0"


def build_peer_review(
    report: PeerReviewReport,
    options: DocumentOptions = DEFAULT_OPTIONS,
    draw_chart=None,  # type: ignore[no-untyped-def]
    progress=None,  # type: ignore[no-untyped-def]
) -> bytes:
    """Return the peer-review report as PDF bytes."""
    from matrix_desktop.reports.common import no_progress
    from matrix_desktop.reports.pdf_writer import render_pdf

    return render_pdf(peer_review_document(report), options, draw_chart, progress or no_progress)


def build_peer_review_docx(
    report: PeerReviewReport,
    options: DocumentOptions = DEFAULT_OPTIONS,
    draw_image=None,  # type: ignore[no-untyped-def]
    progress=None,  # type: ignore[no-untyped-def]
) -> bytes:
    """Return the peer-review report as an editable Word document (DOCX bytes)."""
    from matrix_desktop.reports.docx_writer import _quiet, render_docx

    return render_docx(peer_review_document(report), options, draw_image, progress or _quiet)


def draft_note(drafts: tuple[str, ...]) -> str:
    """Return the line that marks a draft ("DRAFT: the self-assessment is not final ...")."""
    if not drafts:
        return ""
    verb = " are" if len(drafts) > 1 else " is"
    return "DRAFT: the " + " and the ".join(drafts) + verb + " not final and may still change."


def peer_review_document(report: PeerReviewReport) -> c.Document:
    """Return the peer-review report's content as blocks."""
    fw = report.framework
    drafts = report.drafts
    note = draft_note(drafts)
    facts = (
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
    )
    blocks: list[c.Block] = [
        c.Cover(
            "Peer-review report" + (" — DRAFT" if drafts else ""),
            f"{report.entity} · {report.round}",
            facts,
            note=(f"{note} " if drafts else "") + "Prepared with matrix-desktop. Stages are "
            "agreed by the partnership in a facilitated workshop; the peer "
            "review is a critical friend's view.",
        ),
        c.Heading("Contents", 0, toc=False),
        c.Contents(),
        c.PageBreak(),
    ]
    blocks += _summary(report)
    blocks += [c.PageBreak(), *changes_section(report)]
    blocks += [c.PageBreak(), *plan_section(report)]
    from matrix_desktop.reports.help_section import help_offered_section

    blocks += help_offered_section(report)
    blocks.append(c.Step(0.7, "Laying out the domains"))
    for section in report.sections:
        blocks += [c.PageBreak(), *_domain(section, report)]
    blocks += framework_appendix(fw)
    running = c.Running(
        title=("DRAFT " if drafts else "") + f"Peer-review report: {report.entity}, {report.round}",
        subject=f"{fw.name} ({fw.version}) peer-review report" + (" (draft)" if drafts else ""),
        header_left=f"{report.entity} · {report.round}",
        header_right="Peer-review report" + (" — DRAFT" if drafts else ""),
        footer_left=f"{fw.name} ({fw.version})",
        watermark="DRAFT" if drafts else "",
        watermark_note=note,
    )
    blocks.append(c.Step(0.8, "Writing the document"))
    return c.Document(tuple(blocks), running)


def _radar_alt(report: PeerReviewReport) -> str:
    parts = []
    for s in report.sections:
        line = f"{s.number}. {s.title}: {s.stage}"
        if s.peer_stage:
            line += f" (peer view {s.peer_stage})"
        if s.previous_stage and report.previous_round:
            line += f" (in {report.previous_round} {s.previous_stage})"
        parts.append(line)
    return f"Radar of {report.entity}'s stages in {report.round}. " + "; ".join(parts) + "."


def _summary(report: PeerReviewReport) -> list[c.Block]:
    out: list[c.Block] = [c.Heading("Summary", 0), c.Step(0.15, "Drawing the radar")]
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
    out.append(c.Para(f"The radar shows the {listed}.", "muted"))
    if radar is not None:
        out.append(c.Chart(radar, "Radar", _radar_alt(report), width=0.86, height=0.62))
    out.append(c.Heading("Readiness", 1, toc=False))
    if report.threshold:
        out.append(
            c.Para(
                f"{len(report.at_threshold)} of {len(report.sections)} domains are at or above the "
                f"threshold stage ({report.threshold})."
            )
        )
        if report.below_threshold:
            out.append(
                c.Para(
                    "Below the threshold or not yet assessed: "
                    + "; ".join(report.below_threshold)
                    + "."
                )
            )
    else:
        out.append(
            c.Para(
                f"{report.framework.name} sets no threshold stage; the stages below show "
                "where each domain stands."
            )
        )
    out.append(c.Heading("Stages at a glance", 1, toc=False))
    out.append(
        c.Table(
            ("Domain", "Agreed stage", "Peer view", "Previous round", "Confidence", "Direction"),
            tuple(
                (
                    f"{s.number}. {s.title}",
                    s.stage,
                    s.peer_stage or "—",
                    s.previous_stage or "—",
                    s.confidence or "—",
                    s.direction or "—",
                )
                for s in report.sections
            ),
            (None, 24, 24, 24, 22, 22),
        )
    )
    out.append(
        c.Heading("Largest differences between self-assessment and peer review", 1, toc=False)
    )
    if not report.has_peer_review:
        out.append(
            c.Para("No peer review has been recorded for this self-assessment yet.", "muted")
        )
    elif not report.differences:
        out.append(c.Para("The peer reviewer placed every domain at the self-assessed stage."))
    else:
        out.append(
            c.Table(
                ("Domain", "Self-assessed", "Peer view", "Difference"),
                tuple(
                    (
                        d.domain,
                        d.self_stage,
                        d.peer_stage,
                        f"{'+' if d.steps > 0 else '−'}{abs(d.steps)} "
                        f"stage{'s' if abs(d.steps) > 1 else ''}",
                    )
                    for d in report.differences
                ),
                (None, 30, 30, 30),
            )
        )
    out.append(c.Heading("The peer reviewer's overall view", 1, toc=False))
    if report.has_peer_review:
        for label, text in (
            ("Strengths", report.strengths),
            ("Areas to develop", report.areas_to_develop),
            ("Recommendations", report.recommendations),
        ):
            out += [c.Para(label, "label"), c.Para(text, empty="Not recorded.")]
    else:
        out.append(c.Para("No peer review recorded yet.", "muted"))
    out.append(c.Step(0.35, "Drawing the stages compared"))
    if compared_chart is not None:
        out.append(
            c.Chart(
                compared_chart,
                "Stages compared",
                "Bar chart comparing, domain by domain, the self-assessed stage"
                + (" with the peer reviewer's" if report.has_peer_review else "")
                + (" and the previous round's" if report.previous_round else "")
                + ". The same stages are listed in the table 'Stages at a glance'.",
                height=0.8,
                heading=c.Heading("Stages compared by domain", 1, toc=False),
            )
        )
    out.append(c.Step(0.55, "Drawing the participants' views"))
    if votes is not None:
        counts = "; ".join(
            f"{s.number}. {s.title}: " + ", ".join(f"{name} {n}" for name, n in s.votes if n)
            for s in report.sections
            if any(n for _, n in s.votes)
        )
        out.append(
            c.Chart(
                votes,
                "Participants' views",
                "Chart of how many participants placed each domain at each stage. "
                + (counts + "." if counts else "No individual views recorded."),
                height=0.8,
                heading=c.Heading("Participants' views", 1, toc=False),
            )
        )
    return out


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _steps(change: StageChange) -> str:
    sign = "+" if change.steps > 0 else "\u2212"
    return f"{sign}{_plural(abs(change.steps), 'stage')}"


def changes_section(report: PeerReviewReport) -> list[c.Block]:
    """Return the page "What changed since last round": stages, targets met, actions."""
    ch = report.changes
    out: list[c.Block] = [c.Heading("What changed since last round", 0)]
    if not ch.previous_round:
        out.append(
            c.Para(
                f"There is no previous round to compare with: {report.entity} has no "
                f"self-assessment in a round before {report.round}."
            )
        )
        return out
    prev = ch.previous_round
    out.append(
        c.Para(
            f"{report.entity}'s self-assessment in {report.round} compared with its "
            f"self-assessment in {prev}.",
            "muted",
        )
    )
    out.append(c.Heading("Stages up and down", 1, toc=False))
    if not ch.compared:
        out.append(
            c.Para(
                f"The self-assessment in {prev} used another version of the framework, so "
                "stages and targets are not compared."
            )
        )
    else:
        out.append(
            c.Para(
                f"{_plural(len(ch.up), 'domain')} moved up, {len(ch.down)} moved down and "
                f"{ch.same} stayed at the same stage."
            )
        )
        moved = ch.up + ch.down
        if moved:
            out.append(
                c.Table(
                    ("Domain", f"In {prev}", f"In {report.round}", "Change"),
                    tuple((m.domain, m.previous, m.current, _steps(m)) for m in moved),
                    (None, 30, 30, 24),
                )
            )
        out.append(c.Heading("Targets met", 1, toc=False))
        if ch.targets:
            met = sum(1 for t in ch.targets if t.met)
            out.append(
                c.Para(
                    f"{met} of {_plural(len(ch.targets), 'target')} set in {prev} "
                    f"{'is' if met == 1 else 'are'} met: the stage agreed now is at or "
                    "beyond the target."
                )
            )
            out.append(
                c.Table(
                    ("Domain", f"Target set in {prev}", "Stage now", "Result"),
                    tuple(
                        (t.domain, t.target, t.current, t.distance or "not assessed")
                        for t in ch.targets
                    ),
                    (None, 42, 28, 30),
                )
            )
        else:
            out.append(c.Para(f"No targets were set in {prev}.", "muted"))
    out.append(c.Heading("Actions done", 1, toc=False))
    if ch.done:
        out.append(
            c.Table(
                ("Domain", "Action", "Owner", "Due", "Completed"),
                tuple(
                    (
                        x.domain,
                        x.what,
                        x.owner or "\u2014",
                        x.due or "\u2014",
                        x.completed_on or "\u2014",
                    )
                    for x in ch.done
                ),
                (32, None, 32, 22, 22),
            )
        )
    else:
        out.append(c.Para(f"No action has been marked done since {prev}.", "muted"))
    out.append(c.Heading("Actions overdue", 1, toc=False))
    if ch.overdue:
        out.append(c.Para(f"Open or in progress, and due before {ch.today}.", "muted"))
        out.append(
            c.Table(
                ("Domain", "Action", "Owner", "Due", "Status"),
                tuple((x.domain, x.what, x.owner or "\u2014", x.due, x.status) for x in ch.overdue),
                (32, None, 32, 22, 22),
            )
        )
    else:
        out.append(c.Para(f"No action is overdue on {ch.today}.", "muted"))
    return out


def plan_section(report: PeerReviewReport) -> list[c.Block]:
    """Return the page "Action plan and targets": the actions still to do, the targets."""
    out: list[c.Block] = [
        c.Heading("Action plan and targets", 0),
        c.Heading("Action plan", 1, toc=False),
    ]
    if report.plan:
        late = sum(1 for x in report.plan if x.overdue)
        out.append(
            c.Para(
                f"{_plural(len(report.plan), 'action')} open or in progress in {report.round}"
                + (f", {late} of them overdue (due before {report.today})." if late else ".")
            )
        )
        out.append(
            c.Table(
                ("Domain", "Action", "Owner", "Due", "Status"),
                tuple(
                    (
                        x.domain,
                        x.what,
                        x.owner or "\u2014",
                        x.due or "\u2014",
                        x.status + (", overdue" if x.overdue else ""),
                    )
                    for x in report.plan
                ),
                (32, None, 32, 22, 26),
            )
        )
    else:
        out.append(
            c.Para(
                f"No action is open or in progress in {report.round}'s self-assessment.", "muted"
            )
        )
    out.append(c.Heading("Targets", 1, toc=False))
    if report.targets:
        out.append(
            c.Table(
                ("Domain", "Stage now", "Target", "By", "Distance"),
                tuple(
                    (t.domain, t.current, t.target, t.by or "\u2014", t.distance)
                    for t in report.targets
                ),
                (None, 28, 28, 22, 32),
            )
        )
        notes = tuple(f"{t.domain}: {n}." for t in report.targets for n in t.notes)
        if notes:
            out.append(c.Bullets(notes))
    else:
        out.append(c.Para(f"No targets are set in {report.round}'s self-assessment.", "muted"))
    return out


def _domain(s: DomainSection, report: PeerReviewReport) -> list[c.Block]:
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
    out: list[c.Block] = [
        c.Heading(f"{s.number}. {s.title}", 0),
        c.Table((), tuple((k, v) for k, v in facts if v), (45, None), labelled=True),
    ]
    out.append(
        c.Heading(f"Descriptor statements at {s.stage}", 2, toc=False)
        if s.stage_position
        else c.Heading("Descriptor statements", 2, toc=False)
    )
    if s.statements:
        met = sum(1 for x in s.statements if x.met)
        out.append(c.Para(f"{met} of {len(s.statements)} judged met.", "muted"))
        for x in s.statements:
            out.append(c.Para(f"{TICK if x.met else NO_TICK}{NBSP2}{x.text}"))
    elif s.stage_position:
        out.append(
            c.Para(f"The framework publishes no descriptor for {s.stage} in this domain.", "muted")
        )
    else:
        out.append(c.Para("No stage agreed yet.", "muted"))
    if s.met_elsewhere:
        out += [c.Heading("Also judged met", 2, toc=False), c.Bullets(s.met_elsewhere)]
    out += [
        c.Heading("Evidence", 2, toc=False),
        c.Para(s.evidence, empty="No evidence recorded."),
        c.Heading("Rationale", 2, toc=False),
        c.Para(s.rationale, empty="No rationale recorded."),
    ]
    if report.has_peer_review:
        out += [
            c.Heading("Peer reviewer's comment", 2, toc=False),
            c.Para(s.peer_comment, empty="No comment."),
        ]
        if s.peer_suggestions:
            out += [
                c.Heading("Peer reviewer's suggestions", 2, toc=False),
                c.Para(s.peer_suggestions),
            ]
    out.append(c.Heading("Participants' views", 2, toc=False))
    if s.votes and any(n for _, n in s.votes):
        out.append(c.Para(" · ".join(f"{name}: {n}" for name, n in s.votes)))
    else:
        out.append(c.Para("No individual views recorded.", "muted"))
    out += [
        c.Heading("Key enablers", 2, toc=False),
        c.Bullets(s.enablers),
        c.Heading("Requests for support", 2, toc=False),
        c.Bullets(s.support_requests),
        c.Heading("Actions", 2, toc=False),
    ]
    if s.actions:
        out.append(
            c.Table(
                ("Action", "Who", "By when", "Status"),
                tuple(
                    (
                        a.what,
                        a.owner or "—",
                        a.due or "—",
                        (a.status or "—") + (", overdue" if a.overdue else ""),
                    )
                    for a in s.actions
                ),
                (None, 45, 22, 28),
            )
        )
    else:
        out.append(c.Para("None recorded.", "muted"))
    out.append(c.Gap(2))
    return out


def framework_appendix(fw: Framework) -> list[c.Block]:
    """Return the whole framework as published: facts, stages, every domain's statements."""
    out: list[c.Block] = [c.PageBreak(), c.Heading("Appendix: the framework as published", 0)]
    facts = (
        ("Framework", fw.name),
        ("Version", fw.version),
        ("Publisher", fw.publisher),
        ("Published", fw.published),
        ("Source", fw.source),
        ("Threshold stage", fw.stage(fw.threshold_stage).name if fw.threshold_stage else "None"),
        ("Stages", " → ".join(s.name for s in fw.stages)),
    )
    out += [c.Table((), facts, (40, None), labelled=True), c.Gap(3)]
    if fw.description:
        out.append(c.Para(fw.description))
    for s in fw.stages:
        if s.description:
            out.append(c.Para(f"{s.name}: {s.description}"))
    for n in fw.notes:
        out.append(c.Para(n, "muted"))
    for d in fw.domains:
        out.append(c.Heading(f"{d.number}. {d.title}", 1))
        if d.summary:
            out.append(c.Para(d.summary, "muted"))
        rows = tuple(
            (
                s.name,
                tuple(x.text for x in d.statements_for(s.key))
                or ("No descriptor published for this stage.",),
            )
            for s in fw.stages
        )
        out.append(c.Table(("Stage", "Descriptor statements"), rows, (32, None), first_bold=True))
    for section in fw.supporting:  # published with the matrix but not scored
        out += [c.Heading(section.title, 1), c.Bullets(tuple(x.text for x in section.statements))]
    return out
