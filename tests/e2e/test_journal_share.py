"""Sharing a journal entry privately with supervisors: only supervisors receive it, a member of another group
never sees it, the supervisor replies once and the member reads it in their journal, unsharing and deleting
delete the copy, retention expires it, and /setup guards the channels involved."""

from __future__ import annotations

from datetime import timedelta

import discord

from tests.e2e.conftest import build_group, custom_ids, embed_text, set_up_group
from tests.support.journal_actions import write_entry

VIEW = discord.Permissions(view_channel=True)


def private_channel(h, name: str = "supervisors"):  # type: ignore[no-untyped-def]
    """A channel only the supervisor role (and the bot) can see."""
    channel = h.sandbox.create_text_channel(h.group.guild, name)
    h.sandbox.set_overwrite(channel, "everyone", deny=VIEW)
    h.sandbox.set_overwrite(channel, h.group.supervisor_role, allow=VIEW)
    h.sandbox.set_overwrite(channel, "bot", allow=VIEW)
    return channel


async def share(h, member, text: str):  # type: ignore[no-untyped-def]
    """Write an entry and press 'Share with my supervisor'; return (entry id, the confirmation)."""
    saved = await write_entry(h, member, text)
    button = next(c for c in custom_ids(saved) if c.startswith("sv:reflect:private:"))
    assert "with my name" in str(saved.components)  # the button says it is not anonymous
    pressed = await h.sandbox.click(member, saved.message, button)
    first = await pressed.response()
    # Refusals come at once; a share is deferred while the copies go out, then confirmed.
    return int(button.rsplit(":", 1)[1]), first if first.type == 4 else await pressed.next_followup()


async def test_only_supervisors_receive_a_shared_entry_and_the_reply_comes_back(make_harness) -> None:
    async with make_harness() as h:
        await set_up_group(h)
        g, member = h.group, h.group.trainees[0]
        nowhere = await share(h, member, "unshareable yet")
        assert "haven't chosen where shared entries go" in nowhere[1].content
        assert h.bot.repos.journal_shares is not None and await h.bot.repos.journal_shares.get(nowhere[0]) is None

        public = h.sandbox.create_text_channel(g.guild, "everyone-sees")
        refused = await h.run(g.supervisor, "setup", supervisor_channel=public)
        assert "Everyone in the server can see" in refused.content and "Nothing was changed" in refused.content
        channel = private_channel(h)
        await h.sandbox.sync_gateway()
        done = await h.run(g.supervisor, "setup", supervisor_channel=channel)
        assert f"<#{channel.id}>" in embed_text(done.embeds)

        other = build_group(h.sandbox, trainees=1, name="Other group")
        await h.sandbox.sync_gateway()
        entry_id, confirmed = await share(h, member, "I froze when she cried @everyone")
        assert "Shared entry" in confirmed.content and confirmed.flags & 64
        copies = [m for m in h.sandbox.messages(channel) if m.embeds]
        assert len(copies) == 1
        copy = copies[0]
        assert (
            f"{member.user.name} shared a journal entry" in copy.embeds[0]["title"]
            or "shared a journal entry" in (copy.embeds[0]["title"])
        )
        assert "I froze when she cried @\u200beveryone" in copy.embeds[0]["description"]
        assert copy.allowed_mentions == {"parse": []}
        # Only supervisors can see the copy; no trainee of this group or member of another group can.
        view = VIEW.value
        assert h.sandbox.permissions_of(g.supervisor, channel) & view
        for trainee in [*g.trainees, *other.trainees]:
            if trainee.guild_id == g.guild.id:
                assert not h.sandbox.permissions_of(trainee, channel) & view
            assert all("I froze" not in embed_text(m.embeds) for m in h.sandbox.dms(trainee))
        for ch in other.channels.values():
            assert all("I froze" not in embed_text(m.embeds) for m in h.sandbox.messages(ch))
        # The confirmation's button still works, and a second share is refused.
        saved_first = next(
            m for m in h.sandbox.world.messages.values() if f"sv:reflect:private:{entry_id}" in str(m.components)
        )
        twice = await h.sandbox.click(member, saved_first, f"sv:reflect:private:{entry_id}")
        assert "already shared" in (await twice.response()).content
        journal = await h.run(member, "reflect journal show")
        assert f"sv:reflect:private:{entry_id}" not in custom_ids(journal)  # shared: only "Unshare" is offered

        # A trainee can't reply; the supervisor replies once.
        reply = custom_ids(copy)[0]
        assert "Only supervisors" in (await (await h.sandbox.click(g.trainees[1], copy, reply)).response()).content
        opened = await h.sandbox.click(g.supervisor, copy, reply)
        field = (await opened.modal())["components"][0]["components"][0]["custom_id"]
        saved = await (
            await h.sandbox.submit_modal(g.supervisor, opened, {field: "Let's bring this on Thursday."})
        ).response()
        assert "Reply saved" in saved.content
        second = await (await h.sandbox.click(g.supervisor, copy, reply)).response()
        assert "already replied" in second.content
        journal = await h.run(member, "reflect journal show")
        text = embed_text(journal.embeds)
        assert "shared with your supervisor" in text and "Let's bring this on Thursday." in text
        assert g.supervisor.user.name in text or "Dr Supervisor" in text

        # Unsharing deletes the supervisors' copy and the reply with it.
        unshare = next(c for c in custom_ids(journal) if c == f"sv:reflect:unshare:{entry_id}")
        gone = await (await h.sandbox.click(member, journal.message, unshare)).response()
        assert "supervisors' copy is deleted" in gone.content
        assert h.sandbox.message(copy.id).deleted
        assert await h.bot.repos.journal_shares.get(entry_id) is None
        again = await h.run(member, "reflect journal show")
        assert "Let's bring this on Thursday." not in embed_text(again.embeds)
        assert f"sv:reflect:private:{entry_id}" in custom_ids(again)


async def test_shares_by_dm_deleting_the_entry_and_retention_remove_the_copy(make_harness) -> None:
    async with make_harness() as h:
        await set_up_group(h)
        g, member = h.group, h.group.trainees[0]
        await h.run(g.supervisor, "setup", journal_dm=True)
        entry_id, _ = await share(h, member, "By DM only")
        dm = next(m for m in h.sandbox.dms(g.supervisor) if m.embeds)
        assert "By DM only" in dm.embeds[0]["description"]
        assert all(h.sandbox.dms(t) == [] for t in g.trainees)
        # Deleting the entry deletes the copy.
        journal = await h.run(member, "reflect journal show")
        ask = await (await h.sandbox.click(member, journal.message, f"sv:reflect:delete:{entry_id}:ask")).response()
        await (await h.sandbox.click(member, ask.message, f"sv:reflect:delete:{entry_id}:yes")).response()
        assert h.sandbox.message(dm.id).deleted

        # Retention: a copy older than [retention] shared_entry_days is deleted; the entry stays.
        kept_id, _ = await share(h, member, "Kept in the journal")
        kept = next(m for m in h.sandbox.dms(g.supervisor) if m.embeds and "Kept in" in m.embeds[0]["description"])
        await h.advance(timedelta(days=181))
        assert h.sandbox.message(kept.id).deleted
        assert await h.bot.repos.journal_shares.get(kept_id) is None
        assert await h.bot.repos.journal.get(g.guild.id, member.id, kept_id) is not None


async def test_an_opt_in_digest_channel_is_explained_and_checked(make_harness) -> None:
    async with make_harness() as h:
        await set_up_group(h)
        answer = await h.run(h.group.supervisor, "setup", digest_opt_in=True)
        text = embed_text(answer.embeds)
        assert "An opt-in digest channel" in text and "deny **View Channel** to @everyone" in text
        assert "is set as opt-in, but everyone can see it" in text
        h.sandbox.set_overwrite(h.group.channels["digest"], "everyone", deny=VIEW)
        h.sandbox.set_overwrite(h.group.channels["digest"], "bot", allow=VIEW)
        await h.sandbox.sync_gateway()
        checked = embed_text((await h.run(h.group.supervisor, "setup")).embeds)
        assert "everyone can see it" not in checked
