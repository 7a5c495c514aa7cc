"""Replies to anonymous check-ins and content warnings, end to end: supervisor replies from the digest, the
author reads and answers with their code, nothing names anyone, and warned text sits behind a spoiler."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tests.e2e.conftest import anon_rows, custom_ids, embed_text
from tests.support.checkin_actions import check_in, code_of, schedule_digest

REPLY = "Thank you for bringing this. What did you notice in your body when it happened? @everyone <@&1>"


def store_bytes(h) -> bytes:  # type: ignore[no-untyped-def]
    """Every byte of the anonymous store's folder, to show that a read wrote nothing."""
    folder = h.bot.repos.anonymous.folder
    return b"".join(p.name.encode() + p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file())


async def released_digest(h, texts: list[str]):  # type: ignore[no-untyped-def]
    """Three members check in (sharing their words), the digest is released; return codes and digest posts."""
    await schedule_digest(h)
    codes = []
    for member, text in zip(h.group.trainees, texts, strict=False):
        codes.append(code_of(await check_in(h, member, text=text, share=True)))
    await h.advance(timedelta(days=2, hours=4, minutes=5))  # Wednesday 12:05: the digest is released
    posts = [m for m in h.sandbox.messages(h.group.channels["digest"]) if m.embeds]
    assert posts
    return codes, posts


def number_of(posts, text: str) -> tuple[object, int]:  # type: ignore[no-untyped-def]
    """The digest message and the #number under which a check-in's words appear."""
    for post in posts:
        for embed in post.embeds:
            if text in embed.get("description", ""):
                return post, int(embed["footer"]["text"].removeprefix("#"))
    raise AssertionError(f"{text!r} not in the digest")


def button(source, prefix: str) -> str:  # type: ignore[no-untyped-def]
    return next(c for c in custom_ids(source) if c.startswith(prefix))


async def submit_form(h, member, source, custom_id: str, text: str):  # type: ignore[no-untyped-def]
    """Press a button that opens a form, fill its first field, return the response to the submission."""
    opened = await h.sandbox.click(member, source.message if hasattr(source, "message") else source, custom_id)
    modal = await opened.modal()
    field = modal["components"][0]["components"][0]["custom_id"]
    return await (await h.sandbox.submit_modal(member, opened, {field: text})).response()


async def test_reply_round_trip_without_naming_the_author(make_harness) -> None:
    async with make_harness() as h:
        sup, t = h.group.supervisor, h.group.trainees
        texts = ["words-one felt pulled to rescue", "words-two bored and far away", "words-three felt criticised"]
        codes, posts = await released_digest(h, texts)
        post, number = number_of(posts, texts[1])

        # A trainee cannot reply or read the replies from the digest.
        refused = await (await h.sandbox.click(t[0], post, button(post, "sv:checkin:reply:"))).response()
        assert "Only supervisors" in refused.content and refused.ephemeral

        reply_button = next(
            c for c in custom_ids(post) if c.startswith("sv:checkin:reply:") and c.endswith(f":{number}")
        )
        checkin_id = reply_button.split(":")[3]
        saved = await submit_form(h, sup, post, reply_button, REPLY)
        assert saved.ephemeral and f"Saved as reply 1 to check-in #{number}" in saved.content
        # Stored against the check-in's random id, with the day only and nothing about anyone.
        assert anon_rows(h, "SELECT checkin_id, number, day, answer FROM replies") == [
            (checkin_id, 1, "2026-03-04", None)
        ]
        columns = [r[1] for r in anon_rows(h, "PRAGMA table_info(replies)")]
        assert not any("user" in c or "member" in c or "time" in c or c.endswith("_at") for c in columns)
        # Nothing was posted to the group, and nobody was sent a DM.
        assert [m for m in h.sandbox.messages(h.group.channels["digest"]) if REPLY[:20] in embed_text(m.embeds)] == []
        assert all(h.sandbox.dms(m) == [] for m in t)

        # A wrong code reveals nothing and writes nothing; the right one shows the reply, and also writes nothing.
        before = store_bytes(h)
        wrong = await h.run(t[0], "checkin replies", code="AAAA-BBBB-CCCC")
        assert "No check-in in this server has that code" in wrong.content and wrong.embeds == []
        other = await h.run(t[0], "checkin replies", code=codes[0])
        assert "No replies to this check-in yet" in other.content
        mine = await h.run(t[1], "checkin replies", code=codes[1].lower())
        assert mine.ephemeral
        shown = embed_text(mine.embeds)
        assert "Thank you for bringing this" in shown and "@\u200beveryone" in shown and "<@\u200b&1>" in shown
        assert store_bytes(h) == before

        # The author answers once; a second answer is refused and changes nothing.
        answer_button = next(c for c in custom_ids(mine))
        answered = await submit_form(h, t[1], mine, answer_button, "It helped to write it down, thank you.")
        assert "Answer saved" in answered.content
        again = await submit_form(h, t[1], mine, answer_button, "A second answer")
        assert "already answered" in again.content
        assert anon_rows(h, "SELECT answer, answer_day FROM replies") == [
            ("It helped to write it down, thank you.", "2026-03-04")
        ]
        reread = await h.run(t[1], "checkin replies", code=codes[1])
        assert "It helped to write it down" in embed_text(reread.embeds) and custom_ids(reread) == []

        # The supervisor sees the answer under the check-in from the next day, still without a name.
        see = next(c for c in custom_ids(post) if c.startswith("sv:checkin:thread:") and c.endswith(f":{number}"))
        same_day = await (await h.sandbox.click(sup, post, see)).response()
        assert texts[1] in embed_text(same_day.embeds) and "It helped" not in embed_text(same_day.embeds)
        assert "Answers appear here the day after" in embed_text(same_day.embeds)
        await h.advance(timedelta(days=1))
        next_day = await (await h.sandbox.click(sup, post, see)).response()
        text = embed_text(next_day.embeds)
        assert "It helped to write it down, thank you." in text and "Thank you for bringing this" in text
        for member in t:
            assert member.user.name not in text and str(member.id) not in text


async def test_replies_go_with_their_checkin_and_posting_is_the_supervisors_choice(make_harness) -> None:
    async with make_harness() as h:
        sup, t = h.group.supervisor, h.group.trainees
        texts = ["first-words", "second-words", "third-words"]
        codes, posts = await released_digest(h, texts)
        post, number = number_of(posts, texts[0])
        reply_button = next(
            c for c in custom_ids(post) if c.startswith("sv:checkin:reply:") and c.endswith(f":{number}")
        )

        too_long = await submit_form(h, sup, post, reply_button, "x" * 1200)
        assert "1,200 characters; the limit is 1,000" in too_long.content and "Nothing was saved" in too_long.content
        assert anon_rows(h, "SELECT COUNT(*) FROM replies") == [(0,)]
        saved = await submit_form(h, sup, post, reply_button, "Posted reply @here")
        # Posting to the group happens only when the supervisor presses the button, with pings neutralised.
        posted = await (await h.sandbox.click(sup, saved.message, custom_ids(saved)[0])).response()
        assert "Posted reply 1" in posted.content
        public = h.sandbox.messages(h.group.channels["digest"])[-1]
        assert "Posted reply @\u200bhere" in embed_text(public.embeds) and public.allowed_mentions == {"parse": []}
        twice = await (await h.sandbox.click(sup, saved.message, custom_ids(saved)[0])).response()
        assert "posted already" in twice.content
        assert len(h.sandbox.messages(h.group.channels["digest"])) == len(posts) + 1

        # Withdrawing the check-in deletes its replies too.
        assert "Withdrawn" in (await h.run(t[0], "checkin withdraw", code=codes[0])).content
        assert anon_rows(h, "SELECT COUNT(*) FROM replies") == [(0,)]
        gone = await (await h.sandbox.click(sup, post, reply_button)).response()
        assert "no longer stored" in gone.content
        assert (
            "No check-in in this server has that code" in (await h.run(t[0], "checkin replies", code=codes[0])).content
        )

        # The retention purge takes replies with their check-ins.
        post2, number2 = number_of(posts, texts[1])
        second = next(c for c in custom_ids(post2) if c.startswith("sv:checkin:reply:") and c.endswith(f":{number2}"))
        await submit_form(h, sup, post2, second, "A reply that expires")
        assert anon_rows(h, "SELECT COUNT(*) FROM replies") == [(1,)]
        await h.bot.repos.checkins.purge_before(h.clock() + timedelta(days=1))
        assert anon_rows(h, "SELECT COUNT(*) FROM replies") == [(0,)]
        folder = h.bot.repos.anonymous.folder
        assert b"A reply that expires" not in b"".join(p.read_bytes() for p in Path(folder).iterdir() if p.is_file())


async def test_content_warning_hides_words_behind_a_spoiler_and_still_never_pings(make_harness) -> None:
    async with make_harness() as h:
        await schedule_digest(h)
        t = h.group.trainees
        too_long = await check_in(h, t[0], text="heavy words", share=True, cw_topic="death", cw_words="w" * 41)
        assert "content warning is 41 characters; the limit is 40" in too_long.content
        assert anon_rows(h, "SELECT COUNT(*) FROM checkins") == [(0,)]
        warned = await check_in(
            h, t[0], text="@everyone my client's || loss <@456>", share=True, cw_topic="death", cw_words="grief"
        )
        assert "Saved anonymously" in warned.content
        await check_in(h, t[1], text="not warned", share=True)
        await check_in(h, t[2], text="private words", cw_topic="suicide")  # not shared: no warning is kept
        warnings = sorted(str(w) for (w,) in anon_rows(h, "SELECT content_warning FROM checkins"))
        assert warnings == ["Death or loss · grief", "None", "None"]
        await h.advance(timedelta(days=2, hours=4, minutes=5))
        posts = [m for m in h.sandbox.messages(h.group.channels["digest"]) if m.embeds]
        descriptions = [e.get("description", "") for m in posts for e in m.embeds]
        warned_text = next(d for d in descriptions if d.startswith("**CW:"))
        assert (
            warned_text == "**CW: Death or loss · grief**\n||@\u200beveryone my client's |\u200b| loss <@\u200b456>||"
        )
        assert "not warned" in descriptions and not any("||not warned" in d for d in descriptions)
        for post in posts:
            assert post.allowed_mentions == {"parse": []} and not post.mention_everyone and post.mentions == []
