"""Scoring rules: validation, the suggested stage from statements met, and the spread of views."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from matrix_desktop.core.errors import FinalisedError, ValidationFailed
from matrix_desktop.core.framework import Domain, EntityKind, Framework
from matrix_desktop.core.model import MAX_NAME, MAX_TEXT, Assessment, Rating

_TEXT_FIELDS = ("evidence", "rationale", "review_comment", "review_suggestions")


def check_editable(assessment: Assessment) -> None:
    """Raise FinalisedError if the assessment is final (read-only)."""
    if assessment.is_final:
        raise FinalisedError(
            "This assessment is final and read-only. Reopen it (with a reason) to change it."
        )


def check_text(label: str, text: str, limit: int = MAX_TEXT) -> None:
    """Raise ValidationFailed if text is too long or holds control characters."""
    if len(text) > limit:
        raise ValidationFailed(f"{label} is {len(text):,} characters; the limit is {limit:,}.")
    bad = [c for c in text if ord(c) < 32 and c not in "\n\r\t"]
    if bad:
        raise ValidationFailed(f"{label} contains control character U+{ord(bad[0]):04X}.")


def validate_rating(framework: Framework, kind: EntityKind | str | None, rating: Rating) -> None:
    """Raise ValidationFailed if a rating breaks a rule of its framework."""
    if not framework.has_domain(rating.domain_key):
        raise ValidationFailed(f"{rating.domain_key!r} is not a domain of {framework.title}.")
    domain = framework.domain(rating.domain_key)
    if rating.stage is not None:
        if not framework.has_stage(rating.stage):
            names = ", ".join(s.name for s in framework.stages)
            raise ValidationFailed(
                f"{rating.stage!r} is not a stage of {framework.title} (stages: {names})."
            )
        if kind is not None and not domain.applies(kind):
            raise ValidationFailed(
                f"'{domain.title}' does not apply to a {EntityKind(kind).label.lower()} "
                "in this framework, so it cannot be given a stage."
            )
    valid_ids = {s.id for s in domain.statements}
    unknown = [s for s in rating.statements_met if s not in valid_ids]
    if unknown:
        raise ValidationFailed(f"statement {unknown[0]!r} is not in '{domain.title}'.")
    for name in _TEXT_FIELDS:
        check_text(name.replace("_", " ").capitalize(), getattr(rating, name))
    for item in (*rating.enablers, *rating.support_requests):
        check_text("Enabler or support request", item.text, 20_000)
    for action in rating.actions:
        check_text("Action", action.what, 20_000)
        check_text("Action owner", action.owner, MAX_NAME)


def suggested_stage(framework: Framework, domain_key: str, met: Iterable[str]) -> str | None:
    """Return the stage the statements judged met support, or None if they support none.

    The rule: a stage is supported when at least half of its published statements are
    met and every earlier stage with published statements is supported too; the
    suggestion is the highest supported stage. A stage with no published statements
    (e.g. Maturing in the SYB matrix) is supported when both its neighbours that have
    statements are, so a domain meeting Developing and Thriving is suggested Thriving,
    and one meeting Developing only is suggested Developing. The suggestion never
    overrides the agreed stage; it is shown beside it.
    """
    domain = framework.domain(domain_key)
    met_set = set(met)
    best: str | None = None
    for stage in framework.stages:
        published = domain.statements_for(stage.key)
        if not published:
            continue  # unpublished stages never break or make the chain on their own
        hits = sum(1 for s in published if s.id in met_set)
        if hits * 2 < len(published):
            break
        best = stage.key
    return best


@dataclass(frozen=True)
class Spread:
    """How the room's views of one domain are spread across stages."""

    counts: dict[str, int]
    voters: int
    distinct: int
    majority: str | None
    median_position: float | None
    low: int | None
    high: int | None

    @property
    def flagged(self) -> bool:
        """Views spread across two or more stages: worth discussing."""
        return self.distinct >= 2


def spread(framework: Framework, stages: Iterable[str | None]) -> Spread:
    """Return the distribution of participants' views (None votes are abstentions)."""
    chosen = [s for s in stages if s is not None]
    counts = Counter(chosen)
    ordered = {s.key: counts.get(s.key, 0) for s in framework.stages}
    positions = sorted(framework.stage(s).position for s in chosen)
    majority = None
    if counts:
        top = max(counts.values())
        leaders = [k for k, v in ordered.items() if v == top]
        majority = leaders[0] if len(leaders) == 1 else None
    return Spread(
        counts=ordered,
        voters=len(chosen),
        distinct=len(counts),
        majority=majority,
        median_position=statistics.median(positions) if positions else None,
        low=positions[0] if positions else None,
        high=positions[-1] if positions else None,
    )


def readiness(
    framework: Framework,
    stages: Mapping[str, str | None],
    domains: Iterable[Domain] | None = None,
) -> tuple[list[str], list[str]]:
    """Return (keys of domains at or above the threshold stage, keys of those below it).

    The one readiness rule: a domain is ready when its agreed stage (stages: domain key ->
    stage key) is the framework's threshold stage or a later one; a domain not assessed, or
    given a stage the framework does not have, is below. Over domains (by default every
    domain of the framework), in their order; both lists are empty without a threshold.
    """
    threshold = framework.threshold_position
    if threshold is None:
        return [], []
    at: list[str] = []
    below: list[str] = []
    for d in framework.domains if domains is None else domains:
        key = stages.get(d.key)
        position = framework.stage(key).position if key and framework.has_stage(key) else None
        (at if position is not None and position >= threshold else below).append(d.key)
    return at, below
