"""The plain-language privacy statement, one section per feature that is loaded."""

from __future__ import annotations

GENERAL = (
    "**Who runs this bot.** Whoever hosts it can read its database and logs. Discord itself also "
    "carries every message and click; see Discord's own privacy policy.\n"
    "**Logs** never contain request bodies, so nothing you write is logged.\n"
    "**Your rights.** `/privacy export` gives you a copy of everything the bot holds about you in "
    "this server; `/privacy delete` erases it. Supervisors cannot see your private data."
)

SECTIONS: dict[str, tuple[str, str]] = {
    "admin": (
        "Settings, schedules and delivery problems",
        "Server settings and schedules are about the group, not about you. If a direct message to you "
        "fails (for example, DMs closed), the bot records your user id, the feature and the reason, "
        "so it can tell you once and show supervisors a count (never names) in `/status`. Kept 30 days "
        "by default.",
    ),
}

LIMITS = (
    "**Limits.** In a small group, details can identify people even without names: what you write, "
    "when you write it, and rare events. Share the minimum, leave out anything that could identify a "
    "client, and remember that Discord is not a clinical record system."
)


def statement(loaded: tuple[str, ...]) -> list[tuple[str, str]]:
    """Return (title, text) sections for the loaded features, framed by the general notes."""
    sections = [("What this bot stores and who can see it", GENERAL)]
    sections += [SECTIONS[name] for name in loaded if name in SECTIONS]
    sections.append(("Honest limits", LIMITS))
    return sections
