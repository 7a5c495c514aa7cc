"""How long the bot has been up and how quick its link to Discord is, in words."""

from __future__ import annotations

import math
from datetime import timedelta

from bot.i18n import _, number


def format_uptime(uptime: timedelta) -> str:
    """Render an uptime like '2 d 3 h 4 min' (or seconds when just started), in the current language."""
    total = int(uptime.total_seconds())
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [
        # Translators: days in an uptime such as "2 d 3 h 4 min"; {n} is a number.
        _("{n} d").format(n=days) if days else "",
        # Translators: hours in an uptime such as "2 d 3 h 4 min"; {n} is a number.
        _("{n} h").format(n=hours) if hours else "",
        # Translators: minutes in an uptime such as "2 d 3 h 4 min"; {n} is a number.
        _("{n} min").format(n=minutes) if minutes else "",
    ]
    # Translators: seconds, in an uptime of less than a minute; {n} is a number.
    return " ".join(p for p in parts if p) or _("{n} s").format(n=seconds)


def format_latency(seconds: float) -> str:
    """Render the gateway heartbeat latency, which is unknown until the first heartbeat."""
    if math.isnan(seconds) or math.isinf(seconds):
        return _("not measured yet")
    # Translators: a network delay in milliseconds; {ms} is a number.
    return _("{ms} ms").format(ms=number(seconds * 1000))
