"""Weekly quizzes end to end: open, take privately, one counted answer, resume, close, results, bank."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from datetime import timedelta
from pathlib import Path

from bot.content.banks import quiz_bank
from tests.e2e.conftest import custom_ids, embed_text, is_png, running, set_up_group
from tests.support.db import db_rows
from tests.support.quiz_actions import QUIZ_COGS, open_quiz, quiz_items, take

ITEMS = {item.id: item for item in quiz_bank()}


async def test_member_takes_the_quiz_privately_with_explanations(make_harness) -> None:
    async with make_harness(cogs=QUIZ_COGS) as h:
        post = await open_quiz(h)
        assert "This week's quiz is open" in post.embeds[0]["title"]
        assert custom_ids(post) == [f"sv:quiz:take:{db_rows(h, 'SELECT id FROM quiz_weeks')[0][0]}"]
        member = h.group.trainees[0]
        _, question = await take(h, member, post)
        assert question.ephemeral
        first = ITEMS[quiz_items(h)[0]]
        assert question.embeds[0]["title"] == "Question 1 of 5"
        assert first.options[0].text in question.embeds[0]["description"]
        letters = [c for c in custom_ids(question) if ":answer:" in c]
        assert len(letters) == len(first.options)
        wrong = (first.correct_index + 1) % len(first.options)
        clicked = await h.sandbox.click(member, question.message, letters[wrong])
        feedback = await clicked.response()
        text = embed_text(feedback.embeds)
        assert "Not quite" in text
        assert first.options[wrong].explanation in text and first.options[first.correct_index].explanation in text
        assert db_rows(h, "SELECT user_id, position, choice, correct FROM quiz_answers") == [(member.id, 0, wrong, 0)]


async def test_one_counted_answer_per_member_under_concurrent_clicks(make_harness) -> None:
    async with make_harness(cogs=QUIZ_COGS, trainees=20) as h:
        post = await open_quiz(h)
        opened = await asyncio.gather(*(take(h, m, post) for m in h.group.trainees))
        clicks = []
        for number, (member, (_, question)) in enumerate(zip(h.group.trainees, opened, strict=True)):
            letters = [c for c in custom_ids(question) if ":answer:" in c]
            clicks.append(h.sandbox.click(member, question.message, letters[0]))
            if number % 3 == 0:  # some click twice: the same option, or another one
                clicks.append(h.sandbox.click(member, question.message, letters[number % len(letters)]))
        interactions = await asyncio.gather(*clicks)
        responses = await asyncio.gather(*(ix.response() for ix in interactions))
        refusals = [r for r in responses if "Your first answer is the one that counts" in r.content]
        assert len(refusals) == 7  # members 0, 3, 6, ..., 18 clicked twice
        counted = db_rows(h, "SELECT user_id, COUNT(*) FROM quiz_answers GROUP BY user_id")
        assert sorted(counted) == sorted((m.id, 1) for m in h.group.trainees)
        assert {r[0] for r in db_rows(h, "SELECT choice FROM quiz_answers")} == {0}


async def test_a_member_who_stops_resumes_where_they_left_off(make_harness) -> None:
    async with make_harness(cogs=QUIZ_COGS) as h:
        post = await open_quiz(h)
        member = h.group.trainees[1]
        _, question = await take(h, member, post)
        await (await h.sandbox.click(member, question.message, custom_ids(question)[0])).response()
        ix = await h.sandbox.invoke(h.group.guild, member, "quiz take")
        resumed = await ix.response()
        assert resumed.embeds[0]["title"] == "Question 2 of 5"
        for position in range(1, 5):
            ix = await h.sandbox.invoke(h.group.guild, member, "quiz take")
            shown = await ix.response()
            assert shown.embeds[0]["title"] == f"Question {position + 1} of 5"
            await (await h.sandbox.click(member, shown.message, custom_ids(shown)[0])).response()
        done = await (await h.sandbox.invoke(h.group.guild, member, "quiz take")).response()
        assert "You've finished this week's quiz" in done.content
        assert db_rows(h, "SELECT COUNT(*) FROM quiz_answers WHERE user_id = ?", member.id) == [(5,)]


async def test_results_show_shares_without_names_and_a_chart(make_harness) -> None:
    async with make_harness(cogs=QUIZ_COGS) as h:
        post = await open_quiz(h)
        first = ITEMS[quiz_items(h)[0]]
        choices = [first.correct_index, first.correct_index, (first.correct_index + 1) % len(first.options)]
        for member, choice in zip(h.group.trainees, choices, strict=False):
            _, question = await take(h, member, post)
            await (await h.sandbox.click(member, question.message, custom_ids(question)[choice])).response()
        closed = await h.run(h.group.supervisor, "quiz close-now")
        assert closed.ephemeral
        results = await h.sandbox.wait_for_message(
            h.group.channels["quiz"], lambda m: bool(m.embeds) and "Quiz results" in m.embeds[0].get("title", "")
        )
        text = embed_text(results.embeds)
        assert "3 members took part" in text
        letter = "ABCDE"[first.correct_index]
        assert f"**{letter} 67% ✓**" in text and "3 answered." in text
        assert first.options[first.correct_index].explanation in text
        assert len(results.attachments) == 1 and is_png(results.attachments[0].data)
        everything = " ".join(embed_text(m.embeds) + m.content for m in h.sandbox.messages(h.group.channels["quiz"]))
        for member in h.group.trainees:
            assert str(member.id) not in everything and member.user.name not in everything
        assert results.allowed_mentions == {"parse": []}


async def answer_questions(h, member, post, how_many: int) -> None:  # type: ignore[no-untyped-def]
    """Answer the first how_many questions with option A, pressing Next in between."""
    _, question = await take(h, member, post)
    for number in range(how_many):
        answered = await (await h.sandbox.click(member, question.message, custom_ids(question)[0])).response()
        if number + 1 < how_many:
            following = next(c for c in custom_ids(answered) if ":quiz:next:" in c)
            question = await (await h.sandbox.click(member, answered.message, following)).response()


async def close_and_read_results(h) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """Close the quiz; return the results' visible text and the chart's text alternative."""
    await h.run(h.group.supervisor, "quiz close-now")
    results = await h.sandbox.wait_for_message(
        h.group.channels["quiz"], lambda m: bool(m.embeds) and "Quiz results" in m.embeds[0].get("title", "")
    )
    posts = [m for m in h.sandbox.messages(h.group.channels["quiz"]) if m.id >= results.id]
    return "\n".join(embed_text(m.embeds) for m in posts), results.attachments[0].description or ""


async def test_a_question_answered_by_fewer_than_k_shows_no_shares(make_harness) -> None:
    async with make_harness(trainees=3, cogs=QUIZ_COGS) as h:
        post = await open_quiz(h)
        await answer_questions(h, h.group.trainees[0], post, 2)  # the only one to answer question 2
        for member in h.group.trainees[1:]:
            await answer_questions(h, member, post, 1)
        text, _ = await close_and_read_results(h)
        first, second = text.split("Q2 · ")[0], text.split("Q2 · ")[1].split("Q3 · ")[0]
        assert "3 members took part" in text
        assert "3 answered." in first and "%" in first
        assert "Fewer than 3 answered, so the shares are not shown." in second
        assert not re.search(r"\b[A-E] \d+%|\d+ answered\.", second), second


async def test_fewer_than_k_members_give_no_group_figures_at_all(make_harness) -> None:
    async with make_harness(trainees=3, cogs=QUIZ_COGS) as h:
        post = await open_quiz(h)
        for member in h.group.trainees[:2]:
            await answer_questions(h, member, post, len(quiz_items(h)))
        text, chart = await close_and_read_results(h)
        assert "Fewer than 3 members took part" in text and "2 members" not in text
        # No option share ("A 50%", "**B 50% ✓**") and no exact count of answers; explanations may cite "95% CI".
        assert not re.search(r"\b[A-E] \d+%|\d+ answered\.", text), text
        assert text.count("Fewer than 3 answered") == len(quiz_items(h))
        assert "no data yet" in chart and "%" not in chart


async def test_a_click_after_close_is_not_counted_and_offers_practice(make_harness) -> None:
    async with make_harness(cogs=QUIZ_COGS) as h:
        post = await open_quiz(h)
        member = h.group.trainees[0]
        _, question = await take(h, member, post)
        await h.run(h.group.supervisor, "quiz close-now")
        late = await (await h.sandbox.click(member, question.message, custom_ids(question)[0])).response()
        assert "This quiz closed on <t:" in late.content
        assert "Practice only" in embed_text(late.embeds)
        assert db_rows(h, "SELECT COUNT(*) FROM quiz_answers") == [(0,)]
        again = await (await h.sandbox.click(member, post, custom_ids(post)[0])).response()
        assert "closed on" in again.content and "practice" in again.content


async def test_buttons_keep_working_after_a_restart(make_harness, sandbox, tmp_path: Path) -> None:
    async with make_harness(cogs=QUIZ_COGS) as h:
        post = await open_quiz(h)
        member = h.group.trainees[2]
        _, question = await take(h, member, post)
        config, clock = h.bot.config, h.clock
    # The first bot is gone; a new process on the same database answers the old buttons.
    async with running(sandbox, config, clock):
        clicked = await sandbox.click(member, question.message, custom_ids(question)[0])
        assert "Question 1 of 5" in embed_text((await clicked.response()).embeds)
        with sqlite3.connect(config.database_path) as conn:
            assert conn.execute("SELECT COUNT(*) FROM quiz_answers").fetchone() == (1,)


async def test_practice_is_private_and_never_stored(make_harness) -> None:
    async with make_harness(cogs=QUIZ_COGS) as h:
        member = h.group.trainees[0]
        shown = await h.run(member, "quiz practice", element="empathy")
        assert shown.ephemeral and "Practice question" in shown.embeds[0]["title"]
        assert "Empathy" in embed_text(shown.embeds)
        answered = await (await h.sandbox.click(member, shown.message, custom_ids(shown)[0])).response()
        assert "Practice: not counted" in embed_text(answered.embeds)
        item_id = custom_ids(shown)[0].split(":")[3]
        assert custom_ids(answered) == ["sv:quiz:practice-next:empathy", f"sv:quiz:report:{item_id}"]
        assert db_rows(h, "SELECT COUNT(*) FROM quiz_answers") == [(0,)]
        assert db_rows(h, "SELECT COUNT(*) FROM quiz_reviews") == [(0,)]


async def test_stats_give_a_private_chart_and_streak(make_harness) -> None:
    async with make_harness(cogs=QUIZ_COGS) as h:
        post = await open_quiz(h)
        member = h.group.trainees[0]
        _, question = await take(h, member, post)
        await (await h.sandbox.click(member, question.message, custom_ids(question)[0])).response()
        ix = await h.sandbox.invoke(h.group.guild, member, "quiz stats")
        message = await ix.original_message(predicate=lambda m: bool(m.attachments))
        assert message.flags & 64
        assert is_png(message.attachments[0].data)
        assert "Weeks in a row:** 1" in embed_text(message.embeds)


async def test_leaderboard_is_off_until_a_supervisor_enables_it(make_harness) -> None:
    async with make_harness(cogs=QUIZ_COGS) as h:
        await set_up_group(h)
        off = await h.run(h.group.trainees[0], "quiz leaderboard")
        assert "The leaderboard is off here" in off.content
        await h.run(h.group.supervisor, "quiz settings", leaderboard=True, rotation="empathy, congruence")
        on = await h.run(h.group.trainees[0], "quiz leaderboard")
        assert "Nobody has answered yet" in on.content
        assert db_rows(h, "SELECT rotation, leaderboard FROM quiz_settings") == [("empathy,congruence", 1)]


GOOD_IMPORT = """
element = "empathy"

[[items]]
id = "our-empathy-001"
kind = "vignette"
difficulty = 2
stem = "A trainee notices a client's voice drop when a topic comes up. What is the most empathic next step?"
source = "Rogers, C.R. (1957). The necessary and sufficient conditions of therapeutic personality change."

[[items.options]]
text = "Reflect the shift gently and check whether it fits."
explanation = "Communicating what was sensed, and checking it, keeps the 'as if' quality."
correct = true

[[items.options]]
text = "Move on quickly to spare the client discomfort."
explanation = "Avoiding the moment leaves the client's experience unacknowledged."

[[items.options]]
text = "Tell the client how the topic makes the trainee feel."
explanation = "That centres the trainee's experience rather than the client's."
"""


async def test_import_is_all_or_nothing_and_reports_each_problem(make_harness) -> None:
    async with make_harness(cogs=QUIZ_COGS) as h:
        await set_up_group(h)
        second = GOOD_IMPORT.split("[[items]]")[1].replace("our-empathy-001", "our-empathy-002")
        broken = (
            GOOD_IMPORT.replace("difficulty = 2", "difficulty = 7")
            + "\n[[items]]"
            + second.replace("correct = true", "correct = false")
        )
        sb, g = h.sandbox, h.group
        ix = await sb.invoke(
            g.guild, g.supervisor, "quiz bank import", options={"file": ("ours.toml", broken.encode())}
        )
        message = await ix.original_message(predicate=lambda m: "Nothing was imported" in m.content)
        assert "item our-empathy-001: difficulty: 7 is not 1, 2 or 3" in message.content
        assert "item our-empathy-002: options: 0 options are marked correct; exactly one must be" in message.content
        assert db_rows(h, "SELECT COUNT(*) FROM quiz_custom_items") == [(0,)]

        not_toml = await sb.invoke(g.guild, g.supervisor, "quiz bank import", options={"file": ("x.txt", b"hi")})
        assert "is not a .toml file" in (await not_toml.response()).content
        bad_syntax = await sb.invoke(
            g.guild, g.supervisor, "quiz bank import", options={"file": ("x.toml", b"[[items")}
        )
        refused = await bad_syntax.original_message(predicate=lambda m: "Nothing was imported" in m.content)
        assert "invalid TOML" in refused.content

        ok = await sb.invoke(
            g.guild, g.supervisor, "quiz bank import", options={"file": ("ours.toml", GOOD_IMPORT.encode())}
        )
        done = await ok.original_message(predicate=lambda m: "Imported" in m.content)
        assert "Imported 1 item into this server's bank." in done.content
        assert db_rows(h, "SELECT guild_id, item_id, element FROM quiz_custom_items") == [
            (g.guild.id, "our-empathy-001", "empathy")
        ]
        listing = await h.run(g.supervisor, "quiz bank list", element="empathy")
        assert "`our-empathy-001` (this server's)" in listing.content
        disabled = await h.run(g.supervisor, "quiz bank disable", item_id="empathy-001")
        assert "now switched off" in disabled.content
        assert db_rows(h, "SELECT item_id FROM quiz_disabled_items") == [("empathy-001",)]


async def test_bank_add_form_keeps_the_text_when_something_is_wrong(make_harness) -> None:
    async with make_harness(cogs=QUIZ_COGS) as h:
        await set_up_group(h)
        sb, g = h.sandbox, h.group
        opened = await sb.invoke(g.guild, g.supervisor, "quiz bank add", options={"element": "congruence"})
        modal = await opened.modal()
        fields = [c["components"][0]["custom_id"] for c in modal["components"]]
        values = {
            fields[0]: "A trainee feels irritated with a client. What does congruence ask of them?",
            fields[1]: "*Be aware of the irritation and not present a facade\nVoice every feeling at once\nHide it",
            fields[2]: "Awareness without a facade is congruence.\nCongruence is not full disclosure.",
            fields[3]: "Rogers, C.R. (1957). The necessary and sufficient conditions.",
        }
        submitted = await (await sb.submit_modal(g.supervisor, opened, values)).response()
        assert "3 option(s) but 2 explanation(s)" in submitted.content and "Nothing was saved" in submitted.content
        retry = await sb.click(g.supervisor, submitted.message, custom_ids(submitted)[0])
        reopened = await retry.modal()
        defaults = [c["components"][0].get("value") for c in reopened["components"]]
        assert defaults[1] == values[fields[1]]
        values[fields[2]] += "\nHiding it is a facade."
        saved = await (await sb.submit_modal(g.supervisor, retry, values)).response()
        assert "Saved **custom-" in saved.content
        assert db_rows(h, "SELECT element FROM quiz_custom_items") == [("congruence",)]


async def test_results_that_failed_to_post_are_posted_once_discord_recovers(make_harness) -> None:
    async with make_harness(cogs=QUIZ_COGS) as h:
        await open_quiz(h)
        await h.run(h.group.supervisor, "schedule set", kind="quiz_closes", days="Mon", time="12:00")
        path = f"/channels/{h.group.channels['quiz'].id}/messages"
        h.sandbox.faults.rate_limit("POST", path, times=5, retry_after=0.01)  # more than discord.py retries
        await h.advance(timedelta(hours=2, minutes=56))  # Monday 12:01: the close fires and is rate-limited
        waiting = db_rows(h, "SELECT status, detail FROM fires WHERE kind = 'quiz_closes'")
        # Rate limited is not failed: the fire stays due, to be tried again.
        assert waiting[0][0] == "claimed" and waiting[0][1].endswith(", waiting to try again")
        assert db_rows(h, "SELECT closed_at IS NOT NULL, results_message_id FROM quiz_weeks") == [(1, None)]
        h.sandbox.faults.clear()
        await h.advance(timedelta(minutes=5))
        await h.advance(timedelta(minutes=5))
        results = [m for m in h.sandbox.messages(h.group.channels["quiz"]) if "Quiz results" in embed_text(m.embeds)]
        assert len(results) == 1
        assert db_rows(h, "SELECT status FROM fires WHERE kind = 'quiz_closes'") == [("posted",)]


async def test_bank_stats_show_items_only_once_k_members_answered(make_harness) -> None:
    async with make_harness(cogs=QUIZ_COGS) as h:
        post = await open_quiz(h)
        sb, g = h.sandbox, h.group
        first = ITEMS[quiz_items(h)[0]]
        wrong = (first.correct_index + 1) % len(first.options)
        for n, member in enumerate(g.trainees[:3]):
            _, question = await take(h, member, post)
            letters = [c for c in custom_ids(question) if ":answer:" in c]
            await (
                await sb.click(member, question.message, letters[wrong if n == 2 else first.correct_index])
            ).response()
            if n == 1:
                # Two members so far: under k = 3 the item shows nothing.
                early = await sb.invoke(g.guild, g.supervisor, "quiz bank stats")
                message = await early.original_message(predicate=lambda m: "Item statistics" in m.content)
                assert f"{first.id}:" not in message.content
        refused = await h.run(g.trainees[0], "quiz bank stats")
        assert "Only supervisors can do this" in refused.content
        ix = await sb.invoke(g.guild, g.supervisor, "quiz bank stats")
        message = await ix.original_message(predicate=lambda m: "Item statistics" in m.content)
        assert f"{first.id}: n=3, facility 67%" in message.content
