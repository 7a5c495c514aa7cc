"""Meeting controls: persistent buttons (attendance, feedback, DM snooze) and the private cards they open."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import discord

from bot.db.repositories.meetings import Meeting
from bot.flows import FlowBinding
from bot.i18n import N_, _, listing, ngettext, pgettext
from bot.ui import GuardedModal, GuardedView, button, client_of, guarded, persistent_view
from bot.user_error import UserFacingError
from cogs.meeting.logic import FEEDBACK_ITEMS, SCALE, WORDS_LIMIT

if TYPE_CHECKING:
    from bot.client import SupervisionBot

CARD_TIMEOUT = 15 * 60
NO_PINGS = discord.AllowedMentions.none()
SENT = N_(
    "✅ Thank you: your answer is saved, without your name. Supervisors see the group's figures once the questions "
    "close, and only if enough members answered."
)


@dataclass
class FeedbackDraft:
    """An answer being composed; it lives only in memory until the member sends it."""

    goals: int | None = None
    tasks: int | None = None
    bond: int | None = None
    words: str = ""

    def missing(self) -> list[str]:
        """The questions not answered yet, by name, in the current language."""
        return [_(item.name) for item in FEEDBACK_ITEMS if getattr(self, item.key) is None]


class MeetingFlows(Protocol):
    """What the meeting's controls start (cogs.meeting.flows)."""

    async def mark_present(self, bot: SupervisionBot, interaction: discord.Interaction, meeting_id: int) -> None: ...

    async def answerable_meeting(
        self, bot: SupervisionBot, guild_id: int, user_id: int, meeting_id: int
    ) -> Meeting: ...

    def feedback_intro(self, meeting: Meeting) -> str: ...

    async def save_answer(
        self, bot: SupervisionBot, guild_id: int, user_id: int, meeting_id: int, draft: FeedbackDraft
    ) -> None: ...

    def clean_words(self, raw: str) -> str: ...

    async def later(
        self, bot: SupervisionBot, interaction: discord.Interaction, guild_id: int, meeting_id: int
    ) -> str: ...

    async def skip(
        self, bot: SupervisionBot, interaction: discord.Interaction, guild_id: int, meeting_id: int
    ) -> str: ...

    async def add_people(
        self, bot: SupervisionBot, interaction: discord.Interaction, meeting_id: int, users: list[int]
    ) -> str: ...

    async def remove_people(
        self, bot: SupervisionBot, interaction: discord.Interaction, meeting_id: int, users: list[int]
    ) -> str: ...

    async def confirm_everyone(
        self, bot: SupervisionBot, interaction: discord.Interaction, meeting_id: int
    ) -> tuple[int, str]: ...

    async def remove_meeting(self, bot: SupervisionBot, interaction: discord.Interaction, meeting_id: int) -> str: ...


FLOWS: FlowBinding[MeetingFlows] = FlowBinding("meeting")


# --- persistent buttons ------------------------------------------------------------------------------


class MarkPresent(discord.ui.DynamicItem[discord.ui.Button], template=r"sv:meeting:present:(?P<meeting>\d+)"):
    """The channel button members press at the meeting (labelled in the language it is posted in)."""

    def __init__(self, meeting_id: int) -> None:
        label = _("Mark me present")
        super().__init__(button(f"sv:meeting:present:{meeting_id}", label, discord.ButtonStyle.success))
        self.meeting_id = meeting_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> MarkPresent:
        return cls(int(match["meeting"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        work = FLOWS.flows.mark_present(client_of(interaction), interaction, self.meeting_id)
        await guarded(interaction, "meeting-present", work)


class GiveFeedback(
    discord.ui.DynamicItem[discord.ui.Button], template=r"sv:meeting:feedback:(?P<guild>\d+):(?P<meeting>\d+)"
):
    """Open the three questions about a meeting, privately: in the channel, or in a member's DM."""

    def __init__(self, guild_id: int, meeting_id: int) -> None:
        label = _("Answer three questions (anonymous)")
        super().__init__(button(f"sv:meeting:feedback:{guild_id}:{meeting_id}", label, discord.ButtonStyle.primary))
        self.guild_id, self.meeting_id = guild_id, meeting_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> GiveFeedback:
        return cls(int(match["guild"]), int(match["meeting"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, "meeting-feedback", open_feedback_card(interaction, self.guild_id, self.meeting_id))


async def open_feedback_card(interaction: discord.Interaction, guild_id: int, meeting_id: int) -> None:
    """Show the member the private feedback card, if they may still answer."""
    if interaction.guild_id is not None and interaction.guild_id != guild_id:
        raise UserFacingError(_("This button belongs to another server."))
    bot = client_of(interaction)
    meeting = await FLOWS.flows.answerable_meeting(bot, guild_id, interaction.user.id, meeting_id)
    card = FeedbackCard(bot, interaction.user.id, guild_id, meeting_id)
    await interaction.response.send_message(card.text(FLOWS.flows.feedback_intro(meeting)), view=card, ephemeral=True)


class LaterButton(
    discord.ui.DynamicItem[discord.ui.Button], template=r"sv:meeting:later:(?P<guild>\d+):(?P<meeting>\d+)"
):
    """Put a feedback DM off for an hour; it comes back once."""

    def __init__(self, guild_id: int, meeting_id: int) -> None:
        super().__init__(button(f"sv:meeting:later:{guild_id}:{meeting_id}", _("Later (1 h)")))
        self.guild_id, self.meeting_id = guild_id, meeting_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> LaterButton:
        return cls(int(match["guild"]), int(match["meeting"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, "meeting-later", self._later(interaction))

    async def _later(self, interaction: discord.Interaction) -> None:
        note = await FLOWS.flows.later(client_of(interaction), interaction, self.guild_id, self.meeting_id)
        await replace_snooze_buttons(interaction, note, persistent_view(GiveFeedback(self.guild_id, self.meeting_id)))


class SkipButton(
    discord.ui.DynamicItem[discord.ui.Button], template=r"sv:meeting:skip:(?P<guild>\d+):(?P<meeting>\d+)"
):
    """Let a feedback DM go: no reminder about this meeting comes back."""

    def __init__(self, guild_id: int, meeting_id: int) -> None:
        super().__init__(button(f"sv:meeting:skip:{guild_id}:{meeting_id}", _("Skip this one")))
        self.guild_id, self.meeting_id = guild_id, meeting_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> SkipButton:
        return cls(int(match["guild"]), int(match["meeting"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, "meeting-skip", self._skip(interaction))

    async def _skip(self, interaction: discord.Interaction) -> None:
        note = await FLOWS.flows.skip(client_of(interaction), interaction, self.guild_id, self.meeting_id)
        await replace_snooze_buttons(interaction, note, None)


async def replace_snooze_buttons(interaction: discord.Interaction, note: str, view: discord.ui.View | None) -> None:
    """Edit the DM: its text with the note added, and only the buttons that still mean something."""
    content = interaction.message.content if interaction.message else ""
    await interaction.response.edit_message(content=f"{content}\n\n{note}"[:2000], view=view)


def feedback_dm_view(guild_id: int, meeting_id: int) -> discord.ui.View:
    """The feedback DM's buttons: answer, put off for an hour, or skip."""
    return persistent_view(
        GiveFeedback(guild_id, meeting_id), LaterButton(guild_id, meeting_id), SkipButton(guild_id, meeting_id)
    )


DYNAMIC_ITEMS = (MarkPresent, GiveFeedback, LaterButton, SkipButton)


# --- the private feedback card -----------------------------------------------------------------------


class FeedbackCard(GuardedView):
    """Three 0-10 ratings and optional words; nothing is kept until Send."""

    card_name = "meeting-feedback"
    expired_hint = N_(
        "This feedback card has expired (cards last 15 minutes, and end when the bot restarts). Nothing of it was "
        "kept. Press the meeting's **Answer three questions** button again."
    )

    def __init__(self, bot: SupervisionBot, owner: int, guild_id: int, meeting_id: int) -> None:
        super().__init__(timeout=CARD_TIMEOUT)
        self.bot, self.owner, self.guild_id, self.meeting_id = bot, owner, guild_id, meeting_id
        self.draft = FeedbackDraft()
        self.intro = ""
        self.add_words.label = _("Add words for supervisors (optional)")
        self.send.label = pgettext("button", "Send")
        for row, item in enumerate(FEEDBACK_ITEMS):
            select: discord.ui.Select[FeedbackCard] = discord.ui.Select(
                placeholder=f"{_(item.name)}: {_(item.question)}"[:150],
                # Translators: a rating on the 0-10 scale, e.g. "7 of 10".
                options=[discord.SelectOption(label=_("{n} of 10").format(n=n), value=str(n)) for n in SCALE],
                row=row,
            )
            select.callback = self._rater(item.key, select)  # type: ignore[method-assign]
            self.add_item(select)

    def text(self, intro: str) -> str:
        """The card's text: the questions, and what is still to choose."""
        self.intro = intro
        missing = self.draft.missing()
        words = ""
        if self.draft.words:
            words = "\n\n" + _("**Your words:** {words}").format(words=discord.utils.escape_markdown(self.draft.words))
        # Translators: {items} lists the questions not yet rated, e.g. "Tasks and Bond".
        state = _("Still to rate: {items}.").format(items=listing(missing)) if missing else _("Ready to send.")
        return f"{intro}{words}\n\n{state}"[:2000]

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return interaction.user.id == self.owner

    def _rater(self, key: str, select: discord.ui.Select[FeedbackCard]):  # type: ignore[no-untyped-def]
        async def rate(interaction: discord.Interaction) -> None:
            setattr(self.draft, key, int(select.values[0]))
            for option in select.options:
                option.default = option.value == select.values[0]
            await interaction.response.edit_message(content=self.text(self.intro), view=self)

        return rate

    # Labels are set in __init__, in the member's language; a decorator runs once, at import.
    @discord.ui.button(style=discord.ButtonStyle.secondary, row=3)
    async def add_words(self, interaction: discord.Interaction, __: discord.ui.Button) -> None:
        await interaction.response.send_modal(FeedbackWords(self))

    @discord.ui.button(style=discord.ButtonStyle.success, row=3)
    async def send(self, interaction: discord.Interaction, __: discord.ui.Button) -> None:
        await FLOWS.flows.save_answer(self.bot, self.guild_id, interaction.user.id, self.meeting_id, self.draft)
        self.stop()
        await interaction.response.edit_message(content=_(SENT), view=None)


class FeedbackWords(GuardedModal):
    """Optional words, shown to supervisors without a name, shuffled with others', only from k answers."""

    card_name = "meeting-feedback-words"
    expired_hint = N_(
        "This form expired before you sent it (the bot restarted while it was open). Press the meeting's "
        "**Answer three questions** button again."
    )

    words: discord.ui.TextInput[FeedbackWords]

    def __init__(self, card: FeedbackCard) -> None:
        super().__init__(title=_("Words for supervisors"), timeout=CARD_TIMEOUT)
        self.card = card
        # Built here, not as a class attribute, so its words are in the member's language (a class body runs once).
        self.words = discord.ui.TextInput(
            label=_("Shown to supervisors, without your name"),
            style=discord.TextStyle.paragraph,
            placeholder=_("What helped, what you'd like more or less of. Leave out anything about clients."),
            required=False,
            max_length=WORDS_LIMIT,
            default=card.draft.words or None,
        )
        self.add_item(self.words)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        self.card.draft.words = FLOWS.flows.clean_words(self.words.value or "")
        await interaction.response.edit_message(content=self.card.text(self.card.intro), view=self.card)


# --- the supervisors' attendance card ----------------------------------------------------------------


class AttendanceCard(GuardedView):
    """Add people who were there, remove anyone recorded by mistake, and confirm everyone at once."""

    card_name = "meeting-attendance"
    expired_hint = N_(
        "This attendance card has expired (cards last 15 minutes, and end when the bot restarts). Nothing you "
        "confirmed is lost. Run `/meeting attendance` again."
    )

    def __init__(self, owner: int, meeting_id: int) -> None:
        super().__init__(timeout=CARD_TIMEOUT)
        self.owner, self.meeting_id = owner, meeting_id
        self.add.placeholder = _("Add people who were there")
        self.remove.placeholder = _("Remove anyone recorded by mistake")
        self.confirm.label = _("Confirm attendance")

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return interaction.user.id == self.owner

    # Placeholders and labels are set in __init__, in the supervisor's language.
    @discord.ui.select(cls=discord.ui.UserSelect, max_values=25, row=0)
    async def add(self, interaction: discord.Interaction, select: discord.ui.UserSelect) -> None:
        bot = client_of(interaction)
        text = await FLOWS.flows.add_people(bot, interaction, self.meeting_id, [u.id for u in select.values])
        await self._redraw(interaction, text)

    @discord.ui.select(cls=discord.ui.UserSelect, max_values=25, row=1)
    async def remove(self, interaction: discord.Interaction, select: discord.ui.UserSelect) -> None:
        bot = client_of(interaction)
        text = await FLOWS.flows.remove_people(bot, interaction, self.meeting_id, [u.id for u in select.values])
        await self._redraw(interaction, text)

    @discord.ui.button(style=discord.ButtonStyle.success, row=2)
    async def confirm(self, interaction: discord.Interaction, __: discord.ui.Button) -> None:
        count, text = await FLOWS.flows.confirm_everyone(client_of(interaction), interaction, self.meeting_id)
        if count:
            note = ngettext("✅ Confirmed {n} now.", "✅ Confirmed {n} now.", count).format(n=count)
        else:
            note = _("Nothing was waiting for confirmation.")
        await self._redraw(interaction, f"{text}\n\n{note}")

    async def _redraw(self, interaction: discord.Interaction, text: str) -> None:
        await interaction.response.edit_message(content=text[:2000], view=self, allowed_mentions=NO_PINGS)


class RemoveMeetingCard(GuardedView):
    """The confirmation before a meeting record is deleted."""

    card_name = "meeting-remove"
    expired_hint = N_("This confirmation has expired; nothing was deleted. Run `/meeting remove` again.")

    def __init__(self, owner: int, meeting_id: int) -> None:
        super().__init__(timeout=CARD_TIMEOUT)
        self.owner, self.meeting_id = owner, meeting_id
        self.delete.label = _("Delete the meeting")

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return interaction.user.id == self.owner

    @discord.ui.button(style=discord.ButtonStyle.danger)
    async def delete(self, interaction: discord.Interaction, __: discord.ui.Button) -> None:
        text = await FLOWS.flows.remove_meeting(client_of(interaction), interaction, self.meeting_id)
        self.stop()
        await interaction.response.edit_message(content=text, view=None)
