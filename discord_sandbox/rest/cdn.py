"""Serving uploaded attachment bytes so discord.py's Attachment.read() works."""

from __future__ import annotations

from aiohttp import web

from .common import core


async def attachment(request: web.Request) -> web.StreamResponse:
    raw = request.match_info["attachment_id"]
    att = core(request).world.attachments.get(int(raw)) if raw.isdigit() else None
    if att is None or att.filename != request.match_info["filename"]:
        raise web.HTTPNotFound()
    return web.Response(body=att.data, content_type=att.content_type or "application/octet-stream")
