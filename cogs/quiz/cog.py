"""/quiz: take, practice, stats and leaderboard for members; open, close and settings for supervisors."""

from __future__ import annotations

import io
from datetime import date
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.charts import personal_mastery_chart
from bot.checks import require_supervisor
from bot.content.elements import QUIZ_TOPICS, element_name
from bot.db.models import Fire, QuizSettings, QuizWeek
from bot.errors import retry_delay
from bot.offload import draw
from bot.quiz_catalogue import group_catalogue
from bot.steps import StepFailed, Steps, discord_error
from bot.ui import QUIZ_TOPIC_CHOICES
from bot.user_error import UserFacingError
from cogs.quiz import flow
from cogs.quiz.bank import QuizBankCommands
from cogs.quiz.confidence import calibration_lines
from cogs.quiz.logic import most_missed, personal_mastery, streak, week_start
from cogs.quiz.remind import QuizRemindCommands
from cogs.quiz.runner import close_quiz, open_quiz

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

    @commands.Cog.listener()
    async def on_quiz_opens_due(self, fire: Fire) -> None:
        assert fire.guild_id is not None
        try:
            quiz = await open_quiz(self.bot, fire.guild_id, fire.channel_id, fire.scheduled_for)
        except UserFacingError as reason:
            await self.bot.scheduler.finish(fire, "skipped", str(reason))
        except discord.HTTPException as error:
            detail = f"not posted ({discord_error(error)})"
            await self.bot.scheduler.finish(fire, "failed", detail, retry_in=retry_delay(error))
        else:
            await self.bot.scheduler.finish(fire, "posted", f"opened with {len(quiz.item_ids)} questions")

    @commands.Cog.listener()
    async def on_quiz_closes_due(self, fire: Fire) -> None:
        assert fire.guild_id is not None
        pending = await self.bot.repos.quiz.awaiting_results(fire.guild_id)
        if not pending:
            await self.bot.scheduler.finish(fire, "skipped", "no quiz was open")
            return
        outcomes = []
        steps = await Steps.load(self.bot.repos.fires, fire)
        for quiz in pending:
            try:
                outcomes.append(await close_quiz(self.bot, quiz, fire.scheduled_for, steps))
            except StepFailed as failure:
                await self.bot.scheduler.finish(fire, "failed", failure.detail, retry_in=retry_delay(failure.error))
                return
            except UserFacingError as error:
                await self.bot.scheduler.finish(fire, "failed", f"closed, but results not posted: {error}")
                return
            except discord.HTTPException as error:
                detail = f"closed, but results not posted ({discord_error(error)})"
                await self.bot.scheduler.finish(fire, "failed", detail, retry_in=retry_delay(error))
                return
        await self.bot.scheduler.finish(fire, "posted", "; ".join(outcomes))

    # Members ---------------------------------------------------------------------------------

    async def _current(self, guild_id: int) -> QuizWeek:
        quiz = await self.bot.repos.quiz.latest(guild_id)
        if quiz is None:
            raise UserFacingError("There is no quiz yet. When one opens, its button appears in the quiz channel.")
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
                "You haven't answered a quiz question yet. Try `/quiz take`.", ephemeral=True
            )
            return
        catalogue = await group_catalogue(self.bot.repos, interaction.guild_id, interaction.guild)
        known = [(date.fromisoformat(h.week), catalogue.element_of(h.item_id), h.item_id, h.correct) for h in history]
        answers = [(w, e, c) for w, e, _, c in known if e is not None]
        series = personal_mastery(answers)
        settings = await self.bot.repos.settings.get(interaction.guild_id)
        this_week = week_start(self.bot.scheduler.clock(), settings.timezone)
        weeks_in_a_row = streak({w for w, *_ in known}, this_week)
        png, summary = await draw(personal_mastery_chart, series)
        lines = [f"**Weeks in a row:** {weeks_in_a_row}", "", "**Accuracy by element** (all your counted answers):"]
        for element in sorted({e for _, e, _ in answers}):
            mine = [c for _, e, c in answers if e == element]
            lines.append(f"- {element_name(element)}: {round(100 * sum(mine) / len(mine))}% of {len(mine)}")
        missed = most_missed([(i, c) for _, _, i, c in known])
        if missed:
            lines += ["", "**Most often missed:**"]
            for item_id, misses in missed:
                item = catalogue.get(item_id)
                stem = item.stem[:90] + "…" if item and len(item.stem) > 90 else (item.stem if item else item_id)
                lines.append(f"- {stem} (missed {misses}×; try `/quiz practice`)")
        lines += ["", "**How sure you were, and how often you were right** (only you see this):"]
        lines += calibration_lines(
            await self.bot.repos.quiz.member_confidence(interaction.guild_id, interaction.user.id)
        )
        embed = discord.Embed(title="Your quiz progress", description="\n".join(lines)[:4000])
        embed.set_image(url="attachment://my-progress.png")
        file = discord.File(io.BytesIO(png), filename="my-progress.png", description=summary[:1024])
        await interaction.followup.send(content=summary[:2000], embed=embed, file=file, ephemeral=True)

    @app_commands.command(name="leaderboard", description="The group's leaderboard, if supervisors turned it on")
    @app_commands.guild_only()
    async def leaderboard(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        if not (await self.bot.repos.quiz.settings(interaction.guild_id)).leaderboard:
            raise UserFacingError(
                "The leaderboard is off here: private progress tends to help learning more than rankings. "
                "Supervisors can turn it on with `/quiz settings leaderboard:True`."
            )
        rows = await self.bot.repos.quiz.leaderboard(interaction.guild_id)
        lines = [f"{n}. <@{r.user_id}>: {r.correct} right of {r.answered}" for n, r in enumerate(rows, 1)]
        await interaction.response.send_message(
            "\n".join(lines) or "Nobody has answered yet.",
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
        await interaction.followup.send(
            f"Opened this week's quiz with {len(quiz.item_ids)} questions in <#{quiz.channel_id}>.", ephemeral=True
        )

    @app_commands.command(name="close-now", description="Supervisors: close the open quiz and post the results")
    @app_commands.guild_only()
    async def close_now(self, interaction: discord.Interaction) -> None:
        await require_supervisor(self.bot, interaction)
        assert interaction.guild_id is not None
        open_quizzes = await self.bot.repos.quiz.open_quizzes(interaction.guild_id)
        if not open_quizzes:
            raise UserFacingError("No quiz is open.")
        await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await close_quiz(self.bot, open_quizzes[0], self.bot.scheduler.clock())
        await interaction.followup.send(f"Closed: {outcome}.", ephemeral=True)

    @app_commands.command(name="settings", description="Supervisors: focus rotation, quiz length, leaderboard")
    @app_commands.guild_only()
    @app_commands.describe(
        rotation="Element ids in weekly order, comma-separated (e.g. empathy, supervision), or 'mixed'",
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
        current = await self.bot.repos.quiz.settings(interaction.guild_id)
        new_rotation = current.rotation
        if rotation is not None:
            words = [w.strip().lower().replace(" ", "_") for w in rotation.split(",") if w.strip()]
            unknown = [w for w in words if w not in QUIZ_TOPICS and w != "mixed"]
            if unknown:
                raise UserFacingError(
                    f"Unknown element(s): {', '.join(unknown)[:200]}. Use: {', '.join(QUIZ_TOPICS)} (or 'mixed')."
                )
            new_rotation = tuple(w for w in words if w != "mixed")
        updated = QuizSettings(
            interaction.guild_id,
            new_rotation,
            questions if questions is not None else current.questions,
            leaderboard if leaderboard is not None else current.leaderboard,
        )
        await self.bot.repos.quiz.save_settings(updated)
        focus = ", ".join(element_name(e) for e in updated.rotation) or "mixed elements each week"
        await interaction.response.send_message(
            f"Quiz settings: rotation **{focus}**; **{updated.questions or self.bot.config.quiz.questions}** "
            f"questions; leaderboard **{'on' if updated.leaderboard else 'off'}**.",
            ephemeral=True,
        )
