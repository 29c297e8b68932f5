"""Three-way merge of one field: what the user saw, what they set, what is stored now.

The same rules serve a live edit (saw = the screen's value, set = the user's, now = the
database's) and an exchange import (saw = the content both copies last shared, set = the
file's, now = this database's). Scalars are compared whole; lists merge item by item, so
two people adding actions or ticking statements never conflict.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any, cast

# List fields and how their items are told apart.
LIST_KEYS: dict[str, Callable[[Any], Hashable]] = {
    "statements_met": lambda s: s,
    "actions": lambda a: a.id,
    "enablers": lambda t: t.text,
    "support_requests": lambda t: t.text,
    "participants": lambda p: p.id,
}

FIELD_LABELS = {
    "stage": "Agreed stage",
    "confidence": "Confidence",
    "direction": "Direction of travel",
    "evidence": "Evidence",
    "rationale": "Rationale",
    "statements_met": "Statements met",
    "enablers": "Key enablers",
    "support_requests": "Requests for support",
    "actions": "Actions",
    "review_position": "Reviewer's position",
    "review_comment": "Reviewer's comment",
    "review_suggestions": "Reviewer's suggestions",
    "strengths": "Strengths",
    "areas_to_develop": "Areas to develop",
    "recommendations": "Recommendations",
    "participants": "Participants",
    "title": "Title",
    "assessed_on": "Date",
    "facilitator": "Facilitator",
    "reviewer_name": "Reviewer",
    "reviewer_organisation": "Reviewer's organisation",
    "vote": "View",
    "target_stage": "Target stage",
    "target_date": "Target date",
}


def field_label(name: str) -> str:
    """Return the words a user reads for a field name."""
    return FIELD_LABELS.get(name, name.replace("_", " ").capitalize())


@dataclass(frozen=True)
class FieldConflict:
    """One field changed differently by someone else since the user saw it.

    base: what the user saw; mine: what the user set; theirs: what is stored now;
    keep_mine: the value the field takes if the user keeps theirs over the stored one
    (for a list, the stored list with the user's item changes forced in).
    """

    field: str
    base: object
    mine: object
    theirs: object
    keep_mine: object
    items: tuple[str, ...] = ()  # for a list: the items that clash, as a user reads them

    @property
    def label(self) -> str:
        return field_label(self.field)


@dataclass(frozen=True)
class FieldMerge:
    """The outcome for one field: the value to store (when changed) or a conflict."""

    field: str
    value: object
    changed: bool
    conflict: FieldConflict | None = None


def _item_text(item: object) -> str:
    for attr in ("what", "text", "name"):
        if hasattr(item, attr):
            return str(getattr(item, attr))
    return str(item)


def _items(value: object) -> tuple[object, ...]:
    """Return a list field's value (a tuple or list of items, or None) as a tuple."""
    return tuple(cast("Iterable[object]", value or ()))


def merge_field(name: str, seen: object, new: object, current: object) -> FieldMerge:
    """Merge the user's change of one field (seen -> new) into its stored value (current)."""
    if name in LIST_KEYS:
        return _merge_list(name, _items(seen), _items(new), _items(current))
    if seen == new or current == new:
        return FieldMerge(name, current, False)
    if current == seen:
        return FieldMerge(name, new, True)
    return FieldMerge(name, current, False, FieldConflict(name, seen, new, current, new))


def _merge_list(
    name: str, seen: tuple[Any, ...], new: tuple[Any, ...], current: tuple[Any, ...]
) -> FieldMerge:
    key = LIST_KEYS[name]
    seen_map = {key(x): x for x in seen}
    new_map = {key(x): x for x in new}
    out = list(current)
    forced = list(current)
    clashes: list[str] = []

    def index(items: list[Any], k: Hashable) -> int:
        return next((i for i, x in enumerate(items) if key(x) == k), -1)

    def put(items: list[Any], item: Any) -> None:
        i = index(items, key(item))
        if i >= 0:
            items[i] = item
            return
        # Where the user put it: after its predecessor when it came before other items,
        # at the end when it was added at the end (so concurrent additions keep the order
        # in which they were committed).
        order = [key(x) for x in new]
        k = key(item)
        j = order.index(k) if k in order else len(order)
        followers = [index(items, f) for f in order[j + 1 :] if index(items, f) >= 0]
        if not followers:
            items.append(item)
            return
        for before in reversed(order[:j]):
            at = index(items, before)
            if at >= 0:
                items.insert(at + 1, item)
                return
        items.insert(min(followers), item)

    def drop(items: list[Any], k: Hashable) -> None:
        i = index(items, k)
        if i >= 0:
            del items[i]

    for k, was in seen_map.items():
        if k in new_map:
            continue
        i = index(out, k)
        if i < 0:
            continue  # removed by both
        if out[i] == was:
            drop(out, k)
        else:
            clashes.append(_item_text(out[i]))
        drop(forced, k)
    for k, item in new_map.items():
        was = seen_map.get(k)
        if was == item:
            continue  # untouched by the user
        i = index(out, k)
        now = out[i] if i >= 0 else None
        if now == item:
            pass  # the same change on both sides counts once
        elif (was is None and i < 0) or (was is not None and now == was):
            put(out, item)
        else:
            clashes.append(_item_text(item))
        put(forced, item)
    value = tuple(out)
    changed = value != current
    conflict = (
        FieldConflict(name, seen, new, current, tuple(forced), tuple(clashes)) if clashes else None
    )
    return FieldMerge(name, value, changed, conflict)


def merge_fields(
    seen: dict[str, object], new: dict[str, object], current: dict[str, object]
) -> tuple[dict[str, object], list[FieldConflict]]:
    """Merge every field the user touched; returns (fields to write, conflicts)."""
    writes: dict[str, object] = {}
    conflicts: list[FieldConflict] = []
    for name, value in new.items():
        result = merge_field(name, seen.get(name), value, current.get(name))
        if result.conflict is not None:
            conflicts.append(result.conflict)
        elif result.changed:
            writes[name] = result.value
    return writes, conflicts
