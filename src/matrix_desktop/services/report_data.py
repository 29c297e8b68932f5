"""Assemble report view-models from stored assessments: peer review, system summary, data tables."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace

from matrix_desktop.core.chart_models import (
    Heatmap,
    HeatmapRow,
    RadarSeries,
    ThresholdCaption,
    VoteSpread,
    radar_for,
)
from matrix_desktop.core.errors import NotFound
from matrix_desktop.core.framework import Domain, Framework
from matrix_desktop.core.model import (
    Action,
    ActionStatus,
    Assessment,
    AssessmentRecord,
    Entity,
    Rating,
    Round,
    System,
)
from matrix_desktop.core.plan import distance_text, distance_to_target, target_notes, today_iso
from matrix_desktop.core.rules import readiness, spread
from matrix_desktop.reports.models import (
    ActionLine,
    DataTable,
    Difference,
    DomainRank,
    DomainSection,
    EntitySummary,
    PeerReviewReport,
    PlanLine,
    RoundChanges,
    StageChange,
    StageComparison,
    StatementLine,
    SystemSummaryReport,
    TargetCheck,
    TargetLine,
    ThemeEntry,
)
from matrix_desktop.services import help_report
from matrix_desktop.services.context import Services

NOT_ASSESSED = "Not yet assessed"
Row = tuple[str | int | float | None, ...]  # a data table's row of plain values


def _stage_name(fw: Framework, key: str | None) -> str:
    return fw.stage(key).name if key and fw.has_stage(key) else NOT_ASSESSED


def _position(fw: Framework, key: str | None) -> int | None:
    return fw.stage(key).position if key and fw.has_stage(key) else None


def _date(a: Assessment) -> str:
    return a.assessed_on or a.modified_at[:10]


def _section(
    fw: Framework,
    d: Domain,
    own: AssessmentRecord,
    peer: AssessmentRecord | None,
    prev: AssessmentRecord | None,
    today: str,
) -> DomainSection:
    r = own.rating(d.key)
    met = set(r.statements_met)
    statements = tuple(StatementLine(s.text, s.id in met) for s in d.statements_for(r.stage or ""))
    elsewhere = tuple(
        f"{_stage_name(fw, s.stage_key)}: {s.text}"
        for s in d.statements
        if s.id in met and s.stage_key != r.stage
    )
    votes = own.votes_for(d.key)
    counts = spread(fw, [v.stage for v in votes if v.stage is None or fw.has_stage(v.stage)])
    pr = peer.rating(d.key) if peer else None
    return DomainSection(
        key=d.key,
        number=d.number,
        title=d.title,
        stage=_stage_name(fw, r.stage),
        stage_position=_position(fw, r.stage),
        statements=statements,
        met_elsewhere=elsewhere,
        previous_stage=_stage_name(fw, prev.rating(d.key).stage) if prev else "",
        peer_stage=_stage_name(fw, pr.stage) if pr else "",
        peer_position=pr.review_position.value.capitalize() if pr and pr.review_position else "",
        peer_comment=pr.review_comment if pr else "",
        peer_suggestions=pr.review_suggestions if pr else "",
        confidence=r.confidence.value.capitalize() if r.confidence else "",
        direction=r.direction.label if r.direction else "",
        evidence=r.evidence,
        rationale=r.rationale,
        votes=tuple((fw.stage(k).name, n) for k, n in counts.counts.items()) if votes else (),
        enablers=tuple(t.text for t in r.enablers),
        support_requests=tuple(t.text for t in r.support_requests),
        actions=tuple(
            ActionLine(a.what, a.owner, a.due or "", a.status.label, a.is_overdue(today))
            for a in r.actions
        ),
    )


def _values(fw: Framework, record: AssessmentRecord, domains: Sequence[Domain]) -> tuple:
    return tuple(_position(fw, record.rating(d.key).stage) for d in domains)


def plan_line(domain: str, action: Action, today: str) -> PlanLine:
    """Return an action as the action plan prints it (overdue measured from today, ISO)."""
    return PlanLine(
        domain,
        action.what,
        action.owner,
        action.due or "",
        action.status.label,
        action.is_overdue(today),
        action.completed_on or "",
    )


def action_plan_lines(
    domains: Sequence[Domain], own: AssessmentRecord, today: str
) -> tuple[PlanLine, ...]:
    """Return the open and in-progress actions, in domain order, then by due date."""
    out: list[PlanLine] = []
    for d in domains:
        live = [x for x in own.rating(d.key).actions if x.status.is_live]
        live.sort(key=lambda x: x.due or "9999-99-99")
        out += [plan_line(d.title, x, today) for x in live]
    return tuple(out)


def target_lines(
    fw: Framework, domains: Sequence[Domain], own: AssessmentRecord, today: str
) -> tuple[TargetLine, ...]:
    """Return each domain's target set in this round's assessment, with the distance to it."""
    out = []
    for d in domains:
        r = own.rating(d.key)
        if not r.target_stage or not fw.has_stage(r.target_stage):
            continue
        out.append(
            TargetLine(
                d.title,
                _stage_name(fw, r.stage),
                fw.stage(r.target_stage).name,
                r.target_date or "",
                distance_text(distance_to_target(fw, r)) or "not assessed",
                tuple(target_notes(fw, r, today)),
            )
        )
    return tuple(out)


def round_changes(
    fw: Framework,
    domains: Sequence[Domain],
    own: AssessmentRecord,
    prev: AssessmentRecord | None,
    prev_round: str,
    today: str,
) -> RoundChanges:
    """Return what changed since the previous round's self-assessment (prev; None: none).

    Stages and the previous round's targets are compared only when both rounds used the same
    framework version. An action is done since then when this round's assessment holds it as
    done and the previous round's did not; overdue when still to do and due before today.
    """
    if prev is None:
        return RoundChanges(today=today)
    a = prev.assessment
    compared = (a.framework_key, a.framework_version) == (fw.key, fw.version)
    up: list[StageChange] = []
    down: list[StageChange] = []
    same = 0
    targets: list[TargetCheck] = []
    for d in domains if compared else ():
        now, before = own.rating(d.key), prev.rating(d.key)
        p_now, p_before = _position(fw, now.stage), _position(fw, before.stage)
        if p_now is not None and p_before is not None:
            change = StageChange(
                d.title, _stage_name(fw, before.stage), _stage_name(fw, now.stage), p_now - p_before
            )
            if p_now > p_before:
                up.append(change)
            elif p_now < p_before:
                down.append(change)
            else:
                same += 1
        p_target = _position(fw, before.target_stage)
        if p_target is not None:
            distance = None if p_now is None else p_target - p_now
            target = fw.stage(before.target_stage or "").name
            targets.append(
                TargetCheck(
                    d.title,
                    target + (f" by {before.target_date}" if before.target_date else ""),
                    _stage_name(fw, now.stage),
                    distance is not None and distance <= 0,
                    distance_text(distance),
                )
            )
    was_done = {x.id for r in prev.ratings for x in r.actions if x.status is ActionStatus.DONE}
    done: list[PlanLine] = []
    overdue: list[PlanLine] = []
    for d in domains:
        for x in own.rating(d.key).actions:
            if x.status is ActionStatus.DONE and x.id not in was_done:
                done.append(plan_line(d.title, x, today))
            elif x.is_overdue(today):
                overdue.append(plan_line(d.title, x, today))
    return RoundChanges(
        previous_round=prev_round,
        compared=compared,
        up=tuple(sorted(up, key=lambda c: -c.steps)),
        down=tuple(sorted(down, key=lambda c: c.steps)),
        same=same,
        targets=tuple(targets),
        done=tuple(done),
        overdue=tuple(sorted(overdue, key=lambda x: x.due)),
        today=today,
    )


def peer_review(
    svc: Services,
    entity: Entity,
    own: Assessment,
    peer: Assessment | None,
    today: str | None = None,
) -> PeerReviewReport:
    """Return the peer-review report's view-model for a self-assessment and its review.

    today (ISO, default the local date) is what overdue actions are measured from.
    """
    today = today or today_iso()
    fw = svc.assessments.framework_of(own)
    system = svc.catalog.system(entity.system_id)
    rounds = {r.id: r for r in svc.catalog.rounds()}
    rnd = rounds[own.round_id]
    own_rec = svc.assessments.record(own.id)
    peer_rec = svc.assessments.record(peer.id) if peer else None
    prev = svc.assessments.previous(own)
    prev_rec = svc.assessments.record(prev.id) if prev else None
    prev_any = prev_rec  # kept for the actions, whatever the framework version
    if prev and (prev.framework_key, prev.framework_version) != (fw.key, fw.version):
        prev_rec = None  # a different framework version's stages do not line up
    domains = fw.domains_for(entity.kind)
    sections = tuple(_section(fw, d, own_rec, peer_rec, prev_rec, today) for d in domains)
    titles = tuple(d.title for d in domains)
    stage_names = tuple(s.name for s in fw.stages)

    # No band of the participants' views here: on paper a shaded wedge reads as a score. The
    # spread of views has its own chart ("Participants' views") in the report.
    series = [RadarSeries(f"Self-assessment {rnd.name}", _values(fw, own_rec, domains))]
    if peer_rec:
        series.append(RadarSeries(f"Peer review {rnd.name}", _values(fw, peer_rec, domains)))
    if prev and prev_rec:
        series.append(
            RadarSeries(
                f"Self-assessment {rounds[prev.round_id].name}",
                _values(fw, prev_rec, domains),
            )
        )
    radar = radar_for(
        fw, titles, series, title=f"{entity.name}: {rnd.name}", caption=ThresholdCaption.STAGE
    )
    votes = VoteSpread(
        "Participants' views and the agreed stage",
        titles,
        stage_names,
        tuple(tuple(n for _, n in s.votes) or (0,) * len(stage_names) for s in sections),
        tuple(s.stage_position for s in sections),
    )
    diffs = []
    if peer_rec:
        for d, s in zip(domains, sections, strict=True):
            a, b = s.stage_position, _position(fw, peer_rec.rating(d.key).stage)
            if a is not None and b is not None and a != b:
                diffs.append(Difference(d.title, s.stage, s.peer_stage, a - b))
        diffs.sort(key=lambda x: -abs(x.steps))
    at, below = readiness(fw, {d.key: own_rec.rating(d.key).stage for d in domains}, domains)
    people = tuple(
        f"{p.name} ({p.organisation})" if p.organisation else p.name for p in own.participants
    )
    reviewer = ""
    if peer:
        reviewer = ", ".join(x for x in (peer.reviewer_name, peer.reviewer_organisation) if x)
        reviewer = reviewer or "Peer reviewer (name not recorded)"
    return PeerReviewReport(
        entity=entity.name,
        entity_kind=entity.kind.label,
        system=system.name,
        round=rnd.name,
        date=_date(own),
        framework=fw,
        facilitator=own.facilitator,
        participants=people,
        reviewer=reviewer,
        has_peer_review=peer is not None,
        previous_round=rounds[prev.round_id].name if prev_rec and prev else "",
        status=own.status.value.capitalize(),
        review_status=peer.status.value.capitalize() if peer else "",
        sections=sections,
        threshold=fw.stage(fw.threshold_stage).name if fw.threshold_stage else "",
        at_threshold=tuple(fw.domain(k).title for k in at),
        below_threshold=tuple(fw.domain(k).title for k in below),
        differences=tuple(diffs[:8]),
        strengths=peer.strengths if peer else "",
        areas_to_develop=peer.areas_to_develop if peer else "",
        recommendations=peer.recommendations if peer else "",
        charts=(radar, StageComparison(radar), votes),
        changes=round_changes(
            fw,
            domains,
            own_rec,
            prev_any,
            rounds[prev.round_id].name if prev else "",
            today,
        ),
        plan=action_plan_lines(domains, own_rec, today),
        targets=target_lines(fw, domains, own_rec, today),
        today=today,
        pairings=help_report.entity_pairings(svc, entity, rnd),
    )


def system_summary(
    svc: Services,
    system: System,
    rnd: Round | None,
    latest_final: Callable[[Entity, Round], tuple[Assessment, Round] | None],
) -> SystemSummaryReport:
    """Return the single view of a system "as at" a round (the newest round with data if None).

    Each entity appears with its latest final self-assessment up to that round, and the round
    it came from; an entity with none is listed as such, never silently left out.
    """
    entities = svc.catalog.entities(system.id)
    if not entities:
        raise NotFound(f"{system.name} has no places or collaboratives yet")
    rounds = sorted(svc.catalog.rounds(), key=lambda r: r.sequence)
    if rnd is None:
        used = {a.round_id for e in entities for a in svc.assessments.assessments(e.id)}
        candidates = [r for r in rounds if r.id in used]
        if not candidates:
            raise NotFound(f"{system.name} has no assessments yet")
        rnd = candidates[-1]
    picked: list[tuple[Entity, AssessmentRecord, Framework, Round]] = []
    missing = []
    for e in entities:
        found = latest_final(e, rnd)
        if found is None:
            missing.append(f"{e.name} (no final self-assessment up to {rnd.name})")
            continue
        a, came_from = found
        picked.append((e, svc.assessments.record(a.id), svc.assessments.framework_of(a), came_from))
    if not picked:
        raise NotFound(
            f"no entity in {system.name} has a final self-assessment up to round {rnd.name!r}"
        )
    # The single view needs one set of domains: the framework most entities used.
    common = Counter(fw.ref for _, _, fw, _ in picked).most_common(1)[0][0]
    fw = next(f for _, _, f, _ in picked if f.ref == common)
    stage_names = tuple(s.name for s in fw.stages)
    in_view = [(e, rec, r) for e, rec, f, r in picked if f.ref == common]
    missing += [f"{e.name} (uses {f.title})" for e, _, f, _ in picked if f.ref != common]
    rows = []
    per_domain: dict[str, list[tuple[int, str]]] = defaultdict(list)
    enablers: dict[tuple[int, str, str], list[str]] = defaultdict(list)
    requests: dict[tuple[int, str, str], list[str]] = defaultdict(list)
    tags: Counter[str] = Counter()
    summaries = []
    for e, rec, came_from in in_view:
        values = []
        for d in fw.domains:
            pos = _position(fw, rec.rating(d.key).stage) if d.applies(e.kind) else None
            values.append(pos)
            if pos is not None:
                per_domain[d.key].append((pos, e.name))
            r = rec.rating(d.key)
            for bucket, items in ((enablers, r.enablers), (requests, r.support_requests)):
                for item in items:
                    names = bucket[(d.number, d.title, " ".join(item.text.split()))]
                    if e.name not in names:
                        names.append(e.name)
                    tags.update(item.tags)
        rows.append(HeatmapRow(e.name, e.kind.label, tuple(values)))
        summaries.append(_entity_summary(fw, e, rec, stage_names, came_from.name))
    ranking = []
    for d in fw.domains:
        scores = per_domain.get(d.key, [])
        placed = [p for p, _ in scores]
        median = statistics.median(placed) if placed else None
        level = not placed or min(placed) == max(placed)  # all at one stage: nobody ahead
        ranking.append(
            DomainRank(
                d.title,
                median,
                _median_name(fw, median),
                len(placed),
                lowest="" if level else _names([n for p, n in scores if p == min(placed)]),
                highest="" if level else _names([n for p, n in scores if p == max(placed)]),
            )
        )
    ranking.sort(key=lambda r: (r.median is None, -(r.median or 0)))

    def themes(bucket: dict[tuple[int, str, str], list[str]]) -> tuple[ThemeEntry, ...]:
        items = sorted(bucket.items(), key=lambda kv: (kv[0][0], -len(kv[1]), kv[0][2].lower()))
        return tuple(ThemeEntry(title, text, tuple(names)) for (_, title, text), names in items)

    from matrix_desktop.charts.style import SEQUENTIAL, sample, text_colour_for

    colours = sample(SEQUENTIAL[1:], len(stage_names))
    heatmap = Heatmap(
        f"{system.name}: {rnd.name}", tuple(d.title for d in fw.domains), tuple(rows), stage_names
    )
    today = today_iso()
    plan = tuple(
        replace(plan_line(row.domain_title, row.action, today), entity=row.entity_name)
        for row in svc.plan.plan(
            system_id=system.id, up_to_sequence=rnd.sequence, final_only=True, today=today
        )
        if row.action.status.is_live
    )
    return SystemSummaryReport(
        system=system.name,
        round=rnd.name,
        date=max((_date(rec.assessment) for _, rec, _ in in_view), default=""),
        frameworks=(fw.title,),
        heatmap=heatmap,
        ranking=tuple(ranking),
        themes=tuple(tags.most_common()),
        enablers=themes(enablers),
        support_requests=themes(requests),
        entities=tuple(summaries),
        missing=tuple(missing),
        stage_colours=colours,
        stage_inks=tuple(text_colour_for(c) for c in colours),
        help=help_report.system_help(svc, system, rnd),
        pairings=help_report.system_pairings(svc, system, rnd),
        plan=plan,
        today=today,
    )


def _names(names: list[str], shown: int = 3) -> str:
    """Return up to `shown` names, then how many more, so a table cell stays short."""
    if len(names) <= shown + 1:
        return ", ".join(names)
    return ", ".join(names[:shown]) + f" and {len(names) - shown} more"


def _median_name(fw: Framework, median: float | None) -> str:
    if median is None:
        return NOT_ASSESSED
    low, high = fw.stage_at(int(median)).name, fw.stage_at(min(int(median) + 1, len(fw.stages)))
    return low if median == int(median) else f"between {low} and {high.name}"


def _entity_summary(
    fw: Framework,
    e: Entity,
    rec: AssessmentRecord,
    stage_names: tuple[str, ...],
    round_name: str = "",
) -> EntitySummary:
    domains = fw.domains_for(e.kind)
    staged = [(d.title, _position(fw, rec.rating(d.key).stage)) for d in domains]
    scored = [p for _, p in staged if p is not None]
    top = max(scored, default=None)
    bottom = min(scored, default=None)
    ratings: list[Rating] = [rec.rating(d.key) for d in domains]
    return EntitySummary(
        name=e.name,
        kind=e.kind.label,
        status=rec.assessment.status.value.capitalize(),
        round=round_name,
        stages=tuple((d.title, _stage_name(fw, rec.rating(d.key).stage)) for d in domains),
        strongest=tuple(t for t, p in staged if p is not None and p == top and top != bottom),
        weakest=tuple(t for t, p in staged if p is not None and p == bottom and top != bottom),
        enablers=tuple(t.text for r in ratings for t in r.enablers),
        support_requests=tuple(t.text for r in ratings for t in r.support_requests),
        actions=sum(len(r.actions) for r in ratings),
        radar=radar_for(
            fw,
            (d.title for d in domains),
            (RadarSeries(e.name, _values(fw, rec, domains)),),
            title=e.name,
            caption=ThresholdCaption.NONE,
        ),
    )


RATING_COLUMNS = (
    "system",
    "entity",
    "entity kind",
    "round",
    "framework",
    "framework version",
    "assessment kind",
    "status",
    "domain number",
    "domain",
    "stage",
    "stage position",
    "confidence",
    "direction of travel",
    "evidence",
    "rationale",
    "statements met",
    "carried forward",
    "review position",
    "review comment",
    "review suggestions",
)
KEY_COLUMNS = ("entity", "round", "assessment kind", "domain number", "domain")


def data_tables(svc: Services, entities: Sequence[Entity], rnd: Round | None) -> list[DataTable]:
    """Return one table each of ratings, votes, actions, enablers and support requests."""
    systems = {s.id: s.name for s in svc.catalog.systems()}
    rounds = {r.id: r for r in svc.catalog.rounds()}
    ratings: list[Row] = []
    votes: list[Row] = []
    actions: list[Row] = []
    enablers: list[Row] = []
    requests: list[Row] = []
    seen: set[str] = set()
    for e in entities:
        if e.id in seen:
            continue
        seen.add(e.id)
        items = svc.assessments.assessments(e.id, rnd.id if rnd else None)
        for a in sorted(items, key=lambda a: (rounds[a.round_id].sequence, a.kind.value)):
            fw = svc.assessments.framework_of(a)
            rec = svc.assessments.record(a.id)
            people = {p.id: p for p in a.participants}
            for d in fw.domains_for(e.kind):
                r = rec.rating(d.key)
                key = (e.name, rounds[a.round_id].name, a.kind.label, d.number, d.title)
                ratings.append(
                    (
                        systems.get(e.system_id, ""),
                        e.name,
                        e.kind.label,
                        key[1],
                        fw.name,
                        fw.version,
                        a.kind.label,
                        a.status.value,
                        d.number,
                        d.title,
                        _stage_name(fw, r.stage) if r.stage else "",
                        _position(fw, r.stage),
                        r.confidence.value if r.confidence else "",
                        r.direction.label if r.direction else "",
                        r.evidence,
                        r.rationale,
                        len(r.statements_met),
                        "yes" if r.carried_forward else "no",
                        r.review_position.value if r.review_position else "",
                        r.review_comment,
                        r.review_suggestions,
                    )
                )
                for v in rec.votes_for(d.key):
                    p = people.get(v.participant_id)
                    votes.append(
                        key
                        + (
                            p.name if p else v.participant_id,
                            p.organisation if p else "",
                            _stage_name(fw, v.stage) if v.stage else "",
                        )
                    )
                for act in r.actions:
                    actions.append(
                        key
                        + (
                            act.what,
                            act.owner,
                            act.due or "",
                            act.status.value,
                            act.completed_on or "",
                            act.note,
                        )
                    )
                for bucket, themes in ((enablers, r.enablers), (requests, r.support_requests)):
                    for t in themes:
                        bucket.append(key + (t.text, ", ".join(t.tags)))
    return [
        DataTable("ratings", RATING_COLUMNS, tuple(ratings)),
        DataTable("votes", KEY_COLUMNS + ("participant", "organisation", "stage"), tuple(votes)),
        DataTable(
            "actions",
            KEY_COLUMNS + ("action", "owner", "due", "status", "completed", "note"),
            tuple(actions),
        ),
        DataTable("enablers", KEY_COLUMNS + ("enabler", "tags"), tuple(enablers)),
        DataTable(
            "support_requests", KEY_COLUMNS + ("request for support", "tags"), tuple(requests)
        ),
    ]
