"""Property tests for what supervisors and members type into /setup, /schedule and /reflect options.

Each parser either returns a well-formed value or raises UserFacingError (a short message shown to
the member); any other exception would reach them as "Something went wrong on our side".
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.db.models import from_unix, to_unix
from bot.time_input import describe_weekdays, parse_date, parse_time, parse_weekdays
from bot.timezones import check_timezone, timezone_suggestions
from bot.user_error import UserFacingError
from tests.badinput.strategies import any_text, nasty_text

ZONES = sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))
# The extremes of UTC offset matter for dates near the ends of the calendar.
EDGE_ZONES = ["UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago", "America/New_York", "Asia/Tokyo", "Europe/London"]
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
TIMEISH = st.from_regex(r"\A\s*\d{1,3}([:.h]\d{1,3})?\s*(am|pm|a\.m\.|p\.m\.|AM|PM)?\s*\Z")
DAYISH = st.lists(
    st.sampled_from(["mon", "Tue", "wednesday", "th", "fr", "sa", "su", "mo", "t", "and", "weekdays", "daily", "x"]),
    max_size=6,
).map(", ".join)
MESSAGE_LIMIT = 400


def user_message(error: UserFacingError) -> str:
    text = str(error)
    assert text and len(text) <= MESSAGE_LIMIT, text
    return text


@settings(max_examples=400, deadline=None)
@given(st.one_of(any_text(), TIMEISH))
@example("9")
@example("12am")
@example("12 p.m.")
@example("٢٣:٥٩")  # Arabic-Indic digits are digits to the regex
@example("9\n")
def test_parse_time_returns_a_24_hour_time_or_a_clear_refusal(text: str) -> None:
    try:
        parsed = parse_time(text)
    except UserFacingError as error:
        user_message(error)
        return
    hour, minute = parsed.split(":")
    assert len(parsed) == 5 and parsed.isascii()
    assert 0 <= int(hour) <= 23 and 0 <= int(minute) <= 59


@settings(deadline=None)
@given(st.integers(0, 23), st.integers(0, 59))
def test_parse_time_reads_every_24_hour_and_12_hour_spelling(hour: int, minute: int) -> None:
    expected = f"{hour:02d}:{minute:02d}"
    assert parse_time(f"{hour}:{minute:02d}") == expected
    assert parse_time(f" {hour:02d}.{minute:02d} ") == expected
    twelve = hour % 12 or 12
    assert parse_time(f"{twelve}:{minute:02d} {'pm' if hour >= 12 else 'am'}") == expected
    assert parse_time(f"{twelve}:{minute:02d}{'P.M.' if hour >= 12 else 'A.M.'}") == expected


@settings(max_examples=400, deadline=None)
@given(st.one_of(any_text(), DAYISH))
def test_parse_weekdays_returns_distinct_sorted_days_or_a_clear_refusal(text: str) -> None:
    try:
        days = parse_weekdays(text)
    except UserFacingError as error:
        user_message(error)
        return
    assert days and list(days) == sorted(set(days)) and all(0 <= d <= 6 for d in days)


@settings(deadline=None)
@given(st.sets(st.integers(0, 6), min_size=1))
def test_described_weekdays_parse_back(days: set[int]) -> None:
    assert parse_weekdays(describe_weekdays(tuple(days))) == tuple(sorted(days))


@settings(max_examples=300, deadline=None)
@given(st.one_of(any_text(), st.sampled_from(ZONES), st.sampled_from(ZONES).map(lambda z: z.split("/")[0])))
@example("America")  # a folder of zones, not a zone
@example("America/Argentina")
@example("Europe/London/")
@example("a" * 300)  # longer than a file name may be
@example("../../etc/passwd")
@example("00/" * 1500 + "00")  # a path so deep that looking it up recurses too far
def test_check_timezone_accepts_only_zones_and_explains_the_rest(name: str) -> None:
    try:
        accepted = check_timezone(name)
    except UserFacingError as error:
        user_message(error)
        return
    assert accepted == name
    ZoneInfo(accepted)  # whatever is accepted must be usable later, in schedules and subscriptions


@settings(max_examples=300, deadline=None)
@given(st.one_of(any_text(), st.sampled_from(ZONES).map(lambda z: z[: len(z) // 2]), st.sampled_from(ZONES)))
def test_timezone_suggestions_are_at_most_25_real_zones(query: str) -> None:
    suggestions = timezone_suggestions(query)
    assert len(suggestions) <= 25 and len(set(suggestions)) == len(suggestions)
    for zone in suggestions:
        assert len(zone) <= 100  # a Discord choice's name and value
        ZoneInfo(zone)


@settings(deadline=None)
@given(st.sampled_from(ZONES))
def test_typing_a_whole_zone_name_offers_that_zone(zone: str) -> None:
    assert zone in timezone_suggestions(zone)
    assert zone in timezone_suggestions(zone.lower().replace("_", " "))


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(any_text(), st.dates().map(date.isoformat), st.dates().map(lambda d: d.strftime("%Y%m%d"))),
    st.sampled_from(EDGE_ZONES),
)
@example("9999-12-31", "America/New_York")
@example("9999-12-31", "UTC")
@example("0001-01-01", "Pacific/Kiritimati")
@example("2026-02-30", "UTC")
def test_parse_date_gives_a_storable_future_midnight_or_a_clear_refusal(text: str, zone: str) -> None:
    try:
        moment = parse_date(text, zone, NOW)
    except UserFacingError as error:
        user_message(error)
        return
    assert moment > NOW
    local = moment.astimezone(ZoneInfo(zone))
    assert local.time() == time(0, 0) or moment.tzinfo is not None
    # The bot stores the pause as unix seconds and reads it back on every scheduler run; a value it
    # cannot read back would break the schedules of every server, not only this one.
    assert from_unix(to_unix(moment)) == moment


@settings(deadline=None)
@given(st.integers(1, 3000), st.sampled_from(EDGE_ZONES))
def test_parse_date_accepts_the_coming_days(days_ahead: int, zone: str) -> None:
    day = (NOW + timedelta(days=days_ahead)).date()
    moment = parse_date(day.isoformat(), zone, NOW)
    assert moment.astimezone(ZoneInfo(zone)).date() == day


@pytest.mark.parametrize("text", ["2026-03-02", "2026-03-01", "1999-12-31"])
def test_parse_date_refuses_days_that_have_begun(text: str) -> None:
    with pytest.raises(UserFacingError, match="has already begun"):
        parse_date(text, "Europe/London", NOW)


@settings(deadline=None)
@given(nasty_text())
def test_refusals_quote_only_a_short_piece_of_the_input(text: str) -> None:
    long = text + "x" * 500
    for parse in (parse_time, parse_weekdays):  # check_timezone has its own test
        try:
            parse(long)
        except UserFacingError as error:
            assert "x" * 100 not in str(error)
