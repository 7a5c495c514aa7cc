"""After a restart, every kind of control the bot has sent answers in words; none fails silently.

Persistent controls (DynamicItems) keep working. Cards that held unsaved state in memory say what
expired and what to run instead, and a form submitted after a restart gives its text back.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from bot.config import BotConfig
from bot.scheduling import ManualClock
from discord_sandbox import Sandbox
from tests.e2e.conftest import START, Harness, build_group, custom_ids, make_config, running, set_up_group
from tests.support.checkin_actions import component_id

ALL_COGS = ("about", "admin", "quiz", "checkin", "reflect")


async def test_every_control_answers_usefully_after_a_restart(sandbox: Sandbox, tmp_path: Path) -> None:
    sb = sandbox
    group = build_group(sb, trainees=3)
    config = make_config(tmp_path, sb, cogs=ALL_COGS)
    clock = ManualClock(START)
    a, b, c = group.trainees
    async with running(sb, config, clock) as bot:
        h = Harness(sb, bot, clock, group, config.database_path)
        await set_up_group(h)
        # A check-in card half filled in, and one whose text was flagged before saving.
        card = await h.run(a, "checkin new")
        card = await (await sb.select(a, card.message, component_id(card, kind=3, index=0), ["helpless"])).response()
        flagged_card = await h.run(b, "checkin new")
        flagged_card = await (
            await sb.select(b, flagged_card.message, component_id(flagged_card, kind=3, index=0), ["disengaged"])
        ).response()
        flagged_card = await (
            await sb.select(b, flagged_card.message, component_id(flagged_card, kind=3, index=1), ["2"])
        ).response()
        write = await sb.click(b, flagged_card.message, component_id(flagged_card, label="Write"))
        text_field = (await write.modal())["components"][0]["components"][0]["custom_id"]
        flagged = await (await sb.submit_modal(b, write, {text_field: "Rang me on 07700 900123 after"})).response()
        assert "Before saving" in flagged.content
        # A check-in form left open, a journal form left open, and a quiz item form left open.
        open_card = await h.run(c, "checkin new")
        open_card = await (
            await sb.select(c, open_card.message, component_id(open_card, kind=3, index=0), ["parental"])
        ).response()
        open_card = await (
            await sb.select(c, open_card.message, component_id(open_card, kind=3, index=1), ["4"])
        ).response()
        open_checkin_form = await sb.click(c, open_card.message, component_id(open_card, label="Write"))
        checkin_field = (await open_checkin_form.modal())["components"][0]["components"][0]["custom_id"]
        prompt = await h.run(a, "reflect prompt")
        writing = next(i for i in custom_ids(prompt) if i.startswith("sv:reflect:write:"))
        open_journal_form = await sb.click(a, prompt.message, writing)
        journal_field = (await open_journal_form.modal())["components"][0]["components"][0]["custom_id"]
        bank_form = await sb.invoke(group.guild, group.supervisor, "quiz bank add", options={"element": "empathy"})
        bank_fields = [row["components"][0]["custom_id"] for row in (await bank_form.modal())["components"]]
        wrong = dict(zip(bank_fields, ["A stem?", "*Right\nWrong", "Only one explanation", "A source"], strict=True))
        refused = await (await sb.submit_modal(group.supervisor, bank_form, wrong)).response()
        assert "Nothing was saved" in refused.content
        second_bank_form = await sb.invoke(
            group.guild, group.supervisor, "quiz bank add", options={"element": "empathy"}
        )
        await second_bank_form.modal()

    async with running(sb, config, clock) as bot:
        expired = await (await sb.click(a, card.message, component_id(card, label="Raise at meeting"))).response()
        assert expired.ephemeral
        assert "check-in card has expired" in expired.content and "/checkin new" in expired.content
        assert "draft was not saved" in expired.content

        expired = await (await sb.click(b, flagged.message, component_id(flagged, label="Submit anyway"))).response()
        assert "expired before it was saved" in expired.content and "/checkin new" in expired.content

        retry = await (await sb.click(group.supervisor, refused.message, custom_ids(refused)[0])).response()
        assert "This button has expired" in retry.content and "/quiz bank add" in retry.content

        # Forms sent after the restart: nothing is saved, and the member gets their words back.
        words = "Wanted to rescue them from the silence"
        echoed = await (await sb.submit_modal(c, open_checkin_form, {checkin_field: words})).response()
        assert echoed.ephemeral and "/checkin new" in echoed.content and words in echoed.content

        entry = "Noticed my pull to fill the pause " * 70  # longer than one message: comes back as a file
        echoed = await (await sb.submit_modal(a, open_journal_form, {journal_field: entry})).response()
        assert "Write a reflection" in echoed.content and "Nothing was saved" in echoed.content
        assert echoed.message is not None
        [file] = echoed.message.attachments
        assert file.filename == "your-text.txt" and file.data.decode() == entry

        stem = "A client falls silent after naming a loss. What would an empathic reply attend to?"
        typed = dict(
            zip(bank_fields, [stem, "*Its meaning\nIts length", "Meaning.\nNot length.", "A source"], strict=True)
        )
        echoed = await (await sb.submit_modal(group.supervisor, second_bank_form, typed)).response()
        assert "/quiz bank add" in echoed.content and stem in echoed.content

        # Persistent controls keep working across the restart.
        another = next(i for i in custom_ids(prompt) if i.startswith("sv:reflect:another:"))
        fresh = await (await sb.click(a, prompt.message, another)).response()
        assert "expired" not in fresh.content and fresh.embeds, "Another prompt still gives a prompt"
        assert not bot.is_closed()

    # A feature switched off since the button was sent says so, rather than failing.
    fewer = dataclasses.replace(config, bot=dataclasses.replace(config.bot, cogs=("about", "admin", "checkin")))
    assert isinstance(fewer.bot, BotConfig)
    async with running(sb, fewer, clock):
        another = next(i for i in custom_ids(prompt) if i.startswith("sv:reflect:another:"))
        off = await (await sb.click(a, prompt.message, another)).response()
        assert "reflection feature isn't running" in off.content


def test_every_card_and_form_says_what_to_do_when_it_has_expired() -> None:
    """A new card or form must name itself and its hint, or a late click gets only the generic reply."""
    import cogs.checkin.replies
    import cogs.checkin.views
    import cogs.quiz.bank
    import cogs.quiz.reports
    import cogs.reflect.private_share
    import cogs.reflect.views  # noqa: F401  (imported for their card classes)
    from bot.expired import HINTS
    from bot.ui import GuardedModal, GuardedView

    def every(cls: type) -> list[type]:
        return [
            sub
            for direct in cls.__subclasses__()
            for sub in (direct, *every(direct))
            if sub.__module__.startswith("cogs.")
        ]

    # Loading a feature imports its modules afresh, so one card may exist as several class objects.
    cards = list({(c.__module__, c.__qualname__): c for c in every(GuardedView) + every(GuardedModal)}.values())
    assert len(cards) >= 12
    unnamed = [cls.__name__ for cls in cards if not cls.expired_hint or HINTS.get(cls.card_name) != cls.expired_hint]
    assert unnamed == [], "cards without their own expiry hint (set card and expired_hint)"
    assert len({cls.card_name for cls in cards}) == len(cards), "two cards share a name"
