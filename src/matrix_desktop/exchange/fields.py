"""Field-level three-way merge of one assessment: the base both copies last shared, the
file's copy and this database's, merged detail by detail, domain by domain and view by view.

Each field goes through core.merge.merge_field: a change on one side applies, the same
change on both counts once, list fields (actions, statements met, participants, ...) merge
item by item, and only a field changed differently on both sides is a conflict.

Words: in an import "mine" is this database's copy and "theirs" the file's. merge_field is
called with seen = the base, new = the file's value and current = this database's value, so
its FieldConflict.mine is the file's value and FieldConflict.theirs this database's; they are
mapped to the import's words here, once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import NamedTuple, TypeVar

from matrix_desktop.core.merge import field_label, merge_field
from matrix_desktop.core.model import AssessmentRecord, Rating, Vote

# The assessment's own fields that are merged (the details); the rest identify it.
DETAIL_FIELDS = (
    "title",
    "assessed_on",
    "facilitator",
    "reviewer_name",
    "reviewer_organisation",
    "strengths",
    "areas_to_develop",
    "recommendations",
    "participants",
    "status",
)
# Fields no edit changes: copies differing in one of them are not merged field by field.
IDENTITY_FIELDS = ("id", "framework_key", "framework_version", "kind", "reviews_id", "created_at")
RATING_FIELDS = tuple(
    f.name for f in fields(Rating) if f.name not in ("assessment_id", "domain_key")
)
VOTE_PREFIX = "vote."
DETAILS = ""  # the domain of a FieldKey for the assessment's details
K = TypeVar("K")


class FieldChoice(StrEnum):
    """The user's choice for one field changed differently on both sides."""

    MINE = "mine"  # this database's value
    THEIRS = "theirs"  # the file's value

    @property
    def label(self) -> str:
        return "keep mine" if self is FieldChoice.MINE else "take theirs"


class FieldKey(NamedTuple):
    """One field of one assessment: a detail, a domain's rating field or a participant's view."""

    assessment_id: str
    domain: str  # DETAILS ("") for the assessment's details
    field: str  # a field name; "vote.<participant id>" for a participant's view

    def text(self) -> str:
        """Return the key as the CLI spells it: ASSESSMENT_ID:DOMAIN:FIELD ('-': details)."""
        return f"{self.assessment_id}:{self.domain or '-'}:{self.field}"

    @classmethod
    def parse(cls, text: str) -> FieldKey:
        """Return the key in ASSESSMENT_ID:DOMAIN:FIELD (DOMAIN '-' or empty for details)."""
        parts = text.strip().split(":")
        if len(parts) != 3 or not parts[0].strip() or not parts[2].strip():
            raise ValueError(f"{text!r}: expected ASSESSMENT_ID:DOMAIN:FIELD")
        aid, domain, name = (p.strip() for p in parts)
        return cls(aid, "" if domain in ("", "-") else domain, name)


@dataclass(frozen=True)
class ConflictingField:
    """A field changed differently in this database and in the file since they last shared.

    base: the value both last shared; mine: this database's; theirs: the file's.
    keep_mine / take_theirs: the value the field gets for each choice (for a list these
    also carry the other side's changes to the items that do not clash).
    """

    key: FieldKey
    label: str  # "Domain 2: Evidence", "Details: Title", "Domain 1: Ann's view"
    base: object
    mine: object
    theirs: object
    keep_mine: object
    take_theirs: object
    items: tuple[str, ...] = ()  # for a list: the items that clash, as a user reads them

    def value(self, choice: FieldChoice) -> object:
        return self.take_theirs if choice is FieldChoice.THEIRS else self.keep_mine


@dataclass(frozen=True)
class RecordMerge:
    """One assessment merged field by field; conflicting fields hold this database's value
    until a choice says otherwise."""

    local: AssessmentRecord
    values: Mapping[FieldKey, object]
    conflicts: tuple[ConflictingField, ...]
    from_file: tuple[str, ...]  # domains (DETAILS for the details) given changes from the file
    kept_here: tuple[str, ...]  # domains changed here since the base, kept
    # Finalised since the base while the other side changed the content: merging would put
    # edits the finaliser never saw into a final assessment, so it is decided whole.
    finalised_while_edited: bool = False

    def record(
        self,
        choices: Mapping[FieldKey, FieldChoice] | None = None,
        *,
        revision: int | None = None,
        modified_at: str | None = None,
    ) -> AssessmentRecord:
        """Return the merged record with the choices made for conflicting fields."""
        values = dict(self.values)
        for c in self.conflicts:
            choice = (choices or {}).get(c.key, FieldChoice.MINE)
            values[c.key] = c.value(choice)
        return _build(self.local, values, revision, modified_at)

    def dropped_views(self) -> int:
        """Return how many merged views belong to a participant the merge removed."""
        people = {p.id for p in self.values[_detail(self.local, "participants")]}  # type: ignore[attr-defined]
        return sum(
            1
            for k, v in self.values.items()
            if k.field.startswith(VOTE_PREFIX)
            and v is not None
            and k.field[len(VOTE_PREFIX) :] not in people
        )

    def describe(self) -> str:
        """Return what the merge takes from each side, as a user reads it."""

        def part(keys: tuple[str, ...], where: str) -> str | None:
            domains = sum(1 for k in keys if k != DETAILS)
            words = []
            if domains:
                words.append(f"{domains} domain{'s' if domains != 1 else ''}")
            if DETAILS in keys:
                words.append("the details")
            return f"{' and '.join(words)} {where}" if words else None

        parts = [part(self.from_file, "from the file"), part(self.kept_here, "kept here")]
        text = ", ".join(p for p in parts if p) or "nothing new from the file"
        if self.conflicts:
            n = len(self.conflicts)
            text += f"; {n} field{'s' if n != 1 else ''} changed differently on both sides"
        return text


def identity_differs(*records: AssessmentRecord) -> bool:
    """Return True when the copies differ in what identifies the assessment (e.g. framework)."""
    first = records[0].assessment
    return any(
        getattr(r.assessment, name) != getattr(first, name)
        for r in records[1:]
        for name in IDENTITY_FIELDS
    )


def merge_records(
    base: AssessmentRecord,
    theirs: AssessmentRecord,
    mine: AssessmentRecord,
    domain_titles: Mapping[str, str] | None = None,
) -> RecordMerge:
    """Merge the file's copy (theirs) into this database's (mine) from the base, field by field.

    The copies must agree in their identity (see identity_differs).
    """
    titles = domain_titles or {}
    aid = mine.assessment.id
    values: dict[FieldKey, object] = {}
    conflicts: list[ConflictingField] = []
    from_file: set[str] = set()
    kept_here: set[str] = set()
    # Keys whose merged value is not this database's / the file's (or may not be: conflicts).
    not_as_here: set[FieldKey] = set()
    not_as_in_file: set[FieldKey] = set()
    names = _participant_names(base, theirs, mine)

    def merge(key: FieldKey, name: str, was: object, file: object, here: object) -> None:
        result = merge_field(name, was, file, here)
        values[key] = result.value
        if result.value != here or result.conflict is not None:
            not_as_here.add(key)
        if result.value != file or result.conflict is not None:
            not_as_in_file.add(key)
        if here != was:
            kept_here.add(key.domain)
        if result.value != here:
            from_file.add(key.domain)
        c = result.conflict
        if c is not None:
            # merge_field's "mine" is its `new` (the file), its "theirs" `current` (here).
            conflicts.append(
                ConflictingField(
                    key=key,
                    label=_label(key, titles, names),
                    base=c.base,
                    mine=c.theirs,
                    theirs=c.mine,
                    keep_mine=result.value,
                    take_theirs=c.keep_mine,
                    items=c.items,
                )
            )

    for name in DETAIL_FIELDS:
        merge(
            FieldKey(aid, DETAILS, name),
            name,
            getattr(base.assessment, name),
            getattr(theirs.assessment, name),
            getattr(mine.assessment, name),
        )
    b_ratings, t_ratings, m_ratings = (_ratings(r) for r in (base, theirs, mine))
    for domain in _ordered(m_ratings, t_ratings, b_ratings):
        if domain not in m_ratings and domain not in t_ratings:
            continue  # rated in the base only: neither copy holds it now
        empty = Rating(aid, domain)
        b, t, m = (x.get(domain, empty) for x in (b_ratings, t_ratings, m_ratings))
        for name in RATING_FIELDS:
            merge(
                FieldKey(aid, domain, name),
                name,
                getattr(b, name),
                getattr(t, name),
                getattr(m, name),
            )
    b_votes, t_votes, m_votes = (_votes(r) for r in (base, theirs, mine))
    for domain, pid in _ordered(m_votes, t_votes, b_votes):
        key = FieldKey(aid, domain, VOTE_PREFIX + pid)
        merge(
            key,
            "vote",
            b_votes.get((domain, pid)),
            t_votes.get((domain, pid)),
            m_votes.get((domain, pid)),
        )
    # Finalised since the base on one side or both: the merge must be what one of those
    # sides finalised (its status aside), else edits its finaliser never saw would land in
    # a final assessment.
    status = FieldKey(aid, DETAILS, "status")
    finalisers = [
        differs - {status}
        for side, differs in ((mine, not_as_here), (theirs, not_as_in_file))
        if side.assessment.is_final and side.assessment.status != base.assessment.status
    ]
    finalised = bool(finalisers) and all(finalisers)
    return RecordMerge(
        local=mine,
        values=values,
        conflicts=tuple(conflicts),
        from_file=tuple(sorted(from_file)),
        kept_here=tuple(sorted(kept_here)),
        finalised_while_edited=finalised,
    )


def _detail(record: AssessmentRecord, name: str) -> FieldKey:
    return FieldKey(record.assessment.id, DETAILS, name)


def _ratings(record: AssessmentRecord) -> dict[str, Rating]:
    return {r.domain_key: r for r in record.ratings}


def _votes(record: AssessmentRecord) -> dict[tuple[str, str], str]:
    return {(v.domain_key, v.participant_id): v.stage for v in record.votes if v.stage is not None}


def _ordered(*maps: Iterable[K]) -> list[K]:
    """Return the keys of the maps, each once, in the order first seen."""
    return list(dict.fromkeys(k for m in maps for k in m))


def _participant_names(*records: AssessmentRecord) -> dict[str, str]:
    out: dict[str, str] = {}
    for r in records:
        for p in r.assessment.participants:
            out.setdefault(p.id, p.name)
    return out


def _label(key: FieldKey, titles: Mapping[str, str], names: Mapping[str, str]) -> str:
    where = "Details" if key.domain == DETAILS else titles.get(key.domain, key.domain)
    if key.field.startswith(VOTE_PREFIX):
        pid = key.field[len(VOTE_PREFIX) :]
        return f"{where}: {names.get(pid, 'a participant')}'s view"
    return f"{where}: {field_label(key.field)}"


def _build(
    local: AssessmentRecord,
    values: Mapping[FieldKey, object],
    revision: int | None,
    modified_at: str | None,
) -> AssessmentRecord:
    """Return the record the values describe, on this database's copy's identity."""
    a = local.assessment
    details: dict[str, object] = {}
    ratings: dict[str, dict[str, object]] = {}
    votes: list[Vote] = []
    for key, value in values.items():
        if key.domain == DETAILS:
            details[key.field] = value
        elif key.field.startswith(VOTE_PREFIX):
            if value is not None:
                pid = key.field[len(VOTE_PREFIX) :]
                votes.append(Vote(a.id, pid, key.domain, value))  # type: ignore[arg-type]
        else:
            ratings.setdefault(key.domain, {})[key.field] = value
    if revision is not None:
        details["revision"] = revision
    if modified_at is not None:
        details["modified_at"] = modified_at
    assessment = a.evolve(**details)
    people = {p.id for p in assessment.participants}
    return AssessmentRecord(
        assessment,
        tuple(Rating(a.id, domain, **changes) for domain, changes in ratings.items()),  # type: ignore[arg-type]
        tuple(v for v in votes if v.participant_id in people),
    )
