"""Content in the group's language, end to end: quiz items and prompts as the group reads them, the "(English)" tag
on what has no translation, one history across languages, and imports that name their language."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from bot.content.banks import prompt_bank, prompt_translations, quiz_bank, quiz_translations
from tests.e2e.conftest import custom_ids, embed_text, set_up_group
from tests.support.content import GERMAN_EMPATHY, bundled_copy
from tests.support.db import db_rows
from tests.support.quiz_actions import QUIZ_COGS, open_quiz, take

REFLECT_COGS = ("about", "admin", "reflect")
ONLY = ("empathy-001", "empathy-002")


@pytest.fixture
def german_empathy(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The bundled banks with two empathy items translated into German (and nothing else translated)."""
    with bundled_copy(monkeypatch, tmp_path / "content", {"quiz/de/empathy.toml": GERMAN_EMPATHY}):
        yield


async def keep_only(h, item_ids: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    """Switch off every bundled item but these, as a supervisor would with /quiz bank disable."""
    for item in quiz_bank():
        if item.id not in item_ids:
            await h.bot.repos.quiz_bank.disable(h.group.guild.id, item.id)


async def answer(h, member, shown, choice: int):  # type: ignore[no-untyped-def]
    buttons = [c for c in custom_ids(shown) if ":answer:" in c or ":practice:" in c]
    return await (await h.sandbox.click(member, shown.message, buttons[choice])).response()


@pytest.mark.usefixtures("german_empathy")
async def test_answered_in_english_then_in_german_one_history(make_harness) -> None:
    english = {item.id: item for item in quiz_bank()}
    german = quiz_translations("de")
    async with make_harness(cogs=QUIZ_COGS) as h:
        g, member = h.group, h.group.trainees[0]
        await set_up_group(h)
        await keep_only(h, ONLY)
        await h.run(g.supervisor, "quiz settings", questions=1)

        # Week 1, an English group: the question in English; a wrong answer.
        post = await open_quiz(h)
        _, question = await take(h, member, post)
        first = db_rows(h, "SELECT item_id FROM quiz_week_items")[0][0]
        assert question.embeds[0]["title"] == "Question 1 of 1"
        assert question.embeds[0]["description"].startswith(english[first].stem)
        wrong = (english[first].correct_index + 1) % len(english[first].options)
        await answer(h, member, question, wrong)

        # The group turns German. Week 2 brings the other item, in German, to the same member.
        await h.bot.repos.settings.update(g.guild.id, locale="de")
        await h.advance(timedelta(days=7, hours=1))
        second_post = await h.sandbox.wait_for_message(
            g.channels["quiz"], lambda m: bool(m.components) and m.id != post.id
        )
        _, question = await take(h, member, second_post)
        second = next(i for i in ONLY if i != first)
        assert db_rows(h, "SELECT item_id FROM quiz_week_items ORDER BY quiz_id") == [(first,), (second,)]
        assert question.embeds[0]["title"] == "Question 1 of 1"  # no tag: the item is in the group's language
        assert question.embeds[0]["description"].startswith(german[second].stem)
        await answer(h, member, question, german[second].correct_index)

        # The English miss is due for review a week later: it comes back in German, under the same id.
        practice = await h.run(member, "quiz practice")
        assert practice.embeds[0]["title"] == "Review question: you missed this one"
        assert practice.embeds[0]["description"].startswith(german[first].stem)
        assert all(f":{first}:" in c for c in custom_ids(practice) if ":practice:" in c)
        feedback = await answer(h, member, practice, german[first].correct_index)
        assert "Review done: it leaves your schedule." in embed_text(feedback.embeds)
        assert german[first].options[german[first].correct_index].explanation in embed_text(feedback.embeds)
        assert db_rows(h, "SELECT COUNT(*) FROM quiz_reviews WHERE user_id = ?", member.id) == [(0,)]

        # One history: both answers, one per language, by item id; /quiz stats names the miss in German.
        history = await h.bot.repos.quiz.member_history(g.guild.id, member.id)
        assert [(a.item_id, a.correct) for a in history] == [(first, False), (second, True)]
        stats = await (await h.sandbox.invoke(g.guild, member, "quiz stats")).original_message(
            predicate=lambda m: bool(m.embeds)
        )
        assert german[first].stem[:90] in stats.embeds[0]["description"]
        assert english[first].stem[:40] not in stats.embeds[0]["description"]


@pytest.mark.usefixtures("german_empathy")
async def test_an_item_without_a_translation_stands_in_english_with_a_tag(make_harness) -> None:
    async with make_harness(cogs=QUIZ_COGS) as h:
        g = h.group
        await set_up_group(h)
        await h.bot.repos.settings.update(g.guild.id, locale="de")
        german_member, english_member = g.trainees[0], g.trainees[1]
        german_member.user.locale = "de"
        congruence = {item.stem: item for item in quiz_bank() if item.element == "congruence"}
        for member, tag in ((german_member, "· (auf Englisch)"), (english_member, "· (English)")):
            shown = await h.run(member, "quiz practice", element="congruence")
            assert shown.embeds[0]["title"].endswith(tag)
            stem = shown.embeds[0]["description"].split("\n\n")[0]
            assert stem in congruence  # the English text, whole
        # A translated item carries no tag, for either reader.
        await keep_only(h, ONLY)
        for member in (german_member, english_member):
            shown = await h.run(member, "quiz practice", element="empathy")
            assert "(" not in shown.embeds[0]["title"]
            assert shown.embeds[0]["description"].split("\n\n")[0] in {i.stem for i in quiz_translations("de").values()}


async def test_the_weekly_prompt_the_thread_and_the_journal_speak_the_groups_language(make_harness) -> None:
    async with make_harness(cogs=REFLECT_COGS) as h:
        g, member = h.group, h.group.trainees[0]
        await set_up_group(h)
        await h.bot.repos.settings.update(g.guild.id, locale="de")
        await h.run(g.supervisor, "schedule set", kind="reflective_prompt", days="Mon", time="10:00")
        await h.advance(timedelta(hours=2, minutes=1))
        post = await h.sandbox.wait_for_message(g.channels["prompts"])
        prompt_id = db_rows(h, "SELECT prompt_id FROM group_prompts")[0][0]
        german = prompt_translations("de")[prompt_id]
        assert post.embeds[0]["description"] == german.text
        assert "(" not in post.embeds[0]["title"]
        assert post.thread_id is not None

        # A member (whose own Discord speaks English) writes a reflection from the post: the journal keeps the
        # words the group read.
        write = next(c for c in custom_ids(post) if c.startswith("sv:reflect:write:"))
        opened = await h.sandbox.click(member, post, write)
        field = (await opened.modal())["components"][0]["components"][0]["custom_id"]
        await (await h.sandbox.submit_modal(member, opened, {field: "Mir ging es nah."})).response()
        assert db_rows(h, "SELECT prompt_id, prompt_text FROM journal_entries") == [(prompt_id, german.text)]

        # On demand, in private, the same language.
        shown = await h.run(member, "reflect prompt")
        assert shown.embeds[0]["description"] in {p.text for p in prompt_translations("de").values()}


async def test_a_french_group_reads_english_prompts_tagged_in_french(make_harness) -> None:
    async with make_harness(cogs=REFLECT_COGS) as h:
        await set_up_group(h)
        await h.bot.repos.settings.update(h.group.guild.id, locale="fr")
        await h.run(h.group.supervisor, "schedule set", kind="reflective_prompt", days="Mon", time="10:00")
        await h.advance(timedelta(hours=2, minutes=1))
        post = await h.sandbox.wait_for_message(h.group.channels["prompts"])
        prompt_id = db_rows(h, "SELECT prompt_id FROM group_prompts")[0][0]
        assert post.embeds[0]["description"] == next(p.text for p in prompt_bank() if p.id == prompt_id)
        assert post.embeds[0]["title"].endswith("· (en anglais)")


GERMAN_IMPORT = """element = "supervision"
locale = "de"

[[items]]
id = "unsere-supervision-001"
kind = "vignette"
difficulty = 2
stem = "Eine Therapeutin in Ausbildung bringt nur gelungene Sitzungen in die Supervision. \
Was ist der hilfreichste nächste Schritt für die Supervisorin?"
source = "Proctor, B. (1986). Supervision: A co-operative exercise in accountability."

[[items.options]]
text = "Neugierig nachfragen, was es schwer macht, auch schwierige Sitzungen mitzubringen."
explanation = "Das öffnet den Raum, ohne zu beschämen, und stärkt die formative Funktion."
correct = true

[[items.options]]
text = "Die Auswahl der Fälle künftig selbst festlegen."
explanation = "Das übergeht die Therapeutin in Ausbildung und klärt nicht, was sie zurückhält."

[[items.options]]
text = "Nichts sagen, solange die Sitzungen gut laufen."
explanation = "Dann bleibt ungeklärt, was in den anderen Sitzungen geschieht."
"""


async def test_an_import_names_its_language_and_is_shown_with_it(make_harness) -> None:
    async with make_harness(cogs=QUIZ_COGS) as h:
        g, member = h.group, h.group.trainees[0]
        await set_up_group(h)
        await h.bot.repos.settings.update(g.guild.id, locale="de")

        refused = await h.sandbox.invoke(
            g.guild,
            g.supervisor,
            "quiz bank import",
            options={"file": ("unsere.toml", GERMAN_IMPORT.replace('locale = "de"', 'locale = "es"').encode())},
        )
        message = await refused.original_message(predicate=lambda m: "Nothing was imported" in m.content)
        assert message.ephemeral
        assert (
            "unsere.toml: item -: locale: 'es' is not a language of this bot; write one of en-US, de, fr, or leave "
            "it out for English" in message.content
        )
        assert db_rows(h, "SELECT COUNT(*) FROM quiz_custom_items") == [(0,)]

        ok = await h.sandbox.invoke(
            g.guild, g.supervisor, "quiz bank import", options={"file": ("unsere.toml", GERMAN_IMPORT.encode())}
        )
        reply = await ok.original_message(predicate=lambda m: "Imported" in m.content)
        assert "Imported 1 item into" in reply.content
        body = json.loads(db_rows(h, "SELECT body FROM quiz_custom_items")[0][0])
        assert body["locale"] == "de"

        # The only supervision item left: shown as written, untagged in the German group...
        await keep_only(h, ())
        shown = await h.run(member, "quiz practice", element="supervision")
        assert shown.embeds[0]["description"].startswith(
            "Eine Therapeutin in Ausbildung bringt nur gelungene Sitzungen"
        )
        assert shown.embeds[0]["title"] == "Practice question"
        # ...and named as German where the group reads English.
        await h.bot.repos.settings.update(g.guild.id, locale="en-US")
        shown = await h.run(member, "quiz practice", element="supervision")
        assert shown.embeds[0]["title"] == "Practice question · (German)"
