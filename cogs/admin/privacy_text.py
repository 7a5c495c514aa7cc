"""The plain-language privacy statement, one section per feature that is loaded."""

from __future__ import annotations

GENERAL = (
    "**Who runs this bot.** Whoever hosts it can read its files and logs. Discord itself also "
    "carries every message and click, and sees who ran which command; see Discord's own privacy policy.\n"
    "**Logs** never contain what you write, request bodies or interaction tokens, at any level.\n"
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
    "quiz": (
        "Quizzes",
        "Your answers are stored under your user id, for your own `/quiz stats`. The group sees only option "
        "shares and accuracy, and only where {quiz_k} or more members answered; a leaderboard exists only if a "
        "supervisor turns it on.",
    ),
    "checkin": (
        "Anonymous check-ins: what holds, against whom",
        "A check-in is stored with no user id, no time of day and no order, in a file apart from everything "
        "about you, so other members, the supervisor and whoever runs the bot (even with every file and log) "
        "cannot look up who wrote which, or in what order they came. Your weekly count is kept only in the "
        "bot's memory; a restart resets it. It reaches the group only in a digest of {checkin_k} or more, "
        "in random order. "
        "**Not covered:** Discord itself; someone who copies the bot's files just before and after your "
        "check-in and knows you submitted then; someone who changes the bot's code; and what your own words "
        "reveal. The full threat model is docs/privacy.md in the bot's source.",
    ),
}

LIMITS = (
    "**Limits.** In a small group, details can identify people even without names: what you write, "
    "when you write it, and rare events. Share the minimum, leave out anything that could identify a "
    "client, and remember that Discord is not a clinical record system."
)


def statement(loaded: tuple[str, ...], quiz_k: int = 3, checkin_k: int = 3) -> list[tuple[str, str]]:
    """Return (title, text) sections for the loaded features, framed by the general notes."""
    sections = [("What this bot stores and who can see it", GENERAL)]
    sections += [
        (SECTIONS[name][0], SECTIONS[name][1].format(quiz_k=quiz_k, checkin_k=checkin_k))
        for name in loaded
        if name in SECTIONS
    ]
    sections.append(("Honest limits", LIMITS))
    return sections
