"""Helpers shared by the REST handlers."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .. import errors
from ..bodies import Body
from ..models import Channel
from ..permissions import VIEW_CHANNEL, has

if TYPE_CHECKING:
    from ..core import SandboxCore

API_PREFIX = "/api/v10"
CORE: web.AppKey[SandboxCore] = web.AppKey("sandbox_core")
BODY: web.RequestKey[Body] = web.RequestKey("sandbox_body", Body)


def core(request: web.Request) -> SandboxCore:
    return request.app[CORE]


def body(request: web.Request) -> Body:
    return request.get(BODY) or Body()


def ok(data: Any, status: int = 200) -> web.Response:
    # Exactly "application/json" (no charset): discord.py's json_or_text compares the header verbatim.
    return web.Response(body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"})


def no_content() -> web.Response:
    return web.Response(status=204)


def snowflake(request: web.Request, name: str, unknown: errors.DiscordError | None = None) -> int:
    """A numeric path parameter; a non-numeric one is a 404 like Discord's router gives."""
    raw = request.match_info[name]
    if not raw.isdigit():
        raise unknown or errors.not_found()
    return int(raw)


def channel(request: web.Request) -> Channel:
    ch = core(request).world.channels.get(snowflake(request, "channel_id", errors.unknown_channel()))
    if ch is None:
        raise errors.unknown_channel()
    return ch


def require(request: web.Request, ch: Channel, needed: int) -> None:
    """403 like Discord: Missing Access (50001) without VIEW_CHANNEL, else Missing Permissions (50013)."""
    perms = core(request).world.bot_permissions_in(ch)
    if not has(perms, VIEW_CHANNEL):
        raise errors.missing_access()
    if not has(perms, needed):
        raise errors.missing_permissions()


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def validates_schema(handler: Handler) -> Handler:
    """Mark a handler that calls check_schema() itself, after its Discord-specific checks."""
    # The middleware validates every other body up front; these handlers first report the more precise
    # errors (unknown interaction, already acknowledged, limits...) as Discord would.
    handler.__sandbox_validates_schema__ = True  # type: ignore[attr-defined]  # a marker the middleware reads
    return handler


def route_template(request: web.Request) -> str:
    """The matched route's path below the API prefix, e.g. '/channels/{channel_id}/messages'."""
    resource = request.match_info.route.resource
    assert resource is not None  # only called for requests a route matched
    return resource.canonical.removeprefix(API_PREFIX)


def check_schema(request: web.Request) -> None:
    """Validate the JSON body (or payload_json) against the OpenAPI operation; record + 400 on failure."""
    sandbox = core(request)
    parsed = body(request)
    if sandbox.validator is None or request.method not in ("POST", "PUT", "PATCH") or parsed.json is None:
        return
    path = request.path.removeprefix(API_PREFIX)
    problems = sandbox.validator.validate(request.method, path, parsed.json)
    if problems:
        template = route_template(request)
        for problem in problems:
            sandbox.violation(f"{request.method} {template}: schema: {problem}")
        raise errors.invalid_form_body([(p.split(":", 1)[0], "SCHEMA", p) for p in problems])
