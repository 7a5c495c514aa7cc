"""Interaction callbacks and interaction webhooks (followups, @original and followup message edits)."""

from __future__ import annotations

from aiohttp import web

from .. import payloads
from ..interactions import Interaction
from .common import body, check_schema, core, no_content, ok, snowflake, validates_schema


def register(api: web.RouteTableDef) -> None:
    api.post("/interactions/{interaction_id}/{interaction_token}/callback")(callback)
    api.post("/webhooks/{webhook_id}/{webhook_token}")(followup)
    for method in ("GET", "PATCH", "DELETE"):
        api.route(method, "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}")(webhook_message)


def _truthy(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true")


@validates_schema
async def callback(request: web.Request) -> web.Response:
    manager = core(request).interactions
    ix = manager.lookup(snowflake(request, "interaction_id"), request.match_info["interaction_token"])
    result = manager.callback(ix, body(request), lambda: check_schema(request))
    return ok(result) if _truthy(request.query.get("with_response")) else no_content()


def _interaction(request: web.Request) -> Interaction:
    return core(request).interactions.webhook(snowflake(request, "webhook_id"), request.match_info["webhook_token"])


@validates_schema
async def followup(request: web.Request) -> web.Response:
    ix = _interaction(request)
    msg = core(request).interactions.followup(ix, body(request), lambda: check_schema(request))
    if _truthy(request.query.get("wait")):
        return ok(payloads.message(msg, core(request).world.users))
    return no_content()


@validates_schema
async def webhook_message(request: web.Request) -> web.Response:
    manager = core(request).interactions
    ix = _interaction(request)
    message_id = request.match_info["message_id"]
    users = core(request).world.users
    if request.method == "GET":
        return ok(payloads.message(manager.find_message(ix, message_id), users))
    if request.method == "PATCH":
        return ok(
            payloads.message(manager.edit_message(ix, message_id, body(request), lambda: check_schema(request)), users)
        )
    manager.delete_message(ix, message_id)
    return no_content()
