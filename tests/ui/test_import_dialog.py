"""The import preview dialog: per-field conflicts with their own choice, all at once, the
whole-assessment fallback, keyboard reach and accessible names."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from exchange.helpers import new_assessment, open_db, set_stage, small_framework
from matrix_desktop.exchange.fields import FieldChoice, FieldKey
from matrix_desktop.exchange.merge import NO_BASE, Resolution
from matrix_desktop.ui.import_dialog import BY_FIELD, ImportDialog


@pytest.fixture
def laptops(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A and B hold one assessment; both changed d1's evidence differently, B also d2."""
    a = open_db(tmp_path / "a.sqlite3", "a")
    b = open_db(tmp_path / "b.sqlite3", "b")
    aid = new_assessment(a, small_framework()).id
    b.exchange.import_paths([a.exchange.export([aid], tmp_path / "1.mdx.json")])
    b.catalog.frameworks()
    set_stage(a, aid, "d1", "emerging", evidence="A's words")
    set_stage(b, aid, "d1", "emerging", evidence="B's words")
    set_stage(b, aid, "d2", "thriving")
    f = b.exchange.export([aid], tmp_path / "2.mdx.json")
    yield a, aid, f, tmp_path
    a.close()
    b.close()


def _tab_chain(dialog) -> list:  # type: ignore[no-untyped-def]
    out, widget = [], dialog.nextInFocusChain()
    while widget is not dialog and len(out) < 500:
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisibleTo(dialog):
            out.append(widget)
        widget = widget.nextInFocusChain()
    return out


def test_field_conflicts_have_their_own_choice(laptops, qtbot) -> None:  # type: ignore[no-untyped-def]
    from test_accessible_names import unnamed_controls

    a, aid, f, _path = laptops
    plan = a.exchange.preview([f])
    dialog = ImportDialog(plan)
    qtbot.addWidget(dialog)
    dialog.show()
    key = FieldKey(aid, "d1", "evidence")
    combo = dialog._field_choices[key]
    assert combo.accessibleName() == "Decision for Domain 1: Evidence in " + plan.items[0].label
    assert "Mine: A's words. Theirs: B's words." in combo.accessibleDescription()
    assert unnamed_controls(dialog) == []
    chain = _tab_chain(dialog)
    assert combo in chain and dialog.all_theirs in chain and dialog.import_button in chain
    # Every choice starts at keep mine; all at once, then one field back.
    assert dialog.decisions() == {key: FieldChoice.MINE}
    dialog.choose_all(FieldChoice.THEIRS)
    assert dialog.decisions() == {key: FieldChoice.THEIRS}
    # A whole-assessment choice disables the fields; all at once turns it back to per field.
    whole = dialog._choices[aid]
    whole.setCurrentIndex(whole.findData(Resolution.TAKE_THEIRS.value))
    assert dialog.decisions() == {aid: Resolution.TAKE_THEIRS} and not combo.isEnabled()
    dialog.choose_all(FieldChoice.MINE)
    assert whole.currentData() == BY_FIELD and combo.isEnabled()
    combo.setCurrentIndex(combo.findData(FieldChoice.THEIRS.value))
    a.exchange.apply(plan, dialog.decisions())
    record = a.assessments.record(aid)
    assert record.rating("d1").evidence == "B's words" and record.rating("d2").stage == "thriving"


def test_no_shared_base_is_decided_whole_with_the_reason(laptops, qtbot) -> None:  # type: ignore[no-untyped-def]
    a, aid, f, _path = laptops
    # History from before field-level merging: hashes only, no base.
    with a.db.session() as s:
        s.connection().exec_driver_sql("DELETE FROM sync_base")
    plan = a.exchange.preview([f])
    dialog = ImportDialog(plan)
    qtbot.addWidget(dialog)
    assert not plan.field_conflicts and not dialog._field_choices
    assert NO_BASE in dialog.table.item(0, 4).text()
    combo = dialog.table.cellWidget(0, 2)
    assert isinstance(combo, QComboBox)
    assert [combo.itemData(i) for i in range(combo.count())] == [r.value for r in Resolution]
    assert dialog.decisions() == {aid: Resolution.KEEP_MINE}
    assert isinstance(dialog.decisions()[aid], Resolution)
