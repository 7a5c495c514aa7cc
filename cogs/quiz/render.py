"""Embeds for questions, feedback, announcements and results."""

from __future__ import annotations

from datetime import datetime

import discord
from discord.utils import format_dt

from bot.content.banks import QuizItem
from bot.content.elements import element_name
from bot.content.localise import tagged_title

LETTERS = "ABCDE"
STEM_LIMIT = 3500  # leaves room in the 4,096-character description for the shares


def options_block(item: QuizItem) -> str:
    """The lettered option texts."""
    return "\n".join(f"**{LETTERS[i]}.** {option.text}" for i, option in enumerate(item.options))


def question_embed(item: QuizItem, heading: str) -> discord.Embed:
    """One question with its full option texts."""
    embed = discord.Embed(
        title=tagged_title(heading, item),
        description=f"{item.stem}\n\n{options_block(item)}",
        colour=discord.Colour.blurple(),
    )
    embed.set_footer(text=f"{element_name(item.element)} · difficulty {item.difficulty}/3")
    return embed


def feedback_embed(item: QuizItem, chosen: int, heading: str, note: str | None = None) -> discord.Embed:
    """Whether the answer was right, with the explanations of the chosen and the correct option."""
    right = chosen == item.correct_index
    embed = discord.Embed(
        title=tagged_title(f"{'✅ Right' if right else '❌ Not quite'} · {heading}", item),
        description=item.stem,
        colour=discord.Colour.green() if right else discord.Colour.orange(),
    )
    picked = item.options[chosen]
    embed.add_field(name=f"You chose {LETTERS[chosen]}: {picked.text}"[:256], value=picked.explanation, inline=False)
    if not right:
        correct = item.options[item.correct_index]
        embed.add_field(
            name=f"Correct: {LETTERS[item.correct_index]}: {correct.text}"[:256],
            value=correct.explanation,
            inline=False,
        )
    embed.set_footer(text=(f"{note}\n" if note else "") + f"Source: {item.source}"[:2000])
    return embed


def announcement_embed(focus: str | None, count: int, closes_at: datetime | None) -> discord.Embed:
    """The channel post that opens a week's quiz."""
    topic = element_name(focus) if focus else "mixed elements"
    lines = [
        f"**{count} questions** on {topic}. Take it privately: nobody sees your answers, "
        "and the group sees only anonymous totals when it closes.",
    ]
    if closes_at is not None:
        lines.append(f"Closes {format_dt(closes_at, 'F')} ({format_dt(closes_at, 'R')}).")
    return discord.Embed(
        title="📝 This week's quiz is open", description="\n".join(lines), colour=discord.Colour.blurple()
    )


def share_line(counts: list[int], correct_index: int) -> str:
    """The share that chose each option, correct one marked."""
    total = sum(counts) or 1
    parts = []
    for i, count in enumerate(counts):
        text = f"{LETTERS[i]} {round(100 * count / total)}%"
        parts.append(f"**{text} ✓**" if i == correct_index else text)
    return " · ".join(parts)


def result_embed(number: int, item: QuizItem, counts: list[int], k: int) -> discord.Embed:
    """One question's group result: the whole question, shares per option if k or more answered, the answer."""
    correct = item.options[item.correct_index]
    answered = sum(counts)
    if answered >= k:
        shares = f"{share_line(counts, item.correct_index)}\n{answered} answered."
    elif answered:
        # One or two answers would show what those members chose, so no shares at all.
        shares = f"Fewer than {k} answered, so the shares are not shown."
    else:
        shares = "No answers."
    # The whole question: its last sentence is the actual question. Embed descriptions hold 4,096.
    stem = item.stem if len(item.stem) <= STEM_LIMIT else item.stem[: STEM_LIMIT - 1] + "…"
    title = tagged_title(f"Q{number} · {element_name(item.element)}", item)
    embed = discord.Embed(title=title, description=f"{stem}\n\n{shares}")
    embed.add_field(
        name=f"Answer {LETTERS[item.correct_index]}: {correct.text}"[:256], value=correct.explanation, inline=False
    )
    return embed
