"""The plain-language privacy statement, one section per feature that is loaded, in the reader's language."""

from __future__ import annotations

from bot.command_translator import shown_commands
from bot.i18n import N_, _

GENERAL = N_(
    "**Who runs this bot.** Whoever hosts it can read its files and logs. Discord itself also "
    "carries every message and click, and sees who ran which command; see Discord's own privacy policy.\n"
    "**Logs** never contain what you write, request bodies or interaction tokens, at any level.\n"
    "**Your rights.** `/privacy export` gives you a copy of everything the bot holds about you in "
    "this server; `/privacy delete` erases it. Supervisors cannot see your private data."
)

# Stored about every member who uses a slash command, whatever features are loaded (see bot/languages.py).
LANGUAGE = (
    N_("Your language"),
    N_(
        "Replies follow the language your Discord app is set to (English where the bot doesn't speak it), "
        "which Discord sends with every command, click and form. For direct messages, the bot keeps that "
        "language as it was when you last used a slash command in this server: one value per server, with no "
        "time, and never taken from the anonymous check-in and feedback commands, so no row about you is "
        "written as you submit one. `/privacy export` includes it and `/privacy delete` erases it. The "
        "group's language for its posts is a server setting chosen in `/setup`, not about you."
    ),
)

SECTIONS: dict[str, tuple[str, str]] = {
    "admin": (
        N_("Settings, schedules and delivery problems"),
        N_(
            "Server settings and schedules are about the group, not about you. If a direct message to you "
            "fails (for example, DMs closed), the bot records your user id, the feature and the reason, "
            "so it can tell you once and show supervisors a count (never names) in `/status`. Kept 30 "
            "days by default."
        ),
    ),
    "quiz": (
        N_("Quizzes"),
        N_(
            "Your answers are stored under your user id, for your own `/quiz stats`. The group sees only "
            "option shares and accuracy, and only where {quiz_k} or more members answered; a leaderboard "
            "exists only if a supervisor turns it on. How sure you said you were is kept with your answer "
            "and shown only to you; it decides when a question comes back in your own practice. A "
            "question you report reaches supervisors without your name. If you ask for a reminder before "
            "the quiz closes (`/quiz remind`), your choice (hours, zone, quiet hours) and each reminder "
            "sent, put off or skipped are stored under your user id; supervisors see only when reminders "
            "are due, never who asked."
        ),
    ),
    "reflect": (
        N_("Journal and sharing with your supervisor"),
        # Translators: {share}, {later} and {skip} are button labels ("Share with my supervisor", "Later (1 h)",
        # "Skip this one").
        N_(
            "Journal entries are stored under your user id and only you see them. **{share}** sends one entry, "
            "with your name, to the supervisors' private channel or their "
            "DMs; a supervisor can reply once, and you see the reply beside the entry. Unsharing, "
            "deleting the entry or `/privacy delete` deletes their copy; otherwise it is deleted after a "
            "retention period (180 days by default). Pressing **{later}** or **{skip}** on a "
            "prompt DM is stored under your user id with that prompt, so it comes back once (or not); the "
            "record goes after 30 days by default."
        ),
    ),
    "checkin": (
        N_("Anonymous check-ins: what holds, against whom"),
        N_(
            "A check-in is stored with no user id, no time of day and no order, in a file apart from "
            "everything about you, so other members, the supervisor and whoever runs the bot (even with "
            "every file and log) cannot look up who wrote which, or in what order they came. Your weekly "
            "count is kept only in the bot's memory; a restart resets it. It reaches the group only in a "
            "digest of {checkin_k} or more, in random order. **Not covered:** Discord itself; someone who "
            "copies the bot's files just before and after your check-in and knows you submitted then; "
            "someone who changes the bot's code; and what your own words reveal. The full threat model is "
            "docs/privacy.md in the bot's source."
        ),
    ),
    "meeting": (
        N_("Meetings, hours and feedback"),
        N_(
            "Attendance is stored under your user id with each meeting's date, length and format, and the "
            "name of the supervisor who confirmed it, so that you have a record of supervised hours "
            "(`/hours export`); supervisors see who attended. Feedback after a meeting is anonymous, kept "
            "like a check-in: no user id, no time, no order, in the file apart from everything about you; "
            "your one answer per meeting is counted in memory only, so a restart resets it. Supervisors "
            "see a meeting's figures only after its questions close, and only if {feedback_k} or more "
            "answered; words only if you add them, in random order. **Not covered:** the same limits as "
            "check-ins, and what your words reveal."
        ),
    ),
}

# Further sections shown after a feature's own.
MORE: dict[str, tuple[str, str]] = {
    "checkin": (
        N_("Replies to your check-in"),
        N_(
            "A supervisor can reply privately to a check-in in the digest. The reply is kept with the "
            "check-in, with the day only, and goes when it goes. Only the check-in's code opens it, and "
            "reading writes nothing. The bot never messages you about a reply: it doesn't know who you "
            "are. You can answer each reply once; supervisors see the answer, without your name, from the "
            "next day. **Not covered:** someone who copies the bot's files just before and after your "
            "answer and knows you answered then. A content warning you add shows as “CW: topic” above "
            "your words, hidden behind a spoiler."
        ),
    ),
}

LIMITS = N_(
    "**Limits.** In a small group, details can identify people even without names: what you write, when "
    "you write it, and rare events. Share the minimum, leave out anything that could identify a client, "
    "and remember that Discord is not a clinical record system."
)


def statement(
    loaded: tuple[str, ...], quiz_k: int = 3, checkin_k: int = 3, feedback_k: int = 3
) -> list[tuple[str, str]]:
    """Return (title, text) sections for the loaded features, framed by the general notes, in the current language."""
    chosen = [(N_("What this bot stores and who can see it"), GENERAL), LANGUAGE]
    for name in loaded:
        chosen += [section for section in (SECTIONS.get(name), MORE.get(name)) if section is not None]
    chosen.append((N_("Honest limits"), LIMITS))
    # Buttons of other features, named as they label them.
    buttons = {"share": _("Share with my supervisor"), "later": _("Later (1 h)"), "skip": _("Skip this one")}
    ks = {"quiz_k": quiz_k, "checkin_k": checkin_k, "feedback_k": feedback_k}
    return [(_(title), shown_commands(_(text).format(**ks, **buttons))) for title, text in chosen]
