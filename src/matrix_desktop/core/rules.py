"""Scoring rules: validation, the suggested stage from statements met, and the spread of views."""

from __future__ import annotations

import datetime as _dt
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from matrix_desktop.core.errors import FinalisedError, ValidationFailed
from matrix_desktop.core.framework import Domain, EntityKind, Framework
from matrix_desktop.core.model import MAX_NAME, MAX_TEXT, Assessment, AssessmentKind, Rating

_TEXT_FIELDS = ("evidence", "rationale", "review_comment", "review_suggestions")


def check_editable(assessment: Assessment) -> None:
    """Raise FinalisedError if the assessment is final (read-only)."""
    if assessment.is_final:
        raise FinalisedError(
            "This assessment is final and read-only. Reopen it (with a reason) to change it."
        )


# The one rule for characters in text, used by framework files, exchange files and every
# edit: C0 controls but tab and newline (carriage return only before a newline), DEL, the C1
# control NEL, the Unicode line and paragraph separators, and unpaired UTF-16 surrogates.
_BAD_CHARACTER = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029\ud800-\udfff]|\r(?!\n)"
)
_NAMES = {0x2028: "line separator", 0x2029: "paragraph separator"}


def bad_character(text: str) -> str | None:
    """Return what is wrong with the first character text may not hold, or None."""
    bad = _BAD_CHARACTER.search(text)
    if bad is None:
        return None
    code = ord(bad.group()[0])
    if 0xD800 <= code <= 0xDFFF:
        return f"contains an unpaired surrogate U+{code:04X}"
    if code in _NAMES:
        return f"contains the invisible {_NAMES[code]} U+{code:04X}"
    return f"contains control character U+{code:04X}"


def find_bad_character(value: object, path: str = "") -> str | None:
    """Return 'path: problem' for the first string (value or key) breaking bad_character."""
    if isinstance(value, str):
        problem = bad_character(value)
        return f"{path or '(top level)'}: {problem}" if problem else None
    if isinstance(value, dict):
        for k, v in value.items():
            inner = f"{path}.{k}" if path else str(k)
            found = find_bad_character(k, inner) or find_bad_character(v, inner)
            if found:
                return found
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found = find_bad_character(v, f"{path}[{i}]")
            if found:
                return found
    return None


def check_text(label: str, text: str, limit: int = MAX_TEXT) -> None:
    """Raise ValidationFailed if text is too long or holds a character text may not hold."""
    if len(text) > limit:
        raise ValidationFailed(f"{label} is {len(text):,} characters; the limit is {limit:,}.")
    problem = bad_character(text)
    if problem:
        raise ValidationFailed(f"{label} {problem}.")


# What places an assessment: an import or edit never changes these on an existing one.
_PLACING = (
    ("entity_id", "entity"),
    ("round_id", "round"),
    ("framework_key", "framework"),
    ("kind", "kind"),
    ("reviews_id", "assessment it reviews"),
)


def moved_field(mine: Assessment, theirs: Assessment) -> tuple[str, str] | None:
    """Return (field, what it is) of the first placing field theirs changes, or None.

    An assessment never moves to another entity, round, framework or kind, and a peer
    review never to another self-assessment: a copy that says otherwise is refused.
    """
    for name, what in _PLACING:
        if getattr(mine, name) != getattr(theirs, name):
            return name, what
    return None


def review_problem(review: Assessment, target: Assessment) -> tuple[str, str] | None:
    """Return (field, problem) when review may not review target, or None.

    A peer review reviews a self-assessment of the same entity, in the same round, against
    the same framework version.
    """
    if target.kind is not AssessmentKind.SELF_ASSESSMENT:
        return "reviews_id", (
            f"names {target.id}, a peer review; a peer review reviews a self-assessment"
        )
    for name, what in (
        ("entity_id", "entity"),
        ("round_id", "round"),
        ("framework_key", "framework"),
        ("framework_version", "framework version"),
    ):
        if getattr(review, name) != getattr(target, name):
            return name, (
                f"the peer review is of another {what} than the self-assessment it reviews "
                f"({target.id}); a peer review reviews a self-assessment of the same entity, "
                "round and framework version"
            )
    return None


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
    if rating.target_stage is not None and not framework.has_stage(rating.target_stage):
        names = ", ".join(s.name for s in framework.stages)
        raise ValidationFailed(
            f"Target stage {rating.target_stage!r} of '{domain.title}' is not a stage of "
            f"{framework.title} (stages: {names})."
        )
    _check_date(f"Target date of '{domain.title}'", rating.target_date)
    for n, action in enumerate(rating.actions, start=1):
        check_text("Action", action.what, 20_000)
        check_text("Action owner", action.owner, MAX_NAME)
        check_text("Action note", action.note, 20_000)
        _check_date(f"Action {n} of '{domain.title}': due date", action.due)
        _check_date(f"Action {n} of '{domain.title}': completion date", action.completed_on)


def _check_date(label: str, value: str | None) -> None:
    """Raise ValidationFailed unless value is None or an ISO date (YYYY-MM-DD)."""
    if value is None:
        return
    try:
        _dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValidationFailed(f"{label} {value!r} is not a date (YYYY-MM-DD).") from None
    if len(value) != 10:
        raise ValidationFailed(f"{label} {value!r} is not a date (YYYY-MM-DD).")


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
