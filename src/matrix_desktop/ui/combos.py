"""Combo box item data read back as the type it was stored as.

PySide6 6.12 hands a StrEnum stored as item data back as a plain str (a QVariant string), so a
value read straight from currentData() or itemData() is not always what was put in. Enums are
stored here by their .value and every read converts back to the type the caller names;
find_value compares the same way, so it matches whether the data came back converted or not.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from PySide6.QtWidgets import QComboBox

T = TypeVar("T")


def _plain(value: object) -> object:
    return value.value if isinstance(value, enum.Enum) else value


def add_items(box: QComboBox, items: Iterable[tuple[str, object]]) -> None:
    """Add (label, value) items; an enum member is stored as its .value."""
    for label, value in items:
        box.addItem(label, _plain(value))


def item_value(box: QComboBox, index: int, kind: Callable[[Any], T]) -> T | None:
    """Return item `index`'s data converted by `kind` (an enum, int, tuple...); None if unset."""
    if not 0 <= index < box.count():
        return None
    data = box.itemData(index)
    if data is None:
        return None
    return data if type(data) is kind else kind(data)


def combo_value(box: QComboBox, kind: Callable[[Any], T]) -> T | None:
    """Return the current item's data converted by `kind`; None when unset or nothing chosen."""
    return item_value(box, box.currentIndex(), kind)


def find_value(box: QComboBox, value: object) -> int:
    """Return the index of the item holding `value` (an enum matches its .value), or -1."""
    wanted = _plain(value)
    for index in range(box.count()):
        data = box.itemData(index)
        if _plain(data) == wanted:
            return index
    return -1


def select_value(box: QComboBox, value: object, default: int = 0) -> None:
    """Make the item holding `value` current (without emitting activated); else `default`."""
    index = find_value(box, value)
    box.setCurrentIndex(index if index >= 0 else default)
