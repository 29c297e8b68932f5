"""The backup rotation policy: recent copies, then one per day, week and month."""

from __future__ import annotations

import datetime as dt

from matrix_desktop.core.retention import RetentionPolicy, backups_to_keep

NOW = dt.datetime(2026, 11, 22, 12, 0)


def test_empty_keeps_nothing():
    assert backups_to_keep([], NOW) == set()


def test_everything_from_the_last_day_is_kept():
    stamps = [NOW - dt.timedelta(minutes=30 * i) for i in range(48)]
    assert backups_to_keep(stamps, NOW) == set(stamps)


def test_one_per_day_for_seven_days_then_weekly_then_monthly():
    # A backup every 6 hours for a year.
    stamps = [NOW - dt.timedelta(hours=6 * i) for i in range(4 * 365)]
    kept = sorted(
        backups_to_keep(stamps, NOW, RetentionPolicy(within=dt.timedelta(0))), reverse=True
    )
    days = {s.date() for s in kept}
    # newest of each of the last 7 days
    for d in range(7):
        day = (NOW - dt.timedelta(days=d)).date()
        assert day in days
        assert max(s for s in stamps if s.date() == day) in kept
    months = {(s.year, s.month) for s in kept}
    assert len(months) == 6
    assert len(kept) <= 7 + 4 + 6
    assert min(kept) >= NOW - dt.timedelta(days=200)


def test_newest_always_kept_even_with_zero_buckets():
    stamps = [NOW - dt.timedelta(days=400), NOW - dt.timedelta(days=500)]
    policy = RetentionPolicy(within=dt.timedelta(0), daily=0, weekly=0, monthly=0)
    assert backups_to_keep(stamps, NOW, policy) == {stamps[0]}


def test_sparse_use_keeps_history():
    # A laptop used once a month: daily buckets reach back over days that have backups.
    stamps = [NOW - dt.timedelta(days=30 * i) for i in range(12)]
    kept = backups_to_keep(stamps, NOW, RetentionPolicy(within=dt.timedelta(0)))
    assert len(kept) == 7  # the 7 most recent backup days
    assert stamps[0] in kept and stamps[6] in kept and stamps[7] not in kept


def test_duplicates_and_order_do_not_matter():
    stamps = [NOW - dt.timedelta(days=i) for i in range(20)]
    assert backups_to_keep(stamps + stamps[::-1], NOW) == backups_to_keep(stamps, NOW)
