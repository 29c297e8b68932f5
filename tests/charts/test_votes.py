"""Tests for the vote-spread builder: counts per stage, the agreed stage marked, bad input."""

from __future__ import annotations

from chart_samples import STAGES, SYB_DOMAINS, all_text, rendered
from matplotlib.colors import to_rgba

from matrix_desktop.charts import style
from matrix_desktop.charts.cached_text import LabelBatch
from matrix_desktop.charts.cell_labels import CellLabels
from matrix_desktop.charts.key_row import KeyRow
from matrix_desktop.charts.votes import HATCHES, build_votes
from matrix_desktop.core.chart_models import VoteSpread


def test_bars_counts_and_agreed_marker():
    counts = ((2, 5, 1, 0), (0, 0, 3, 4))
    fig = rendered(build_votes(VoteSpread("Votes", SYB_DOMAINS[:2], STAGES, counts, (2, None))))
    (ax,) = fig.axes
    bars = {c.get_gid(): c for c in ax.collections}  # a stage's bars: one collection
    widths = {gid: [p.get_extents().width for p in c.get_paths()] for gid, c in bars.items()}
    assert widths["stage-0"] == [2, 0] and widths["stage-3"] == [0, 4]
    assert [p.get_extents().x0 for p in bars["stage-1"].get_paths()] == [2, 0]
    assert bars["stage-2"].get_hatch() == HATCHES[2]
    assert to_rgba(bars["stage-2"].get_facecolor()[0]) == to_rgba(
        style.sample(style.SEQUENTIAL, 4)[2]
    )
    (numbers,) = fig.findobj(CellLabels)  # each count centred on its bar, on the bar's colour
    c = style.sample(style.SEQUENTIAL, 4)
    drawn = list(zip(numbers.labels, numbers.xs, numbers.ys, numbers.backgrounds, strict=True))
    assert drawn == [
        ("2", 1, 0, c[0]),
        ("5", 4.5, 0, c[1]),
        ("1", 7.5, 0, c[2]),
        ("3", 1.5, 1, c[2]),
        ("4", 5, 1, c[3]),
    ]
    texts = all_text(fig)
    assert "\u25c6 agreed: Developing" in texts and "no agreed stage yet" in texts
    (outline,) = [p for p in ax.patches if p.get_gid() == "agreed-0"]
    assert outline.get_x() == 2 and outline.get_width() == 5
    (key,) = fig.findobj(KeyRow)  # one artist for the whole key, no Legend
    assert not fig.legends
    assert key.get_texts() == [*STAGES, "agreed stage"]
    swatches = key.get_children()  # each stage's colour and hatching, then the outline
    assert [s.get_facecolor() for s in swatches[:4]] == [to_rgba(colour) for colour in c]
    assert [s.get_hatch() for s in swatches[:4]] == list(HATCHES[:4])
    assert not swatches[4].get_fill() and swatches[4].get_linewidth() == 2.0
    # The bars are added unmeasured (limits_set_by_caller): the chart's own limits hold.
    assert ax.get_xlim() == (0, 8) and ax.get_ylim() == (1.5, -0.5)
    assert "_update_patch_limits" not in vars(ax)  # the override ends with the block


def test_bad_input_says_why():
    for spread, why in [
        (VoteSpread("t", (), STAGES, (), ()), "domains"),
        (VoteSpread("t", SYB_DOMAINS, STAGES, (), ()), "no participants"),
    ]:
        texts = all_text(rendered(build_votes(spread)))
        assert any(t.startswith("nothing to show: ") and why in t for t in texts)


def test_ragged_counts_and_out_of_range_agreed_render():
    spread = VoteSpread("t", SYB_DOMAINS, STAGES, ((1,), (1, 2, 3, 4, 5, 6)), (9, 0, 1))
    fig = rendered(build_votes(spread))
    (names,) = [b for b in fig.findobj(LabelBatch) if b.get_gid() == "domain-labels"]
    assert names.get_texts() == [style.wrap(d, 34, 2) for d in SYB_DOMAINS]


def test_hatching_is_dropped_for_the_svg_route():
    from matrix_desktop.charts.pdf import _unhatch

    counts = ((2, 5, 1, 0), (0, 0, 3, 4))
    fig = build_votes(VoteSpread("Votes", SYB_DOMAINS[:2], STAGES, counts, (2, None)))
    _unhatch(fig)  # svglib cannot read matplotlib's hatch patterns: bars print in colour
    assert not any(c.get_hatch() for c in fig.axes[0].collections)
    (key,) = fig.findobj(KeyRow)
    assert not any(s.get_hatch() for s in key.get_children())
