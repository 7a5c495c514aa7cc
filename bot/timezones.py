"""Recognising IANA timezone names safely."""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones


@cache
def known_timezones() -> frozenset[str]:
    """Every IANA zone name the bundled tzdata knows (read once)."""
    return frozenset(available_timezones())


def is_timezone(name: object) -> bool:
    """Whether name is a known IANA zone.

    Looked up in the list rather than by opening ZoneInfo(name): zoneinfo treats the name as a path,
    so a folder name, a very long name or a deep path raises OSError or RecursionError instead.
    """
    return isinstance(name, str) and name in known_timezones()
