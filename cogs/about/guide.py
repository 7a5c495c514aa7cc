"""What /help and the welcome message say: one line per command, and how a supervision week runs.

Everything here is read in the reader's language: the descriptions are marked for the catalogue and
translated where they are shown, and each command is named as the reader's Discord shows it.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.command_translator import shown_commands
from bot.i18n import N_, _

BOT_NAME = "supervision-bot"

# A command as its words ("quiz", "take"), without the slash; each word is a command name the catalogue
# translates.
CommandPath = tuple[str, ...]

# (command, what it does). Every slash command the bot registers is in exactly one list; a test walks the
# command tree to keep it that way.
MEMBER_COMMANDS: tuple[tuple[CommandPath, str], ...] = (
    (("help",), N_("This list, and how a week works")),
    (("about",), N_("What the bot is, its version, and where to get help")),
    (("quiz", "take"), N_("This week's quiz, privately; your first answer to each question counts")),
    (
        ("quiz", "practice"),
        N_("Practice questions, as many as you like; questions you missed come back here first"),
    ),
    (("quiz", "stats"), N_("Your own accuracy per element over time, with a chart")),
    (("quiz", "leaderboard"), N_("The group's leaderboard, if a supervisor turned it on")),
    (("quiz", "remind", "on"), N_("A DM some hours before the quiz closes, if you haven't finished it")),
    (("quiz", "remind", "off"), N_("Stop reminders before the quiz closes")),
    (("reflect", "prompt"), N_("A reflective prompt now, with a private journal to write in")),
    (("reflect", "subscribe"), N_("Prompts by DM on your days and time (allow DMs from this server first)")),
    (("reflect", "unsubscribe"), N_("Stop prompts by DM")),
    (("reflect", "pause"), N_("Pause prompts by DM, until a date or until you subscribe again")),
    (("reflect", "journal", "show"), N_("Your journal entries; only you see them")),
    (("reflect", "journal", "export"), N_("Your whole journal as a Markdown file")),
    (("checkin", "new"), N_("An anonymous countertransference check-in")),
    (("checkin", "withdraw"), N_("Delete a check-in of yours with its one-time code")),
    (("checkin", "replies"), N_("Read supervisors' replies to your check-in with its code, and answer once")),
    (
        ("hours", "show"),
        N_("Your supervised hours: group and individual, per month, in total, who confirmed them"),
    ),
    (("hours", "export"), N_("Your supervised-hours record as CSV and as a PDF to print and have signed")),
    (("feedback", "give"), N_("Three anonymous questions about the latest meeting, while they are open")),
    (("feedback", "dm"), N_("Get the questions after each meeting by DM, or stop")),
    (("privacy", "info"), N_("What is stored, who sees it, and the honest limits of anonymity")),
    (("privacy", "export"), N_("Everything the bot holds about you in this server")),
    (("privacy", "delete"), N_("Erase everything linked to you in this server")),
)
SUPERVISOR_COMMANDS: tuple[tuple[CommandPath, str], ...] = (
    (
        ("setup",),
        N_(
            "Time zone, supervisor role, channels, meeting, support line, where shared journal entries go, "
            "the group's language"
        ),
    ),
    (("schedule", "list"), N_("Every schedule and when it next runs")),
    (("schedule", "set"), N_("When prompts, the quiz and the check-in digest run")),
    (("schedule", "pause"), N_("Pause one kind of post, until a date or indefinitely")),
    (("schedule", "resume"), N_("Resume a paused kind; nothing missed is replayed")),
    (("schedule", "remove"), N_("Remove a schedule")),
    (("status",), N_("Health, next runs, what happened in the last runs, missing permissions")),
    (("quiz", "open-now"), N_("Open this week's quiz now")),
    (("quiz", "close-now"), N_("Close the quiz and post the group's results now")),
    (("quiz", "settings"), N_("Focus rotation, questions per quiz, leaderboard on or off")),
    (("quiz", "bank", "add"), N_("Write a quiz item of your own")),
    (("quiz", "bank", "import"), N_("Import quiz items from a TOML file")),
    (("quiz", "bank", "list"), N_("The quiz items this server can use")),
    (("quiz", "bank", "disable"), N_("Switch a quiz item off for this server")),
    (("quiz", "bank", "reports"), N_("Questions members reported; keep them or switch them off")),
    (("quiz", "bank", "stats"), N_("How each item performs here: share right, picks per option, flags")),
    (("reflect", "bank", "add"), N_("Write a reflective prompt of your own")),
    (("reflect", "bank", "list"), N_("The prompts this server can use")),
    (("reflect", "bank", "disable"), N_("Switch a prompt off for this server")),
    (("reflect", "settings"), N_("Whether the weekly prompt leans toward the group's hardest element")),
    (("checkin", "summary"), N_("Check-in counts over 4 to 26 weeks; small counts stay hidden")),
    (
        ("meeting", "record"),
        N_("Record a meeting, or correct one: date, time, length, in person or online, topic"),
    ),
    (("meeting", "individual"), N_("Log an individual supervision session with a member (confirmed by you)")),
    (("meeting", "attendance"), N_("Who was at a meeting: add, remove, and confirm everyone at once")),
    (("meeting", "remove"), N_("Delete a meeting recorded by mistake, with its attendance")),
    (
        ("meeting", "brief"),
        N_("The pre-meeting brief now: quiz, check-in themes, the prompt, feedback; small counts hidden"),
    ),
    (("meeting", "report"), N_("Attendance over 1 to 12 months, per meeting and per member, with a chart")),
    (
        ("meeting", "feedback"),
        N_("How members experienced recent meetings: means and spread from k answers, trend, words"),
    ),
    (("meeting", "settings"), N_("Usual length and mode, how long attendance stays open, the brief by DM")),
)
# (the command a step relies on, the step): a step shows only when its feature is loaded.
HOW_A_WEEK_WORKS: tuple[tuple[CommandPath, str], ...] = (
    (
        ("quiz", "take"),
        N_("After the group meets, **the week's quiz opens**: take it privately with `/quiz take`."),
    ),
    (
        ("reflect", "prompt"),
        N_(
            "**A reflective prompt** is posted for the group. Reply in its thread, or write privately in your "
            "journal. With `/reflect subscribe` you also get prompts by DM at your own time."
        ),
    ),
    (
        ("checkin", "new"),
        N_("**Any time in the week**, `/checkin new` notes what a session stirred in you, anonymously."),
    ),
    (
        ("checkin", "new"),
        N_("**Before the next meeting** the check-ins are shared as a digest, once enough have come in."),
    ),
    (
        ("quiz", "take"),
        N_("**Then the quiz closes** and the group sees anonymous results, ready to talk about together."),
    ),
    (
        ("hours", "show"),
        # Translators: {button} is the attendance button's label, "Mark me present".
        N_("**At the meeting**, press **{button}**; once confirmed it counts in `/hours show`."),
    ),
    (
        ("feedback", "give"),
        N_("**After it**, three anonymous questions ask how supervision went for you (`/feedback give`)."),
    ),
)


def typed(path: CommandPath) -> str:
    """A command as typed, in English: ("quiz", "take") -> "quiz take"."""
    return " ".join(path)


def command_lines(commands: Iterable[tuple[CommandPath, str]], registered: set[str]) -> list[str]:
    """One line per command the bot has loaded: '`/quiz take` · what it does', in the reader's language."""
    return [shown_commands(f"`/{typed(path)}` · {_(what)}") for path, what in commands if typed(path) in registered]


def help_text(registered: set[str]) -> str:
    """The body of /help that everyone sees: how a week works and the members' commands."""
    button = _("Mark me present")  # the attendance post's button, as the meeting feature labels it
    steps = [
        shown_commands(_(step).format(button=button)) for needs, step in HOW_A_WEEK_WORKS if typed(needs) in registered
    ]
    parts = [_("**How a week works**"), *(f"{n}. {step}" for n, step in enumerate(steps, 1)), ""] if steps else []
    parts += [_("**Your commands**"), *command_lines(MEMBER_COMMANDS, registered)]
    return "\n".join(parts)


def supervisor_help_text(registered: set[str]) -> str:
    """The supervisors' own commands, shown to supervisors in a second card (one would pass Discord's limit)."""
    return "\n".join(command_lines(SUPERVISOR_COMMANDS, registered))


WELCOME = N_(
    "Hello! I'm **supervision-bot**: reflective prompts, anonymous countertransference check-ins and weekly "
    "quizzes on the therapeutic relationship, for clinical supervision groups.\n\n"
    "**To the server owner or anyone with Manage Server:** run `/setup` to choose the group's time zone, "
    "supervisor role, channels, meeting time and language; it then lists the next steps. Everyone can use "
    "`/help`."
)
