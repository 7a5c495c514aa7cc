"""Confidence and item reports end to end: a confident miss comes back first in the member's own practice,
calibration is private and right, group results never show confidence, and k reports pause an item in one
server only."""

from __future__ import annotations

from datetime import timedelta

from bot.content.banks import quiz_bank
from bot.quiz_catalogue import load_catalogue
from tests.e2e.conftest import build_group, custom_ids, embed_text
from tests.support.db import db_rows
from tests.support.quiz_actions import QUIZ_COGS, open_quiz, quiz_items, take

ITEMS = {item.id: item for item in quiz_bank()}


async def answer(h, member, question, right: bool):  # type: ignore[no-untyped-def]
    """Answer the shown question right or wrong; return the feedback and the item's id."""
    item = ITEMS[quiz_items(h)[int(question.embeds[0]["title"].split()[1]) - 1]]
    letters = [c for c in custom_ids(question) if ":answer:" in c]
    choice = item.correct_index if right else (item.correct_index + 1) % len(item.options)
    return await (await h.sandbox.click(member, question.message, letters[choice])).response(), item


def sure(feedback, level: int) -> str:  # type: ignore[no-untyped-def]
    return next(c for c in custom_ids(feedback) if c.startswith("sv:quiz:sure:") and c.endswith(f":{level}"))


async def test_a_confident_miss_comes_back_first_and_calibration_is_private(make_harness) -> None:
    async with make_harness(cogs=QUIZ_COGS) as h:
        post = await open_quiz(h)
        member = h.group.trainees[0]
        _, question = await take(h, member, post)
        feedback, missed = await answer(h, member, question, right=False)
        assert "How sure were you" in feedback.content
        noted = await (await h.sandbox.click(member, feedback.message, sure(feedback, 3))).response()
        assert "Noted: **certain**" in noted.content and "comes back in your `/quiz practice` tomorrow" in noted.content
        assert not any(c.startswith("sv:quiz:sure:") for c in custom_ids(noted))  # asked once
        assert db_rows(h, "SELECT confidence FROM quiz_answers") == [(3,)]

        # Question 2: right and certain (not scheduled); question 3: right by a guess (back in a week).
        nxt = await (await h.sandbox.click(member, feedback.message, custom_ids(noted)[0])).response()
        feedback2, _ = await answer(h, member, nxt, right=True)
        await (await h.sandbox.click(member, feedback2.message, sure(feedback2, 3))).response()
        nxt = await (await h.sandbox.click(member, feedback2.message, custom_ids(feedback2)[0])).response()
        feedback3, lucky = await answer(h, member, nxt, right=True)
        await (await h.sandbox.click(member, feedback3.message, sure(feedback3, 1))).response()
        due = dict(db_rows(h, "SELECT item_id, due_at - ? FROM quiz_reviews", int(h.clock().timestamp())))
        assert due == {missed.id: 86400, lucky.id: 7 * 86400}

        # Not yet due: practice is random. A day later the confident miss comes first.
        await h.advance(timedelta(days=1))
        shown = await h.run(member, "quiz practice")
        assert shown.embeds[0]["title"].startswith("Review question")
        assert missed.options[0].text in shown.embeds[0]["description"]
        letters = [c for c in custom_ids(shown) if c.startswith("sv:quiz:practice:")]
        fixed = await (await h.sandbox.click(member, shown.message, letters[missed.correct_index])).response()
        assert "Review done" in embed_text(fixed.embeds)
        assert missed.id not in {r[0] for r in db_rows(h, "SELECT item_id FROM quiz_reviews")}

        # Calibration: certain twice, right once; guessing once, right once. Only the member sees it.
        ix = await h.sandbox.invoke(h.group.guild, member, "quiz stats")
        stats = await ix.original_message(predicate=lambda m: bool(m.embeds))
        text = embed_text(stats.embeds)
        assert stats.flags & 64
        assert "- Certain: right 1 of 2 (50%)" in text and "- Guessing: right 1 of 1 (100%)" in text

        # The group's results never mention confidence.
        closing = await h.sandbox.invoke(h.group.guild, h.group.supervisor, "quiz close-now")
        await closing.next_followup()
        results = "\n".join(embed_text(m.embeds) for m in h.sandbox.messages(h.group.channels["quiz"]))
        assert "Quiz results" in results
        # Words the bank's own explanations never use (it does say "confidence" about clients and intervals).
        for word in ("Guessing", "Fairly sure", "How sure", "how sure", "calibration", "Certain:"):
            assert word not in results


async def test_k_reports_pause_an_item_in_that_server_only(make_harness) -> None:
    async with make_harness(cogs=QUIZ_COGS) as h:
        other = build_group(h.sandbox, trainees=1, name="Another group")
        await h.sandbox.sync_gateway()
        post = await open_quiz(h)
        item_id = quiz_items(h)[0]

        async def report(member, reason: str, details: str):  # type: ignore[no-untyped-def]
            _, question = await take(h, member, post)
            feedback, _ = await answer(h, member, question, right=False)
            button = next(c for c in custom_ids(feedback) if c.startswith("sv:quiz:report:"))
            picker = await (await h.sandbox.click(member, feedback.message, button)).response()
            opened = await h.sandbox.select(member, picker.message, custom_ids(picker)[0], [reason])
            field = (await opened.modal())["components"][0]["components"][0]["custom_id"]
            return await (await h.sandbox.submit_modal(member, opened, {field: details})).response()

        t = h.group.trainees
        first = await report(t[0], "ambiguous", "B also fits @everyone")
        assert "supervisors' queue, without your name" in first.content and "paused" not in first.content
        too_long = await report(t[1], "wrong_key", "x" * 600)
        assert "600 characters; the limit is 500" in too_long.content
        edit = await h.sandbox.click(t[1], too_long.message, custom_ids(too_long)[0])
        field = (await edit.modal())["components"][0]["components"][0]
        assert field["value"] == "x" * 600  # the text is handed back, not lost
        resent = await (
            await h.sandbox.submit_modal(t[1], edit, {field["custom_id"]: "The key should be C"})
        ).response()
        assert "supervisors' queue" in resent.content
        assert db_rows(h, "SELECT COUNT(*) FROM quiz_paused_items") == [(0,)]
        third = await report(t[2], "unclear", "")
        assert "paused here until a supervisor looks" in third.content
        assert db_rows(h, "SELECT guild_id, item_id FROM quiz_paused_items") == [(h.group.guild.id, item_id)]
        # Paused here: never drawn in practice. Another server is untouched.
        for _ in range(15):
            shown = await h.run(t[3], "quiz practice")
            # An id is a whole segment of a custom id: "transference-004" is not "countertransference-004".
            assert item_id not in {part for cid in custom_ids(shown) for part in cid.split(":")}
        catalogue_here = await load_catalogue(h.bot.repos, h.group.guild.id)
        catalogue_there = await load_catalogue(h.bot.repos, other.guild.id)
        assert item_id not in {i.id for i in catalogue_here.selectable()}
        assert item_id in {i.id for i in catalogue_there.selectable()}

        # Supervisors see the queue without names; members can't.
        refused = await h.run(t[0], "quiz bank reports")
        assert "Only supervisors" in refused.content
        queue = await h.run(h.group.supervisor, "quiz bank reports")
        assert f"`{item_id}` · **paused** · 3 reports" in queue.content
        assert "B also fits @\u200beveryone" in queue.content and "The key should be C" in queue.content
        for member in t:
            assert member.user.name not in queue.content and str(member.id) not in queue.content
        keep = next(c for c in custom_ids(queue) if c == f"sv:quiz:reports:resolve:{item_id}")
        kept = await (await h.sandbox.click(h.group.supervisor, queue.message, keep)).response()
        assert "stays in use (unpaused); 3 reports marked as looked at" in kept.content
        assert db_rows(h, "SELECT COUNT(*) FROM quiz_paused_items") == [(0,)]
        assert "No open reports" in (await h.run(h.group.supervisor, "quiz bank reports")).content
        # A new report reopens the queue; switching the item off closes it for good.
        await report(t[3], "source", "Outdated")
        queue = await h.run(h.group.supervisor, "quiz bank reports")
        off = next(c for c in custom_ids(queue) if c == f"sv:quiz:reports:disable:{item_id}")
        await (await h.sandbox.click(h.group.supervisor, queue.message, off)).response()
        assert (h.group.guild.id, item_id) in db_rows(h, "SELECT guild_id, item_id FROM quiz_disabled_items")
        assert other.guild.id not in {r[0] for r in db_rows(h, "SELECT guild_id FROM quiz_disabled_items")}
