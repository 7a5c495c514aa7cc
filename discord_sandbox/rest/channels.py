"""Channels, channel messages, threads, typing and reactions."""

from __future__ import annotations

import time
from typing import Any

from aiohttp import web

from .. import errors, limits, messages, payloads
from ..models import DM, PRIVATE_THREAD, PUBLIC_THREAD, Channel, Message
from ..permissions import (
    ADD_REACTIONS,
    ATTACH_FILES,
    CREATE_PRIVATE_THREADS,
    CREATE_PUBLIC_THREADS,
    EMBED_LINKS,
    MANAGE_MESSAGES,
    READ_HISTORY,
    SEND_IN_THREADS,
    SEND_MESSAGES,
    has,
)
from ..state import World
from .common import body, channel, check_schema, core, no_content, ok, require, snowflake, validates_schema

# Discord drops a repeated nonce "within the past few minutes"; the sandbox keeps it this long.
NONCE_WINDOW_SECONDS = 180


def register(api: web.RouteTableDef) -> None:
    api.get("/channels/{channel_id}")(get_channel)
    api.get("/channels/{channel_id}/messages")(list_messages)
    api.post("/channels/{channel_id}/messages")(create_message)
    api.get("/channels/{channel_id}/messages/{message_id}")(get_message)
    api.patch("/channels/{channel_id}/messages/{message_id}")(edit_message)
    api.delete("/channels/{channel_id}/messages/{message_id}")(delete_message)
    api.post("/channels/{channel_id}/threads")(create_thread)
    api.post("/channels/{channel_id}/messages/{message_id}/threads")(create_thread_from_message)
    api.post("/channels/{channel_id}/typing")(typing)
    api.put("/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me")(add_reaction)


def _message(request: web.Request, ch: Channel) -> Message:
    msg = core(request).world.messages.get(snowflake(request, "message_id", errors.unknown_message()))
    if msg is None or msg.deleted or msg.channel_id != ch.id or msg.ephemeral:
        raise errors.unknown_message()
    return msg


def _require_view(request: web.Request, ch: Channel, needed: int = 0) -> None:
    if ch.type != DM:
        require(request, ch, needed)


def _check_limits(request: web.Request, payload: dict[str, Any]) -> None:
    problems = limits.check_message(payload)
    if problems:
        for path, _, message in problems:
            core(request).violation(f"{request.method} {request.path}: {path}: {message}")
        raise errors.invalid_form_body(problems)


async def get_channel(request: web.Request) -> web.Response:
    ch = channel(request)
    _require_view(request, ch)
    return ok(payloads.channel(ch, core(request).world.users))


async def list_messages(request: web.Request) -> web.Response:
    ch = channel(request)
    _require_view(request, ch, READ_HISTORY)
    msgs = core(request).world.visible_messages(ch)
    query = request.query
    if "before" in query:
        msgs = [m for m in msgs if m.id < int(query["before"])]
    if "after" in query:
        msgs = [m for m in msgs if m.id > int(query["after"])]
    limit = max(1, min(100, int(query.get("limit", 50))))
    newest_first = list(reversed(msgs))
    if "after" in query:
        newest_first = list(reversed(msgs[:limit]))
    users = core(request).world.users
    return ok([payloads.message(m, users) for m in newest_first[:limit]])


async def get_message(request: web.Request) -> web.Response:
    ch = channel(request)
    _require_view(request, ch, READ_HISTORY)
    return ok(payloads.message(_message(request, ch), core(request).world.users))


@validates_schema
async def create_message(request: web.Request) -> web.Response:
    sandbox = core(request)
    world = sandbox.world
    ch = channel(request)
    parsed = body(request)
    payload = parsed.json or {}
    if ch.type == DM:
        _check_dm(request, ch)
    else:
        needed = SEND_IN_THREADS if ch.is_thread else SEND_MESSAGES
        if payload.get("embeds"):
            needed |= EMBED_LINKS
        if parsed.files:
            needed |= ATTACH_FILES
        require(request, ch, needed)
    if not any(payload.get(k) for k in ("content", "embeds", "components", "sticker_ids", "poll")) and not parsed.files:
        sandbox.violation(f"POST {request.path}: empty message")
        raise errors.DiscordError(400, 50006, "Cannot send an empty message")
    _check_limits(request, payload)
    check_schema(request)
    nonce = str(payload["nonce"]) if payload.get("nonce") is not None and payload.get("enforce_nonce") else None
    earlier = _message_with_nonce(world, nonce)
    if earlier is not None:
        # As Discord does: the same author and nonce within a few minutes returns the first message.
        return ok(payloads.message(earlier, world.users))
    msg = messages.create(world, ch, world.bot_user, parsed)
    if nonce is not None:
        world.nonces[(world.bot_user.id, nonce)] = (time.monotonic(), msg.id)
    world.dispatch("MESSAGE_CREATE", world.message_event(msg))
    return ok(payloads.message(msg, world.users))


def _message_with_nonce(world: World, nonce: str | None) -> Message | None:
    if nonce is None:
        return None
    seen = world.nonces.get((world.bot_user.id, nonce))
    if seen is None or time.monotonic() - seen[0] > NONCE_WINDOW_SECONDS:
        return None
    return world.messages.get(seen[1])


def _check_dm(request: web.Request, ch: Channel) -> None:
    sandbox = core(request)
    recipient = ch.recipient_id or 0
    shares_guild = any(recipient in g.members for g in sandbox.world.guilds.values())
    if recipient in sandbox.faults.blocked_dm_users or not shares_guild:
        raise errors.cannot_dm()


@validates_schema
async def edit_message(request: web.Request) -> web.Response:
    world = core(request).world
    ch = channel(request)
    _require_view(request, ch)
    msg = _message(request, ch)
    if msg.author.id != world.bot_user.id:
        raise errors.DiscordError(403, 50005, "Cannot edit a message authored by another user")
    parsed = body(request)
    if parsed.files and ch.type != DM:
        require(request, ch, ATTACH_FILES)
    _check_limits(request, parsed.json or {})
    check_schema(request)
    messages.edit(world, msg, parsed)
    world.dispatch("MESSAGE_UPDATE", world.message_event(msg))
    return ok(payloads.message(msg, world.users))


async def delete_message(request: web.Request) -> web.Response:
    world = core(request).world
    ch = channel(request)
    _require_view(request, ch)
    msg = _message(request, ch)
    if msg.author.id != world.bot_user.id and not has(world.bot_permissions_in(ch), MANAGE_MESSAGES):
        raise errors.missing_permissions()
    msg.deleted = True
    event = {"id": str(msg.id), "channel_id": str(ch.id)}
    if ch.guild_id:
        event["guild_id"] = str(ch.guild_id)
    world.dispatch("MESSAGE_DELETE", event)
    world.notifier.changed()
    return no_content()


def _new_thread(request: web.Request, parent: Channel, type: int, thread_id: int | None = None) -> Channel:
    world = core(request).world
    payload = body(request).json or {}
    name = payload.get("name") or ""
    if not 1 <= len(name) <= 100:
        problem = ("name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
        core(request).violation(f"POST {request.path}: thread name must be 1-100 characters")
        raise errors.invalid_form_body([problem])
    thread = Channel(
        id=thread_id or world.ids.next(),
        type=type,
        name=name,
        guild_id=parent.guild_id,
        parent_id=parent.id,
        owner_id=world.bot_user.id,
        auto_archive_duration=int(payload.get("auto_archive_duration") or 4320),
    )
    world.channels[thread.id] = thread
    world.guilds[parent.guild_id or 0].channels[thread.id] = thread
    world.dispatch("THREAD_CREATE", payloads.channel(thread) | {"newly_created": True})
    world.notifier.changed()
    return thread


async def create_thread(request: web.Request) -> web.Response:
    parent = channel(request)
    if parent.type != 0:
        raise errors.DiscordError(400, 50024, "Cannot execute action on this channel type")
    ttype = int((body(request).json or {}).get("type") or PRIVATE_THREAD)
    if ttype not in (PUBLIC_THREAD, PRIVATE_THREAD):
        raise errors.invalid_form_body([("type", "BASE_TYPE_CHOICES", "Value must be one of {11, 12}.")])
    require(request, parent, CREATE_PUBLIC_THREADS if ttype == PUBLIC_THREAD else CREATE_PRIVATE_THREADS)
    return ok(payloads.channel(_new_thread(request, parent, ttype)), 201)


async def create_thread_from_message(request: web.Request) -> web.Response:
    parent = channel(request)
    msg = _message(request, parent)
    require(request, parent, CREATE_PUBLIC_THREADS)
    if msg.thread_id is not None:
        raise errors.DiscordError(400, 160004, "A thread has already been created for this message")
    # Discord gives a thread started from a message the message's own id.
    thread = _new_thread(request, parent, PUBLIC_THREAD, thread_id=msg.id)
    msg.thread_id = thread.id
    return ok(payloads.channel(thread), 201)


async def typing(request: web.Request) -> web.Response:
    ch = channel(request)
    _require_view(request, ch, SEND_IN_THREADS if ch.is_thread else SEND_MESSAGES)
    return no_content()


async def add_reaction(request: web.Request) -> web.Response:
    ch = channel(request)
    _require_view(request, ch, READ_HISTORY | ADD_REACTIONS)
    msg = _message(request, ch)
    emoji = request.match_info["emoji"]
    if emoji not in msg.reactions:
        msg.reactions.append(emoji)
    core(request).world.notifier.changed()
    return no_content()
