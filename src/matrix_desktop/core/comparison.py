"""Pure rules for comparing assessments: stage positions, standings, themes, direction of travel."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from matrix_desktop.core.framework import EntityKind, Framework, FrameworkRef
from matrix_desktop.core.model import AssessmentKind, Direction, Status, ThemeItem

ThemeKind = Literal["enabler", "support"]
THEME_LABELS: dict[str, str] = {"enabler": "Key enabler", "support": "Request for support"}


@dataclass(frozen=True)
class AssessmentHead:
    """What a comparison needs to know about one assessment, without its ratings."""

    id: str
    entity_id: str
    entity_name: str
    entity_kind: EntityKind
    system_id: str
    round_id: str
    round_name: str
    round_sequence: int
    framework: FrameworkRef
    kind: AssessmentKind
    status: Status
    reviews_id: str | None = None
    title: str = ""

    @property
    def is_final(self) -> bool:
        return self.status is Status.FINAL


def positions(
    framework: Framework, domain_keys: Sequence[str], stages: Mapping[str, str | None]
) -> tuple[int | None, ...]:
    """Return the 1-based stage position per domain (None: not assessed or unknown stage)."""
    out: list[int | None] = []
    for key in domain_keys:
        stage = stages.get(key)
        out.append(
            framework.stage(stage).position if stage and framework.has_stage(stage) else None
        )
    return tuple(out)


def mixed_versions_message(refs: Iterable[FrameworkRef], what: str = "These assessments") -> str:
    """Return the sentence users see when assessments use different framework versions."""
    names = sorted({f"{r.key} {r.version}" for r in refs})
    return (
        f"{what} were made against different framework versions ({', '.join(names)}); "
        "only assessments against the same version are compared domain by domain."
    )


@dataclass(frozen=True)
class DomainStanding:
    """How one domain stands across entities: median stage, range and spread."""

    domain_key: str
    title: str
    number: int
    assessed: int
    median: float | None
    low: int | None
    high: int | None
    stdev: float

    @property
    def spread(self) -> int | None:
        """Stages between the least and most mature entity (max - min)."""
        return None if self.low is None or self.high is None else self.high - self.low


def domain_standings(
    framework: Framework, domain_keys: Sequence[str], rows: Iterable[Sequence[int | None]]
) -> tuple[DomainStanding, ...]:
    """Return each domain's standing over rows of positions (one row per entity)."""
    rows = list(rows)
    out = []
    for i, key in enumerate(domain_keys):
        values: list[int] = sorted(v for r in rows if i < len(r) and (v := r[i]) is not None)
        domain = framework.domain(key)
        out.append(
            DomainStanding(
                domain_key=key,
                title=domain.title,
                number=domain.number,
                assessed=len(values),
                median=float(statistics.median(values)) if values else None,
                low=values[0] if values else None,
                high=values[-1] if values else None,
                stdev=statistics.pstdev(values) if len(values) > 1 else 0.0,
            )
        )
    return tuple(out)


def rank_by_median(standings: Iterable[DomainStanding]) -> tuple[DomainStanding, ...]:
    """Return domains most mature first (median, then lowest stage); unassessed last."""
    return tuple(
        sorted(
            standings,
            key=lambda s: (s.median is None, -(s.median or 0), -(s.low or 0), s.number),
        )
    )


def rank_by_spread(standings: Iterable[DomainStanding]) -> tuple[DomainStanding, ...]:
    """Return domains where entities differ most first (range, then deviation); unassessed last."""
    return tuple(
        sorted(
            standings,
            key=lambda s: (s.spread is None, -(s.spread or 0), -s.stdev, s.number),
        )
    )


@dataclass(frozen=True)
class ThemeGroup:
    """One enabler or request for support, as raised (in similar words) by one or more entities."""

    domain_key: str
    domain_title: str
    kind: ThemeKind
    text: str
    tags: tuple[str, ...]
    count: int
    entities: tuple[str, ...]

    @property
    def kind_label(self) -> str:
        return THEME_LABELS[self.kind]


@dataclass(frozen=True)
class TagSummary:
    """A user-assigned tag across all domains: how often it was raised, by whom, where."""

    tag: str
    kind: ThemeKind
    count: int
    entities: tuple[str, ...]
    domains: tuple[str, ...]


@dataclass(frozen=True)
class RaisedTheme:
    """One theme item as raised by one entity in one domain."""

    entity_name: str
    domain_key: str
    kind: ThemeKind
    item: ThemeItem


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold().rstrip(".")


def group_themes(framework: Framework, raised: Iterable[RaisedTheme]) -> tuple[ThemeGroup, ...]:
    """Return themes grouped by domain, kind and wording; most raised first within a domain.

    Items count once per raising; wording is compared ignoring case, spacing and a final
    full stop, and the first wording seen is kept. Tags are the union of the items' tags.
    """
    groups: dict[tuple[str, str, str], dict] = {}
    for r in raised:
        text = " ".join(r.item.text.split())
        if not text:
            continue
        key = (r.domain_key, r.kind, _norm(text))
        g = groups.setdefault(key, {"text": text, "tags": {}, "count": 0, "entities": {}})
        g["count"] += 1
        g["entities"].setdefault(r.entity_name, None)
        for tag in r.item.tags:
            g["tags"].setdefault(tag.strip().casefold(), None)
    order = {d.key: d.number for d in framework.domains}
    out = [
        ThemeGroup(
            domain_key=dk,
            domain_title=framework.domain(dk).title if framework.has_domain(dk) else dk,
            kind=kind,  # type: ignore[arg-type]
            text=g["text"],
            tags=tuple(sorted(t for t in g["tags"] if t)),
            count=g["count"],
            entities=tuple(sorted(g["entities"], key=str.casefold)),
        )
        for (dk, kind, _), g in groups.items()
    ]
    out.sort(key=lambda t: (order.get(t.domain_key, 10**6), t.kind, -t.count, t.text.casefold()))
    return tuple(out)


def tag_summaries(groups: Iterable[ThemeGroup]) -> tuple[TagSummary, ...]:
    """Return each tag (per kind) with its count, entities and domains; most raised first."""
    acc: dict[tuple[str, ThemeKind], dict] = {}
    for g in groups:
        for tag in g.tags or ("untagged",):
            a = acc.setdefault((tag, g.kind), {"count": 0, "entities": set(), "domains": {}})
            a["count"] += g.count
            a["entities"].update(g.entities)
            a["domains"].setdefault(g.domain_title, None)
    out = [
        TagSummary(
            tag,
            kind,
            a["count"],
            tuple(sorted(a["entities"], key=str.casefold)),
            tuple(a["domains"]),
        )
        for (tag, kind), a in acc.items()
    ]
    out.sort(key=lambda t: (t.kind, -t.count, t.tag))
    return tuple(out)


def direction_of_travel(history: Sequence[int | None]) -> Direction | None:
    """Return the direction between the last two assessed positions (None if fewer than two)."""
    assessed = [p for p in history if p is not None]
    if len(assessed) < 2:
        return None
    before, now = assessed[-2], assessed[-1]
    if now > before:
        return Direction.IMPROVING
    if now < before:
        return Direction.DETERIORATING
    return Direction.NO_CHANGE


def stage_name(framework: Framework, position: float | None) -> str:
    """Return a stage's name for a position ('Developing'), a half-way label, or 'Not assessed'."""
    if position is None:
        return "Not assessed"
    if float(position).is_integer():
        return framework.stage_at(int(position)).name
    lower = framework.stage_at(int(position)).name
    upper = framework.stage_at(int(position) + 1).name
    return f"{lower}/{upper}"
