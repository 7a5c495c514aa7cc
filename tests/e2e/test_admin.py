"""Setup, schedules, status, permissions and server isolation, end to end through the sandbox."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import discord

from tests.e2e.conftest import build_group, embed_text, manage_server_member, set_up_group

ADMIN_COGS = ("about", "admin", "quiz")


def rows(h, sql: str, *args):  # type: ignore[no-untyped-def]
    with sqlite3.connect(h.db_path) as conn:
        return conn.execute(sql, args).fetchall()


async def test_setup_saves_settings_and_reports_them(make_harness) -> None:
    async with make_harness(cogs=ADMIN_COGS) as h:
        g = h.group
        response = await h.run(
            g.owner,
            "setup",
            timezone="Europe/London",
            supervisor_role=g.supervisor_role,
            prompts_channel=g.channels["prompts"],
            quiz_channel=g.channels["quiz"],
            digest_channel=g.channels["digest"],
            meeting_day=2,
            meeting_time="2pm",
        )
        assert response.ephemeral
        text = embed_text(response.embeds)
        assert "Europe/London" in text and "Wednesday at 14:00" in text
        assert "I can post in every channel" in text
        assert rows(
            h, "SELECT timezone, supervisor_role_id, quiz_channel_id, meeting_weekday, meeting_time FROM guild_settings"
        ) == [("Europe/London", g.supervisor_role.id, g.channels["quiz"].id, 2, "14:00")]
        # Piece by piece: changing one setting keeps the others.
        await h.run(g.supervisor, "setup", timezone="America/Toronto")
        assert rows(h, "SELECT timezone, quiz_channel_id FROM guild_settings") == [
            ("America/Toronto", g.channels["quiz"].id)
        ]


async def test_setup_rejects_bad_input_and_changes_nothing(make_harness) -> None:
    async with make_harness(cogs=ADMIN_COGS) as h:
        g = h.group
        await set_up_group(h)
        bad = await h.run(g.supervisor, "setup", timezone="Europe/Londn", quiz_channel=g.channels["digest"])
        assert bad.ephemeral and "“Europe/Londn” is not a timezone I know" in bad.content
        late = await h.run(g.supervisor, "setup", meeting_time="25:00", meeting_day=1)
        assert "the hour must be 0 to 23" in late.content
        half = await h.run(g.supervisor, "setup", meeting_time="10:00")
        assert "Give the meeting day too" in half.content
        assert rows(h, "SELECT timezone, quiz_channel_id, meeting_time FROM guild_settings") == [
            ("Europe/London", g.channels["quiz"].id, None)
        ]


async def test_timezone_autocomplete_offers_iana_zones(make_harness) -> None:
    async with make_harness(cogs=ADMIN_COGS) as h:
        choices = await h.sandbox.autocomplete(
            h.group.guild, h.group.supervisor, "setup", focused="timezone", value="Europe/Lon"
        )
        assert choices[0]["value"] == "Europe/London"
        assert len(choices) <= 25


async def test_missing_channel_permissions_are_named(make_harness) -> None:
    async with make_harness(cogs=ADMIN_COGS) as h:
        g = h.group
        h.sandbox.deny_bot(g.channels["prompts"], "create_public_threads")
        h.sandbox.deny_bot(g.channels["quiz"], "attach_files", "embed_links")
        await h.sandbox.sync_gateway()
        response = await h.run(g.owner, "setup", prompts_channel=g.channels["prompts"], quiz_channel=g.channels["quiz"])
        text = embed_text(response.embeds)
        assert "Missing permissions" in text
        assert "(prompts): I need Create Public Threads" in text
        assert "(quiz): I need Embed Links, Attach Files" in text
        status = await h.run(g.owner, "status")
        assert "I need Create Public Threads" in embed_text(status.embeds)


async def test_non_supervisor_is_refused_and_nothing_changes(make_harness) -> None:
    async with make_harness(cogs=ADMIN_COGS) as h:
        g = h.group
        await set_up_group(h)
        trainee = g.trainees[0]
        for command, options in (
            ("setup", {"timezone": "Asia/Tokyo"}),
            ("schedule set", {"kind": "quiz_opens", "time": "9am"}),
            ("schedule list", {}),
            ("status", {}),
            ("quiz open-now", {}),
        ):
            response = await h.run(trainee, command, **options)
            assert response.ephemeral
            assert "Only supervisors can do this" in response.content, command
        assert rows(h, "SELECT timezone FROM guild_settings") == [("Europe/London",)]
        assert rows(h, "SELECT COUNT(*) FROM schedules") == [(0,)]
        # Manage Server is enough even without the supervisor role.
        owner = manage_server_member(h.sandbox, g)
        await h.sandbox.sync_gateway()
        allowed = await h.run(owner, "setup", timezone="Asia/Tokyo")
        assert "Saved." in embed_text(allowed.embeds)


async def test_schedule_set_accepts_time_forms_and_rejects_bad_ones(make_harness) -> None:
    async with make_harness(cogs=ADMIN_COGS) as h:
        g = h.group
        await set_up_group(h)
        for given, stored in (("9", "09:00"), ("09:00", "09:00"), ("9am", "09:00"), ("21:30", "21:30")):
            response = await h.run(g.supervisor, "schedule set", kind="quiz_opens", days="Mon, Thu", time=given)
            assert "saved" in response.content
            assert rows(h, "SELECT weekdays, local_time, timezone FROM schedules WHERE kind = 'quiz_opens'") == [
                ("0,3", stored, "Europe/London")
            ]
        for given, message in (("25:00", "the hour must be 0 to 23"), ("9:75", "the minutes must be 00 to 59")):
            response = await h.run(g.supervisor, "schedule set", kind="quiz_opens", time=given)
            assert message in response.content
        response = await h.run(g.supervisor, "schedule set", kind="quiz_opens", days="Blursday")
        assert "“blursday” is not a weekday" in response.content
        assert rows(h, "SELECT local_time FROM schedules") == [("21:30",)]


async def test_schedule_defaults_follow_the_meeting_and_list_shows_next_runs(make_harness) -> None:
    async with make_harness(cogs=ADMIN_COGS) as h:
        g = h.group
        await set_up_group(h)
        await h.run(g.supervisor, "setup", meeting_day=2, meeting_time="14:00")
        await h.run(g.supervisor, "schedule set", kind="quiz_closes")
        assert rows(h, "SELECT weekdays, local_time, channel_id FROM schedules") == [
            ("2", "13:00", g.channels["quiz"].id)
        ]
        listing = await h.run(g.supervisor, "schedule list")
        text = embed_text(listing.embeds)
        # Wednesday 4 March 2026, 13:00 in London (GMT) as a Discord timestamp.
        expected = int(datetime(2026, 3, 4, 13, 0, tzinfo=UTC).timestamp())
        assert f"<t:{expected}:F>" in text and "Quiz closes" in text


async def test_pause_resume_and_remove(make_harness) -> None:
    async with make_harness(cogs=ADMIN_COGS) as h:
        g = h.group
        await set_up_group(h)
        await h.run(g.supervisor, "schedule set", kind="quiz_opens", days="Mon", time="09:00")
        paused = await h.run(g.supervisor, "schedule pause", kind="quiz_opens", until="2026-03-10")
        assert "paused until" in paused.content
        fires = await h.advance(timedelta(hours=2))  # Monday 10:00: the 09:00 run falls in the pause
        assert [f for f in fires if not f.job.startswith("system:")] == []  # housekeeping ticks still run
        assert rows(h, "SELECT status, detail FROM fires WHERE kind = 'quiz_opens'")[0][0] == "skipped"
        past = await h.run(g.supervisor, "schedule pause", kind="quiz_opens", until="2026-03-01")
        assert "has already begun" in past.content
        await h.run(g.supervisor, "schedule pause", kind="quiz_opens")
        assert rows(h, "SELECT enabled FROM schedules") == [(0,)]
        resumed = await h.run(g.supervisor, "schedule resume", kind="quiz_opens")
        assert "resumed" in resumed.content and "Next: <t:" in resumed.content
        removed = await h.run(g.supervisor, "schedule remove", kind="quiz_opens")
        assert "removed" in removed.content
        assert rows(h, "SELECT COUNT(*) FROM schedules") == [(0,)]
        missing = await h.run(g.supervisor, "schedule resume", kind="quiz_opens")
        assert "There is no “Quiz opens” schedule" in missing.content


async def test_weekly_schedule_keeps_local_time_across_dst(make_harness) -> None:
    async with make_harness(cogs=ADMIN_COGS) as h:
        g = h.group
        await set_up_group(h)
        await h.run(g.supervisor, "schedule set", kind="quiz_opens", days="Mon", time="09:00")
        await h.run(g.supervisor, "schedule set", kind="quiz_closes", days="Fri", time="17:00")
        for _ in range(5 * 7 * 4):  # five weeks in 6-hour steps; British Summer Time starts on 29 March
            await h.advance(timedelta(hours=6))
        opened = rows(h, "SELECT scheduled_for, status FROM fires WHERE kind = 'quiz_opens' ORDER BY scheduled_for")
        # Mondays 2-23 March are GMT (09:00 = 09:00 UTC); 30 March and 6 April are BST (08:00 UTC).
        assert [datetime.fromtimestamp(t, UTC).hour for t, _ in opened] == [9, 9, 9, 9, 8, 8]
        assert {s for _, s in opened} == {"posted"}
        closed = rows(h, "SELECT scheduled_for FROM fires WHERE kind = 'quiz_closes' ORDER BY scheduled_for")
        assert [datetime.fromtimestamp(t, UTC).hour for (t,) in closed] == [17, 17, 17, 17, 16]
        posts = h.sandbox.messages(g.channels["quiz"])
        announcements = [m for m in posts if m.embeds and "quiz is open" in m.embeds[0].get("title", "")]
        results = [m for m in posts if m.embeds and "Quiz results" in m.embeds[0].get("title", "")]
        assert len(announcements) == 6 and len(results) == 5


async def test_status_reports_runs_and_failures(make_harness) -> None:
    async with make_harness(cogs=ADMIN_COGS) as h:
        g = h.group
        await set_up_group(h)
        await h.run(g.supervisor, "schedule set", kind="quiz_opens", days="Mon", time="09:00")
        await h.advance(timedelta(hours=2))
        await h.bot.repos.deliveries.record(g.guild.id, g.trainees[0].id, "reflect", "DMs closed", h.clock())
        status = await h.run(g.supervisor, "status")
        text = embed_text(status.embeds)
        assert "0.1.0" in text and "Database" in text
        assert "Quiz opens" in text and "posted: opened with 5 questions" in text
        assert "DM delivery failures (7 days)" in text and "1 (usually members" in text
        assert str(g.trainees[0].id) not in text


async def test_two_servers_stay_isolated(make_harness) -> None:
    async with make_harness(cogs=ADMIN_COGS) as h:
        other = build_group(h.sandbox, trainees=1, name="Another group")
        await h.sandbox.sync_gateway()
        await set_up_group(h)
        await h.run(h.group.supervisor, "schedule set", kind="quiz_opens", days="Mon", time="09:00")
        # The other server's supervisor sees none of this server's settings or schedules.
        listing = await h.sandbox.invoke(other.guild, other.supervisor, "schedule list")
        refused = await listing.response()
        assert "Only supervisors" in refused.content  # no role configured there yet; not Manage Server
        owner = manage_server_member(h.sandbox, other)
        await h.sandbox.sync_gateway()
        ix = await h.sandbox.invoke(other.guild, owner, "schedule list")
        assert "No schedules yet" in embed_text((await ix.response()).embeds)
        ix = await h.sandbox.invoke(other.guild, owner, "setup")
        assert "UTC" in embed_text((await ix.response()).embeds)


async def test_retention_purge_removes_old_rows_and_records_it(make_harness) -> None:
    async with make_harness(cogs=ADMIN_COGS) as h:
        g = h.group
        await h.advance(timedelta(hours=1))  # the start-up catch-up purge has run by now
        old = h.clock() - timedelta(days=200)
        await h.bot.repos.deliveries.record(g.guild.id, g.trainees[0].id, "reflect", "DMs closed", old)
        await h.bot.repos.deliveries.record(g.guild.id, g.trainees[1].id, "reflect", "DMs closed", h.clock())
        await h.bot.repos.fires.claim("schedule:999", "quiz_opens", old, old, guild_id=g.guild.id, status="skipped")
        await h.advance(timedelta(hours=18))  # past 03:00 UTC the next day
        assert rows(h, "SELECT user_id FROM dm_failures") == [(g.trainees[1].id,)]
        assert rows(h, "SELECT COUNT(*) FROM fires WHERE job = 'schedule:999'") == [(0,)]
        summary = rows(h, "SELECT summary FROM purge_log")
        assert summary and "1 fire history row(s)" in summary[-1][0] and "1 delivery failure row(s)" in summary[-1][0]
        assert "0 dm delivery row(s)" in summary[-1][0] and "0 checkin row(s)" in summary[-1][0]
        status = await h.run(g.owner, "status")
        assert "Last retention purge" in embed_text(status.embeds)


async def test_supervisor_commands_hide_from_members_by_default(make_harness) -> None:
    async with make_harness(cogs=ADMIN_COGS) as h:
        registered = {c["name"]: c for c in h.sandbox.registered_commands()}
        manage = str(discord.Permissions(manage_guild=True).value)
        for name in ("setup", "schedule", "status"):
            assert registered[name]["default_member_permissions"] == manage
            assert registered[name].get("contexts") in (None, [0]) or registered[name].get("dm_permission") is False
