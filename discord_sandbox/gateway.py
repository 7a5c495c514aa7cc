"""Gateway websocket: HELLO, IDENTIFY/READY/GUILD_CREATE, heartbeats, RESUME with replay, dispatch."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import zlib
from collections import Counter, deque
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from . import payloads
from .state import World

log = logging.getLogger("discord_sandbox")

GUILDS = 1 << 0
GUILD_MEMBERS = 1 << 1
GUILD_MESSAGES = 1 << 9
DIRECT_MESSAGES = 1 << 12
MESSAGE_CONTENT = 1 << 15
REPLAY_BUFFER = 2000
HEARTBEAT_INTERVAL_MS = 41250
# Discord's rule: a session may hold at most 2,500 servers; above that a bot must shard, and GET /gateway/bot
# recommends one shard per 2,500 servers.
GUILDS_PER_SHARD = 2500
SHARDING_REQUIRED = 4011
INVALID_SHARD = 4010


def recommended_shards(guild_ids: Collection[int]) -> int:
    """The shard count GET /gateway/bot recommends: one per 2,500 servers, more if ids fall unevenly.

    Servers are spread by id, not dealt out, so at exactly 2,500 per shard some shard would hold more and be
    refused; the count Discord requires is the smallest with no shard over the limit.
    """
    count = max(1, -(-len(guild_ids) // GUILDS_PER_SHARD))
    while max(Counter(shard_of(gid, count) for gid in guild_ids).values(), default=0) > GUILDS_PER_SHARD:
        count += 1
    return count


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard a server's events go to: (guild_id >> 22) % shard_count, as on Discord."""
    return (guild_id >> 22) % shard_count


# Events gated by an intent; anything not listed (READY, INTERACTION_CREATE...) is always sent.
_GUILDS_EVENTS = ("GUILD_", "CHANNEL_", "THREAD_")
_MEMBER_EVENTS = ("GUILD_MEMBER_ADD", "GUILD_MEMBER_UPDATE", "GUILD_MEMBER_REMOVE")

OnSent = Callable[[], None]
LogFn = Callable[..., None]


class _Compressor:
    """zlib-stream: one deflate context per connection, each frame ending in a Z_SYNC_FLUSH marker."""

    def __init__(self, mode: str | None) -> None:
        self.mode = mode
        self._zlib = zlib.compressobj() if mode == "zlib-stream" else None
        self._zstd: Any = None
        if mode == "zstd-stream":
            self._zstd = _zstd_compressor()

    def encode(self, text: str) -> bytes | str:
        raw = text.encode()
        if self._zlib is not None:
            return self._zlib.compress(raw) + self._zlib.flush(zlib.Z_SYNC_FLUSH)
        if self._zstd is not None:
            return self._zstd(raw)
        # Uncompressed text frames are valid for every client: discord.py only decompresses bytes.
        return text


def _zstd_compressor() -> Callable[[bytes], bytes] | None:
    try:
        import zstandard
    except ImportError:
        return None
    ctx = zstandard.ZstdCompressor().compressobj()
    return lambda raw: ctx.compress(raw) + ctx.flush(zstandard.COMPRESSOBJ_FLUSH_BLOCK)


@dataclass(eq=False)
class Connection:
    """One websocket; frames go through a queue so writes keep their order across tasks."""

    ws: web.WebSocketResponse
    compressor: _Compressor
    path: str
    queue: asyncio.Queue[tuple[dict[str, Any], OnSent | None] | None] = field(default_factory=asyncio.Queue)
    session: Session | None = None

    def send(self, frame: dict[str, Any], on_sent: OnSent | None = None) -> None:
        self.queue.put_nowait((frame, on_sent))


@dataclass(eq=False)
class Session:
    """A gateway session: survives dropped connections so a RESUME can replay what was missed."""

    id: str
    intents: int
    seq: int = 0
    conn: Connection | None = None
    dead: bool = False
    buffer: deque[tuple[dict[str, Any], OnSent | None]] = field(default_factory=lambda: deque(maxlen=REPLAY_BUFFER))
    resumes: int = 0
    heartbeats: int = 0
    shard: tuple[int, int] | None = None  # (shard id, shard count) from IDENTIFY; None: unsharded, every server

    def holds(self, guild_id: int | None) -> bool:
        """Whether this session gets a server's events; events outside any server (DMs) go to shard 0."""
        if self.shard is None:
            return True
        shard_id, count = self.shard
        return shard_id == (0 if guild_id is None else shard_of(guild_id, count))


class GatewayHub:
    """Serves the gateway endpoint and fans dispatches out to live sessions."""

    def __init__(self, world: World, record: LogFn, *, ws_path: str, resume_path: str) -> None:
        self.world = world
        self.record = record
        self.ws_path = ws_path
        self.resume_path = resume_path
        self.base_ws_url = ""
        self.sessions: dict[str, Session] = {}
        self.connections: set[Connection] = set()
        self.identifies = 0
        self.resumes = 0
        # Cleared by drop(pause=True): new connections wait before HELLO until resume_accepting().
        self.accepting = asyncio.Event()
        self.accepting.set()
        world.dispatch = self.dispatch

    @property
    def url(self) -> str:
        return self.base_ws_url + self.ws_path

    @property
    def resume_url(self) -> str:
        return self.base_ws_url + self.resume_path

    def live_sessions(self) -> list[Session]:
        return [s for s in self.sessions.values() if not s.dead]

    def connected_sessions(self) -> list[Session]:
        return [s for s in self.live_sessions() if s.conn is not None]

    # --- websocket endpoint --------------------------------------------------------------------
    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True, max_msg_size=0)
        await ws.prepare(request)
        await self.accepting.wait()
        compress = request.query.get("compress")
        conn = Connection(ws=ws, compressor=_Compressor(compress), path=request.path)
        self.connections.add(conn)
        writer = asyncio.create_task(self._writer(conn))
        self.record("gateway", "CONNECT", request.path_qs, None, None)
        conn.send(
            {"op": 10, "d": {"heartbeat_interval": HEARTBEAT_INTERVAL_MS, "_trace": ["sandbox"]}, "s": None, "t": None}
        )
        try:
            async for msg in ws:
                if msg.type is WSMsgType.TEXT:
                    await self._on_frame(conn, json.loads(msg.data))
                elif msg.type is WSMsgType.BINARY:
                    await self._on_frame(conn, json.loads(msg.data.decode()))
        finally:
            self._detach(conn, ws.close_code)
            conn.queue.put_nowait(None)
            with contextlib.suppress(asyncio.CancelledError):
                await writer
        return ws

    async def _writer(self, conn: Connection) -> None:
        while (item := await conn.queue.get()) is not None:
            frame, on_sent = item
            data = conn.compressor.encode(json.dumps(frame, separators=(",", ":")))
            try:
                if isinstance(data, bytes):
                    await conn.ws.send_bytes(data)
                else:
                    await conn.ws.send_str(data)
            except (ConnectionError, RuntimeError):
                return
            self.record("gateway", "SEND", frame.get("t") or f"op {frame.get('op')}", frame.get("d"), frame.get("s"))
            if on_sent is not None:
                on_sent()

    def _detach(self, conn: Connection, close_code: int | None) -> None:
        self.connections.discard(conn)
        session = conn.session
        if session is not None and session.conn is conn:
            session.conn = None
            # A client closing with 1000/1001 ends its session, as on Discord; other closes can RESUME.
            if close_code in (1000, 1001):
                session.dead = True
        self.record("gateway", "DISCONNECT", conn.path, None, close_code)
        self.world.notifier.changed()

    async def _on_frame(self, conn: Connection, frame: dict[str, Any]) -> None:
        op, data = frame.get("op"), frame.get("d")
        if op != 1:
            shown = dict(data, token="<redacted>") if isinstance(data, dict) and "token" in data else data
            self.record("gateway", "RECV", f"op {op}", shown, None)
        if op == 1:
            if conn.session is not None:
                conn.session.heartbeats += 1
                self.world.notifier.changed()
            conn.send({"op": 11, "d": None, "s": None, "t": None})
        elif op == 2:
            await self._identify(conn, data or {})
        elif op == 6:
            await self._resume(conn, data or {})
        elif op == 8:
            self._request_members(conn, data or {})
        elif op in (3, 4):
            pass  # presence / voice state updates have no effect in the sandbox
        else:
            log.warning("sandbox gateway: unhandled opcode %s", op)

    async def _identify(self, conn: Connection, data: dict[str, Any]) -> None:
        if data.get("token") != self.world.token:
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        shard = _shard(data.get("shard"))
        if data.get("shard") is not None and shard is None:
            await conn.ws.close(code=INVALID_SHARD, message=b"Invalid shard.")
            return
        session = Session(id=secrets.token_hex(16), intents=int(data.get("intents", 0)), shard=shard)
        guilds = [g for g in self.world.guilds.values() if session.holds(g.id)]
        if len(guilds) > GUILDS_PER_SHARD:
            # Discord refuses a session that would hold too many servers; the bot must shard (more).
            await conn.ws.close(code=SHARDING_REQUIRED, message=b"Sharding required.")
            return
        self.sessions[session.id] = session
        session.conn = conn
        conn.session = session
        self.identifies += 1
        ready: dict[str, Any] = {
            "v": 10,
            "user": payloads.current_user(self.world.bot_user),
            "user_settings": {},
            "session_type": "normal",
            "session_id": session.id,
            "resume_gateway_url": self.resume_url,
            "relationships": [],
            "private_channels": [],
            "presences": [],
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "application": {"id": str(self.world.application_id), "flags": 0},
            "auth": {},
            "_trace": ["sandbox"],
        }
        if data.get("shard") is not None:
            ready["shard"] = data["shard"]
        self._emit(session, "READY", ready)
        for g in guilds:
            self._emit(session, "GUILD_CREATE", self._guild_create(g.id))
        self.world.notifier.changed()

    async def _resume(self, conn: Connection, data: dict[str, Any]) -> None:
        session = self.sessions.get(str(data.get("session_id")))
        if session is None or session.dead or data.get("token") != self.world.token:
            conn.send({"op": 9, "d": False, "s": None, "t": None})
            return
        if session.conn is not None and session.conn is not conn:
            with contextlib.suppress(Exception):
                await session.conn.ws.close(code=4000)
        session.conn = conn
        conn.session = session
        after = int(data.get("seq") or 0)
        for frame, on_sent in list(session.buffer):
            if frame["s"] > after:
                conn.send(frame, on_sent)
        session.resumes += 1
        self.resumes += 1
        self._emit(session, "RESUMED", {"_trace": ["sandbox"]})
        self.world.notifier.changed()

    def _request_members(self, conn: Connection, data: dict[str, Any]) -> None:
        if conn.session is None:
            return
        ids: Any = data.get("guild_id")  # the client's JSON: one snowflake or a list of them
        for gid in ids if isinstance(ids, list) else [ids]:
            guild = self.world.guilds.get(int(gid))
            if guild is None or not conn.session.holds(guild.id):
                continue
            members = list(guild.members.values())
            wanted = data.get("user_ids")
            if wanted:
                wanted_ids = {int(x) for x in (wanted if isinstance(wanted, list) else [wanted])}
                members = [m for m in members if m.id in wanted_ids]
            query = (data.get("query") or "").lower()
            if query:
                members = [m for m in members if m.user.name.lower().startswith(query)]
            if data.get("limit"):
                members = members[: int(data["limit"])]
            chunk = {
                "guild_id": str(guild.id),
                "members": [payloads.member(m) for m in members],
                "chunk_index": 0,
                "chunk_count": 1,
                "not_found": [],
            }
            if data.get("nonce") is not None:
                chunk["nonce"] = data["nonce"]
            self._emit(conn.session, "GUILD_MEMBERS_CHUNK", chunk)

    # --- dispatch ------------------------------------------------------------------------------
    def dispatch(self, event: str, data: dict[str, Any], on_sent: OnSent | None = None) -> int:
        """Send an event to every live session that may receive it; returns how many got it."""
        count = 0
        guild_id = _guild_of(event, data)
        for session in self.live_sessions():
            if not session.holds(guild_id):
                continue
            shaped = self._shape_for(session, event, data)
            if shaped is None:
                continue
            self._emit(session, event, shaped, on_sent)
            count += 1
        return count

    def _emit(self, session: Session, event: str, data: dict[str, Any], on_sent: OnSent | None = None) -> None:
        session.seq += 1
        frame = {"op": 0, "t": event, "s": session.seq, "d": data}
        session.buffer.append((frame, on_sent))
        if session.conn is not None:
            session.conn.send(frame, on_sent)

    def _shape_for(self, session: Session, event: str, data: dict[str, Any]) -> dict[str, Any] | None:
        intents = session.intents
        if event == "GUILD_CREATE":
            if not intents & GUILDS:
                return None
            # A server joined while connected: Discord leaves out "unavailable" (false means "back from an
            # outage"), which is how a client tells a join (on_guild_join) from a server coming back.
            joined = self._guild_create(int(data["id"]))
            joined.pop("unavailable", None)
            return joined
        if event in _MEMBER_EVENTS:
            # Discord always tells a bot about changes to its own member (roles => permissions).
            own = event == "GUILD_MEMBER_UPDATE" and (data.get("user") or {}).get("id") == str(self.world.bot_user.id)
            return data if intents & GUILD_MEMBERS or own else None
        if event.startswith(_GUILDS_EVENTS):
            return data if intents & GUILDS else None
        if event.startswith("MESSAGE_"):
            needed = GUILD_MESSAGES if "guild_id" in data else DIRECT_MESSAGES
            if not intents & needed:
                return None
            return data if intents & MESSAGE_CONTENT else _without_content(data, self.world.bot_user.id)
        return data

    def _guild_create(self, guild_id: int) -> dict[str, Any]:
        guild = self.world.guilds[guild_id]
        bot_member = self.world.bot_member(guild)
        return payloads.guild_create(guild, bot_member, bot_member.joined_at)

    async def drop(self, code: int = 4000, *, pause: bool = False) -> int:
        """Close every gateway connection from the server side; sessions stay resumable."""
        # With pause=True reconnections are held (before HELLO) until resume_accepting(), so a test
        # can dispatch events that the bot can only get through RESUME's replay.
        if pause:
            self.accepting.clear()
        conns = list(self.connections)
        for conn in conns:
            if conn.session is not None and conn.session.conn is conn:
                conn.session.conn = None
            await conn.ws.close(code=code, message=b"sandbox: connection dropped")
        return len(conns)

    async def sync(self, timeout: float) -> None:
        """Barrier: return once every connected client has processed all frames sent so far."""
        # We send op 1 (HEARTBEAT request); discord.py handles frames in order, so its heartbeat
        # answer proves every earlier dispatch has been parsed into its cache.
        waits = []
        for session in self.connected_sessions():
            assert session.conn is not None
            target = session.heartbeats + 1
            session.conn.send({"op": 1, "d": session.seq, "s": None, "t": None})
            waits.append((session, target))
        for session, target in waits:

            def answered(s: Session = session, t: int = target) -> bool | None:
                return True if s.heartbeats >= t or s.conn is None else None

            await self.world.notifier.wait_for(
                answered,
                timeout,
                "the bot to answer a heartbeat request",
            )

    def resume_accepting(self) -> None:
        self.accepting.set()

    async def close(self) -> None:
        self.accepting.set()
        for conn in list(self.connections):
            with contextlib.suppress(Exception):
                await conn.ws.close(code=1001, message=b"sandbox stopping")


def _without_content(data: dict[str, Any], bot_id: int) -> dict[str, Any]:
    """Without MESSAGE_CONTENT, Discord blanks content of messages not by or mentioning the bot."""
    author = (data.get("author") or {}).get("id")
    mentioned = any(u.get("id") == str(bot_id) for u in data.get("mentions") or [])
    if author == str(bot_id) or mentioned or "guild_id" not in data:
        return data
    return data | {"content": "", "embeds": [], "attachments": [], "components": [], "poll": None}


def _shard(value: Any) -> tuple[int, int] | None:
    """IDENTIFY's [shard_id, num_shards], checked; None when absent or invalid."""
    if not isinstance(value, list) or len(value) != 2 or not all(isinstance(v, int) for v in value):
        return None
    shard_id, count = value
    return (shard_id, count) if count >= 1 and 0 <= shard_id < count else None


def _guild_of(event: str, data: dict[str, Any]) -> int | None:
    """The server an event belongs to (which shard gets it); None for DMs and events outside any server."""
    raw = data.get("id") if event.startswith("GUILD_") and "guild_id" not in data else data.get("guild_id")
    return int(raw) if raw is not None else None
