"""Meeting rules: dates a supervisor may record, hours per month, feedback figures under k, and the charts."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.meeting_charts import TrendPoint, feedback_trend_chart
from bot.user_error import UserFacingError
from cogs.meeting.logic import (
    Session,
    format_hours,
    hours_log,
    latest_meeting_start,
    meeting_figures,
    parse_clock,
    parse_day,
)

NOW = datetime(2026, 3, 4, 23, 30, tzinfo=UTC)  # already Thursday in Sydney


def test_dates_are_past_or_today_in_the_groups_zone() -> None:
    assert parse_day("today", "Australia/Sydney", NOW).isoformat() == "2026-03-05"
    assert parse_day("yesterday", "Europe/London", NOW).isoformat() == "2026-03-03"
    assert parse_day("2026-02-28", "UTC", NOW).isoformat() == "2026-02-28"
    for bad, why in (("2026-03-06", "hasn't happened"), ("2026-02-30", "not a real date"), ("4/3", "not a date")):
        with pytest.raises(UserFacingError, match=why):
            parse_day(bad, "UTC", NOW)
    assert parse_clock("9") == "09:00" and parse_clock("14:30") == "14:30"
    with pytest.raises(UserFacingError):
        parse_clock("25:00")


def test_latest_meeting_start_follows_the_weekly_day_and_time() -> None:
    start = latest_meeting_start(2, "14:00", "Europe/London", NOW)
    assert start == datetime(2026, 3, 4, 14, 0, tzinfo=ZoneInfo("Europe/London"))
    assert latest_meeting_start(None, "14:00", "UTC", NOW) is None


def test_hours_per_month_count_confirmed_by_format_and_awaiting_apart() -> None:
    zone = ZoneInfo("Europe/London")
    log = hours_log(
        [
            Session(datetime(2026, 3, 4, 14, tzinfo=zone), 1.5, "group", True),
            Session(datetime(2026, 2, 20, 9, tzinfo=zone), 50 / 60, "individual", True),
            Session(datetime(2026, 3, 11, 14, tzinfo=zone), 1.5, "group", False),
        ]
    )
    assert list(log.months) == ["2026-02", "2026-03"]
    assert log.months["2026-03"].group == 1.5 and log.months["2026-03"].awaiting == 1.5
    assert format_hours(log.total.confirmed) == "2.33 h" and format_hours(log.total.awaiting) == "1.5 h"


def test_feedback_figures_exist_only_from_k_answers() -> None:
    assert meeting_figures([], 3).answered == 0
    below = meeting_figures([(1, 2, 3), (4, 5, 6)], 3)
    assert below.answered is None and below.items == {}
    shown = meeting_figures([(9, 7, 8), (7, 6, 8), (8, 8, 8)], 3)
    assert shown.answered == 3
    assert round(shown.items["goals"].mean, 2) == 8.0 and round(shown.items["goals"].spread, 2) == 0.82
    assert shown.items["bond"].spread == 0.0


def test_the_trend_chart_draws_no_point_for_a_meeting_below_k() -> None:
    items = {"goals": "Goals", "tasks": "Tasks", "bond": "Bond"}
    points = [TrendPoint("04 Mar", {"goals": 8.0, "tasks": 7.0, "bond": 9.0}), TrendPoint("11 Mar", None)]
    png, summary = feedback_trend_chart(points, items, 3)
    assert png.startswith(b"\x89PNG") and "11 Mar fewer than 3 answered" in summary
    assert "04 Mar Goals 8.0, Tasks 7.0, Bond 9.0" in summary
