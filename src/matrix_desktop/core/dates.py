"""Dates as people type them: ISO (2025-03-31) or UK day/month/year (31/03/2025)."""

from __future__ import annotations

import calendar
import datetime as _dt
import re

EXAMPLE = "31/03/2025"
MONTHS = (  # not calendar.month_name: that follows the process's locale
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_PARTS = re.compile(r"^([0-9]{1,4})([/.-])([0-9]{1,2})\2([0-9]{1,4})$")


class DateError(ValueError):
    """A text that is not a date; the message says what is wrong, naming the text."""


def parse_date(text: str) -> _dt.date:
    """Return the date written as year-month-day or as day/month/year (/, - or . between).

    31/3/2025, 31-03-2025 and 31.03.2025 are all 31 March 2025; the year is written in full.
    Raises DateError saying what is wrong, e.g. "31/02/2025: February 2025 has 28 days".
    """
    written = text.strip()
    match = _PARTS.match(written)
    if not match:
        raise DateError(
            f"{written or '(empty)'}: not a date; write it as day/month/year "
            f"(e.g. {EXAMPLE}) or year-month-day (e.g. 2025-03-31)"
        )
    first, _sep, middle, last = match.groups()
    year_first = len(first) == 4
    if year_first:  # ISO order
        year_text, month_text, day_text = first, middle, last
        if len(day_text) > 2:
            raise DateError(
                f"{written}: write a year-first date as year-month-day, e.g. 2025-03-31"
            )
    else:
        day_text, month_text, year_text = first, middle, last
        if len(day_text) > 2:
            raise DateError(f"{written}: the day comes first and has one or two digits")
        if len(year_text) != 4:
            raise DateError(f"{written}: write the year in full, e.g. {EXAMPLE}")
    year, month, day = int(year_text), int(month_text), int(day_text)
    if year < 1:
        raise DateError(f"{written}: there is no year {year}")
    if not 1 <= month <= 12:
        swapped = not year_first and 1 <= day <= 12 and month <= calendar.monthrange(year, day)[1]
        hint = f" (the day comes first: {month:02d}/{day:02d}/{year})" if swapped else ""
        raise DateError(f"{written}: there is no month {month}{hint}")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        if day == 0:
            raise DateError(f"{written}: there is no day 0")
        raise DateError(f"{written}: {MONTHS[month - 1]} {year} has {days} days")
    return _dt.date(year, month, day)


def iso_date(text: str) -> str:
    """Return the date in `text` (ISO or UK form) as YYYY-MM-DD; raises DateError."""
    return parse_date(text).isoformat()


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _moment(value: _dt.datetime | str) -> _dt.datetime | None:
    """Return a datetime in local time from a datetime or an ISO 8601 text (None if neither)."""
    if isinstance(value, str):
        try:
            value = _dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    if value.tzinfo is not None:
        value = value.astimezone()  # the reader's clock, not the writer's offset
    return value.replace(tzinfo=None)


def human_moment(value: _dt.datetime | str, now: _dt.datetime | None = None) -> str:
    """Return a moment as people say it: "today at 14:05", "yesterday at 09:30",
    "Friday 27 November at 14:05" (with the year when it is not this year).

    value: a datetime or ISO 8601 text (an offset is turned into local time); a text that
    is not a date is returned as it is.
    """
    moment = _moment(value)
    if moment is None:
        return str(value)
    today = (_moment(now) if now is not None else None) or _dt.datetime.now()
    clock = f"{moment:%H:%M}"
    if moment.date() == today.date():
        return f"today at {clock}"
    if moment.date() == today.date() - _dt.timedelta(days=1):
        return f"yesterday at {clock}"
    day = f"{WEEKDAYS[moment.weekday()]} {moment.day} {MONTHS[moment.month - 1]}"
    if moment.year != today.year:
        day += f" {moment.year}"
    return f"{day} at {clock}"


def since_text(value: _dt.datetime | str, now: _dt.datetime | None = None) -> str:
    """Return "14:05" for a moment earlier today, else the human_moment ("Friday 27 ...")."""
    moment = _moment(value)
    said = human_moment(value, now)
    if moment is not None and said.startswith("today at "):
        return f"{moment:%H:%M}"
    return said
