"""Every mutation as a command: a patch of the fields a user touched, with its inverse.

A command says which fields change, from the values the user saw to the values they set.
The service applies it in one transaction with compare-and-set against the stored values
(core.merge), records what it actually replaced, and returns a Change carrying the new
values. Undo applies the inverse patch to those fields only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from matrix_desktop.core.merge import FieldConflict, field_label
from matrix_desktop.core.model import Assessment, Pairing, Rating, Status, Vote

TargetKind = Literal["rating", "assessment", "vote", "pairing", "feedback"]


@dataclass(frozen=True)
class Change:
    """What a command changed, with the new values, so views refresh only that.

    rating / assessment / vote carry the stored values after the change (when the change
    was of that row); revision is the assessment's revision after it. `external` marks a
    change committed by another copy of the app, learnt from the change feed.
    """

    assessment_id: str
    domain_keys: frozenset[str] = frozenset()
    parts: frozenset[str] = frozenset()  # 'assessment', 'rating', 'vote', 'status', 'created'
    rating: Rating | None = None
    assessment: Assessment | None = None
    vote: Vote | None = None
    pairing: Pairing | None = None  # a pairing's edit: the pairing after it (None: removed)
    revision: int | None = None
    external: bool = False
    feedback: object | None = None  # core.feedback.Feedback after a 'feedback' change


def short(value: object, limit: int = 80) -> str:
    """Return a value as a short line for the audit trail and messages."""
    if isinstance(value, tuple):
        text = "; ".join(_item_line(v) for v in value)
        text = text or "—"
    else:
        text = "—" if value in (None, "") else str(getattr(value, "value", value))
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _item_line(item: object) -> str:
    """Return a list item as the audit trail names it; an action not open, with its status."""
    text = str(
        getattr(item, "what", None) or getattr(item, "text", None) or getattr(item, "name", item)
    )
    status = getattr(item, "status", None)
    if status is None or status == "open":
        return text
    return f"{text} ({status.label.lower()})"


class Command:
    """A reversible edit. `text` is what Undo/Redo menus and the audit trail show."""

    text: str = ""
    action: str = "edit"
    assessment_id: str = ""

    def detail(self) -> str:
        return self.text

    @property
    def domain_key(self) -> str | None:
        return None

    def inverse(self) -> Command:
        raise NotImplementedError


@dataclass(frozen=True)
class Target:
    """The row an edit changes: a domain's rating, the assessment itself, one view, or a row
    of its own kind named by item_id: a piece of feedback on the matrix, or a pairing (which
    belongs to no assessment: assessment_id is empty)."""

    kind: TargetKind
    assessment_id: str
    domain_key: str | None = None
    participant_id: str | None = None
    item_id: str | None = None


@dataclass
class Edit(Command):
    """Change fields of one row from the values the user saw to the values they set.

    After the service applies it, `before` and `after` hold the values it actually replaced
    and wrote (fields changed by nobody else merged in), which the audit trail and undo use.
    """

    target: Target
    seen: dict[str, object]
    new: dict[str, object]
    text: str = ""
    who: str = ""  # for a view: the participant's name
    before: dict[str, object] = field(default_factory=dict)
    after: dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.assessment_id = self.target.assessment_id
        self.action = self.target.kind
        if not self.text:
            if self.target.kind == "vote":
                self.text = f"Set {self.who or 'participant'}'s view"
            else:
                names = ", ".join(field_label(n).lower() for n in self.new) or "nothing"
                self.text = "Change " + names

    @property
    def domain_key(self) -> str | None:
        return self.target.domain_key

    def detail(self) -> str:
        before = self.before or self.seen
        after = self.after or self.new
        names = [n for n in self.new if before.get(n) != after.get(n)] or list(self.new)
        parts = []
        for name in names:
            label = self.who if self.target.kind == "vote" and self.who else name
            parts.append(f"{label}: {short(before.get(name))} -> {short(after.get(name))}")
        return "; ".join(parts)

    def inverse(self) -> Edit:
        """Return the edit that undoes this one (from what it wrote back to what it replaced)."""
        if not self.after:
            raise ValueError("an edit can be undone only after it was applied")
        return Edit(
            self.target,
            dict(self.after),
            dict(self.before),
            text=self.text,
            who=self.who,
        )

    def keep_mine(self, conflicts: Iterable[FieldConflict]) -> Edit:
        """Return this edit re-based on the stored values of the conflicting fields.

        The user has seen theirs and chosen to keep their own: compare-and-set now
        checks against the values just shown, so a third change still is not overwritten.
        """
        seen, new = dict(self.seen), dict(self.new)
        for c in conflicts:
            seen[c.field] = c.theirs
            new[c.field] = c.keep_mine
        return Edit(self.target, seen, new, text=self.text, who=self.who)


@dataclass
class SetStatus(Command):
    """Finalise (refused over changes the user has not seen) or reopen (with a reason)."""

    target_id: str
    status: Status
    seen_revision: int | None = None
    reason: str = ""
    text: str = ""
    revision_after: int | None = None

    def __post_init__(self) -> None:
        self.assessment_id = self.target_id
        final = self.status is Status.FINAL
        self.action = "finalise" if final else "reopen"
        self.text = self.text or ("Finalise assessment" if final else "Reopen assessment")

    def detail(self) -> str:
        line = "status: draft -> final" if self.status is Status.FINAL else "status: final -> draft"
        return line + (f"; reason: {self.reason}" if self.reason else "")

    def inverse(self) -> SetStatus:
        if self.status is Status.FINAL:
            return SetStatus(self.target_id, Status.DRAFT, reason="undo of finalise")
        return SetStatus(self.target_id, Status.FINAL, seen_revision=self.revision_after)


def rating_edit(seen: Rating, **changes: object) -> Edit:
    """Return the edit of a domain's rating from the rating the user saw."""
    return Edit(
        Target("rating", seen.assessment_id, seen.domain_key),
        {name: getattr(seen, name) for name in changes},
        dict(changes),
    )


def assessment_edit(seen: Assessment, **changes: object) -> Edit:
    """Return the edit of an assessment's details from the assessment the user saw."""
    if "status" in changes:
        raise ValueError("use SetStatus to finalise or reopen")
    return Edit(
        Target("assessment", seen.id),
        {name: getattr(seen, name) for name in changes},
        dict(changes),
    )


def vote_edit(seen: Vote, stage: str | None, who: str = "") -> Edit:
    """Return the edit of one participant's view of a domain."""
    return Edit(
        Target("vote", seen.assessment_id, seen.domain_key, seen.participant_id),
        {"stage": seen.stage},
        {"stage": stage},
        who=who,
    )
