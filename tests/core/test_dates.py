"""Due dates as people type them: ISO or UK day/month/year, with a message saying what is wrong."""

from __future__ import annotations

import datetime as dt

import pytest

from matrix_desktop.core.dates import DateError, iso_date, parse_date


@pytest.mark.parametrize(
    "text",
    [
        "2025-03-31",
        "31/03/2025",
        "31/3/2025",
        "31-03-2025",
        "31.03.2025",
        " 31/03/2025 ",
        "2025-3-31",
        "2025/03/31",
    ],
)
def test_iso_and_uk_forms_are_the_same_day(text):
    assert parse_date(text) == dt.date(2025, 3, 31)
    assert iso_date(text) == "2025-03-31"


def test_single_digit_day_and_month():
    assert iso_date("1/2/2026") == "2026-02-01"
    assert iso_date("29/02/2024") == "2024-02-29"  # a leap year


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31/02/2025", "31/02/2025: February 2025 has 28 days"),
        ("29/02/2025", "29/02/2025: February 2025 has 28 days"),
        ("30/02/2024", "30/02/2024: February 2024 has 29 days"),
        ("31/04/2025", "31/04/2025: April 2025 has 30 days"),
        ("2025-02-30", "2025-02-30: February 2025 has 28 days"),
        ("00/03/2025", "00/03/2025: there is no day 0"),
        ("12/13/2025", "12/13/2025: there is no month 13 (the day comes first: 13/12/2025)"),
        ("03/31/2025", "there is no month 31 (the day comes first: 31/03/2025)"),
        ("2025-13-01", "2025-13-01: there is no month 13"),
        ("15/00/2025", "15/00/2025: there is no month 0"),
        ("31/03/25", "31/03/25: write the year in full, e.g. 31/03/2025"),
        ("00/01/0000", "there is no"),
        ("next Friday", "next Friday: not a date; write it as day/month/year (e.g. 31/03/2025)"),
        ("31/03-2025", "not a date"),
        ("2025-03-31T10:00", "not a date"),
        ("", "(empty): not a date"),
        ("٣١/٠٣/٢٠٢٥", "not a date"),  # digits of another script are not read as a date
    ],
)
def test_invalid_dates_say_what_is_wrong(text, message):
    with pytest.raises(DateError) as caught:
        parse_date(text)
    assert message in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_no_hint_to_swap_when_swapping_would_not_help():
    with pytest.raises(DateError) as caught:
        parse_date("31/31/2025")
    assert str(caught.value) == "31/31/2025: there is no month 31"
    with pytest.raises(DateError) as caught:
        parse_date("2025-13-01")
    assert "day comes first" not in str(caught.value)


def test_moments_are_said_as_people_say_them():
    from matrix_desktop.core.dates import human_moment, since_text

    now = dt.datetime(2026, 11, 29, 9, 0)
    assert human_moment(dt.datetime(2026, 11, 27, 14, 5), now) == "Friday 27 November at 14:05"
    assert human_moment("2026-11-29T08:30:00", now) == "today at 08:30"
    assert human_moment("2026-11-28T23:59:00", now) == "yesterday at 23:59"
    assert human_moment("2025-11-27T14:05:00", now) == "Thursday 27 November 2025 at 14:05"
    assert human_moment("not a time", now) == "not a time"
    assert since_text("2026-11-29T08:30:00", now) == "08:30"
    assert since_text("2026-11-27T14:05:00", now) == "Friday 27 November at 14:05"
    # an offset is read in the reader's local time, never shown raw
    aware = dt.datetime(2026, 11, 27, 14, 5, tzinfo=dt.UTC)
    local = aware.astimezone().replace(tzinfo=None)
    assert human_moment(aware.isoformat(), now).endswith(f"at {local:%H:%M}")
