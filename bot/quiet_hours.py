"""Local wall times and quiet hours, shared by DM prompts and quiz reminders.

Quiet hours are [start, end) in the member's local time, wrapping midnight when start > end; equal start and end
means no quiet hours (it would otherwise silence every DM for good). A DM due in quiet hours waits until they end.

A reminder before a deadline (the quiz closing) is different: waiting until the quiet hours end may be too late.
It then comes before the quiet hours begin instead, so it is early rather than useless, and never inside them.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_HHMM = re.compile(r"(\d{1,2}):(\d{2})")
# A reminder moved past quiet hours must still leave this long before the deadline to be worth sending then.
USEFUL_LEAD = timedelta(minutes=30)
# A reminder moved before quiet hours comes this long before they begin (the tick that sends it runs every 5 min).
BEFORE_QUIET = timedelta(minutes=10)


def parse_hhmm(text: str) -> time:
    """Parse a 24-hour "HH:MM" time; raise ValueError if it is not one."""
    match = _HHMM.fullmatch(text.strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError(f"not a 24-hour HH:MM time: {text!r}")
    return time(int(match[1]), int(match[2]))


def require_aware(*moments: datetime) -> None:
    """Raise ValueError if any moment is naive."""
    if any(m.utcoffset() is None for m in moments):
        raise ValueError("expected timezone-aware datetimes")


def _exists(local: datetime) -> bool:
    """Return whether an aware local wall time exists (is not skipped by a gap)."""
    return local.astimezone(UTC).astimezone(local.tzinfo).replace(tzinfo=None) == local.replace(tzinfo=None)


def _gap_end(local: datetime) -> datetime:
    """Return, in UTC, the first valid moment after the gap that swallowed a nonexistent local wall time."""
    zone = local.tzinfo
    # fold=1 reads the wall time with the offset after the change, fold=0 with the one before; the change lies
    # between the two readings, so search that span to the second for where the later offset starts.
    low = int(local.replace(fold=1).timestamp())
    high = int(local.replace(fold=0).timestamp())
    low, high = min(low, high), max(low, high)
    after_offset = datetime.fromtimestamp(high, zone).utcoffset()
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, zone).utcoffset() == after_offset:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)


def wall_instants(day: date, at: time, zone: ZoneInfo) -> list[datetime]:
    """Return the UTC instants showing a wall time on a day: two if repeated, the gap's end if skipped."""
    local = datetime.combine(day, at, tzinfo=zone)
    if not _exists(local):
        return [_gap_end(local)]
    first, second = local.astimezone(UTC), local.replace(fold=1).astimezone(UTC)
    return [first] if first == second else sorted({first, second})


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """Return the UTC instant of a local wall time: the first occurrence if repeated, the gap's end if skipped."""
    return wall_instants(day, at, zone)[0]


def _quiet_bounds(quiet_start: str | None, quiet_end: str | None) -> tuple[time, time] | None:
    """Return the parsed quiet hours, or None when there are none."""
    if quiet_start is None or quiet_end is None:
        return None
    start, end = parse_hhmm(quiet_start), parse_hhmm(quiet_end)
    # Equal ends would mean "always quiet", which would silence the subscription for good.
    return None if start == end else (start, end)


def in_quiet_hours(moment: datetime, timezone: str, quiet_start: str | None, quiet_end: str | None) -> bool:
    """Return whether a moment falls inside the member's local quiet hours [start, end)."""
    require_aware(moment)
    bounds = _quiet_bounds(quiet_start, quiet_end)
    if bounds is None:
        return False
    start, end = bounds
    wall = moment.astimezone(ZoneInfo(timezone)).time()
    return start <= wall < end if start < end else wall >= start or wall < end


def defer_past_quiet_hours(moment: datetime, timezone: str, quiet_start: str | None, quiet_end: str | None) -> datetime:
    """Return the end of the quiet period (UTC) if the moment is inside one, else the moment unchanged."""
    if not in_quiet_hours(moment, timezone, quiet_start, quiet_end):
        return moment
    bounds = _quiet_bounds(quiet_start, quiet_end)
    assert bounds is not None  # in_quiet_hours() is true only when there are quiet hours
    start, end = bounds
    zone = ZoneInfo(timezone)
    local = moment.astimezone(zone)
    end_day = local.date() + timedelta(days=1) if start > end and local.time() >= start else local.date()
    # In a repeated hour the first reading of the end can precede a moment in the second pass; take the next one.
    later = [instant for instant in wall_instants(end_day, end, zone) if instant > moment]
    return later[0] if later else moment


def quiet_period_start(moment: datetime, timezone: str, quiet_start: str | None, quiet_end: str | None) -> datetime:
    """Return when the quiet period holding the moment began (UTC); the moment itself if it is not in one."""
    if not in_quiet_hours(moment, timezone, quiet_start, quiet_end):
        return moment
    bounds = _quiet_bounds(quiet_start, quiet_end)
    assert bounds is not None  # in_quiet_hours() is true only when there are quiet hours
    start, end = bounds
    zone = ZoneInfo(timezone)
    local = moment.astimezone(zone)
    # Wrapping past midnight, a moment before the end belongs to the period that began the evening before.
    start_day = local.date() - timedelta(days=1) if start > end and local.time() < end else local.date()
    earlier = [instant for instant in wall_instants(start_day, start, zone) if instant <= moment]
    return earlier[-1] if earlier else moment


def reminder_time(
    deadline: datetime, before: timedelta, timezone: str, quiet_start: str | None, quiet_end: str | None
) -> datetime:
    """Return when a reminder `before` a deadline is due, kept out of the member's quiet hours.

    Outside quiet hours it is simply deadline - before. Inside them, it moves to their end if that still leaves
    USEFUL_LEAD before the deadline, and otherwise to BEFORE_QUIET before they began.
    """
    require_aware(deadline)
    nominal = deadline - before
    if not in_quiet_hours(nominal, timezone, quiet_start, quiet_end):
        return nominal
    after = defer_past_quiet_hours(nominal, timezone, quiet_start, quiet_end)
    if after <= deadline - USEFUL_LEAD:
        return after
    return quiet_period_start(nominal, timezone, quiet_start, quiet_end) - BEFORE_QUIET
