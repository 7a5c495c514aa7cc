"""Pure rules for setup and schedules: parsing times and weekdays, and sensible default timings."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from bot.timezones import is_timezone, known_timezones
from bot.user_error import UserFacingError

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SCHEDULE_KINDS = {
    "reflective_prompt": "Reflective prompt",
    "quiz_opens": "Quiz opens",
    "quiz_closes": "Quiz closes",
    "checkin_digest": "Check-in digest",
    "meeting_brief": "Pre-meeting brief (DM)",
    "meeting_attendance": "Meeting attendance",
    "meeting_feedback": "Meeting feedback",
}
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


def check_timezone(name: str) -> str:
    """Return the IANA zone name if it exists, else explain."""
    if not is_timezone(name):
        raise UserFacingError(
            f"“{name[:60]}” is not a timezone I know. Pick one from the list, e.g. Europe/London or America/Toronto."
        )
    return name


@cache
def _offered_zones() -> tuple[str, ...]:
    """The zones worth offering, sorted once (autocomplete runs on every keystroke)."""
    regions = sorted(z for z in known_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))
    return (*regions, "UTC")


def timezone_suggestions(query: str, limit: int = 25) -> list[str]:
    """Return up to `limit` IANA zone names matching what was typed, best first."""
    q = query.strip().lower().replace(" ", "_")
    zones = _offered_zones()
    if not q:
        return ["UTC", "Europe/London", "America/New_York", "America/Toronto", "Australia/Sydney"][:limit]
    starts = [z for z in zones if z.lower().startswith(q) or z.lower().split("/")[-1].startswith(q)]
    contains = [z for z in zones if q in z.lower() and z not in starts]
    return (starts + contains)[:limit]


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


@dataclass(frozen=True)
class Timing:
    """When a schedule runs: weekdays and a local time."""

    weekdays: tuple[int, ...]
    local_time: str


# Without a meeting: quiz Monday to Friday, a prompt on Tuesday, the digest on Thursday afternoon.
_FIXED_DEFAULTS = {
    "quiz_opens": Timing((0,), "09:00"),
    "quiz_closes": Timing((4,), "17:00"),
    "reflective_prompt": Timing((1,), "10:00"),
    "checkin_digest": Timing((3,), "16:00"),
    # As if the group met on Thursday at 18:00, two hours after the digest.
    "meeting_brief": Timing((3,), "16:10"),
    "meeting_attendance": Timing((3,), "18:00"),
    "meeting_feedback": Timing((3,), "21:00"),
}


def default_timing(kind: str, meeting_weekday: int | None, meeting_time: str | None) -> Timing:
    """Return a sensible timing for a kind, relative to the group's meeting when one is set.

    The digest lands 2 hours before the meeting and the quiz closes 1 hour before it, so both can
    be discussed; the quiz opens and the prompt arrives the morning after the meeting. The brief comes
    10 minutes after the digest, so it counts what the digest shared; attendance opens at the meeting,
    and the feedback questions 3 hours after it starts, when attendance closes.
    """
    if meeting_weekday is None or meeting_time is None:
        return _FIXED_DEFAULTS[kind]
    hour, minute = map(int, meeting_time.split(":"))
    meeting = datetime(2024, 1, 1 + meeting_weekday, hour, minute)  # 2024-01-01 was a Monday
    offset = {
        "checkin_digest": -timedelta(hours=2),
        "quiz_closes": -timedelta(hours=1),
        "meeting_brief": -timedelta(hours=1, minutes=50),
        "meeting_attendance": timedelta(0),
        "meeting_feedback": timedelta(hours=3),
    }
    if kind in offset:
        moment = meeting + offset[kind]
        return Timing((moment.weekday(),), f"{moment:%H:%M}")
    after = {"quiz_opens": "09:00", "reflective_prompt": "10:00"}[kind]
    return Timing(((meeting_weekday + 1) % 7,), after)
