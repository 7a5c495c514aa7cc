"""Pure rules for the supervision meeting: dates, hours per month, feedback items and figures under the k rule.

Nothing here knows about Discord, the database or the clock; callers pass every input in.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot import i18n
from bot.i18n import N_, _, pgettext
from bot.user_error import UserFacingError

# How long members can answer the questions after a meeting. Results are shown only once this has passed, so a
# supervisor never sees a figure move with one more answer.
FEEDBACK_OPEN = timedelta(days=3)
# How far back a supervisor may record a meeting or a session.
RECORD_LOOKBACK_DAYS = 400
TOPIC_LIMIT = 100
WORDS_LIMIT = 500
SCALE = range(0, 11)


@dataclass(frozen=True)
class FeedbackItem:
    """One of the three questions: its short name, the question, and what its ends mean."""

    key: str
    name: str
    question: str
    low: str
    high: str


# Bordin's working alliance as applied to supervision: agreement on the goals of supervision, agreement on the
# tasks through which they are pursued, and the bond between supervisee and supervisor. Written for this bot.
# Marked here, translated where shown (`_(item.name)`): a constant is built once, before anyone's language is known.
FEEDBACK_ITEMS: tuple[FeedbackItem, ...] = (
    FeedbackItem(
        "goals",
        # Translators: the first of Bordin's three parts of the working alliance (goals, tasks, bond).
        N_("Goals"),
        N_("Today we were working on what I need from supervision"),
        N_("0 = we were after different things"),
        N_("10 = we wanted the same things"),
    ),
    FeedbackItem(
        "tasks",
        # Translators: the second of Bordin's three parts of the working alliance (goals, tasks, bond).
        N_("Tasks"),
        N_("The way we worked today (discussion, role-play, reflection...) helped me"),
        N_("0 = it didn't suit me"),
        N_("10 = it suited me well"),
    ),
    FeedbackItem(
        "bond",
        # Translators: the third of Bordin's three parts of the working alliance (goals, tasks, bond).
        N_("Bond"),
        N_("I felt respected and safe enough to bring what was hard"),
        N_("0 = not at all"),
        N_("10 = completely"),
    ),
)

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CLOCK = re.compile(r"^(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?$")


def parse_day(text: str, timezone: str, now: datetime) -> date:
    """Parse YYYY-MM-DD, 'today' or 'yesterday' into a past or present local date."""
    raw = text.strip().lower()
    today = now.astimezone(ZoneInfo(timezone)).date()
    back = _typed_days().get(raw)
    if back is not None:
        return today - timedelta(days=back)
    if not _DATE.match(raw):
        raise UserFacingError(
            _("“{text}” is not a date. Use YYYY-MM-DD (e.g. 2026-03-04), today or yesterday.").format(text=text[:30])
        )
    try:
        picked = date.fromisoformat(raw)
    except ValueError:
        raise UserFacingError(
            _("“{text}” is not a real date. Use YYYY-MM-DD, e.g. 2026-03-04.").format(text=text[:30])
        ) from None
    if picked > today:
        raise UserFacingError(
            _("{date} hasn't happened yet. Record a meeting once it has taken place.").format(date=picked.isoformat())
        )
    if (today - picked).days > RECORD_LOOKBACK_DAYS:
        raise UserFacingError(
            _("{date} is more than {days} days ago; pick a later date.").format(
                date=picked.isoformat(), days=RECORD_LOOKBACK_DAYS
            )
        )
    return picked


def _typed_days() -> dict[str, int]:
    """The words for a recent day a supervisor may type: English always, and their own language's."""
    return {
        "today": 0,
        "yesterday": 1,
        # Translators: a word a supervisor may type instead of a date; one word, as the option's description says.
        pgettext("typed date", "today").strip().lower(): 0,
        # Translators: a word a supervisor may type instead of a date; one word, as the option's description says.
        pgettext("typed date", "yesterday").strip().lower(): 1,
    }


def parse_clock(text: str) -> str:
    """Parse '14', '14:00' or '9:30' into 'HH:MM' (24-hour)."""
    match = _CLOCK.match(text.strip())
    hour, minute = (int(match["hour"]), int(match["minute"] or 0)) if match else (99, 0)
    if hour > 23 or minute > 59:
        raise UserFacingError(
            _("“{text}” is not a time. Use 24-hour HH:MM, e.g. 14:00 or 9:30.").format(text=text[:20])
        )
    return f"{hour:02d}:{minute:02d}"


def local_moment(day: date, clock: str, timezone: str) -> datetime:
    """The aware moment of a local date and HH:MM in a zone."""
    hour, minute = map(int, clock.split(":"))
    return datetime.combine(day, time(hour, minute), ZoneInfo(timezone))


def latest_meeting_start(weekday: int | None, clock: str | None, timezone: str, now: datetime) -> datetime | None:
    """The most recent start of the group's weekly meeting at or before now, from its day and time."""
    if weekday is None or clock is None:
        return None
    today = now.astimezone(ZoneInfo(timezone)).date()
    for back in range(8):
        day = today - timedelta(days=back)
        moment = local_moment(day, clock, timezone)
        if day.weekday() == weekday and moment <= now:
            return moment
    return None


def clean_topic(text: str | None) -> str | None:
    """A topic as stored: one line, at most TOPIC_LIMIT characters, or None."""
    if text is None:
        return None
    topic = " ".join(text.split())
    if len(topic) > TOPIC_LIMIT:
        raise UserFacingError(
            _(
                "The topic is {length} characters; keep it to {limit}, a theme such as “ruptures in the alliance”, "
                "never client material."
            ).format(length=len(topic), limit=TOPIC_LIMIT)
        )
    return topic or None


# --- hours ----------------------------------------------------------------------------------------------


@dataclass
class MonthHours:
    """Supervised hours in one month, confirmed and awaiting confirmation."""

    group: float = 0.0
    individual: float = 0.0
    awaiting: float = 0.0

    @property
    def confirmed(self) -> float:
        return self.group + self.individual


@dataclass(frozen=True)
class Session:
    """One attended meeting as the hours log counts it."""

    local_start: datetime
    hours: float
    format: str
    confirmed: bool


@dataclass
class HoursLog:
    """A member's hours per month (YYYY-MM, oldest first) and in total."""

    months: dict[str, MonthHours] = field(default_factory=dict)

    @property
    def total(self) -> MonthHours:
        total = MonthHours()
        for month in self.months.values():
            total.group += month.group
            total.individual += month.individual
            total.awaiting += month.awaiting
        return total


def hours_log(sessions: Iterable[Session]) -> HoursLog:
    """Add up sessions per local month: confirmed hours by format, and hours still awaiting confirmation."""
    log = HoursLog()
    for session in sorted(sessions, key=lambda s: s.local_start):
        month = log.months.setdefault(f"{session.local_start:%Y-%m}", MonthHours())
        if not session.confirmed:
            month.awaiting += session.hours
        elif session.format == "individual":
            month.individual += session.hours
        else:
            month.group += session.hours
    return log


def hours_number(hours: float) -> str:
    """A number of hours to two decimals at most, in the reader's language: '1.5', '12' ('1,5' in German)."""
    return i18n.number(round(hours, 2), pattern="#,##0.##")


def format_hours(hours: float) -> str:
    """Hours as people write them, in the reader's language: '1.5 h', '12 h' ('1,5 Std.' in German)."""
    # Translators: a number of hours, as in a table of supervised hours ("1.5 h").
    return _("{hours} h").format(hours=hours_number(hours))


# --- words for a meeting's kind and dates, as the reader's language says them ---------------------------


def format_word(key: str) -> str:
    """A meeting's format inside a line ('group', 'individual'); the stored key stays English."""
    words = {
        "group": pgettext("meeting format, in a line", "group"),
        "individual": pgettext("meeting format, in a line", "individual"),
    }
    return words.get(key, key)


def mode_word(key: str) -> str:
    """A meeting's mode inside a line ('in person', 'online')."""
    words = {
        "in_person": pgettext("meeting mode, in a line", "in person"),
        "online": pgettext("meeting mode, in a line", "online"),
    }
    return words.get(key, key)


def format_cell(key: str) -> str:
    """A meeting's format as a table cell ('Group', 'Individual')."""
    words = {
        "group": pgettext("meeting format, table cell", "Group"),
        "individual": pgettext("meeting format, table cell", "Individual"),
    }
    return words.get(key, key)


def mode_cell(key: str) -> str:
    """A meeting's mode as a table cell ('In person', 'Online')."""
    words = {
        "in_person": pgettext("meeting mode, table cell", "In person"),
        "online": pgettext("meeting mode, table cell", "Online"),
    }
    return words.get(key, key)


def full_day(value: date) -> str:
    """A date with its weekday, as in a meeting's name ('Wed 4 Mar 2026')."""
    # Translators: a CLDR date pattern (EEE weekday, d day, MMM month, y year); German e.g. "EEE, d. MMM y".
    return i18n.day(value, pgettext("date pattern", "EEE d MMM y"))


def short_day(value: date) -> str:
    """A recent date with its weekday, in a line ('Wed 04 Mar')."""
    # Translators: a CLDR date pattern (EEE weekday, dd day, MMM month); German e.g. "EEE, d. MMM".
    return i18n.day(value, pgettext("date pattern", "EEE dd MMM"))


def axis_day(value: date) -> str:
    """A date under a chart's bar or point ('04 Mar')."""
    # Translators: a CLDR date pattern (dd day, MMM month) under a chart's bars; German e.g. "d. MMM".
    return i18n.day(value, pgettext("date pattern", "dd MMM"))


def record_day(value: date) -> str:
    """A date in a printed record ('2026-03-04'; '04.03.2026' in German)."""
    # Translators: a CLDR date pattern for dates in the printed hours record; German e.g. "dd.MM.yyyy".
    return i18n.day(value, pgettext("date pattern", "yyyy-MM-dd"))


def month_name(month: str) -> str:
    """A month of the hours log ('2026-03' in English; 'März 2026' in German)."""
    year, number = map(int, month.split("-"))
    # Translators: a CLDR date pattern for a month of the hours log; German e.g. "MMMM y".
    return i18n.day(date(year, number, 1), pgettext("date pattern", "yyyy-MM"))


# --- feedback figures ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemFigure:
    """One question's figures for one meeting: the mean and the spread (standard deviation)."""

    mean: float
    spread: float


@dataclass(frozen=True)
class MeetingFigures:
    """A meeting's feedback as a supervisor may see it: figures only from k answers or more."""

    answered: int | None  # None: fewer than k (never the exact number)
    items: dict[str, ItemFigure]


def item_figure(values: Sequence[int]) -> ItemFigure:
    """Mean and population standard deviation of some 0-10 ratings."""
    mean = sum(values) / len(values)
    spread = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
    return ItemFigure(mean, spread)


def meeting_figures(ratings: Sequence[tuple[int, int, int]], k: int) -> MeetingFigures:
    """The figures of one meeting's answers (goals, tasks, bond); nothing at all below k."""
    if len(ratings) < k:
        return MeetingFigures(0 if not ratings else None, {})
    columns = list(zip(*ratings, strict=True))
    return MeetingFigures(
        len(ratings), {item.key: item_figure(column) for item, column in zip(FEEDBACK_ITEMS, columns, strict=True)}
    )


def render_count(value: int | None, k: int) -> str:
    """A count under the k rule: the number, or 'fewer than k' (zero may be shown)."""
    # Translators: stands for a count too small to show, in place of a number ("fewer than 3 took part").
    return _("fewer than {k}").format(k=k) if value is None else str(value)


def shown_count(value: int | None, k: int) -> int:
    """The number a plural form agrees with: the count, or k for 'fewer than k'."""
    return k if value is None else value


def k_count(value: int, k: int) -> int | None:
    """A count as it may be shown: itself when zero or at least k, else None."""
    return value if value == 0 or value >= k else None
