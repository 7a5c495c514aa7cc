"""Reading the times, weekdays and dates people type into commands, with a clear word when they are wrong.

Weekdays are read in English and in the language the member is spoken to ("Mo, Do" in German), and named in it.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Literal
from zoneinfo import ZoneInfo

from bot.i18n import _, babel_locale, pgettext, weekday_names
from bot.user_error import UserFacingError

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_TIME = re.compile(r"^(?P<hour>\d{1,2})(?:[:.h](?P<minute>\d{2}))?\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)?$")
EVERY_DAY = (0, 1, 2, 3, 4, 5, 6)
_DAY_ALIASES = {
    "weekdays": (0, 1, 2, 3, 4),
    "weekends": (5, 6),
    "daily": EVERY_DAY,
    "every day": EVERY_DAY,
}


def parse_time(text: str) -> str:
    """Parse '9', '09:00', '9am', '9:30 pm' or '21:30' into 'HH:MM' (24-hour)."""
    raw = text.strip().lower()
    match = _TIME.match(raw)
    shown = text[:40]
    if not match:
        # Translators: {text} is what the member typed; keep the example times as they are.
        raise UserFacingError(_("“{text}” is not a time I understand. Try 09:00, 9am or 21:30.").format(text=shown))
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    ampm = (match["ampm"] or "").replace(".", "")
    if ampm:
        if not 1 <= hour <= 12:
            raise UserFacingError(_("“{text}”: with am/pm the hour must be 1 to 12.").format(text=shown))
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23:
        raise UserFacingError(_("“{text}”: the hour must be 0 to 23.").format(text=shown))
    if minute > 59:
        raise UserFacingError(_("“{text}”: the minutes must be 00 to 59.").format(text=shown))
    return f"{hour:02d}:{minute:02d}"


def _local_aliases() -> dict[str, tuple[int, ...]]:
    """The words for several days at once in the current language, as a member would type them."""
    # Translators: a word a member may type for Monday to Friday when choosing days; lower case.
    weekdays = pgettext("typed weekdays", "weekdays")
    # Translators: a word a member may type for Saturday and Sunday when choosing days; lower case.
    weekends = pgettext("typed weekdays", "weekends")
    # Translators: a word a member may type for all seven days when choosing days; lower case.
    daily = pgettext("typed weekdays", "daily")
    # Translators: words a member may type for all seven days when choosing days; lower case.
    every_day = pgettext("typed weekdays", "every day")
    aliases = {weekdays: _DAY_ALIASES["weekdays"], weekends: _DAY_ALIASES["weekends"]}
    return aliases | {daily: EVERY_DAY, every_day: EVERY_DAY}


def _day_names() -> list[tuple[int, str]]:
    """Weekday names a member may type (Monday=0): English, and the current language's, lower case, no dots."""
    names = [(index, name.lower()) for index, name in enumerate(WEEKDAYS)]
    locale = babel_locale()
    if locale.language != "en":
        for width in ("wide", "abbreviated", "short"):
            names += [(index, name.lower().rstrip(".")) for index, name in weekday_names(width).items()]
    return names


def parse_weekdays(text: str) -> tuple[int, ...]:
    """Parse 'mon', 'Mon, Thu', 'tuesday thursday', 'weekdays' or 'daily' (or 'Mo, Do' in German) into Monday=0."""
    raw = " ".join(text.strip().lower().split())
    aliases = _DAY_ALIASES | {word.lower(): days for word, days in _local_aliases().items()}
    if raw in aliases:
        return aliases[raw]
    # Translators: the word joining two weekdays a member types, as in "Mon and Thu"; lower case.
    joined_by = {"and", pgettext("typed weekdays", "and").lower()}
    separators = "|".join(rf"\b{re.escape(word)}\b" for word in sorted(joined_by))
    names = _day_names()
    days: set[int] = set()
    for word in filter(None, re.split(rf"[\s,;/+&]+|{separators}", raw)):
        stem = word.rstrip(".")
        matches = {index for index, name in names if len(stem) >= 2 and name.startswith(stem)}
        if len(matches) != 1:
            raise UserFacingError(
                # Translators: {word} is what the member typed. The examples are weekday names as a member of
                # your language would type them; 'weekdays' / 'daily' are the words translated under the
                # context "typed weekdays".
                _(
                    "“{word}” is not a weekday. Use names like Mon, Tuesday or Thu, separated by commas, "
                    "or 'weekdays' / 'daily'."
                ).format(word=word[:20])
            )
        days.add(matches.pop())
    if not days:
        raise UserFacingError(_("Name at least one weekday, e.g. Mon or Mon, Thu."))
    return tuple(sorted(days))


def weekday_name(day: int, width: Literal["wide", "abbreviated"] = "wide") -> str:
    """A weekday (Monday=0) named in the current language: 'Wednesday', 'Mittwoch'; width 'abbreviated' for 'Wed'."""
    return weekday_names(width)[day]


def describe_weekdays(days: tuple[int, ...]) -> str:
    """Render weekday numbers as 'Mon, Thu' or 'every day', in the current language ('Mo., Do.')."""
    if tuple(sorted(days)) == EVERY_DAY:
        return _("every day")
    return ", ".join(weekday_name(d, "abbreviated") for d in sorted(days))


def parse_date(text: str, timezone: str, now: datetime) -> datetime:
    """Parse YYYY-MM-DD as the start of that day in the server's zone; it must be in the future."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        # Translators: {text} is what the member typed. Keep YYYY-MM-DD's order (year, month, day) and the example.
        message = _("“{text}” is not a date. Use YYYY-MM-DD, e.g. 2026-12-24.").format(text=text[:30])
        raise UserFacingError(message) from None
    moment = datetime.combine(day, time(0, 0), ZoneInfo(timezone))
    if moment <= now:
        raise UserFacingError(_("{date} has already begun. Pick a later date.").format(date=day.isoformat()))
    return moment
