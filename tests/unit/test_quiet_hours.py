"""A reminder before a deadline is kept out of quiet hours: after them if still useful, else before they begin."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.quiet_hours import BEFORE_QUIET, USEFUL_LEAD, in_quiet_hours, quiet_period_start, reminder_time

LONDON = "Europe/London"
SIX = timedelta(hours=6)


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)  # London is on GMT until 29 March


def test_outside_quiet_hours_the_reminder_is_the_chosen_hours_before() -> None:
    assert reminder_time(utc(11, 13), SIX, LONDON, "22:00", "07:00") == utc(11, 7)
    assert reminder_time(utc(11, 13), SIX, LONDON, None, None) == utc(11, 7)


def test_in_quiet_hours_it_waits_for_their_end_when_that_still_leaves_time() -> None:
    # Closes 13:00, six hours before is 07:00... with quiet hours until 08:00 it comes at 08:00.
    assert reminder_time(utc(11, 13), SIX, LONDON, "22:00", "08:00") == utc(11, 8)


def test_when_waiting_would_be_too_late_it_comes_before_the_quiet_hours_begin() -> None:
    # Closes 09:00; 03:00 is quiet until 08:45, which leaves less than USEFUL_LEAD: it comes the evening before.
    due = reminder_time(utc(11, 9), SIX, LONDON, "22:30", "08:45")
    assert due == utc(10, 22, 30) - BEFORE_QUIET
    assert not in_quiet_hours(due, LONDON, "22:30", "08:45")
    assert utc(11, 9) - utc(11, 8, 45) < USEFUL_LEAD


def test_quiet_hours_that_do_not_wrap_midnight() -> None:
    assert quiet_period_start(utc(11, 14), LONDON, "13:00", "15:00") == utc(11, 13)
    assert reminder_time(utc(11, 15, 10), timedelta(hours=1), LONDON, "13:00", "15:00") == utc(11, 13) - BEFORE_QUIET


@settings(max_examples=300, deadline=None)
@given(
    close=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 31)).map(
        lambda d: d.replace(tzinfo=UTC)
    ),
    hours=st.integers(1, 48),
    start=st.tuples(st.integers(0, 23), st.sampled_from([0, 15, 30, 45])),
    length=st.integers(1, 14),
    zone=st.sampled_from([LONDON, "America/Toronto", "Australia/Sydney", "UTC"]),
)
def test_a_reminder_is_never_due_in_quiet_hours_nor_after_the_deadline(close, hours, start, length, zone) -> None:
    quiet_start = f"{start[0]:02d}:{start[1]:02d}"
    quiet_end = f"{(start[0] + length) % 24:02d}:{start[1]:02d}"
    due = reminder_time(close, timedelta(hours=hours), zone, quiet_start, quiet_end)
    assert due < close
    assert not in_quiet_hours(due, zone, quiet_start, quiet_end)
    # Never later than asked, unless moved past the quiet hours with time to spare.
    assert due <= close - timedelta(hours=hours) or due <= close - USEFUL_LEAD
