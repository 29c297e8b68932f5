"""Crash injection: SIGKILL an editing child at random moments; no acknowledged edit is lost."""

from __future__ import annotations

import os

import pytest


@pytest.mark.slow
@pytest.mark.skipif(
    not hasattr(os, "fork"),
    reason="the fast harness forks; Windows runs benchmarks/crash.py --mode spawn",
)
def test_two_hundred_kills_lose_nothing(crash_harness, tmp_path):
    stats = crash_harness.run_campaign(200, seconds=75, seed=8, folder=tmp_path)
    assert stats.problems == []
    assert stats.lost == 0 and stats.corrupt == 0
    assert stats.runs >= 200, f"only {stats.runs} kills in the time allowed"
    assert stats.acked > 200  # the kills landed while edits were being made


def test_harness_notices_a_lost_edit(crash_harness, workshop):
    """The check can fail: an acknowledged edit that is not in the database is counted lost."""
    lost, problems = crash_harness.verify(workshop.path, [(5, workshop.domain, "thriving")], 5)
    assert lost == 1 and problems


def test_spawned_child_reports_edits(crash_harness, tmp_path):
    stats = crash_harness.run_campaign(1, seed=3, mode="spawn", max_delay=3.0, folder=tmp_path)
    assert stats.runs == 1 and stats.lost == 0 and stats.corrupt == 0
