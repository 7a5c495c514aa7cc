"""The check-in card, the text form and the identifying-detail warning; all ephemeral, all in memory."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import discord

from bot.period_limit import PeriodLimit
from bot.ui import GuardedModal, GuardedView
from bot.user_error import UserFacingError
from cogs.checkin.content_warning import CW_TEXT_LIMIT, CW_TOPICS, compose_warning
from cogs.checkin.detector import describe_flags, find_identifying_details
from cogs.checkin.logic import DIMENSION_HINTS, DIMENSIONS, TEXT_LIMIT
from cogs.checkin.service import Submission, save_checkin

if TYPE_CHECKING:
    from bot.client import SupervisionBot

CARD_TIMEOUT = 15 * 60
PRIVACY_NOTE = (
    "Only you see this. The check-in is stored without your name or user id, with the day only, in an order "
    "that says nothing about when it came; it is shared in the group digest in random order once enough have "
    "come in. Your own words or rare details could still identify you or a client, so keep them general. "
    "Limits: `/privacy info`."
    "\n\n-# This is a supervision tool, not therapy or an emergency service: if you or someone else is at risk, "
    "contact your local emergency number or a crisis line."
)


@dataclass
class Draft:
    """A check-in being composed; it lives only in memory until the member submits."""

    dimensions: tuple[str, ...] = ()
    intensity: int | None = None
    raise_it: bool = False
    share_text: bool = False
    text: str = ""
    cw_topic: str | None = None
    cw_words: str = ""

    def submission(self) -> Submission:
        """The draft as submitted; the card checks `problems()` is empty before this."""
        return Submission(
            self.dimensions,
            self.intensity or 1,
            self.raise_it,
            self.share_text,
            self.text,
            self.cw_topic,
            self.cw_words,
        )

    def problems(self) -> list[str]:
        """What still has to be chosen before the check-in can be saved."""
        wanted = []
        if not self.dimensions:
            wanted.append("what you noticed in yourself")
        if self.intensity is None:
            wanted.append("how strong it was")
        return wanted


def card_text(draft: Draft) -> str:
    """The card's message: what is chosen so far and what the toggles mean."""
    noticed = ", ".join(DIMENSIONS[d] for d in draft.dimensions) or "nothing chosen yet"
    strength = f"{draft.intensity}/5" if draft.intensity else "not chosen yet"
    warning = CW_TOPICS.get(draft.cw_topic or "", "none")
    return (
        "**Anonymous countertransference check-in**\n"
        f"Noticed: {noticed}\nIntensity: {strength}\n"
        f"Content warning over your shared words: {warning} (you can add your own words in the text form)\n"
        f"Raise it at the next meeting: **{'yes' if draft.raise_it else 'no'}** · "
        f"Share my words in the digest: **{'yes' if draft.share_text else 'no'}**\n\n{PRIVACY_NOTE}"
    )


async def finish(card: CheckInCard, interaction: discord.Interaction) -> None:
    """Save the card's draft and show the one-time withdrawal code."""
    assert interaction.guild_id is not None
    bot = card.bot
    settings = await bot.repos.settings.get(interaction.guild_id)
    code = await save_checkin(
        bot.repos.checkins,
        card.limit,
        guild_id=interaction.guild_id,
        user_id=interaction.user.id,
        timezone=settings.timezone,
        now=bot.scheduler.clock(),
        submission=card.draft.submission(),
    )
    text = (
        "✅ Saved anonymously. It will appear in the next digest once enough check-ins have come in.\n\n"
        f"Your withdrawal code: **`{code}`**\nIt is shown once, only to you. Keep it: with it you can read "
        "supervisors' replies to this check-in with `/checkin replies` and withdraw it with `/checkin withdraw`. "
        "The bot stores only a hash of it, so it can't send you replies or show you the code again."
    )
    if interaction.response.is_done():
        await interaction.followup.send(text, ephemeral=True)
    else:
        await interaction.response.edit_message(content=text, view=None)


class CheckInCard(GuardedView):
    """Choose dimensions, intensity and the two toggles, then write (or skip) the text."""

    card_name = "checkin"
    expired_hint = (
        "This check-in card has expired (cards last 15 minutes, and end when the bot restarts). Your draft "
        "was not saved and nothing of it was kept. Start again with `/checkin new`."
    )

    def __init__(self, bot: SupervisionBot, limit: PeriodLimit, owner: int) -> None:
        super().__init__(timeout=CARD_TIMEOUT)
        self.bot, self.limit, self.owner, self.draft = bot, limit, owner, Draft()
        self.dimensions.options = [
            discord.SelectOption(label=label, value=key, description=DIMENSION_HINTS[key][:100])
            for key, label in DIMENSIONS.items()
        ]
        self.dimensions.max_values = len(DIMENSIONS)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return interaction.user.id == self.owner

    async def _redraw(self, interaction: discord.Interaction) -> None:
        self.raise_toggle.label = f"Raise at meeting: {'yes' if self.draft.raise_it else 'no'}"
        self.share_toggle.label = f"Share my words: {'yes' if self.draft.share_text else 'no'}"
        await interaction.response.edit_message(content=card_text(self.draft), view=self)

    @discord.ui.select(
        cls=discord.ui.Select, placeholder="What did you notice in yourself? (choose one or more)", min_values=1, row=0
    )
    async def dimensions(self, interaction: discord.Interaction, select: discord.ui.Select) -> None:
        self.draft.dimensions = tuple(k for k in DIMENSIONS if k in select.values)
        await self._redraw(interaction)

    @discord.ui.select(
        placeholder="How strong was it? (1 faint, 5 overwhelming)",
        options=[discord.SelectOption(label=f"{n} of 5", value=str(n)) for n in range(1, 6)],
        row=1,
    )
    async def intensity(self, interaction: discord.Interaction, select: discord.ui.Select) -> None:
        self.draft.intensity = int(select.values[0])
        await self._redraw(interaction)

    @discord.ui.button(label="Raise at meeting: no", style=discord.ButtonStyle.secondary, row=2)
    async def raise_toggle(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.draft.raise_it = not self.draft.raise_it
        await self._redraw(interaction)

    @discord.ui.button(label="Share my words: no", style=discord.ButtonStyle.secondary, row=2)
    async def share_toggle(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.draft.share_text = not self.draft.share_text
        await self._redraw(interaction)

    @discord.ui.select(
        placeholder="Content warning for your shared words (optional)",
        options=[discord.SelectOption(label="No content warning", value="none")]
        + [discord.SelectOption(label=label, value=key) for key, label in CW_TOPICS.items()],
        row=4,
    )
    async def warning(self, interaction: discord.Interaction, select: discord.ui.Select) -> None:
        self.draft.cw_topic = select.values[0] if select.values[0] in CW_TOPICS else None
        await self._redraw(interaction)

    def _require_choices(self) -> None:
        missing = self.draft.problems()
        if missing:
            raise UserFacingError(f"First choose {' and '.join(missing)}.")

    @discord.ui.button(label="Write about it…", style=discord.ButtonStyle.primary, row=3)
    async def write(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self._require_choices()
        await interaction.response.send_modal(CheckInText(self))

    @discord.ui.button(label="Submit without text", style=discord.ButtonStyle.success, row=3)
    async def submit_plain(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self._require_choices()
        self.draft.text = ""
        self.stop()
        await finish(self, interaction)


class CheckInText(GuardedModal, title="What happened in you?"):
    """The optional reflection; over-long text is returned to the member, never lost."""

    card_name = "checkin-text"
    expired_hint = (
        "This check-in form expired before you sent it: the card behind it lasts 15 minutes and ends when "
        "the bot restarts. Start again with `/checkin new`."
    )

    reflection: discord.ui.TextInput[CheckInText] = discord.ui.TextInput(
        label="What stirred in you, and what might it say?",
        style=discord.TextStyle.paragraph,
        placeholder="What happened in you, and what might it tell you? No names or identifying details.",
        required=False,
        # Discord's own cap, so a long draft reaches us and can be handed back instead of being cut.
        max_length=4000,
    )

    warning_words: discord.ui.TextInput[CheckInText] = discord.ui.TextInput(
        label=f"Content warning, own words (max {CW_TEXT_LIMIT} chars)",
        placeholder="e.g. a client's loss; shown as 'CW: …' with your words hidden behind a spoiler",
        required=False,
        max_length=100,  # above our limit, so an over-long warning is handed back rather than cut
    )

    def __init__(self, card: CheckInCard) -> None:
        super().__init__(timeout=CARD_TIMEOUT)
        self.card = card
        self.reflection.default = card.draft.text or None
        self.warning_words.default = card.draft.cw_words or None

    async def on_submit(self, interaction: discord.Interaction) -> None:
        draft = self.card.draft
        draft.text = self.reflection.value or ""
        draft.cw_words = self.warning_words.value or ""
        try:
            compose_warning(draft.cw_topic, draft.cw_words)
        except ValueError as length:
            await interaction.response.send_message(
                f"Your content warning is {length} characters; the limit is {CW_TEXT_LIMIT}. Nothing was saved. "
                "Press **Edit my text** to shorten it: your text is kept.",
                view=FlagDecision(self.card, allow_submit=False),
                ephemeral=True,
            )
            return
        if len(draft.text) > TEXT_LIMIT:
            await interaction.response.send_message(
                f"Your text is {len(draft.text):,} characters; the limit is {TEXT_LIMIT:,}. Nothing was saved. "
                "Press **Edit my text** to shorten it: your text is kept.",
                view=FlagDecision(self.card, allow_submit=False),
                ephemeral=True,
            )
            return
        flags = find_identifying_details(draft.text)
        if flags:
            await interaction.response.send_message(
                f"Before saving: I noticed {describe_flags(flags)}. Details like these could identify a client "
                "or you. Edit the text, or submit it as it is.",
                view=FlagDecision(self.card, allow_submit=True),
                ephemeral=True,
            )
            return
        self.card.stop()
        await finish(self.card, interaction)


class FlagDecision(GuardedView):
    """Edit (the form reopens with the member's text) or submit anyway."""

    card_name = "checkin-check"
    expired_hint = (
        "This check-in expired before it was saved (cards last 15 minutes, and end when the bot restarts). "
        "Nothing was kept. Start again with `/checkin new`."
    )

    def __init__(self, card: CheckInCard, allow_submit: bool) -> None:
        super().__init__(timeout=CARD_TIMEOUT)
        self.card = card
        if not allow_submit:
            self.remove_item(self.submit_anyway)

    @discord.ui.button(label="Edit my text", style=discord.ButtonStyle.primary)
    async def edit(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.send_modal(CheckInText(self.card))

    @discord.ui.button(label="Submit anyway", style=discord.ButtonStyle.danger)
    async def submit_anyway(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.stop()
        self.card.stop()
        await finish(self.card, interaction)
