"""The charts as the screens build them from real data: the live workshop radar, self vs peer,
and the compare heatmap, rendered at the sizes the app gives them."""

from __future__ import annotations

import math

import numpy as np
from chart_samples import band_polygons, rendered

from matrix_desktop.charts import radar, style
from matrix_desktop.charts.heatmap import build_heatmap
from matrix_desktop.core.framework import EntityKind
from matrix_desktop.core.framework_file import read_framework_file
from matrix_desktop.core.model import Assessment, AssessmentKind, AssessmentRecord, Rating, Vote
from matrix_desktop.core.workshop import workshop_radar
from matrix_desktop.paths import frameworks_dir

SYB = read_framework_file(frameworks_dir() / "syb_place_development_matrix_v1_4.yaml")


def _record(aid: str, stages: dict[str, str], votes=()) -> AssessmentRecord:
    ratings = tuple(Rating(aid, k, stage=s) for k, s in stages.items())
    return AssessmentRecord(Assessment(aid, "e", SYB.key, SYB.version, "r"), ratings, tuple(votes))


def test_workshop_radar_while_the_first_domain_is_discussed():
    # Domain 1 agreed at Emerging, the room's views on it alone, last round on every domain.
    first = SYB.domains[0].key
    votes = [Vote("a", "p1", first, "emerging"), Vote("a", "p2", first, "maturing")]
    previous = _record("b", {d.key: "emerging" for d in SYB.domains})
    chart = workshop_radar(
        SYB,
        EntityKind.PLACE_PARTNERSHIP,
        _record("a", {first: "emerging"}, votes),
        previous=previous,
        previous_label="2020/21 Q4",
        numbered=True,
    )
    fig = style.new_figure(2.9, 6.0)  # the workshop's side panel at 1366 x 768
    artists = radar.draw_radar(fig, chart)
    rendered(fig)
    # the spread of views on domain 1 shows, on domain 1's axis
    shapes = band_polygons(artists.bands[0])
    assert len(shapes) == 1
    assert np.abs(np.angle(np.exp(1j * shapes[0][:, 0]))).max() < math.pi / 13
    assert (shapes[0][:, 1].min(), shapes[0][:, 1].max()) == (1.0, 3.0)
    # the current round is on top: where both rounds sit at Emerging, its marker is seen
    centre = artists.lines[0].get_transform().transform((0.0, 1.0))
    image = np.asarray(fig.canvas.buffer_rgba())
    pixel = image[image.shape[0] - 1 - round(centre[1]), round(centre[0]), :3].astype(int)
    blue = np.array([int(style.series_style(0).colour[i : i + 2], 16) for i in (1, 3, 5)])
    assert np.abs(pixel - blue).max() <= 12
    # the legend's swatch is the band's colour
    (legend,) = fig.legends
    swatch = legend.legend_handles[-1]
    assert np.allclose(swatch.get_facecolor(), artists.bands[0].get_facecolor())


def test_self_vs_peer_radar_under_its_table_names_the_domains(examples_copy):
    services = examples_copy
    entity = services.catalog.find_entity("Barnsley")
    rnd = services.catalog.find_round("2021/22 Q2")
    own = next(
        a
        for a in services.assessments.assessments(entity.id, rnd.id)
        if a.kind is AssessmentKind.SELF_ASSESSMENT
    )
    review = services.peer_review.start_review(own.id, "Ann", "Doncaster Council").review
    chart = services.peer_review.self_vs_peer(review.id).radar()
    fig = style.new_figure(9.72, 3.84)  # PeerReviewWidget at 1000 x 700: the canvas measured
    artists = radar.draw_radar(fig, chart)
    rendered(fig)
    texts = [t.get_text().replace("\n", " ") for t in artists.domain_labels]
    assert texts == list(chart.domains)
    assert not any("\u2026" in t for t in texts)


def test_compare_heatmap_rows_for_two_rounds_of_one_place_are_told_apart(examples_copy):
    services = examples_copy
    barnsley = services.catalog.find_entity("Barnsley")
    doncaster = services.catalog.find_entity("Doncaster")
    comparison = services.compare.compare_entities([barnsley.id, doncaster.id])
    heat = comparison.heatmap("Comparison")
    barnsley_rows = [r.label for r in heat.rows if r.label.startswith(barnsley.name)]
    assert len(barnsley_rows) == 2  # the same place in two rounds
    fig = rendered(build_heatmap(heat))
    (batch,) = fig.findobj(lambda a: a.get_gid() == "row-labels")
    shown = [t.replace("\n", " ") for t in batch.get_texts()]
    assert shown == [r.label for r in heat.rows]
    assert len(set(shown)) == len(shown) and not any("\u2026" in t for t in shown)
    for label in barnsley_rows:
        assert any(label.endswith(r.name) for r in services.catalog.rounds())
