"""Quiz repositories on a real SQLite file: weeks, answers, history, export, delete, and a server's own items."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.db.models import QuizSettings, RecordedAnswer
from bot.db.repositories import Repositories
from bot.db.repositories.quiz import AnswerOutcome, HistoryAnswer, ItemUsage, LeaderboardRow, StatsAnswer
from bot.db.repositories.quiz_bank import CustomItem
from tests.support.db import db_rows

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
GUILD, MEMBER, OTHER = 111, 201, 202


async def test_settings_default_then_saved(repos: Repositories) -> None:
    assert await repos.quiz_settings.get(GUILD) == QuizSettings(GUILD)
    wanted = QuizSettings(GUILD, ("empathy", "congruence"), 4, True)
    await repos.quiz_settings.save(wanted)
    assert await repos.quiz_settings.get(GUILD) == wanted


async def test_a_missed_answer_and_its_review_are_stored_in_one_commit(repos: Repositories) -> None:
    quiz = await repos.quiz.create_week(GUILD, "2026-03-02", "empathy", 7, ["e1", "e2"], NOW, None)
    assert quiz is not None and repos.db is not None
    commits = repos.db.commits
    later = NOW + timedelta(days=2)
    assert await repos.quiz.record_answer(quiz, 1, MEMBER, 0, False, NOW, review_at=later) is AnswerOutcome.RECORDED
    assert repos.db.commits - commits == 1
    assert [(r.item_id, r.due_at) for r in await repos.quiz_reviews.due(GUILD, MEMBER, later)] == [("e2", later)]
    # A second answer to the same question counts for nothing and schedules nothing.
    outcome = await repos.quiz.record_answer(quiz, 1, MEMBER, 2, False, NOW, review_at=NOW + timedelta(days=9))
    assert outcome is AnswerOutcome.ALREADY_ANSWERED
    assert [r.due_at for r in await repos.quiz_reviews.due(GUILD, MEMBER, later)] == [later]


async def test_a_week_opens_once_counts_first_answers_and_closes(repos: Repositories) -> None:
    quiz = await repos.quiz.create_week(GUILD, "2026-03-02", "empathy", 7, ["e1", "e2"], NOW, None)
    assert quiz is not None and quiz.item_ids == ("e1", "e2") and quiz.is_open and quiz.opened_at == NOW
    assert await repos.quiz.create_week(GUILD, "2026-03-02", None, 7, ["e3"], NOW, None) is None
    await repos.quiz.set_message(quiz.id, 99)
    announced = await repos.quiz.for_week(GUILD, "2026-03-02")
    assert announced is not None and announced.message_id == 99
    assert await repos.quiz.record_answer(quiz, 0, MEMBER, 1, True, NOW) is AnswerOutcome.RECORDED
    assert await repos.quiz.record_answer(quiz, 0, MEMBER, 2, False, NOW) is AnswerOutcome.ALREADY_ANSWERED
    await repos.quiz.record_answer(quiz, 1, MEMBER, 0, False, NOW)
    await repos.quiz.record_answer(quiz, 0, OTHER, 2, False, NOW)
    assert await repos.quiz.member_answers(quiz.id, MEMBER) == {
        0: RecordedAnswer(0, 1, True),
        1: RecordedAnswer(1, 0, False),
    }
    assert {p: sorted(c) for p, c in (await repos.quiz.choices_by_position(quiz.id)).items()} == {0: [1, 2], 1: [0]}
    assert await repos.quiz.participation(quiz.id) == 2
    assert [q.id for q in await repos.quiz.open_quizzes(GUILD)] == [quiz.id]
    assert await repos.quiz.close(quiz.id, NOW + timedelta(days=1))
    assert not await repos.quiz.close(quiz.id, NOW + timedelta(days=2))
    assert await repos.quiz.record_answer(quiz, 1, OTHER, 1, True, NOW) is AnswerOutcome.CLOSED
    assert [q.id for q in await repos.quiz.awaiting_results(GUILD)] == [quiz.id]
    assert not await repos.quiz.results_posted(quiz.id)
    await repos.quiz.set_results_message(quiz.id, 100)
    assert await repos.quiz.results_posted(quiz.id)
    assert await repos.quiz.awaiting_results(GUILD) == []
    latest = await repos.quiz.latest(GUILD)
    assert latest is not None and latest.closed_at == NOW + timedelta(days=1)
    assert await repos.quiz.get(quiz.id + 1) is None


async def test_history_usage_leaderboard_and_item_stats_are_named_rows(repos: Repositories) -> None:
    first = await repos.quiz.create_week(GUILD, "2026-03-02", None, 7, ["e1", "c1"], NOW, None)
    second = await repos.quiz.create_week(GUILD, "2026-03-09", None, 7, ["e1"], NOW + timedelta(7), None)
    assert first is not None and second is not None
    await repos.quiz.record_answer(first, 0, MEMBER, 1, True, NOW)
    await repos.quiz.record_answer(first, 1, MEMBER, 0, False, NOW + timedelta(minutes=1))
    await repos.quiz.record_answer(first, 0, OTHER, 2, False, NOW + timedelta(minutes=2))
    await repos.quiz.record_answer(second, 0, OTHER, 1, True, NOW + timedelta(days=7))
    assert await repos.quiz.item_usage(GUILD) == [
        ItemUsage("e1", "2026-03-02", correct=1, answers=2),
        ItemUsage("c1", "2026-03-02", correct=0, answers=1),
        ItemUsage("e1", "2026-03-09", correct=1, answers=1),
    ]
    assert await repos.quiz.member_history(GUILD, MEMBER) == [
        HistoryAnswer("2026-03-02", "e1", True),
        HistoryAnswer("2026-03-02", "c1", False),
    ]
    assert await repos.quiz.leaderboard(GUILD) == [LeaderboardRow(MEMBER, 1, 2), LeaderboardRow(OTHER, 1, 2)]
    stats = await repos.quiz.answers_for_item_stats(GUILD)
    assert stats[0] == StatsAnswer(GUILD, MEMBER, "e1", 1, True) and len(stats) == 4
    assert await repos.quiz.answers_for_item_stats(GUILD + 1) == []
    assert len(await repos.quiz.answers_for_item_stats()) == 4


async def test_export_and_delete_touch_only_the_member(repos: Repositories) -> None:
    quiz = await repos.quiz.create_week(GUILD, "2026-03-02", None, 7, ["e1"], NOW, None)
    elsewhere = await repos.quiz.create_week(GUILD + 1, "2026-03-02", None, 8, ["e1"], NOW, None)
    assert quiz is not None and elsewhere is not None
    await repos.quiz.record_answer(quiz, 0, MEMBER, 2, False, NOW)
    await repos.quiz.record_answer(quiz, 0, OTHER, 1, True, NOW)
    await repos.quiz.record_answer(elsewhere, 0, MEMBER, 1, True, NOW)
    exported = [row.as_dict() for row in await repos.quiz.export_member(GUILD, MEMBER)]
    assert exported == [
        {
            "week": "2026-03-02",
            "question": "e1",
            "your_answer": "C",
            "correct": False,
            "answered_at": NOW.isoformat(),
            "how_sure": None,  # the member did not say how sure they were
        }
    ]
    assert await repos.quiz.delete_member(GUILD, MEMBER) == 1
    assert await repos.quiz.export_member(GUILD, MEMBER) == []
    assert db_rows(repos.db.path, "SELECT guild_id, user_id FROM quiz_answers ORDER BY guild_id, user_id") == [
        (GUILD, OTHER),
        (GUILD + 1, MEMBER),
    ]


async def test_a_servers_own_items_and_switched_off_items(repos: Repositories) -> None:
    item = {"id": "own-1", "element": "empathy", "stem": "A question ✨", "options": []}
    await repos.quiz_bank.add_items(GUILD, [item], NOW)
    assert await repos.quiz_bank.custom_items(GUILD) == [CustomItem("own-1", "empathy", item)]
    assert await repos.quiz_bank.custom_items(GUILD + 1) == []
    assert await repos.quiz_bank.custom_ids(GUILD) == {"own-1"}
    assert await repos.quiz_bank.disable(GUILD, "e1")
    assert not await repos.quiz_bank.disable(GUILD, "e1")
    assert await repos.quiz_bank.disabled(GUILD) == {"e1"}
    assert await repos.quiz_bank.disabled(GUILD + 1) == set()
