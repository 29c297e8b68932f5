"""Which backups to keep: a pure rotation policy (recent ones, then daily, weekly, monthly)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class RetentionPolicy:
    """How many backups to keep in each bucket.

    Like borg's prune: `daily=7` keeps the newest backup of each of the last 7 days *that
    have backups*, so a laptop used once a month still keeps a long history.
    """

    within: _dt.timedelta = _dt.timedelta(hours=24)
    daily: int = 7
    weekly: int = 4
    monthly: int = 6


DEFAULT_POLICY = RetentionPolicy()


def _bucketed(
    stamps: list[_dt.datetime], count: int, bucket: Callable[[_dt.datetime], object]
) -> set[_dt.datetime]:
    kept: set[_dt.datetime] = set()
    seen: set[object] = set()
    for stamp in stamps:  # newest first
        if len(seen) >= count:
            break
        key = bucket(stamp)
        if key not in seen:
            seen.add(key)
            kept.add(stamp)
    return kept


def backups_to_keep(
    stamps: Iterable[_dt.datetime], now: _dt.datetime, policy: RetentionPolicy = DEFAULT_POLICY
) -> set[_dt.datetime]:
    """Return the subset of backup times to keep; the newest backup is always kept.

    Backups newer than `now - policy.within` are all kept (a workshop can go back to any
    half-hourly copy of today); older ones are thinned to one per day, week and month.
    """
    ordered = sorted(set(stamps), reverse=True)
    if not ordered:
        return set()
    kept = {ordered[0]}
    kept |= {s for s in ordered if s >= now - policy.within}
    kept |= _bucketed(ordered, policy.daily, lambda s: s.date())
    kept |= _bucketed(ordered, policy.weekly, lambda s: s.isocalendar()[:2])
    kept |= _bucketed(ordered, policy.monthly, lambda s: (s.year, s.month))
    return kept
