"""Banks per language: a translation loads beside the English under the same ids, and each rule it must keep fails
it precisely when broken (read through the real loader from a copy of the bundled banks)."""

from __future__ import annotations

import glob
import tomllib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from bot.content import banks
from bot.content.banks import ContentError, prompt_bank, quiz_bank, quiz_translations, validate_bundled
from bot.content.localise import language_tag, prompts_in, quiz_items_in
from bot.content.validation import check_locale
from bot.i18n import speaking
from tests.support.content import GERMAN_EMPATHY, PACKAGE, bundled_copy

QUIZ_FILE = "quiz/de/empathy.toml"
Bank = Callable[[dict[str, str]], AbstractContextManager[Path]]


@pytest.fixture
def bank(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Bank]:
    """Serve the bundled banks from a copy with the given files added; use as `with bank({...}):`."""
    count = iter(range(100))
    yield lambda files: bundled_copy(monkeypatch, tmp_path / f"content{next(count)}", files)


def problems_of(bank: Bank, text: str, name: str = QUIZ_FILE) -> list[str]:
    with bank({name: text}):
        return [str(p) for p in validate_bundled() if p.file.startswith(name.split("/")[0] + "/de/")]


def test_a_translation_loads_beside_the_english_under_the_same_ids(bank: Bank) -> None:
    with bank({QUIZ_FILE: GERMAN_EMPATHY}):
        assert validate_bundled() == []
        german = quiz_translations("de")
        assert set(german) == {"empathy-001", "empathy-002"}
        english = {item.id: item for item in quiz_bank()}
        for item_id, item in german.items():
            assert item.language == "de" and english[item_id].language == "en"
            assert item.correct_index == english[item_id].correct_index
            assert (item.kind, item.difficulty, item.source) == (
                english[item_id].kind,
                english[item_id].difficulty,
                english[item_id].source,
            )
        assert german["empathy-001"].stem.startswith("Eine Klientin sagt leise")
        assert banks.bundled_languages() == ("de",)


def test_an_untranslated_item_stands_in_english_and_is_tagged(bank: Bank) -> None:
    with bank({QUIZ_FILE: GERMAN_EMPATHY}):
        shown = quiz_items_in("de")
        assert shown["empathy-001"].language == "de" and not shown["empathy-001"].tagged
        assert shown["empathy-003"].language == "en" and shown["empathy-003"].tagged
        assert shown["empathy-003"].stem == next(i.stem for i in quiz_bank() if i.id == "empathy-003")
        assert len(shown) == len(quiz_bank())
        # An English group reads every bundled item as written, with no tag.
        assert not any(item.tagged for item in quiz_items_in("en").values())
        # The tag is said in the reader's language.
        with speaking("en-US"):
            assert language_tag(shown["empathy-003"]) == "(English)"
        with speaking("de"):
            assert language_tag(shown["empathy-003"]) == "(auf Englisch)"
        assert language_tag(shown["empathy-001"]) is None


def test_french_has_no_content_so_a_french_group_reads_english_tagged() -> None:
    prompts = prompts_in("fr")
    assert len(prompts) == len(prompt_bank())
    assert all(p.tagged and p.language == "en" for p in prompts)


def test_a_translation_keeps_the_english_id(bank: Bank) -> None:
    found = problems_of(bank, GERMAN_EMPATHY.replace('id = "empathy-002"', 'id = "empathy-902"'))
    assert found == [
        f"{QUIZ_FILE}: item empathy-902: id: 'empathy-902': no English item has this id, and a translation keeps "
        "the English id"
    ]


def test_a_translation_keeps_the_option_count(bank: Bank) -> None:
    last = GERMAN_EMPATHY.rindex("[[items.options]]")
    found = problems_of(bank, GERMAN_EMPATHY[:last].rstrip() + "\ncorrect = true\n")
    assert found == [f"{QUIZ_FILE}: item empathy-002: options: 3 options; the English has 4, in the same order"]


def test_a_translation_keeps_the_key(bank: Bank) -> None:
    moved = GERMAN_EMPATHY.replace(
        'ob mit Ihnen etwas nicht stimmt.“"\nexplanation = "Das spiegelt den anhaltenden Schmerz und den '
        'Selbstzweifel aus der Sicht der Klientin und bietet ihn ihr zur Prüfung an."\ncorrect = true',
        'ob mit Ihnen etwas nicht stimmt.“"\nexplanation = "Das spiegelt den anhaltenden Schmerz und den '
        'Selbstzweifel aus der Sicht der Klientin und bietet ihn ihr zur Prüfung an."',
    ).replace(
        'Es zeigt kein Verstehen dessen, was sie erlebt."',
        'Es zeigt kein Verstehen dessen, was sie erlebt."\ncorrect = true',
    )
    assert moved.count("correct = true") == 2
    found = problems_of(bank, moved)
    assert found == [f"{QUIZ_FILE}: item empathy-001: options: the key is option 4; the English key is option 3"]


@pytest.mark.parametrize(
    ("field", "english", "changed"),
    [
        ("kind", 'kind = "vignette"\ndifficulty = 1', 'kind = "recall"\ndifficulty = 1'),
        ("difficulty", 'kind = "vignette"\ndifficulty = 1', 'kind = "vignette"\ndifficulty = 3'),
        ("source", 'source = "Rogers, C.R. (1957).', 'source = "Rogers, C.R. (1957). Übersetzt.'),
    ],
)
def test_a_translation_keeps_kind_difficulty_and_source(bank: Bank, field: str, english: str, changed: str) -> None:
    found = problems_of(bank, GERMAN_EMPATHY.replace(english, changed, 1))
    assert len(found) == 1
    assert found[0].startswith(f"{QUIZ_FILE}: item empathy-001: {field}: ")
    assert found[0].endswith("and a translation keeps it")


def test_a_translation_declares_its_own_language(bank: Bank) -> None:
    assert problems_of(bank, GERMAN_EMPATHY.replace('locale = "de"', 'locale = "fr"')) == [
        f"{QUIZ_FILE}: item -: locale: 'fr'; a file in de/ declares locale = \"de\""
    ]
    assert problems_of(bank, GERMAN_EMPATHY.replace('locale = "de"\n', "")) == [
        f'{QUIZ_FILE}: item -: locale: missing; a file in de/ declares locale = "de"'
    ]


def test_a_translation_keeps_its_element_and_file(bank: Bank) -> None:
    assert problems_of(bank, GERMAN_EMPATHY.replace('element = "empathy"', 'element = "congruence"')) == [
        f"{QUIZ_FILE}: item empathy-001: element: 'congruence'; the English is 'empathy'",
        f"{QUIZ_FILE}: item empathy-002: element: 'congruence'; the English is 'empathy'",
    ]
    assert problems_of(bank, GERMAN_EMPATHY, "quiz/de/empathie.toml") == [
        "quiz/de/empathie.toml: item -: file: no English quiz/empathie.toml to translate"
    ]


def test_a_translation_is_checked_field_by_field_like_the_english(bank: Bank) -> None:
    found = problems_of(bank, GERMAN_EMPATHY.replace('stem = """Eine Klientin', 'stem = """' + "x" * 600 + "Eine"))
    assert len(found) == 1 and "item empathy-001: stem: " in found[0] and "at most 600 fit" in found[0]


def test_a_prompt_translation_keeps_stage_function_and_privacy(bank: Bank) -> None:
    # The English is stage "describe", function "formative", private: a translation dropping the last two would
    # send a private prompt into the group's rotation.
    prompt = next(p for p in prompt_bank() if p.id == "countertransference-p003")
    assert (prompt.stage, prompt.function, prompt.private) == ("describe", "formative", True)
    text = f'''element = "countertransference"
locale = "de"

[[prompts]]
id = "countertransference-p003"
stage = "feel"
text = "Erinnere dich an einen Moment, in dem etwas in einer Sitzung einen wunden Punkt bei dir berührt hat."
source = "{prompt.source}"
'''
    name = "prompts/de/countertransference.toml"
    assert problems_of(bank, text, name) == [
        f"{name}: item countertransference-p003: stage: 'feel'; the English has 'describe', and a translation keeps it",
        f"{name}: item countertransference-p003: function: None; the English has 'formative', and a translation "
        "keeps it",
        f"{name}: item countertransference-p003: private: False; the English has True, and a translation keeps it",
    ]


def test_a_broken_translation_is_refused_when_loaded(bank: Bank) -> None:
    with bank({QUIZ_FILE: GERMAN_EMPATHY.replace("difficulty = 1", "difficulty = 2")}), pytest.raises(ContentError):
        quiz_translations("de")


def test_an_import_declares_a_language_the_bot_speaks() -> None:
    assert check_locale(None, "ours.toml") == ("en", [])
    assert check_locale("de", "ours.toml") == ("de", [])
    assert check_locale("en-US", "ours.toml") == ("en", [])
    assert check_locale("en", "ours.toml") == ("en", [])
    language, problems = check_locale("es", "ours.toml")
    assert language == "en"
    assert [str(p) for p in problems] == [
        "ours.toml: item -: locale: 'es' is not a language of this bot; write one of en-US, de, fr, or leave it "
        "out for English"
    ]


def test_an_english_bank_declares_no_other_language(bank: Bank) -> None:
    english = (banks.BUNDLED / "quiz" / "empathy.toml").read_text(encoding="utf-8")
    with bank({"quiz/empathy.toml": 'locale = "de"\n' + english}):
        assert [str(p) for p in validate_bundled()] == [
            "quiz/empathy.toml: item -: locale: 'de'; an English bank declares no other language"
        ]


def test_every_bank_file_is_in_the_package_data() -> None:
    # A translation folder left out of pyproject's package-data would be missing from an installed bot.
    pyproject = tomllib.loads((PACKAGE.parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["bot.content"]
    packaged = {Path(f) for pattern in patterns for f in glob.glob(pattern, root_dir=PACKAGE)}
    bank_files = {f.relative_to(PACKAGE) for f in PACKAGE.rglob("*.toml")}
    assert {f for f in bank_files if f.parts[0] in ("quiz", "prompts")} <= packaged
    assert any(len(f.parts) == 3 for f in bank_files), "no translation folder to check"
