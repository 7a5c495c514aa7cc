"""A click or form that reaches the bot before Discord's reply showing its card is still answered.

discord.py listens for a new card's controls only once it has read that reply. On a slow network,
or with a busy bot, the member's click can come first; discord.py would drop it without a word and
the member would see "This interaction failed". The sandbox holds the reply back to make that order
certain.
"""

from __future__ import annotations

from tests.e2e.conftest import set_up_group
from tests.support.checkin_actions import component_id

CALLBACK = "/interactions/{interaction_id}/{interaction_token}/callback"


async def test_a_click_and_a_form_that_overtake_their_card_are_answered(make_harness) -> None:  # type: ignore[no-untyped-def]
    async with make_harness(cogs=("about", "admin", "checkin")) as h:
        sb, member = h.sandbox, h.group.trainees[0]
        await set_up_group(h)

        # The card exists for the member, but the bot has not yet heard that it was shown.
        slow_card = sb.faults.hold_reply("POST", CALLBACK)
        card = await h.run(member, "checkin new")
        picked = await (
            await sb.select(member, card.message, component_id(card, kind=3, index=0), ["helpless"])
        ).response()
        assert "Noticed: Helpless" in picked.data["content"], picked.data
        slow_card.set()

        card = await (await sb.select(member, picked.message, component_id(picked, kind=3, index=1), ["3"])).response()
        # The same for the text form: submitted before the bot heard that it opened.
        slow_form = sb.faults.hold_reply("POST", CALLBACK)
        opened = await sb.click(member, card.message, component_id(card, label="Write"))
        field = (await opened.modal())["components"][0]["components"][0]["custom_id"]
        saved = await (await sb.submit_modal(member, opened, {field: "A pull to rescue, noticed and held."})).response()
        slow_form.set()
        assert "Saved anonymously" in saved.data["content"], saved.data
        assert not sb.interactions.unanswered()
