"""Comparing assessments: selection, filters, view-models, and refusal across framework versions."""

from __future__ import annotations

import dataclasses

import pytest
from examples_oracle import documents, stage_positions

from matrix_desktop.core.errors import ValidationFailed
from matrix_desktop.core.framework import EntityKind, FrameworkRef
from matrix_desktop.services.compare import CompareFilter

SYB = FrameworkRef("syb-place-development-matrix", "v1-4")


def _places(services):
    return [e for e in services.catalog.entities() if e.kind is EntityKind.PLACE_PARTNERSHIP]


def test_all_five_places_this_round(services):
    rnd = services.catalog.find_round("2021/22 Q2")
    places = _places(services)
    comparison = services.compare.compare_entities([e.id for e in places], [rnd.id])
    assert comparison.comparable and comparison.message == ""
    radar = comparison.radar()
    assert [s.label for s in radar.series] == [e.name for e in places]
    assert len(radar.domains) == 13 and radar.threshold is None
    headers, rows = comparison.table()
    assert headers[:3] == ("Assessment", "Round", "Status") and len(headers) == 16
    assert len(rows) == 5 and {r[1] for r in rows} == {"2021/22 Q2"}
    docs = {d["entities"][0]["name"]: d for d in documents()}
    for item in comparison.items:
        doc = next(a for a in docs[item.label]["assessments"] if a["id"] == item.head.id)
        want = stage_positions(doc)
        assert item.positions == tuple(want[k] for k in comparison.group().domain_keys)


def test_one_place_across_rounds_labels_by_round(services):
    barnsley = services.catalog.find_entity("Barnsley")
    comparison = services.compare.compare_entities([barnsley.id])
    assert [i.label for i in comparison.items] == ["2020/21 Q4", "2021/22 Q2"]
    heat = comparison.heatmap()
    assert [r.label for r in heat.rows] == ["2020/21 Q4", "2021/22 Q2"]


def test_filters_by_entity_kind_round_and_framework(services):
    collaboratives = services.compare.candidates(
        CompareFilter(entity_kind=EntityKind.PROVIDER_COLLABORATIVE)
    )
    assert len(collaboratives) == 8
    assert {h.entity_kind for h in collaboratives} == {EntityKind.PROVIDER_COLLABORATIVE}
    rnd = services.catalog.find_round("2020/21 Q4")
    assert len(services.compare.candidates(CompareFilter(round_ids=(rnd.id,)))) == 9
    assert len(services.compare.candidates(CompareFilter(framework=SYB))) == 18
    other = FrameworkRef("nhs-ics-maturity-matrix", "2019-06")
    (system_level,) = services.compare.candidates(CompareFilter(framework=other))
    assert system_level.entity_name == "South Yorkshire and Bassetlaw ICS (system level)"


def test_compare_by_assessment_ids_keeps_the_order_given(services):
    heads = services.compare.candidates()
    ids = [heads[3].id, heads[0].id]
    comparison = services.compare.compare(ids)
    assert [i.head.id for i in comparison.items] == ids
    with pytest.raises(ValidationFailed, match="no assessment with id nope"):
        services.compare.compare(["nope"])


def test_nothing_chosen_says_so(services):
    comparison = services.compare.compare([])
    with pytest.raises(ValidationFailed, match="Nothing to compare"):
        comparison.radar()


def test_different_framework_versions_are_not_compared_domain_by_domain(services):
    syb = services.catalog.framework(SYB.key, SYB.version)
    newer = dataclasses.replace(syb, version="v1-5")
    services.catalog.add_framework(newer)
    barnsley = services.catalog.find_entity("Barnsley")
    draft = services.assessments.create(barnsley.id, newer, "2022/23 Q2")
    latest = services.compare.compare_entities([barnsley.id])
    assert not latest.comparable
    assert len(latest.groups) == 2
    assert "different framework versions" in latest.message
    assert "v1-4" in latest.message and "v1-5" in latest.message
    with pytest.raises(ValidationFailed, match="only assessments against the same version"):
        latest.radar()
    with pytest.raises(ValidationFailed):
        latest.table()
    # each version on its own still compares
    assert [len(g.items) for g in latest.groups] == [2, 1]
    assert latest.groups[1].items[0].head.id == draft.id


def test_readiness_against_the_ics_threshold(services):
    ics = services.catalog.framework("nhs-ics-maturity-matrix")
    system = services.catalog.find_system("SYB ICS")
    entity = services.catalog.create_entity(
        system.id, "SYB ICS as a whole", EntityKind.INTEGRATED_CARE_SYSTEM
    )
    a = services.assessments.create(entity.id, ics, "2021/22 Q2")
    keys = [d.key for d in ics.domains]
    for key, stage in zip(keys, ["thriving", "maturing", "developing", "emerging"], strict=False):
        services.assessments.execute(services.assessments.edit_rating(a.id, key, stage=stage))
    (row,) = services.compare.compare([a.id]).group().readiness()
    assert row.threshold == "Maturing"
    assert row.count == 2 and row.total == 5
    assert row.below == tuple(ics.domain(k).title for k in keys[2:])
