"""Parsing request bodies the way Discord accepts them: JSON, or multipart with payload_json + files[n]."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import BodyPartReader, web


@dataclass
class UploadedFile:
    """One files[n] part of a multipart request."""

    field: str
    filename: str
    content_type: str | None
    data: bytes

    @property
    def index(self) -> int | None:
        """n in files[n] (discord.py also uses plain "file" for a single upload)."""
        if self.field.startswith("files[") and self.field.endswith("]"):
            return int(self.field[6:-1])
        return 0 if self.field == "file" else None


@dataclass
class Body:
    """The JSON payload of a request plus any uploaded files."""

    json: Any = None
    files: list[UploadedFile] = field(default_factory=list)
    multipart: bool = False
    error: str | None = None


async def parse(request: web.Request) -> Body:
    """Read the request body once; malformed JSON is reported in `error` rather than raised."""
    if request.method in ("GET", "HEAD") or not request.can_read_body:
        return Body()
    ctype = request.content_type
    if ctype.startswith("multipart/"):
        return await _parse_multipart(request)
    raw = await request.read()
    if not raw:
        return Body()
    try:
        return Body(json=json.loads(raw))
    except ValueError as exc:
        return Body(error=f"body is not valid JSON: {exc}")


async def _parse_multipart(request: web.Request) -> Body:
    body = Body(multipart=True)
    reader = await request.multipart()
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader):
            continue
        data = await part.read(decode=True)
        if part.filename:
            ctype = part.headers.get("Content-Type")
            body.files.append(UploadedFile(part.name or "", part.filename, ctype, bytes(data)))
        elif part.name == "payload_json":
            try:
                body.json = json.loads(bytes(data).decode())
            except ValueError as exc:
                body.error = f"payload_json is not valid JSON: {exc}"
    return body
