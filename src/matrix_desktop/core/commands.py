"""Every mutation as a command with do and undo, over a storage port; each returns what changed."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Protocol

from matrix_desktop.core.model import Assessment, Rating, Status, Vote


class AssessmentStore(Protocol):
    """The storage port commands write through (implemented in storage/)."""

    def put_assessment(self, assessment: Assessment) -> None: ...

    def put_rating(self, rating: Rating) -> None: ...

    def put_vote(self, vote: Vote) -> None: ...


@dataclass(frozen=True)
class Change:
    """What a command changed, so views refresh only that."""

    assessment_id: str
    domain_keys: frozenset[str] = frozenset()
    parts: frozenset[str] = frozenset()  # 'assessment', 'rating', 'vote', 'status'


def _diff_fields(before: object, after: object) -> list[str]:
    return [f.name for f in fields(before) if getattr(before, f.name) != getattr(after, f.name)]  # type: ignore[arg-type]


def _short(value: object, limit: int = 80) -> str:
    text = "—" if value in (None, "", ()) else str(getattr(value, "value", value))
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Command:
    """A reversible edit. `text` is what Undo/Redo menus and the audit trail show."""

    text: str = ""
    action: str = "edit"

    def do(self, store: AssessmentStore) -> Change:
        raise NotImplementedError

    def undo(self, store: AssessmentStore) -> Change:
        raise NotImplementedError

    def detail(self) -> str:
        return self.text

    @property
    def domain_key(self) -> str | None:
        return None


@dataclass
class EditRating(Command):
    """Replace one domain's rating with an edited copy."""

    before: Rating
    after: Rating
    text: str = ""

    def __post_init__(self) -> None:
        if (self.before.assessment_id, self.before.domain_key) != (
            self.after.assessment_id,
            self.after.domain_key,
        ):
            raise ValueError("EditRating must keep the same assessment and domain")
        if not self.text:
            changed = _diff_fields(self.before, self.after)
            self.text = "Change " + (", ".join(c.replace("_", " ") for c in changed) or "rating")
        self.action = "rating"

    @property
    def domain_key(self) -> str | None:
        return self.after.domain_key

    def detail(self) -> str:
        parts = [
            f"{name}: {_short(getattr(self.before, name))} -> {_short(getattr(self.after, name))}"
            for name in _diff_fields(self.before, self.after)
        ]
        return "; ".join(parts)

    def _change(self) -> Change:
        return Change(
            self.after.assessment_id, frozenset({self.after.domain_key}), frozenset({"rating"})
        )

    def do(self, store: AssessmentStore) -> Change:
        store.put_rating(self.after)
        return self._change()

    def undo(self, store: AssessmentStore) -> Change:
        store.put_rating(self.before)
        return self._change()


@dataclass
class SetVote(Command):
    """Record (or clear, with stage None) one participant's view of a domain."""

    before: Vote
    after: Vote
    participant_name: str = ""
    text: str = ""

    def __post_init__(self) -> None:
        if not self.text:
            who = self.participant_name or "participant"
            self.text = f"Set {who}'s view"
        self.action = "vote"

    @property
    def domain_key(self) -> str | None:
        return self.after.domain_key

    def detail(self) -> str:
        who = self.participant_name or self.after.participant_id
        return f"{who}: {_short(self.before.stage)} -> {_short(self.after.stage)}"

    def _change(self) -> Change:
        return Change(
            self.after.assessment_id, frozenset({self.after.domain_key}), frozenset({"vote"})
        )

    def do(self, store: AssessmentStore) -> Change:
        store.put_vote(self.after)
        return self._change()

    def undo(self, store: AssessmentStore) -> Change:
        store.put_vote(self.before)
        return self._change()


@dataclass
class EditAssessment(Command):
    """Replace an assessment's details (title, date, facilitator, participants, narrative)."""

    before: Assessment
    after: Assessment
    text: str = ""
    reason: str = ""

    def __post_init__(self) -> None:
        changed = [
            c for c in _diff_fields(self.before, self.after) if c not in ("modified_at", "revision")
        ]
        if "status" in changed:
            final = self.after.status is Status.FINAL
            self.action = "finalise" if final else "reopen"
            self.text = self.text or ("Finalise assessment" if final else "Reopen assessment")
        else:
            self.action = "assessment"
            self.text = self.text or "Change " + (
                ", ".join(c.replace("_", " ") for c in changed) or "details"
            )
        self._changed = changed

    def detail(self) -> str:
        parts = [
            f"{name}: {_short(getattr(self.before, name))} -> {_short(getattr(self.after, name))}"
            for name in self._changed
        ]
        if self.reason:
            parts.append(f"reason: {self.reason}")
        return "; ".join(parts)

    def _change(self) -> Change:
        parts = {"assessment"} | ({"status"} if "status" in self._changed else set())
        return Change(self.after.id, frozenset(), frozenset(parts))

    def do(self, store: AssessmentStore) -> Change:
        store.put_assessment(self.after)
        return self._change()

    def undo(self, store: AssessmentStore) -> Change:
        store.put_assessment(self.before)
        return self._change()
