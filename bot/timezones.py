"""Recognising IANA timezone names safely, and offering them as people type."""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

import discord
from discord import app_commands

from bot.i18n import _
from bot.user_error import UserFacingError


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


def check_timezone(name: str) -> str:
    """Return the IANA zone name if it exists, else explain."""
    if not is_timezone(name):
        # Translators: {name} is what the member typed; keep the zone names as they are (they are IANA names).
        message = _("“{name}” is not a timezone I know. Pick one from the list, e.g. Europe/London or America/Toronto.")
        raise UserFacingError(message.format(name=name[:60]))
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


async def zone_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """Offer IANA zone names matching what was typed."""
    return [app_commands.Choice(name=z, value=z) for z in timezone_suggestions(current)]
