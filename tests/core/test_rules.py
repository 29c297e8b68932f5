"""Qt-free tests of the scoring rules: the suggested stage and the spread of the room's views."""

from __future__ import annotations

import dataclasses

import pytest

from matrix_desktop.core.framework import Domain, Framework, Stage, Statement
from matrix_desktop.core.framework_file import read_framework_file
from matrix_desktop.core.rules import spread, suggested_stage
from matrix_desktop.paths import frameworks_dir

STAGES = (
    Stage("emerging", "Emerging", 1),
    Stage("developing", "Developing", 2),
    Stage("maturing", "Maturing", 3),
    Stage("thriving", "Thriving", 4),
)


def _framework(per_stage: dict[str, int]) -> Framework:
    """A one-domain framework with per_stage[stage] statements, ids '<stage>-<n>'."""
    statements = tuple(
        Statement(f"{stage}-{n}", "d", stage, f"{stage} statement {n}")
        for stage, count in per_stage.items()
        for n in range(1, count + 1)
    )
    return Framework(
        key="t",
        version="1",
        name="Test",
        publisher="p",
        published="2021-01-01",
        source="s",
        stages=STAGES,
        domains=(Domain("d", "Domain", 1, statements),),
        applies_to=(),
    )


# SYB shape: Maturing has no published statements.
SYB_SHAPE = _framework({"emerging": 3, "developing": 4, "thriving": 2})


def _met(**counts: int) -> list[str]:
    return [f"{stage}-{n}" for stage, count in counts.items() for n in range(1, count + 1)]


@pytest.mark.parametrize(
    ("met", "expected"),
    [
        ([], None),
        (_met(emerging=1), None),  # 1 of 3: less than half
        (_met(emerging=2), "emerging"),  # 2 of 3: at least half
        (_met(emerging=3, developing=1), "emerging"),  # 1 of 4 developing: not enough
        (_met(emerging=2, developing=2), "developing"),  # exactly half counts
        (_met(emerging=3, developing=4, thriving=1), "thriving"),  # 1 of 2 is half
        (_met(developing=4, thriving=2), None),  # a gap at Emerging breaks the chain
        (_met(emerging=3, thriving=2), "emerging"),  # Thriving needs Developing first
    ],
)
def test_suggested_stage_follows_the_documented_rule(met, expected):
    assert suggested_stage(SYB_SHAPE, "d", met) == expected


def test_unpublished_stage_is_bridged_but_never_suggested_on_its_own():
    # Developing met and Thriving met: Maturing (no statements) does not stop the chain.
    assert suggested_stage(SYB_SHAPE, "d", _met(emerging=2, developing=2, thriving=1)) == "thriving"
    # Developing met, Thriving not: the suggestion stays Developing, never the empty Maturing.
    assert suggested_stage(SYB_SHAPE, "d", _met(emerging=3, developing=4)) == "developing"


def test_four_published_stages_climb_in_order():
    fw = _framework({"emerging": 2, "developing": 2, "maturing": 2, "thriving": 2})
    assert suggested_stage(fw, "d", _met(emerging=1, developing=1, maturing=1)) == "maturing"
    assert suggested_stage(fw, "d", _met(emerging=2, developing=2, maturing=0, thriving=2)) == (
        "developing"
    )


def test_unknown_statement_ids_are_ignored():
    assert suggested_stage(SYB_SHAPE, "d", ["nonsense", "emerging-1"]) is None


def test_domain_without_statements_has_no_suggestion():
    fw = _framework({})
    assert suggested_stage(fw, "d", []) is None


def test_suggestion_on_the_bundled_syb_matrix():
    fw = read_framework_file(frameworks_dir() / "syb_place_development_matrix_v1_4.yaml")
    domain = fw.domains[0]
    everything = [s.id for s in domain.statements]
    assert suggested_stage(fw, domain.key, everything) == "thriving"
    emerging = [s.id for s in domain.statements_for("emerging")]
    assert suggested_stage(fw, domain.key, emerging) == "emerging"


def test_spread_counts_in_stage_order_and_flags_two_stages():
    s = spread(SYB_SHAPE, ["developing", "developing", "thriving", None, "developing"])
    assert list(s.counts) == ["emerging", "developing", "maturing", "thriving"]
    assert s.counts == {"emerging": 0, "developing": 3, "maturing": 0, "thriving": 1}
    assert s.voters == 4  # the abstention is not a view
    assert s.distinct == 2
    assert s.flagged
    assert s.majority == "developing"
    assert (s.low, s.high) == (2, 4)
    assert s.median_position == 2


def test_spread_of_one_view_or_agreement_is_not_flagged():
    assert not spread(SYB_SHAPE, ["maturing"] * 5).flagged
    assert not spread(SYB_SHAPE, ["maturing"]).flagged


def test_spread_with_no_views():
    s = spread(SYB_SHAPE, [None, None])
    assert s.voters == 0
    assert not s.flagged
    assert s.majority is None
    assert s.median_position is None
    assert (s.low, s.high) == (None, None)


def test_spread_tie_has_no_majority_but_is_flagged():
    s = spread(SYB_SHAPE, ["emerging", "thriving"])
    assert s.majority is None
    assert s.flagged
    assert s.median_position == 2.5


def test_a_replaced_framework_does_not_change_the_original():
    fw = _framework({"emerging": 1})
    other = Domain("d", "Changed", 1, ())
    copy = dataclasses.replace(fw, domains=(other,))
    assert copy.domain("d").title == "Changed"
    assert fw.domain("d").title == "Domain"


def _with_threshold(stage: str | None, label: str | None = None) -> Framework:
    fw = SYB_SHAPE
    domains = (
        Domain("a", "Alpha", 1, ()),
        Domain("b", "Beta", 2, ()),
        Domain("c", "Gamma", 3, ()),
    )
    return dataclasses.replace(fw, domains=domains, threshold_stage=stage, threshold_label=label)


def test_readiness_is_the_threshold_stage_or_later_over_the_domains_given():
    from matrix_desktop.core.rules import readiness

    fw = _with_threshold("maturing")
    stages = {"a": "thriving", "b": "developing", "c": "maturing"}
    assert readiness(fw, stages) == (["a", "c"], ["b"])
    gamma, alpha = fw.domain("c"), fw.domain("a")
    assert readiness(fw, stages, (gamma, alpha)) == (["c", "a"], [])  # in the order given
    # Not assessed, or a stage the framework does not have: below.
    assert readiness(fw, {"a": None, "c": "superb"}) == ([], ["a", "b", "c"])
    assert readiness(_with_threshold(None), stages) == ([], [])  # no threshold, no readiness
