"""Driving interactions through the sandbox: setup clicks, a paced stream, and reading callback times."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from discord_sandbox import Interaction, Sandbox
from discord_sandbox.models import Member, Message

DEADLINE = 3.0


@dataclass(frozen=True)
class AnswerTarget:
    """A member's own ephemeral question and the answer button to press on it."""

    member: Member
    message: Message
    custom_id: str


def _custom_ids(components: list[dict]) -> list[str]:  # type: ignore[type-arg]
    return [c["custom_id"] for row in components for c in row.get("components", []) if c.get("custom_id")]


async def take_all(sb: Sandbox, members: Sequence[Member], post: Message, *, parallel: int = 20) -> list[AnswerTarget]:
    """Press the channel's take button for every member (setup, not measured); return their answer buttons."""
    take_id = _custom_ids(post.components)[0]
    gate = asyncio.Semaphore(parallel)

    async def one(member: Member) -> AnswerTarget:
        async with gate:
            ix = await sb.click(member, post, take_id)
            shown = await ix.response(timeout=30)
        answer = next(c for c in _custom_ids(shown.components) if ":answer:" in c)
        assert shown.message is not None
        return AnswerTarget(member, shown.message, answer)

    return list(await asyncio.gather(*(one(m) for m in members)))


async def paced(actions: Sequence[Callable[[], Awaitable[Interaction]]], rate: float) -> list[Interaction]:
    """Start each action at its slot of a steady `rate` per second (asyncio timing, no catch-up bursts skipped)."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    out = []
    for index, action in enumerate(actions):
        delay = start + index / rate - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        out.append(await action())
    return out


async def wait_settled(sb: Sandbox, interactions: Sequence[Interaction], timeout: float) -> None:
    """Wait until every interaction got a callback or was refused; give up quietly after `timeout`."""
    cursor = 0

    def probe() -> bool | None:
        nonlocal cursor
        while cursor < len(interactions) and (interactions[cursor].initial or interactions[cursor].rejected):
            cursor += 1
        return True if cursor == len(interactions) else None

    with contextlib.suppress(TimeoutError):
        await sb.wait_for(probe, timeout=timeout, what="every interaction to be answered")


def callback_times(sb: Sandbox) -> dict[int, float]:
    """Interaction id -> when the sandbox accepted its initial callback (monotonic seconds)."""
    out: dict[int, float] = {}
    for entry in sb.log:
        accepted = entry.status is not None and entry.status < 300
        if entry.kind == "http" and entry.method == "POST" and entry.path.endswith("/callback") and accepted:
            out[int(entry.path.split("/")[2])] = entry.time
    return out


def followup_times(sb: Sandbox) -> dict[str, float]:
    """Interaction token -> when the sandbox accepted its first followup (monotonic seconds)."""
    out: dict[str, float] = {}
    for entry in sb.log:
        accepted = entry.status is not None and entry.status < 300
        if entry.kind == "http" and entry.method == "POST" and entry.path.startswith("/webhooks/") and accepted:
            out.setdefault(entry.path.rsplit("/", 1)[1], entry.time)
    return out


@dataclass
class Outcome:
    """Latencies of answered interactions, plus those refused or over 3 s (late) and never answered."""

    values: list[float]
    late: int
    missing: int
    violations: int = 0


def outcome(interactions: Sequence[Interaction], times: dict[int, float]) -> Outcome:
    """Measure each interaction from INTERACTION_CREATE sent to its callback accepted."""
    result = Outcome([], 0, 0)
    for ix in interactions:
        answered = times.get(ix.id)
        if answered is None or ix.sent_at is None:
            result.late += bool(ix.rejected)
            result.missing += not ix.rejected
            continue
        value = answered - ix.sent_at
        result.values.append(value)
        result.late += value > DEADLINE
    return result
