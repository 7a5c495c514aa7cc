"""The scripted supervision week before the meeting: setup, quiz, prompts and DMs, check-ins, digest, results."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.demo.stage import Stage, component
from discord_sandbox.models import Channel, Guild, Member, Role

# Thursday 5 March 2026, 08:00 UTC: the morning after the group's Wednesday meeting.
WEEK_START = datetime(2026, 3, 5, 8, 0, tzinfo=UTC)


@dataclass
class Cast:
    """The demo server and the people in it."""

    guild: Guild
    owner: Member
    supervisor: Member
    role: Role
    trainees: list[Member]
    channels: dict[str, Channel]
    codes: dict[int, str] = field(default_factory=dict)


def build_cast(stage: Stage) -> Cast:
    """A server with a supervisor, four trainees and a channel for each feature."""
    sb = stage.sandbox
    # The bot is added to a server that already has its channels, as when the owner invites it.
    names = ("general", "reflective-prompts", "quiz", "check-ins")
    # In another language the server prefers it (so the group speaks it) and everyone's Discord is set to it.
    guild = sb.join_guild("Wednesday supervision group", channels=names, locale=stage.locale)
    owner = guild.members[guild.owner_id]
    role = sb.create_role(guild, "Supervisor")
    supervisor = sb.create_member(guild, "Dr Supervisor", roles=[role])
    trainees = [sb.create_member(guild, f"Trainee {letter}") for letter in "ABCD"]
    for person in (owner, supervisor, *trainees):
        person.user.locale = stage.locale
    channels = {channel.name: channel for channel in guild.channels.values() if channel.name in names[1:]}
    stage.names[owner.user.id] = "Server owner"
    return Cast(guild, owner, supervisor, role, trainees, channels)


async def setup_scene(stage: Stage, cast: Cast) -> None:
    """The owner sets the group up and schedules the week in a minute."""
    stage.transcript.scene("Thursday morning · The group is set up in a minute")
    general = next(c for c in cast.guild.channels.values() if c.name == "general")
    stage.show_message(await stage.sandbox.wait_for_message(general))
    await stage.command(cast.guild, cast.owner, "about")
    await stage.command(
        cast.guild,
        cast.owner,
        "setup",
        timezone="Europe/London",
        supervisor_role=cast.role,
        prompts_channel=cast.channels["reflective-prompts"],
        quiz_channel=cast.channels["quiz"],
        digest_channel=cast.channels["check-ins"],
        meeting_day=2,
        meeting_time="14:00",
        support_line=stage.lines.support_line,
    )
    stage.transcript.note("Schedules default to times relative to Wednesday's 14:00 meeting.")
    for kind in ("quiz_opens", "reflective_prompt", "checkin_digest", "quiz_closes"):
        await stage.command(cast.guild, cast.supervisor, "schedule set", kind=kind)
    for kind in ("meeting_brief", "meeting_attendance", "meeting_feedback"):
        await stage.command(cast.guild, cast.supervisor, "schedule set", kind=kind, show=False)
    stage.transcript.note("The meeting's three schedules (brief, attendance, feedback) are set the same way.")
    await stage.command(cast.guild, cast.supervisor, "schedule list")
    await stage.command(cast.guild, cast.supervisor, "meeting settings", brief_dm=True)
    stage.transcript.note("Trainees find their way with /help, which shows each person only their own commands:")
    await stage.command(cast.guild, cast.trainees[0], "help")
    stage.transcript.note("A trainee who tries a supervisor command is refused, and nothing changes:")
    await stage.command(cast.guild, cast.trainees[3], "schedule remove", kind="quiz_opens")
    stage.transcript.note("Trainee C would rather get the questions after each meeting by DM:")
    await stage.command(cast.guild, cast.trainees[2], "feedback dm", on=True)
    stage.transcript.note("Trainee D asks for a reminder before the quiz closes, but never after 22:00:")
    await stage.command(cast.guild, cast.trainees[3], "quiz remind on", quiet_from="22:00", quiet_until="07:30")


def _answer_button(shown: Any, choice: int) -> str:
    """The custom_id of a question's answer button for an option (`sv:quiz:answer:<quiz>:<position>:<choice>`)."""
    ids = [comp["custom_id"] for row in shown.components for comp in row["components"] if comp.get("custom_id")]
    return next(i for i in ids if i.startswith("sv:quiz:answer:") and i.endswith(f":{choice}"))


async def _answer(stage: Stage, member: Member, shown: Any, choice: int) -> Any:
    letter = "ABCDE"[choice]
    _, feedback = await stage.click(member, shown.message, _answer_button(shown, choice), letter)
    return feedback


async def quiz_scene(stage: Stage, cast: Cast) -> None:
    """The quiz opens; three members answer; one tries to change their answer."""
    stage.transcript.scene("Thursday 09:00 · This week's quiz opens")
    await stage.advance_to(WEEK_START + timedelta(hours=1, minutes=1))
    post = await stage.sandbox.wait_for_message(cast.channels["quiz"], lambda m: bool(m.components))
    stage.show_message(post)
    a, b, c = cast.trainees[:3]
    _, first = await stage.click(a, post, component(post), "Take this week's quiz")
    feedback = await _answer(stage, a, first, 0)
    stage.transcript.note("Trainee A carries on through the rest of the quiz.")
    for _ in range(4):
        ix = await stage.sandbox.click(a, feedback.message, component(feedback))
        question = await ix.response()
        assert question.message is not None  # a question is always shown on a message
        ix = await stage.sandbox.click(a, question.message, component(question, kind=2))
        feedback = await ix.response()
    ix = await stage.sandbox.click(a, feedback.message, component(feedback))
    stage.show_response(await ix.response())
    _, first_b = await stage.click(b, post, component(post), "Take this week's quiz")
    stage.transcript.note("Trainee B opens the quiz a second time, in another window, before answering.")
    second_window = await (await stage.sandbox.click(b, post, component(post))).response()
    await _answer(stage, b, first_b, 1)
    stage.transcript.note("Then B has second thoughts and picks another option in the other window:")
    await _answer(stage, b, second_window, 2)
    _, first_c = await stage.click(c, post, component(post), "Take this week's quiz")
    await _answer(stage, c, first_c, 3 if len(first_c.components[0]["components"]) > 3 else 0)


async def prompt_scene(stage: Stage, cast: Cast) -> None:
    """The group prompt and its thread; DMs in two zones; a journal entry and its export."""
    stage.transcript.scene("Thursday 10:00 · The group's reflective prompt")
    b, d = cast.trainees[1], cast.trainees[3]
    friday = stage.lines.friday
    await stage.command(cast.guild, b, "reflect subscribe", days=friday, time="08:00", timezone="Europe/London")
    await stage.command(cast.guild, d, "reflect subscribe", days=friday, time="08:00", timezone="America/Toronto")
    await stage.advance_to(WEEK_START + timedelta(hours=2, minutes=1))
    post = await stage.sandbox.wait_for_message(cast.channels["reflective-prompts"])
    stage.show_message(post)
    if post.thread_id:
        stage.transcript.note("A thread opened under the prompt for responses.")

    stage.transcript.scene("Friday 08:00 in London, 08:00 in Toronto · Prompts by DM, in each member's own time")
    await stage.advance_to(datetime(2026, 3, 6, 8, 5, tzinfo=UTC))
    dm_b = await stage.sandbox.wait_for_dm(b)
    stage.transcript.note("08:05 UTC: Trainee B (London) gets theirs; Trainee D (Toronto) is still asleep.")
    stage.show_message(dm_b)
    await stage.advance_to(datetime(2026, 3, 6, 13, 5, tzinfo=UTC))
    dm_d = await stage.sandbox.wait_for_dm(d)
    stage.transcript.note("13:05 UTC, 08:05 in Toronto: Trainee D's arrives.")
    stage.show_message(dm_d)

    write, _ = await stage.click(b, dm_b, component(dm_b, prefix="sv:reflect:write:"), "Write a reflection")
    modal = await write.modal()
    field_id = modal["components"][0]["components"][0]["custom_id"]
    await stage.fill_form(b, write, {field_id: stage.lines.journal})
    exported = await stage.command(cast.guild, b, "reflect journal export")
    if getattr(exported, "attachments", None):
        markdown = exported.attachments[0].data.decode("utf-8")
        stage.transcript.note("The exported Markdown begins:\n" + "\n".join(markdown.splitlines()[:6]))


async def checkin_scene(stage: Stage, cast: Cast) -> None:
    """Four anonymous check-ins; one is flagged for a phone number and edited."""
    stage.transcript.scene("During the week · Anonymous countertransference check-ins")
    stage.transcript.note("Each check-in is stored with no user id and no time finer than the day.")
    choices = [("helpless", "2"), ("parental", "3"), ("disengaged", "2"), ("overwhelmed", "4")]
    first = True
    for member, (dimension, intensity) in zip(cast.trainees, choices, strict=True):
        card = await stage.command(cast.guild, member, "checkin new", show=first)
        # The first member's card is shown after every choice; the others' only once they have chosen.
        card = await stage.select(member, card.message, component(card, kind=3, index=0), [dimension], show=first)
        card = await stage.select(member, card.message, component(card, kind=3, index=1), [intensity])
        first = False
        if member is cast.trainees[2]:
            share = stage.control(card, "Share my words: no")
            _, card = await stage.click(member, card.message, share, "Share my words")
            write, _ = await stage.click(
                member, card.message, stage.control(card, "Write about it…"), "Write about it…"
            )
            modal = await write.modal()
            field_id = modal["components"][0]["components"][0]["custom_id"]
            flagged = await stage.fill_form(member, write, {field_id: stage.lines.flagged_draft})
            edit, _ = await stage.click(member, flagged.message, stage.control(flagged, "Edit my text"), "Edit my text")
            saved = await stage.fill_form(member, edit, {field_id: stage.lines.fixed_draft})
            cast.codes[member.user.id] = saved.content.split("`")[1]  # the member keeps their code
        else:
            submit = stage.control(card, "Submit without text")
            await stage.click(member, card.message, submit, "Submit without text")


async def reminder_scene(stage: Stage, cast: Cast) -> None:
    """Six hours before the quiz closes, a member who asked and hasn't taken it gets a reminder."""
    stage.transcript.scene("Wednesday 07:30 · A reminder before the quiz closes")
    await stage.advance_to(datetime(2026, 3, 11, 7, 31, tzinfo=UTC))
    member = cast.trainees[3]
    reminder = await stage.sandbox.wait_for_dm(member, lambda m: "sv:quiz:later:" in str(m.components))
    stage.transcript.note(
        "Six hours before 13:00 is 07:00, inside Trainee D's quiet hours, so it comes when they end. "
        "Trainees who finished the quiz, or never asked, get nothing."
    )
    stage.show_message(reminder)
    await stage.click(member, reminder, component(reminder, prefix="sv:quiz:later:"), "Later (1 h)")


async def digest_scene(stage: Stage, cast: Cast) -> None:
    """The digest two hours before the meeting, the supervisor's summary, and a private reply."""
    stage.transcript.scene("Wednesday 12:00 · The check-in digest, two hours before the meeting")
    await stage.advance_to(datetime(2026, 3, 11, 12, 1, tzinfo=UTC))
    digest = [m for m in stage.sandbox.messages(cast.channels["check-ins"]) if m.embeds]
    for message in digest:
        stage.show_message(message)
    await stage.command(cast.guild, cast.supervisor, "checkin summary", weeks=4)
    await reply_scene(stage, cast, digest)


async def quiz_results_scene(stage: Stage, cast: Cast) -> None:
    """The quiz closes an hour before the meeting and the group sees anonymous results."""
    stage.transcript.scene("Wednesday 13:00 · The quiz closes and the group sees anonymous results")
    before = {m.id for m in stage.sandbox.messages(cast.channels["quiz"])}
    await stage.advance_to(datetime(2026, 3, 11, 13, 1, tzinfo=UTC))
    results = [m for m in stage.sandbox.messages(cast.channels["quiz"]) if m.embeds and m.id not in before]
    for message in results:
        stage.show_message(message)
    await stage.command(cast.guild, cast.trainees[0], "quiz stats")


async def reply_scene(stage: Stage, cast: Cast, digest: list[Any]) -> None:
    """The supervisor replies privately to one check-in; its author reads the reply with their code."""
    stage.transcript.scene("Wednesday 12:10 · A private reply to an anonymous check-in")
    words = stage.lines.fixed_words
    post, number = next(
        (m, found.group())
        for m in digest
        for e in m.embeds
        if words in e.get("description", "")
        and (found := re.search(r"\d+", (e.get("footer") or {}).get("text", ""))) is not None
    )
    reply = next(
        c["custom_id"]
        for row in post.components
        for c in row["components"]
        if c.get("custom_id", "").startswith("sv:checkin:reply:") and c["custom_id"].endswith(f":{number}")
    )
    opened, _ = await stage.click(cast.supervisor, post, reply, f"Reply to #{number}")
    modal = await opened.modal()
    field_id = modal["components"][0]["components"][0]["custom_id"]
    await stage.fill_form(cast.supervisor, opened, {field_id: stage.lines.reply})
    stage.transcript.note(
        "The bot can't send the reply to its author: it doesn't know who they are. The author looks it up with "
        "the code they were given when they checked in."
    )
    author = cast.trainees[2]
    await stage.command(cast.guild, author, "checkin replies", code=cast.codes[author.user.id])
