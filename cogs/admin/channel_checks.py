"""Check the bot's own permissions in the channels each feature posts to."""

from __future__ import annotations

import discord

from bot.command_translator import shown_commands
from bot.db.models import GuildSettings
from bot.i18n import N_, _, ngettext

# Discord's own names for the permissions, as its settings show them in the reader's language.
PERMISSION_LABELS = {
    "view_channel": N_("View Channel"),
    "send_messages": N_("Send Messages"),
    "embed_links": N_("Embed Links"),
    "attach_files": N_("Attach Files"),
    "create_public_threads": N_("Create Public Threads"),
    "send_messages_in_threads": N_("Send Messages in Threads"),
}
# What each channel's job needs: prompts open a reply thread; quiz results and digests carry charts.
NEEDED = {
    "prompts": ("view_channel", "send_messages", "embed_links", "create_public_threads", "send_messages_in_threads"),
    "quiz": ("view_channel", "send_messages", "embed_links", "attach_files"),
    "digest": ("view_channel", "send_messages", "embed_links", "attach_files"),
}
CHANNEL_ROLES = {"prompts": "prompts_channel_id", "quiz": "quiz_channel_id", "digest": "digest_channel_id"}
# What the bot says about a channel that is gone, and about one where it lacks a permission, per job.
GONE = {
    "prompts": N_("The prompts channel (id {id}) no longer exists or is hidden from me."),
    "quiz": N_("The quiz channel (id {id}) no longer exists or is hidden from me."),
    "digest": N_("The digest channel (id {id}) no longer exists or is hidden from me."),
}
LACKING = {
    # Translators: {channel} is the channel, {permissions} Discord's names of permissions, e.g. "Embed Links".
    "prompts": N_("{channel} (prompts): I need {permissions}."),
    "quiz": N_("{channel} (quiz): I need {permissions}."),
    "digest": N_("{channel} (digest): I need {permissions}."),
}


def missing_in(channel: discord.abc.GuildChannel, role: str) -> list[str]:
    """Return the labels of the permissions the bot lacks in a channel for the given job, in the current language."""
    perms = channel.permissions_for(channel.guild.me)
    return [_(PERMISSION_LABELS[p]) for p in NEEDED[role] if not getattr(perms, p)]


# The bot has no Manage Roles permission, so it cannot hand out a role itself; Discord can.
OPT_IN_HOWTO = N_(
    "Check-in text can be heavy, so members may choose whether to read the digest. The bot can't give out "
    "roles (that would need the Manage Roles permission), so set it up in Discord:\n"
    "1. Create a role, e.g. **Digest readers**.\n"
    "2. In the digest channel's permissions, deny **View Channel** to @everyone and allow it for that role, "
    "for your supervisor role and for the bot.\n"
    "3. Let members take the role themselves: *Server Settings → Onboarding → Channels & Roles* (Customize "
    "questions), or ask a supervisor.\n"
    "I'll warn here and in `/status` if everyone can still see the channel."
)


def opt_in_howto() -> str:
    """How to make the digest channel opt-in, in the current language."""
    return shown_commands(_(OPT_IN_HOWTO))


def share_targets(settings: GuildSettings, recipients: list[int]) -> str:
    """Where journal entries shared with supervisors go, in a line."""
    channel = f"<#{settings.supervisor_channel_id}>" if settings.supervisor_channel_id else None
    by_dm = (
        ngettext("{count} supervisor by DM", "{count} supervisors by DM", len(recipients)).format(count=len(recipients))
        if recipients
        else None
    )
    if channel and by_dm:
        # Translators: {channel} is a channel, {by_dm} e.g. "2 supervisors by DM".
        return _("{channel} and {by_dm}").format(channel=channel, by_dm=by_dm)
    return channel or by_dm or shown_commands(_("nowhere yet: set `supervisor_channel:` or `journal_dm:True`"))


def problems_for(guild: discord.Guild, settings: GuildSettings) -> list[str]:
    """Return one line per configured channel that is gone or lacks a permission the bot needs."""
    lines = []
    if settings.digest_opt_in and settings.digest_channel_id:
        digest = guild.get_channel(settings.digest_channel_id)
        if digest is not None and digest.permissions_for(guild.default_role).view_channel:
            lines.append(
                _("{channel} is set as opt-in, but everyone can see it: deny View Channel to @everyone.").format(
                    channel=digest.mention
                )
            )
    for role, attr in CHANNEL_ROLES.items():
        channel_id = getattr(settings, attr)
        if channel_id is None:
            continue
        channel = guild.get_channel(channel_id)
        if channel is None:
            lines.append(_(GONE[role]).format(id=channel_id))
            continue
        missing = missing_in(channel, role)
        if missing:
            lines.append(_(LACKING[role]).format(channel=channel.mention, permissions=", ".join(missing)))
    return lines
