"""The aiohttp application: route table plus the middleware that makes every answer Discord-shaped."""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

from aiohttp import web

from .. import bodies, errors
from . import cdn, channels, commands, guilds, meta, webhooks
from .common import API_PREFIX, BODY, CORE, Handler, check_schema, ok, route_template

if TYPE_CHECKING:
    from ..core import SandboxCore

log = logging.getLogger("discord_sandbox")

# Requests authenticated by the interaction/webhook token in the URL rather than the bot token.
_TOKEN_IN_URL = ("/interactions/", "/webhooks/")


def build_app(core: SandboxCore) -> web.Application:
    app = web.Application(middlewares=[_discord_middleware], client_max_size=64 * 1024 * 1024)
    app[CORE] = core
    api = web.RouteTableDef()
    for module in (meta, commands, channels, guilds, webhooks):
        module.register(api)
    for route in api:
        assert isinstance(route, web.RouteDef)
        app.router.add_route(route.method, API_PREFIX + route.path, route.handler)
    app.router.add_get(core.hub.ws_path, core.hub.handle)
    app.router.add_get(core.hub.resume_path, core.hub.handle)
    app.router.add_get("/attachments/{channel_id}/{attachment_id}/{filename}", cdn.attachment)
    return app


@web.middleware
async def _discord_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    core = request.app[CORE]
    if not request.path.startswith(API_PREFIX):
        return await handler(request)
    path = request.path[len(API_PREFIX) :]
    info = request.match_info
    template = path if info.http_exception else route_template(request)
    try:
        parsed = await bodies.parse(request)
        request[BODY] = parsed
        response = await _answer(core, request, handler, path, template, parsed)
    except errors.DiscordError as exc:
        response = ok(exc.body(), exc.status)
    except Exception as exc:
        # A sandbox bug: fail the test loudly, and answer 400 so discord.py does not retry like on a 5xx.
        log.exception("sandbox: internal error on %s %s", request.method, path)
        core.violation(f"sandbox internal error on {request.method} {path}: {exc!r}")
        parsed = bodies.Body()
        response = ok({"message": f"Sandbox internal error: {exc!r}", "code": 0}, 400)
    shown = {"payload_json": parsed.json, "files": [f.filename for f in parsed.files]} if parsed.files else parsed.json
    core.record(
        "http",
        request.method,
        path,
        shown,
        response.status,
        dict(request.query),
        _response_json(response),
    )
    return response


async def _answer(
    core: SandboxCore,
    request: web.Request,
    handler: Handler,
    path: str,
    template: str,
    parsed: bodies.Body,
) -> web.StreamResponse:
    injected = core.faults.check(request.method, template, path)
    if injected is not None:
        response = ok(injected.body, injected.status)
        response.headers.update(injected.headers)
        return response
    if not path.startswith(_TOKEN_IN_URL) and request.headers.get("Authorization") != f"Bot {core.world.token}":
        raise errors.unauthorized()
    http_exc = request.match_info.http_exception
    if http_exc is not None:
        core.unknown_routes.append(f"{request.method} {path}")
        log.warning("sandbox: no emulation for %s %s (answered %s)", request.method, path, http_exc.status)
        if http_exc.status == 405:
            raise errors.DiscordError(405, 0, "405: Method Not Allowed")
        raise errors.not_found()
    if parsed.error:
        core.violation(f"{request.method} {path}: {parsed.error}")
        raise errors.DiscordError(400, 50109, "The request body contains invalid JSON.")
    if not getattr(handler, "__sandbox_validates_schema__", False):
        check_schema(request)
    dropped = core.faults.dropped_until(request.method, template, path)
    if dropped is not None:
        await dropped.wait()
        return ok({"message": "503: Service Unavailable", "code": 0}, 503)
    answer = await handler(request)
    held = core.faults.held_until(request.method, template, path)
    if held is not None:
        await held.wait()
    lost = core.faults.check_after(request.method, template, path)
    if lost is not None:
        return ok(lost.body, lost.status)
    return answer


def _response_json(response: web.StreamResponse) -> object:
    body = response.body if isinstance(response, web.Response) else None
    if isinstance(body, bytes) and body and response.content_type == "application/json":
        try:
            return json.loads(body)
        except ValueError:
            return None
    return None
