"""Reflection repositories on a real SQLite file: group prompts, own prompts, DM subscriptions and the journal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.db.repositories import Repositories
from bot.db.repositories.reflect import CustomPrompt
from bot.db.repositories.subscriptions import Delivery, DeliveryOutcome, Subscription
from tests.support.db import db_rows

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
GUILD, MEMBER, OTHER = 111, 201, 202


def subscription(guild_id: int, user_id: int) -> Subscription:
    return Subscription(guild_id, user_id, (0, 3), "09:00", "America/Toronto", "22:00", "07:00", True, None, NOW)


async def test_group_prompts_cycle_per_element(repos: Repositories) -> None:
    assert await repos.reflect.lean_toward_weakest(GUILD)
    await repos.reflect.set_lean(GUILD, False)
    assert not await repos.reflect.lean_toward_weakest(GUILD)
    first = await repos.reflect.record_group_prompt(GUILD, "p1", "empathy", 7, NOW, restart_element=False)
    await repos.reflect.record_group_prompt(GUILD, "p2", "congruence", 7, NOW + timedelta(7), restart_element=False)
    assert await repos.reflect.used_in_cycle(GUILD) == {"p1", "p2"}
    third = await repos.reflect.record_group_prompt(
        GUILD, "p3", "empathy", 7, NOW + timedelta(14), restart_element=True
    )
    assert await repos.reflect.used_in_cycle(GUILD) == {"p2", "p3"}
    assert await repos.reflect.elements_in_order(GUILD) == ["empathy", "congruence", "empathy"]
    await repos.reflect.set_posted(third, 70, 71)
    latest = await repos.reflect.latest_group_prompt(GUILD)
    assert latest is not None and (latest.id, latest.prompt_id, latest.thread_id) == (third, "p3", 71)
    assert latest.posted_at == NOW + timedelta(14)
    earlier = await repos.reflect.group_prompt(first)
    assert earlier is not None and (earlier.prompt_id, earlier.element, earlier.message_id) == ("p1", "empathy", None)
    assert await repos.reflect.group_prompt(third + 1) is None
    assert await repos.reflect.latest_group_prompt(GUILD + 1) is None


async def test_own_prompts_and_switched_off_prompts(repos: Repositories) -> None:
    await repos.reflect.add_custom(GUILD, "own-1", "empathy", "any", None, "What moved you? ✨", NOW)
    assert await repos.reflect.custom_prompts(GUILD) == [
        CustomPrompt("own-1", "empathy", "any", None, "What moved you? ✨")
    ]
    assert await repos.reflect.custom_prompts(GUILD + 1) == []
    assert await repos.reflect.disable(GUILD, "p1")
    assert not await repos.reflect.disable(GUILD, "p1")
    assert await repos.reflect.disabled(GUILD) == {"p1"}


async def test_subscriptions_claim_each_dm_once(repos: Repositories) -> None:
    await repos.subscriptions.subscribe(subscription(GUILD, MEMBER))
    assert await repos.subscriptions.get(GUILD, MEMBER) == subscription(GUILD, MEMBER)
    assert [s.user_id for s in await repos.subscriptions.active()] == [MEMBER]
    due = NOW + timedelta(days=1)
    assert await repos.subscriptions.claim(GUILD, MEMBER, due, "p1")
    assert not await repos.subscriptions.claim(GUILD, MEMBER, due, "p1")
    await repos.subscriptions.release(GUILD, MEMBER, due)
    assert await repos.subscriptions.claim(GUILD, MEMBER, due, "p1")
    await repos.subscriptions.settle(GUILD, MEMBER, due, "failed")
    assert await repos.subscriptions.last_due(GUILD, MEMBER) == due
    assert await repos.subscriptions.last_due(GUILD, OTHER) is None
    assert await repos.subscriptions.recent_failures(GUILD, MEMBER, 5) == 1
    assert await repos.subscriptions.pause(GUILD, MEMBER, None)
    assert await repos.subscriptions.active() == []
    assert await repos.subscriptions.purge_before(due + timedelta(seconds=1)) == 1
    assert await repos.subscriptions.unsubscribe(GUILD, MEMBER)
    assert await repos.subscriptions.get(GUILD, MEMBER) is None


async def test_a_dm_tick_claims_and_settles_in_batches_and_remembers_dm_channels(repos: Repositories) -> None:
    for user_id in (MEMBER, OTHER):
        await repos.subscriptions.subscribe(subscription(GUILD, user_id))
    due = NOW + timedelta(days=1)
    await repos.subscriptions.claim(GUILD, OTHER, NOW, "p0")
    checks = await repos.subscriptions.active_with_last_due()
    assert [(c.subscription.user_id, c.last_due) for c in checks] == [(MEMBER, None), (OTHER, NOW)]
    batch = [Delivery(GUILD, MEMBER, due, "p1"), Delivery(GUILD, OTHER, due, "p2"), Delivery(GUILD, OTHER, NOW, "p3")]
    assert await repos.subscriptions.claim_many(batch) == [True, True, False]  # NOW was claimed before
    assert await repos.subscriptions.claim_many(batch) == [False, False, False]
    await repos.subscriptions.settle_many(
        [
            DeliveryOutcome(GUILD, MEMBER, due, "sent", dm_channel_id=900),
            DeliveryOutcome(GUILD, OTHER, due, "released", dm_channel_id=901),
        ]
    )
    rows = db_rows(repos.db.path, "SELECT user_id, due_at, prompt_id, status FROM dm_deliveries ORDER BY 1, 2")
    assert rows == [(MEMBER, int(due.timestamp()), "p1", "sent"), (OTHER, int(NOW.timestamp()), "p0", "claimed")]
    # Released, the member's delivery can be claimed again on the next tick; both channels are remembered.
    assert await repos.subscriptions.claim_many([Delivery(GUILD, OTHER, due, "p2")]) == [True]
    channels = {s.user_id: s.dm_channel_id for s in await repos.subscriptions.active()}
    assert channels == {MEMBER: 900, OTHER: 901}
    await repos.subscriptions.forget_dm_channel(GUILD, OTHER)
    assert (await repos.subscriptions.get(GUILD, OTHER)).dm_channel_id is None  # type: ignore[union-attr]
    # Subscribing again keeps the channel: it is the member's, whatever their timing.
    await repos.subscriptions.subscribe(subscription(GUILD, MEMBER))
    assert (await repos.subscriptions.get(GUILD, MEMBER)).dm_channel_id == 900  # type: ignore[union-attr]


async def test_subscription_export_and_delete_touch_only_the_member(repos: Repositories) -> None:
    for guild_id, user_id in ((GUILD, MEMBER), (GUILD, OTHER), (GUILD + 1, MEMBER)):
        await repos.subscriptions.subscribe(subscription(guild_id, user_id))
        await repos.subscriptions.claim(guild_id, user_id, NOW, "p1")
    await repos.subscriptions.settle_many([DeliveryOutcome(GUILD, MEMBER, NOW, "sent", dm_channel_id=900)])
    exported = [row.as_dict() for row in await repos.subscriptions.export_member(GUILD, MEMBER)]
    assert exported == [
        {
            "subscription": "direct-message prompts",
            "weekdays (Monday = 0)": [0, 3],
            "local_time": "09:00",
            "timezone": "America/Toronto",
            "quiet_hours": "22:00-07:00",
            "active": True,
            "paused_until": None,
            "dm_channel_id": 900,
        },
        {"delivery_due_at": NOW.isoformat(), "prompt": "p1", "status": "sent"},
    ]
    assert await repos.subscriptions.delete_member(GUILD, MEMBER) == 2
    assert await repos.subscriptions.export_member(GUILD, MEMBER) == []
    for table in ("subscriptions", "dm_deliveries"):
        rows = db_rows(repos.db.path, f"SELECT guild_id, user_id FROM {table} ORDER BY guild_id, user_id")
        assert rows == [(GUILD, OTHER), (GUILD + 1, MEMBER)], table


async def test_journal_is_scoped_to_its_author(repos: Repositories) -> None:
    first = await repos.journal.add(GUILD, MEMBER, "first", NOW, prompt_id="p1", prompt_text="What?", element="empathy")
    second = await repos.journal.add(GUILD, MEMBER, "second", NOW + timedelta(hours=1))
    assert await repos.journal.count(GUILD, MEMBER) == 2
    assert [e.id for e in await repos.journal.page(GUILD, MEMBER, 0, 1)] == [second]
    assert [e.id for e in await repos.journal.all_for(GUILD, MEMBER)] == [second, first]
    assert await repos.journal.get(GUILD, OTHER, first) is None
    assert not await repos.journal.delete(GUILD, OTHER, first)
    await repos.journal.mark_shared(GUILD, MEMBER, first, 55)
    entry = await repos.journal.get(GUILD, MEMBER, first)
    assert entry is not None and entry.shared_message_id == 55 and entry.written_at == NOW
    assert await repos.journal.delete(GUILD, MEMBER, second)
    assert await repos.journal.count(GUILD, MEMBER) == 1


async def test_journal_export_and_delete_touch_only_the_member(repos: Repositories) -> None:
    await repos.journal.add(GUILD, MEMBER, "mine ✨", NOW, prompt_text="What?", element="empathy")
    await repos.journal.add(GUILD, OTHER, "theirs", NOW)
    await repos.journal.add(GUILD + 1, MEMBER, "mine elsewhere", NOW)
    exported = [row.as_dict() for row in await repos.journal.export_member(GUILD, MEMBER)]
    assert exported == [
        {
            "written_at": NOW.isoformat(),
            "prompt": "What?",
            "element": "empathy",
            "entry": "mine ✨",
            "shared_in_group_thread": False,
        }
    ]
    assert await repos.journal.delete_member(GUILD, MEMBER) == 1
    assert await repos.journal.export_member(GUILD, MEMBER) == []
    rows = db_rows(repos.db.path, "SELECT guild_id, user_id, body FROM journal_entries ORDER BY guild_id, user_id")
    assert rows == [(GUILD, OTHER, "theirs"), (GUILD + 1, MEMBER, "mine elsewhere")]
