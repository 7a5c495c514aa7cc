"""Configure logging: one readable format, the configured level, and no private text."""

from __future__ import annotations

import logging

import discord


class DropRequestBodies(logging.Filter):
    """Keep discord.py's HTTP debug lines but never the bodies they carry.

    At DEBUG, discord.http logs every request with its JSON body, which can hold a member's
    journal or check-in text. We keep the method, route and status and drop the rest.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "discord.http" and record.levelno <= logging.DEBUG and record.args:
            record.msg = "%s %s has returned %s" if "has returned" in str(record.msg) else "%s %s"
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = (args[0], args[1], args[-1]) if "has returned" in record.msg else args[:2]
        return True


def setup_logging(level: str) -> None:
    """Send logs to stderr at the given level, with request bodies stripped."""
    discord.utils.setup_logging(level=getattr(logging, level), root=True)
    body_filter = DropRequestBodies()
    for handler in logging.getLogger().handlers:
        handler.addFilter(body_filter)
