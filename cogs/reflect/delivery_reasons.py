"""Why a DM did not arrive: recorded in English, shown to the member in their language.

The reason is stored as written here (it is member data: /privacy export lists it), and the member reads it the
next time they use a command. Quiz reminders and meeting DMs record the same English sentences, so they are
shown translated too; a reason no template matches is shown as stored.
"""

from __future__ import annotations

import re

from bot.i18n import N_, _

CLOSED = N_("your DMs are closed to this server")
REFUSED = N_("Discord refused the message ({status})")
PAUSED = N_("subscription paused after {count} failed deliveries")
# The bot's own failures: a prompt DM whose sending was cut off by a stop, every time it was tried, or until it
# was too late to be of use. Nothing the member's settings could change.
STOPPED_EACH_TIME = N_("the bot was stopped while sending it, each time it tried")
STOPPED_TOO_LONG = N_("the bot was stopped while sending it and came back too late")
TEMPLATES = (CLOSED, REFUSED, PAUSED, STOPPED_EACH_TIME, STOPPED_TOO_LONG)


def _pattern(template: str) -> re.Pattern[str]:
    """The stored sentences a template makes, with each {placeholder} captured by name."""
    return re.compile(re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.+?)", re.escape(template)))


_PATTERNS = {template: _pattern(template) for template in TEMPLATES}


def shown_reason(stored: str) -> str:
    """A stored reason in the current language."""
    for template, pattern in _PATTERNS.items():
        match = pattern.fullmatch(stored)
        if match is not None:
            return _(template).format(**match.groupdict())
    return stored


def member_can_help(stored: str) -> bool:
    """Whether allowing DMs from the server might have let this DM through.

    So when the DMs were closed, or Discord answered 403 (forbidden); not when the bot itself failed, Discord
    had an error of its own (5xx) or rate-limited the bot: advice about the member's settings would mislead.
    """
    if stored == CLOSED or _PATTERNS[PAUSED].fullmatch(stored):
        return True
    refused = _PATTERNS[REFUSED].fullmatch(stored)
    return refused is not None and refused["status"].strip().startswith("403")
