"""Members' DM prompt subscriptions and the deliveries claimed for them."""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from bot.db.connection import Database
from bot.db.models import ExportRow, from_unix, to_unix


@dataclass(frozen=True)
class Subscription:
    """When a member wants prompts by DM, in their own zone."""

    guild_id: int
    user_id: int
    weekdays: tuple[int, ...]
    local_time: str
    timezone: str
    quiet_start: str | None
    quiet_end: str | None
    active: bool
    paused_until: datetime | None
    active_from: datetime
    # Discord's id of the DM channel with the member, once a prompt has opened it.
    dm_channel_id: int | None = None


@dataclass(frozen=True)
class DueCheck:
    """An active subscription and the latest due time already claimed for it: what a DM tick looks at."""

    subscription: Subscription
    last_due: datetime | None


@dataclass(frozen=True)
class Delivery:
    """One due DM prompt for one member, claimed before it is sent so it goes out once."""

    guild_id: int
    user_id: int
    due_at: datetime
    prompt_id: str
    # Tries so far: 1 for the first claim, one more each time a stopped process's claim was taken over.
    attempts: int = 1


@dataclass(frozen=True)
class DeliveryOutcome:
    """How a claimed DM went: sent, failed or skipped; or released, to be tried again on a later tick."""

    guild_id: int
    user_id: int
    due_at: datetime
    status: str
    # The member's DM channel, when this delivery opened it, to remember for the next prompt.
    dm_channel_id: int | None = None
    # Why the bot gave up on it (a failure of ours, not Discord's refusal), in English as dm_failures keeps it.
    detail: str | None = None


_COLUMNS = (
    "guild_id, user_id, weekdays, local_time, timezone, quiet_start, quiet_end, active, paused_until,"
    " active_from, dm_channel_id"
)
_SELECT = f"SELECT {_COLUMNS} FROM subscriptions"
# Deliveries per INSERT: six values a row, well under SQLite's bound-parameter limit.
_CLAIMS_PER_STATEMENT = 1000
_CLAIM_ROW = "(?, ?, ?, ?, 'claimed', ?, ?)"
# What settling a claim clears: the lease means nothing once the DM's outcome is recorded.
_UNHELD = "holder = '', claimed_at = NULL"


def _subscription(row: sqlite3.Row) -> Subscription:
    return Subscription(
        guild_id=row["guild_id"],
        user_id=row["user_id"],
        weekdays=tuple(int(d) for d in row["weekdays"].split(",")),
        local_time=row["local_time"],
        timezone=row["timezone"],
        quiet_start=row["quiet_start"],
        quiet_end=row["quiet_end"],
        active=bool(row["active"]),
        paused_until=from_unix(row["paused_until"]),
        active_from=from_unix(row["active_from"]),
        dm_channel_id=row["dm_channel_id"],
    )


def _marks(held: Collection[str]) -> str:
    """Placeholders for the held batches; with none, '' (which no live claim has: a claim always names its batch)."""
    return ", ".join("?" * len(held)) or "''"


class SubscriptionRepository:
    """Subscribe, pause and list; claim each due DM once, as a lease; export and erase a member's rows.

    A claim names the batch holding it (`holder`, a random token per DM tick) and when the batch last renewed
    it (`claimed_at`). A claim not renewed for CLAIM_LEASE belongs to a process that stopped mid-send, and the
    next DM tick of a process that does not hold it takes it over.
    """

    member_data_label = "Reflective prompt subscription and deliveries"
    retention_key = "dm_delivery_days"

    def __init__(self, db: Database) -> None:
        self._db = db

    async def subscribe(self, subscription: Subscription) -> None:
        """Create or replace the member's subscription (starting now, so nothing old is replayed)."""
        s = subscription
        await self._db.write(
            "INSERT INTO subscriptions (guild_id, user_id, weekdays, local_time, timezone, quiet_start, quiet_end,"
            " active, paused_until, active_from) VALUES (?, ?, ?, ?, ?, ?, ?, 1, NULL, ?)"
            " ON CONFLICT (guild_id, user_id) DO UPDATE SET weekdays = excluded.weekdays,"
            " local_time = excluded.local_time, timezone = excluded.timezone, quiet_start = excluded.quiet_start,"
            " quiet_end = excluded.quiet_end, active = 1, paused_until = NULL, active_from = excluded.active_from",
            (
                s.guild_id,
                s.user_id,
                ",".join(map(str, s.weekdays)),
                s.local_time,
                s.timezone,
                s.quiet_start,
                s.quiet_end,
                to_unix(s.active_from),
            ),
        )

    async def get(self, guild_id: int, user_id: int) -> Subscription | None:
        """Return the member's subscription, if any."""
        row = await self._db.fetchone(f"{_SELECT} WHERE guild_id = ? AND user_id = ?", (guild_id, user_id))
        return None if row is None else _subscription(row)

    async def active(self) -> list[Subscription]:
        """Return every active subscription."""
        return [_subscription(r) for r in await self._db.fetchall(f"{_SELECT} WHERE active = 1")]

    async def active_with_last_due(self) -> list[DueCheck]:
        """Return every active subscription with its latest claimed due time, in one read."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS}, (SELECT MAX(d.due_at) FROM dm_deliveries d"
            " WHERE d.guild_id = s.guild_id AND d.user_id = s.user_id) AS last_due"
            " FROM subscriptions s WHERE active = 1"
        )
        return [DueCheck(_subscription(r), from_unix(r["last_due"])) for r in rows]

    async def claim_many(self, deliveries: list[Delivery], now: datetime, holder: str) -> list[bool]:
        """Claim due DMs for a batch in one transaction; for each, whether this caller won it (so it is sent once)."""
        won: set[tuple[int, int, int]] = set()
        async with self._db.transaction() as conn:
            for start in range(0, len(deliveries), _CLAIMS_PER_STATEMENT):
                chunk = deliveries[start : start + _CLAIMS_PER_STATEMENT]
                params: list[object] = []
                for d in chunk:
                    params += [d.guild_id, d.user_id, to_unix(d.due_at), d.prompt_id, holder, to_unix(now)]
                rows = await conn.execute_fetchall(
                    "INSERT INTO dm_deliveries (guild_id, user_id, due_at, prompt_id, status, holder, claimed_at)"
                    f" VALUES {', '.join([_CLAIM_ROW] * len(chunk))}"
                    " ON CONFLICT DO NOTHING RETURNING guild_id, user_id, due_at",
                    params,
                )
                won.update((r["guild_id"], r["user_id"], r["due_at"]) for r in rows)
        return [(d.guild_id, d.user_id, int(d.due_at.timestamp())) in won for d in deliveries]

    async def renew_claims(self, holder: str, now: datetime) -> int:
        """Say a batch is still sending: every DM it holds and has not settled stays its own for another lease."""
        return await self._db.execute(
            "UPDATE dm_deliveries SET claimed_at = ? WHERE status = 'claimed' AND holder = ?", (to_unix(now), holder)
        )

    async def take_over_stale(
        self, now: datetime, renewed_before: datetime, holder: str, held: Collection[str], orphans_of: str = ""
    ) -> list[Delivery]:
        """Claim for a batch the DMs whose holder stopped mid-send; return them with their tries so far.

        A holder stopped if it has not renewed since `renewed_before`, or if it ran under `orphans_of` (a fire
        whose lease ran out and that the caller has taken over: its batch's claims need not wait out a lease of
        their own). DMs of the batches `held` by the caller are its own work in progress, whatever their renewal
        says (the process may have just woken), and are never taken. Whether to send or give up is the caller's.
        """
        orphaned = " OR substr(holder, 1, ?) = ?" if orphans_of else ""
        prefix = (len(orphans_of) + 1, f"{orphans_of}:") if orphans_of else ()
        async with self._db.transaction() as conn:
            rows = await conn.execute_fetchall(
                "UPDATE dm_deliveries SET holder = ?, claimed_at = ?, attempts = attempts + 1"
                f" WHERE status = 'claimed' AND (claimed_at < ?{orphaned}) AND holder NOT IN ({_marks(held)})"
                " RETURNING guild_id, user_id, due_at, prompt_id, attempts",
                (holder, to_unix(now), to_unix(renewed_before), *prefix, *held),
            )
        return [
            Delivery(r["guild_id"], r["user_id"], from_unix(r["due_at"]), r["prompt_id"], r["attempts"])
            for r in sorted(rows, key=lambda r: (r["due_at"], r["guild_id"], r["user_id"]))
        ]

    async def settle_many(self, outcomes: list[DeliveryOutcome], holder: str) -> None:
        """Record how a batch of claimed DMs went, in one transaction, and remember DM channels they opened.

        A released DM (to try again on a later tick) is given back only while this batch still holds it: one
        another process has taken over is that process's to settle.
        """
        if not outcomes:
            return
        released = [o for o in outcomes if o.status == "released"]
        settled = [o for o in outcomes if o.status != "released"]
        channels = [o for o in outcomes if o.dm_channel_id is not None]
        async with self._db.transaction() as conn:
            await conn.executemany(
                f"UPDATE dm_deliveries SET status = ?, detail = ?, {_UNHELD}"
                " WHERE guild_id = ? AND user_id = ? AND due_at = ?",
                [(o.status, o.detail, o.guild_id, o.user_id, to_unix(o.due_at)) for o in settled],
            )
            await conn.executemany(
                "DELETE FROM dm_deliveries WHERE guild_id = ? AND user_id = ? AND due_at = ? AND status = 'claimed'"
                " AND holder = ?",
                [(o.guild_id, o.user_id, to_unix(o.due_at), holder) for o in released],
            )
            await conn.executemany(
                "UPDATE subscriptions SET dm_channel_id = ? WHERE guild_id = ? AND user_id = ?",
                [(o.dm_channel_id, o.guild_id, o.user_id) for o in channels],
            )

    async def forget_dm_channel(self, guild_id: int, user_id: int) -> None:
        """Forget a remembered DM channel Discord no longer knows, so the next prompt opens a new one."""
        await self._db.write(
            "UPDATE subscriptions SET dm_channel_id = NULL WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )

    async def unsubscribe(self, guild_id: int, user_id: int) -> bool:
        """Remove the member's subscription."""
        return (
            await self._db.execute("DELETE FROM subscriptions WHERE guild_id = ? AND user_id = ?", (guild_id, user_id))
            > 0
        )

    async def pause(self, guild_id: int, user_id: int, until: datetime | None) -> bool:
        """Pause until a moment (still active, DMs skipped) or indefinitely (inactive)."""
        return (
            await self._db.execute(
                "UPDATE subscriptions SET active = ?, paused_until = ? WHERE guild_id = ? AND user_id = ?",
                (int(until is not None), to_unix(until), guild_id, user_id),
            )
            > 0
        )

    async def claim(
        self, guild_id: int, user_id: int, due_at: datetime, prompt_id: str, now: datetime, holder: str
    ) -> bool:
        """Claim one due DM for a batch; False if it was already claimed (so it is never sent twice)."""
        return (await self.claim_many([Delivery(guild_id, user_id, due_at, prompt_id)], now, holder))[0]

    async def release(self, guild_id: int, user_id: int, due_at: datetime, holder: str) -> None:
        """Give up a batch's claim, so the DM is tried again on a later tick."""
        await self.settle_many([DeliveryOutcome(guild_id, user_id, due_at, "released")], holder)

    async def settle(self, guild_id: int, user_id: int, due_at: datetime, status: str) -> None:
        """Record how a claimed DM went."""
        await self.settle_many([DeliveryOutcome(guild_id, user_id, due_at, status)], holder="")

    async def last_due(self, guild_id: int, user_id: int) -> datetime | None:
        """Return the latest due time already claimed for the member."""
        latest = await self._db.scalar(
            "SELECT MAX(due_at) FROM dm_deliveries WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )
        return from_unix(latest)

    async def recent_failures(self, guild_id: int, user_id: int, limit: int) -> int:
        """Count consecutive failed deliveries, newest first, up to limit.

        Only Discord's refusals count: a DM the bot gave up on (it kept stopping mid-send) says nothing about the
        member's DMs, so it neither counts nor breaks a run.
        """
        rows = await self._db.fetchall(
            "SELECT status FROM dm_deliveries WHERE guild_id = ? AND user_id = ? AND status IN ('sent', 'failed')"
            " AND detail IS NULL ORDER BY due_at DESC LIMIT ?",
            (guild_id, user_id, limit),
        )
        count = 0
        for row in rows:
            if row["status"] != "failed":
                break
            count += 1
        return count

    async def purge_before(self, cutoff: datetime) -> int:
        """Forget delivery records older than the cutoff (the subscription itself stays)."""
        return await self._db.execute("DELETE FROM dm_deliveries WHERE due_at < ?", (to_unix(cutoff),))

    async def export_member(self, guild_id: int, user_id: int) -> list[ExportRow]:
        """Return the member's subscription and delivery history."""
        out: list[ExportRow] = []
        sub = await self.get(guild_id, user_id)
        if sub is not None:
            out.append(
                ExportRow.of(
                    {
                        "subscription": "direct-message prompts",
                        "weekdays (Monday = 0)": list(sub.weekdays),
                        "local_time": sub.local_time,
                        "timezone": sub.timezone,
                        "quiet_hours": f"{sub.quiet_start}-{sub.quiet_end}" if sub.quiet_start else None,
                        "active": sub.active,
                        "paused_until": sub.paused_until.isoformat() if sub.paused_until else None,
                        "dm_channel_id": sub.dm_channel_id,
                    }
                )
            )
        rows = await self._db.fetchall(
            "SELECT due_at, prompt_id, status, detail FROM dm_deliveries WHERE guild_id = ? AND user_id = ?"
            " ORDER BY due_at",
            (guild_id, user_id),
        )
        for r in rows:
            entry: dict[str, object] = {
                "delivery_due_at": from_unix(r["due_at"]).isoformat(),
                "prompt": r["prompt_id"],
                "status": r["status"],
            }
            if r["detail"] is not None:
                entry["why"] = r["detail"]
            out.append(ExportRow.of(entry))
        return out

    async def delete_member(self, guild_id: int, user_id: int) -> int:
        """Erase the member's subscription and delivery history."""
        async with self._db.transaction() as conn:
            total = 0
            for table in ("subscriptions", "dm_deliveries"):
                async with conn.execute(
                    f"DELETE FROM {table} WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
                ) as cur:
                    total += cur.rowcount
        return total
