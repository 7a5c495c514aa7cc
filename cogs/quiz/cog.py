"""/quiz: take, practice, stats and leaderboard for members; open, close and settings for supervisors."""

from __future__ import annotations

import io
from datetime import date
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands
from discord.utils import format_dt

from bot import i18n
from bot.charts import personal_mastery_chart
from bot.checks import require_supervisor
from bot.content.elements import QUIZ_TOPICS, element_name
from bot.db.models import Fire, QuizSettings, QuizWeek
from bot.errors import retry_delay
from bot.i18n import _, ngettext, percent, pgettext
from bot.offload import draw
from bot.quiz_catalogue import group_catalogue
from bot.steps import StepFailed, Steps
from bot.ui import QUIZ_TOPIC_CHOICES
from bot.user_error import UserFacingError
from cogs.quiz import flow, outcomes
from cogs.quiz.bank import QuizBankCommands
from cogs.quiz.confidence import calibration_lines
from cogs.quiz.logic import most_missed, personal_mastery, streak, week_start
from cogs.quiz.remind import QuizRemindCommands
from cogs.quiz.runner import close_quiz, open_quiz, participation

if TYPE_CHECKING:
    from bot.client import SupervisionBot


class QuizCog(
    QuizBankCommands,
    QuizRemindCommands,
    commands.GroupCog,
    group_name="quiz",
    group_description="Weekly element quizzes",
):
    """Weekly quizzes on the elements of the therapeutic relationship."""

    def __init__(self, bot: SupervisionBot) -> None:
        self.bot = bot
        super().__init__()

    # Scheduled fires -------------------------------------------------------------------------

    # A fire's detail is recorded in English (cogs/quiz/outcomes.py), so its work runs in English too: a refusal
    # becomes the detail. open_quiz and close_quiz post to the group in the group's language all the same.

    @commands.Cog.listener()
    async def on_quiz_opens_due(self, fire: Fire) -> None:
        assert fire.guild_id is not None
        try:
            with i18n.speaking(i18n.SOURCE):
                quiz = await open_quiz(self.bot, fire.guild_id, fire.channel_id, fire.scheduled_for)
        except UserFacingError as reason:
            await self.bot.scheduler.finish(fire, "skipped", str(reason))
        except discord.HTTPException as error:
            await self.bot.scheduler.finish(fire, "failed", outcomes.not_posted(error), retry_in=retry_delay(error))
        else:
            await self.bot.scheduler.finish(fire, "posted", outcomes.opened(len(quiz.item_ids)))

    @commands.Cog.listener()
    async def on_quiz_closes_due(self, fire: Fire) -> None:
        assert fire.guild_id is not None
        pending = await self.bot.repos.quiz.awaiting_results(fire.guild_id)
        if not pending:
            await self.bot.scheduler.finish(fire, "skipped", outcomes.NO_QUIZ_OPEN)
            return
        done = []
        steps = await Steps.load(self.bot.repos.fires, fire)
        k = self.bot.config.quiz.min_group_size
        for quiz in pending:
            try:
                with i18n.speaking(i18n.SOURCE):
                    participants = await close_quiz(self.bot, quiz, fire.scheduled_for, steps)
            except StepFailed as failure:
                await self.bot.scheduler.finish(fire, "failed", failure.detail, retry_in=retry_delay(failure.error))
                return
            except UserFacingError as error:
                await self.bot.scheduler.finish(fire, "failed", outcomes.closed_refused(str(error)))
                return
            except discord.HTTPException as error:
                detail = outcomes.closed_not_posted(error)
                await self.bot.scheduler.finish(fire, "failed", detail, retry_in=retry_delay(error))
                return
            done.append(outcomes.results_posted(participants, k, fire.scheduled_for))
        await self.bot.scheduler.finish(fire, "posted", "; ".join(done))

    # Members ---------------------------------------------------------------------------------

    async def _current(self, guild_id: int) -> QuizWeek:
        quiz = await self.bot.repos.quiz.latest(guild_id)
        if quiz is None:
            raise UserFacingError(_("There is no quiz yet. When one opens, its button appears in the quiz channel."))
        return quiz

    @app_commands.command(name="take", description="Take (or resume) this week's quiz, privately")
    @app_commands.guild_only()
    async def take(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        await flow.show_quiz(self.bot, interaction, await self._current(interaction.guild_id), edit=False)

    @app_commands.command(name="practice", description="Unlimited private practice; never counted")
    @app_commands.guild_only()
    @app_commands.describe(element="Only questions on this element")
    @app_commands.choices(element=QUIZ_TOPIC_CHOICES)
    async def practice(self, interaction: discord.Interaction, element: app_commands.Choice[str] | None = None) -> None:
        await flow.practice_question(self.bot, interaction, element.value if element else None, edit=False)

    @app_commands.command(name="stats", description="Your private progress per element, streak and most-missed")
    @app_commands.guild_only()
    async def stats(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        history = await self.bot.repos.quiz.member_history(interaction.guild_id, interaction.user.id)
        if not history:
            await interaction.followup.send(
                _("You haven't answered a quiz question yet. Try `/quiz take`."), ephemeral=True
            )
            return
        catalogue = await group_catalogue(self.bot.repos, interaction.guild_id, interaction.guild)
        known = [(date.fromisoformat(h.week), catalogue.element_of(h.item_id), h.item_id, h.correct) for h in history]
        answers = [(w, e, c) for w, e, _i, c in known if e is not None]
        series = personal_mastery(answers)
        settings = await self.bot.repos.settings.get(interaction.guild_id)
        this_week = week_start(self.bot.scheduler.clock(), settings.timezone)
        weeks_in_a_row = streak({w for w, *_rest in known}, this_week)
        png, summary = await draw(personal_mastery_chart, series)
        lines = [
            _("**Weeks in a row:** {weeks}").format(weeks=weeks_in_a_row),
            "",
            _("**Accuracy by element** (all your counted answers):"),
        ]
        for element in sorted({e for _w, e, _c in answers}):
            mine = [c for _w, e, c in answers if e == element]
            # Translators: {share} is a percentage of {count} answers.
            share = _("- {element}: {share} of {count}").format(
                element=element_name(element), share=percent(sum(mine) / len(mine)), count=len(mine)
            )
            lines.append(share)
        missed = most_missed([(i, c) for _w, _e, i, c in known])
        if missed:
            lines += ["", _("**Most often missed:**")]
            for item_id, misses in missed:
                item = catalogue.get(item_id)
                stem = item.stem[:90] + "…" if item and len(item.stem) > 90 else (item.stem if item else item_id)
                # Translators: {question} is the start of a question's text; {count} how often the member missed it.
                lines.append(
                    _("- {question} (missed {count}×; try `/quiz practice`)").format(question=stem, count=misses)
                )
        lines += ["", _("**How sure you were, and how often you were right** (only you see this):")]
        lines += calibration_lines(
            await self.bot.repos.quiz.member_confidence(interaction.guild_id, interaction.user.id)
        )
        embed = discord.Embed(title=_("Your quiz progress"), description="\n".join(lines)[:4000])
        embed.set_image(url="attachment://my-progress.png")
        file = discord.File(io.BytesIO(png), filename="my-progress.png", description=summary[:1024])
        await interaction.followup.send(content=summary[:2000], embed=embed, file=file, ephemeral=True)

    @app_commands.command(name="leaderboard", description="The group's leaderboard, if supervisors turned it on")
    @app_commands.guild_only()
    async def leaderboard(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        if not (await self.bot.repos.quiz_settings.get(interaction.guild_id)).leaderboard:
            raise UserFacingError(
                _(
                    "The leaderboard is off here: private progress tends to help learning more than rankings. "
                    "Supervisors can turn it on with `/quiz settings leaderboard:True`."
                )
            )
        rows = await self.bot.repos.quiz.leaderboard(interaction.guild_id)
        lines = [
            # Translators: {place} is a rank (1, 2, ...); {member} a mention of the member.
            _("{place}. {member}: {right} right of {answered}").format(
                place=n, member=f"<@{r.user_id}>", right=r.correct, answered=r.answered
            )
            for n, r in enumerate(rows, 1)
        ]
        await interaction.response.send_message(
            "\n".join(lines) or _("Nobody has answered yet."),
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )

    # Supervisors ------------------------------------------------------------------------------

    @app_commands.command(name="open-now", description="Supervisors: open this week's quiz now")
    @app_commands.guild_only()
    async def open_now(self, interaction: discord.Interaction) -> None:
        await require_supervisor(self.bot, interaction)
        assert interaction.guild_id is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        quiz = await open_quiz(self.bot, interaction.guild_id, None, self.bot.scheduler.clock())
        count = len(quiz.item_ids)
        opened = ngettext(
            "Opened this week's quiz with {n} question in {channel}.",
            "Opened this week's quiz with {n} questions in {channel}.",
            count,
        ).format(n=count, channel=f"<#{quiz.channel_id}>")
        await interaction.followup.send(opened, ephemeral=True)

    @app_commands.command(name="close-now", description="Supervisors: close the open quiz and post the results")
    @app_commands.guild_only()
    async def close_now(self, interaction: discord.Interaction) -> None:
        await require_supervisor(self.bot, interaction)
        assert interaction.guild_id is not None
        open_quizzes = await self.bot.repos.quiz.open_quizzes(interaction.guild_id)
        if not open_quizzes:
            raise UserFacingError(_("No quiz is open."))
        await interaction.response.defer(ephemeral=True, thinking=True)
        now = self.bot.scheduler.clock()
        participants = await close_quiz(self.bot, open_quizzes[0], now)
        took_part = participation(participants, self.bot.config.quiz.min_group_size)
        # Translators: {when} is a date and time; {took_part} e.g. "3 members took part".
        closed = _("Closed {when}: results posted ({took_part}).").format(when=format_dt(now, "f"), took_part=took_part)
        await interaction.followup.send(closed, ephemeral=True)

    @app_commands.command(name="settings", description="Supervisors: focus rotation, quiz length, leaderboard")
    @app_commands.guild_only()
    @app_commands.describe(
        rotation="Elements in weekly order, comma-separated (e.g. empathy, supervision), or 'mixed'",
        questions="Questions per quiz (1-10)",
        leaderboard="Show a group leaderboard (off by default)",
    )
    async def settings(
        self,
        interaction: discord.Interaction,
        rotation: str | None = None,
        questions: app_commands.Range[int, 1, 10] | None = None,
        leaderboard: bool | None = None,
    ) -> None:
        await require_supervisor(self.bot, interaction)
        assert interaction.guild_id is not None
        current = await self.bot.repos.quiz_settings.get(interaction.guild_id)
        new_rotation = current.rotation
        if rotation is not None:
            # Ids as they are ("working_alliance"), or an element's name in English or the reader's language.
            spelled = [(n, e) for e in QUIZ_TOPICS for n in (e, QUIZ_TOPICS[e], element_name(e))]
            names = {_typed(v): e for n, e in spelled for v in (n, n.split(" (")[0])}  # "Kongruenz (Echtheit)"
            typed = [_typed(w) for w in rotation.split(",") if w.strip()]
            words = [names.get(w, w) for w in typed]
            unknown = [w for w in words if w not in QUIZ_TOPICS and w != "mixed"]
            if unknown:
                raise UserFacingError(
                    # Translators: the ids are typed as they are, in English ("empathy"); 'mixed' too.
                    _("Unknown element(s): {unknown}. Use: {known} (or 'mixed').").format(
                        unknown=", ".join(unknown)[:200], known=", ".join(QUIZ_TOPICS)
                    )
                )
            new_rotation = tuple(w for w in words if w != "mixed")
        updated = QuizSettings(
            interaction.guild_id,
            new_rotation,
            questions if questions is not None else current.questions,
            leaderboard if leaderboard is not None else current.leaderboard,
        )
        await self.bot.repos.quiz_settings.save(updated)
        focus = ", ".join(element_name(e) for e in updated.rotation) or _("mixed elements each week")
        count = updated.questions or self.bot.config.quiz.questions
        state = pgettext("leaderboard", "on") if updated.leaderboard else pgettext("leaderboard", "off")
        saved = ngettext(
            "Quiz settings: rotation **{focus}**; **{count}** question; leaderboard **{state}**.",
            "Quiz settings: rotation **{focus}**; **{count}** questions; leaderboard **{state}**.",
            count,
        ).format(focus=focus, count=count, state=state)
        await interaction.response.send_message(saved, ephemeral=True)


def _typed(text: str) -> str:
    """A rotation word as typed, compared without case, spaces or underscores."""
    return "".join(text.lower().split()).replace("_", "")
