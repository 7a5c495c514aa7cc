"""Turning message bodies the bot sends into stored messages (create and edit)."""

from __future__ import annotations

import copy
import datetime
import mimetypes
import re
from typing import Any

from .bodies import Body
from .models import EPHEMERAL, Attachment, Channel, Message, User
from .state import World

_USER_MENTION = re.compile(r"<@!?(\d+)>")
_ROLE_MENTION = re.compile(r"<@&(\d+)>")
# Flags a sender may set on a message; Discord ignores the others.
_SETTABLE_FLAGS = 4 | 4096 | 8192 | 32768
_ALL_MENTIONS = {"parse": ["users", "roles", "everyone"]}


def create(
    world: World,
    channel: Channel,
    author: User,
    body: Body,
    *,
    type: int = 0,
    allow_ephemeral: bool = False,
    extra_flags: int = 0,
    **fields: Any,
) -> Message:
    """Build and store a message from a create body (JSON or multipart)."""
    payload = body.json or {}
    settable = _SETTABLE_FLAGS | (EPHEMERAL if allow_ephemeral else 0)
    msg = Message(
        id=world.ids.next(),
        channel_id=channel.id,
        guild_id=channel.guild_id,
        author=author,
        type=type,
        flags=(int(payload.get("flags") or 0) & settable) | extra_flags,
        tts=bool(payload.get("tts")),
        **fields,
    )
    _apply_content(msg, payload)
    msg.attachments = _new_attachments(world, channel, body, msg.ephemeral)
    if payload.get("message_reference"):
        ref = dict(payload["message_reference"])
        ref.setdefault("channel_id", str(channel.id))
        msg.message_reference = ref
    if payload.get("poll"):
        msg.poll = payload["poll"]
    return world.store_message(msg)


def edit(world: World, msg: Message, body: Body) -> Message:
    """Apply an edit body: only the keys present change, like Discord's PATCH."""
    payload = body.json or {}
    msg.history.append({"content": msg.content, "embeds": msg.embeds, "components": msg.components})
    _apply_content(msg, payload, partial=True)
    if "flags" in payload and payload["flags"] is not None:
        keep = msg.flags & EPHEMERAL
        msg.flags = (int(payload["flags"]) & _SETTABLE_FLAGS) | keep
    channel = world.channels[msg.channel_id]
    if "attachments" in payload and payload["attachments"] is not None:
        keep_ids = {str(a.get("id")) for a in payload["attachments"]}
        msg.attachments = [a for a in msg.attachments if str(a.id) in keep_ids]
    msg.attachments += _new_attachments(world, channel, body, msg.ephemeral)
    msg.edited_at = datetime.datetime.now(datetime.UTC)
    world.notifier.changed()
    return msg


def _apply_content(msg: Message, payload: dict[str, Any], *, partial: bool = False) -> None:
    if not partial or "content" in payload:
        msg.content = payload.get("content") or ""
    if not partial or "embeds" in payload:
        msg.embeds = [_normalise_embed(e) for e in payload.get("embeds") or []]
    if not partial or "components" in payload:
        msg.components = _number_components(copy.deepcopy(payload.get("components") or []))
    if not partial or "allowed_mentions" in payload:
        msg.allowed_mentions = copy.deepcopy(payload.get("allowed_mentions"))
    _compute_mentions(msg)


def _normalise_embed(embed: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in embed.items() if v is not None}
    out.setdefault("type", "rich")
    out.setdefault("content_scan_version", 0)
    return out


def _number_components(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Discord gives every component a numeric id (in document order) when the sender did not."""
    used = set()
    stack = list(components)
    order = []
    while stack:
        comp = stack.pop(0)
        order.append(comp)
        if comp.get("id") is not None:
            used.add(comp["id"])
        children = list(comp.get("components") or [])
        for key in ("accessory", "component"):
            if comp.get(key):
                children.append(comp[key])
        stack[0:0] = children
    next_id = 1
    for comp in order:
        if comp.get("id") is None:
            while next_id in used:
                next_id += 1
            comp["id"] = next_id
            used.add(next_id)
    return components


def _compute_mentions(msg: Message) -> None:
    """Who actually gets pinged: the mentions in the content filtered by allowed_mentions."""
    allowed = msg.allowed_mentions if msg.allowed_mentions is not None else _ALL_MENTIONS
    parse = allowed.get("parse") or []
    users = [int(x) for x in _USER_MENTION.findall(msg.content)]
    roles = [int(x) for x in _ROLE_MENTION.findall(msg.content)]
    if "users" not in parse:
        permitted = {int(x) for x in allowed.get("users") or []}
        users = [u for u in users if u in permitted]
    if "roles" not in parse:
        permitted = {int(x) for x in allowed.get("roles") or []}
        roles = [r for r in roles if r in permitted]
    msg.mentions = list(dict.fromkeys(users))
    msg.mention_roles = list(dict.fromkeys(roles))
    everyone = "@everyone" in msg.content or "@here" in msg.content
    msg.mention_everyone = everyone and "everyone" in parse


def _new_attachments(world: World, channel: Channel, body: Body, ephemeral: bool) -> list[Attachment]:
    """Attachments for the uploaded files; payload `attachments` entries name them by files[n] index."""
    entries = {}
    for entry in (body.json or {}).get("attachments") or []:
        if isinstance(entry, dict) and str(entry.get("id", "")).isdigit() and int(entry["id"]) < 1000:
            entries[int(entry["id"])] = entry
    out = []
    for upload in body.files:
        entry = entries.get(upload.index if upload.index is not None else -1, {})
        filename = entry.get("filename") or upload.filename
        # Discord derives content_type from the file name (discord.py uploads as octet-stream).
        guessed = mimetypes.guess_type(filename)[0]
        content_type = guessed or upload.content_type
        if content_type and content_type.startswith("text/"):
            content_type += "; charset=utf-8"
        out.append(
            world.new_attachment(
                channel.id,
                filename,
                upload.data,
                content_type,
                description=entry.get("description"),
                ephemeral=ephemeral,
            )
        )
    return out
