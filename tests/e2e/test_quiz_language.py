"""The quiz in the reader's language: replies in the member's Discord locale, group posts in the group's, reminder
DMs in each member's last-seen locale (issue 19)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.content.banks import quiz_bank
from tests.e2e.conftest import custom_ids, embed_text, set_up_group
from tests.e2e.meeting_support import advance_to, at, set_up_meetings
from tests.support.db import db_rows
from tests.support.quiz_actions import QUIZ_COGS, quiz_items, take

ITEMS = {item.id: item for item in quiz_bank()}


def labels(source: Any) -> list[str]:
    """Every button label of a message or response, in order."""
    rows = source.components if hasattr(source, "components") else source
    return [comp["label"] for row in rows or [] for comp in row.get("components", []) if comp.get("label")]


async def open_by_schedule(h) -> Any:  # type: ignore[no-untyped-def]
    """Let the Monday 09:00 schedule open the quiz; return the channel post."""
    await h.run(h.group.supervisor, "schedule set", kind="quiz_opens", days="Mon", time="09:00")
    await h.advance(timedelta(hours=1, minutes=5))
    return await h.sandbox.wait_for_message(h.group.channels["quiz"], lambda m: bool(m.components))


async def test_a_german_member_answers_and_reads_their_progress_in_german(make_harness) -> None:
    async with make_harness(cogs=QUIZ_COGS) as h:
        await set_up_group(h)
        post = await open_by_schedule(h)
        # The group speaks English: its post does, whoever reads it.
        assert post.embeds[0]["title"] == "📝 This week's quiz is open" and labels(post) == ["Take this week's quiz"]
        member = h.group.trainees[0]
        member.user.locale = "de"
        _, question = await take(h, member, post)
        first = ITEMS[quiz_items(h)[0]]
        assert question.ephemeral and question.embeds[0]["title"] == "Frage 1 von 5"
        assert "· Schwierigkeit " in question.embeds[0]["footer"]["text"]
        wrong = (first.correct_index + 1) % len(first.options)
        letters = [c for c in custom_ids(question) if ":answer:" in c]
        feedback = await (await h.sandbox.click(member, question.message, letters[wrong])).response()
        assert feedback.content == "Wie sicher warst du bei deiner Wahl? (optional; nur du siehst es)"
        assert feedback.embeds[0]["title"] == "❌ Nicht ganz · Frage 1 von 5"
        fields = [f["name"] for f in feedback.embeds[0]["fields"]]
        assert fields[0].startswith(f"Deine Wahl {'ABCDE'[wrong]}: ")
        assert fields[1].startswith(f"Richtig: {'ABCDE'[first.correct_index]}: ")
        assert feedback.embeds[0]["footer"]["text"].startswith("Quelle: ")
        assert labels(feedback) == [
            "Nächste Frage",
            "Geraten",
            "Ziemlich sicher",
            "Sicher",
            "Problem mit dieser Frage melden",
        ]
        sure = next(c for c in custom_ids(feedback) if c.startswith("sv:quiz:sure:") and c.endswith(":3"))
        noted = await (await h.sandbox.click(member, feedback.message, sure)).response()
        assert noted.content.startswith("Notiert: **sicher**. Nur du siehst das;")
        assert "Die Frage kommt morgen in `/quiz üben` wieder." in noted.content

        ix = await h.sandbox.invoke(h.group.guild, member, "quiz stats")
        progress = await ix.original_message(predicate=lambda m: bool(m.embeds))
        assert progress.flags & 64
        text = embed_text(progress.embeds)
        assert progress.embeds[0]["title"] == "Dein Quiz-Fortschritt"
        assert "**Wochen in Folge:** 1" in text and "**Trefferquote nach Element** (alle deine gewerteten" in text
        # The one counted answer, wrong; Babel writes a German percentage with a no-break space.
        assert ": 0\xa0% von 1" in text and "- Sicher: 0 von 1 richtig (0\xa0%)" in text
        assert progress.attachments[0].description.startswith("Deine Trefferquote nach Element über 1 Woche: ")

        # A member whose Discord speaks English, in the same group, at the same time: English.
        other = h.group.trainees[1]
        _, theirs = await take(h, other, post)
        assert theirs.embeds[0]["title"] == "Question 1 of 5" and "· difficulty " in theirs.embeds[0]["footer"]["text"]


async def test_an_english_member_of_a_german_group_gets_english_replies_while_its_posts_are_german(
    make_harness,
) -> None:
    async with make_harness(cogs=QUIZ_COGS, trainees=3) as h:
        await set_up_group(h)
        await h.bot.repos.settings.update(h.group.guild.id, locale="de")
        post = await open_by_schedule(h)
        announcement = post.embeds[0]
        assert announcement["title"] == "📝 Das Quiz dieser Woche ist offen"
        assert announcement["description"].startswith("**5 Fragen**, Schwerpunkt: ")
        assert "Bearbeite das Quiz privat" in announcement["description"]
        assert labels(post) == ["Quiz dieser Woche starten"]

        for member in h.group.trainees:  # each en-US, as Discord's default
            _, question = await take(h, member, post)
            assert question.embeds[0]["title"] == "Question 1 of 5"
            answered = await (await h.sandbox.click(member, question.message, custom_ids(question)[0])).response()
            assert "How sure were you when you chose?" in answered.content
            assert "Next question" in labels(answered)

        # An English-speaking supervisor closes it: the reply is English, the group's results German.
        closing = await h.sandbox.invoke(h.group.guild, h.group.supervisor, "quiz close-now")
        reply = await closing.original_message(predicate=lambda m: "Closed" in m.content)
        assert reply.flags & 64 and reply.content.endswith(": results posted (3 members took part).")
        results = await h.sandbox.wait_for_message(
            h.group.channels["quiz"], lambda m: bool(m.embeds) and "Quizergebnisse" in m.embeds[0].get("title", "")
        )
        assert results.embeds[0]["title"] == "📊 Quizergebnisse · Woche ab 02.03.2026"
        text = embed_text(results.embeds)
        assert "3 Teilnehmende haben mitgemacht. Unten: der Anteil der Gruppe" in text
        assert "F1 · " in text and "3 haben geantwortet." in text and "Antwort " in text
        assert "members took part" not in text and "answered." not in text
        assert results.attachments[0].description.startswith("Trefferquote der Gruppe nach Element über 1 Woche: ")


async def test_reminder_dms_speak_each_members_language_and_a_supervisor_posts_in_the_groups(make_harness) -> None:
    async with make_harness() as h:
        await set_up_meetings(h, "quiz_closes")
        german, english = h.group.trainees[0], h.group.trainees[1]
        german.user.locale = "de"
        # A German-speaking supervisor opens the quiz of an English group: the post is English, the reply German.
        h.group.supervisor.user.locale = "de"
        opened = await h.sandbox.invoke(h.group.guild, h.group.supervisor, "quiz open-now")
        reply = await opened.original_message(predicate=lambda m: "Quiz" in m.content)
        assert reply.content.startswith("Das Quiz dieser Woche ist mit 5 Fragen in <#")
        post = await h.sandbox.wait_for_message(h.group.channels["quiz"], lambda m: bool(m.components))
        assert post.embeds[0]["title"] == "📝 This week's quiz is open"

        on = await h.run(german, "quiz remind on")
        assert on.content.startswith("⏰ Ich schicke dir **6 Std.** vor dem Schließen des Wochenquiz eine DM")
        assert "**Privatsphäreeinstellungen** → **Direktnachrichten**" in on.content
        await h.run(english, "quiz remind on")

        await advance_to(h, at(4, 7, 5))
        [deutsch] = [m for m in h.sandbox.dms(german) if "⏰" in m.content]
        assert deutsch.content.startswith("Von **Supervision group**\n⏰ Das Quiz dieser Woche schließt am <t:")
        assert "du hast noch keine seiner 5 Fragen beantwortet" in deutsch.content
        assert labels(deutsch) == ["Zum Quiz-Beitrag", "Später (1 Std.)", "Diesmal auslassen"]
        [reminder] = [m for m in h.sandbox.dms(english) if "⏰" in m.content]
        assert "you haven't answered any of its 5 questions yet" in reminder.content
        assert labels(reminder) == ["Open the quiz post", "Later (1 h)", "Skip this one"]

        # Their answers to the DM's buttons speak the clicker's own language too.
        skip = next(c for c in custom_ids(deutsch) if c.startswith("sv:quiz:skip:"))
        skipped = await (await h.sandbox.click(german, deutsch, skip)).response()
        assert "⏭️ Übersprungen: keine weiteren Erinnerungen an das Quiz dieser Woche." in skipped.content


async def test_a_german_supervisor_names_the_rotation_in_german(make_harness) -> None:
    async with make_harness(cogs=QUIZ_COGS) as h:
        await set_up_group(h)
        h.group.supervisor.user.locale = "de"
        saved = await h.run(h.group.supervisor, "quiz settings", rotation="Empathie, Kongruenz, arbeitsbündnis")
        assert "Reihenfolge **Empathie, Kongruenz (Echtheit), Arbeitsbündnis**" in saved.content
        assert db_rows(h, "SELECT rotation FROM quiz_settings") == [("empathy,congruence,working_alliance",)]
        wrong = await h.run(h.group.supervisor, "quiz settings", rotation="Empathie, Mitgefühl")
        assert wrong.ephemeral and "mitgefühl" in wrong.content and "empathy" in wrong.content
        assert db_rows(h, "SELECT rotation FROM quiz_settings") == [("empathy,congruence,working_alliance",)]
