"""Combo box data comes back as the type it was stored as (PySide6 6.12 returns StrEnum as str)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from matrix_desktop.core.framework import EntityKind
from matrix_desktop.core.model import Confidence, Direction
from matrix_desktop.ui.combos import add_items, combo_value, find_value, item_value, select_value


def test_enums_come_back_as_enums_and_are_found_by_member_or_value(qapp):
    box = QComboBox()
    add_items(box, [("Not set", None)] + [(c.value, c) for c in Confidence])
    box.setCurrentIndex(3)
    assert combo_value(box, Confidence) is Confidence.HIGH
    assert item_value(box, 2, Confidence) is Confidence.MEDIUM
    assert item_value(box, 0, Confidence) is None
    assert item_value(box, 9, Confidence) is None
    assert find_value(box, Confidence.LOW) == find_value(box, "low") == 1
    assert find_value(box, None) == 0
    assert find_value(box, Direction.IMPROVING) == -1
    select_value(box, Confidence.MEDIUM)
    assert box.currentText() == "medium"
    select_value(box, "no such value")
    assert box.currentIndex() == 0
    box.setCurrentIndex(-1)
    assert combo_value(box, Confidence) is None


def test_enums_added_directly_are_converted_too(qapp):
    box = QComboBox()
    box.addItem("place", EntityKind.PLACE_PARTNERSHIP)  # what PySide6 6.12 hands back as str
    assert combo_value(box, EntityKind) is EntityKind.PLACE_PARTNERSHIP
    assert find_value(box, EntityKind.PLACE_PARTNERSHIP) == 0


def test_other_types(qapp):
    box = QComboBox()
    add_items(box, [("a", ("fw", "v1")), ("b", 2), ("c", "id-1")])
    assert combo_value(box, tuple) == ("fw", "v1")
    assert item_value(box, 1, int) == 2
    assert item_value(box, 2, str) == "id-1"
