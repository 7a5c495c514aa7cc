"""Configure logging: one readable format, the configured level, and no private text in any record."""

from __future__ import annotations

import logging
import re

import discord

# Interaction and webhook tokens sit in URLs; they are credentials for 15 minutes.
_TOKEN_IN_URL = re.compile(r"(/(?:webhooks/\d+|interactions/\d+)/)[^/?\s]+")


def _redact_url(value: object) -> str:
    return _TOKEN_IN_URL.sub(r"\1<token>", str(value))


def _event_outline(event: object) -> str:
    if isinstance(event, dict):
        return f"op={event.get('op')} t={event.get('t')} s={event.get('s')}"
    return "<payload>"


class PrivacyFilter(logging.Filter):
    """Strip request bodies, gateway payloads and tokens from discord.py's debug records.

    At DEBUG, discord.py logs every HTTP body it sends and receives and every gateway event it
    gets. Those carry members' check-in and journal text, user ids and interaction tokens. The
    filter sits on discord.py's own loggers, so no handler (ours, a test's, a host's) ever sees
    the original.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        if record.name == "discord.http":
            if record.msg == "%s %s with %s has returned %s" and len(args) == 4:
                record.msg, record.args = "%s %s has returned %s", (args[0], _redact_url(args[1]), args[3])
            elif record.msg == "%s %s has received %s" and len(args) == 3:
                record.msg, record.args = "%s %s has received a response", (args[0], _redact_url(args[1]))
            elif args:
                record.args = tuple(_redact_url(a) if isinstance(a, str) else a for a in args)
        elif record.name == "discord.gateway" and "WebSocket Event" in str(record.msg) and len(args) == 2:
            record.args = (args[0], _event_outline(args[1]))
        elif record.name == "discord.gateway" and record.msg in ("Received %s", "Received error %s"):
            record.args = ("<payload>",)
        return True


class DropSqlDebug(logging.Filter):
    """Drop aiosqlite's debug records: they echo every SQL statement with its parameters."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno > logging.DEBUG


_FILTERS = {"discord.http": PrivacyFilter(), "discord.gateway": PrivacyFilter(), "aiosqlite": DropSqlDebug()}


def install_privacy_filter() -> None:
    """Attach the privacy filters to discord.py's and aiosqlite's loggers (idempotent)."""
    for name, privacy in _FILTERS.items():
        logger = logging.getLogger(name)
        if not any(type(f) is type(privacy) for f in logger.filters):
            logger.addFilter(privacy)


def setup_logging(level: str) -> None:
    """Send logs to stderr at the given level, with private payloads stripped."""
    discord.utils.setup_logging(level=getattr(logging, level), root=True)
    install_privacy_filter()
