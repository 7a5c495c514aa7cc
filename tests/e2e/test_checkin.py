"""Anonymous check-ins end to end: nothing links a check-in to a member, in the database, its WAL or the logs."""

from __future__ import annotations

import logging
import sqlite3
from collections import Counter
from datetime import timedelta
from pathlib import Path

from cogs.checkin.logic import DIMENSIONS
from tests.e2e.conftest import anon_rows, embed_text, set_up_group
from tests.support.checkin_actions import check_in, code_of, component_id, schedule_digest
from tests.support.db import db_rows

DIMENSION_IDS = list(DIMENSIONS)


async def test_nothing_links_a_checkin_to_its_member(make_harness, tmp_path: Path, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    async with make_harness() as h:
        await schedule_digest(h)
        texts = [f"unique-reflection-{n} about feeling pulled to rescue" for n in range(4)]
        for member, text in zip(h.group.trainees, texts, strict=True):
            saved = await check_in(h, member, text=text, share=True)
            assert "Saved anonymously" in saved.content
        await h.advance(timedelta(days=2, hours=4, minutes=5))  # Wednesday 12:05: digest released
        digest = [m for m in h.sandbox.messages(h.group.channels["digest"]) if m.embeds]
        assert digest, "the digest was posted"
        db_path = h.db_path
        store = h.bot.repos.anonymous.folder
        # Read the raw bytes of every file the bot keeps while it still runs.
        main = b"".join(p.read_bytes() for p in db_path.parent.glob(f"{db_path.name}*"))
        anonymous = b"".join(p.read_bytes() for p in store.iterdir() if p.is_file())
    identities = [str(m.id) for m in h.group.trainees] + [m.user.name for m in h.group.trainees]
    for identity in identities:
        assert identity.encode() not in main + anonymous, identity
    for text in texts:
        assert anonymous.count(text.encode()) == 1  # the text lives only inside its check-in row
        assert text.encode() not in main
        assert text not in caplog.text
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Saved anonymously" not in logged  # no response body reaches the logs either
    for member in h.group.trainees:
        assert str(member.id) not in logged
    with sqlite3.connect(db_path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert not tables & {"checkins", "checkin_quota", "checkin_periods"}
    columns = [r[1] for r in anon_rows(h, "PRAGMA table_info(checkins)")]
    assert not any("user" in c or "time" in c or c.endswith("_at") for c in columns)


async def test_below_k_posts_nothing_identifying(make_harness) -> None:
    async with make_harness() as h:
        await schedule_digest(h)
        await check_in(h, h.group.trainees[0], text="only one of us wrote this", share=True)
        await check_in(h, h.group.trainees[1])
        await h.advance(timedelta(days=2, hours=4, minutes=5))
        posts = h.sandbox.messages(h.group.channels["digest"])
        assert len(posts) == 1
        assert "Not enough check-ins to share safely this week" in posts[0].content
        assert posts[0].embeds == [] and "only one of us" not in posts[0].content
        assert anon_rows(h, "SELECT released FROM checkins") == [(0,), (0,)]
        detail = db_rows(h, "SELECT detail FROM fires WHERE kind = 'checkin_digest'")[0][0]
        assert "2" not in detail  # not even the count below k is revealed


async def test_digest_shows_text_only_when_shared_and_never_pings(make_harness) -> None:
    async with make_harness() as h:
        await schedule_digest(h)
        t = h.group.trainees
        await check_in(h, t[0], text="@everyone I felt <@&123> and <@456> pulled", share=True, raise_it=True)
        await check_in(h, t[1], text="kept private text", share=False)
        await check_in(h, t[2], dimensions=("positive", "special"), intensity="5")
        await h.advance(timedelta(days=2, hours=4, minutes=5))
        posts = [m for m in h.sandbox.messages(h.group.channels["digest"]) if m.embeds]
        text = "\n".join(embed_text(m.embeds) for m in posts)
        assert "kept private text" not in text
        assert "@\u200beveryone" in text and "@everyone" not in text.replace("@\u200beveryone", "")
        assert "Asked for this to be raised" in text
        assert "Positive / close" in text
        for post in posts:
            assert post.allowed_mentions == {"parse": []}
            assert not post.mention_everyone and post.mentions == [] and post.mention_roles == []
        weekdays = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
        titles = [e["title"] for m in posts for e in m.embeds if e["title"].startswith("Check-in")]
        assert len(titles) == 3 and all(t.removeprefix("Check-in · ") in weekdays for t in titles)


async def test_digest_order_is_not_submission_order(make_harness) -> None:
    async with make_harness(trainees=3) as h:
        await schedule_digest(h)
        await h.bot.repos.settings.update(h.group.guild.id, timezone="UTC")
        firsts: Counter[str] = Counter()
        for week in range(12):
            for number, member in enumerate(h.group.trainees):
                await check_in(h, member, dimensions=(DIMENSION_IDS[number],), intensity=str(number + 1))
            for _ in range(14):
                await h.advance(timedelta(hours=12))
            posts = [m for m in h.sandbox.messages(h.group.channels["digest"]) if m.embeds]
            assert len(posts) == week + 1
            entries = [e for e in posts[-1].embeds if e["title"].startswith("Check-in")]
            firsts[entries[0]["fields"][0]["value"]] += 1
        # Three orders of three were submitted identically each week; the first shown must vary.
        assert len(firsts) >= 2


async def test_weekly_limit_holds_without_knowing_who(make_harness) -> None:
    async with make_harness() as h:
        member = h.group.trainees[0]
        for _ in range(3):
            assert "Saved anonymously" in (await check_in(h, member)).content
        refused = await check_in(h, member)
        assert "You've made 3 check-ins this week" in refused.content and "Nothing was saved" in refused.content
        assert anon_rows(h, "SELECT COUNT(*) FROM checkins") == [(3,)]
        assert "Saved anonymously" in (await check_in(h, h.group.trainees[1])).content


async def test_withdraw_works_and_a_wrong_code_reveals_nothing(make_harness) -> None:
    async with make_harness() as h:
        member = h.group.trainees[0]
        code = code_of(await check_in(h, member, text="to be withdrawn"))
        wrong = await h.run(h.group.trainees[1], "checkin withdraw", code="AAAA-BBBB-CCCC")
        assert "No check-in in this server has that code" in wrong.content
        assert anon_rows(h, "SELECT COUNT(*) FROM checkins") == [(1,)]
        done = await h.run(member, "checkin withdraw", code=code.lower().replace("-", " "))
        assert "Withdrawn" in done.content
        assert anon_rows(h, "SELECT COUNT(*) FROM checkins") == [(0,)]
        assert code.encode() not in Path(h.db_path).read_bytes()


async def test_identifying_details_are_flagged_and_the_text_is_kept(make_harness) -> None:
    async with make_harness() as h:
        member = h.group.trainees[0]
        flagged = await check_in(h, member, text="Rang me on 07700 900123 after the session")
        assert "Before saving" in flagged.content and "phone" in flagged.content
        assert anon_rows(h, "SELECT COUNT(*) FROM checkins") == [(0,)]
        edit = await h.sandbox.click(member, flagged.message, component_id(flagged, label="Edit my text"))
        reopened = await edit.modal()
        assert reopened["components"][0]["components"][0]["value"] == "Rang me on 07700 900123 after the session"
        field = reopened["components"][0]["components"][0]["custom_id"]
        saved = await (
            await h.sandbox.submit_modal(member, edit, {field: "Felt intruded on after the session"})
        ).response()
        assert "Saved anonymously" in saved.content
        too_long = await check_in(h, member, text="x" * 1200)
        assert "1,200 characters; the limit is 1,000" in too_long.content


async def test_week_close_rolls_unshared_checkins_over_and_resets_the_limit(make_harness) -> None:
    async with make_harness() as h:
        await set_up_group(h, timezone="UTC")
        member = h.group.trainees[0]
        for _ in range(3):
            await check_in(h, member)
        assert "You've made 3 check-ins this week" in (await check_in(h, member)).content
        await h.advance(timedelta(days=7))
        # Unshared check-ins roll over into the new week by default, and the new week has a fresh limit.
        assert anon_rows(h, "SELECT DISTINCT period FROM checkins") == [("2026-W11",)]
        assert "Saved anonymously" in (await check_in(h, member)).content
        assert anon_rows(h, "SELECT COUNT(*) FROM checkins") == [(4,)]


async def test_summary_counts_only_shared_checkins_and_hides_small_counts(make_harness) -> None:
    async with make_harness() as h:
        await schedule_digest(h)
        for member in h.group.trainees[:3]:
            await check_in(h, member, dimensions=("helpless",), intensity="4", raise_it=True)
        await check_in(h, h.group.trainees[3], dimensions=("sexualised",), intensity="2")
        before = await h.sandbox.invoke(h.group.guild, h.group.supervisor, "checkin summary", options={"weeks": 4})
        unshared = await before.original_message(predicate=lambda m: bool(m.attachments))
        assert "Check-ins:** 0" in embed_text(unshared.embeds)
        await h.advance(timedelta(days=2, hours=4, minutes=5))  # the digest shares them
        ix = await h.sandbox.invoke(h.group.guild, h.group.supervisor, "checkin summary", options={"weeks": 4})
        message = await ix.original_message(predicate=lambda m: bool(m.attachments))
        text = embed_text(message.embeds)
        assert "Helpless / inadequate: 3" in text
        assert "Sexualised: fewer than 3" in text
        assert "Check-ins:** 4" in text
        # Text and chart agree on every cell: the chart's text alternative names the same value.
        chart = message.attachments[0].description
        cells = [line[2:].split(": ", 1) for line in text.splitlines() if line.startswith("- ")]
        assert len(cells) == len(DIMENSIONS)
        for label, value in cells:
            assert f"{label} {value};" in chart or f"{label} {value}." in chart, (label, value)
        refused = await h.run(h.group.trainees[0], "checkin summary")
        assert "Only supervisors" in refused.content
