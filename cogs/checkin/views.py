"""The check-in card, the text form and the identifying-detail warning; all ephemeral, all in memory."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import discord

from bot.command_translator import shown_commands
from bot.i18n import N_, _, listing, number, pgettext
from bot.period_limit import PeriodLimit
from bot.ui import GuardedModal, GuardedView
from bot.user_error import UserFacingError
from cogs.checkin.content_warning import CW_TEXT_LIMIT, CW_TOPICS, compose_warning, topic_label
from cogs.checkin.detector import describe_flags, find_identifying_details
from cogs.checkin.logic import DIMENSIONS, TEXT_LIMIT, dimension_hint, dimension_label
from cogs.checkin.service import Submission, save_checkin

if TYPE_CHECKING:
    from bot.client import SupervisionBot

CARD_TIMEOUT = 15 * 60
# The content-warning menu's value for "No content warning".
NO_WARNING = "none"
PRIVACY_NOTE = N_(
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
        """What still has to be chosen before the check-in can be saved, in the current language."""
        wanted = []
        if not self.dimensions:
            wanted.append(_("what you noticed in yourself"))
        if self.intensity is None:
            wanted.append(_("how strong it was"))
        return wanted


def yes_no(value: bool) -> str:
    """'yes' or 'no' as the card's toggles say it."""
    return pgettext("toggle", "yes") if value else pgettext("toggle", "no")


def card_text(draft: Draft) -> str:
    """The card's message: what is chosen so far and what the toggles mean."""
    noticed = ", ".join(dimension_label(d) for d in draft.dimensions) or _("nothing chosen yet")
    strength = f"{draft.intensity}/5" if draft.intensity else _("not chosen yet")
    warning = topic_label(draft.cw_topic) if draft.cw_topic in CW_TOPICS else pgettext("content warning", "none")
    return _(
        "**Anonymous countertransference check-in**\n"
        "Noticed: {noticed}\nIntensity: {strength}\n"
        "Content warning over your shared words: {warning} (you can add your own words in the text form)\n"
        "Raise it at the next meeting: **{raise_it}** · Share my words in the digest: **{share}**\n\n{privacy}"
    ).format(
        noticed=noticed,
        strength=strength,
        warning=warning,
        raise_it=yes_no(draft.raise_it),
        share=yes_no(draft.share_text),
        privacy=shown_commands(_(PRIVACY_NOTE)),
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
    text = shown_commands(
        _(
            "✅ Saved anonymously. It will appear in the next digest once enough check-ins have come in.\n\n"
            "Your withdrawal code: **`{code}`**\nIt is shown once, only to you. Keep it: with it you can read "
            "supervisors' replies to this check-in with `/checkin replies` and withdraw it with `/checkin withdraw`. "
            "The bot stores only a hash of it, so it can't send you replies or show you the code again."
        )
    ).format(code=code)
    if interaction.response.is_done():
        await interaction.followup.send(text, ephemeral=True)
    else:
        await interaction.response.edit_message(content=text, view=None)


class CheckInCard(GuardedView):
    """Choose dimensions, intensity and the two toggles, then write (or skip) the text."""

    card_name = "checkin"
    expired_hint = N_(
        "This check-in card has expired (cards last 15 minutes, and end when the bot restarts). Your draft "
        "was not saved and nothing of it was kept. Start again with `/checkin new`."
    )

    def __init__(self, bot: SupervisionBot, limit: PeriodLimit, owner: int) -> None:
        super().__init__(timeout=CARD_TIMEOUT)
        self.bot, self.limit, self.owner, self.draft = bot, limit, owner, Draft()
        # Every label is set here, per card, in the language of the member who opened it.
        self.dimensions.placeholder = _("What did you notice in yourself? (choose one or more)")
        self.dimensions.options = [
            discord.SelectOption(label=dimension_label(key), value=key, description=dimension_hint(key)[:100])
            for key in DIMENSIONS
        ]
        self.dimensions.max_values = len(DIMENSIONS)
        self.intensity.placeholder = _("How strong was it? (1 faint, 5 overwhelming)")
        self.intensity.options = [
            discord.SelectOption(label=_("{n} of 5").format(n=n), value=str(n)) for n in range(1, 6)
        ]
        self.warning.placeholder = _("Content warning for your shared words (optional)")
        self.warning.options = [discord.SelectOption(label=_("No content warning"), value=NO_WARNING)] + [
            discord.SelectOption(label=topic_label(key), value=key) for key in CW_TOPICS
        ]
        self.write.label = _("Write about it…")
        self.submit_plain.label = _("Submit without text")
        self._label_toggles()

    def _label_toggles(self) -> None:
        self.raise_toggle.label = _("Raise at meeting: {answer}").format(answer=yes_no(self.draft.raise_it))
        self.share_toggle.label = _("Share my words: {answer}").format(answer=yes_no(self.draft.share_text))

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return interaction.user.id == self.owner

    async def _redraw(self, interaction: discord.Interaction) -> None:
        self._label_toggles()
        await interaction.response.edit_message(content=card_text(self.draft), view=self)

    @discord.ui.select(cls=discord.ui.Select, min_values=1, row=0)
    async def dimensions(self, interaction: discord.Interaction, select: discord.ui.Select) -> None:
        self.draft.dimensions = tuple(k for k in DIMENSIONS if k in select.values)
        await self._redraw(interaction)

    @discord.ui.select(cls=discord.ui.Select, row=1)
    async def intensity(self, interaction: discord.Interaction, select: discord.ui.Select) -> None:
        self.draft.intensity = int(select.values[0])
        await self._redraw(interaction)

    @discord.ui.button(style=discord.ButtonStyle.secondary, row=2)
    async def raise_toggle(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.draft.raise_it = not self.draft.raise_it
        await self._redraw(interaction)

    @discord.ui.button(style=discord.ButtonStyle.secondary, row=2)
    async def share_toggle(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.draft.share_text = not self.draft.share_text
        await self._redraw(interaction)

    @discord.ui.select(cls=discord.ui.Select, row=4)
    async def warning(self, interaction: discord.Interaction, select: discord.ui.Select) -> None:
        self.draft.cw_topic = select.values[0] if select.values[0] in CW_TOPICS else None
        await self._redraw(interaction)

    def _require_choices(self) -> None:
        missing = self.draft.problems()
        if missing:
            # Translators: {missing} lists what is still to choose, e.g. "what you noticed and how strong it was".
            raise UserFacingError(_("First choose {missing}.").format(missing=listing(missing)))

    @discord.ui.button(style=discord.ButtonStyle.primary, row=3)
    async def write(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self._require_choices()
        await interaction.response.send_modal(CheckInText(self))

    @discord.ui.button(style=discord.ButtonStyle.success, row=3)
    async def submit_plain(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self._require_choices()
        self.draft.text = ""
        self.stop()
        await finish(self, interaction)


class CheckInText(GuardedModal):
    """The optional reflection; over-long text is returned to the member, never lost."""

    card_name = "checkin-text"
    expired_hint = N_(
        "This check-in form expired before you sent it: the card behind it lasts 15 minutes and ends when "
        "the bot restarts. Start again with `/checkin new`."
    )

    def __init__(self, card: CheckInCard) -> None:
        super().__init__(title=_("What happened in you?"), timeout=CARD_TIMEOUT)
        self.card = card
        # The fields are made per form, in the member's language; fixed custom ids keep them the same field in
        # every form (a form reopened with Edit is filled in the same way).
        self.reflection: discord.ui.TextInput[CheckInText] = discord.ui.TextInput(
            label=_("What stirred in you, and what might it say?"),
            custom_id="reflection",
            style=discord.TextStyle.paragraph,
            placeholder=_("What happened in you, and what might it tell you? No names or identifying details."),
            default=card.draft.text or None,
            required=False,
            # Discord's own cap, so a long draft reaches us and can be handed back instead of being cut.
            max_length=4000,
        )
        self.warning_words: discord.ui.TextInput[CheckInText] = discord.ui.TextInput(
            label=_("Content warning, own words (max {limit} chars)").format(limit=CW_TEXT_LIMIT),
            custom_id="warning_words",
            placeholder=_("e.g. a client's loss; shown as 'CW: …' with your words hidden behind a spoiler"),
            default=card.draft.cw_words or None,
            required=False,
            max_length=100,  # above our limit, so an over-long warning is handed back rather than cut
        )
        self.add_item(self.reflection)
        self.add_item(self.warning_words)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        draft = self.card.draft
        draft.text = self.reflection.value or ""
        draft.cw_words = self.warning_words.value or ""
        try:
            compose_warning(draft.cw_topic, draft.cw_words)
        except ValueError as length:
            await interaction.response.send_message(
                _(
                    "Your content warning is {length} characters; the limit is {limit}. Nothing was saved. "
                    "Press **Edit my text** to shorten it: your text is kept."
                ).format(length=number(length.args[0]), limit=number(CW_TEXT_LIMIT)),
                view=FlagDecision(self.card, allow_submit=False),
                ephemeral=True,
            )
            return
        if len(draft.text) > TEXT_LIMIT:
            await interaction.response.send_message(
                _(
                    "Your text is {length} characters; the limit is {limit}. Nothing was saved. "
                    "Press **Edit my text** to shorten it: your text is kept."
                ).format(length=number(len(draft.text)), limit=number(TEXT_LIMIT)),
                view=FlagDecision(self.card, allow_submit=False),
                ephemeral=True,
            )
            return
        flags = find_identifying_details(draft.text)
        if flags:
            await interaction.response.send_message(
                # Translators: {details} lists what was found, e.g. "a phone number (07700 900123), a date (3 May)".
                _(
                    "Before saving: I noticed {details}. Details like these could identify a client "
                    "or you. Edit the text, or submit it as it is."
                ).format(details=describe_flags(flags)),
                view=FlagDecision(self.card, allow_submit=True),
                ephemeral=True,
            )
            return
        self.card.stop()
        await finish(self.card, interaction)


class FlagDecision(GuardedView):
    """Edit (the form reopens with the member's text) or submit anyway."""

    card_name = "checkin-check"
    expired_hint = N_(
        "This check-in expired before it was saved (cards last 15 minutes, and end when the bot restarts). "
        "Nothing was kept. Start again with `/checkin new`."
    )

    def __init__(self, card: CheckInCard, allow_submit: bool) -> None:
        super().__init__(timeout=CARD_TIMEOUT)
        self.card = card
        self.edit.label = _("Edit my text")
        self.submit_anyway.label = _("Submit anyway")
        if not allow_submit:
            self.remove_item(self.submit_anyway)

    @discord.ui.button(style=discord.ButtonStyle.primary)
    async def edit(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.send_modal(CheckInText(self.card))

    @discord.ui.button(style=discord.ButtonStyle.danger)
    async def submit_anyway(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.stop()
        self.card.stop()
        await finish(self.card, interaction)
