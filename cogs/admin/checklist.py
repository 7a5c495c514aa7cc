"""The next-steps checklist shown after /setup: what is done, and the command for what is not."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from bot.db.models import GuildSettings
from cogs.admin.logic import SCHEDULE_KINDS

DONE, PENDING = "✅", "⬜"
# Advice for after the settings are done; nothing the bot can tick off.
THEN = (
    "Tell the group to run `/help`; members who want prompts by DM use `/reflect subscribe`.",
    "After the first scheduled post, `/status` shows whether it went out, and why not if it didn't.",
)


@dataclass(frozen=True)
class Step:
    """One thing to set up: whether it is done, what it is, and how to do it."""

    done: bool
    what: str
    how: str


def next_steps(settings: GuildSettings, scheduled: Collection[str]) -> list[Step]:
    """Return the steps in the order a supervisor would work through them."""
    channels = (settings.prompts_channel_id, settings.quiz_channel_id, settings.digest_channel_id)
    missing = [SCHEDULE_KINDS[kind].lower() for kind in SCHEDULE_KINDS if kind not in scheduled]
    return [
        Step(settings.supervisor_role_id is not None, "Supervisor role", "`/setup supervisor_role:`"),
        Step(
            all(channels),
            "Channels for prompts, the quiz and the check-in digest",
            "`/setup prompts_channel: quiz_channel: digest_channel:`",
        ),
        Step(
            settings.meeting_weekday is not None and settings.meeting_time is not None,
            "Meeting day and time (the default schedules follow them)",
            "`/setup meeting_day: meeting_time:`",
        ),
        Step(
            not missing,
            "Schedules",
            f"`/schedule set kind:` for each of: {', '.join(missing)}; `/schedule list` shows them",
        ),
        Step(
            settings.support_line is not None,
            "Optional: a support line shown beside the “not therapy” notice",
            "`/setup support_line:` (a crisis line or the programme's contact)",
        ),
    ]


def checklist_text(steps: list[Step]) -> str:
    """Render the steps one per line, ticked or with the command that does them, then the advice."""
    lines = [f"{DONE} {step.what}" if step.done else f"{PENDING} {step.what}: {step.how}" for step in steps]
    return "\n".join([*lines, "", "**Then**", *(f"- {line}" for line in THEN)])
