"""Fixtures for the chart tests."""

from __future__ import annotations

import pytest
from chart_samples import syb_radar

from matrix_desktop.core.chart_models import RadarChart


@pytest.fixture
def radar_chart() -> RadarChart:
    return syb_radar()
