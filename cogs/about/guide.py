"""What /help and the welcome message say: one line per command, and how a supervision week runs."""

from __future__ import annotations

from collections.abc import Iterable

# (command as typed, what it does). Every slash command the bot registers is in exactly one list; a test
# walks the command tree to keep it that way.
MEMBER_COMMANDS: tuple[tuple[str, str], ...] = (
    ("/help", "This list, and how a week works"),
    ("/about", "What the bot is, its version, and where to get help"),
    ("/quiz take", "This week's quiz, privately; your first answer to each question counts"),
    ("/quiz practice", "Practice questions, as many as you like; questions you missed come back here first"),
    ("/quiz stats", "Your own accuracy per element over time, with a chart"),
    ("/quiz leaderboard", "The group's leaderboard, if a supervisor turned it on"),
    ("/reflect prompt", "A reflective prompt now, with a private journal to write in"),
    ("/reflect subscribe", "Prompts by DM on your days and time (allow DMs from this server first)"),
    ("/reflect unsubscribe", "Stop prompts by DM"),
    ("/reflect pause", "Pause prompts by DM, until a date or until you subscribe again"),
    ("/reflect journal show", "Your journal entries; only you see them"),
    ("/reflect journal export", "Your whole journal as a Markdown file"),
    ("/checkin new", "An anonymous countertransference check-in"),
    ("/checkin withdraw", "Delete a check-in of yours with its one-time code"),
    ("/checkin replies", "Read supervisors' replies to your check-in with its code, and answer once"),
    ("/hours show", "Your supervised hours: group and individual, per month, in total, who confirmed them"),
    ("/hours export", "Your supervised-hours record as CSV and as a PDF to print and have signed"),
    ("/feedback give", "Three anonymous questions about the latest meeting, while they are open"),
    ("/feedback dm", "Get the questions after each meeting by DM, or stop"),
    ("/privacy info", "What is stored, who sees it, and the honest limits of anonymity"),
    ("/privacy export", "Everything the bot holds about you in this server"),
    ("/privacy delete", "Erase everything linked to you in this server"),
)
SUPERVISOR_COMMANDS: tuple[tuple[str, str], ...] = (
    ("/setup", "Time zone, supervisor role, channels, meeting, support line, where shared journal entries go"),
    ("/schedule list", "Every schedule and when it next runs"),
    ("/schedule set", "When prompts, the quiz and the check-in digest run"),
    ("/schedule pause", "Pause one kind of post, until a date or indefinitely"),
    ("/schedule resume", "Resume a paused kind; nothing missed is replayed"),
    ("/schedule remove", "Remove a schedule"),
    ("/status", "Health, next runs, what happened in the last runs, missing permissions"),
    ("/quiz open-now", "Open this week's quiz now"),
    ("/quiz close-now", "Close the quiz and post the group's results now"),
    ("/quiz settings", "Focus rotation, questions per quiz, leaderboard on or off"),
    ("/quiz bank add", "Write a quiz item of your own"),
    ("/quiz bank import", "Import quiz items from a TOML file"),
    ("/quiz bank list", "The quiz items this server can use"),
    ("/quiz bank disable", "Switch a quiz item off for this server"),
    ("/quiz bank reports", "Questions members reported; keep them or switch them off"),
    ("/quiz bank stats", "How each item performs here: share right, picks per option, flags"),
    ("/reflect bank add", "Write a reflective prompt of your own"),
    ("/reflect bank list", "The prompts this server can use"),
    ("/reflect bank disable", "Switch a prompt off for this server"),
    ("/reflect settings", "Whether the weekly prompt leans toward the group's hardest element"),
    ("/checkin summary", "Check-in counts over 4 to 26 weeks; small counts stay hidden"),
    ("/meeting record", "Record a meeting, or correct one: date, time, length, in person or online, topic"),
    ("/meeting individual", "Log an individual supervision session with a member (confirmed by you)"),
    ("/meeting attendance", "Who was at a meeting: add, remove, and confirm everyone at once"),
    ("/meeting remove", "Delete a meeting recorded by mistake, with its attendance"),
    ("/meeting brief", "The pre-meeting brief now: quiz, check-in themes, the prompt, feedback; small counts hidden"),
    ("/meeting report", "Attendance over 1 to 12 months, per meeting and per member, with a chart"),
    ("/meeting feedback", "How members experienced recent meetings: means and spread from k answers, trend, words"),
    ("/meeting settings", "Usual length and mode, how long attendance stays open, the brief by DM"),
)
# (the command a step relies on, the step): a step shows only when its feature is loaded.
HOW_A_WEEK_WORKS: tuple[tuple[str, str], ...] = (
    ("quiz take", "After the group meets, **the week's quiz opens**: take it privately with `/quiz take`."),
    (
        "reflect prompt",
        "**A reflective prompt** is posted for the group. Reply in its thread, or write privately in your journal. "
        "With `/reflect subscribe` you also get prompts by DM at your own time.",
    ),
    ("checkin new", "**Any time in the week**, `/checkin new` notes what a session stirred in you, anonymously."),
    ("checkin new", "**Before the next meeting** the check-ins are shared as a digest, once enough have come in."),
    ("quiz take", "**Then the quiz closes** and the group sees anonymous results, ready to talk about together."),
    ("hours show", "**At the meeting**, press **Mark me present**; once confirmed it counts in `/hours show`."),
    ("feedback give", "**After it**, three anonymous questions ask how supervision went for you (`/feedback give`)."),
)


def command_lines(commands: Iterable[tuple[str, str]], registered: set[str]) -> list[str]:
    """One line per command the bot has loaded: '`/quiz take` · what it does'."""
    return [f"`{name}` · {what}" for name, what in commands if name.removeprefix("/") in registered]


def help_text(registered: set[str]) -> str:
    """The body of /help that everyone sees: how a week works and the members' commands."""
    steps = [step for needs, step in HOW_A_WEEK_WORKS if needs in registered]
    parts = ["**How a week works**", *(f"{n}. {step}" for n, step in enumerate(steps, 1)), ""] if steps else []
    parts += ["**Your commands**", *command_lines(MEMBER_COMMANDS, registered)]
    return "\n".join(parts)


def supervisor_help_text(registered: set[str]) -> str:
    """The supervisors' own commands, shown to supervisors in a second card (one would pass Discord's limit)."""
    return "\n".join(command_lines(SUPERVISOR_COMMANDS, registered))


WELCOME = (
    "Hello! I'm **supervision-bot**: reflective prompts, anonymous countertransference check-ins and weekly "
    "quizzes on the therapeutic relationship, for clinical supervision groups.\n\n"
    "**To the server owner or anyone with Manage Server:** run `/setup` to choose the group's time zone, "
    "supervisor role, channels and meeting time; it then lists the next steps. Everyone can use `/help`."
)
