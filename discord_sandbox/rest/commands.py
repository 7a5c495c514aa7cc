"""Application command registration (global and guild scopes)."""

from __future__ import annotations

from aiohttp import web

from .. import errors, limits
from .common import body, check_schema, core, no_content, ok, snowflake, validates_schema

_GLOBAL = "/applications/{application_id}/commands"
_GUILD = "/applications/{application_id}/guilds/{guild_id}/commands"


def register(api: web.RouteTableDef) -> None:
    for base in (_GLOBAL, _GUILD):
        api.get(base)(list_commands)
        api.put(base)(overwrite)
        api.post(base)(upsert)
        api.get(base + "/{command_id}")(get_command)
        api.patch(base + "/{command_id}")(edit_command)
        api.delete(base + "/{command_id}")(delete_command)


def _scope(request: web.Request) -> int | None:
    sandbox = core(request)
    if snowflake(request, "application_id") != sandbox.world.application_id:
        raise errors.DiscordError(403, 50001, "Missing Access")
    if "guild_id" not in request.match_info:
        return None
    guild_id = snowflake(request, "guild_id")
    if guild_id not in sandbox.world.guilds:
        raise errors.DiscordError(403, 50001, "Missing Access")
    return guild_id


def _check(request: web.Request, commands: list[dict]) -> None:
    problems = limits.check_commands(commands)
    if problems:
        sandbox = core(request)
        for path, _, message in problems:
            sandbox.violation(f"{request.method} {request.path}: command {path}: {message}")
        raise errors.invalid_form_body(problems)
    check_schema(request)


async def list_commands(request: web.Request) -> web.Response:
    return ok(core(request).commands.list(_scope(request)))


@validates_schema
async def overwrite(request: web.Request) -> web.Response:
    scope = _scope(request)
    commands = body(request).json or []
    _check(request, commands)
    stored = core(request).commands.overwrite(scope, commands)
    core(request).world.notifier.changed()
    return ok(stored)


@validates_schema
async def upsert(request: web.Request) -> web.Response:
    scope = _scope(request)
    cmd = body(request).json or {}
    _check(request, [cmd])
    stored = core(request).commands.upsert(scope, cmd)
    core(request).world.notifier.changed()
    return ok(stored, 201)


async def get_command(request: web.Request) -> web.Response:
    found = core(request).commands.get(_scope(request), snowflake(request, "command_id"))
    if found is None:
        raise errors.not_found("application command", 10063)
    return ok(found)


@validates_schema
async def edit_command(request: web.Request) -> web.Response:
    scope = _scope(request)
    registry = core(request).commands
    found = registry.get(scope, snowflake(request, "command_id"))
    if found is None:
        raise errors.not_found("application command", 10063)
    merged = found | (body(request).json or {})
    _check(request, [merged])
    return ok(registry.upsert(scope, merged))


async def delete_command(request: web.Request) -> web.Response:
    if not core(request).commands.delete(_scope(request), snowflake(request, "command_id")):
        raise errors.not_found("application command", 10063)
    return no_content()
