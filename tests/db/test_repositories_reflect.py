"""Reflection repositories on a real SQLite file: group prompts, own prompts, DM subscriptions and the journal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.db.models import CLAIM_LEASE
from bot.db.repositories import Repositories
from bot.db.repositories.reflect import CustomPrompt
from bot.db.repositories.subscriptions import Delivery, DeliveryOutcome, Subscription
from tests.support.db import db_rows

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
GUILD, MEMBER, OTHER = 111, 201, 202
BATCH, OTHER_BATCH = "batch-one", "batch-two"


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
    assert await repos.subscriptions.claim(GUILD, MEMBER, due, "p1", NOW, BATCH)
    assert not await repos.subscriptions.claim(GUILD, MEMBER, due, "p1", NOW, OTHER_BATCH)
    await repos.subscriptions.release(GUILD, MEMBER, due, BATCH)
    assert await repos.subscriptions.claim(GUILD, MEMBER, due, "p1", NOW, BATCH)
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
    await repos.subscriptions.claim(GUILD, OTHER, NOW, "p0", NOW, OTHER_BATCH)
    checks = await repos.subscriptions.active_with_last_due()
    assert [(c.subscription.user_id, c.last_due) for c in checks] == [(MEMBER, None), (OTHER, NOW)]
    batch = [Delivery(GUILD, MEMBER, due, "p1"), Delivery(GUILD, OTHER, due, "p2"), Delivery(GUILD, OTHER, NOW, "p3")]
    assert await repos.subscriptions.claim_many(batch, NOW, BATCH) == [True, True, False]  # NOW was claimed before
    assert await repos.subscriptions.claim_many(batch, NOW, OTHER_BATCH) == [False, False, False]
    await repos.subscriptions.settle_many(
        [
            DeliveryOutcome(GUILD, MEMBER, due, "sent", dm_channel_id=900),
            DeliveryOutcome(GUILD, OTHER, due, "released", dm_channel_id=901),
        ],
        BATCH,
    )
    rows = db_rows(repos.db.path, "SELECT user_id, due_at, prompt_id, status FROM dm_deliveries ORDER BY 1, 2")
    assert rows == [(MEMBER, int(due.timestamp()), "p1", "sent"), (OTHER, int(NOW.timestamp()), "p0", "claimed")]
    # Released, the member's delivery can be claimed again on the next tick; both channels are remembered.
    assert await repos.subscriptions.claim_many([Delivery(GUILD, OTHER, due, "p2")], NOW, BATCH) == [True]
    channels = {s.user_id: s.dm_channel_id for s in await repos.subscriptions.active()}
    assert channels == {MEMBER: 900, OTHER: 901}
    await repos.subscriptions.forget_dm_channel(GUILD, OTHER)
    assert (await repos.subscriptions.get(GUILD, OTHER)).dm_channel_id is None  # type: ignore[union-attr]
    # Subscribing again keeps the channel: it is the member's, whatever their timing.
    await repos.subscriptions.subscribe(subscription(GUILD, MEMBER))
    assert (await repos.subscriptions.get(GUILD, MEMBER)).dm_channel_id == 900  # type: ignore[union-attr]


def lease(repos: Repositories, user_id: int) -> tuple[str, str, int | None, int]:
    [row] = db_rows(
        repos.db.path, "SELECT status, holder, claimed_at, attempts FROM dm_deliveries WHERE user_id = ?", user_id
    )
    return row


async def test_a_claimed_dm_is_a_lease_renewed_by_its_batch_and_taken_over_only_once_stale(repos: Repositories) -> None:
    subs = repos.subscriptions
    assert await subs.claim_many([Delivery(GUILD, MEMBER, NOW, "p1"), Delivery(GUILD, OTHER, NOW, "p2")], NOW, BATCH)
    assert lease(repos, MEMBER) == ("claimed", BATCH, int(NOW.timestamp()), 1)

    # Within the lease nobody takes it, not even a process that holds nothing.
    at = NOW + CLAIM_LEASE
    assert await subs.take_over_stale(at, at - CLAIM_LEASE, OTHER_BATCH, {OTHER_BATCH}) == []
    # The batch renews every claim it holds in one write, and a renewed claim has a fresh lease.
    renewed = NOW + timedelta(minutes=2)
    assert await subs.renew_claims(BATCH, renewed) == 2
    assert await subs.renew_claims(OTHER_BATCH, renewed) == 0
    at = NOW + timedelta(minutes=4)
    assert await subs.take_over_stale(at, at - CLAIM_LEASE, OTHER_BATCH, {OTHER_BATCH}) == []
    assert lease(repos, MEMBER)[2] == int(renewed.timestamp())

    # Long past the lease, the process running the batch still never takes its own claims over.
    at = renewed + CLAIM_LEASE * 3
    assert await subs.take_over_stale(at, at - CLAIM_LEASE, BATCH, {BATCH}) == []
    assert await subs.take_over_stale(at, at - CLAIM_LEASE, OTHER_BATCH, {BATCH, OTHER_BATCH}) == []
    # Another process does, once: each DM comes back with the prompt chosen and its tries so far.
    taken = await subs.take_over_stale(at, at - CLAIM_LEASE, OTHER_BATCH, {OTHER_BATCH})
    assert taken == [Delivery(GUILD, MEMBER, NOW, "p1", attempts=2), Delivery(GUILD, OTHER, NOW, "p2", attempts=2)]
    assert lease(repos, MEMBER) == ("claimed", OTHER_BATCH, int(at.timestamp()), 2)
    assert await subs.take_over_stale(at, at - CLAIM_LEASE, "batch-three", {"batch-three"}) == []

    # The stopped batch, heard from late, cannot give back what is no longer its own; the new holder settles it.
    await subs.release(GUILD, MEMBER, NOW, BATCH)
    assert lease(repos, MEMBER)[:2] == ("claimed", OTHER_BATCH)
    await subs.settle_many([DeliveryOutcome(GUILD, MEMBER, NOW, "sent")], OTHER_BATCH)
    assert lease(repos, MEMBER) == ("sent", "", None, 2)
    assert await subs.renew_claims(OTHER_BATCH, at) == 1  # only the DM it still holds
    later = at + timedelta(days=1)
    taken = await subs.take_over_stale(later, later - CLAIM_LEASE, BATCH, {BATCH})
    assert [(d.user_id, d.attempts) for d in taken] == [(OTHER, 3)]  # a settled DM is never taken over
    # One delivery row per DM however often it was taken over: last_due, the export and the history see one.
    assert db_rows(repos.db.path, "SELECT COUNT(*) FROM dm_deliveries") == [(2,)]


async def test_the_dms_of_a_dm_tick_taken_over_from_a_stopped_process_need_not_wait_out_their_own_lease(
    repos: Repositories,
) -> None:
    subs = repos.subscriptions
    # Fire 7's run stopped; fires 70 and 8 are running elsewhere. All three renewed their DMs a moment ago.
    for user_id, holder in ((MEMBER, "fire7:stopped"), (OTHER, "fire70:running"), (203, "fire8:running")):
        await subs.claim(GUILD, user_id, NOW, "p1", NOW, holder)
    at = NOW + timedelta(seconds=30)
    # Whoever took fire 7 over (its lease ran out) takes the DMs its stopped run held, and only those.
    assert await subs.take_over_stale(at, at - CLAIM_LEASE, "fire7:new", {"fire7:new"}, "fire7") == [
        Delivery(GUILD, MEMBER, NOW, "p1", attempts=2)
    ]
    # Unless that run is still going in the caller's own process.
    await subs.claim(GUILD, 204, NOW, "p1", NOW, "fire9:here")
    assert await subs.take_over_stale(at, at - CLAIM_LEASE, "fire9:new", {"fire9:here", "fire9:new"}, "fire9") == []


async def test_takeovers_count_up_and_a_dm_given_up_says_why_and_is_no_mark_against_the_member(
    repos: Repositories,
) -> None:
    subs = repos.subscriptions
    await subs.subscribe(subscription(GUILD, MEMBER))
    await subs.claim(GUILD, MEMBER, NOW, "p1", NOW, BATCH)
    at, tries = NOW, []
    for holder in ("b2", "b3", "b4"):
        at += CLAIM_LEASE + timedelta(seconds=1)
        [taken] = await subs.take_over_stale(at, at - CLAIM_LEASE, holder, {holder})
        tries.append(taken.attempts)
    assert tries == [2, 3, 4]
    reason = "the bot was stopped while sending it, each time it tried"
    await subs.settle_many([DeliveryOutcome(GUILD, MEMBER, NOW, "failed", detail=reason)], "b4")
    assert lease(repos, MEMBER) == ("failed", "", None, 4)
    later = at + timedelta(days=1)
    assert await subs.take_over_stale(later, later - CLAIM_LEASE, "b5", {"b5"}) == []
    # Discord's refusals pause a subscription after a few in a row; the bot's own failure is not one of them.
    assert await subs.recent_failures(GUILD, MEMBER, 5) == 0
    for day in (1, 2):
        await subs.claim(GUILD, MEMBER, NOW + timedelta(days=day), "p2", NOW, BATCH)
        await subs.settle(GUILD, MEMBER, NOW + timedelta(days=day), "failed")
    assert await subs.recent_failures(GUILD, MEMBER, 5) == 2
    deliveries = [row.as_dict() for row in await subs.export_member(GUILD, MEMBER)][1:]
    assert deliveries[0] == {"delivery_due_at": NOW.isoformat(), "prompt": "p1", "status": "failed", "why": reason}
    assert [d.get("why") for d in deliveries[1:]] == [None, None]


async def test_subscription_export_and_delete_touch_only_the_member(repos: Repositories) -> None:
    for guild_id, user_id in ((GUILD, MEMBER), (GUILD, OTHER), (GUILD + 1, MEMBER)):
        await repos.subscriptions.subscribe(subscription(guild_id, user_id))
        await repos.subscriptions.claim(guild_id, user_id, NOW, "p1", NOW, BATCH)
    await repos.subscriptions.settle_many([DeliveryOutcome(GUILD, MEMBER, NOW, "sent", dm_channel_id=900)], BATCH)
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
