"""Persistent reflect buttons and the reflection form.

The flows build these buttons, so they reach the flows through JOURNAL and PROMPTS, bound by the
feature's setup.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

import discord

from bot.flows import FlowBinding
from bot.i18n import N_, _
from bot.ui import GuardedModal, button, client_of, guarded
from bot.user_error import UserFacingError

if TYPE_CHECKING:
    from bot.client import SupervisionBot


class JournalFlows(Protocol):
    """What the journal's buttons and form start (cogs.reflect.journal_flow)."""

    async def save_entry(
        self, bot: SupervisionBot, interaction: discord.Interaction, guild_id: int, prompt_id: str | None, body: str
    ) -> None: ...

    async def show_page(
        self, bot: SupervisionBot, interaction: discord.Interaction, page: int, *, edit: bool
    ) -> None: ...

    async def delete_step(
        self, bot: SupervisionBot, interaction: discord.Interaction, entry_id: int, step: str
    ) -> None: ...

    async def share_entry(self, bot: SupervisionBot, interaction: discord.Interaction, entry_id: int) -> None: ...


class PromptFlows(Protocol):
    """What the "Another prompt" button starts (cogs.reflect.prompt_flow)."""

    async def show_prompt(
        self, bot: SupervisionBot, interaction: discord.Interaction, element: str | None, *, edit: bool
    ) -> None: ...


JOURNAL: FlowBinding[JournalFlows] = FlowBinding("journal")
PROMPTS: FlowBinding[PromptFlows] = FlowBinding("reflective prompt")

JOURNAL_MAX = 4000


class ReflectionForm(GuardedModal):
    """The journal entry form; text is saved exactly as written."""

    card_name = "journal"
    expired_hint = N_(
        "This reflection form expired before you sent it (the bot restarted while it was open). "
        "Open a fresh one with `/reflect prompt` and its **Write a reflection** button."
    )

    def __init__(self, guild_id: int, prompt_id: str | None) -> None:
        super().__init__(title=_("Write a reflection"))
        self.guild_id, self.prompt_id = guild_id, prompt_id
        # Made per form, in the member's language.
        self.body: discord.ui.TextInput[ReflectionForm] = discord.ui.TextInput(
            label=_("Your reflection (private to you)"),
            custom_id="body",
            style=discord.TextStyle.paragraph,
            max_length=JOURNAL_MAX,
            placeholder=_("Stay with your own experience; leave out anything that could identify a client."),
        )
        self.add_item(self.body)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await JOURNAL.flows.save_entry(
            client_of(interaction), interaction, self.guild_id, self.prompt_id, self.body.value
        )


class WriteReflection(
    discord.ui.DynamicItem[discord.ui.Button], template=r"sv:reflect:write:(?P<guild>\d+):(?P<prompt>[a-z0-9_-]*)"
):
    """Open the reflection form; carries the server so it works from a DM too."""

    def __init__(self, guild_id: int, prompt_id: str | None) -> None:
        super().__init__(
            button(
                f"sv:reflect:write:{guild_id}:{prompt_id or ''}", _("Write a reflection"), discord.ButtonStyle.primary
            )
        )
        self.guild_id, self.prompt_id = guild_id, prompt_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> WriteReflection:
        return cls(int(match["guild"]), match["prompt"] or None)

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(ReflectionForm(self.guild_id, self.prompt_id))


class AnotherPrompt(discord.ui.DynamicItem[discord.ui.Button], template=r"sv:reflect:another:(?P<element>[a-z_]*)"):
    """Show another on-demand prompt."""

    def __init__(self, element: str | None) -> None:
        super().__init__(button(f"sv:reflect:another:{element or ''}", _("Another prompt")))
        self.element = element

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> AnotherPrompt:
        return cls(match["element"] or None)

    async def callback(self, interaction: discord.Interaction) -> None:
        work = PROMPTS.flows.show_prompt(client_of(interaction), interaction, self.element, edit=True)
        await guarded(interaction, "reflect another", work)


class ShareEntry(discord.ui.DynamicItem[discord.ui.Button], template=r"sv:reflect:share:(?P<entry>\d+)"):
    """Share one of your own entries into the week's group thread, under your own name."""

    def __init__(self, entry_id: int) -> None:
        super().__init__(button(f"sv:reflect:share:{entry_id}", _("Share in the group thread (with my name)")))
        self.entry_id = entry_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ShareEntry:
        return cls(int(match["entry"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(
            interaction, "reflect share", JOURNAL.flows.share_entry(client_of(interaction), interaction, self.entry_id)
        )


class JournalPage(
    discord.ui.DynamicItem[discord.ui.Button], template=r"sv:reflect:page:(?P<page>-?\d+):(?P<label>[a-z]+)"
):
    """Move between journal pages."""

    def __init__(self, page: int, label: str) -> None:
        text = _("◀ Newer") if label == "prev" else _("Older ▶")
        super().__init__(button(f"sv:reflect:page:{page}:{label}", text))
        self.page = page

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> JournalPage:
        if match["label"] not in ("prev", "next"):
            raise UserFacingError(_("Unknown button."))
        return cls(int(match["page"]), match["label"])

    async def callback(self, interaction: discord.Interaction) -> None:
        work = JOURNAL.flows.show_page(client_of(interaction), interaction, self.page, edit=True)
        await guarded(interaction, "reflect journal page", work)


class DeleteEntry(
    discord.ui.DynamicItem[discord.ui.Button], template=r"sv:reflect:delete:(?P<entry>\d+):(?P<step>ask|yes|no)"
):
    """Delete one of your entries, after a confirmation."""

    # English here, translated where the button is made.
    LABELS: ClassVar[dict[str, str]] = {"ask": N_("Delete #{id}"), "yes": N_("Yes, delete #{id}"), "no": N_("Keep it")}

    def __init__(self, entry_id: int, step: str) -> None:
        style = discord.ButtonStyle.danger if step != "no" else discord.ButtonStyle.secondary
        label = _(self.LABELS[step]).format(id=entry_id)
        super().__init__(button(f"sv:reflect:delete:{entry_id}:{step}", label, style))
        self.entry_id, self.step = entry_id, step

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> DeleteEntry:
        return cls(int(match["entry"]), match["step"])

    async def callback(self, interaction: discord.Interaction) -> None:
        work = JOURNAL.flows.delete_step(client_of(interaction), interaction, self.entry_id, self.step)
        await guarded(interaction, "reflect delete", work)


DYNAMIC_ITEMS = (WriteReflection, AnotherPrompt, ShareEntry, JournalPage, DeleteEntry)
