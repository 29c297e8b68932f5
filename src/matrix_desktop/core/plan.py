"""The improvement plan: targets per domain and actions followed across rounds, as plain values.

An action lives in the actions list of a domain's rating. A new round's assessment holds the
previous round's open actions under the same ids, so the action plan takes each action id
once, as the latest round holding it says it stands.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from operator import itemgetter
from typing import Any, NamedTuple

from matrix_desktop.core.framework import Framework
from matrix_desktop.core.model import Action, ActionStatus, Rating, action_from_dict


def today_iso() -> str:
    """Return today's local date as YYYY-MM-DD (what 'overdue' and 'past' are measured from)."""
    return _dt.date.today().isoformat()


class ActionSource(NamedTuple):
    """One domain's actions as one assessment holds them (a row of the plan query).

    actions are the stored dicts (core.model.action_as_dict): the plan turns into Action
    values only the latest state of each, which keeps a plan of thousands quick.
    """

    entity_id: str
    entity_name: str
    round_name: str
    round_sequence: int
    assessment_id: str
    assessment_final: bool
    domain_key: str
    actions: tuple[Mapping[str, Any], ...]


class PlanAction(NamedTuple):
    """One action in the plan: where it stands now, where it is held, and since when.

    A named tuple, like ActionSource: a plan holds thousands, built many times faster.
    """

    action: Action
    entity_id: str
    entity_name: str
    domain_key: str
    domain_title: str
    round_name: str  # the latest round whose assessment holds it
    first_round_name: str  # the round it was agreed in
    assessment_id: str  # the assessment of round_name holding it
    assessment_final: bool
    overdue: bool
    rounds: int = 1  # how many rounds' assessments hold it


@dataclass(frozen=True)
class PlanFilter:
    """What the programme office narrows the plan to; None or False means any."""

    domain_key: str | None = None
    owner: str | None = None  # matched case-insensitively, as part of the owner's name
    status: ActionStatus | None = None
    overdue_only: bool = False

    def matches(self, row: PlanAction) -> bool:
        if self.domain_key and row.domain_key != self.domain_key:
            return False
        if self.owner and self.owner.strip().casefold() not in row.action.owner.casefold():
            return False
        if self.status is not None and row.action.status is not self.status:
            return False
        return not (self.overdue_only and not row.overdue)


def action_plan(
    sources: Iterable[ActionSource],
    domain_titles: dict[str, str],
    today: str,
    plan_filter: PlanFilter | None = None,
) -> list[PlanAction]:
    """Return each action once, as its latest round holds it, filtered and sorted.

    Sorted by entity, then the framework's domain order (domain_titles' order), then due
    date (none last). domain_titles maps domain keys to titles, in the framework's order.
    """
    # Keyed by entity as well: an id another entity's file happens to share never merges
    # two entities' actions into one.
    latest: dict[tuple[str, str], tuple[ActionSource, Mapping[str, Any]]] = {}
    first: dict[tuple[str, str], ActionSource] = {}
    held: Counter[tuple[str, str]] = Counter()
    for src in sorted(sources, key=itemgetter(3)):  # by round sequence
        eid = src.entity_id
        for d in src.actions:
            key = (eid, d["id"])
            held[key] += 1
            latest[key] = (src, d)  # rounds in order: the last one seen is the latest
            first.setdefault(key, src)
    order = {k: i for i, k in enumerate(domain_titles)}
    rows = []
    for key, (src, d) in latest.items():
        action = action_from_dict(d)
        rows.append(
            PlanAction(
                action,
                src.entity_id,
                src.entity_name,
                src.domain_key,
                domain_titles.get(src.domain_key, src.domain_key),
                src.round_name,
                first[key].round_name,
                src.assessment_id,
                src.assessment_final,
                action.is_overdue(today),
                held[key],
            )
        )
    if plan_filter is not None:
        rows = [r for r in rows if plan_filter.matches(r)]
    rows.sort(
        key=lambda r: (
            r.entity_name.casefold(),
            order.get(r.domain_key, len(order)),
            r.action.due or "9999-99-99",
            r.action.what.casefold(),
        )
    )
    return rows


def carried_actions(actions: Iterable[Action]) -> tuple[Action, ...]:
    """Return the actions a new round's assessment takes over: the open and in-progress ones.

    Their ids stay the same, so the next round updates the same actions.
    """
    return tuple(a for a in actions if a.status.is_live)


def with_status(
    action: Action, status: ActionStatus, today: str, completed_on: str | None = None
) -> Action:
    """Return the action in a new status; done or dropped records a completion date.

    completed_on defaults to today for done and dropped; going back to open or in progress
    clears it.
    """
    if status.is_live:
        return replace(action, status=status, completed_on=None)
    return replace(action, status=status, completed_on=completed_on or action.completed_on or today)


# -- targets -----------------------------------------------------------------------------------


def stage_index(framework: Framework, stage: str | None) -> int | None:
    """Return a stage's position (0 = the first stage), or None when not set or unknown."""
    if stage is None:
        return None
    keys = [s.key for s in framework.stages]
    return keys.index(stage) if stage in keys else None


def distance_to_target(framework: Framework, rating: Rating) -> int | None:
    """Return how many stages the agreed stage is short of the target (negative: beyond it).

    None when either the target or the agreed stage is not set.
    """
    target = stage_index(framework, rating.target_stage)
    current = stage_index(framework, rating.stage)
    if target is None or current is None:
        return None
    return target - current


def distance_text(distance: int | None) -> str:
    """Return the distance to target as a reader says it: '2 stages to go', 'met', ''."""
    if distance is None:
        return ""
    if distance == 0:
        return "met"
    n = abs(distance)
    stages = f"{n} stage{'s' if n != 1 else ''}"
    return f"{stages} to go" if distance > 0 else f"exceeded by {stages}"


def target_cell(stage_name: str, distance: int | None, target_date: str | None) -> str:
    """Return a heatmap or table cell for a target: 'Thriving by 2026-03-31 (1 stage to go)'."""
    if not stage_name:
        return ""
    text = stage_name + (f" by {target_date}" if target_date else "")
    said = distance_text(distance)
    return f"{text} ({said})" if said else text


def target_notes(framework: Framework, rating: Rating, today: str) -> list[str]:
    """Return warnings about a domain's target: below the agreed stage, date passed.

    Both are allowed (a target can be set low on purpose, a date can be recorded late);
    they are shown, not refused.
    """
    notes: list[str] = []
    distance = distance_to_target(framework, rating)
    if distance is not None and distance < 0 and rating.target_stage and rating.stage:
        notes.append(
            f"the target {framework.stage(rating.target_stage).name} is below the agreed "
            f"stage {framework.stage(rating.stage).name}"
        )
    if rating.target_date and rating.target_date < today and (distance is None or distance > 0):
        notes.append(f"the target date {rating.target_date} has passed")
    return notes
