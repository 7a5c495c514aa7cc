"""What a member sees while taking, resuming and practising quizzes (ephemeral throughout)."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

import discord
from discord.utils import format_dt

from bot.content.banks import QuizItem
from bot.db.models import QuizWeek
from bot.db.repositories.quiz import AnswerOutcome
from bot.i18n import _
from bot.quiz_catalogue import group_catalogue
from bot.ui import persistent_view
from bot.user_error import UserFacingError
from cogs.quiz import views
from cogs.quiz.confidence import AGAIN_AFTER_A_MISS, LEVELS, review_delay
from cogs.quiz.feedback_views import Confidence, ReportItem
from cogs.quiz.render import LETTERS, feedback_embed, question_embed

if TYPE_CHECKING:
    from bot.client import SupervisionBot

_rng = random.SystemRandom()


async def _respond(interaction: discord.Interaction, edit: bool, **message: Any) -> None:
    if edit:
        await interaction.response.edit_message(**message)
    else:
        # send_message has no "clear" semantics: None for a view or embed means "leave it out".
        present = {key: value for key, value in message.items() if value is not None}
        await interaction.response.send_message(ephemeral=True, **present)


async def _quiz(bot: SupervisionBot, quiz_id: int, guild_id: int | None) -> QuizWeek:
    # A button from another server's quiz must not reveal anything here.
    quiz = None if guild_id is None else await bot.repos.quiz.in_server(guild_id, quiz_id)
    if quiz is None:
        raise UserFacingError(_("This quiz no longer exists."))
    return quiz


def _item(catalogue_item: QuizItem | None) -> QuizItem:
    if catalogue_item is None:
        raise UserFacingError(_("This question has been removed from the bank."))
    return catalogue_item


def feedback_view(quiz_id: int, position: int, total: int, item_id: str, *, ask_confidence: bool) -> discord.ui.View:
    """Under a counted answer's feedback: next question, how sure you were (optional), report the item."""
    next_button = views.NextQuestion(quiz_id)
    next_button.item.label = _("Next question") if position + 1 < total else _("See my score")
    sure = [Confidence(quiz_id, position, level) for level in LEVELS] if ask_confidence else []
    return persistent_view(next_button, *sure, ReportItem(item_id))


def with_report(view: discord.ui.View | None, item_id: str) -> discord.ui.View:
    """Add the report button to a practice view."""
    view = view or persistent_view()
    view.add_item(ReportItem(item_id))
    return view


def closed_note(quiz: QuizWeek) -> str:
    """Explain that a quiz is closed, with the date in the reader's zone."""
    assert quiz.closed_at is not None
    # Translators: {day} is a date, shown by Discord in the reader's own format.
    return _("This quiz closed on {day}, so answers no longer count.").format(day=format_dt(quiz.closed_at, "D"))


async def show_quiz(bot: SupervisionBot, interaction: discord.Interaction, quiz: QuizWeek, *, edit: bool) -> None:
    """Show the member's next unanswered question, or their finished summary; resumes where they stopped."""
    if not quiz.is_open:
        await _respond(
            interaction,
            edit,
            content=closed_note(quiz) + " " + _("You can go through its questions as practice instead."),
            embed=None,
            view=views.single(views.ReplayQuestion(quiz.id, 0), label=_("Practise these questions")),
        )
        return
    answered = await bot.repos.quiz.member_answers(quiz.id, interaction.user.id)
    total = len(quiz.item_ids)
    position = next((p for p in range(total) if p not in answered), None)
    if position is None:
        right = sum(a.correct for a in answered.values())
        await _respond(
            interaction,
            edit,
            content=_(
                "🎉 You've finished this week's quiz: **{right} of {total}** right. "
                "`/quiz stats` shows your progress over time; `/quiz practice` gives you more questions."
            ).format(right=right, total=total),
            embed=None,
            view=None,
        )
        return
    catalogue = await group_catalogue(bot.repos, quiz.guild_id, bot.get_guild(quiz.guild_id))
    item = _item(catalogue.get(quiz.item_ids[position]))
    heading = _("Question {number} of {total}").format(number=position + 1, total=total)
    buttons = [views.AnswerQuestion(quiz.id, position, i) for i in range(len(item.options))]
    await _respond(interaction, edit, content=None, embed=question_embed(item, heading), view=persistent_view(*buttons))


async def take(bot: SupervisionBot, interaction: discord.Interaction, quiz_id: int, *, edit: bool) -> None:
    """Open (or resume) a quiz for the member."""
    await show_quiz(bot, interaction, await _quiz(bot, quiz_id, interaction.guild_id), edit=edit)


async def answer(
    bot: SupervisionBot, interaction: discord.Interaction, quiz_id: int, position: int, choice: int
) -> None:
    """Count the member's first answer, then show whether it was right and why."""
    quiz = await _quiz(bot, quiz_id, interaction.guild_id)
    if not 0 <= position < len(quiz.item_ids):
        raise UserFacingError(_("That question is not part of this quiz."))
    catalogue = await group_catalogue(bot.repos, quiz.guild_id, bot.get_guild(quiz.guild_id))
    item = _item(catalogue.get(quiz.item_ids[position]))
    if not 0 <= choice < len(item.options):
        raise UserFacingError(_("That option does not exist."))
    now = bot.scheduler.clock()
    correct = choice == item.correct_index
    # A miss comes back in the member's own practice (how sure they were can bring it sooner); stored with
    # the answer, in one commit.
    delay = review_delay(correct, None)
    outcome = await bot.repos.quiz.record_answer(
        quiz, position, interaction.user.id, choice, correct, now, review_at=None if delay is None else now + delay
    )
    total = len(quiz.item_ids)
    heading = _("Question {number} of {total}").format(number=position + 1, total=total)
    if outcome is AnswerOutcome.ALREADY_ANSWERED:
        first = (await bot.repos.quiz.member_answers(quiz.id, interaction.user.id))[position]
        await interaction.response.send_message(
            _(
                "You already answered question {number} (you chose **{letter}**). "
                "Your first answer is the one that counts; nothing changed."
            ).format(number=position + 1, letter=LETTERS[first.choice]),
            ephemeral=True,
        )
        return
    if outcome is AnswerOutcome.CLOSED:
        closed = await _quiz(bot, quiz_id, interaction.guild_id)
        # Translators: {note} is the sentence saying when the quiz closed.
        note = _("Practice only: {note}").format(note=closed_note(closed).replace("*", ""))
        embed = feedback_embed(item, choice, heading, note=note)
        await interaction.response.edit_message(
            content=closed_note(closed),
            embed=embed,
            view=with_report(views.replay_next(quiz.id, position, total), item.id),
        )
        return
    await interaction.response.edit_message(
        content=_("How sure were you when you chose? (optional; only you see it)"),
        embed=feedback_embed(item, choice, heading),
        view=feedback_view(quiz.id, position, total, item.id, ask_confidence=True),
    )


async def replay(bot: SupervisionBot, interaction: discord.Interaction, quiz_id: int, position: int) -> None:
    """Show a question of a closed quiz as practice."""
    quiz = await _quiz(bot, quiz_id, interaction.guild_id)
    if position >= len(quiz.item_ids):
        await interaction.response.edit_message(
            content=_("That's all the questions of this quiz."), embed=None, view=None
        )
        return
    catalogue = await group_catalogue(bot.repos, quiz.guild_id, bot.get_guild(quiz.guild_id))
    item = _item(catalogue.get(quiz.item_ids[position]))
    heading = _("Practice · question {number} of {total}").format(number=position + 1, total=len(quiz.item_ids))
    buttons = [views.ReplayAnswer(quiz.id, position, i) for i in range(len(item.options))]
    await interaction.response.edit_message(
        content=None, embed=question_embed(item, heading), view=persistent_view(*buttons)
    )


async def replay_answer(
    bot: SupervisionBot, interaction: discord.Interaction, quiz_id: int, position: int, choice: int
) -> None:
    """Explain a practice answer to a closed quiz's question (nothing is stored)."""
    quiz = await _quiz(bot, quiz_id, interaction.guild_id)
    catalogue = await group_catalogue(bot.repos, quiz.guild_id, bot.get_guild(quiz.guild_id))
    item = _item(catalogue.get(quiz.item_ids[min(position, len(quiz.item_ids) - 1)]))
    if not 0 <= choice < len(item.options):
        raise UserFacingError(_("That option does not exist."))
    heading = _("Practice · question {number} of {total}").format(number=position + 1, total=len(quiz.item_ids))
    await interaction.response.edit_message(
        embed=feedback_embed(item, choice, heading, note=_("Practice: not counted.")),
        view=with_report(views.replay_next(quiz.id, position, len(quiz.item_ids)), item.id),
    )


async def practice_question(
    bot: SupervisionBot, interaction: discord.Interaction, element: str | None, *, edit: bool
) -> None:
    """Show a random practice question, optionally from one element; nothing is stored."""
    if interaction.guild_id is None:
        raise UserFacingError(_("Practice works inside a server, where its question bank lives."))
    catalogue = await group_catalogue(bot.repos, interaction.guild_id, interaction.guild)
    pool = catalogue.selectable(element)
    if not pool:
        raise UserFacingError(_("There are no questions for that element yet."))
    # Items due in the member's own review schedule come first, most overdue first.
    due = await bot.repos.quiz_reviews.due(interaction.guild_id, interaction.user.id, bot.scheduler.clock())
    usable = {item.id: item for item in pool}
    review = next((usable[d.item_id] for d in due if d.item_id in usable), None)
    item = review or _rng.choice(pool)
    buttons = [views.PracticeAnswer(item.id, i, element) for i in range(len(item.options))]
    embed = question_embed(item, _("Review question: you missed this one") if review else _("Practice question"))
    await _respond(interaction, edit, content=None, embed=embed, view=persistent_view(*buttons))


async def practice_answer(
    bot: SupervisionBot, interaction: discord.Interaction, item_id: str, choice: int, element: str | None
) -> None:
    """Explain a practice answer and offer another question."""
    assert interaction.guild_id is not None
    catalogue = await group_catalogue(bot.repos, interaction.guild_id, interaction.guild)
    item = _item(catalogue.get(item_id))
    if not 0 <= choice < len(item.options):
        raise UserFacingError(_("That option does not exist."))
    note = _("Practice: not counted in group results.")
    due_at = await bot.repos.quiz_reviews.get(interaction.guild_id, interaction.user.id, item.id)
    if due_at is not None and due_at <= bot.scheduler.clock():
        # A due review answered right leaves the schedule; missed again, it comes back tomorrow.
        right = choice == item.correct_index
        again = None if right else bot.scheduler.clock() + AGAIN_AFTER_A_MISS
        await bot.repos.quiz_reviews.schedule(interaction.guild_id, interaction.user.id, item.id, again)
        note += " " + (_("Review done: it leaves your schedule.") if right else _("It comes back tomorrow."))
    await interaction.response.edit_message(
        embed=feedback_embed(item, choice, _("Practice"), note=note),
        view=with_report(views.single(views.PracticeNext(element), label=_("Another question")), item.id),
    )
