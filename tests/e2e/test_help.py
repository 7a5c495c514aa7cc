"""First steps: /help fitted to the caller, the checklist after /setup, the welcome on joining, the notices."""

from __future__ import annotations

from datetime import timedelta

import discord

from bot.safety import NOT_THERAPY
from cogs.about.guide import MEMBER_COMMANDS, SUPERVISOR_COMMANDS, CommandPath, typed
from cogs.about.help_cog import registered_paths
from tests.e2e.conftest import embed_text, set_up_group

ALL_COGS = ("about", "admin", "quiz", "checkin", "reflect", "meeting")


def listed(commands: tuple[tuple[CommandPath, str], ...]) -> set[str]:
    return {typed(path) for path, _ in commands}


async def test_every_command_is_in_exactly_one_help_list(make_harness) -> None:
    async with make_harness(cogs=ALL_COGS) as h:
        registered = registered_paths(h.bot.tree)
    members, supervisors = listed(MEMBER_COMMANDS), listed(SUPERVISOR_COMMANDS)
    assert not members & supervisors
    assert registered == members | supervisors, "a command is missing from /help, or /help names one that isn't"


async def test_a_member_sees_member_commands_and_how_a_week_works(make_harness) -> None:
    async with make_harness(cogs=ALL_COGS) as h:
        await set_up_group(h)
        response = await h.run(h.group.trainees[0], "help")
        assert response.ephemeral
        text = embed_text(response.embeds)
        assert "How a week works" in text
        for path, what in MEMBER_COMMANDS:
            assert f"`/{typed(path)}` · {what}" in text
        assert "Supervisor commands" not in text
        assert "/setup" not in text and "/checkin summary" not in text
        assert NOT_THERAPY in response.embeds[0]["footer"]["text"]
        # One line per command.
        assert sum(line.startswith("`/") for line in text.splitlines()) == len(MEMBER_COMMANDS)


async def test_a_supervisor_also_sees_supervisor_commands(make_harness) -> None:
    async with make_harness(cogs=ALL_COGS) as h:
        await set_up_group(h)
        text = embed_text((await h.run(h.group.supervisor, "help")).embeds)
        assert "Supervisor commands" in text
        for path, what in (*MEMBER_COMMANDS, *SUPERVISOR_COMMANDS):
            assert f"`/{typed(path)}` · {what}" in text


async def test_help_lists_only_the_features_that_are_loaded(make_harness) -> None:
    async with make_harness(cogs=("about", "admin")) as h:
        text = embed_text((await h.run(h.group.owner, "help")).embeds)
        assert "`/setup`" in text and "`/privacy info`" in text
        assert "/quiz" not in text and "/checkin" not in text and "/reflect" not in text
        assert "How a week works" not in text


async def test_setup_lists_next_steps_and_ticks_what_is_done(make_harness) -> None:
    async with make_harness(cogs=ALL_COGS) as h:
        g = h.group
        first = await h.run(g.owner, "setup", timezone="Europe/London")
        steps = first.embeds[1]
        assert steps["title"] == "Next steps"
        assert "⬜ Supervisor role" in steps["description"]
        assert "⬜ Schedules" in steps["description"]
        assert "for each of: reflective prompt, quiz opens, quiz closes, check-in digest" in steps["description"]
        await set_up_group(h)
        await h.run(g.owner, "setup", meeting_day=2, meeting_time="14:00")
        await h.run(g.supervisor, "schedule set", kind="quiz_opens")
        text = (await h.run(g.owner, "setup")).embeds[1]["description"]
        assert "✅ Supervisor role\n" in text and "✅ Channels" in text and "✅ Meeting day" in text
        assert "/setup supervisor_role:" not in text  # done steps don't repeat their command
        assert "⬜ Schedules" in text and "for each of: reflective prompt, quiz closes, check-in digest" in text
        assert "`/help`" in text and "`/status`" in text


async def test_joining_a_server_welcomes_the_owner_where_the_bot_may_post(make_harness) -> None:
    async with make_harness(cogs=ALL_COGS) as h:
        joined = h.sandbox.join_guild("New group", channels=("rules", "general"))
        rules = next(c for c in joined.channels.values() if c.name == "rules")
        welcome = await h.sandbox.wait_for_message(rules)
        text = embed_text(welcome.embeds)
        assert "/setup" in text and "/help" in text and NOT_THERAPY in text
        await h.sandbox.sync_gateway()
        general = next(c for c in joined.channels.values() if c.name == "general")
        assert h.sandbox.messages(general) == [], "welcomed once, in one channel"
        # Reconnecting is not joining: no second welcome.
        await h.advance(timedelta(minutes=1))
        assert len(h.sandbox.messages(rules)) == 1


async def test_no_welcome_where_the_bot_may_not_post(make_harness) -> None:
    async with make_harness(cogs=ALL_COGS) as h:
        quiet = discord.Permissions(view_channel=True, read_message_history=True)
        joined = h.sandbox.join_guild("Read-only group", bot_permissions=quiet)
        await h.sandbox.sync_gateway()
        assert all(h.sandbox.messages(channel) == [] for channel in joined.channels.values())
        assert not h.sandbox.take_violations()


async def test_about_carries_the_not_therapy_notice(make_harness) -> None:
    async with make_harness(cogs=ALL_COGS) as h:
        response = await h.run(h.group.trainees[0], "about")
        assert response.embeds[0]["footer"]["text"] == NOT_THERAPY
        assert "/help" in embed_text(response.embeds)


async def test_checkin_card_carries_the_not_therapy_notice(make_harness) -> None:
    async with make_harness(cogs=ALL_COGS) as h:
        await set_up_group(h)
        card = await h.run(h.group.trainees[0], "checkin new")
        assert NOT_THERAPY in card.content


async def test_subscribe_says_first_that_dms_must_be_allowed_and_how(make_harness) -> None:
    async with make_harness(cogs=ALL_COGS) as h:
        await set_up_group(h)
        response = await h.run(h.group.trainees[0], "reflect subscribe", days="Fri", time="08:00")
        first = response.content.split("\n")[0]
        assert "allow DMs from this server first" in first
        assert "Privacy Settings" in first and "Direct Messages" in first
        assert response.content.index("allow DMs") < response.content.index("Subscribed")


async def test_dm_prompts_explain_their_tags_in_words_and_carry_the_notice(make_harness) -> None:
    async with make_harness(cogs=ALL_COGS) as h:
        await set_up_group(h)
        member = h.group.trainees[0]
        await h.run(member, "reflect subscribe", days="daily", time="09:00")
        for _ in range(10):
            await h.advance(timedelta(hours=3))
        dm = (await h.sandbox.wait_for_dm(member)).embeds[0]
        footer = dm["footer"]["text"]
        assert "This prompt asks you to " in footer and "\nSource: " in footer
        assert footer.endswith(NOT_THERAPY)
        # The raw tags of the prompt bank never reach a member.
        for tag in ("describe", "feel", "evaluate", "analyse", "conclude", "plan"):
            assert f"· {tag.capitalize()} ·" not in footer
        for tag in ("normative", "formative", "restorative"):
            assert tag not in footer


async def test_a_support_line_from_setup_shows_beside_every_notice(make_harness) -> None:
    async with make_harness(cogs=ALL_COGS) as h:
        await set_up_group(h)
        line = "Samaritans 116 123 · programme office 020 7946 0000"
        response = await h.run(h.group.owner, "setup", support_line=f"  {line} ")
        assert f"{NOT_THERAPY}" not in embed_text(response.embeds)  # the settings card shows the line itself
        assert line in embed_text(response.embeds)
        assert "✅ Optional: a support line" in response.embeds[1]["description"]
        expected = f"{NOT_THERAPY} Support: {line}"
        for member in (h.group.trainees[0], h.group.supervisor):
            assert (await h.run(member, "help")).embeds[0]["footer"]["text"] == expected
        assert (await h.run(h.group.trainees[1], "about")).embeds[0]["footer"]["text"] == expected
        member = h.group.trainees[2]
        await h.run(member, "reflect subscribe", days="daily", time="09:00")
        for _ in range(10):
            await h.advance(timedelta(hours=3))
        assert (await h.sandbox.wait_for_dm(member)).embeds[0]["footer"]["text"].endswith(expected)
        # 'none' takes it away again.
        await h.run(h.group.owner, "setup", support_line="none")
        assert (await h.run(h.group.trainees[0], "help")).embeds[0]["footer"]["text"] == NOT_THERAPY
