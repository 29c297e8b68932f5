"""Tests for the trend builder: one panel per domain, stage names on the scale, gaps, bad input."""

from __future__ import annotations

import math

from chart_samples import STAGES, SYB_DOMAINS, all_text, rendered

from matrix_desktop.charts.trend import build_trend
from matrix_desktop.core.chart_models import Trend

ROUNDS = ("2020/21 Q4", "2021/22 Q1", "2021/22 Q2")


def test_one_panel_per_domain_with_stage_scale():
    values = tuple((1, 2, None) for _ in SYB_DOMAINS)
    fig = rendered(build_trend(Trend("Doncaster", ROUNDS, SYB_DOMAINS, STAGES, values)))
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert len(panels) == 13
    assert [t.get_text() for t in panels[0].get_yticklabels()] == list(STAGES)
    titles = [ax.get_title(loc="left").replace("\n", " ") for ax in panels]
    assert titles == list(SYB_DOMAINS)
    line = next(a for a in panels[0].lines if a.get_gid() == "trend-0")
    assert list(line.get_ydata()[:2]) == [1, 2] and math.isnan(line.get_ydata()[2])


def test_bad_input_says_why():
    for trend, why in [
        (Trend("t", ROUNDS, (), STAGES, ()), "domains"),
        (Trend("t", (), SYB_DOMAINS, STAGES, ()), "rounds"),
    ]:
        texts = all_text(rendered(build_trend(trend)))
        assert any(t.startswith("nothing to show: ") and why in t for t in texts)


def test_ragged_values_and_forty_domains_render():
    domains = tuple(f"Domain {i}" for i in range(40))
    fig = rendered(build_trend(Trend("t", ROUNDS, domains, STAGES, ((1,),))))
    assert "not yet assessed" in all_text(fig)
    assert len([ax for ax in fig.axes if ax.get_visible()]) == 40
