"""Parsing of times, weekdays, dates and timezones, and default timings relative to the meeting."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.time_input import describe_weekdays, parse_date, parse_time, parse_weekdays
from bot.timezones import check_timezone, timezone_suggestions
from bot.user_error import UserFacingError
from cogs.admin.logic import default_timing


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9", "09:00"),
        ("09:00", "09:00"),
        ("9am", "09:00"),
        ("9 AM", "09:00"),
        ("21:30", "21:30"),
        ("9:30pm", "21:30"),
        ("12am", "00:00"),
        ("12pm", "12:00"),
        ("0", "00:00"),
        ("7.15", "07:15"),
        ("23:59", "23:59"),
    ],
)
def test_accepted_times(text: str, expected: str) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("25:00", "“25:00”: the hour must be 0 to 23."),
        ("9:75", "“9:75”: the minutes must be 00 to 59."),
        ("13pm", "“13pm”: with am/pm the hour must be 1 to 12."),
        ("noon-ish", "“noon-ish” is not a time I understand. Try 09:00, 9am or 21:30."),
        ("", "“” is not a time I understand. Try 09:00, 9am or 21:30."),
    ],
)
def test_rejected_times_say_what_was_wrong(text: str, message: str) -> None:
    with pytest.raises(UserFacingError) as caught:
        parse_time(text)
    assert str(caught.value) == message


@given(st.integers(0, 23), st.integers(0, 59))
def test_every_valid_24h_time_round_trips(hour: int, minute: int) -> None:
    assert parse_time(f"{hour}:{minute:02d}") == f"{hour:02d}:{minute:02d}"


@given(st.text(max_size=40))
def test_any_text_either_parses_to_a_valid_time_or_raises_user_facing(text: str) -> None:
    try:
        result = parse_time(text)
    except UserFacingError as error:
        assert len(str(error)) < 200
    else:
        hour, minute = map(int, result.split(":"))
        assert 0 <= hour <= 23 and 0 <= minute <= 59


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("mon", (0,)),
        ("Mon, Thu", (0, 3)),
        ("tuesday thursday", (1, 3)),
        ("weekdays", (0, 1, 2, 3, 4)),
        ("daily", tuple(range(7))),
        ("Fri and Mon", (0, 4)),
        ("su", (6,)),
    ],
)
def test_accepted_weekdays(text: str, days: tuple[int, ...]) -> None:
    assert parse_weekdays(text) == days


@pytest.mark.parametrize("text", ["funday", "m", "t", "mon, blursday", ","])
def test_unknown_weekday_is_explained(text: str) -> None:
    with pytest.raises(UserFacingError) as caught:
        parse_weekdays(text)
    assert "weekday" in str(caught.value)


@given(st.text(max_size=60))
def test_weekday_parser_never_crashes(text: str) -> None:
    try:
        days = parse_weekdays(text)
    except UserFacingError:
        return
    assert days and all(0 <= d <= 6 for d in days)


def test_describe_weekdays() -> None:
    assert describe_weekdays((0, 3)) == "Mon, Thu"
    assert describe_weekdays(tuple(range(7))) == "every day"


def test_timezones() -> None:
    assert check_timezone("Europe/London") == "Europe/London"
    with pytest.raises(UserFacingError, match="not a timezone I know"):
        check_timezone("Europe/Londn")
    assert timezone_suggestions("Europe/Lon")[0] == "Europe/London"
    assert "America/Toronto" in timezone_suggestions("toronto")
    assert len(timezone_suggestions("a")) == 25


@given(st.text(max_size=50))
def test_timezone_check_never_crashes(name: str) -> None:
    with contextlib.suppress(UserFacingError):
        assert check_timezone(name) == name


def test_dates_must_be_valid_and_in_the_future() -> None:
    now = datetime(2026, 11, 24, 12, tzinfo=UTC)
    assert parse_date("2026-12-24", "Europe/London", now) == datetime(2026, 12, 24, 0, tzinfo=UTC)
    with pytest.raises(UserFacingError, match="not a date"):
        parse_date("24/12/2026", "UTC", now)
    with pytest.raises(UserFacingError, match="has already begun"):
        parse_date("2026-11-24", "UTC", now)


def test_default_timings_follow_the_meeting() -> None:
    # Meeting on Wednesday at 14:00: digest two hours before, quiz closes one hour before.
    digest = default_timing("checkin_digest", 2, "14:00")
    assert (digest.weekdays, digest.local_time) == ((2,), "12:00")
    assert default_timing("quiz_closes", 2, "14:00").local_time == "13:00"
    assert default_timing("quiz_opens", 2, "14:00").weekdays == (3,)
    # A meeting just after midnight moves the digest to the evening before.
    early = default_timing("checkin_digest", 0, "01:00")
    assert (early.weekdays, early.local_time) == ((6,), "23:00")
    assert default_timing("quiz_opens", None, None).local_time == "09:00"
