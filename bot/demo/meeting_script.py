"""The meeting in the demo week: the supervisor's brief, attendance and its confirmation, and anonymous feedback."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.demo.script import Cast
from bot.demo.stage import Stage, component
from discord_sandbox.models import Member, Message

# The group meets on Wednesday 11 March 2026 at 14:00 London time (GMT, so 14:00 UTC).
MEETING = datetime(2026, 3, 11, 14, 0, tzinfo=UTC)
# Three answers reach k (3) for the first meeting; each member's ratings and, for two, which of the demo's feedback
# lines (Lines.feedback) are their words.
ANSWERS: tuple[tuple[int, tuple[int, int, int], int | None], ...] = (
    (0, (8, 7, 9), 0),
    (1, (6, 5, 8), None),
    (2, (7, 6, 9), 1),
)


async def brief_scene(stage: Stage, cast: Cast) -> None:
    """Ten minutes after the digest, the supervisor's private brief arrives by DM."""
    stage.transcript.scene("Wednesday 12:10 · The supervisor's pre-meeting brief, by DM")
    await stage.advance_to(datetime(2026, 3, 11, 12, 11, tzinfo=UTC))
    brief = await stage.sandbox.wait_for_dm(cast.supervisor, lambda m: bool(m.embeds))
    stage.transcript.note(
        "Only the supervisor gets this. Every figure in it follows the k rule: a count from fewer than 3 people "
        "would read “fewer than 3”."
    )
    stage.show_message(brief)


async def attendance_scene(stage: Stage, cast: Cast) -> None:
    """At the meeting members mark themselves present; afterwards the supervisor confirms, and hours count."""
    stage.transcript.scene("Wednesday 14:00 · The meeting: members mark themselves present")
    await stage.advance_to(datetime(2026, 3, 11, 14, 1, tzinfo=UTC))
    post = await stage.sandbox.wait_for_message(
        cast.channels["reflective-prompts"], lambda m: "sv:meeting:present:" in str(m.components)
    )
    stage.show_message(post)
    a, b, c, d = cast.trainees
    present = component(post, prefix="sv:meeting:present:")
    await stage.click(a, post, present, "Mark me present")
    for member in (b, c):
        await stage.sandbox.click(member, post, present)
    stage.transcript.note("Trainees B and C mark themselves present too. Trainee D joined late and forgot.")

    stage.transcript.scene("Wednesday 17:00 · The supervisor adds a latecomer and confirms attendance")
    await stage.advance_to(datetime(2026, 3, 11, 17, 0, tzinfo=UTC))
    card = await stage.command(cast.guild, cast.supervisor, "meeting attendance")
    people = component(card, kind=5)
    question = (card.message.find_component(people) or {}).get("placeholder") or "Add people who were there"
    stage.act(cast.supervisor, f"adds **Trainee D** in “{question}”", card.message.channel_id)
    card = await (await stage.sandbox.select(cast.supervisor, card.message, people, [d])).response()
    confirm = stage.control(card, "Confirm attendance")
    await stage.click(cast.supervisor, card.message, confirm, "Confirm attendance")
    await stage.command(cast.guild, a, "hours show")


async def feedback_scene(stage: Stage, cast: Cast) -> None:
    """Three hours after the start the questions open; members answer anonymously, one by DM."""
    stage.transcript.scene("Wednesday 17:00 · Anonymous feedback on the meeting")
    await stage.advance_to(datetime(2026, 3, 11, 17, 1, tzinfo=UTC))
    post = await stage.sandbox.wait_for_message(
        cast.channels["reflective-prompts"], lambda m: "sv:meeting:feedback:" in str(m.components)
    )
    stage.show_message(post)
    dm = await stage.sandbox.wait_for_dm(cast.trainees[2], lambda m: "sv:meeting:feedback:" in str(m.components))
    stage.transcript.note("Trainee C asked for the questions by DM (`/feedback dm`), so they arrive there too:")
    stage.show_message(dm)
    for index, ratings, line in ANSWERS:
        member = cast.trainees[index]
        source = dm if index == 2 else post
        words = stage.lines.feedback[line] if line is not None else None
        await _answer(stage, member, source, ratings, words, show=index == 0)
    stage.transcript.note(
        "Trainees B and C answer too, C from the DM; what they chose is theirs alone, so it is not shown here. "
        "Trainee D doesn't answer. The bot keeps the ratings and words without a name, a time or an order."
    )
    stage.transcript.note("While the questions are open, the supervisor sees nothing, not even a count:")
    await stage.command(cast.guild, cast.supervisor, "meeting feedback")


async def _answer(
    stage: Stage, member: Member, source: Message, ratings: tuple[int, int, int], words: str | None, show: bool
) -> None:
    """Open the questions, rate the three items, add words if any, and send; in the transcript only if `show`."""
    sb = stage.sandbox
    button = component(source, prefix="sv:meeting:feedback:")
    card: Any  # the emulator's response: each step edits the one private card
    if show:
        _, card = await stage.click(member, source, button, "Answer three questions (anonymous)")
        for index, rating in enumerate(ratings):
            card = await stage.select(member, card.message, component(card, kind=3, index=index), [str(rating)])
        if words is not None:
            add_words = stage.control(card, "Add words for supervisors (optional)")
            opened, _ = await stage.click(member, card.message, add_words, "Add words for supervisors")
            field = (await opened.modal())["components"][0]["components"][0]["custom_id"]
            card = await stage.fill_form(member, opened, {field: words})
        await stage.click(member, card.message, stage.control(card, "Send"), "Send")
        return
    card = await (await sb.click(member, source, button)).response()
    for index, rating in enumerate(ratings):
        card = await (
            await sb.select(member, card.message, component(card, kind=3, index=index), [str(rating)])
        ).response()
    if words is not None:
        opened = await sb.click(member, card.message, stage.control(card, "Add words for supervisors (optional)"))
        field = (await opened.modal())["components"][0]["components"][0]["custom_id"]
        card = await (await sb.submit_modal(member, opened, {field: words})).response()
    sent = await (await sb.click(member, card.message, stage.control(card, "Send"))).response()
    assert sent.content.startswith("✅"), sent.content  # the demo must not pretend an answer went in


async def results_scene(stage: Stage, cast: Cast) -> None:
    """Once the questions close, the supervisor sees the group's figures and words, shuffled."""
    stage.transcript.scene("Saturday 17:00 · The questions close; the supervisor sees how the group found it")
    await stage.advance_to(datetime(2026, 3, 14, 17, 1, tzinfo=UTC))
    await stage.command(cast.guild, cast.supervisor, "meeting feedback")
    await stage.command(cast.guild, cast.supervisor, "status")
