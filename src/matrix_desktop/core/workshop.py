"""What the workshop screen shows as plain values: radar series, stages, the room's views."""

from __future__ import annotations

from dataclasses import dataclass

from matrix_desktop.core.chart_models import (
    Band,
    RadarChart,
    RadarSeries,
    StageValue,
    ThresholdCaption,
    radar_for,
)
from matrix_desktop.core.framework import Domain, EntityKind, Framework
from matrix_desktop.core.model import AssessmentRecord
from matrix_desktop.core.rules import Spread, spread


def scored_domains(framework: Framework, kind: EntityKind | str | None) -> tuple[Domain, ...]:
    """Return the domains that can be given a stage for an entity of this kind, in order."""
    return framework.domains if kind is None else framework.domains_for(kind)


def stage_values(
    framework: Framework, domains: tuple[Domain, ...], record: AssessmentRecord | None
) -> tuple[StageValue, ...]:
    """Return each domain's agreed stage as a 1-based position (None: not yet assessed)."""
    if record is None:
        return tuple(None for _ in domains)
    out: list[StageValue] = []
    for d in domains:
        stage = record.rating(d.key).stage
        out.append(
            float(framework.stage(stage).position) if stage and framework.has_stage(stage) else None
        )
    return tuple(out)


TARGET_LABEL = "Target"


def target_values(
    framework: Framework, domains: tuple[Domain, ...], record: AssessmentRecord
) -> tuple[StageValue, ...]:
    """Return each domain's target stage as a 1-based position (None: no target set)."""
    out: list[StageValue] = []
    for d in domains:
        target = record.rating(d.key).target_stage
        ok = target is not None and framework.has_stage(target)
        out.append(float(framework.stage(target).position) if ok and target else None)
    return tuple(out)


def domain_spread(framework: Framework, record: AssessmentRecord, domain_key: str) -> Spread:
    """Return the spread of the room's views of one domain."""
    valid = [
        v.stage
        for v in record.votes_for(domain_key)
        if v.stage is None or framework.has_stage(v.stage)
    ]
    return spread(framework, valid)


def vote_bands(
    framework: Framework, domains: tuple[Domain, ...], record: AssessmentRecord
) -> tuple[Band, ...]:
    """Return each domain's (lowest, highest) view as positions, or None where nobody voted."""
    out: list[Band] = []
    for d in domains:
        s = domain_spread(framework, record, d.key)
        out.append(None if s.low is None or s.high is None else (float(s.low), float(s.high)))
    return tuple(out)


@dataclass(frozen=True)
class SpreadRow:
    """One domain's line in the spread-of-views table: its views per stage and the agreed stage."""

    domain: str
    counts: tuple[int, ...]
    voters: int
    flagged: bool
    agreed: str
    rationale: str


@dataclass(frozen=True)
class RadarOptions:
    """Which series the live radar shows besides this assessment."""

    previous: bool = True
    spread: bool = True


def workshop_radar(
    framework: Framework,
    kind: EntityKind | str | None,
    record: AssessmentRecord,
    *,
    title: str = "",
    previous: AssessmentRecord | None = None,
    previous_label: str = "Previous round",
    options: RadarOptions = RadarOptions(),
    numbered: bool = False,
) -> RadarChart:
    """Return the live radar: this assessment first (with the room's spread), then last round.

    Series 0 is always this assessment, so a view can move it alone on every edit.
    With numbered, axes are labelled by domain number (for a compact radar beside a list).
    """
    domains = scored_domains(framework, kind)
    band = vote_bands(framework, domains, record) if options.spread else None
    series = [
        RadarSeries("This assessment (agreed)", stage_values(framework, domains, record), band)
    ]
    if options.previous and previous is not None:
        series.append(RadarSeries(previous_label, stage_values(framework, domains, previous)))
    targets = target_values(framework, domains, record)
    if any(v is not None for v in targets):
        series.append(RadarSeries(TARGET_LABEL, targets))
    return radar_for(
        framework,
        (str(d.number) if numbered else d.title for d in domains),
        series,
        title=title,
        caption=ThresholdCaption.STAGE_AND_FRAMEWORK,
    )
