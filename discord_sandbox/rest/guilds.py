"""Guild, member, role and channel listings."""

from __future__ import annotations

from aiohttp import web

from .. import errors, payloads
from ..models import Guild
from .common import core, ok, snowflake


def register(api: web.RouteTableDef) -> None:
    api.get("/guilds/{guild_id}")(get_guild)
    api.get("/guilds/{guild_id}/channels")(list_channels)
    api.get("/guilds/{guild_id}/roles")(list_roles)
    api.get("/guilds/{guild_id}/members")(list_members)
    api.get("/guilds/{guild_id}/members/{user_id}")(get_member)


def _guild(request: web.Request) -> Guild:
    guild = core(request).world.guilds.get(snowflake(request, "guild_id", errors.not_found("Guild", 10004)))
    if guild is None:
        raise errors.not_found("Guild", 10004)
    return guild


async def get_guild(request: web.Request) -> web.Response:
    guild = _guild(request)
    out = payloads.guild(guild)
    if request.query.get("with_counts") in ("true", "1"):
        out |= {"approximate_member_count": len(guild.members), "approximate_presence_count": 0}
    return ok(out)


async def list_channels(request: web.Request) -> web.Response:
    return ok([payloads.channel(c) for c in _guild(request).channels.values() if not c.is_thread])


async def list_roles(request: web.Request) -> web.Response:
    return ok([payloads.role(r) for r in _guild(request).roles.values()])


async def list_members(request: web.Request) -> web.Response:
    guild = _guild(request)
    after = int(request.query.get("after", 0))
    limit = max(1, min(1000, int(request.query.get("limit", 1))))
    members = sorted((m for m in guild.members.values() if m.id > after), key=lambda m: m.id)
    return ok([payloads.member(m) for m in members[:limit]])


async def get_member(request: web.Request) -> web.Response:
    guild = _guild(request)
    member = guild.members.get(snowflake(request, "user_id", errors.not_found("Member", 10007)))
    if member is None:
        raise errors.not_found("Member", 10007)
    return ok(payloads.member(member))
