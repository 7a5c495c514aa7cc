"""Scheduled work that fails half-way resumes at the first step not done and never repeats a done one.

Each test breaks Discord at one step (the reply thread after the prompt, the second message of a
digest, a post whose reply is lost, a rate limit that outlasts discord.py's own retries), then lets
Discord recover, and checks what a member sees (every message exactly once) and what /status says.
"""

from __future__ import annotations

from datetime import timedelta

from tests.e2e.conftest import anon_rows, set_up_group
from tests.support.checkin_actions import check_in
from tests.support.db import db_rows
from tests.support.prompt_fire import (
    CHECKIN_COGS,
    DISCORD_PY_TRIES,
    MESSAGES,
    REFLECT_COGS,
    THREADS,
    fire,
    prompt_posts,
    status_text,
    threads,
    weekly_prompt,
)


async def test_a_thread_that_fails_after_the_post_is_retried_without_posting_the_prompt_again(make_harness) -> None:
    async with make_harness(cogs=REFLECT_COGS) as h:
        await weekly_prompt(h)
        h.sandbox.faults.server_error("POST", THREADS, status=503)
        await h.advance(timedelta(hours=2, minutes=1))  # Monday 10:01 London: the prompt is due

        assert len(prompt_posts(h)) == 1 and threads(h) == []
        status, detail = fire(h, "reflective_prompt")
        assert status == "failed"
        assert detail.startswith("posted; the reply thread could not be created (Discord error 503")
        assert detail.endswith(", retrying")
        shown = await status_text(h)
        assert "🔁" in shown and "posted; the reply thread could not be created (Discord error 503" in shown
        assert "refused the post" not in shown

        await h.advance(timedelta(minutes=5))  # the retry: the thread only
        assert len(prompt_posts(h)) == 1, "the prompt was posted again"
        [thread] = threads(h)
        assert thread.parent_id == prompt_posts(h)[0].channel_id
        status, detail = fire(h, "reflective_prompt")
        assert status == "posted" and "with a thread" in detail
        [(thread_id,)] = db_rows(h.db_path, "SELECT thread_id FROM group_prompts")
        assert thread_id == thread.id
        assert "✅" in await status_text(h)

        await h.advance(timedelta(minutes=30))  # nothing left to retry
        assert len(prompt_posts(h)) == 1 and len(threads(h)) == 1


async def test_a_rate_limit_that_outlasts_discord_py_is_retried_and_posts_once(make_harness) -> None:
    async with make_harness(cogs=REFLECT_COGS) as h:
        await weekly_prompt(h)
        path = f"/channels/{h.group.channels['prompts'].id}/messages"
        h.sandbox.faults.rate_limit("POST", path, times=DISCORD_PY_TRIES, retry_after=0.01)
        await h.advance(timedelta(hours=2, minutes=1))
        assert prompt_posts(h) == []
        status, detail = fire(h, "reflective_prompt")
        # Rate limited is not failed: the fire stays due and goes again a minute later.
        assert (status, detail) == ("claimed", "not posted (Discord error 429: rate limited), waiting to try again")

        await h.advance(timedelta(minutes=1))
        assert len(prompt_posts(h)) == 1 and len(threads(h)) == 1
        assert fire(h, "reflective_prompt")[0] == "posted"


async def test_a_post_whose_reply_is_lost_is_not_doubled_when_discord_py_retries_it(make_harness) -> None:
    async with make_harness(cogs=REFLECT_COGS) as h:
        await weekly_prompt(h)
        # The post lands, but the answer is a 502; discord.py sends the same request again a second later.
        h.sandbox.faults.lose_reply("POST", MESSAGES, status=502)
        await h.advance(timedelta(hours=2, minutes=1))
        assert [status for (_, _, status) in h.sandbox.faults.injected] == [502]
        assert len(prompt_posts(h)) == 1, "the repeated request made a second post"
        assert fire(h, "reflective_prompt")[0] == "posted"
        [(message_id,)] = db_rows(h.db_path, "SELECT message_id FROM group_prompts")
        assert message_id == prompt_posts(h)[0].id


async def test_retries_stop_after_five_attempts_and_status_says_so(make_harness) -> None:
    async with make_harness(cogs=REFLECT_COGS) as h:
        await weekly_prompt(h)
        h.sandbox.faults.server_error("POST", THREADS, status=503, times=100)
        await h.advance(timedelta(hours=2, minutes=1))
        for _ in range(6):
            await h.advance(timedelta(minutes=5))
        assert len(prompt_posts(h)) == 1 and threads(h) == []
        status, detail = fire(h, "reflective_prompt")
        assert status == "failed" and detail.endswith(", gave up after 5 attempts")
        [(attempts, retry_at)] = db_rows(
            h.db_path, "SELECT attempts, retry_at FROM fires WHERE kind = 'reflective_prompt'"
        )
        assert (attempts, retry_at) == (5, None)
        assert "❌" in await status_text(h)


async def test_a_digest_that_fails_half_way_resumes_where_it_stopped(make_harness) -> None:
    async with make_harness(cogs=CHECKIN_COGS) as h:
        await set_up_group(h)
        await h.run(h.group.supervisor, "schedule set", kind="checkin_digest", days="Wed", time="12:00")
        for member in h.group.trainees:
            for _ in range(3):
                assert "Saved anonymously" in (await check_in(h, member)).content
        digest_channel = h.group.channels["digest"]
        # Twelve check-ins and a header make two messages; the second gets a 503.
        h.sandbox.faults.server_error("POST", f"/channels/{digest_channel.id}/messages", status=503, skip=1)
        await h.advance(timedelta(days=2, hours=4, minutes=5))  # Wednesday 12:05

        first = [m for m in h.sandbox.messages(digest_channel) if m.embeds]
        assert len(first) == 1 and first[0].embeds[0]["title"] == "🫧 Anonymous check-ins"
        shown_first = len(first[0].embeds) - 1
        status, detail = fire(h, "checkin_digest")
        assert status == "failed"
        assert detail.startswith(
            f"shared {shown_first} of 12 check-ins; the rest could not be posted (Discord error 503"
        )
        assert sorted(anon_rows(h, "SELECT released, COUNT(*) FROM checkins GROUP BY released")) == [
            (1, shown_first),
            (2, 12 - shown_first),
        ]
        # A check-in sent before the retry waits for next week's digest rather than joining this one late.
        late = h.group.supervisor
        assert "Saved anonymously" in (await check_in(h, late)).content

        await h.advance(timedelta(minutes=5))
        posts = [m for m in h.sandbox.messages(digest_channel) if m.embeds]
        assert len(posts) == 2
        assert "Anonymous check-ins" not in posts[1].embeds[0].get("title", ""), "the header was posted twice"
        assert sum(len(m.embeds) for m in posts) == 1 + 12
        assert fire(h, "checkin_digest") == ("posted", "shared 12 check-ins")
        assert sorted(anon_rows(h, "SELECT released, COUNT(*) FROM checkins GROUP BY released")) == [(0, 1), (1, 12)]
