"""DEBUG logs, as the production handler writes them, through every check-in path: no token, id or text."""

from __future__ import annotations

from datetime import timedelta

from tests.privacy.forensics import production_debug_log
from tests.support.checkin_actions import check_in, code_of, component_id, schedule_digest


async def test_debug_logs_hold_no_token_member_id_or_checkin_text(make_harness) -> None:
    texts = ["my-unique-shared-words rescuing feelings", "my-unique-private-words kept back"]
    with production_debug_log() as written:
        async with make_harness() as h:
            await schedule_digest(h)
            t = h.group.trainees
            await check_in(h, t[0], text=texts[0], share=True, raise_it=True)
            kept = await check_in(h, t[1], text=texts[1], share=False)
            await check_in(h, t[2])
            flagged = await check_in(h, t[3], text="my-unique-flagged-words: call 07700 900123", submit_anyway=True)
            assert "Saved anonymously" in flagged.content
            edited = await check_in(h, t[0], text="my-unique-edited-words 07700 900123")
            opened = await h.sandbox.click(t[0], edited.message, component_id(edited, label="Edit my text"))
            field = (await opened.modal())["components"][0]["components"][0]["custom_id"]
            await (
                await h.sandbox.submit_modal(t[0], opened, {field: "my-unique-edited-words, now general"})
            ).response()
            assert "the limit is" in (await check_in(h, t[1], text="x" * 1200)).content
            for _ in range(2):
                await check_in(h, t[2])
            assert "You've made 3 check-ins" in (await check_in(h, t[2])).content
            assert "No check-in" in (await h.run(t[3], "checkin withdraw", code="AAAA-BBBB-CCCC")).content
            assert "Withdrawn" in (await h.run(t[1], "checkin withdraw", code=code_of(kept))).content
            await h.advance(timedelta(days=2, hours=4, minutes=5))  # the digest is released
            assert any(m.embeds for m in h.sandbox.messages(h.group.channels["digest"]))
            summary = await h.sandbox.invoke(h.group.guild, h.group.supervisor, "checkin summary", options={"weeks": 4})
            await summary.original_message(predicate=lambda m: bool(m.attachments))
            tokens = list(h.sandbox.interactions.by_token)
            members = [str(m.id) for m in [*t, h.group.supervisor, h.group.owner]]
    log = written.getvalue()
    assert "INTERACTION_CREATE" in log and "interactions/" in log  # DEBUG really logged the interactions
    assert len(tokens) >= 30
    for token in tokens:
        assert token not in log and token[15:47] not in log
    for member in members:
        assert member not in log
    for text in [*texts, "my-unique-flagged-words", "my-unique-edited-words"]:
        assert text not in log
