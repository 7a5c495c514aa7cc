"""What `supervision-bot check` reports about content: validity, surface-cue lint, and item statistics."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.content.banks import (
    bundled_languages,
    prompt_bank,
    prompt_translations,
    quiz_bank,
    quiz_item_from,
    quiz_translations,
    read_bank,
    validate_bundled,
)
from bot.content.item_stats import Answer, item_statistics, stats_lines
from bot.content.lint import lint_bank
from bot.content.validation import check_locale, check_quiz_item
from bot.db.connection import Database
from bot.db.repositories.quiz import QuizRepository, StatsAnswer
from bot.db.repositories.quiz_reports import QuizReportRepository, ReportCount

BUNDLED = "bot/content/quiz"


def bundled_problems() -> list[str]:
    """Return one line per invalid bundled item or failing lint figure; empty when the bundled banks pass."""
    problems = [str(p) for p in validate_bundled()]
    if problems:
        return problems
    return [f"{BUNDLED}: lint: {figure}" for figure in lint_bank(quiz_bank()) if not figure.ok]


def bundled_summary() -> str:
    """Return the line printed when the bundled banks pass."""
    figures = "; ".join(f"{f.name} {f.value}" for f in lint_bank(quiz_bank()))
    summary = f"Quiz bank: {len(quiz_bank())} items ok ({figures}). Prompt bank: {len(prompt_bank())} prompts ok."
    # Items without a translation are shown in English, tagged, so a partial translation is not an error.
    translated = [
        f"{language}: {len(quiz_translations(language))} of {len(quiz_bank())} quiz items, "
        f"{len(prompt_translations(language))} of {len(prompt_bank())} prompts"
        for language in bundled_languages()
    ]
    return summary + (f" Translations: {'; '.join(translated)}." if translated else "")


def import_report(path: str) -> tuple[list[str], list[str]]:
    """Check a bank file as `/quiz bank import` would: (errors, lint warnings)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [f"{path}: file: cannot read it ({exc.__class__.__name__})"], []
    bank = read_bank(text, path, "items", check_quiz_item, {item.id for item in quiz_bank()})
    language, locale_problems = check_locale(bank.locale, path)
    problems = locale_problems + bank.problems
    if problems:
        return [str(p) for p in problems], []
    items = [quiz_item_from(raw, raw.get("element", bank.element), language) for raw in bank.entries]
    # Imported banks are the group's own: cues are pointed out, not refused.
    return [], [f"{path}: lint warning: {figure}" for figure in lint_bank(items) if not figure.ok]


async def _answers(path: str) -> tuple[list[StatsAnswer], dict[str, ReportCount]]:

    db = await Database.open(path)
    try:
        return await QuizRepository(db).answers_for_item_stats(), await QuizReportRepository(db).counts_by_item()
    finally:
        await db.close()


def report_lines(counts: dict[str, ReportCount], bundled: set[str]) -> list[str]:
    """Members' reports of bundled items across servers, most reported first (no names, no server ids)."""
    reported = sorted(
        ((c.reports, c.servers, i) for i, c in counts.items() if i in bundled), key=lambda r: (-r[0], r[2])
    )
    if not reported:
        return ["Reports: no bundled item has been reported."]
    return ["Reports of bundled items (reports, servers):"] + [f"  {i}: {n}, {s}" for n, s, i in reported]


def item_stats_report(path: str, k: int) -> tuple[list[str], list[str]]:
    """Item statistics for the bundled items across every server in a database: (errors, lines)."""
    if not Path(path).is_file():
        return [f"{path}: --item-stats: no database file at this path"], []
    try:
        rows, reports = asyncio.run(_answers(path))
    except Exception as exc:  # a foreign or unmigrated file: say so in one line instead of a traceback
        return [f"{path}: --item-stats: not a supervision-bot database with quiz answers ({exc})"], []
    # A member is a (server, user) pair: the same person in two servers answers as two members.
    answers = [Answer((r.guild_id, r.user_id), r.item_id, r.choice, r.correct) for r in rows]
    bundled = {item.id: item for item in quiz_bank()}
    stats = item_statistics(answers, bundled, k)
    return [], [*stats_lines(stats, k), *report_lines(reports, set(bundled))]
