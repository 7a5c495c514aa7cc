"""Reading the times, weekdays and dates people type into commands, with a clear word when they are wrong."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from bot.user_error import UserFacingError

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_TIME = re.compile(r"^(?P<hour>\d{1,2})(?:[:.h](?P<minute>\d{2}))?\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)?$")
_DAY_ALIASES = {
    "weekdays": (0, 1, 2, 3, 4),
    "weekends": (5, 6),
    "daily": (0, 1, 2, 3, 4, 5, 6),
    "every day": (0, 1, 2, 3, 4, 5, 6),
}


def parse_time(text: str) -> str:
    """Parse '9', '09:00', '9am', '9:30 pm' or '21:30' into 'HH:MM' (24-hour)."""
    raw = text.strip().lower()
    match = _TIME.match(raw)
    if not match:
        raise UserFacingError(f"“{text[:40]}” is not a time I understand. Try 09:00, 9am or 21:30.")
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    ampm = (match["ampm"] or "").replace(".", "")
    if ampm:
        if not 1 <= hour <= 12:
            raise UserFacingError(f"“{text[:40]}”: with am/pm the hour must be 1 to 12.")
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23:
        raise UserFacingError(f"“{text[:40]}”: the hour must be 0 to 23.")
    if minute > 59:
        raise UserFacingError(f"“{text[:40]}”: the minutes must be 00 to 59.")
    return f"{hour:02d}:{minute:02d}"


def parse_weekdays(text: str) -> tuple[int, ...]:
    """Parse 'mon', 'Mon, Thu', 'tuesday thursday', 'weekdays' or 'daily' into Monday=0 numbers."""
    raw = text.strip().lower()
    if raw in _DAY_ALIASES:
        return _DAY_ALIASES[raw]
    days: set[int] = set()
    for word in filter(None, re.split(r"[\s,;/+&]+|\band\b", raw)):
        matches = [i for i, name in enumerate(WEEKDAYS) if len(word) >= 2 and name.lower().startswith(word)]
        if len(matches) != 1 or (len(word) < 3 and word not in ("mo", "tu", "we", "th", "fr", "sa", "su")):
            raise UserFacingError(
                f"“{word[:20]}” is not a weekday. Use names like Mon, Tuesday or Thu, separated by commas, "
                "or 'weekdays' / 'daily'."
            )
        days.add(matches[0])
    if not days:
        raise UserFacingError("Name at least one weekday, e.g. Mon or Mon, Thu.")
    return tuple(sorted(days))


def describe_weekdays(days: tuple[int, ...]) -> str:
    """Render weekday numbers as 'Mon, Thu' or 'every day'."""
    if tuple(sorted(days)) == tuple(range(7)):
        return "every day"
    return ", ".join(WEEKDAYS[d][:3] for d in sorted(days))


def parse_date(text: str, timezone: str, now: datetime) -> datetime:
    """Parse YYYY-MM-DD as the start of that day in the server's zone; it must be in the future."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise UserFacingError(f"“{text[:30]}” is not a date. Use YYYY-MM-DD, e.g. 2026-12-24.") from None
    moment = datetime.combine(day, time(0, 0), ZoneInfo(timezone))
    if moment <= now:
        raise UserFacingError(f"{day.isoformat()} has already begun. Pick a later date.")
    return moment
