"""`supervision-bot check`: the bank lint on the bundled bank, imported banks as warnings, item statistics."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from bot.content.banks import prompt_bank, prompt_translations, quiz_bank, quiz_translations

ROOT = Path(__file__).resolve().parents[2]
CUED_ITEM = """
[[items]]
id = "own-{n:03d}"
kind = "recall"
difficulty = 1
stem = "Which is right?"
source = "Someone, A. (2020). A work."

[[items.options]]
text = "It depends on the client, the moment and what the two of them have agreed so far."
explanation = "Right."
correct = true

[[items.options]]
text = "Always."
explanation = "Wrong."

[[items.options]]
text = "Never at all."
explanation = "Wrong."
"""


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, cwd=ROOT, timeout=60)


def _config(tmp_path: Path) -> Path:
    config = tmp_path / "config.toml"
    config.write_text('[storage]\ndatabase = "bot.sqlite3"\n')
    return config


def test_check_reports_the_bundled_lint_figures() -> None:
    result = _cli("check", "--config", "config.example.toml")
    assert result.returncode == 0, result.stderr
    assert f"Quiz bank: {len(quiz_bank())} items ok (keyed-longest share " in result.stdout
    assert "absolute-word ratio" in result.stdout and "key positions" in result.stdout


def test_an_imported_bank_full_of_cues_gets_warnings_not_an_error(tmp_path: Path) -> None:
    bank = tmp_path / "ours.toml"
    bank.write_text('element = "empathy"\n' + "".join(CUED_ITEM.format(n=n) for n in range(12)))
    result = _cli("check", "--config", str(_config(tmp_path)), "--bank", str(bank))
    assert result.returncode == 0, result.stderr
    warnings = result.stderr.splitlines()
    assert f"supervision-bot: {bank}: lint warning: keyed-longest share: 12/12 = 100%" in warnings[0]
    assert any("absolute-word ratio" in w and "keys only" not in w for w in warnings)
    assert any("key positions" in w for w in warnings)


def test_an_invalid_imported_bank_is_one_line_naming_file_item_and_field(tmp_path: Path) -> None:
    bank = tmp_path / "broken.toml"
    bank.write_text('element = "empathy"\n' + CUED_ITEM.format(n=1).replace("difficulty = 1", "difficulty = 7"))
    result = _cli("check", "--config", str(_config(tmp_path)), "--bank", str(bank))
    assert result.returncode == 2
    assert result.stderr == f"supervision-bot: {bank}: item own-001: difficulty: 7 is not 1, 2 or 3\n"


def test_an_imported_bank_names_a_language_the_bot_speaks(tmp_path: Path) -> None:
    bank = tmp_path / "ours.toml"
    bank.write_text('element = "empathy"\nlocale = "es"\n' + CUED_ITEM.format(n=1))
    result = _cli("check", "--config", str(_config(tmp_path)), "--bank", str(bank))
    assert result.returncode == 2
    assert result.stderr == (
        f"supervision-bot: {bank}: item -: locale: 'es' is not a language of this bot; write one of en-US, de, fr, "
        "or leave it out for English\n"
    )
    bank.write_text('element = "empathy"\nlocale = "de"\n' + CUED_ITEM.format(n=1))
    assert _cli("check", "--config", str(_config(tmp_path)), "--bank", str(bank)).returncode == 0


def test_check_says_how_much_of_each_bank_is_translated() -> None:
    result = _cli("check", "--config", "config.example.toml")
    assert result.returncode == 0, result.stderr
    items, prompts = len(quiz_translations("de")), len(prompt_translations("de"))
    assert prompts == len(prompt_bank())  # every prompt is in German
    line = f"Translations: de: {items} of {len(quiz_bank())} quiz items, {prompts} of {len(prompt_bank())} prompts."
    assert line in result.stdout


def _seed(db: Path, members: int, item_id: str) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO quiz_weeks (id, guild_id, week, channel_id, opened_at) VALUES (1, 10, '2026-01-05', 20, 0)"
        )
        conn.execute("INSERT INTO quiz_week_items (quiz_id, position, item_id) VALUES (1, 0, ?)", (item_id,))
        key = next(i.correct_index for i in quiz_bank() if i.id == item_id)
        for user in range(members):
            right = user % 2 == 0
            conn.execute(
                "INSERT INTO quiz_answers (quiz_id, position, user_id, guild_id, choice, correct, answered_at)"
                " VALUES (1, 0, ?, 10, ?, ?, ?)",
                (100 + user, key if right else (key + 1) % 4, int(right), user),
            )


def test_item_stats_print_for_the_operator_only_above_k(tmp_path: Path) -> None:
    config = _config(tmp_path)
    assert _cli("migrate", "--config", str(config)).returncode == 0
    _seed(tmp_path / "bot.sqlite3", 3, "empathy-001")
    result = _cli("check", "--config", str(config), "--item-stats", str(tmp_path / "bot.sqlite3"))
    assert result.returncode == 0, result.stderr
    assert "empathy-001: n=3, facility 67%" in result.stdout


def test_item_stats_below_k_show_nothing(tmp_path: Path) -> None:
    config = _config(tmp_path)
    assert _cli("migrate", "--config", str(config)).returncode == 0
    _seed(tmp_path / "bot.sqlite3", 2, "empathy-001")
    result = _cli("check", "--config", str(config), "--item-stats", str(tmp_path / "bot.sqlite3"))
    assert "empathy-001" not in result.stdout
    assert "No item has answers from at least 3 members yet" in result.stdout


def test_item_stats_on_a_missing_database_is_one_line(tmp_path: Path) -> None:
    result = _cli("check", "--config", str(_config(tmp_path)), "--item-stats", str(tmp_path / "nope.db"))
    assert result.returncode == 2
    assert result.stderr == f"supervision-bot: {tmp_path / 'nope.db'}: --item-stats: no database file at this path\n"


def test_item_stats_add_cross_server_report_counts_for_bundled_items(tmp_path: Path) -> None:
    config = _config(tmp_path)
    assert _cli("migrate", "--config", str(config)).returncode == 0
    with sqlite3.connect(tmp_path / "bot.sqlite3") as conn:
        rows = [(10, "empathy-001", 1), (10, "empathy-001", 2), (11, "empathy-001", 3), (10, "custom-abc", 1)]
        conn.executemany(
            "INSERT INTO quiz_item_reports (guild_id, item_id, user_id, reason, reported_at) VALUES (?, ?, ?, 'x', 0)",
            rows,
        )
    result = _cli("check", "--config", str(config), "--item-stats", str(tmp_path / "bot.sqlite3"))
    assert result.returncode == 0, result.stderr
    assert "Reports of bundled items (reports, servers):\n  empathy-001: 3, 2" in result.stdout
    assert "custom-abc" not in result.stdout  # a server's own items are its own business
