"""Whose language, end to end: /setup and /status in the supervisor's, the welcome in the group's, /help, /about
and /privacy in each member's, and the language kept for DMs exported and erased like the rest of a member's data."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from tests.e2e.conftest import custom_ids, embed_text, set_up_group
from tests.support.db import db_rows

ADMIN_COGS = ("about", "admin", "quiz")
ALL_COGS = ("about", "admin", "quiz", "checkin", "reflect", "meeting")


async def rows_become(h, expected: list[tuple[Any, ...]], sql: str, *args: Any) -> None:  # type: ignore[no-untyped-def]
    """Wait until a read returns `expected`: a locale is remembered beside the command, not before its reply."""
    for _ in range(100):
        if db_rows(h, sql, *args) == expected:
            return
        await asyncio.sleep(0.05)
    assert db_rows(h, sql, *args) == expected


async def test_a_german_supervisor_sets_up_the_group_in_german(make_harness) -> None:
    async with make_harness(cogs=ADMIN_COGS) as h:
        g = h.group
        g.owner.user.locale = "de"
        response = await h.run(g.owner, "setup", timezone="Europe/Berlin", meeting_day=2, meeting_time="14:00")
        settings, steps = response.embeds[:2]
        text = embed_text([settings])
        assert settings["title"] == "Gruppeneinstellungen"
        assert "Zeitzone Europe/Berlin" in text and "Supervisionssitzung Mittwoch um 14:00" in text
        assert "Impulskanal nicht festgelegt" in text
        # The server's preferred locale is English, and no language was chosen: it says so, in German.
        assert "Sprache der Gruppe (Posts an die Gruppe) English (Sprache des Servers)" in text
        assert settings["footer"]["text"] == "Gespeichert."
        assert steps["title"] == "Nächste Schritte"
        # The commands to type are named as a German Discord client shows them.
        assert "⬜ Supervisionsrolle: `/einrichten supervisionsrolle:`" in steps["description"]
        assert "✅ Sitzungstag und -uhrzeit (die Standard-Zeitpläne richten sich danach)" in steps["description"]
        assert (
            "`/zeitplan festlegen art:` für jede dieser Arten: Reflexionsimpuls, Quiz öffnet, Quiz schließt, "
            "Check-in-Übersicht" in steps["description"]
        )
        assert (
            "⬜ Optional: die Sprache der Gruppe für ihre Posts (English): `/einrichten sprache:`"
            in steps["description"]
        )
        # A mistake is explained in German too, and changes nothing.
        everyone = g.guild.roles[g.guild.id]
        refused = await h.run(g.owner, "setup", supervisor_role=everyone, timezone="Asia/Tokyo")
        assert refused.ephemeral
        assert refused.content == (
            "@everyone kann nicht die Supervisionsrolle sein. Wähle eine Rolle, die nur Supervisor:innen haben."
        )
        assert db_rows(h, "SELECT timezone, supervisor_role_id FROM guild_settings") == [("Europe/Berlin", None)]


async def test_the_group_language_is_chosen_in_setup_and_named_to_each_supervisor_in_theirs(make_harness) -> None:
    async with make_harness(cogs=ADMIN_COGS) as h:
        g = h.group
        await set_up_group(h)
        changed = await h.run(g.supervisor, "setup", language="de")
        # The supervisor's Discord is in English: the answer is English, and names the new language in itself.
        assert changed.embeds[0]["footer"]["text"] == "Saved. Posts to the group will be in Deutsch from now on."
        assert "Group language (posts to the group) Deutsch" in embed_text(changed.embeds)
        assert "✅ Optional: the group's language for its posts (Deutsch)" in changed.embeds[1]["description"]
        assert db_rows(h, "SELECT locale FROM guild_settings") == [("de",)]
        status = await h.run(g.supervisor, "status")
        text = embed_text(status.embeds)
        assert status.embeds[0]["title"] == "Status"
        assert "Next runs No schedules. See `/schedule set`." in text
        assert "Group language (posts to the group) Deutsch" in text
        # A supervisor whose Discord is in German reads the same status in German.
        g.owner.user.locale = "de"
        german = embed_text((await h.run(g.owner, "status")).embeds)
        assert "Nächste Läufe Keine Zeitpläne. Siehe `/zeitplan festlegen`." in german
        assert "Sprache der Gruppe (Posts an die Gruppe) Deutsch" in german
        # Back to following the server's preferred locale: stored as no choice at all.
        back = await h.run(g.supervisor, "setup", language="server")
        assert back.embeds[0]["footer"]["text"] == (
            "Saved. Posts to the group will be in English (the server's language) from now on."
        )
        assert db_rows(h, "SELECT locale FROM guild_settings") == [(None,)]
        same = await h.run(g.supervisor, "setup", language="server")
        assert same.embeds[0]["footer"]["text"] == "Saved."


async def test_the_welcome_speaks_the_servers_language_while_its_owner_is_answered_in_theirs(make_harness) -> None:
    async with make_harness(cogs=("about", "admin")) as h:
        joined = h.sandbox.join_guild("Supervisionsgruppe Mittwoch", channels=("allgemein",), locale="de")
        channel = next(iter(joined.channels.values()))
        welcome = (await h.sandbox.wait_for_message(channel)).embeds[0]
        assert welcome["title"] == "Danke, dass du supervision-bot hinzugefügt hast"
        assert "Mit `/einrichten` legst du Zeitzone, Supervisionsrolle, Kanäle" in welcome["description"]
        assert "`/hilfe` können alle nutzen." in welcome["description"]
        await h.sandbox.sync_gateway()
        owner = joined.members[joined.owner_id]  # their own Discord is in English
        ix = await h.sandbox.invoke(joined, owner, "help")
        text = embed_text((await ix.response()).embeds)
        assert "**Your commands**" in text and "`/help` · This list, and how a week works" in text
        assert "`/setup` · Time zone, supervisor role, channels" in text


async def test_help_and_about_speak_each_members_own_language(make_harness) -> None:
    async with make_harness(cogs=ALL_COGS) as h:
        g = h.group
        await set_up_group(h)
        await h.run(g.supervisor, "setup", language="de")
        german, english = g.trainees[:2]
        german.user.locale = "de"
        response = await h.run(german, "help")
        text = embed_text(response.embeds)
        assert response.embeds[0]["title"] == "supervision-bot: Hilfe"
        assert "**So läuft eine Woche ab**\n1. Nach der Sitzung der Gruppe **öffnet das Quiz der Woche**" in text
        assert "6. **In der Sitzung** drückst du **" in text
        assert "**Deine Befehle**\n`/hilfe` · Diese Liste und wie eine Woche abläuft" in text
        assert "`/datenschutz löschen` · Alles löschen, was auf diesem Server mit dir verknüpft ist" in text
        assert "Befehle für Supervisor:innen" not in text and "/einrichten" not in text
        about = embed_text((await h.run(german, "about")).embeds)
        assert "Laufzeit" in about and "Gateway-Latenz" in about
        assert "wie du es exportierst oder löschst: `/datenschutz info`" in about
        # Another member of the same German group whose Discord is in English reads English.
        text = embed_text((await h.run(english, "help")).embeds)
        assert "**How a week works**" in text and "`/help` · This list, and how a week works" in text
        # A German supervisor sees their own commands, in German.
        g.supervisor.user.locale = "de"
        cards = (await h.run(g.supervisor, "help")).embeds
        assert cards[1]["title"] == "Befehle für Supervisor:innen"
        assert "`/einrichten` · Zeitzone, Supervisionsrolle, Kanäle, Sitzung" in cards[1]["description"]
        assert "`/zeitplan pausieren` · Eine Art von Post pausieren" in cards[1]["description"]


async def test_privacy_in_german_and_the_language_kept_for_dms_is_exported_and_erased(make_harness) -> None:
    async with make_harness(cogs=ALL_COGS) as h:
        g = h.group
        await set_up_group(h)
        member = g.trainees[0]
        member.user.locale = "de"
        ix = await h.sandbox.invoke(g.guild, member, "privacy info")
        first = await ix.response()
        assert first.ephemeral and first.embeds[0]["title"] == "Datenschutz"
        # The German statement is longer than one message may carry: it goes on in a second, also private.
        rest = await ix.next_followup()
        assert rest.flags & 64
        fields = [f for message in (first.embeds, rest.embeds) for e in message for f in e.get("fields", [])]
        names = [f["name"] for f in fields]
        assert names[:2] == ["Was dieser Bot speichert und wer es sehen kann", "Deine Sprache"]
        assert names[-1] == "Ehrliche Grenzen" and "Anonyme Check-ins: was gilt, gegenüber wem" in names
        language = fields[1]["value"]
        assert (
            "ein Wert pro Server, ohne Zeitangabe und nie aus den anonymen Check-in- und Feedback-Befehlen" in language
        )
        assert "`/datenschutz exportieren` enthält ihn, `/datenschutz löschen` löscht ihn." in language
        await rows_become(h, [("de",)], "SELECT locale FROM member_locales WHERE user_id = ?", member.id)

        ix = await h.sandbox.invoke(g.guild, member, "privacy export")
        message = await ix.original_message(predicate=lambda m: len(m.attachments) == 2)
        assert message.content == (
            "Hier ist alles, was der Bot auf diesem Server über dich speichert (1 Eintrag), als JSON und als lesbares "
            "Markdown."
        )
        files = {a.filename: a.data for a in message.attachments}
        # The data keeps its English names; the language is the one Discord sent with the member's commands.
        assert json.loads(files["my-data.json"])["sections"]["Language"] == [{"discord_locale_last_seen": "de"}]
        markdown = files["my-data.md"].decode()
        assert markdown.startswith("# Deine Daten auf diesem Server\n")
        assert "## Sprache (Language)\n\n### 1\n- **discord_locale_last_seen**: de" in markdown
        assert "## Quizantworten (Quiz answers)\n\nNichts gespeichert." in markdown

        asked = await h.run(member, "privacy delete")
        assert asked.content.startswith("Das löscht alles, was auf diesem Server mit dir verknüpft ist")
        assert "`/datenschutz exportieren`" in asked.content
        assert asked.components[0]["components"][0]["label"] == "Meine Daten löschen"
        done = await (await h.sandbox.click(member, asked.message, custom_ids(asked)[0])).response()
        assert done.content.startswith("🗑️ Erledigt. Alles, was auf diesem Server mit dir verknüpft ist, ist gelöscht:")
        assert "\n- Sprache: 1 entfernt" in done.content and "\n- Quizantworten: 0 entfernt" in done.content
        # A click is not a slash command: nothing is remembered again by pressing the button.
        assert db_rows(h, "SELECT COUNT(*) FROM member_locales WHERE user_id = ?", member.id) == [(0,)]


async def test_anonymous_commands_never_store_a_members_language(make_harness) -> None:
    async with make_harness(cogs=ALL_COGS) as h:
        g = h.group
        await set_up_group(h)
        member, witness = g.trainees[:2]
        member.user.locale = "fr"
        code = "K7QF-2MZP-9TXR"
        # Typing an option is not a command either.
        choices = await h.sandbox.autocomplete(
            g.guild, member, "reflect subscribe", focused="timezone", value="Europe/Pa"
        )
        assert choices and choices[0]["value"] == "Europe/Paris"
        for command, options in (
            ("checkin new", {}),
            ("checkin withdraw", {"code": code}),
            ("checkin replies", {"code": code}),
            ("feedback give", {}),
        ):
            assert (await h.run(member, command, **options)).ephemeral, command
        # Another member's command after them is remembered; by then any write of theirs would be there too.
        await h.run(witness, "help")
        await rows_become(
            h, [(witness.id, "en-US")], "SELECT user_id, locale FROM member_locales WHERE user_id != ?", g.owner.id
        )
        assert db_rows(h, "SELECT COUNT(*) FROM member_locales WHERE user_id = ?", member.id) == [(0,)]
        # Their next ordinary command is: one value, and nothing beside it (no time).
        await h.run(member, "help")
        await rows_become(h, [("fr",)], "SELECT locale FROM member_locales WHERE user_id = ?", member.id)
        assert [r[1] for r in db_rows(h, "PRAGMA table_info(member_locales)")] == ["guild_id", "user_id", "locale"]
