"""The three-way merge of one field: scalars whole, lists item by item."""

from __future__ import annotations

from matrix_desktop.core.merge import merge_field, merge_fields
from matrix_desktop.core.model import Action, ThemeItem


def test_scalar_changed_only_by_the_user_is_written():
    m = merge_field("evidence", "old", "mine", "old")
    assert (m.value, m.changed, m.conflict) == ("mine", True, None)


def test_scalar_changed_by_both_to_the_same_value_counts_once():
    m = merge_field("stage", None, "maturing", "maturing")
    assert (m.changed, m.conflict) == (False, None)


def test_scalar_changed_differently_is_a_conflict_keeping_theirs():
    m = merge_field("evidence", "old", "mine", "theirs")
    assert m.value == "theirs" and not m.changed
    assert m.conflict is not None
    c = m.conflict
    assert (c.base, c.mine, c.theirs, c.keep_mine, c.label) == (
        "old",
        "mine",
        "theirs",
        "mine",
        "Evidence",
    )


def test_untouched_scalar_is_never_a_conflict():
    assert merge_field("evidence", "same", "same", "changed").conflict is None


def test_ticks_merge_as_sets():
    m = merge_field("statements_met", ("a",), ("a", "b"), ("a", "c"))
    assert m.value == ("a", "c", "b") and m.conflict is None
    m = merge_field("statements_met", ("a", "b"), ("b",), ("a", "b", "c"))
    assert m.value == ("b", "c")


def test_actions_added_on_both_sides_both_stand_in_order():
    x, y, z = (Action(str(n), w) for n, w in enumerate("xyz"))
    m = merge_field("actions", (x,), (x, y), (x, z))
    assert m.value == (x, z, y) and m.conflict is None


def test_action_edited_on_one_side_and_removed_on_the_other_is_a_conflict():
    x = Action("1", "Draft plan")
    m = merge_field("actions", (x,), (x.__class__("1", "Draft the plan"),), ())
    assert m.conflict is not None and m.conflict.items == ("Draft the plan",)
    assert m.value == ()
    assert m.conflict.keep_mine == (Action("1", "Draft the plan"),)


def test_action_removed_by_one_and_untouched_by_the_other_goes():
    x, y = Action("1", "a"), Action("2", "b")
    assert merge_field("actions", (x, y), (y,), (x, y)).value == (y,)


def test_themes_merge_by_text():
    a, b, c = ThemeItem("a"), ThemeItem("b"), ThemeItem("c")
    assert merge_field("enablers", (a,), (a, b), (c, a)).value == (c, a, b)


def test_merge_fields_collects_writes_and_conflicts():
    writes, conflicts = merge_fields(
        {"stage": None, "evidence": "e"},
        {"stage": "developing", "evidence": "mine"},
        {"stage": None, "evidence": "theirs"},
    )
    assert writes == {"stage": "developing"}
    assert [c.field for c in conflicts] == ["evidence"]
