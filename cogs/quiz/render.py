"""Embeds for questions, feedback, announcements and results."""

from __future__ import annotations

from datetime import datetime

import discord
from discord.utils import format_dt

from bot.content.banks import QuizItem
from bot.content.elements import element_name
from bot.content.localise import tagged_title
from bot.i18n import _, ngettext, percent

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
    # Translators: {level} is 1, 2 or 3.
    embed.set_footer(
        text=_("{element} · difficulty {level}/3").format(element=element_name(item.element), level=item.difficulty)
    )
    return embed


def feedback_embed(item: QuizItem, chosen: int, heading: str, note: str | None = None) -> discord.Embed:
    """Whether the answer was right, with the explanations of the chosen and the correct option."""
    right = chosen == item.correct_index
    embed = discord.Embed(
        # Translators: {heading} is "Question 2 of 5" or "Practice".
        title=tagged_title(
            (_("✅ Right · {heading}") if right else _("❌ Not quite · {heading}")).format(heading=heading), item
        ),
        description=item.stem,
        colour=discord.Colour.green() if right else discord.Colour.orange(),
    )
    picked = item.options[chosen]
    # Translators: {letter} is the option's letter (A-E); {option} is its text.
    chose = _("You chose {letter}: {option}").format(letter=LETTERS[chosen], option=picked.text)
    embed.add_field(name=chose[:256], value=picked.explanation, inline=False)
    if not right:
        correct = item.options[item.correct_index]
        embed.add_field(
            name=_("Correct: {letter}: {option}").format(letter=LETTERS[item.correct_index], option=correct.text)[:256],
            value=correct.explanation,
            inline=False,
        )
    source = _("Source: {source}").format(source=item.source)
    embed.set_footer(text=((f"{note}\n" if note else "") + source)[:2048])
    return embed


def announcement_embed(focus: str | None, count: int, closes_at: datetime | None) -> discord.Embed:
    """The channel post that opens a week's quiz."""
    topic = element_name(focus) if focus else _("mixed elements")
    lines = [
        # Translators: {topic} is an element of the therapeutic relationship, or "mixed elements".
        ngettext(
            "**{count} question** on {topic}. Take it privately: nobody sees your answers, "
            "and the group sees only anonymous totals when it closes.",
            "**{count} questions** on {topic}. Take it privately: nobody sees your answers, "
            "and the group sees only anonymous totals when it closes.",
            count,
        ).format(count=count, topic=topic),
    ]
    if closes_at is not None:
        # Translators: {when} is a date and time, {relative} the same as "in 3 days" (Discord shows both).
        lines.append(
            _("Closes {when} ({relative}).").format(when=format_dt(closes_at, "F"), relative=format_dt(closes_at, "R"))
        )
    return discord.Embed(
        title=_("📝 This week's quiz is open"), description="\n".join(lines), colour=discord.Colour.blurple()
    )


def share_line(counts: list[int], correct_index: int) -> str:
    """The share that chose each option, correct one marked."""
    total = sum(counts) or 1
    parts = []
    for i, count in enumerate(counts):
        text = f"{LETTERS[i]} {percent(count / total)}"
        parts.append(f"**{text} ✓**" if i == correct_index else text)
    return " · ".join(parts)


def result_embed(number: int, item: QuizItem, counts: list[int], k: int) -> discord.Embed:
    """One question's group result: the whole question, shares per option if k or more answered, the answer."""
    correct = item.options[item.correct_index]
    answered = sum(counts)
    if answered >= k:
        count = ngettext("{n} answered.", "{n} answered.", answered).format(n=answered)
        shares = f"{share_line(counts, item.correct_index)}\n{count}"
    elif answered:
        # One or two answers would show what those members chose, so no shares at all.
        shares = _("Fewer than {k} answered, so the shares are not shown.").format(k=k)
    else:
        shares = _("No answers.")
    # The whole question: its last sentence is the actual question. Embed descriptions hold 4,096.
    stem = item.stem if len(item.stem) <= STEM_LIMIT else item.stem[: STEM_LIMIT - 1] + "…"
    # Translators: "Q" stands for question; {number} is its place in the quiz.
    title = tagged_title(_("Q{number} · {element}").format(number=number, element=element_name(item.element)), item)
    embed = discord.Embed(title=title, description=f"{stem}\n\n{shares}")
    answer = _("Answer {letter}: {option}").format(letter=LETTERS[item.correct_index], option=correct.text)
    embed.add_field(name=answer[:256], value=correct.explanation, inline=False)
    return embed
