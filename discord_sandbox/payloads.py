"""Serialisers turning sandbox records into Discord's JSON objects."""

from __future__ import annotations

import datetime
from typing import Any

from .models import DM, PRIVATE_THREAD, Attachment, Channel, Guild, Member, Message, Role, User
from .snowflakes import iso

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def user(u: User) -> dict[str, Any]:
    """A user object."""
    return {
        "id": str(u.id),
        "username": u.name,
        "discriminator": "0",
        "global_name": u.global_name,
        "avatar": None,
        "bot": u.bot,
        "system": False,
        "public_flags": 0,
        "flags": 0,
        "banner": None,
        "accent_color": None,
        "avatar_decoration_data": None,
        "primary_guild": None,
        "collectibles": None,
    }


def current_user(u: User) -> dict[str, Any]:
    """GET /users/@me: the user object plus the private fields."""
    return user(u) | {"verified": True, "mfa_enabled": False, "locale": "en-US", "email": None}


def role(r: Role) -> dict[str, Any]:
    """A role object."""
    out: dict[str, Any] = {
        "id": str(r.id),
        "name": r.name,
        "description": None,
        "color": r.color,
        "colors": {"primary_color": r.color, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "icon": None,
        "unicode_emoji": None,
        "position": r.position,
        "permissions": str(r.permissions),
        "managed": r.managed,
        "mentionable": False,
        "flags": 0,
    }
    return out


def member(m: Member, *, with_user: bool = True, permissions: int | None = None) -> dict[str, Any]:
    """A guild member object; `permissions` is added for interaction payloads."""
    out: dict[str, Any] = {
        "nick": m.nick,
        "avatar": None,
        "banner": None,
        "roles": [str(r) for r in m.role_ids],
        "joined_at": iso(m.joined_at),
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
        "communication_disabled_until": None,
    }
    if with_user:
        out["user"] = user(m.user)
    if permissions is not None:
        out["permissions"] = str(permissions)
    return out


def channel(ch: Channel, users: dict[int, User] | None = None) -> dict[str, Any]:
    """A channel object (guild text/category, thread or DM)."""
    if ch.type == DM:
        recipient = (users or {}).get(ch.recipient_id or 0)
        return {
            "id": str(ch.id),
            "type": DM,
            "last_message_id": _opt_id(ch.last_message_id),
            "flags": 0,
            "recipients": [user(recipient)] if recipient else [],
        }
    out: dict[str, Any] = {
        "id": str(ch.id),
        "type": ch.type,
        "guild_id": str(ch.guild_id),
        "name": ch.name,
        "parent_id": _opt_id(ch.parent_id),
        "flags": 0,
        "rate_limit_per_user": 0,
        "last_message_id": _opt_id(ch.last_message_id),
    }
    if ch.is_thread:
        archive = datetime.datetime.now(datetime.UTC)
        metadata: dict[str, Any] = {
            "archived": False,
            "auto_archive_duration": ch.auto_archive_duration,
            "archive_timestamp": iso(archive),
            "locked": False,
            "create_timestamp": iso(ch.created_at),
        }
        if ch.type == PRIVATE_THREAD:
            metadata["invitable"] = True
        out |= {
            "owner_id": _opt_id(ch.owner_id),
            "message_count": ch.message_count,
            "member_count": 1,
            "total_message_sent": ch.message_count,
            "thread_metadata": metadata,
        }
        return out
    out |= {
        "position": ch.position,
        "permission_overwrites": [
            {"id": str(o.id), "type": o.type, "allow": str(o.allow), "deny": str(o.deny)} for o in ch.overwrites
        ],
        "nsfw": False,
    }
    if ch.type != 4:
        out["topic"] = ch.topic
    return out


def partial_channel(ch: Channel, permissions: int) -> dict[str, Any]:
    """The partial channel Discord puts in `resolved.channels` and interaction payloads."""
    out = channel(ch)
    out["permissions"] = str(permissions)
    out.pop("permission_overwrites", None)
    return out


def guild(g: Guild) -> dict[str, Any]:
    """A guild object (REST shape)."""
    return {
        "id": str(g.id),
        "name": g.name,
        "icon": None,
        "icon_hash": None,
        "splash": None,
        "discovery_splash": None,
        "owner_id": str(g.owner_id),
        "afk_channel_id": None,
        "afk_timeout": 300,
        "widget_enabled": False,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "roles": [role(r) for r in g.roles.values()],
        "emojis": [],
        "features": [],
        "mfa_level": 0,
        "application_id": None,
        "system_channel_id": None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "max_members": 500000,
        "vanity_url_code": None,
        "description": None,
        "banner": None,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": g.locale,
        "public_updates_channel_id": None,
        "safety_alerts_channel_id": None,
        "nsfw_level": 0,
        "nsfw": False,
        "stickers": [],
        "premium_progress_bar_enabled": False,
    }


def guild_create(g: Guild, bot_member: Member, joined_at: datetime.datetime) -> dict[str, Any]:
    """GUILD_CREATE: the guild plus channels, threads and (without presences) only the bot's member."""
    channels = [c for c in g.channels.values() if not c.is_thread]
    threads = [c for c in g.channels.values() if c.is_thread]
    return guild(g) | {
        "joined_at": iso(joined_at),
        "large": False,
        "unavailable": False,
        "lazy": True,
        "member_count": len(g.members),
        "voice_states": [],
        "members": [member(bot_member)],
        "channels": [channel(c) for c in channels],
        "threads": [channel(c) for c in threads],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "embedded_activities": [],
    }


def attachment(a: Attachment) -> dict[str, Any]:
    """An attachment object; PNG width/height are read from the header like Discord does."""
    out: dict[str, Any] = {
        "id": str(a.id),
        "filename": a.filename,
        "size": a.size,
        "url": a.url,
        "proxy_url": a.url,
        "content_type": a.content_type,
    }
    if a.description is not None:
        out["description"] = a.description
    if a.ephemeral:
        out["ephemeral"] = True
    if a.data.startswith(_PNG_SIGNATURE) and len(a.data) >= 24:
        out["width"] = int.from_bytes(a.data[16:20], "big")
        out["height"] = int.from_bytes(a.data[20:24], "big")
    return out


def message(m: Message, users: dict[int, User] | None = None) -> dict[str, Any]:
    """A message object (REST shape, no guild_id/member); `users` resolves the mentions."""
    known = users or {}
    out: dict[str, Any] = {
        "id": str(m.id),
        "type": m.type,
        "channel_id": str(m.channel_id),
        "author": user(m.author),
        "content": m.content,
        "timestamp": iso(m.created_at),
        "edited_timestamp": iso(m.edited_at) if m.edited_at else None,
        "tts": m.tts,
        "mention_everyone": m.mention_everyone,
        "mentions": [user(known[i]) for i in m.mentions if i in known],
        "mention_roles": [str(r) for r in m.mention_roles],
        "attachments": [attachment(a) for a in m.attachments],
        "embeds": m.embeds,
        "components": m.components,
        "pinned": False,
        "flags": m.flags,
        "reactions": [],
    }
    if m.webhook_id is not None:
        out["webhook_id"] = str(m.webhook_id)
    if m.application_id is not None:
        out["application_id"] = str(m.application_id)
    if m.interaction_metadata is not None:
        out["interaction_metadata"] = m.interaction_metadata
    if m.message_reference is not None:
        out["message_reference"] = m.message_reference
    if m.poll is not None:
        out["poll"] = m.poll
    if m.reactions:
        out["reactions"] = [
            {"count": 1, "me": True, "emoji": {"id": None, "name": e}, "burst_count": 0, "me_burst": False}
            for e in m.reactions
        ]
    return out


def _opt_id(value: int | None) -> str | None:
    return None if value is None else str(value)
