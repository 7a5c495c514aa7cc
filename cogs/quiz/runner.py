"""Open and close a server's weekly quiz: selection, the channel post, and the group results."""

from __future__ import annotations

import io
import random
from datetime import date, datetime
from typing import TYPE_CHECKING

import discord

from bot import i18n
from bot.accuracy import accuracy_by_element
from bot.channels import server_channel
from bot.charts import group_accuracy_chart
from bot.db.models import QuizWeek
from bot.fire_times import next_fire
from bot.i18n import _, ngettext
from bot.languages import group_locale
from bot.offload import draw
from bot.quiz_catalogue import group_catalogue, load_catalogue
from bot.steps import StepFailed, Steps
from bot.ui import embed_batches, persistent_view
from bot.user_error import UserFacingError
from cogs.quiz import outcomes
from cogs.quiz.history import history_from_usage
from cogs.quiz.logic import focus_element, quiz_pool, select_items, week_start
from cogs.quiz.render import announcement_embed, result_embed
from cogs.quiz.views import TakeQuiz

if TYPE_CHECKING:
    from bot.client import SupervisionBot


async def open_quiz(bot: SupervisionBot, guild_id: int, channel_id: int | None, now: datetime) -> QuizWeek:
    """Choose this week's questions, store the quiz, and post its button to the quiz channel."""
    repos = bot.repos
    settings = await repos.settings.get(guild_id)
    channel_id = channel_id or settings.quiz_channel_id
    if channel_id is None:
        raise UserFacingError(_("No quiz channel is set. Choose one with `/setup quiz_channel:`."))
    quiz_settings = await repos.quiz_settings.get(guild_id)
    week = week_start(now, settings.timezone)
    catalogue = await load_catalogue(repos, guild_id)
    focus = focus_element(quiz_settings.rotation, week)
    count = quiz_settings.questions or bot.config.quiz.questions
    history = history_from_usage(await repos.quiz.item_usage(guild_id))
    pool = quiz_pool(catalogue.selectable(), quiz_settings.rotation)
    items = select_items(pool, history, week, count, focus, random.Random())
    if not items:
        raise UserFacingError(_("The question bank has no usable items. Re-enable some with `/quiz bank list`."))
    closes = await repos.schedules.get_kind(guild_id, "quiz_closes")
    closes_at = next_fire(closes, now) if closes is not None else None
    quiz = await repos.quiz.create_week(
        guild_id, week.isoformat(), focus, channel_id, [i.id for i in items], now, closes_at
    )
    if quiz is None:
        existing = await repos.quiz.for_week(guild_id, week.isoformat())
        # A quiz whose announcement never got through (Discord down) is announced now instead.
        if existing is None or not existing.is_open or existing.message_id is not None:
            raise UserFacingError(_("This week's quiz is already open. Close it first with `/quiz close-now`."))
        quiz = existing
    channel = server_channel(bot, guild_id, channel_id)
    if not isinstance(channel, discord.abc.Messageable):
        raise UserFacingError(
            _("I can't see the quiz channel <#{channel}>. Check it with `/setup`.").format(channel=channel_id)
        )
    # The post is the group's whoever opens it (the schedule, or a supervisor's /quiz open-now): its language.
    with i18n.speaking(await group_locale(repos, guild_id, bot.get_guild(guild_id))):
        message = await channel.send(  # a failure here leaves the quiz unannounced, to be retried
            embed=announcement_embed(quiz.focus, len(quiz.item_ids), quiz.closes_at),
            view=persistent_view(TakeQuiz(quiz.id)),
            # If the reply to a post that did land is lost, the retry gets that same message back.
            nonce=f"svq{quiz.id}.open",
        )
    await repos.quiz.set_message(quiz.id, message.id)
    return quiz


async def close_quiz(bot: SupervisionBot, quiz: QuizWeek, now: datetime, steps: Steps | None = None) -> int:
    """Close the quiz and post the group's anonymous results; return how many members took part.

    The results speak the group's language, whoever closes the quiz; a refusal speaks the caller's.
    """
    repos = bot.repos
    # A quiz closed earlier whose results never got through (Discord down) has them posted now.
    if not await repos.quiz.close(quiz.id, now) and await repos.quiz.results_posted(quiz.id):
        raise UserFacingError(_("That quiz is already closed."))
    channel = server_channel(bot, quiz.guild_id, quiz.channel_id)
    if not isinstance(channel, discord.abc.Messageable):
        raise UserFacingError(
            _("I can't see the quiz channel <#{channel}> to post the results.").format(channel=quiz.channel_id)
        )
    catalogue = await group_catalogue(repos, quiz.guild_id, bot.get_guild(quiz.guild_id))
    choices = await repos.quiz.choices_by_position(quiz.id)
    participants = await repos.quiz.participation(quiz.id)
    k = bot.config.quiz.min_group_size
    with i18n.speaking(await group_locale(repos, quiz.guild_id, bot.get_guild(quiz.guild_id))):
        question_embeds = []
        for position, item_id in enumerate(quiz.item_ids):
            item = catalogue.get(item_id)
            if item is None:
                continue
            counts = [0] * len(item.options)
            for choice in choices.get(position, []):
                counts[choice] += 1
            question_embeds.append(result_embed(position + 1, item, counts, k))

        series = accuracy_by_element(await repos.quiz.item_usage(quiz.guild_id), catalogue.element_of, min_members=k)
        png, summary = await draw(group_accuracy_chart, series)
        week = i18n.day(date.fromisoformat(quiz.week), "medium")
        explanation = _(
            "Below: the share of the group that chose each option (no names; shown only where {k} or more "
            "answered), and why the right answer is right. The chart shows an element's week only when {k} or more "
            "members answered it."
        ).format(k=k)
        header = discord.Embed(
            # Translators: {week} is the date of the Monday the quiz week starts.
            title=_("📊 Quiz results · week of {week}").format(week=week),
            description=f"{took_part(participants, k)} {explanation}",
            colour=discord.Colour.blurple(),
        )
        header.set_image(url="attachment://group-accuracy.png")
        header.set_footer(text=_("Chart: {summary}").format(summary=summary)[:2048])
        chunks = embed_batches([header, *question_embeds])
        first_id = await _post_results(channel, quiz, chunks, png, summary, steps)
    await repos.quiz.set_results_message(quiz.id, first_id)
    return participants


async def _post_results(
    channel: discord.abc.Messageable,
    quiz: QuizWeek,
    chunks: list[list[discord.Embed]],
    png: bytes,
    summary: str,
    steps: Steps | None,
) -> int:
    """Post the results' messages, skipping any a failed earlier attempt already posted; return the first's id."""
    ids: list[int] = []
    for index, chunk in enumerate(chunks):
        step = f"results{quiz.id}.{index}"
        done = steps.value(step) if steps is not None else None
        if done is not None:
            ids.append(int(done))
            continue
        file = discord.File(io.BytesIO(png), filename="group-accuracy.png", description=summary[:1024])
        try:
            message = await channel.send(
                embeds=chunk,
                file=file if index == 0 else discord.utils.MISSING,
                # discord.py's send() overloads leave out None, which send() itself takes to mean "pick a nonce".
                nonce=steps.nonce(step) if steps is not None else None,  # type: ignore[arg-type]
            )
        except discord.HTTPException as error:
            if not ids:
                raise
            raise StepFailed(outcomes.partly_posted(len(ids), len(chunks)), outcomes.REST_NOT_POSTED, error) from error
        if steps is not None:
            await steps.mark(step, message.id)
        ids.append(message.id)
    return ids[0]


def took_part(participants: int, k: int) -> str:
    """How many took part, without an exact count below k, as a sentence."""
    if participants == 0:
        return _("Nobody took part.")
    if participants < k:
        return _("Fewer than {k} members took part.").format(k=k)
    return ngettext("{n} member took part.", "{n} members took part.", participants).format(n=participants)


def participation(participants: int, k: int) -> str:
    """How many took part, without an exact count below k, inside a sentence."""
    if participants == 0:
        return _("nobody took part")
    if participants < k:
        return _("fewer than {k} members took part").format(k=k)
    return ngettext("{n} member took part", "{n} members took part", participants).format(n=participants)
