"""Users, application info, gateway discovery and DM channels."""

from __future__ import annotations

from aiohttp import web

from .. import errors, payloads
from ..gateway import recommended_shards
from .common import body, core, ok, snowflake


def register(api: web.RouteTableDef) -> None:
    api.get("/users/@me")(current_user)
    api.get("/users/{user_id}")(get_user)
    api.get("/oauth2/applications/@me")(application)
    api.get("/applications/@me")(application)
    api.get("/gateway")(gateway)
    api.get("/gateway/bot")(gateway_bot)
    api.post("/users/@me/channels")(create_dm)


async def current_user(request: web.Request) -> web.Response:
    return ok(payloads.current_user(core(request).world.bot_user))


async def get_user(request: web.Request) -> web.Response:
    user = core(request).world.users.get(snowflake(request, "user_id", errors.not_found("User", 10013)))
    if user is None:
        raise errors.not_found("User", 10013)
    return ok(payloads.user(user))


async def application(request: web.Request) -> web.Response:
    world = core(request).world
    owner = payloads.user(world.bot_user) | {"username": "sandbox_owner", "bot": False}
    return ok(
        {
            "id": str(world.application_id),
            "name": world.bot_user.name,
            "icon": None,
            "description": "Local Discord emulator application",
            "summary": "",
            "type": None,
            "bot": payloads.user(world.bot_user),
            "bot_public": False,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "flags": 0,
            "owner": owner,
            "team": None,
            "interactions_endpoint_url": None,
            "redirect_uris": [],
            "tags": [],
            "integration_types_config": {"0": {}},
            "approximate_guild_count": len(world.guilds),
        }
    )


async def gateway(request: web.Request) -> web.Response:
    return ok({"url": core(request).gateway_url})


async def gateway_bot(request: web.Request) -> web.Response:
    return ok(
        {
            "url": core(request).gateway_url,
            "shards": recommended_shards(core(request).world.guilds.keys()),
            "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1},
        }
    )


async def create_dm(request: web.Request) -> web.Response:
    world = core(request).world
    recipient = (body(request).json or {}).get("recipient_id")
    if recipient is None or not str(recipient).isdigit() or int(recipient) not in world.users:
        raise errors.invalid_form_body([("recipient_id", "NUMBER_TYPE_COERCE", "Value is not snowflake.")])
    ch = world.dm_channel(int(recipient))
    return ok(payloads.channel(ch, world.users))
