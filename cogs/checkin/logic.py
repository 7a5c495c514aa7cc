"""Pure rules for anonymous check-ins: dimensions, text hygiene, periods, keys, codes and summary maths.

Nothing here knows about Discord, the database or the clock; callers pass every input in.

The identifying-detail check lives in cogs/checkin/detector.py.
"""

from __future__ import annotations

import hashlib
import random
import re
import secrets
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from bot import i18n

# The dimensions live in bot/ because the pre-meeting brief names them too; the check-in feature reads them here.
from bot.content.countertransference import DIMENSIONS as DIMENSIONS
from bot.i18n import N_, _

T = TypeVar("T")

# English; shown through `_()` (see dimension_hint).
DIMENSION_HINTS: dict[str, str] = {
    "overwhelmed": N_("Flooded, anxious or muddled; dreading the session or wanting to get away"),
    "helpless": N_("Unsure you can help; feeling incompetent, stuck or not good enough"),
    "positive": N_("Warmth and liking; a sense of working well together"),
    "special": N_("This client feels special; going the extra mile or stretching boundaries"),
    "sexualised": N_("Sexual feelings, attraction or tension in the room"),
    "disengaged": N_("Bored, distracted or withdrawn; wishing the session would end"),
    "parental": N_("Wanting to look after, rescue or protect the client"),
    "criticised": N_("Feeling dismissed, unappreciated, devalued or attacked by the client"),
}
INTENSITY_MIN, INTENSITY_MAX = 1, 5
TEXT_LIMIT = 1000
WEEKLY_LIMIT = 3

# ---------------------------------------------------------------------------------------------------------------
# Identifying details

_PERIOD = re.compile(r"(\d{4})-W(\d{2})")


def _local(moment: datetime, timezone: str) -> datetime:
    """Return an aware moment in an IANA zone."""
    if moment.utcoffset() is None:
        raise ValueError("check-in periods need a timezone-aware datetime")
    return moment.astimezone(ZoneInfo(timezone))


def period_for(moment: datetime, timezone: str) -> str:
    """Return the ISO week, in the group's zone, that contains an aware moment, e.g. "2026-W48"."""
    year, week, _ = _local(moment, timezone).isocalendar()
    return f"{year:04d}-W{week:02d}"


def period_bounds(period: str, timezone: str) -> tuple[datetime, datetime]:
    """Return the UTC start (inclusive) and end (exclusive) of a period in the group's zone."""
    match = _PERIOD.fullmatch(period)
    if match is None:
        raise ValueError(f"not a period like 2026-W48: {period!r}")
    monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
    zone = ZoneInfo(timezone)
    # fold=0 gives the earliest reading of an ambiguous midnight and, for a midnight skipped by a DST jump,
    # the moment of the jump, which is exactly when the local day begins.
    start, end = (datetime.combine(day, time(), zone) for day in (monday, monday + timedelta(weeks=1)))
    return start.astimezone(UTC), end.astimezone(UTC)


def day_of_period(moment: datetime, timezone: str) -> date:
    """Return the local day of an aware moment: the finest time a check-in keeps."""
    return _local(moment, timezone).date()


def weekday_label(day: date) -> str:
    """Return the weekday name of a date in the current language ("Monday", "Montag")."""
    # Babel's CLDR names, not strftime, so the label does not depend on the host's locale.
    return i18n.day(day, "EEEE")


def dimension_label(key: str) -> str:
    """Return a dimension's name in the current language; an unknown (retired) id as it is."""
    return _(DIMENSIONS[key]) if key in DIMENSIONS else key


def dimension_hint(key: str) -> str:
    """Return the one-line description of a dimension in the current language."""
    return _(DIMENSION_HINTS[key]) if key in DIMENSION_HINTS else ""


# ---------------------------------------------------------------------------------------------------------------
# Keys, codes and ids

# Crockford's base32: no I, L, O or U, so nothing is confused with 1, 0 or V; 32 symbols give 5 bits each.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_GROUPS, CODE_GROUP_SIZE = 3, 4  # 12 symbols: 60 bits
_CODE_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_withdrawal_code() -> str:
    """Return a random code like "K7QF-2MZP-9TXR"."""
    symbols = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUPS * CODE_GROUP_SIZE))
    return "-".join(symbols[i : i + CODE_GROUP_SIZE] for i in range(0, len(symbols), CODE_GROUP_SIZE))


def normalise_code(text: str) -> str:
    """Canonicalise a typed code: any case, spaces, dashes or Markdown around it, O for 0 and I or L for 1."""
    # NFKC turns full-width characters from some mobile keyboards into ASCII.
    folded = unicodedata.normalize("NFKC", text).upper().translate(_CODE_LOOKALIKES)
    return "".join(char for char in folded if char.isascii() and char.isalnum())


def hash_code(code: str) -> str:
    """Return the SHA-256 hex of a normalised withdrawal code."""
    # A plain hash is enough: each code is 60 random bits, so there is no dictionary to try, and guessing one
    # from a leaked hash costs about 2**59 hashes and yields only the power to delete one check-in. The code
    # itself says nothing about who holds it. A slow or salted hash would add cost without adding safety.
    return hashlib.sha256(normalise_code(code).encode("ascii")).hexdigest()


def new_checkin_id() -> str:
    """Return a random check-in id, so storage order says nothing about submission order."""
    return secrets.token_hex(16)


# ---------------------------------------------------------------------------------------------------------------
# Digest and summary


def digest_order(rows: Sequence[T], rng: random.Random | None = None) -> list[T]:
    """Return the rows in a uniformly random order (from the operating system's randomness by default)."""
    shuffled = list(rows)
    (random.SystemRandom() if rng is None else rng).shuffle(shuffled)
    return shuffled


def meets_threshold(count: int, k: int) -> bool:
    """Return whether there are at least k items (k at least 1) to share."""
    if k < 1:
        raise ValueError("k must be at least 1")
    return count >= k


def suppress(count: int, k: int) -> int | None:
    """Return a count, or None if it is above zero but below k."""
    # Zero is shown: "nobody" points to no one, while 1 or 2 could.
    return None if 0 < count < k else count


def render_count(value: int | None, k: int) -> str:
    """Render a possibly suppressed count, e.g. "7" or "fewer than 3", in the current language."""
    return _("fewer than {k}").format(k=k) if value is None else str(value)


@dataclass(frozen=True)
class Summary:
    """Anonymous totals over some check-ins; None marks a count above zero but below k."""

    counts: dict[str, int | None]
    total: int | None
    mean_intensity: float | None
    raise_it: int | None


def summarise(rows: Iterable[tuple[tuple[str, ...], int, bool]], k: int) -> Summary:
    """Count check-ins per dimension, overall and asking to raise it, hiding counts below k."""
    if k < 1:
        raise ValueError("k must be at least 1")
    rows = list(rows)
    # A dimension listed twice in one check-in still counts once.
    per_dimension = Counter(dimension for dimensions, _, _ in rows for dimension in set(dimensions))
    counts = {dimension: suppress(per_dimension[dimension], k) for dimension in DIMENSIONS}
    # Retired or unknown ids are still counted, after the current ones.
    counts |= {dimension: suppress(n, k) for dimension, n in per_dimension.items() if dimension not in DIMENSIONS}
    total = len(rows)
    mean = sum(intensity for _, intensity, _ in rows) / total if total >= k else None
    return Summary(
        counts=counts,
        total=suppress(total, k),
        mean_intensity=mean,
        raise_it=suppress(sum(1 for _, _, raise_it in rows if raise_it), k),
    )
