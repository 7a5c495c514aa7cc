"""The next-steps checklist shown after /setup: what is done, and the command for what is not."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from bot.command_translator import shown_commands
from bot.db.models import GuildSettings
from bot.i18n import N_, _
from cogs.admin.logic import SCHEDULE_KINDS, SCHEDULE_KINDS_IN_TEXT

DONE, PENDING = "✅", "⬜"
# Advice for after the settings are done; nothing the bot can tick off.
THEN = (
    N_("Tell the group to run `/help`; members who want prompts by DM use `/reflect subscribe`."),
    N_("After the first scheduled post, `/status` shows whether it went out, and why not if it didn't."),
)


def typed(*words: str) -> str:
    """A command with the options to fill in, as typed in English: `/setup meeting_day: meeting_time:`."""
    return f"`/{' '.join(words)}`"


@dataclass(frozen=True)
class Step:
    """One thing to set up: whether it is done, what it is, and how to do it (in the reader's language)."""

    done: bool
    what: str
    how: str


def next_steps(settings: GuildSettings, scheduled: Collection[str], language: str) -> list[Step]:
    """Return the steps in the order a supervisor would work through them; `language` is the group's, in words."""
    channels = (settings.prompts_channel_id, settings.quiz_channel_id, settings.digest_channel_id)
    missing = [_(SCHEDULE_KINDS_IN_TEXT[kind]) for kind in SCHEDULE_KINDS if kind not in scheduled]
    return [
        Step(settings.supervisor_role_id is not None, _("Supervisor role"), typed("setup", "supervisor_role:")),
        Step(
            all(channels),
            _("Channels for prompts, the quiz and the check-in digest"),
            typed("setup", "prompts_channel:", "quiz_channel:", "digest_channel:"),
        ),
        Step(
            settings.meeting_weekday is not None and settings.meeting_time is not None,
            _("Meeting day and time (the default schedules follow them)"),
            typed("setup", "meeting_day:", "meeting_time:"),
        ),
        Step(
            not missing,
            _("Schedules"),
            # Translators: {kinds} lists schedule kinds, e.g. "quiz opens, quiz closes".
            _("`/schedule set kind:` for each of: {kinds}; `/schedule list` shows them").format(
                kinds=", ".join(missing)
            ),
        ),
        Step(
            settings.locale is not None,
            # Translators: {language} is a language named in itself, e.g. "Deutsch".
            _("Optional: the group's language for its posts ({language})").format(language=language),
            _("`/setup language:` (until then, the server's language)"),
        ),
        Step(
            settings.support_line is not None,
            _("Optional: a support line shown beside the “not therapy” notice"),
            _("`/setup support_line:` (a crisis line or the programme's contact)"),
        ),
    ]


def checklist_text(steps: list[Step]) -> str:
    """Render the steps one per line, ticked or with the command that does them, then the advice."""
    lines = [
        f"{DONE} {step.what}"
        if step.done
        # Translators: a setup step still to do, and the command that does it.
        else f"{PENDING} " + _("{step}: {how}").format(step=step.what, how=step.how)
        for step in steps
    ]
    text = "\n".join([*lines, "", _("**Then**"), *(f"- {_(line)}" for line in THEN)])
    return shown_commands(text)
