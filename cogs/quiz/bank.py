"""/quiz bank: supervisors add, import, list and switch off items; custom items stay in their server."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.checks import require_supervisor
from bot.content.banks import quiz_bank, quiz_item_from, read_bank
from bot.content.elements import QUIZ_TOPICS, element_name
from bot.content.lint import lint_bank
from bot.content.localise import content_language
from bot.content.validation import (
    EXPLANATION_MAX,
    OPTION_TEXT_MAX,
    SOURCE_MAX,
    STEM_MAX,
    check_locale,
    check_quiz_item,
)
from bot.languages import group_locale
from bot.quiz_catalogue import group_catalogue, load_catalogue
from bot.ui import QUIZ_TOPIC_CHOICES, GuardedModal, GuardedView
from bot.user_error import UserFacingError
from cogs.quiz.item_stats import show_item_stats
from cogs.quiz.reports import show_reports

if TYPE_CHECKING:
    from bot.client import SupervisionBot

IMPORT_MAX_BYTES = 256 * 1024


def _problem_list(problems: list[Any], limit: int = 1500) -> str:
    text = "\n".join(f"- {p.file}: item {p.item}: {p.field}: {p.message}" for p in problems)
    return text if len(text) <= limit else text[:limit] + f"\n…and more ({len(problems)} problems in all)"


async def _taken_ids(bot: SupervisionBot, guild_id: int) -> set[str]:
    return {item.id for item in quiz_bank()} | await bot.repos.quiz_bank.custom_ids(guild_id)


def item_from_form(element: str, difficulty: int, kind: str, values: dict[str, str]) -> dict[str, Any]:
    """Turn the add-item form into an item table; '*' marks the correct option."""
    options = [line.strip() for line in values["options"].splitlines() if line.strip()]
    explanations = [line.strip() for line in values["explanations"].splitlines() if line.strip()]
    if len(options) != len(explanations):
        raise UserFacingError(
            f"You gave {len(options)} option(s) but {len(explanations)} explanation(s): one explanation per "
            "option, in the same order."
        )
    return {
        "id": f"custom-{secrets.token_hex(4)}",
        "element": element,
        "kind": kind,
        "difficulty": difficulty,
        "stem": values["stem"].strip(),
        "source": values["source"].strip(),
        "options": [
            {"text": o.lstrip("*").strip(), "explanation": e, "correct": o.startswith("*")}
            for o, e in zip(options, explanations, strict=True)
        ],
    }


class AddItemModal(GuardedModal, title="New quiz item"):
    """The form for one new item; on a problem the member can reopen it with their text intact."""

    card_name = "quiz-item"
    expired_hint = "This form expired before you sent it (the bot restarted). Open a fresh one with `/quiz bank add`."

    stem: discord.ui.TextInput[AddItemModal] = discord.ui.TextInput(
        label="Question (a short vignette is best)", style=discord.TextStyle.paragraph, max_length=STEM_MAX
    )
    options: discord.ui.TextInput[AddItemModal] = discord.ui.TextInput(
        label="Options, one per line; * marks the right one",
        style=discord.TextStyle.paragraph,
        max_length=5 * (OPTION_TEXT_MAX + 3),
    )
    explanations: discord.ui.TextInput[AddItemModal] = discord.ui.TextInput(
        label="Why each is right or wrong, one per line",
        style=discord.TextStyle.paragraph,
        max_length=5 * (EXPLANATION_MAX + 1),
    )
    source: discord.ui.TextInput[AddItemModal] = discord.ui.TextInput(
        label="Source: author (year), work", max_length=SOURCE_MAX
    )

    def __init__(self, bot: SupervisionBot, element: str, difficulty: int, kind: str, values: dict[str, str]) -> None:
        super().__init__()
        self.bot, self.element, self.difficulty, self.kind = bot, element, difficulty, kind
        for name, value in values.items():
            getattr(self, name).default = value

    def values(self) -> dict[str, str]:
        return {name: getattr(self, name).value for name in ("stem", "options", "explanations", "source")}

    async def on_submit(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        values = self.values()
        try:
            item = item_from_form(self.element, self.difficulty, self.kind, values)
            problems = check_quiz_item(item, "form", await _taken_ids(self.bot, interaction.guild_id))
            if problems:
                raise UserFacingError("That item isn't valid yet:\n" + _problem_list(problems))
        except UserFacingError as error:
            retry = RetryAddItem(self.bot, self.element, self.difficulty, self.kind, values)
            await interaction.response.send_message(f"{error}\nNothing was saved.", view=retry, ephemeral=True)
            return
        # Written in the form for this group: taken to be in the group's language, so never tagged as foreign.
        language = content_language(await group_locale(self.bot.repos, interaction.guild_id, interaction.guild))
        await self.bot.repos.quiz_bank.add_items(
            interaction.guild_id, [{**item, "locale": language}], self.bot.scheduler.clock()
        )
        await interaction.response.send_message(
            f"Saved **{item['id']}** ({element_name(self.element)}). It belongs to this server and can appear "
            "in future quizzes and practice.",
            ephemeral=True,
        )


class RetryAddItem(GuardedView):
    """Reopen the add-item form with what the member already typed."""

    card_name = "quiz-item-retry"
    expired_hint = (
        "This button has expired (it lasts 15 minutes, and ends when the bot restarts), so the text you "
        "typed is no longer held. Write the item again with `/quiz bank add`."
    )

    def __init__(self, bot: SupervisionBot, element: str, difficulty: int, kind: str, values: dict[str, str]) -> None:
        super().__init__(timeout=900)
        self.args = (bot, element, difficulty, kind, values)

    @discord.ui.button(label="Edit and try again", style=discord.ButtonStyle.primary)
    async def retry(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.send_modal(AddItemModal(*self.args))


# The mixin's commands are bound to the cog it is mixed into; the type checker must see it as one.
if TYPE_CHECKING:
    _CogMixin = commands.Cog
else:
    _CogMixin = object


class QuizBankCommands(_CogMixin):
    """The /quiz bank sub-commands, mixed into the quiz cog."""

    bot: SupervisionBot
    bank = app_commands.Group(name="bank", description="Supervisors: the server's question bank")

    @bank.command(name="add", description="Write a new item for this server")
    @app_commands.describe(
        element="The element it tests",
        difficulty="1 easy, 2 medium, 3 hard",
        kind="A vignette (applies an idea) or a concept question",
    )
    @app_commands.choices(
        element=QUIZ_TOPIC_CHOICES,
        kind=[
            app_commands.Choice(name="Vignette", value="vignette"),
            app_commands.Choice(name="Concept", value="concept"),
        ],
    )
    async def bank_add(
        self,
        interaction: discord.Interaction,
        element: app_commands.Choice[str],
        difficulty: app_commands.Range[int, 1, 3] = 2,
        kind: app_commands.Choice[str] | None = None,
    ) -> None:
        await require_supervisor(self.bot, interaction)
        modal = AddItemModal(self.bot, element.value, difficulty, kind.value if kind else "vignette", {})
        await interaction.response.send_modal(modal)

    @bank.command(name="import", description="Import items from a TOML file; all or nothing")
    @app_commands.describe(file="A .toml file with [[items]] tables (see the README for the format)")
    async def bank_import(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        await require_supervisor(self.bot, interaction)
        assert interaction.guild_id is not None
        if not file.filename.lower().endswith(".toml"):
            raise UserFacingError(f"“{file.filename[:60]}” is not a .toml file. Export your items as TOML.")
        if file.size > IMPORT_MAX_BYTES:
            raise UserFacingError(f"That file is {file.size // 1024} KiB; the limit is {IMPORT_MAX_BYTES // 1024} KiB.")
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            text = (await file.read()).decode("utf-8")
        except UnicodeDecodeError:
            raise UserFacingError("That file is not UTF-8 text. Save it as UTF-8 and try again.") from None
        bank = read_bank(
            text, file.filename, "items", check_quiz_item, await _taken_ids(self.bot, interaction.guild_id)
        )
        # The file says at its top which language its items are in (`locale = "de"`); none means English.
        language, locale_problems = check_locale(bank.locale, file.filename)
        problems = locale_problems + bank.problems
        if problems:
            raise UserFacingError(f"Nothing was imported. Fix these and try again:\n{_problem_list(problems)}")
        items = [{**raw, "element": raw.get("element", bank.element), "locale": language} for raw in bank.entries]
        await self.bot.repos.quiz_bank.add_items(interaction.guild_id, items, self.bot.scheduler.clock())
        warnings = [str(f) for f in lint_bank([quiz_item_from(raw, raw["element"]) for raw in items]) if not f.ok]
        note = "\nSurface cues to review (warnings only):\n" + "\n".join(f"- {w}" for w in warnings) if warnings else ""
        await interaction.followup.send(f"Imported {len(items)} item(s) into this server's bank.{note}", ephemeral=True)

    @bank.command(name="list", description="Items per element, this server's own items, and switched-off ones")
    @app_commands.describe(element="List this element's items")
    @app_commands.choices(element=QUIZ_TOPIC_CHOICES)
    async def bank_list(
        self, interaction: discord.Interaction, element: app_commands.Choice[str] | None = None
    ) -> None:
        await require_supervisor(self.bot, interaction)
        assert interaction.guild_id is not None
        catalogue = await group_catalogue(self.bot.repos, interaction.guild_id, interaction.guild)
        if element is None:
            lines = ["**Items per element** (usable / switched off / this server's own):"]
            for key, name in QUIZ_TOPICS.items():
                ids = [i.id for i in catalogue.items.values() if i.element == key]
                off = sum(i in catalogue.disabled for i in ids)
                own = sum(i in catalogue.custom for i in ids)
                lines.append(f"- {name}: {len(ids) - off} / {off} / {own}")
            lines.append("\nPick an element to see its items and ids.")
        else:
            lines = [f"**{element.name}**"]
            for item in sorted(catalogue.items.values(), key=lambda i: i.id):
                if item.element != element.value:
                    continue
                flags = (" (off)" if item.id in catalogue.disabled else "") + (
                    " (this server's)" if item.id in catalogue.custom else ""
                )
                lines.append(f"`{item.id}`{flags}: {item.stem[:70]}…")
        text = "\n".join(lines)
        await interaction.response.send_message(text[:1990], ephemeral=True)

    @bank.command(name="disable", description="Switch an item off for this server")
    @app_commands.describe(item_id="The item's id, from /quiz bank list")
    async def bank_disable(self, interaction: discord.Interaction, item_id: str) -> None:
        await require_supervisor(self.bot, interaction)
        assert interaction.guild_id is not None
        catalogue = await load_catalogue(self.bot.repos, interaction.guild_id)
        if catalogue.get(item_id.strip()) is None:
            raise UserFacingError(f"No item has the id “{item_id[:60]}”. Find ids with `/quiz bank list`.")
        changed = await self.bot.repos.quiz_bank.disable(interaction.guild_id, item_id.strip())
        await interaction.response.send_message(
            f"`{item_id.strip()}` is {'now' if changed else 'already'} switched off for this server.", ephemeral=True
        )

    @bank.command(name="reports", description="Questions members reported as wrong or ambiguous; keep or switch off")
    async def bank_reports(self, interaction: discord.Interaction) -> None:
        await show_reports(self.bot, interaction)

    @bank.command(name="stats", description="How each item performs: facility, option picks, discrimination")
    async def bank_stats(self, interaction: discord.Interaction) -> None:
        await show_item_stats(self.bot, interaction)
