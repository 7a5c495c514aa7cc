"""How long the bot has been up and how quick its link to Discord is, in words."""

from __future__ import annotations

import math
from datetime import timedelta


def format_uptime(uptime: timedelta) -> str:
    """Render an uptime like '2 d 3 h 4 min' (or seconds when just started)."""
    total = int(uptime.total_seconds())
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [f"{days} d" if days else "", f"{hours} h" if hours else "", f"{minutes} min" if minutes else ""]
    return " ".join(p for p in parts if p) or f"{seconds} s"


def format_latency(seconds: float) -> str:
    """Render the gateway heartbeat latency, which is unknown until the first heartbeat."""
    return "not measured yet" if math.isnan(seconds) or math.isinf(seconds) else f"{seconds * 1000:.0f} ms"
