"""Three-way merge by stable id: what an import does to each assessment, and the plan it makes.

Each copy of an assessment carries its *ancestry*: the content hashes it had whenever it was
exported or imported. Comparing the two copies' current content and ancestries says which
side changed since they last shared a revision:

- same content on both sides -> unchanged;
- this database's content is in the file's ancestry (only the file changed) -> updated;
- the file's content is in this database's ancestry (only this database changed) -> unchanged
  here, "this database has newer edits";
- anything else (both changed, or a history too short or ambiguous to tell) -> conflict, which
  the user resolves: keep mine, take theirs, or keep both as separate copies.

Nothing here touches the database; the service builds the plan and applies it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from matrix_desktop.core.framework import Framework
from matrix_desktop.core.model import (
    Assessment,
    AssessmentRecord,
    Entity,
    Round,
    System,
    Vote,
)
from matrix_desktop.exchange.codec import Bundle


class Outcome(StrEnum):
    """What importing one assessment would do."""

    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"


class Resolution(StrEnum):
    """The user's choice for an assessment changed on both sides."""

    KEEP_MINE = "keep_mine"
    TAKE_THEIRS = "take_theirs"
    KEEP_BOTH = "keep_both"

    @property
    def label(self) -> str:
        return {
            Resolution.KEEP_MINE: "keep mine",
            Resolution.TAKE_THEIRS: "take theirs",
            Resolution.KEEP_BOTH: "keep both as separate copies",
        }[self]


def classify(
    local_hash: str | None,
    local_ancestry: frozenset[str] | set[str],
    incoming_hash: str,
    incoming_ancestry: frozenset[str] | set[str],
) -> tuple[Outcome, str]:
    """Return the outcome for one assessment and a sentence saying why.

    local_hash is None when this database does not hold the assessment.
    """
    if local_hash is None:
        return Outcome.NEW, "not in this database"
    if local_hash == incoming_hash:
        return Outcome.UNCHANGED, "identical"
    theirs_descends = local_hash in incoming_ancestry
    mine_descends = incoming_hash in local_ancestry
    if theirs_descends and not mine_descends:
        return Outcome.UPDATED, "changed only in the file since they last shared a revision"
    if mine_descends and not theirs_descends:
        return Outcome.UNCHANGED, "this database already has these edits and newer ones"
    if theirs_descends and mine_descends:
        return Outcome.CONFLICT, "both copies returned to earlier content; choose which to keep"
    return Outcome.CONFLICT, "changed on both sides since they last shared a revision"


@dataclass(frozen=True)
class PlannedAssessment:
    """One assessment in an import: the incoming copy (ids mapped to this database's), its
    outcome, and for a conflict the local copy it competes with."""

    source: str  # the file it came from
    index: int  # its position in that file's assessments list
    record: AssessmentRecord
    outcome: Outcome
    reason: str
    label: str  # "Barnsley, 2021/22 Q2, Self-assessment"
    content_hash: str
    ancestry: frozenset[str]  # the incoming copy's
    local: Assessment | None = None
    local_hash: str | None = None
    local_ancestry: frozenset[str] = frozenset()

    @property
    def assessment_id(self) -> str:
        return self.record.assessment.id

    @property
    def choices(self) -> tuple[Resolution, ...]:
        """Return the resolutions the user may choose (only conflicts have any)."""
        return tuple(Resolution) if self.outcome is Outcome.CONFLICT else ()

    @property
    def new_sync_hashes(self) -> frozenset[str]:
        """Return the hashes this import adds to the local ancestry (empty for a no-op)."""
        if self.outcome is Outcome.NEW:
            return self.ancestry | {self.content_hash}
        known = self.local_ancestry
        assert self.local_hash is not None
        return (self.ancestry | {self.content_hash, self.local_hash}) - known

    def signature(self) -> tuple[str, str, str | None, frozenset[str]]:
        """Return what the plan depends on in the database (to detect a stale plan)."""
        return (self.outcome.value, self.content_hash, self.local_hash, self.local_ancestry)


@dataclass(frozen=True)
class ImportPlan:
    """What an import would do, per assessment, before anything changes."""

    files: tuple[tuple[str, Bundle], ...]  # (path, contents) as read
    items: tuple[PlannedAssessment, ...]
    new_frameworks: tuple[Framework, ...] = ()
    new_systems: tuple[System, ...] = ()
    new_entities: tuple[Entity, ...] = ()
    new_rounds: tuple[Round, ...] = ()
    skipped: tuple[str, ...] = ()  # notes on repeats across files, shown with the preview

    def count(self, outcome: Outcome) -> int:
        return sum(1 for i in self.items if i.outcome is outcome)

    @property
    def conflicts(self) -> tuple[PlannedAssessment, ...]:
        return tuple(i for i in self.items if i.outcome is Outcome.CONFLICT)

    @property
    def has_changes(self) -> bool:
        """Return False when applying would write nothing at all (e.g. a repeated import)."""
        return bool(
            self.new_frameworks
            or self.new_systems
            or self.new_entities
            or self.new_rounds
            or any(i.outcome is not Outcome.UNCHANGED or i.new_sync_hashes for i in self.items)
        )

    def summary(self) -> str:
        text = ", ".join(f"{self.count(o)} {o.value}" for o in Outcome)
        if self.new_frameworks:
            text += f"; {len(self.new_frameworks)} new framework version(s)"
        return text

    def lines(self) -> list[str]:
        """Return the preview as text, one line per assessment then the summary."""
        out = [
            f"{i.outcome.value:<10} {i.label}  [{i.assessment_id}]  ({_name(i.source)}): {i.reason}"
            for i in self.items
        ]
        out += [f"framework  {fw.title}: new, comes with the file" for fw in self.new_frameworks]
        out += [f"entity     {e.name}: new" for e in self.new_entities]
        out += [f"round      {r.name}: new" for r in self.new_rounds]
        out += list(self.skipped)
        out.append(self.summary())
        return out


@dataclass(frozen=True)
class ImportResult:
    """What an applied import changed, so views can refresh only that."""

    plan: ImportPlan
    decisions: Mapping[str, Resolution]
    changed: tuple[str, ...] = ()  # assessment ids created or replaced (copies included)
    copies: Mapping[str, str] = field(default_factory=dict)  # conflict id -> id of the copy
    backup: str | None = None  # the backup taken before the import, if any

    @property
    def nothing_changed(self) -> bool:
        return not self.plan.has_changes


def copy_for_keep_both(record: AssessmentRecord, new_id: str, source: str) -> AssessmentRecord:
    """Return the incoming copy of a conflicting assessment under a new id, marked in its title."""
    a = record.assessment
    base = a.title or "Assessment"
    title = f"{base} (copy from {_name(source)})"
    if len(title) > 300:
        title = title[:299] + "…"
    copy = a.evolve(id=new_id, title=title)
    ratings = tuple(r.evolve(assessment_id=new_id) for r in record.ratings)
    votes = tuple(Vote(new_id, v.participant_id, v.domain_key, v.stage) for v in record.votes)
    return AssessmentRecord(copy, ratings, votes)


def _name(source: str) -> str:
    return source.replace("\\", "/").rsplit("/", 1)[-1]
