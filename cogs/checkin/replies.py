"""Replies to anonymous check-ins: supervisors reply from the digest, the author reads and answers by code.

The bot never learns who wrote a check-in, so it never sends a reply to anyone: the author comes to fetch it
with the one-time code they already hold. Reading writes nothing. A supervisor sees an answer only from the
day after it was written, so watching for it cannot tell them when its author was online.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

import discord

from bot.channels import server_channel
from bot.checks import require_supervisor
from bot.command_translator import shown_commands
from bot.db.repositories.checkin_replies import MAX_REPLIES, AnswerOutcome, Reply
from bot.i18n import N_, _, day, ngettext, number, speaking
from bot.languages import group_locale
from bot.text_hygiene import clean_text, neutralise_mentions
from bot.ui import GuardedModal, GuardedView, embed_batches, persistent_view
from bot.user_error import UserFacingError
from cogs.checkin.logic import day_of_period, hash_code, normalise_code, weekday_label
from cogs.checkin.render import checkin_embed
from cogs.checkin.reply_views import PostReply, ReplyToCheckIn

if TYPE_CHECKING:
    from bot.client import SupervisionBot

REPLY_LIMIT = 1000
FORM_TIMEOUT = 15 * 60
NO_SUCH_CODE = N_("No check-in in this server has that code. Nothing was changed; check the code and try again.")
GONE = N_("This check-in is no longer stored (it was withdrawn or has passed the retention period).")
NO_PINGS = discord.AllowedMentions.none()


def day_label(stored: date) -> str:
    """A stored day as readers see it, in their language: 'Wednesday, March 4, 2026'."""
    return day(stored, "full")


async def today(bot: SupervisionBot, guild_id: int) -> date:
    """The group's local date: the finest time anything in the anonymous store keeps."""
    settings = await bot.repos.settings.get(guild_id)
    return day_of_period(bot.scheduler.clock(), settings.timezone)


async def send_embeds(
    interaction: discord.Interaction, embeds: list[discord.Embed], view: discord.ui.View | None = None
) -> None:
    """Send embeds privately in as many messages as Discord's limits need; the view goes on the last."""
    batches = embed_batches(embeds)
    for index, batch in enumerate(batches):
        here = view if view is not None and index == len(batches) - 1 else discord.utils.MISSING
        if index == 0 and not interaction.response.is_done():
            await interaction.response.send_message(embeds=batch, ephemeral=True, allowed_mentions=NO_PINGS, view=here)
        else:
            await interaction.followup.send(embeds=batch, ephemeral=True, allowed_mentions=NO_PINGS, view=here)


class EditAgain(GuardedView):
    """One button that reopens a form with the text that was handed back."""

    card_name = "checkin-reply-edit"
    expired_hint = N_(
        "This button has expired (it lasts 15 minutes, and ends when the bot restarts), so the text it held "
        "is gone. Start the reply or answer again from the digest, or with `/checkin replies`."
    )

    def __init__(self, form: Callable[[], discord.ui.Modal], owner: int) -> None:
        super().__init__(timeout=FORM_TIMEOUT)
        self.form, self.owner = form, owner
        self.edit.label = _("Edit my text")

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return interaction.user.id == self.owner

    @discord.ui.button(style=discord.ButtonStyle.primary)
    async def edit(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.send_modal(self.form())


async def too_long(interaction: discord.Interaction, text: str, form: Callable[[], discord.ui.Modal]) -> None:
    """Hand over-long text back: nothing is saved and the form reopens with the text intact."""
    await interaction.response.send_message(
        _(
            "Your text is {length} characters; the limit is {limit}. Nothing was saved. "
            "Press **Edit my text** to shorten it: your text is kept."
        ).format(length=number(len(text)), limit=number(REPLY_LIMIT)),
        view=EditAgain(form, interaction.user.id),
        ephemeral=True,
    )


# --- supervisors ------------------------------------------------------------------------------------------


class ReplyForm(GuardedModal):
    """A supervisor's reply; only the check-in's author reads it unless the supervisor posts it."""

    card_name = "checkin-reply"
    expired_hint = N_(
        "This reply form expired before you sent it (the bot restarted while it was open). "
        "Open a fresh one with the digest's **Reply** button."
    )

    def __init__(self, checkin_id: str, number: int, text: str = "") -> None:
        super().__init__(title=_("Reply to check-in #{number}").format(number=number), timeout=FORM_TIMEOUT)
        self.checkin_id, self.number = checkin_id, number
        # Made per form, in the supervisor's language.
        self.body: discord.ui.TextInput[ReplyForm] = discord.ui.TextInput(
            label=_("Your reply (only its author will read it)"),
            custom_id="body",
            style=discord.TextStyle.paragraph,
            placeholder=_(
                "Its author reads this with their code. You can post it to the group afterwards if you want."
            ),
            default=text or None,
            max_length=4000,  # Discord's cap, so a long reply reaches us and can be handed back
        )
        self.add_item(self.body)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        bot: SupervisionBot = interaction.client  # type: ignore[assignment]
        await save_reply(bot, interaction, self.checkin_id, self.number, self.body.value or "")


async def open_reply_form(bot: SupervisionBot, interaction: discord.Interaction, checkin_id: str, number: int) -> None:
    """Open the reply form for a supervisor, if the check-in can take another reply."""
    await require_supervisor(bot, interaction)
    assert interaction.guild_id is not None
    thread = await bot.repos.checkin_replies.thread(interaction.guild_id, checkin_id)
    if thread is None:
        raise UserFacingError(_("{gone} Nothing was saved.").format(gone=_(GONE)))
    if len(thread[1]) >= MAX_REPLIES:
        raise UserFacingError(
            ngettext(
                "Check-in #{number} already has {max} reply, the most one can have.",
                "Check-in #{number} already has {max} replies, the most one can have.",
                MAX_REPLIES,
            ).format(number=number, max=MAX_REPLIES)
        )
    await interaction.response.send_modal(ReplyForm(checkin_id, number))


async def save_reply(
    bot: SupervisionBot, interaction: discord.Interaction, checkin_id: str, number: int, raw: str
) -> None:
    """Store a supervisor's reply against the check-in's random id; only then say so."""
    await require_supervisor(bot, interaction)
    assert interaction.guild_id is not None
    text = clean_text(raw)
    if not text:
        raise UserFacingError(_("The reply was empty, so nothing was saved."))
    if len(text) > REPLY_LIMIT:
        await too_long(interaction, raw, lambda: ReplyForm(checkin_id, number, raw))
        return
    guild_id = interaction.guild_id
    reply = await bot.repos.checkin_replies.add(guild_id, checkin_id, text, await today(bot, guild_id))
    if reply is None:
        raise UserFacingError(
            ngettext(
                "Nothing was saved: the check-in was withdrawn or has passed the retention period, or it already "
                "has {max} reply.",
                "Nothing was saved: the check-in was withdrawn or has passed the retention period, or it already "
                "has {max} replies.",
                MAX_REPLIES,
            ).format(max=MAX_REPLIES)
        )
    await interaction.response.send_message(
        shown_commands(
            _(
                "Saved as reply {reply} to check-in #{number}. Its author can read it with `/checkin replies` and "
                "their code; the bot can't send it to them, because it doesn't know who they are. Nobody else sees it "
                "unless you post it to the group."
            )
        ).format(reply=reply.number, number=number),
        view=persistent_view(PostReply(reply.id, number)),
        ephemeral=True,
    )


def reply_embed(reply: Reply, answer: str | None, answer_note: str) -> discord.Embed:
    """One reply, with the author's answer beneath it (or a note saying why none is shown)."""
    embed = discord.Embed(
        title=_("Reply {number} · {day}").format(number=reply.number, day=day_label(reply.day)),
        description=neutralise_mentions(reply.body),
        colour=discord.Colour.teal(),
    )
    embed.add_field(
        name=_("Answer from the check-in's author"), value=neutralise_mentions(answer or answer_note)[:1024]
    )
    if reply.posted:
        embed.set_footer(text=_("Posted to the group"))
    return embed


async def show_thread(bot: SupervisionBot, interaction: discord.Interaction, checkin_id: str, number: int) -> None:
    """Show a supervisor the check-in, every reply and each answer, privately."""
    await require_supervisor(bot, interaction)
    assert interaction.guild_id is not None
    thread = await bot.repos.checkin_replies.thread(interaction.guild_id, checkin_id)
    if thread is None:
        raise UserFacingError(_(GONE))
    checkin, replies = thread
    now = await today(bot, interaction.guild_id)
    embeds = [checkin_embed(checkin, number)]
    for reply in replies:
        # An answer shows from the next day on, so refreshing this view cannot time when its author was online.
        shown = reply.answer if reply.answer is not None and reply.answer_day and reply.answer_day < now else None
        none_yet = _("None shown yet. Answers appear here the day after they are written.")
        embeds.append(reply_embed(reply, shown, none_yet))
    if not replies:
        embeds[0].add_field(name=_("Replies"), value=_("No replies yet."), inline=False)
    items: list[discord.ui.Item] = [ReplyToCheckIn(checkin_id, number)] if len(replies) < MAX_REPLIES else []
    items += [PostReply(r.id, number, r.number) for r in replies if not r.posted]
    await send_embeds(interaction, embeds, persistent_view(*items) if items else None)


async def post_reply(bot: SupervisionBot, interaction: discord.Interaction, reply_id: str, number: int) -> None:
    """Post a supervisor's reply to the digest channel, because a supervisor chose to.

    The post speaks the group's language; the supervisor's own replies speak theirs.
    """
    await require_supervisor(bot, interaction)
    assert interaction.guild_id is not None
    settings = await bot.repos.settings.get(interaction.guild_id)
    channel = server_channel(bot, interaction.guild_id, settings.digest_channel_id)
    if not isinstance(channel, discord.abc.Messageable):
        raise UserFacingError(
            shown_commands(_("I can't see the digest channel to post in. Check it with `/setup`; nothing was posted."))
        )
    marked = await bot.repos.checkin_replies.mark_posted(interaction.guild_id, reply_id)
    if marked is None:
        raise UserFacingError(_("That reply was posted already, or its check-in is no longer stored."))
    checkin, reply = marked
    with speaking(await group_locale(bot.repos, interaction.guild_id, interaction.guild)):
        embed = discord.Embed(
            title=_("💬 A supervisor's reply to check-in #{number} ({weekday})").format(
                number=number, weekday=weekday_label(checkin.day)
            ),
            description=neutralise_mentions(reply.body),
            colour=discord.Colour.teal(),
        )
    try:
        await channel.send(embed=embed, allowed_mentions=NO_PINGS)
    except discord.HTTPException:
        await bot.repos.checkin_replies.unmark_posted(interaction.guild_id, reply_id)
        raise UserFacingError(
            _("Discord refused the post, so nothing was posted. Try again in a few minutes.")
        ) from None
    await interaction.response.send_message(
        _("Posted reply {reply} in {channel}.").format(reply=reply.number, channel=channel.mention), ephemeral=True
    )


# --- the check-in's author ---------------------------------------------------------------------------------


class AnswerForm(GuardedModal):
    """The author's one answer to a reply; supervisors see it, still without a name."""

    card_name = "checkin-answer"
    expired_hint = N_(
        "This answer form expired before you sent it (the bot restarted while it was open). "
        "Run `/checkin replies` with your code again to answer."
    )

    def __init__(self, code_hash: str, reply_id: str, number: int, text: str = "") -> None:
        super().__init__(title=_("Answer reply {number}").format(number=number), timeout=FORM_TIMEOUT)
        self.code_hash, self.reply_id, self.number = code_hash, reply_id, number
        # Made per form, in the member's language.
        self.body: discord.ui.TextInput[AnswerForm] = discord.ui.TextInput(
            label=_("Your answer (you can answer once)"),
            custom_id="body",
            style=discord.TextStyle.paragraph,
            placeholder=_(
                "Supervisors see this under your check-in, without your name. Leave out identifying details."
            ),
            default=text or None,
            max_length=4000,
        )
        self.add_item(self.body)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        bot: SupervisionBot = interaction.client  # type: ignore[assignment]
        await save_answer(bot, interaction, self, self.body.value or "")


class AnswerButtons(GuardedView):
    """'Answer reply n' for each reply not yet answered; held in memory with the code's hash, never the code."""

    card_name = "checkin-answers"
    expired_hint = N_(
        "These buttons have expired (they last 15 minutes, and end when the bot restarts). "
        "Run `/checkin replies` with your code again to answer."
    )

    def __init__(self, owner: int, code_hash: str, open_replies: list[Reply]) -> None:
        super().__init__(timeout=FORM_TIMEOUT)
        self.owner = owner
        for reply in open_replies:
            item: discord.ui.Button = discord.ui.Button(
                label=_("Answer reply {number}").format(number=reply.number), style=discord.ButtonStyle.primary
            )
            item.callback = self._opener(code_hash, reply)  # type: ignore[method-assign]
            self.add_item(item)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return interaction.user.id == self.owner

    @staticmethod
    def _opener(code_hash: str, reply: Reply):  # type: ignore[no-untyped-def]
        async def open_form(interaction: discord.Interaction) -> None:
            await interaction.response.send_modal(AnswerForm(code_hash, reply.id, reply.number))

        return open_form


async def show_member_replies(bot: SupervisionBot, interaction: discord.Interaction, code: str) -> None:
    """Show the author every reply to their check-in, privately; a wrong code reveals nothing."""
    assert interaction.guild_id is not None
    code_hash = hash_code(normalise_code(code))
    found = await bot.repos.checkin_replies.by_code(interaction.guild_id, code_hash)
    if found is None:
        raise UserFacingError(_(NO_SUCH_CODE))
    checkin, replies = found
    if not replies:
        text = (
            _(
                "No replies to this check-in yet. Supervisors can reply to it from the digest; look again later "
                "with the same code."
            )
            if checkin.released
            else _(
                "No replies to this check-in yet. It hasn't been shared in a digest yet; supervisors can reply "
                "once it has."
            )
        )
        await interaction.response.send_message(text, ephemeral=True)
        return
    embeds = [checkin_embed(checkin)]
    embeds[0].title = _("Your check-in · {weekday}").format(weekday=weekday_label(checkin.day))
    for reply in replies:
        note = _(
            "Not answered. Press **Answer reply {number}** to answer once; supervisors see it without your name."
        ).format(number=reply.number)
        embeds.append(reply_embed(reply, reply.answer, note))
    open_replies = [r for r in replies if r.answer is None]
    view = AnswerButtons(interaction.user.id, code_hash, open_replies) if open_replies else None
    await send_embeds(interaction, embeds, view)


async def save_answer(bot: SupervisionBot, interaction: discord.Interaction, form: AnswerForm, raw: str) -> None:
    """Store the author's one answer to a reply; only then say so."""
    assert interaction.guild_id is not None
    text = clean_text(raw)
    if not text:
        raise UserFacingError(_("The answer was empty, so nothing was saved."))
    if len(text) > REPLY_LIMIT:
        await too_long(interaction, raw, lambda: AnswerForm(form.code_hash, form.reply_id, form.number, raw))
        return
    guild_id = interaction.guild_id
    outcome = await bot.repos.checkin_replies.answer(
        guild_id, form.code_hash, form.reply_id, text, await today(bot, guild_id)
    )
    if outcome is AnswerOutcome.ALREADY_ANSWERED:
        raise UserFacingError(_("You've already answered this reply; a reply takes one answer. Nothing changed."))
    if outcome is AnswerOutcome.GONE:
        raise UserFacingError(_("{gone} Nothing was saved.").format(gone=_(GONE)))
    await interaction.response.send_message(
        _(
            "✅ Answer saved. Supervisors see it under your check-in, without your name, from tomorrow (a day's "
            "delay, so its timing can't point to you)."
        ),
        ephemeral=True,
    )
