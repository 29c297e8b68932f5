"""The system's single view and an entity's progress, on the example assessments."""

from __future__ import annotations

import statistics
from collections import Counter

import pytest
from examples_oracle import ICS, latest_final, stage_positions, theme_counts
from openpyxl import load_workbook

from matrix_desktop.core.errors import NotFound, ValidationFailed
from matrix_desktop.core.model import Direction
from matrix_desktop.services.single_view import export_xlsx


@pytest.fixture
def view(services):
    system = services.catalog.find_system("SYB ICS")
    return services.single_view.single_view(system.id)


def test_single_view_uses_each_entitys_latest_final_self_assessment(view):
    expected = latest_final()
    section = view.main
    # the places and collaboratives (SYB matrix), then SYB ICS itself (ICS maturity matrix)
    assert len(view.sections) == 2 and "Each version is shown on its own" in view.message
    (other,) = [s for s in view.sections if s is not section]
    assert [i.label for i in other.group.items] == list(latest_final(ICS))
    assert sorted(i.label for i in section.group.items) == sorted(expected)
    for item in section.group.items:
        doc = expected[item.label]
        assert item.head.id == doc["id"]
        want = stage_positions(doc)
        assert item.positions == tuple(want.get(k) for k in section.group.domain_keys)


def test_heatmap_has_one_row_per_entity_grouped_by_kind(view):
    heat = view.main.heatmap()
    assert len(heat.rows) == 9 and len(heat.domains) == 13
    assert Counter(r.group for r in heat.rows) == {
        "Place partnership": 5,
        "Provider collaborative": 4,
    }
    assert heat.stages == ("Emerging", "Developing", "Maturing", "Thriving")


def test_domains_ranked_by_median_and_by_spread(view):
    section = view.main
    per_domain: dict[str, list[int]] = {}
    for doc in latest_final().values():
        for domain, pos in stage_positions(doc).items():
            per_domain.setdefault(domain, []).append(pos)
    medians = {d: statistics.median(v) for d, v in per_domain.items()}
    ranked = [s.domain_key for s in section.by_median]
    got_medians = [medians[d] for d in ranked]
    assert got_medians == sorted(got_medians, reverse=True)
    for s in section.standings:
        assert s.median == medians[s.domain_key]
        assert s.spread == max(per_domain[s.domain_key]) - min(per_domain[s.domain_key])
        assert s.assessed == 9
    spreads = [s.spread for s in section.by_spread]
    assert spreads == sorted(spreads, reverse=True)
    # ties in range are broken by the standard deviation
    top = [s for s in section.by_spread if s.spread == spreads[0]]
    assert [s.stdev for s in top] == sorted((s.stdev for s in top), reverse=True)


@pytest.mark.parametrize(
    ("kind", "field"), [("enabler", "enablers"), ("support", "support_requests")]
)
def test_themes_grouped_by_domain_with_counts_and_who_raised_them(view, kind, field):
    expected = theme_counts(field)
    themes = [t for t in view.main.themes if t.kind == kind]
    assert {(t.domain_key, t.text): t.count for t in themes} == dict(expected)
    docs = latest_final()
    for t in themes:
        raisers = {
            name
            for name, doc in docs.items()
            for r in doc["ratings"]
            if r["domain"] == t.domain_key and any(i["text"] == t.text for i in r[field])
        }
        assert set(t.entities) == raisers
        assert t.tags  # every example item carries a tag


def test_tag_summary_adds_up_the_theme_counts(view):
    section = view.main
    for summary in section.tags:
        assert summary.count == sum(
            t.count for t in section.themes if t.kind == summary.kind and summary.tag in t.tags
        )


def test_readiness_needs_a_threshold_and_counts_domains_at_or_above_it(view):
    section = view.main
    with pytest.raises(ValidationFailed, match="no threshold stage"):
        section.readiness()
    rows = {r.entity_name: r for r in section.readiness("maturing")}
    for name, doc in latest_final().items():
        want = sum(1 for p in stage_positions(doc).values() if p is not None and p >= 3)
        assert rows[name].count == want
        assert rows[name].total == 13
        assert rows[name].summary == f"{want} of 13 domains at Maturing or above"
    with pytest.raises(ValidationFailed, match="'superb' is not a stage"):
        section.readiness("superb")


def test_view_as_of_an_earlier_round(services):
    system = services.catalog.find_system("SYB ICS")
    first = services.catalog.find_round("2020/21 Q4")
    view = services.single_view.single_view(system.id, up_to_round_id=first.id)
    assert {i.head.round_name for i in view.main.group.items} == {"2020/21 Q4"}


def test_entities_without_a_final_assessment_are_named(services):
    system = services.catalog.find_system("SYB ICS")
    from matrix_desktop.core.framework import EntityKind

    services.catalog.create_entity(system.id, "Newplace Partnership", EntityKind.PLACE_PARTNERSHIP)
    view = services.single_view.single_view(system.id)
    assert view.not_assessed == ("Newplace Partnership",)
    assert "Newplace Partnership" in view.message


def test_export_writes_every_table(view, tmp_path):
    path = export_xlsx(view.main, tmp_path / "single.xlsx", threshold="maturing")
    book = load_workbook(path)
    assert book.sheetnames == ["Heatmap", "Domains ranked", "Themes", "Tags", "Readiness"]
    assert book["Heatmap"].max_row == 10
    assert book["Themes"].max_row == len(view.main.themes) + 1


def test_progress_over_rounds_with_direction_of_travel(services):
    entity = services.catalog.find_entity("Barnsley")
    progress = services.single_view.progress(entity.id)
    assert progress.rounds == ("2020/21 Q4", "2021/22 Q2")
    trend = progress.trend()
    assert len(trend.values) == 13 and all(len(v) == 2 for v in trend.values)
    for d in progress.domains:
        before, now = d.positions
        want = (
            Direction.IMPROVING
            if now > before
            else Direction.DETERIORATING
            if now < before
            else Direction.NO_CHANGE
        )
        assert d.direction is want


def test_progress_of_an_entity_never_assessed_is_refused(services):
    system = services.catalog.find_system("SYB ICS")
    from matrix_desktop.core.framework import EntityKind

    e = services.catalog.create_entity(system.id, "Quiet Place", EntityKind.PLACE_PARTNERSHIP)
    with pytest.raises(NotFound, match="Quiet Place has no self-assessments"):
        services.single_view.progress(e.id)


def test_export_keeps_text_that_looks_like_a_formula_as_text(services, tmp_path):
    """A request for support typed as '=HYPERLINK(...)' is exported as text, never a formula."""
    from matrix_desktop.core.model import AssessmentKind, ThemeItem

    svc = services.assessments
    entity = services.catalog.find_entity("Barnsley")
    latest = max(
        (
            a
            for a in svc.assessments(entity.id)
            if a.kind is AssessmentKind.SELF_ASSESSMENT and a.is_final
        ),
        key=lambda a: services.catalog.round(a.round_id).sequence,
    )
    svc.execute(svc.reopen(latest.id, "add a request"))
    domain = svc.framework_of(latest).domains[0].key
    hostile = '=HYPERLINK("http://example.invalid","Click")'
    svc.execute(svc.edit_rating(latest.id, domain, support_requests=(ThemeItem(hostile, ("x",)),)))
    svc.execute(svc.finalise(latest.id))
    system = services.catalog.find_system("SYB ICS")
    path = export_xlsx(services.single_view.single_view(system.id).main, tmp_path / "s.xlsx")
    sheet = load_workbook(path)["Themes"]
    cells = [c for row in sheet.iter_rows() for c in row if c.value == hostile]
    assert cells and all(c.data_type == "s" for c in cells)
