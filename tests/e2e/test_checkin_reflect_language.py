"""Check-ins and reflection in the reader's language, end to end: a member's replies, cards and forms speak their
Discord locale, the group's posts (scheduled or not) speak the group's language, and each prompt DM speaks its
member's last-seen locale, else the group's. The anonymous check-in leaves no trace of the member's language."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot import i18n
from cogs.reflect.logic import extract_bodies
from tests.e2e.conftest import custom_ids, embed_text, set_up_group
from tests.support.checkin_actions import check_in, code_of, component_id, schedule_digest
from tests.support.db import db_rows

REFLECT_COGS = ("about", "admin", "reflect")
CHECKIN_COGS = ("about", "admin", "checkin")


def labels(source: Any) -> list[str]:
    """Every button label, select placeholder and select option label of a message or response, in order."""
    rows = source.components if hasattr(source, "components") else source
    found: list[str] = []
    for row in rows or []:
        for comp in row.get("components", []):
            found += [comp[key] for key in ("label", "placeholder") if comp.get(key)]
            found += [option["label"] for option in comp.get("options", [])]
    return found


def button_id(source: Any, label: str) -> str:
    """The custom id of the button whose label starts with `label`."""
    for row in source.components:
        for comp in row.get("components", []):
            if comp.get("label", "").startswith(label):
                return str(comp["custom_id"])
    raise AssertionError(f"no button {label!r} in {labels(source)}")


async def open_form(h, member, message, custom_id: str):  # type: ignore[no-untyped-def]
    """Press a button that opens a form; return the interaction and the form."""
    opened = await h.sandbox.click(member, message, custom_id)
    return opened, await opened.modal()


def form_labels(modal: dict[str, Any]) -> list[str]:
    return [field["label"] for row in modal["components"] for field in row["components"]]


async def test_a_german_member_checks_in_in_german_and_leaves_no_language_behind(make_harness) -> None:
    async with make_harness(cogs=CHECKIN_COGS) as h:
        member = h.group.trainees[0]
        member.user.locale = "de"
        card = await (await h.sandbox.invoke(h.group.guild, member, "checkin new")).response()
        assert card.ephemeral and card.content.startswith("**Anonymer Check-in zur Gegenübertragung**")
        assert (
            "Bemerkt: noch nichts gewählt" in card.content
            and "Dies ist ein Werkzeug für die Supervision" in card.content
        )
        shown = labels(card)
        assert "Was hast du in dir bemerkt? (eins oder mehrere wählen)" in shown
        assert "Hilflos / unzulänglich" in shown and "3 von 5" in shown and "Tod oder Verlust" in shown
        assert "In der Sitzung ansprechen: nein" in shown and "Ohne Text absenden" in shown
        assert not {"Submit without text", "Helpless / inadequate", "Raise at meeting: no"} & set(shown)

        # Pressing "write" before choosing is refused in German.
        early = await (await h.sandbox.click(member, card.message, button_id(card, "Darüber schreiben"))).response()
        assert "Wähle zuerst was du in dir bemerkt hast und wie stark es war." in early.content

        card = await (
            await h.sandbox.select(member, card.message, component_id(card, kind=3, index=0), ["helpless"])
        ).response()
        card = await (
            await h.sandbox.select(member, card.message, component_id(card, kind=3, index=1), ["4"])
        ).response()
        card = await (await h.sandbox.click(member, card.message, button_id(card, "In der Sitzung"))).response()
        assert "In der nächsten Sitzung ansprechen: **ja**" in card.content
        assert "Bemerkt: Hilflos / unzulänglich" in card.content and "In der Sitzung ansprechen: ja" in labels(card)

        opened, modal = await open_form(h, member, card.message, button_id(card, "Darüber schreiben"))
        assert modal["title"] == "Was ist in dir passiert?"
        assert form_labels(modal) == [
            "Was hat sich in dir geregt, was sagt es?",
            "Inhaltswarnung, eigene Worte (max. 40)",
        ]
        field = modal["components"][0]["components"][0]["custom_id"]
        flagged = await (await h.sandbox.submit_modal(member, opened, {field: "Ruf 07700 900123 an"})).response()
        assert "Vor dem Speichern: Ich habe eine Telefonnummer (07700 900123) bemerkt." in flagged.content
        assert labels(flagged) == ["Meinen Text bearbeiten", "Trotzdem absenden"]
        saved = await (await h.sandbox.click(member, flagged.message, button_id(flagged, "Trotzdem"))).response()
        assert saved.content.startswith("✅ Anonym gespeichert.") and "Dein Rückzugscode:" in saved.content
        # Commands named in the text are the ones a German Discord shows.
        assert "`/checkin antworten`" in saved.content and "`/checkin zurückziehen`" in saved.content
        withdrawn = await h.run(member, "checkin withdraw", code=code_of(saved))
        assert withdrawn.content == "Zurückgezogen: Der Check-in ist gelöscht und wird nicht geteilt."
        # The member's text itself is never translated, and the anonymous commands stored no language.
        assert db_rows(h, "SELECT COUNT(*) FROM member_locales") == [(0,)]


async def test_a_german_member_reflects_and_exports_in_german(make_harness) -> None:
    async with make_harness(cogs=REFLECT_COGS) as h:
        member = h.group.trainees[0]
        member.user.locale = "de"
        shown = await h.run(member, "reflect prompt", element="empathy")
        footer = shown.embeds[0]["footer"]["text"]
        assert shown.embeds[0]["title"] == "Reflexionsimpuls" and "Dieser Impuls lädt dich ein, " in footer
        assert "\nQuelle: " in footer and labels(shown) == ["Reflexion schreiben", "Anderer Impuls"]
        opened, modal = await open_form(h, member, shown.message, custom_ids(shown)[0])
        assert modal["title"] == "Reflexion schreiben" and form_labels(modal) == ["Deine Reflexion (nur für dich)"]
        field = modal["components"][0]["components"][0]["custom_id"]
        saved = await (await h.sandbox.submit_modal(member, opened, {field: "I stayed with my own unease."})).response()
        assert saved.content.startswith("In deinem privaten Journal als Eintrag #1 gespeichert.")
        assert labels(saved) == [
            "Im Gruppen-Thread teilen (mit meinem Namen)",
            "#1 mit meiner Supervision teilen (mit meinem Namen)",
        ]

        page = await h.run(member, "reflect journal show")
        assert page.embeds[0]["title"] == "Dein Reflexionsjournal"
        assert page.embeds[0]["footer"]["text"] == "Seite 1 von 1 · 1 Eintrag · nur du siehst das"
        asked = await (await h.sandbox.click(member, page.message, button_id(page, "#1 löschen"))).response()
        assert asked.data["content"] == "Eintrag #1 endgültig löschen?" and labels(asked) == [
            "Ja, #1 löschen",
            "Behalten",
        ]

        ix = await h.sandbox.invoke(h.group.guild, member, "reflect journal export")
        exported = await ix.original_message(predicate=lambda m: bool(m.attachments))
        assert exported.content == "Dein Journal: 1 Eintrag."
        markdown = exported.attachments[0].data.decode("utf-8")
        assert markdown.startswith("# Reflexionsjournal · Trainee A\n\n1 Eintrag, neueste zuerst. Zeiten in UTC.")
        assert "*Deine Reflexion, genau wie geschrieben (28 Zeichen):*" in markdown
        with i18n.speaking("de"):  # the export reads back in the language it was written in
            assert extract_bodies(markdown) == ["I stayed with my own unease."]
        # A non-anonymous command remembers the member's language, for the DMs the server sends them.
        assert db_rows(h, "SELECT locale FROM member_locales WHERE user_id = ?", member.id) == [("de",)]


async def test_a_german_groups_posts_are_german_while_an_english_member_reads_english(make_harness) -> None:
    async with make_harness(cogs=REFLECT_COGS) as h:
        await set_up_group(h)
        await h.bot.repos.settings.update(h.group.guild.id, locale="de")
        await h.run(h.group.supervisor, "schedule set", kind="reflective_prompt", days="Mon", time="10:00")
        await h.advance(timedelta(hours=2, minutes=1))
        post = await h.sandbox.wait_for_message(h.group.channels["prompts"])
        assert post.embeds[0]["title"].startswith("Reflexionsimpuls der Woche · ")
        assert "Antworten Antworte im Thread darunter oder halte es privat mit **Reflexion schreiben**." in embed_text(
            post.embeds
        )
        assert "Dieser Impuls lädt dich ein, " in post.embeds[0]["footer"]["text"]
        assert labels(post) == ["Reflexion schreiben"]
        assert h.sandbox.channel(post.thread_id).name.startswith("Reflexionen · ")

        # An en-US member of the German group writes from the German post: their form and replies are English.
        member = h.group.trainees[0]
        assert member.user.locale == "en-US"
        opened, modal = await open_form(h, member, post, custom_ids(post)[0])
        assert modal["title"] == "Write a reflection" and form_labels(modal) == ["Your reflection (private to you)"]
        field = modal["components"][0]["components"][0]["custom_id"]
        saved = await (
            await h.sandbox.submit_modal(member, opened, {field: "Curious about my urge to fix."})
        ).response()
        assert saved.ephemeral and saved.content.startswith("Saved to your private journal as entry #1.")
        shared = await (await h.sandbox.click(member, saved.message, button_id(saved, "Share in the group"))).response()
        assert shared.data["content"] == f"Shared entry #1 in <#{post.thread_id}>."
        # Posted into the group's thread outside any scheduled work: still the group's language.
        in_thread = h.sandbox.messages(post.thread_id)[-1]
        assert in_thread.content.startswith("**Trainee A** hat eine Reflexion geteilt:\n")
        assert in_thread.content.endswith("Curious about my urge to fix.")


async def test_a_german_groups_digest_and_a_posted_reply_are_german_for_an_english_supervisor(make_harness) -> None:
    async with make_harness(cogs=CHECKIN_COGS) as h:
        await schedule_digest(h)
        await h.bot.repos.settings.update(h.group.guild.id, locale="de")
        for member in h.group.trainees[:3]:
            saved = await check_in(h, member, text="my own words, never translated", share=True)
            assert saved.content.startswith("✅ Saved anonymously.")  # en-US members read English
        await h.advance(timedelta(days=2, hours=4, minutes=5))  # Wednesday 12:05: the digest is released
        posts = [m for m in h.sandbox.messages(h.group.channels["digest"]) if m.embeds]
        header = posts[0].embeds[0]
        assert header["title"] == "🫧 Anonyme Check-ins"
        assert header["description"].startswith("3 Check-ins seit der letzten Übersicht, in zufälliger Reihenfolge.")
        entries = [e for m in posts for e in m.embeds if e["title"].startswith("Check-in · ")]
        assert {e["title"] for e in entries} == {"Check-in · Montag"}  # the day they checked in, in German
        assert all(e["description"] == "my own words, never translated" for e in entries)
        assert {f["name"] for f in entries[0]["fields"]} == {"Bemerkt", "Intensität"}
        assert "Auf #1 antworten" in labels(posts[0]) and "Antworten zu #1" in labels(posts[0])

        supervisor = h.group.supervisor
        opened, modal = await open_form(h, supervisor, posts[0], button_id(posts[0], "Auf #1 antworten"))
        assert modal["title"] == "Reply to check-in #1"  # the supervisor's own locale
        field = modal["components"][0]["components"][0]["custom_id"]
        saved = await (await h.sandbox.submit_modal(supervisor, opened, {field: "Thank you for noticing."})).response()
        assert saved.content.startswith("Saved as reply 1 to check-in #1.")
        posted = await (
            await h.sandbox.click(supervisor, saved.message, button_id(saved, "Post this reply"))
        ).response()
        digest = h.group.channels["digest"]
        assert posted.content == f"Posted reply 1 in <#{digest.id}>."
        public = h.sandbox.messages(digest)[-1]
        assert public.embeds[0]["title"] == "💬 Antwort der Supervision auf Check-in #1 (Montag)"
        assert public.embeds[0]["description"] == "Thank you for noticing."


async def test_prompt_dms_speak_each_members_language(make_harness) -> None:
    async with make_harness(cogs=REFLECT_COGS) as h:
        await set_up_group(h)
        await h.bot.repos.settings.update(h.group.guild.id, locale="de")
        german, english, french, unseen = h.group.trainees
        for member, locale in ((german, "de"), (english, "en-US"), (french, "fr"), (unseen, "en-US")):
            member.user.locale = locale
            subscribed = await h.run(member, "reflect subscribe", days="daily", time="09:00")
            assert subscribed.ephemeral
        # Never seen in a command (e.g. the row was erased): their DMs speak the group's language.
        await h.bot.repos.member_locales.delete_member(h.group.guild.id, unseen.id)
        assert subscribed.content.startswith("📬 **Prompts come by direct message")
        await h.advance(timedelta(hours=1, minutes=5))

        titles = {m.id: h.sandbox.dms(m)[0].embeds[0]["title"] for m in h.group.trainees}
        assert titles == {
            german.id: "Dein Reflexionsimpuls",
            english.id: "Your reflective prompt",
            french.id: "Votre question de réflexion",
            unseen.id: "Dein Reflexionsimpuls",
        }
        dm = h.sandbox.dms(german)[0]
        assert labels(dm) == ["Reflexion schreiben", "Später (1 Std.)", "Diesmal auslassen"]
        assert "Dies ist ein Werkzeug für die Supervision" in dm.embeds[0]["footer"]["text"]
        assert embed_text(dm.embeds).count("Von ") == 1
        assert labels(h.sandbox.dms(english)[0]) == ["Write a reflection", "Later (1 h)", "Skip this one"]
        assert labels(h.sandbox.dms(french)[0]) == ["Écrire une réflexion", "Plus tard (1 h)", "Passer cette fois"]

        # Later (1 h): the note is in the presser's language, and so is the prompt that comes back.
        later = await h.sandbox.click(german, dm, button_id(dm, "Später"))
        edited = await later.response()
        assert "⏰ Verschoben: Ich schicke dir das " in edited.data["content"]
        await h.advance(timedelta(hours=1, minutes=5))
        again = h.sandbox.dms(german)[-1]
        assert again.embeds[0]["title"] == "Dein Reflexionsimpuls, wie gewünscht, eine Stunde später"
        assert labels(again) == ["Reflexion schreiben"]
