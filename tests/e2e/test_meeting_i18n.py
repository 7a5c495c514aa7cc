"""The meeting in the reader's language: German DMs, posts, cards and the printed hours record, English beside them."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pypdf

from tests.e2e.conftest import Harness, custom_ids, embed_text
from tests.e2e.meeting_support import MEETING, advance_to, mark_present, set_up_meetings
from tests.support.db import db_rows


def labels(message: Any) -> list[str]:
    """Every button label of a message or response, in order."""
    return [c.get("label", "") for row in message.components or [] for c in row["components"] if c["type"] == 2]


def component(message: Any, kind: int, index: int = 0) -> dict[str, Any]:
    """The index-th component of a type (2 button, 3 select) in a message or response."""
    return [c for row in message.components for c in row["components"] if c["type"] == kind][index]


async def confirm_all(h: Harness) -> Any:
    """Press Confirm attendance on the (English) supervisor's card."""
    card = await h.run(h.group.supervisor, "meeting attendance")
    confirm = next(c for c in card.components[-1]["components"] if c.get("label") == "Confirm attendance")
    return await (await h.sandbox.click(h.group.supervisor, card.message, confirm["custom_id"])).response()


async def test_a_german_supervisor_gets_the_brief_in_german_and_an_english_one_in_english(make_harness) -> None:
    async with make_harness() as h:
        await set_up_meetings(h, "meeting_brief")
        german = h.group.supervisor
        german.user.locale = "de"
        english = h.sandbox.create_member(h.group.guild, "Dr Second", roles=[h.group.supervisor_role])
        # Asking for the brief is a command, so it also records each supervisor's Discord locale for DMs.
        asked = await h.run(german, "meeting settings", brief_dm=True)
        assert "du bekommst das Briefing vor jeder Sitzung per DM" in asked.content, asked.content
        assert "**90 Min.**" in asked.content and "„Ich bin anwesend“ ist ab Beginn **3 Std.** offen" in asked.content
        assert "you get the brief by DM" in (await h.run(english, "meeting settings", brief_dm=True)).content
        remembered = dict(db_rows(h, "SELECT user_id, locale FROM member_locales"))
        assert (remembered[german.id], remembered[english.id]) == ("de", "en-US")

        await advance_to(h, MEETING - timedelta(hours=1, minutes=49))  # the brief goes two hours before
        [german_dm] = [m for m in h.sandbox.dms(german) if m.embeds]
        [english_dm] = [m for m in h.sandbox.dms(english) if m.embeds]
        text = embed_text(german_dm.embeds)
        assert german_dm.content == "Von **Supervision group**"
        for phrase in (
            "Dein Briefing vor der Sitzung",
            "Was die Gruppe seit der letzten Sitzung beschäftigt hat · Sitzung <t:",
            "Quiz der Woche Es gab noch kein Quiz.",
            "Check-in-Themen Seit Mi., 25. Feb.: 0 Check-ins in Übersichten geteilt; 0 davon mit der Bitte",
            "Reflexionsimpuls der Woche für die Gruppe Es wurde noch kein Reflexionsimpuls für die Gruppe gepostet.",
            "Feedback zu den letzten Sitzungen (0–10) Bei keiner Sitzung ist das Feedback bisher geschlossen.",
        ):
            assert phrase in text, f"{phrase!r} not in {text}"
        english_text = embed_text(english_dm.embeds)
        assert english_dm.content == "From **Supervision group**"
        assert "Your pre-meeting brief" in english_text and "Since Wed 25 Feb: 0 check-ins shared" in english_text
        assert "Briefing" not in english_text


async def test_a_german_member_gets_the_questions_in_german_and_answering_writes_no_locale(make_harness) -> None:
    async with make_harness() as h:
        await set_up_meetings(h, "meeting_attendance", "meeting_feedback")
        a, b = h.group.trainees[:2]
        a.user.locale = "de"
        opted = await h.run(a, "feedback dm", on=True)
        assert "schicke ich dir die drei Fragen per DM, mit **Später (1 Std.)** und **Diesmal auslassen**" in (
            opted.content
        )
        await h.run(b, "feedback dm", on=True)
        await advance_to(h, MEETING + timedelta(minutes=1))
        present = await mark_present(h, a)
        assert present.content.startswith("✅ Als anwesend eingetragen für die Sitzung am <t:")
        assert "(1,5 Std.). Eine Supervisor:in bestätigt das danach; siehe `/stunden anzeigen`." in present.content
        await mark_present(h, b)
        await advance_to(h, MEETING + timedelta(hours=3, minutes=1))

        [german] = h.sandbox.dms(a)
        [english] = h.sandbox.dms(b)
        assert german.content.startswith("Von **Supervision group**\n**Wie war die Supervision am <t:")
        for line in (
            "- **Ziele:** Heute haben wir an dem gearbeitet, was ich von der Supervision brauche "
            "(0 = wir wollten Verschiedenes, 10 = wir wollten dasselbe)",
            "- **Bindung:** Ich habe mich respektiert und sicher genug gefühlt, um Schwieriges einzubringen",
            "Anonym: Der Bot speichert deine Bewertungen ohne deinen Namen",
        ):
            assert line in german.content, german.content
        assert labels(german) == ["Drei Fragen beantworten (anonym)", "Später (1 Std.)", "Diesmal auslassen"]
        assert english.content.startswith("From **Supervision group**\n**How was supervision on <t:")
        assert labels(english) == ["Answer three questions (anonymous)", "Later (1 h)", "Skip this one"]

        # Answering from the DM: the card, its choices and its reply are German; no locale is written on the way.
        locales_before = db_rows(h, "SELECT guild_id, user_id, locale FROM member_locales ORDER BY user_id")
        sb = h.sandbox
        card = await (await sb.click(a, german, custom_ids(german)[0])).response()
        assert component(card, 3, 0)["placeholder"].startswith("Ziele: Heute haben wir")
        assert [o["label"] for o in component(card, 3, 2)["options"]][:2] == ["0 von 10", "1 von 10"]
        assert labels(card) == ["Kommentar für Supervisor:innen (optional)", "Senden"]
        opened = await sb.click(a, card.message, component(card, 2, 0)["custom_id"])
        form = await opened.modal()
        field = form["components"][0]["components"][0]
        assert form["title"] == "Kommentar für Supervisor:innen"
        assert field["label"] == "Sichtbar für Supervisor:innen, ohne Namen"
        assert field["placeholder"].startswith("Was geholfen hat, wovon du mehr oder weniger möchtest.")
        card = await (await sb.submit_modal(a, opened, {field["custom_id"]: "Mehr Rollenspiel, bitte"})).response()
        assert "**Dein Kommentar:** Mehr Rollenspiel, bitte" in card.content
        for index, rating in enumerate((8, 7, 9)):
            card = await (
                await sb.select(a, card.message, component(card, 3, index)["custom_id"], [str(rating)])
            ).response()
        assert card.content.endswith("Bereit zum Senden.")
        sent = await (await sb.click(a, card.message, component(card, 2, 1)["custom_id"])).response()
        assert sent.content.startswith("✅ Danke: Deine Antwort ist gespeichert, ohne deinen Namen.")
        assert db_rows(h, "SELECT guild_id, user_id, locale FROM member_locales ORDER BY user_id") == locales_before


async def test_a_german_groups_posts_are_german_while_an_english_members_reply_stays_english(make_harness) -> None:
    async with make_harness() as h:
        await set_up_meetings(h, "meeting_attendance", "meeting_feedback")
        await h.bot.repos.settings.update(h.group.guild.id, locale="de")
        english, german = h.group.trainees[:2]
        german.user.locale = "de"
        await advance_to(h, MEETING + timedelta(minutes=1))
        [post] = [
            m for m in h.sandbox.messages(h.group.channels["prompts"]) if "sv:meeting:present:" in str(m.components)
        ]
        assert post.content.startswith("🗓️ **Supervisionssitzung, <t:")
        assert "Wenn du bei der Sitzung bist, drücke **Ich bin anwesend** (offen bis <t:" in post.content
        assert labels(post) == ["Ich bin anwesend"]

        replied = await (await h.sandbox.click(english, post, custom_ids(post)[0])).response()
        assert replied.ephemeral and replied.content.startswith("✅ Marked present at the meeting of <t:")
        assert "(1.5 h). A supervisor confirms it afterwards" in replied.content
        assert "(1,5 Std.)" in (await (await h.sandbox.click(german, post, custom_ids(post)[0])).response()).content

        # The supervisor (en-US) sees their card in English, the meeting named in English.
        card = await h.run(h.group.supervisor, "meeting attendance")
        assert card.content.startswith("**Wed 4 Mar 2026 14:00 · group, in person · 90 min**")
        assert "2 awaiting confirmation." in card.content and labels(card) == ["Confirm attendance"]
        # A German supervisor's card names it in German.
        h.group.supervisor.user.locale = "de"
        card = await h.run(h.group.supervisor, "meeting attendance")
        assert card.content.startswith("**Mi., 4. März 2026, 14:00 · Gruppensitzung, in Präsenz · 90 Min.**")
        assert "· selbst eingetragen · wartet auf Bestätigung" in card.content
        assert "2 warten auf Bestätigung." in card.content and labels(card) == ["Anwesenheit bestätigen"]
        ix = await h.sandbox.invoke(h.group.guild, h.group.supervisor, "meeting report")
        report = await ix.original_message(predicate=lambda m: bool(m.attachments))
        text = embed_text(report.embeds)
        assert text.startswith(
            "Anwesenheit · letzte 3 Monate\n**1 Gruppensitzung und 0 Einzelsitzungen** in den letzten 3"
        )
        assert "- Mi., 4. März 2026, 14:00 · Gruppensitzung, in Präsenz · 90 Min.: 0 / 2" in text
        assert "1 von 1; 0 Std. + 0 Std.; 1,5 Std. wartend" in text
        chart = report.attachments[0].description or ""
        assert chart == "Anwesenheit in Gruppensitzungen, letzte 3 Monate: 4. März 0 bestätigt, 2 wartend."

        await advance_to(h, MEETING + timedelta(hours=3, minutes=1))
        questions = [
            m for m in h.sandbox.messages(h.group.channels["prompts"]) if "sv:meeting:feedback:" in str(m.components)
        ]
        assert len(questions) == 1
        assert questions[0].content.startswith("💬 **Wie war die Supervision am <t:")
        assert labels(questions[0]) == ["Drei Fragen beantworten (anonym)"]


async def test_the_german_hours_record_is_german_with_umlauts_in_the_pdf(make_harness, tmp_path) -> None:
    async with make_harness() as h:
        await set_up_meetings(h, "meeting_attendance")
        member = h.group.trainees[0]
        member.user.locale = "de"
        await advance_to(h, MEETING + timedelta(minutes=1))
        await mark_present(h, member)
        await confirm_all(h)
        topic = "Schweigen, Nähe und Maß halten"
        await h.run(
            h.group.supervisor, "meeting individual", supervisee=member, date="2026-02-20", minutes=50, topic=topic
        )
        await advance_to(h, MEETING + timedelta(weeks=1, minutes=1))
        await mark_present(h, member)  # awaiting confirmation

        shown = embed_text((await h.run(member, "hours show")).embeds)
        assert "Deine Supervisionsstunden" in shown
        assert "**Bestätigt:** 2,33 Std. (1,5 Std. Gruppe, 0,83 Std. Einzel)" in shown
        assert (
            "- Februar 2026: 0 Std. + 0,83 Std." in shown
            and "- März 2026: 1,5 Std. + 0 Std.; 1,5 Std. wartend" in shown
        )

        ix = await h.sandbox.invoke(h.group.guild, member, "hours export")
        message = await ix.original_message(predicate=lambda m: len(m.attachments) == 2)
        assert message.content.startswith("Dein Nachweis der Supervisionsstunden: 3 Sitzungen, als CSV und als PDF")
        files = {att.filename: att.data for att in message.attachments}
        assert set(files) == {"supervisionsstunden.csv", "supervisionsstunden.pdf"}

        rows = list(csv.reader(io.StringIO(files["supervisionsstunden.csv"].decode("utf-8-sig"))))
        assert rows[0][:5] == ["datum", "beginn", "minuten", "stunden", "format"]
        assert rows[0][5:] == ["setting", "thema", "status", "bestätigt_von", "bestätigt_am"]
        assert rows[1][:6] == ["2026-02-20", "09:00", "50", "0.83", "Einzel", "Präsenz"]
        assert rows[1][6:] == [topic, "bestätigt", "Dr Supervisor", "2026-03-04"]
        assert [r[7] for r in rows[1:]] == ["bestätigt", "bestätigt", "wartet auf Bestätigung"]

        pdf_bytes = files["supervisionsstunden.pdf"]
        (tmp_path / "stunden.pdf").write_bytes(pdf_bytes)
        text = " ".join("\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf_bytes)).pages).split())
        for phrase in (
            "Nachweis der Supervisionsstunden",
            "Supervisand:in: Trainee A",
            "Supervisionsgruppe: Supervision group",
            "Bestätigte Stunden nach Monat",
            "Wartet auf Bestätigung",
            "März 2026",
            "Gesamt",
            "20.02.2026",
            "11.03.2026",
            "Maß halten",
            "wartet auf Bestätigung",
            "Unterschrift",
        ):
            assert phrase in text, f"{phrase!r} not in {text}"
        assert "2,33 Std." in text and "Record of supervised hours" not in text
