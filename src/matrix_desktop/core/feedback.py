"""Feedback on the matrix: a workshop's request for clarity or suggested rewording.

Feedback is recorded against a statement or a domain of the framework version an assessment
uses. It is made, changed and withdrawn by Edit commands like every other edit (target kind
'feedback'): a feedback whose kind is None does not exist, so adding is an edit from no
kind to a kind, and its undo (back to no kind) removes it again under the same id.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from matrix_desktop.core.commands import Edit, Target
from matrix_desktop.core.errors import ValidationFailed
from matrix_desktop.core.framework import Framework
from matrix_desktop.core.framework_diff import FrameworkDiff, StatementChange
from matrix_desktop.core.model import MAX_NAME, new_id
from matrix_desktop.core.rules import check_text

MAX_FEEDBACK_TEXT = 20_000  # characters; the exchange schema's limit for short texts
FIELDS = ("kind", "statement_id", "text", "wording")  # what an edit of feedback changes


class FeedbackKind(StrEnum):
    CLARITY = "clarity"
    REWORDING = "rewording"

    @property
    def label(self) -> str:
        return "Request for clarity" if self is FeedbackKind.CLARITY else "Suggested rewording"

    @property
    def plural(self) -> str:
        return "requests for clarity" if self is FeedbackKind.CLARITY else "suggested rewordings"


@dataclass(frozen=True)
class Feedback:
    """One piece of feedback on the matrix, as stored.

    statement_id None: about the domain as a whole. kind None: not (or no longer) recorded.
    author: the user name of whoever recorded it; created_at: when (UTC, ISO 8601).
    """

    id: str
    assessment_id: str
    domain_key: str
    kind: FeedbackKind | None = None
    statement_id: str | None = None
    text: str = ""
    wording: str = ""
    author: str = ""
    created_at: str = ""

    @property
    def exists(self) -> bool:
        return self.kind is not None

    def evolve(self, **changes: Any) -> Feedback:
        return replace(self, **changes)


@dataclass(frozen=True)
class FeedbackItem:
    """Feedback with where it came from, as the programme office reads it."""

    feedback: Feedback
    framework_key: str
    framework_version: str
    entity_name: str
    round_name: str
    domain_title: str
    statement_text: str  # "" for feedback on the domain as a whole


def feedback_kind(text: str | FeedbackKind | None) -> FeedbackKind:
    """Return the kind a value names; ValidationFailed names the field otherwise."""
    if isinstance(text, FeedbackKind):
        return text
    value = (text or "").strip().lower().replace("-", "_").replace(" ", "_")
    aliases = {"request_for_clarity": "clarity", "suggested_rewording": "rewording"}
    try:
        return FeedbackKind(aliases.get(value, value))
    except ValueError:
        raise ValidationFailed(
            f"Kind of feedback: {text!r} is not one of clarity, rewording."
        ) from None


def check_feedback(fw: Framework, fb: Feedback) -> None:
    """Raise ValidationFailed (one sentence naming the field) unless fb fits the framework."""
    if fb.kind is None:
        return  # withdrawn: nothing else to check
    if not fw.has_domain(fb.domain_key):
        raise ValidationFailed(f"Domain: {fb.domain_key!r} is not a domain of {fw.title}.")
    domain = fw.domain(fb.domain_key)
    if fb.statement_id is not None and fb.statement_id not in {s.id for s in domain.statements}:
        raise ValidationFailed(
            f"Statement: {fb.statement_id!r} is not a statement of domain {domain.number} "
            f"{domain.title} in {fw.title}."
        )
    if not fb.text.strip():
        raise ValidationFailed("Feedback text: say what needs clarity or why to reword it.")
    check_text("Feedback text", fb.text, MAX_FEEDBACK_TEXT)
    if fb.kind is FeedbackKind.REWORDING and not fb.wording.strip():
        raise ValidationFailed("Suggested wording: a suggested rewording needs the new wording.")
    check_text("Suggested wording", fb.wording, MAX_FEEDBACK_TEXT)
    check_text("Recorded by", fb.author, MAX_NAME)


def new_feedback_edit(
    assessment_id: str,
    domain_key: str,
    kind: FeedbackKind,
    text: str,
    *,
    statement_id: str | None = None,
    wording: str = "",
    feedback_id: str | None = None,
) -> Edit:
    """Return the edit that records new feedback (its undo removes it again)."""
    fid = feedback_id or new_id()
    about = "a statement" if statement_id else "the domain"
    return Edit(
        Target("feedback", assessment_id, domain_key, item_id=fid),
        {"kind": None, "statement_id": None, "text": "", "wording": ""},
        {
            "kind": kind,
            "statement_id": statement_id,
            "text": text.strip(),
            "wording": wording.strip() if kind is FeedbackKind.REWORDING else "",
        },
        text=f"Record feedback on {about}: {kind.label.lower()}",
    )


def withdraw_feedback_edit(seen: Feedback) -> Edit:
    """Return the edit that withdraws recorded feedback (undo brings it back)."""
    return Edit(
        Target("feedback", seen.assessment_id, seen.domain_key, item_id=seen.id),
        {name: getattr(seen, name) for name in FIELDS},
        {"kind": None, "statement_id": None, "text": "", "wording": ""},
        text="Withdraw feedback on the matrix",
    )


# -- counting ----------------------------------------------------------------------------

Place = tuple[str, str | None]  # (domain key, statement id or None for the domain)


def counts_by_place(feedback: Iterable[Feedback]) -> dict[Place, Counter[FeedbackKind]]:
    """Return how many of each kind there are per statement (and per domain as a whole)."""
    out: dict[Place, Counter[FeedbackKind]] = {}
    for fb in feedback:
        if fb.kind is not None:
            out.setdefault((fb.domain_key, fb.statement_id), Counter())[fb.kind] += 1
    return out


def describe_counts(counts: Counter[FeedbackKind] | None) -> str:
    """Return e.g. '3 requests for clarity, 1 suggested rewording' ('' for none)."""
    if not counts:
        return ""
    parts = []
    for kind in FeedbackKind:
        n = counts.get(kind, 0)
        if n:
            words = kind.plural if n != 1 else kind.label.lower()
            parts.append(f"{n} {words}")
    return ", ".join(parts)


@dataclass(frozen=True)
class StatementCount:
    """How much feedback one statement (or domain) of one framework version has, and from where."""

    framework_key: str
    framework_version: str
    domain_title: str
    statement_text: str  # "" for the domain as a whole
    clarity: int
    rewording: int
    entities: tuple[str, ...]

    @property
    def total(self) -> int:
        return self.clarity + self.rewording


def per_statement(items: Iterable[FeedbackItem]) -> list[StatementCount]:
    """Return one count per statement (or domain) with feedback, the most first."""
    groups: dict[tuple[str, str, str, str | None], list[FeedbackItem]] = {}
    for i in items:
        if i.feedback.kind is None:
            continue
        key = (i.framework_key, i.framework_version, i.feedback.domain_key, i.feedback.statement_id)
        groups.setdefault(key, []).append(i)
    out = []
    for (fw_key, version, _domain, _statement), group in groups.items():
        kinds = Counter(i.feedback.kind for i in group)
        out.append(
            StatementCount(
                fw_key,
                version,
                group[0].domain_title,
                group[0].statement_text,
                kinds.get(FeedbackKind.CLARITY, 0),
                kinds.get(FeedbackKind.REWORDING, 0),
                tuple(sorted({i.entity_name for i in group})),
            )
        )
    return sorted(out, key=lambda c: -c.total)


# -- beside the version diff ----------------------------------------------------------------


@dataclass(frozen=True)
class StatementFeedback:
    """The feedback on one statement (or a domain) of the old version, with what became of it."""

    domain_title: str
    statement_text: str  # "" for the domain as a whole
    stage_name: str
    fate: str  # "unchanged" | "reworded" | "moved" | "removed" | "domain"
    now: str | None  # the new version's text of a reworded or moved statement
    counts: Counter[FeedbackKind]
    texts: tuple[str, ...]  # the feedback itself, shortest first line each


def _changes_by_text(diff: FrameworkDiff, domain_title: str) -> dict[str, StatementChange]:
    out: dict[str, StatementChange] = {}
    for section in diff.sections:
        if section.supporting or section.old_title != domain_title:
            continue
        for change in section.statements:
            if change.old_text is not None:
                out.setdefault(change.old_text, change)
    return out


def feedback_beside_diff(
    diff: FrameworkDiff, old: Framework, feedback: Sequence[Feedback]
) -> list[StatementFeedback]:
    """Return the old version's statements and domains that have feedback, in matrix order,
    each with what the new version did to it (unchanged, reworded, moved, removed)."""
    by_place: dict[Place, list[Feedback]] = {}
    for fb in feedback:
        if fb.kind is not None:
            by_place.setdefault((fb.domain_key, fb.statement_id), []).append(fb)
    stages = {s.key: s.name for s in old.stages}
    out: list[StatementFeedback] = []
    for domain in old.domains:
        changes = _changes_by_text(diff, domain.title)
        places: list[tuple[str | None, str, str]] = [(None, "", "")]
        places += [(s.id, s.text, stages.get(s.stage_key, s.stage_key)) for s in domain.statements]
        for statement_id, text, stage in places:
            items = by_place.get((domain.key, statement_id))
            if not items:
                continue
            change = changes.get(text) if statement_id else None
            fate = "domain" if statement_id is None else (change.kind if change else "unchanged")
            out.append(
                StatementFeedback(
                    domain.title,
                    text,
                    stage,
                    fate,
                    change.new_text if change is not None else None,
                    Counter(fb.kind for fb in items if fb.kind is not None),
                    tuple(_first_line(fb) for fb in items),
                )
            )
    return out


def _first_line(fb: Feedback) -> str:
    kind = fb.kind.label if fb.kind else ""
    line = " ".join(fb.text.split())
    line = line if len(line) <= 120 else line[:119] + "…"
    if fb.wording:
        wording = " ".join(fb.wording.split())
        wording = wording if len(wording) <= 120 else wording[:119] + "…"
        line += f' (suggests: "{wording}")'
    return f"{kind}: {line}"


def diff_feedback_lines(items: Sequence[StatementFeedback], version: str) -> list[str]:
    """Return the feedback beside the diff as readable lines (empty when there is none)."""
    if not items:
        return []
    total = sum(sum(i.counts.values()) for i in items)
    out = [f"Feedback on version {version} ({total} in all), beside what became of each:"]
    domain = None
    for i in items:
        if i.domain_title != domain:
            domain = i.domain_title
            out += ["", f"{domain}"]
        counts = describe_counts(i.counts)
        if i.fate == "domain":
            out.append(f"  the domain as a whole: {counts}")
        else:
            fate = {
                "unchanged": "unchanged in the new version",
                "reworded": "reworded in the new version",
                "moved": "moved to another stage in the new version",
                "removed": "removed in the new version",
                "added": "unchanged in the new version",
            }[i.fate]
            out.append(f"  ({i.stage_name}) {i.statement_text}")
            out.append(f"      {counts}; {fate}")
            if i.now and i.fate == "reworded":
                out.append(f"      now: {i.now}")
        out += [f"      - {t}" for t in i.texts]
    return out
