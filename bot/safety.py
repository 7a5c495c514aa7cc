"""The fixed 'not therapy' notice and a server's own support line, shown beside each other.

Static text only, by design: the bot never reads members' words for risk, which would break the anonymity
of check-ins and turn a supervision tool into a monitoring one.
"""

from __future__ import annotations

from bot.i18n import N_, _

# English here; `safety_notice()` gives it in the reader's language.
NOT_THERAPY = N_(
    "This is a supervision tool, not therapy or an emergency service: if you or someone else is at risk, "
    "contact your local emergency number or a crisis line."
)
SUPPORT_LINE_LIMIT = 200
# What a supervisor types to remove the support line again.
CLEAR_WORDS = frozenset({"none", "clear", "-"})


def clean_support_line(text: str) -> str | None:
    """Return the support line as stored: one line, or None to clear it. Raise ValueError if it is too long."""
    line = " ".join(text.split())
    if line.lower() in CLEAR_WORDS or not line:
        return None
    if len(line) > SUPPORT_LINE_LIMIT:
        raise ValueError(f"{len(line)} characters")
    return line


def safety_notice(support_line: str | None = None) -> str:
    """Return the notice in the current language, followed by the server's support line when it has one."""
    notice = _(NOT_THERAPY)
    if not support_line:
        return notice
    # Translators: {notice} is the "not therapy" sentence; {support_line} is the server's own text, as typed.
    return _("{notice} Support: {support_line}").format(notice=notice, support_line=support_line)
