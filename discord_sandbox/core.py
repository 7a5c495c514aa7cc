"""The sandbox's moving parts wired together: world, gateway, interactions, faults, schema, logs."""

from __future__ import annotations

import logging
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web

from .commands import CommandRegistry
from .faults import Faults
from .gateway import GatewayHub
from .interactions import InteractionManager
from .rest.app import build_app
from .rest.common import API_PREFIX
from .schema import REQUIRE_SPEC_ENV, SPEC_ENV, SpecValidator, validator_for
from .state import World

log = logging.getLogger("discord_sandbox")

WS_PATH = "/gateway-ws"
RESUME_WS_PATH = "/gateway-ws/resume"


@dataclass
class LogEntry:
    """One HTTP request (kind "http") or gateway frame/connection event (kind "gateway")."""

    kind: str
    method: str
    path: str
    json: Any
    status: int | None
    time: float
    query: dict[str, str] | None = None
    response: Any = None


class SandboxCore:
    """Owns the aiohttp server; scenario.Sandbox adds the test-facing API on top."""

    def __init__(
        self,
        *,
        validate_schema: bool | None = None,
        spec_path: str | Path | None = None,
        interaction_deadline: float = 3.0,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.world = World()
        self.log: list[LogEntry] = []
        self.violations: list[str] = []
        self.unknown_routes: list[str] = []
        self.faults = Faults()
        self.commands = CommandRegistry(self.world.application_id, self.world.ids)
        self.hub = GatewayHub(self.world, self.record, ws_path=WS_PATH, resume_path=RESUME_WS_PATH)
        self.interactions = InteractionManager(self.world, self.hub, self.violation, deadline=interaction_deadline)
        self._validate_schema = validate_schema
        self._spec_path = spec_path
        self.validator: SpecValidator | None = None
        self._host, self._port = host, port
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    # --- lifecycle -----------------------------------------------------------------------------
    async def start(self) -> None:
        """Load the spec (if enabled), bind a free port and start serving."""
        if self._validate_schema is not False:
            self.validator = validator_for(self._spec_path)
            # CI sets REQUIRE_SPEC_ENV so validation can never switch itself off silently.
            required = self._validate_schema or os.environ.get(REQUIRE_SPEC_ENV, "") not in ("", "0")
            if self.validator is None and required:
                raise RuntimeError(f"schema validation required but the spec ({SPEC_ENV}) or jsonschema is unavailable")
        self._runner = web.AppRunner(build_app(self), access_log=None, handle_signals=False)
        await self._runner.setup()
        # Bind the socket ourselves so the OS-chosen free port is known before serving.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self._host, self._port))
        port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()
        self.base_url = f"http://{self._host}:{port}"
        self.world.base_url = self.base_url
        self.hub.base_ws_url = f"ws://{self._host}:{port}"

    async def stop(self) -> None:
        """Close gateway connections and the server."""
        await self.hub.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # --- addresses -----------------------------------------------------------------------------
    @property
    def api_base(self) -> str:
        """What discord.http.Route.BASE must be set to."""
        return self.base_url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        """The gateway websocket URL (also returned by GET /gateway/bot)."""
        return self.hub.url

    @property
    def schema_validation_enabled(self) -> bool:
        return self.validator is not None

    # --- records -------------------------------------------------------------------------------
    def record(
        self,
        kind: str,
        method: str,
        path: str,
        json: Any,
        status: int | None,
        query: dict[str, str] | None = None,
        response: Any = None,
    ) -> None:
        self.log.append(LogEntry(kind, method, path, json, status, time.monotonic(), query, response))

    def violation(self, text: str) -> None:
        """Record a broken Discord rule; the pytest fixture fails the test that caused it."""
        log.warning("sandbox violation: %s", text)
        self.violations.append(text)
        self.world.notifier.changed()

    def take_violations(self) -> list[str]:
        """Return and clear the recorded violations (for tests that provoke one on purpose)."""
        out, self.violations[:] = list(self.violations), []
        return out

    def requests(self, method: str | None = None, path: str | None = None) -> list[LogEntry]:
        """Logged HTTP requests, filtered by method and/or exact API path."""
        return [
            e
            for e in self.log
            if e.kind == "http" and (method is None or e.method == method) and (path is None or e.path == path)
        ]
