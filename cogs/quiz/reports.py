"""Confidence taps, item reports from members, and the supervisors' queue of reports (`/quiz bank reports`)."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import TYPE_CHECKING

import discord

from bot.checks import require_supervisor
from bot.quiz_catalogue import group_catalogue, load_catalogue
from bot.text_hygiene import clean_text, neutralise_mentions
from bot.ui import GuardedModal, GuardedView, persistent_view
from bot.user_error import UserFacingError
from cogs.quiz import flow
from cogs.quiz.confidence import LEVELS, review_delay
from cogs.quiz.feedback_views import ReportAction

if TYPE_CHECKING:
    from bot.client import SupervisionBot

REPORT_REASONS: dict[str, str] = {
    "wrong_key": "The marked answer is wrong",
    "ambiguous": "More than one answer fits, or none does",
    "unclear": "The wording is unclear",
    "source": "Outdated, or the source doesn't say this",
    "other": "Something else",
}
DETAILS_LIMIT = 500
FORM_TIMEOUT = 15 * 60
ACTIONS_SHOWN = 10  # two buttons each: Discord allows 25 on a message
NO_PINGS = discord.AllowedMentions.none()


def _days(delay: timedelta) -> str:
    return "tomorrow" if delay.days == 1 else f"in {delay.days} days"


async def record_confidence(
    bot: SupervisionBot, interaction: discord.Interaction, quiz_id: int, position: int, level: int
) -> None:
    """Record how sure the member was of a counted answer and move the item in their own review schedule."""
    quiz = await bot.repos.quiz.get(quiz_id)
    if quiz is None or quiz.guild_id != interaction.guild_id or not 0 <= position < len(quiz.item_ids):
        raise UserFacingError("This quiz no longer exists.")
    answer = (await bot.repos.quiz.member_answers(quiz_id, interaction.user.id)).get(position)
    if answer is None:
        raise UserFacingError("Answer the question first; then you can say how sure you were.")
    if not await bot.repos.quiz.set_confidence(quiz_id, position, interaction.user.id, level):
        said = await bot.repos.quiz.confidence_of(quiz_id, position, interaction.user.id)
        raise UserFacingError(
            f"You already said how sure you were ({LEVELS.get(said or 0, '?').lower()}); the first tap counts."
        )
    item_id = quiz.item_ids[position]
    delay = review_delay(answer.correct, level)
    now = bot.scheduler.clock()
    await bot.repos.quiz_reviews.schedule(quiz.guild_id, interaction.user.id, item_id, now + delay if delay else None)
    note = f"Noted: **{LEVELS[level].lower()}**. Only you see this; group results never show how sure anyone was."
    if delay is not None:
        why = "A confident miss is worth another look" if level > 1 and not answer.correct else "Worth another look"
        note += f" {why}: it comes back in your `/quiz practice` {_days(delay)}."
    view = flow.feedback_view(quiz.id, position, len(quiz.item_ids), item_id, ask_confidence=False)
    await interaction.response.edit_message(content=note, view=view)


# --- members report an item --------------------------------------------------------------------------------


class ReasonPicker(GuardedView):
    """What is wrong with the question: a short list, then a form for the details."""

    card_name = "quiz-report"
    expired_hint = (
        "This report card has expired (cards last 15 minutes, and end when the bot restarts). Nothing was "
        "reported. Press **Report a problem with this question** again on the question."
    )

    def __init__(self, owner: int, item_id: str) -> None:
        super().__init__(timeout=FORM_TIMEOUT)
        self.owner, self.item_id = owner, item_id

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return interaction.user.id == self.owner

    @discord.ui.select(
        placeholder="What's wrong with this question?",
        options=[discord.SelectOption(label=label, value=key) for key, label in REPORT_REASONS.items()],
    )
    async def reason(self, interaction: discord.Interaction, select: discord.ui.Select) -> None:
        await interaction.response.send_modal(ReportForm(self.item_id, select.values[0]))


class ReportForm(GuardedModal, title="Report a problem with this question"):
    """The report's details; supervisors read them without the reporter's name."""

    card_name = "quiz-report-form"
    expired_hint = (
        "This report form expired before you sent it (the bot restarted while it was open). "
        "Press **Report a problem with this question** again on the question."
    )

    details: discord.ui.TextInput[ReportForm] = discord.ui.TextInput(
        label="What's wrong, in a sentence or two",
        style=discord.TextStyle.paragraph,
        placeholder="e.g. B is also defensible because … (supervisors see this without your name)",
        required=False,
        max_length=4000,  # Discord's cap: a long report is handed back, not cut
    )

    def __init__(self, item_id: str, reason: str, text: str = "") -> None:
        super().__init__(timeout=FORM_TIMEOUT)
        self.item_id, self.reason = item_id, reason
        self.details.default = text or None

    async def on_submit(self, interaction: discord.Interaction) -> None:
        bot: SupervisionBot = interaction.client  # type: ignore[assignment]
        await save_report(bot, interaction, self.item_id, self.reason, self.details.value or "")


class EditReport(GuardedView):
    """Reopen the report form with the member's text."""

    card_name = "quiz-report-edit"
    expired_hint = (
        "This button has expired (it lasts 15 minutes, and ends when the bot restarts), so the text it held "
        "is gone. Press **Report a problem with this question** again on the question."
    )

    def __init__(self, item_id: str, reason: str, text: str) -> None:
        super().__init__(timeout=FORM_TIMEOUT)
        self.item_id, self.reason, self.text = item_id, reason, text

    @discord.ui.button(label="Edit my text", style=discord.ButtonStyle.primary)
    async def edit(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.send_modal(ReportForm(self.item_id, self.reason, self.text))


async def choose_reason(bot: SupervisionBot, interaction: discord.Interaction, item_id: str) -> None:
    """Ask the member what is wrong with an item."""
    if interaction.guild_id is None:
        raise UserFacingError("Report questions from inside the server.")
    catalogue = await load_catalogue(bot.repos, interaction.guild_id)
    if catalogue.get(item_id) is None:
        raise UserFacingError("This question has been removed from the bank.")
    await interaction.response.send_message(
        "What's wrong with this question? Supervisors see your report without your name.",
        view=ReasonPicker(interaction.user.id, item_id),
        ephemeral=True,
    )


async def save_report(
    bot: SupervisionBot, interaction: discord.Interaction, item_id: str, reason: str, raw: str
) -> None:
    """Store the member's report; enough reports pause the item in this server until a supervisor looks."""
    assert interaction.guild_id is not None
    if reason not in REPORT_REASONS:
        raise UserFacingError("Choose what's wrong from the list.")
    details = clean_text(raw)
    if len(details) > DETAILS_LIMIT:
        await interaction.response.send_message(
            f"Your text is {len(details):,} characters; the limit is {DETAILS_LIMIT}. Nothing was saved. "
            "Press **Edit my text** to shorten it: your text is kept.",
            view=EditReport(item_id, reason, raw),
            ephemeral=True,
        )
        return
    k = bot.config.quiz.min_group_size
    paused = await bot.repos.quiz_reports.report(
        interaction.guild_id, item_id, interaction.user.id, reason, details or None, bot.scheduler.clock(), k
    )
    text = "Thank you: your report is in the supervisors' queue, without your name."
    if paused:
        text += " Enough members have reported this question that it is paused here until a supervisor looks."
    await interaction.response.send_message(text, ephemeral=True)


# --- supervisors' queue ------------------------------------------------------------------------------------


async def show_reports(bot: SupervisionBot, interaction: discord.Interaction) -> None:
    """List the server's open reports by item, paused items first, with keep and switch-off buttons."""
    await require_supervisor(bot, interaction)
    assert interaction.guild_id is not None
    reports = await bot.repos.quiz_reports.open_reports(interaction.guild_id)
    if not reports:
        await interaction.response.send_message(
            "No open reports. Members report questions from the feedback after answering.", ephemeral=True
        )
        return
    paused = await bot.repos.quiz_reports.paused(interaction.guild_id)
    catalogue = await group_catalogue(bot.repos, interaction.guild_id, interaction.guild)
    by_item: dict[str, list[str]] = defaultdict(list)
    for report in reports:
        detail = f": {neutralise_mentions(report.details)[:200]}" if report.details else ""
        by_item[report.item_id].append(f"  - {REPORT_REASONS.get(report.reason, report.reason)}{detail}")
    order = sorted(by_item, key=lambda i: (i not in paused, -len(by_item[i]), i))
    lines = [
        "**Reported questions** (no names). A question reported by "
        f"{bot.config.quiz.min_group_size} or more members is paused here until you keep it or switch it off."
    ]
    for item_id in order:
        item = catalogue.get(item_id)
        stem = (item.stem[:80] + "…") if item and len(item.stem) > 80 else (item.stem if item else "(removed)")
        state = " · **paused**" if item_id in paused else ""
        lines += [f"`{item_id}`{state} · {len(by_item[item_id])} report(s): {stem}", *by_item[item_id]]
    text = "\n".join(lines)
    if len(text) > 1990:
        text = text[:1960] + "\n…(more below the limit)"
    buttons = [ReportAction(a, i) for i in order[:ACTIONS_SHOWN] for a in ("resolve", "disable")]
    await interaction.response.send_message(
        text, view=persistent_view(*buttons), ephemeral=True, allowed_mentions=NO_PINGS
    )


async def act_on_reports(bot: SupervisionBot, interaction: discord.Interaction, action: str, item_id: str) -> None:
    """Keep an item (its reports are marked looked at and it is unpaused), or switch it off here."""
    await require_supervisor(bot, interaction)
    assert interaction.guild_id is not None
    now = bot.scheduler.clock()
    if action == "disable":
        await bot.repos.quiz_bank.disable(interaction.guild_id, item_id)
        closed = await bot.repos.quiz_reports.resolve(interaction.guild_id, item_id, now)
        text = f"`{item_id}` is switched off for this server; {closed} report(s) closed."
    else:
        closed = await bot.repos.quiz_reports.resolve(interaction.guild_id, item_id, now)
        text = f"`{item_id}` stays in use (unpaused); {closed} report(s) marked as looked at."
    await interaction.response.send_message(text, ephemeral=True)
