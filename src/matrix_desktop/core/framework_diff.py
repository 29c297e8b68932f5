"""The difference between two versions of a framework, in words a programme office reads.

Domains are paired by key, then (for a key that changed) by title; statements within a
domain are paired by identical text first, then reworded statements by similarity of their
words (difflib), so an edited statement shows as reworded rather than removed and added.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from matrix_desktop.core.framework import (
    Domain,
    EntityKind,
    Framework,
    Statement,
    SupportingSection,
)

# Two statements at least this similar (difflib ratio over words) are one statement reworded.
REWORDED = 0.5
# A domain whose key changed is the same domain when its title is at least this similar.
RENAMED = 0.6


@dataclass(frozen=True)
class StatementChange:
    """A statement added, removed, reworded or moved to another stage."""

    kind: str  # "added" | "removed" | "reworded" | "moved"
    old_stage: str | None
    new_stage: str | None
    old_text: str | None
    new_text: str | None
    similarity: float | None = None

    def lines(self) -> list[str]:
        """Return the change as readable lines."""
        if self.kind == "added":
            return [f"  + added ({self.new_stage}): {self.new_text}"]
        if self.kind == "removed":
            return [f"  - removed ({self.old_stage}): {self.old_text}"]
        if self.kind == "moved":
            return [f"  > moved from {self.old_stage} to {self.new_stage}: {self.new_text}"]
        stage = (
            self.new_stage
            if self.old_stage == self.new_stage
            else f"{self.old_stage} -> {self.new_stage}"
        )
        return [
            f"  ~ reworded ({stage}):",
            f"      was: {self.old_text}",
            f"      now: {self.new_text}",
            f"      words: {word_changes(self.old_text or '', self.new_text or '')}",
        ]


@dataclass(frozen=True)
class SectionChange:
    """A domain (or supporting section) added, removed, or changed between the versions."""

    kind: str  # "added" | "removed" | "changed"
    key: str
    old_title: str | None
    new_title: str | None
    statements: tuple[StatementChange, ...] = ()
    details: tuple[str, ...] = ()
    supporting: bool = False

    def lines(self) -> list[str]:
        what = "Supporting section" if self.supporting else "Domain"
        if self.kind == "added":
            head = f"+ {what} added: {self.new_title}"
        elif self.kind == "removed":
            head = f"- {what} removed: {self.old_title}"
        else:
            head = f"~ {what} changed: {self.new_title}"
        out = [head]
        out += [f"  {d}" for d in self.details]
        for change in self.statements:
            out += change.lines()
        return out


@dataclass(frozen=True)
class FrameworkDiff:
    """What changed from one framework version to another."""

    old_title: str
    new_title: str
    details: tuple[str, ...]
    sections: tuple[SectionChange, ...]

    @property
    def is_empty(self) -> bool:
        return not self.details and not self.sections

    def count(self, kind: str) -> int:
        """Return how many statements were changed in this way (added, removed, ...)."""
        return sum(1 for s in self.sections for c in s.statements if c.kind == kind)

    def summary(self) -> str:
        """Return one line: how many domains and statements were added, removed, reworded."""
        if self.is_empty:
            return "No differences."
        domains = [s for s in self.sections if not s.supporting]
        parts = [
            _count(sum(1 for s in domains if s.kind == k), "domain", k)
            for k in ("added", "removed", "changed")
        ]
        parts += [
            _count(self.count(k), "statement", k) for k in ("added", "removed", "reworded", "moved")
        ]
        shown = [p for p in parts if p]
        return ("; ".join(shown) if shown else "Details changed") + "."

    def lines(self) -> list[str]:
        """Return the whole difference as readable lines."""
        out = [f"From {self.old_title} to {self.new_title}", self.summary()]
        if self.details:
            out.append("")
            out += list(self.details)
        for section in self.sections:
            out.append("")
            out += section.lines()
        return out

    def text(self) -> str:
        return "\n".join(self.lines())


def _count(n: int, noun: str, verb: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'} {verb}" if n else ""


def word_changes(old: str, new: str) -> str:
    """Return the new text with removed words as [-...-] and added words as {+...+}."""
    a, b = old.split(), new.split()
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out += b[j1:j2]
            continue
        if op in ("delete", "replace"):
            out.append("[-" + " ".join(a[i1:i2]) + "-]")
        if op in ("insert", "replace"):
            out.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(out)


def similarity(old: str, new: str) -> float:
    """Return how alike two texts are, 0 to 1, comparing their words."""
    a, b = old.casefold().split(), new.casefold().split()
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _stage_names(fw: Framework) -> dict[str, str]:
    return {s.key: s.name for s in fw.stages}


def diff_statements(
    old: Sequence[Statement],
    new: Sequence[Statement],
    old_names: dict[str, str],
    new_names: dict[str, str],
) -> tuple[StatementChange, ...]:
    """Return the statement changes from one domain's statements to another's."""
    left = list(old)
    right = list(new)
    # 1. The same text in the same stage: unchanged.
    for s in list(left):
        match = next((t for t in right if t.text == s.text and t.stage_key == s.stage_key), None)
        if match is not None:
            left.remove(s)
            right.remove(match)
    changes: list[StatementChange] = []
    # 2. The same text in another stage: moved.
    for s in list(left):
        match = next((t for t in right if t.text == s.text), None)
        if match is not None:
            left.remove(s)
            right.remove(match)
            changes.append(
                StatementChange(
                    "moved",
                    old_names.get(s.stage_key, s.stage_key),
                    new_names.get(match.stage_key, match.stage_key),
                    s.text,
                    match.text,
                    1.0,
                )
            )
    # 3. Similar text: reworded, the most alike pairs first (the same stage preferred).
    scored = []
    for i, s in enumerate(left):
        for j, t in enumerate(right):
            ratio = similarity(s.text, t.text)
            if ratio >= REWORDED:
                bonus = 0.05 if s.stage_key == t.stage_key else 0.0
                scored.append((ratio + bonus, ratio, i, j))
    used_left: set[int] = set()
    used_right: set[int] = set()
    for _, ratio, i, j in sorted(scored, key=lambda x: (-x[0], x[2], x[3])):
        if i in used_left or j in used_right:
            continue
        used_left.add(i)
        used_right.add(j)
        s, t = left[i], right[j]
        changes.append(
            StatementChange(
                "reworded",
                old_names.get(s.stage_key, s.stage_key),
                new_names.get(t.stage_key, t.stage_key),
                s.text,
                t.text,
                round(ratio, 2),
            )
        )
    for i, s in enumerate(left):
        if i not in used_left:
            changes.append(
                StatementChange(
                    "removed", old_names.get(s.stage_key, s.stage_key), None, s.text, None
                )
            )
    for j, t in enumerate(right):
        if j not in used_right:
            changes.append(
                StatementChange(
                    "added", None, new_names.get(t.stage_key, t.stage_key), None, t.text
                )
            )
    rank: dict[str, int] = {}
    for name in [*new_names.values(), *old_names.values()]:
        rank.setdefault(name, len(rank))
    kinds = ("removed", "reworded", "moved", "added")

    def position(c: StatementChange) -> tuple[int, int]:
        stage = c.new_stage if c.new_stage is not None else c.old_stage
        return rank.get(stage or "", 0), kinds.index(c.kind)

    return tuple(sorted(changes, key=position))


Section = Domain | SupportingSection


def _pair_sections(
    old: Sequence[Section], new: Sequence[Section]
) -> list[tuple[Section | None, Section | None]]:
    """Pair sections by key, then unpaired ones by similar title; keeps the new order."""
    old_by_key = {s.key: s for s in old}
    pairs: dict[str, Section | None] = {}
    unpaired_new = []
    for s in new:
        if s.key in old_by_key:
            pairs[s.key] = old_by_key.pop(s.key)
        else:
            unpaired_new.append(s)
    for s in unpaired_new:
        best = max(old_by_key.values(), key=lambda o: similarity(o.title, s.title), default=None)
        if best is not None and similarity(best.title, s.title) >= RENAMED:
            pairs[s.key] = old_by_key.pop(best.key)
        else:
            pairs[s.key] = None
    out: list[tuple[Section | None, Section | None]] = [(pairs[s.key], s) for s in new]
    out += [(o, None) for o in old if o.key in old_by_key]
    return out


def _section_details(o: Section, n: Section) -> list[str]:
    details: list[str] = []
    if o.key != n.key:
        details.append(f"key: {o.key} -> {n.key}")
    if o.title != n.title:
        details.append(f"renamed from {o.title!r}")
    if isinstance(o, Domain) and isinstance(n, Domain):
        if o.number != n.number:
            details.append(f"number: {o.number} -> {n.number}")
        if o.applies_to != n.applies_to:
            details.append(f"applies to: {_kinds(o.applies_to)} -> {_kinds(n.applies_to)}")
        if o.summary != n.summary:
            details.append("summary reworded")
    return details


def _sections(old_fw: Framework, new_fw: Framework, supporting: bool) -> list[SectionChange]:
    old_names, new_names = _stage_names(old_fw), _stage_names(new_fw)
    old_list: Sequence[Section] = old_fw.supporting if supporting else old_fw.domains
    new_list: Sequence[Section] = new_fw.supporting if supporting else new_fw.domains
    out: list[SectionChange] = []
    for o, n in _pair_sections(old_list, new_list):
        if o is None and n is not None:
            added = diff_statements((), n.statements, old_names, new_names)
            out.append(SectionChange("added", n.key, None, n.title, added, (), supporting))
        elif n is None and o is not None:
            removed = diff_statements(o.statements, (), old_names, new_names)
            out.append(SectionChange("removed", o.key, o.title, None, removed, (), supporting))
        elif o is not None and n is not None:
            details = _section_details(o, n)
            changes = diff_statements(o.statements, n.statements, old_names, new_names)
            if details or changes:
                out.append(
                    SectionChange(
                        "changed", n.key, o.title, n.title, changes, tuple(details), supporting
                    )
                )
    return out


def _kinds(kinds: tuple[EntityKind, ...] | None) -> str:
    return ", ".join(k.label for k in kinds) if kinds else "all"


def diff_frameworks(old: Framework, new: Framework) -> FrameworkDiff:
    """Return what changed from `old` to `new` (details, domains, statements)."""
    details: list[str] = []
    for label, a, b in (
        ("Key", old.key, new.key),
        ("Name", old.name, new.name),
        ("Publisher", old.publisher, new.publisher),
        ("Published", old.published, new.published),
        ("Source", old.source, new.source),
    ):
        if a != b:
            details.append(f"{label}: {a!r} -> {b!r}")
    if old.description != new.description:
        details.append("Description reworded")
    if old.applies_to != new.applies_to:
        details.append(f"Applies to: {_kinds(old.applies_to)} -> {_kinds(new.applies_to)}")
    old_stages = [s.name for s in old.stages]
    new_stages = [s.name for s in new.stages]
    if [s.key for s in old.stages] != [s.key for s in new.stages] or old_stages != new_stages:
        details.append(f"Stages: {', '.join(old_stages)} -> {', '.join(new_stages)}")
    if (old.threshold_stage, old.threshold_label) != (new.threshold_stage, new.threshold_label):

        def threshold(fw: Framework) -> str:
            return fw.stage(fw.threshold_stage).name if fw.threshold_stage else "none"

        details.append(f"Threshold: {threshold(old)} -> {threshold(new)}")
    if old.notes != new.notes:
        details.append(f"Notes: {len(old.notes)} -> {len(new.notes)} (changed)")
    sections = _sections(old, new, False) + _sections(old, new, True)
    return FrameworkDiff(old.title, new.title, tuple(details), tuple(sections))
