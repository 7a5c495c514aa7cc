"""Claimed runs of schedules and system jobs: the guarantee against double posts."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import datetime

from bot.db.connection import Database
from bot.db.models import Fire, from_unix, to_unix

_SELECT = "SELECT id, job, schedule_id, guild_id, kind, scheduled_for, status, detail, attempts, retry_at FROM fires"


# Fire ids as one JSON parameter: a process may hold more fires than SQLite allows parameters (32,766).
_IDS = "SELECT value FROM json_each(?)"


def _ids(ids: Collection[int]) -> str:
    return json.dumps(sorted(ids))


def _fire(row: sqlite3.Row) -> Fire:
    return Fire(
        id=row["id"],
        job=row["job"],
        schedule_id=row["schedule_id"],
        guild_id=row["guild_id"],
        kind=row["kind"],
        scheduled_for=from_unix(row["scheduled_for"]),
        status=row["status"],
        detail=row["detail"],
        attempts=row["attempts"],
        retry_at=from_unix(row["retry_at"]) if row["retry_at"] is not None else None,
    )


# Nine columns a row: well under SQLite's 32,766 bound parameters per statement.
_CLAIMS_PER_STATEMENT = 500
_CLAIM_ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?)"
_JOBS_PER_STATEMENT = 5000


@dataclass(frozen=True)
class FireClaim:
    """A due time to claim: whose, of what kind, when, and whether it runs (claimed) or is recorded (skipped)."""

    job: str
    kind: str
    scheduled_for: datetime
    schedule_id: int | None = None
    guild_id: int | None = None
    status: str = "claimed"
    detail: str | None = None


class FireRepository:
    """Claim fires exactly once and record how they went."""

    retention_key = "fire_history_days"

    def __init__(self, db: Database) -> None:
        self._db = db

    async def claim(
        self,
        job: str,
        kind: str,
        scheduled_for: datetime,
        now: datetime,
        *,
        schedule_id: int | None = None,
        guild_id: int | None = None,
        status: str = "claimed",
        detail: str | None = None,
    ) -> Fire | None:
        """Insert the fire if nobody has; return it when this caller won the claim, else None."""
        claim = FireClaim(job, kind, scheduled_for, schedule_id, guild_id, status, detail)
        return (await self.claim_many([claim], now))[0]

    async def claim_many(self, claims: list[FireClaim], now: datetime) -> list[Fire | None]:
        """Insert every fire nobody has claimed yet, in one transaction; return each one this caller won, else None.

        A fan-out claims hundreds of fires at once: one commit (one fsync) for all of them instead of one each.
        """
        won: dict[tuple[str, int], int] = {}
        async with self._db.transaction() as conn:
            for start in range(0, len(claims), _CLAIMS_PER_STATEMENT):
                chunk = claims[start : start + _CLAIMS_PER_STATEMENT]
                params: list[object] = []
                for c in chunk:
                    finished = None if c.status == "claimed" else to_unix(now)
                    params += [c.job, c.schedule_id, c.guild_id, c.kind, to_unix(c.scheduled_for), c.status, c.detail]
                    params += [to_unix(now), finished]
                rows = await conn.execute_fetchall(
                    "INSERT INTO fires (job, schedule_id, guild_id, kind, scheduled_for, status, detail,"
                    f" claimed_at, finished_at) VALUES {', '.join([_CLAIM_ROW] * len(chunk))}"
                    " ON CONFLICT (job, scheduled_for) DO NOTHING RETURNING id, job, scheduled_for",
                    params,
                )
                won.update({(row["job"], row["scheduled_for"]): row["id"] for row in rows})
        out: list[Fire | None] = []
        for c in claims:
            fire_id = won.pop((c.job, int(c.scheduled_for.timestamp())), None)  # pop: a repeated claim wins once
            if fire_id is None:
                out.append(None)
            else:
                out.append(Fire(fire_id, c.job, c.schedule_id, c.guild_id, c.kind, c.scheduled_for, c.status, c.detail))
        return out

    async def finish(
        self, fire_id: int, status: str, detail: str | None, now: datetime, retry_at: datetime | None = None
    ) -> None:
        """Record the outcome of a claimed fire, and when to try again if it failed for a passing reason."""
        await self._db.write(
            "UPDATE fires SET status = ?, detail = ?, finished_at = ?, retry_at = ? WHERE id = ?",
            (status, detail, to_unix(now), to_unix(retry_at), fire_id),
        )

    async def reclaim_retries(self, now: datetime, since: datetime, max_attempts: int) -> list[Fire]:
        """Claim the fires due for another try (scheduled after `since`); each is won by one caller.

        Failed fires count the new try as an attempt; rate-limited ones (still claimed, with a retry
        time) did not fail, so their count stays.
        """
        async with self._db.transaction() as conn:
            async with conn.execute(
                f"{_SELECT} WHERE retry_at IS NOT NULL AND retry_at <= ? AND status IN ('failed', 'claimed')"
                " AND scheduled_for >= ? AND attempts < ?",
                (to_unix(now), to_unix(since), max_attempts),
            ) as cur:
                rows = await cur.fetchall()
            await conn.executemany(
                "UPDATE fires SET status = 'claimed', retry_at = NULL, attempts = attempts + (status = 'failed'),"
                " claimed_at = ? WHERE id = ?",
                [(to_unix(now), row["id"]) for row in rows],
            )
        return [
            replace(_fire(row), status="claimed", retry_at=None, attempts=row["attempts"] + (row["status"] == "failed"))
            for row in rows
        ]

    async def renew_claims(self, fire_ids: Collection[int], now: datetime) -> None:
        """Say this process still holds these claimed fires, so no other takes them over (one statement for all)."""
        await self._db.write(
            f"UPDATE fires SET claimed_at = ? WHERE id IN ({_IDS}) AND status = 'claimed'",
            (to_unix(now), _ids(fire_ids)),
        )

    async def oldest_claim(self, held: Collection[int] = ()) -> datetime | None:
        """When the least recently renewed claim, other than those `held` here, was last renewed."""
        row = await self._db.fetchone(
            f"SELECT MIN(claimed_at) FROM fires WHERE status = 'claimed' AND retry_at IS NULL AND id NOT IN ({_IDS})",
            (_ids(held),),
        )
        return from_unix(row[0]) if row and row[0] is not None else None

    async def take_over_stale(
        self, now: datetime, renewed_before: datetime, since: datetime, max_attempts: int, held: Collection[int] = ()
    ) -> tuple[list[Fire], list[Fire]]:
        """Claim the fires whose holder stopped renewing before `renewed_before`: a process that died mid-way.

        Returns (taken over, given up). A fire already tried `max_attempts` times, or scheduled before
        `since` (too late to be of use), is recorded as failed instead of tried again. Fires `held` by
        the caller are its own work in progress, whatever their renewal says (it may have just woken).
        """
        async with self._db.transaction() as conn:
            async with conn.execute(
                # A claimed fire with a retry time is waiting out a rate limit, held by nobody: the retry takes it.
                f"{_SELECT} WHERE status = 'claimed' AND retry_at IS NULL AND claimed_at < ? AND id NOT IN ({_IDS})",
                (to_unix(renewed_before), _ids(held)),
            ) as cur:
                rows = await cur.fetchall()
            taken: list[Fire] = []
            given_up: list[Fire] = []
            for row in rows:
                fire = _fire(row)
                if fire.attempts >= max_attempts:
                    detail = f"the bot stopped while working on it; gave up after {max_attempts} attempts"
                elif fire.scheduled_for < since:
                    detail = "the bot stopped while working on it, and it is now too late to finish"
                else:
                    await conn.execute(
                        "UPDATE fires SET attempts = attempts + 1, claimed_at = ? WHERE id = ?",
                        (to_unix(now), fire.id),
                    )
                    taken.append(replace(fire, attempts=fire.attempts + 1))
                    continue
                await conn.execute(
                    "UPDATE fires SET status = 'failed', detail = ?, finished_at = ? WHERE id = ?",
                    (detail, to_unix(now), fire.id),
                )
                given_up.append(replace(fire, status="failed", detail=detail))
        return taken, given_up

    async def next_retry(self, since: datetime, max_attempts: int) -> datetime | None:
        """Return when the earliest pending retry is due (of fires scheduled after `since`), if any."""
        row = await self._db.fetchone(
            "SELECT MIN(retry_at) FROM fires WHERE retry_at IS NOT NULL AND status IN ('failed', 'claimed')"
            " AND scheduled_for >= ? AND attempts < ?",
            (to_unix(since), max_attempts),
        )
        return from_unix(row[0]) if row and row[0] is not None else None

    async def steps_done(self, fire_id: int) -> dict[str, str]:
        """Return the steps of a fire already done, each with what it made (a message id, or '')."""
        rows = await self._db.fetchall("SELECT step, value FROM fire_steps WHERE fire_id = ?", (fire_id,))
        return {row["step"]: row["value"] for row in rows}

    async def record_step(self, fire_id: int, step: str, value: str = "") -> None:
        """Record one step of a fire as done; recording it again changes nothing."""
        await self._db.write(
            "INSERT INTO fire_steps (fire_id, step, value) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            (fire_id, step, value),
        )

    async def latest_for_jobs(self, jobs: list[str]) -> dict[str, datetime]:
        """Return, for each of these jobs with history, the scheduled time of its most recent fire."""
        latest: dict[str, datetime] = {}
        for start in range(0, len(jobs), _JOBS_PER_STATEMENT):
            chunk = jobs[start : start + _JOBS_PER_STATEMENT]
            rows = await self._db.fetchall(
                "SELECT job, MAX(scheduled_for) AS latest FROM fires"
                f" WHERE job IN ({', '.join('?' * len(chunk))}) GROUP BY job",
                chunk,
            )
            latest.update({r["job"]: from_unix(r["latest"]) for r in rows})
        return latest

    async def latest_for_job(self, job: str) -> datetime | None:
        """Return the scheduled time of the job's most recent recorded fire."""
        return from_unix(await self._db.scalar("SELECT MAX(scheduled_for) FROM fires WHERE job = ?", (job,)))

    async def recent_for_guild(self, guild_id: int, limit: int = 10) -> list[Fire]:
        """Return the server's latest fires, newest first."""
        rows = await self._db.fetchall(
            f"{_SELECT} WHERE guild_id = ? ORDER BY scheduled_for DESC, id DESC LIMIT ?", (guild_id, limit)
        )
        return [_fire(r) for r in rows]

    async def for_job(self, job: str) -> list[Fire]:
        """Return every recorded fire of a job, oldest first."""
        return [_fire(r) for r in await self._db.fetchall(f"{_SELECT} WHERE job = ? ORDER BY scheduled_for", (job,))]

    async def purge_before(self, cutoff: datetime) -> int:
        """Delete fire history older than cutoff; return how many rows went."""
        return await self._db.execute("DELETE FROM fires WHERE scheduled_for < ?", (to_unix(cutoff),))

    async def latest_by_job(self) -> dict[str, datetime]:
        """Return, for every job with history, the scheduled time of its most recent fire."""
        rows = await self._db.fetchall("SELECT job, MAX(scheduled_for) AS latest FROM fires GROUP BY job")
        return {r["job"]: from_unix(r["latest"]) for r in rows}
