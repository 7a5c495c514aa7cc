"""Check the bot's own permissions in the channels each feature posts to."""

from __future__ import annotations

import discord

from bot.db.models import GuildSettings

PERMISSION_LABELS = {
    "view_channel": "View Channel",
    "send_messages": "Send Messages",
    "embed_links": "Embed Links",
    "attach_files": "Attach Files",
    "create_public_threads": "Create Public Threads",
    "send_messages_in_threads": "Send Messages in Threads",
}
# What each channel's job needs: prompts open a reply thread; quiz results and digests carry charts.
NEEDED = {
    "prompts": ("view_channel", "send_messages", "embed_links", "create_public_threads", "send_messages_in_threads"),
    "quiz": ("view_channel", "send_messages", "embed_links", "attach_files"),
    "digest": ("view_channel", "send_messages", "embed_links", "attach_files"),
}
CHANNEL_ROLES = {"prompts": "prompts_channel_id", "quiz": "quiz_channel_id", "digest": "digest_channel_id"}


def missing_in(channel: discord.abc.GuildChannel, role: str) -> list[str]:
    """Return the labels of the permissions the bot lacks in a channel for the given job."""
    perms = channel.permissions_for(channel.guild.me)
    return [PERMISSION_LABELS[p] for p in NEEDED[role] if not getattr(perms, p)]


# The bot has no Manage Roles permission, so it cannot hand out a role itself; Discord can.
OPT_IN_HOWTO = (
    "Check-in text can be heavy, so members may choose whether to read the digest. The bot can't give out "
    "roles (that would need the Manage Roles permission), so set it up in Discord:\n"
    "1. Create a role, e.g. **Digest readers**.\n"
    "2. In the digest channel's permissions, deny **View Channel** to @everyone and allow it for that role, "
    "for your supervisor role and for the bot.\n"
    "3. Let members take the role themselves: *Server Settings → Onboarding → Channels & Roles* (Customize "
    "questions), or ask a supervisor.\n"
    "I'll warn here and in `/status` if everyone can still see the channel."
)


def share_targets(settings: GuildSettings, recipients: list[int]) -> str:
    """Where journal entries shared with supervisors go, in a line."""
    parts = [f"<#{settings.supervisor_channel_id}>"] if settings.supervisor_channel_id else []
    if recipients:
        parts.append(f"{len(recipients)} supervisor(s) by DM")
    return " and ".join(parts) or "nowhere yet: set `supervisor_channel:` or `journal_dm:True`"


def problems_for(guild: discord.Guild, settings: GuildSettings) -> list[str]:
    """Return one line per configured channel that is gone or lacks a permission the bot needs."""
    lines = []
    if settings.digest_opt_in and settings.digest_channel_id:
        digest = guild.get_channel(settings.digest_channel_id)
        if digest is not None and digest.permissions_for(guild.default_role).view_channel:
            lines.append(f"{digest.mention} is set as opt-in, but everyone can see it: deny View Channel to @everyone.")
    for role, attr in CHANNEL_ROLES.items():
        channel_id = getattr(settings, attr)
        if channel_id is None:
            continue
        channel = guild.get_channel(channel_id)
        if channel is None:
            lines.append(f"The {role} channel (id {channel_id}) no longer exists or is hidden from me.")
            continue
        missing = missing_in(channel, role)
        if missing:
            lines.append(f"{channel.mention} ({role}): I need {', '.join(missing)}.")
    return lines
