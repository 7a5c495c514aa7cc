"""Weekly quizzes: the week's questions, counted answers, history and personal results."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from bot.db.cache import GuildCache
from bot.db.connection import Database
from bot.db.models import ExportRow, QuizWeek, RecordedAnswer, from_unix, to_unix
from bot.db.repositories.quiz_reviews import SCHEDULE_REVIEW

CONFIDENCE_WORDS = {1: "guessing", 2: "fairly sure", 3: "certain"}

_WEEK = (
    "SELECT w.id, w.guild_id, w.week, w.focus, w.channel_id, w.message_id, w.opened_at, w.closes_at, w.closed_at,"
    " (SELECT group_concat(item_id, ',') FROM (SELECT item_id FROM quiz_week_items i WHERE i.quiz_id = w.id"
    " ORDER BY position)) AS items FROM quiz_weeks w"
)


class AnswerOutcome(Enum):
    """What happened to a click on an answer."""

    RECORDED = "recorded"
    ALREADY_ANSWERED = "already answered"
    CLOSED = "closed"


@dataclass(frozen=True)
class ItemUsage:
    """How one question fared in one week's quiz of a server."""

    item_id: str
    week: str
    correct: int
    answers: int


@dataclass(frozen=True)
class HistoryAnswer:
    """One of a member's counted answers, by week and question."""

    week: str
    item_id: str
    correct: bool


@dataclass(frozen=True)
class LeaderboardRow:
    """A member's place on the server's leaderboard."""

    user_id: int
    correct: int
    answered: int


@dataclass(frozen=True)
class WeekAnswer:
    """A counted answer in one quiz, as group figures read it: which question, whose (to count people), right."""

    item_id: str
    user_id: int
    correct: bool


@dataclass(frozen=True)
class StatsAnswer:
    """A counted answer as item statistics read it."""

    guild_id: int
    user_id: int
    item_id: str
    choice: int
    correct: bool


def _week(row: sqlite3.Row) -> QuizWeek:
    return QuizWeek(
        id=row["id"],
        guild_id=row["guild_id"],
        week=row["week"],
        focus=row["focus"],
        channel_id=row["channel_id"],
        message_id=row["message_id"],
        opened_at=from_unix(row["opened_at"]),
        closes_at=from_unix(row["closes_at"]),
        closed_at=from_unix(row["closed_at"]),
        item_ids=tuple(row["items"].split(",")) if row["items"] else (),
    )


class QuizRepository:
    """Store quizzes and answers; export and erase a member's answers."""

    member_data_label = "Quiz answers"

    def __init__(self, db: Database) -> None:
        self._db = db
        # Quiz weeks, per server: every click on a quiz looks its week up, and a week changes three times.
        self._cache: GuildCache[Any] = GuildCache(db)

    async def create_week(
        self,
        guild_id: int,
        week: str,
        focus: str | None,
        channel_id: int,
        item_ids: list[str],
        now: datetime,
        closes_at: datetime | None,
    ) -> QuizWeek | None:
        """Open the week's quiz with its questions; None if this week already has one."""
        async with self._db.transaction() as conn:
            inserted = await conn.execute_fetchall(
                "INSERT INTO quiz_weeks (guild_id, week, focus, channel_id, opened_at, closes_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (guild_id, week) DO NOTHING RETURNING id",
                (guild_id, week, focus, channel_id, to_unix(now), to_unix(closes_at)),
            )
            if not inserted:
                return None
            quiz_id = next(iter(inserted))["id"]
            await conn.executemany(
                "INSERT INTO quiz_week_items (quiz_id, position, item_id) VALUES (?, ?, ?)",
                [(quiz_id, position, item_id) for position, item_id in enumerate(item_ids)],
            )
        self._cache.invalidate(guild_id)  # a click that looked this id up before it existed cached "none"
        # The rows just written, as a read would give them back (times at the stored precision).
        stored = from_unix(to_unix(now)), from_unix(to_unix(closes_at))
        return QuizWeek(quiz_id, guild_id, week, focus, channel_id, None, *stored, None, tuple(item_ids))

    async def set_message(self, quiz_id: int, message_id: int) -> None:
        """Remember the channel message that carries the quiz's button."""
        await self._change_week("UPDATE quiz_weeks SET message_id = ? WHERE id = ?", (message_id, quiz_id))

    async def get(self, quiz_id: int) -> QuizWeek | None:
        """Return a quiz by id."""
        row = await self._db.fetchone(f"{_WEEK} WHERE w.id = ?", (quiz_id,))
        return None if row is None else _week(row)

    async def in_server(self, guild_id: int, quiz_id: int) -> QuizWeek | None:
        """Return the server's quiz by id; None if there is none, or it is another server's.

        Cached: every click on a quiz (take, answer, next) looks its quiz up, and a quiz changes three times.
        """
        value: QuizWeek | None = await self._cache.get(
            guild_id, ("week", quiz_id), lambda: self._in_server(guild_id, quiz_id)
        )
        return value

    async def _in_server(self, guild_id: int, quiz_id: int) -> QuizWeek | None:
        row = await self._db.fetchone(f"{_WEEK} WHERE w.id = ? AND w.guild_id = ?", (quiz_id, guild_id))
        return None if row is None else _week(row)

    async def _change_week(self, sql: str, params: tuple[object, ...]) -> bool:
        """Change a quiz's row (`sql` without its RETURNING clause); forget its server's cached copy; False if none."""
        changed = await self._db.write(f"{sql} RETURNING guild_id", params)
        for row in changed:
            self._cache.invalidate(row["guild_id"])
        return bool(changed)

    async def for_week(self, guild_id: int, week: str) -> QuizWeek | None:
        """Return the server's quiz for a week, if any."""
        row = await self._db.fetchone(f"{_WEEK} WHERE w.guild_id = ? AND w.week = ?", (guild_id, week))
        return None if row is None else _week(row)

    async def latest(self, guild_id: int) -> QuizWeek | None:
        """Return the server's most recent quiz, open or closed."""
        row = await self._db.fetchone(f"{_WEEK} WHERE w.guild_id = ? ORDER BY w.week DESC LIMIT 1", (guild_id,))
        return None if row is None else _week(row)

    async def open_quizzes(self, guild_id: int) -> list[QuizWeek]:
        """Return the server's quizzes still open, newest first."""
        rows = await self._db.fetchall(
            f"{_WEEK} WHERE w.guild_id = ? AND w.closed_at IS NULL ORDER BY w.week DESC", (guild_id,)
        )
        return [_week(r) for r in rows]

    async def awaiting_results(self, guild_id: int) -> list[QuizWeek]:
        """Return the server's quizzes that are open, or closed with their results not yet posted."""
        rows = await self._db.fetchall(
            f"{_WEEK} WHERE w.guild_id = ? AND (w.closed_at IS NULL OR w.results_message_id IS NULL)"
            " ORDER BY w.week DESC",
            (guild_id,),
        )
        return [_week(r) for r in rows]

    async def results_posted(self, quiz_id: int) -> bool:
        """Whether the quiz's results reached the channel."""
        row = await self._db.fetchone("SELECT results_message_id FROM quiz_weeks WHERE id = ?", (quiz_id,))
        return row is not None and row["results_message_id"] is not None

    async def set_results_message(self, quiz_id: int, message_id: int) -> None:
        """Remember the results post."""
        await self._change_week("UPDATE quiz_weeks SET results_message_id = ? WHERE id = ?", (message_id, quiz_id))

    async def close(self, quiz_id: int, now: datetime) -> bool:
        """Close a quiz; False if it was already closed."""
        return await self._change_week(
            "UPDATE quiz_weeks SET closed_at = ? WHERE id = ? AND closed_at IS NULL", (to_unix(now), quiz_id)
        )

    async def record_answer(
        self,
        quiz: QuizWeek,
        position: int,
        user_id: int,
        choice: int,
        correct: bool,
        now: datetime,
        review_at: datetime | None = None,
    ) -> AnswerOutcome:
        """Count the member's first answer to a question while the quiz is open.

        With review_at, a counted answer also brings the item back in the member's practice then, in the
        same transaction: one commit for what one click changes.
        """
        async with self._db.transaction() as conn:
            # The closed check and the insert share one transaction, so no answer slips in after close.
            # RETURNING says whether it counted in the same round trip as the insert (a cursor's rowcount and
            # close would be two).
            recorded = await conn.execute_fetchall(
                "INSERT INTO quiz_answers (quiz_id, position, user_id, guild_id, choice, correct, answered_at)"
                " SELECT ?, ?, ?, ?, ?, ?, ? WHERE EXISTS"
                " (SELECT 1 FROM quiz_weeks WHERE id = ? AND closed_at IS NULL)"
                " ON CONFLICT (quiz_id, position, user_id) DO NOTHING RETURNING 1",
                (quiz.id, position, user_id, quiz.guild_id, choice, int(correct), to_unix(now), quiz.id),
            )
            if recorded:
                if review_at is not None:
                    item_id = quiz.item_ids[position]
                    await conn.execute(SCHEDULE_REVIEW, (quiz.guild_id, user_id, item_id, to_unix(review_at)))
                return AnswerOutcome.RECORDED
            async with conn.execute("SELECT closed_at FROM quiz_weeks WHERE id = ?", (quiz.id,)) as cur:
                row = await cur.fetchone()
        closed = row is None or row["closed_at"] is not None
        return AnswerOutcome.CLOSED if closed else AnswerOutcome.ALREADY_ANSWERED

    async def member_answers(self, quiz_id: int, user_id: int) -> dict[int, RecordedAnswer]:
        """Return the member's counted answers in a quiz, by position."""
        rows = await self._db.fetchall(
            "SELECT position, choice, correct FROM quiz_answers WHERE quiz_id = ? AND user_id = ?", (quiz_id, user_id)
        )
        return {
            r["position"]: RecordedAnswer(position=r["position"], choice=r["choice"], correct=bool(r["correct"]))
            for r in rows
        }

    async def set_confidence(self, quiz_id: int, position: int, user_id: int, level: int) -> bool:
        """Record how sure the member was of a counted answer; False if they already said."""
        return (
            await self._db.execute(
                "UPDATE quiz_answers SET confidence = ? WHERE quiz_id = ? AND position = ? AND user_id = ?"
                " AND confidence IS NULL",
                (level, quiz_id, position, user_id),
            )
            == 1
        )

    async def confidence_of(self, quiz_id: int, position: int, user_id: int) -> int | None:
        """Return the confidence the member gave a counted answer, if any."""
        row = await self._db.fetchone(
            "SELECT confidence FROM quiz_answers WHERE quiz_id = ? AND position = ? AND user_id = ?",
            (quiz_id, position, user_id),
        )
        return None if row is None else row[0]

    async def member_confidence(self, guild_id: int, user_id: int) -> list[tuple[int, bool]]:
        """Return (confidence, correct) for each of the member's rated answers; for the member only."""
        rows = await self._db.fetchall(
            "SELECT confidence, correct FROM quiz_answers"
            " WHERE guild_id = ? AND user_id = ? AND confidence IS NOT NULL",
            (guild_id, user_id),
        )
        return [(int(r[0]), bool(r[1])) for r in rows]

    async def choices_by_position(self, quiz_id: int) -> dict[int, list[int]]:
        """Return every counted choice in a quiz, grouped by question (no member ids)."""
        rows = await self._db.fetchall("SELECT position, choice FROM quiz_answers WHERE quiz_id = ?", (quiz_id,))
        grouped: dict[int, list[int]] = {}
        for r in rows:
            grouped.setdefault(r["position"], []).append(r["choice"])
        return grouped

    async def participation(self, quiz_id: int) -> int:
        """Count the members who answered at least one question."""
        return int(
            await self._db.scalar("SELECT COUNT(DISTINCT user_id) FROM quiz_answers WHERE quiz_id = ?", (quiz_id,))
        )

    async def week_answers(self, quiz_id: int) -> list[WeekAnswer]:
        """Return every counted answer of a quiz, by question; callers count people, never show who."""
        rows = await self._db.fetchall(
            "SELECT i.item_id, a.user_id, a.correct FROM quiz_answers a"
            " JOIN quiz_week_items i ON i.quiz_id = a.quiz_id AND i.position = a.position WHERE a.quiz_id = ?",
            (quiz_id,),
        )
        return [WeekAnswer(item_id=r["item_id"], user_id=r["user_id"], correct=bool(r["correct"])) for r in rows]

    async def item_usage(self, guild_id: int) -> list[ItemUsage]:
        """Return how every question the server has used fared, week by week, oldest first."""
        rows = await self._db.fetchall(
            "SELECT i.item_id, w.week, COALESCE(SUM(a.correct), 0) AS correct, COUNT(a.user_id) AS answers"
            " FROM quiz_week_items i JOIN quiz_weeks w ON w.id = i.quiz_id"
            " LEFT JOIN quiz_answers a ON a.quiz_id = i.quiz_id AND a.position = i.position"
            " WHERE w.guild_id = ? GROUP BY i.quiz_id, i.position ORDER BY w.week",
            (guild_id,),
        )
        return [
            ItemUsage(item_id=r["item_id"], week=r["week"], correct=int(r["correct"]), answers=int(r["answers"]))
            for r in rows
        ]

    async def member_history(self, guild_id: int, user_id: int) -> list[HistoryAnswer]:
        """Return each of the member's counted answers, oldest first."""
        rows = await self._db.fetchall(
            "SELECT w.week, i.item_id, a.correct FROM quiz_answers a"
            " JOIN quiz_weeks w ON w.id = a.quiz_id"
            " JOIN quiz_week_items i ON i.quiz_id = a.quiz_id AND i.position = a.position"
            " WHERE a.guild_id = ? AND a.user_id = ? ORDER BY w.week, a.position",
            (guild_id, user_id),
        )
        return [HistoryAnswer(week=r["week"], item_id=r["item_id"], correct=bool(r["correct"])) for r in rows]

    async def leaderboard(self, guild_id: int, limit: int = 10) -> list[LeaderboardRow]:
        """Return the server's members with their right and answered counts, best first."""
        rows = await self._db.fetchall(
            "SELECT user_id, SUM(correct) AS correct, COUNT(*) AS answered FROM quiz_answers WHERE guild_id = ?"
            " GROUP BY user_id ORDER BY SUM(correct) DESC, COUNT(*) ASC LIMIT ?",
            (guild_id, limit),
        )
        return [
            LeaderboardRow(user_id=r["user_id"], correct=int(r["correct"]), answered=int(r["answered"])) for r in rows
        ]

    async def export_member(self, guild_id: int, user_id: int) -> list[ExportRow]:
        """Return the member's counted answers."""
        rows = await self._db.fetchall(
            "SELECT w.week, i.item_id, a.choice, a.correct, a.answered_at, a.confidence FROM quiz_answers a"
            " JOIN quiz_weeks w ON w.id = a.quiz_id"
            " JOIN quiz_week_items i ON i.quiz_id = a.quiz_id AND i.position = a.position"
            " WHERE a.guild_id = ? AND a.user_id = ? ORDER BY a.answered_at",
            (guild_id, user_id),
        )
        return [
            ExportRow.of(
                {
                    "week": r["week"],
                    "question": r["item_id"],
                    "your_answer": "ABCDE"[r["choice"]],
                    "correct": bool(r["correct"]),
                    "answered_at": from_unix(r["answered_at"]).isoformat(),
                    "how_sure": CONFIDENCE_WORDS.get(r["confidence"]),
                }
            )
            for r in rows
        ]

    async def delete_member(self, guild_id: int, user_id: int) -> int:
        """Erase the member's answers; return how many went."""
        return await self._db.execute(
            "DELETE FROM quiz_answers WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )

    async def answers_for_item_stats(self, guild_id: int | None = None) -> list[StatsAnswer]:
        """Return counted answers, oldest first, of one server or (None) of every server."""
        rows = await self._db.fetchall(
            "SELECT a.guild_id, a.user_id, i.item_id, a.choice, a.correct FROM quiz_answers a"
            " JOIN quiz_week_items i ON i.quiz_id = a.quiz_id AND i.position = a.position"
            " WHERE ? IS NULL OR a.guild_id = ? ORDER BY a.answered_at, a.quiz_id, a.position",
            (guild_id, guild_id),
        )
        return [
            StatsAnswer(
                guild_id=r["guild_id"],
                user_id=r["user_id"],
                item_id=r["item_id"],
                choice=int(r["choice"]),
                correct=bool(r["correct"]),
            )
            for r in rows
        ]
