"""Three-way merge by stable id: what an import does to each assessment, and the plan it makes.

Each copy of an assessment carries its *ancestry*: the content hashes it had whenever it was
exported or imported. Comparing the two copies' current content and ancestries says which
side changed since they last shared a revision (the fast path, no field is compared):

- same content on both sides -> unchanged;
- this database's content is in the file's ancestry (only the file changed) -> updated;
- the file's content is in this database's ancestry (only this database changed) -> unchanged
  here, "this database has newer edits";
- anything else (both changed) -> merged field by field (exchange.fields) from the *base*:
  the content both copies last shared, which each database keeps whenever it exports or
  imports (the newest one kept here whose hash is in the file's ancestry). Changes on one
  side apply, identical changes count once; a field changed differently on both sides is a
  conflict the user decides field by field (keep mine / take theirs) or for the whole
  assessment (also: keep both as separate copies). Without a shared base (history from
  before field-level merging, or too short to tell) the whole assessment is in conflict.

In an import "mine" is this database's copy and "theirs" the file's.
Nothing here touches the database; the service builds the plan and applies it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from matrix_desktop.core.commands import short
from matrix_desktop.core.feedback import Feedback
from matrix_desktop.core.framework import Framework
from matrix_desktop.core.help_match import Pairing
from matrix_desktop.core.model import (
    Assessment,
    AssessmentRecord,
    Entity,
    Round,
    System,
    Vote,
)
from matrix_desktop.exchange.codec import Bundle
from matrix_desktop.exchange.fields import (
    ConflictingField,
    FieldChoice,
    FieldKey,
    RecordMerge,
)


class Outcome(StrEnum):
    """What importing one assessment would do."""

    NEW = "new"
    UPDATED = "updated"
    MERGED = "merged"  # changed on both sides, merged field by field without a conflict
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"


NO_BASE = (
    "no shared base recorded for this assessment (shared before field-level merging); "
    "choose for the whole assessment"
)
BASE_NOT_SHARED = (
    "none of the shared bases recorded here is in the file's history; "
    "choose for the whole assessment"
)
IDENTITY_DIFFERS = "the copies differ in framework version or kind; choose for the whole assessment"
FINALISED_WHILE_EDITED = (
    "finalised on one side while edited on the other; choose for the whole assessment"
)


class Resolution(StrEnum):
    """The user's choice for an assessment changed on both sides.

    For an assessment merged field by field, keep mine / take theirs decide every
    conflicting field (the changes that do not conflict apply either way); keep both keeps
    this database's copy as it is and imports the file's as a separate copy.
    """

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
    outcome, and when both sides changed, the local copy and the field-level merge."""

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
    local_bases: tuple[str, ...] = ()  # hashes of the bases this database keeps, newest first
    base_hash: str | None = None  # the base of a field-level merge
    merge: RecordMerge | None = None  # both changed and a shared base is known
    # The incoming content as exchange.codec.content_body bytes, when the reader kept them.
    body: bytes | None = field(default=None, repr=False, compare=False)

    @property
    def assessment_id(self) -> str:
        return self.record.assessment.id

    @property
    def choices(self) -> tuple[Resolution, ...]:
        """Return the resolutions the user may choose (only conflicts have any)."""
        return tuple(Resolution) if self.outcome is Outcome.CONFLICT else ()

    @property
    def field_level(self) -> bool:
        """Return True when the assessment is merged field by field (not whole)."""
        return self.merge is not None

    @property
    def field_conflicts(self) -> tuple[ConflictingField, ...]:
        return self.merge.conflicts if self.merge is not None else ()

    @property
    def new_sync_hashes(self) -> frozenset[str]:
        """Return the hashes this import adds to the local ancestry (empty for a no-op).

        A merge also adds the merged content's hash, known only once conflicts are decided.
        """
        if self.outcome is Outcome.NEW:
            return self.ancestry | {self.content_hash}
        known = self.local_ancestry
        assert self.local_hash is not None
        return (self.ancestry | {self.content_hash, self.local_hash}) - known

    @property
    def takes_file_as_base(self) -> bool:
        """Return True when applying records the file's content as a new shared base here.

        So it does whenever both copies end up holding the file's content (new, updated,
        identical) or the file's content took part in a merge.
        """
        if self.content_hash in self.local_bases:
            return False
        if self.outcome is Outcome.UNCHANGED:
            return self.local_hash == self.content_hash
        return True

    def signature(self) -> tuple[object, ...]:
        """Return what the plan depends on in the database (to detect a stale plan)."""
        return (
            self.outcome.value,
            self.content_hash,
            self.local_hash,
            self.local_ancestry,
            self.local_bases,
            self.base_hash,
            tuple(c.key for c in self.field_conflicts),
        )


class PairingOutcome(StrEnum):
    """What an import does with one pairing of a file."""

    NEW = "new"  # never seen here: added under its own id
    UPDATED = "updated"  # seen here; the file's status and note are the newer change
    UNCHANGED = "unchanged"
    KEPT = "kept"  # seen here; this database's change is newer (or it names other places)


@dataclass(frozen=True)
class PlannedPairing:
    """One pairing of a file, its ids mapped to this database's, and what the import does."""

    source: str
    index: int
    pairing: Pairing
    outcome: PairingOutcome
    label: str  # "Sheffield offered help to Barnsley on governance (2021/22 Q2)"
    reason: str = ""


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
    pairings: tuple[PlannedPairing, ...] = ()
    # Feedback on the matrix this database has never seen, with its framework key and
    # version; feedback it already holds is kept as it is (never overwritten).
    new_feedback: tuple[tuple[Feedback, str, str], ...] = ()

    def count(self, outcome: Outcome) -> int:
        return sum(1 for i in self.items if i.outcome is outcome)

    @property
    def conflicts(self) -> tuple[PlannedAssessment, ...]:
        return tuple(i for i in self.items if i.outcome is Outcome.CONFLICT)

    @property
    def field_conflicts(self) -> tuple[ConflictingField, ...]:
        """Return every field changed differently on both sides, over all assessments."""
        return tuple(c for i in self.items for c in i.field_conflicts)

    @property
    def has_changes(self) -> bool:
        """Return False when applying would write nothing at all (e.g. a repeated import)."""
        return bool(
            self.new_frameworks
            or self.new_systems
            or self.new_entities
            or self.new_rounds
            or any(p.outcome in (PairingOutcome.NEW, PairingOutcome.UPDATED) for p in self.pairings)
            or self.new_feedback
            or any(
                i.outcome is not Outcome.UNCHANGED or i.new_sync_hashes or i.takes_file_as_base
                for i in self.items
            )
        )

    def summary(self) -> str:
        text = ", ".join(f"{self.count(o)} {o.value}" for o in Outcome)
        if self.new_frameworks:
            text += f"; {len(self.new_frameworks)} new framework version(s)"
        if self.new_feedback:
            text += f"; {len(self.new_feedback)} new feedback on the matrix"
        return text

    def lines(self) -> list[str]:
        """Return the preview as text, one line per assessment (and conflicting field) then
        the summary."""
        out = []
        for i in self.items:
            out.append(
                f"{i.outcome.value:<10} {i.label}  [{i.assessment_id}]  ({_name(i.source)}): "
                f"{i.reason}"
            )
            for c in i.field_conflicts:
                out.append(f"  field    {c.key.text()}  {c.label}")
                out.append(
                    f"             base: {short(c.base)} | mine (here): {short(c.mine)} | "
                    f"theirs (file): {short(c.theirs)}"
                )
        out += [f"framework  {fw.title}: new, comes with the file" for fw in self.new_frameworks]
        out += [f"entity     {e.name}: new" for e in self.new_entities]
        out += [f"round      {r.name}: new" for r in self.new_rounds]
        out += [
            f"pairing    {p.label}  [{p.pairing.id}]: {p.outcome.value}"
            + (f" ({p.reason})" if p.reason else "")
            for p in self.pairings
            if p.outcome is not PairingOutcome.UNCHANGED
        ]
        out += list(self.skipped)
        out.append(self.summary())
        return out


@dataclass(frozen=True)
class Decisions:
    """The choices for an import's conflicts: per assessment and per field.

    A field's own choice wins over its assessment's keep mine / take theirs.
    """

    whole: Mapping[str, Resolution] = field(default_factory=dict)
    fields: Mapping[FieldKey, FieldChoice] = field(default_factory=dict)

    def field_choices(self, item: PlannedAssessment) -> dict[FieldKey, FieldChoice]:
        """Return the choice for each conflicting field of a field-level item."""
        whole = self.whole.get(item.assessment_id)
        default = FieldChoice.THEIRS if whole is Resolution.TAKE_THEIRS else FieldChoice.MINE
        return {c.key: self.fields.get(c.key, default) for c in item.field_conflicts}

    def decided(self, item: PlannedAssessment) -> bool:
        """Return True when every choice the item needs is made."""
        if item.outcome is not Outcome.CONFLICT or item.assessment_id in self.whole:
            return True
        return item.field_level and all(c.key in self.fields for c in item.field_conflicts)


@dataclass(frozen=True)
class ImportResult:
    """What an applied import changed, so views can refresh only that."""

    plan: ImportPlan
    decisions: Mapping[str, Resolution]
    field_choices: Mapping[FieldKey, FieldChoice] = field(default_factory=dict)
    changed: tuple[str, ...] = ()  # assessment ids created, replaced or merged (copies too)
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
