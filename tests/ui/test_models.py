"""The navigator tree and the assessment table: plain values, checked by qtmodeltester."""

from __future__ import annotations

from PySide6.QtCore import Qt

from matrix_desktop.ui.models import AssessmentRow, AssessmentTableModel, NavigatorModel, NavNode

SYB = NavNode("SYB", "s1", None, "South Yorkshire and Bassetlaw")
EMPTY = NavNode("New system", "s2")
PLACES = [
    NavNode("Barnsley", "s1", "e1", "Place partnership; 2 assessment(s)"),
    NavNode("Doncaster", "s1", "e2", "Place partnership; 0 assessment(s)"),
]


def test_navigator_model_passes_the_model_tester(qtmodeltester):
    model = NavigatorModel()
    qtmodeltester.check(model)  # empty
    model.set_data([(SYB, PLACES), (EMPTY, [])])
    qtmodeltester.check(model)
    model.set_data([(EMPTY, [PLACES[1]])])
    qtmodeltester.check(model)


def test_navigator_model_is_a_two_level_tree_of_plain_values(qtmodeltester):
    model = NavigatorModel()
    model.set_data([(SYB, PLACES), (EMPTY, [])])
    qtmodeltester.check(model)
    system = model.index(0, 0)
    assert model.rowCount() == 2 and model.rowCount(system) == 2
    assert model.rowCount(model.index(1, 0)) == 0
    doncaster = model.index(1, 0, system)
    assert model.node(doncaster) == PLACES[1] and model.parent(doncaster) == system
    assert model.data(doncaster) == "Doncaster"
    assert model.data(system, Qt.ItemDataRole.ToolTipRole) == "South Yorkshire and Bassetlaw"
    assert model.index_of_entity("e2") == doncaster
    assert not model.index_of_entity("nobody").isValid()
    assert model.rowCount(doncaster) == 0 and not model.index(0, 0, doncaster).isValid()


def _row(n: int) -> AssessmentRow:
    return AssessmentRow(
        f"a{n}", f"2021/22 Q{n}", "Self-assessment", "Draft", "SYB v1.4", "3 of 13", "today"
    )


def test_assessment_table_model_passes_the_model_tester(qtmodeltester):
    model = AssessmentTableModel()
    qtmodeltester.check(model)  # empty
    model.set_rows([_row(1), _row(2)])
    qtmodeltester.check(model)
    assert model.columnCount() == len(AssessmentTableModel.HEADERS)
    assert model.data(model.index(1, 0)) == "2021/22 Q2"
    assert model.row_at(0) == _row(1) and model.row_at(2) is None
    model.set_rows([])
    qtmodeltester.check(model)
