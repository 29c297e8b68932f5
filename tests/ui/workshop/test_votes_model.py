"""The votes grid and spread models: plain values, checked by qtmodeltester, driven by keys."""

from __future__ import annotations

from PySide6.QtCore import Qt

from matrix_desktop.ui.workshop.votes import Column, SpreadModel, SpreadRow, VotesModel, VotesTable

STAGES = [
    ("emerging", "Emerging"),
    ("developing", "Developing"),
    ("maturing", "Maturing"),
    ("thriving", "Thriving"),
]


def _model(sink=None) -> VotesModel:
    model = VotesModel(STAGES, sink)
    model.reset(
        [("p1", "Partner 1"), ("p2", "Partner 2 (Council)")],
        [Column("a", "1", "1. Alpha"), Column("b", "2", "2. Beta", applies=False)],
        {("p1", "a"): "developing"},
    )
    return model


def test_votes_model_passes_the_model_tester(qtmodeltester):
    qtmodeltester.check(_model(lambda *a: True))


def test_spread_model_passes_the_model_tester(qtmodeltester):
    model = SpreadModel([n for _k, n in STAGES])
    model.set_rows(
        [
            SpreadRow("1. Alpha", (0, 3, 1, 1), 5, True, "Maturing", "why " * 100),
            SpreadRow("2. Beta", (0, 0, 0, 0), 0, False, "—", ""),
        ]
    )
    qtmodeltester.check(model)
    assert model.data(model.index(0, 6)) == "VIEWS DIFFER"
    assert model.data(model.index(0, 8)).endswith("…")


def test_typing_stages_into_the_grid_records_views_and_moves_down(qtbot):
    calls = []
    model = _model(lambda pid, domain, stage: calls.append((pid, domain, stage)) or True)
    table = VotesTable(model)
    qtbot.addWidget(table)
    table.setCurrentIndex(model.index(0, 0))
    qtbot.keyClick(table, "4")
    qtbot.keyClick(table, "2")
    assert calls == [("p1", "a", "thriving"), ("p2", "a", "developing")]
    assert model.data(model.index(0, 0)) == "Thriving"
    qtbot.keyClick(table, Qt.Key.Key_Delete)  # clears Partner 2's view (the cursor stays)
    assert calls[-1] == ("p2", "a", None)


def test_bad_keys_in_the_grid_give_a_message_and_change_nothing(qtbot):
    calls = []
    model = _model(lambda *a: calls.append(a) or True)
    table = VotesTable(model)
    qtbot.addWidget(table)
    problems = []
    table.problem.connect(problems.append)
    table.setCurrentIndex(model.index(0, 0))
    qtbot.keyClick(table, "7")
    table.setCurrentIndex(model.index(0, 1))  # a domain that does not apply
    qtbot.keyClick(table, "2")
    model.editable = False
    table.setCurrentIndex(model.index(0, 0))
    qtbot.keyClick(table, "3")
    assert calls == []
    assert len(problems) == 3 and "does not apply" in problems[1] and "final" in problems[2]


def test_a_refused_vote_leaves_the_cell_as_it_was():
    model = _model(lambda *a: False)
    assert not model.setData(model.index(1, 0), 3)
    assert model.data(model.index(1, 0)) == "—"
