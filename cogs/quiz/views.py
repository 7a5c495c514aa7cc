"""Persistent quiz buttons (DynamicItems): they keep working after the bot restarts.

The flow builds these buttons, so they reach the flow through FLOWS, bound by the feature's setup.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Protocol

import discord

from bot.flows import FlowBinding
from bot.i18n import _
from bot.ui import button, client_of, guarded, persistent_view
from cogs.quiz.render import LETTERS

if TYPE_CHECKING:
    from bot.client import SupervisionBot


class QuizFlows(Protocol):
    """What the quiz buttons start (cogs.quiz.flow)."""

    async def take(
        self, bot: SupervisionBot, interaction: discord.Interaction, quiz_id: int, *, edit: bool
    ) -> None: ...

    async def answer(
        self, bot: SupervisionBot, interaction: discord.Interaction, quiz_id: int, position: int, choice: int
    ) -> None: ...

    async def replay(
        self, bot: SupervisionBot, interaction: discord.Interaction, quiz_id: int, position: int
    ) -> None: ...

    async def replay_answer(
        self, bot: SupervisionBot, interaction: discord.Interaction, quiz_id: int, position: int, choice: int
    ) -> None: ...

    async def practice_question(
        self, bot: SupervisionBot, interaction: discord.Interaction, element: str | None, *, edit: bool
    ) -> None: ...

    async def practice_answer(
        self, bot: SupervisionBot, interaction: discord.Interaction, item_id: str, choice: int, element: str | None
    ) -> None: ...


FLOWS: FlowBinding[QuizFlows] = FlowBinding("quiz")


def single(item: discord.ui.DynamicItem, label: str) -> discord.ui.View:
    """A view with one persistent button, relabelled."""
    item.item.label = label
    return persistent_view(item)


def replay_next(quiz_id: int, position: int, total: int) -> discord.ui.View | None:
    """The 'next practice question' button for a closed quiz, if any question is left."""
    if position + 1 >= total:
        return None
    return single(ReplayQuestion(quiz_id, position + 1), label=_("Next question (practice)"))


class TakeQuiz(discord.ui.DynamicItem[discord.ui.Button], template=r"sv:quiz:take:(?P<quiz>\d+)"):
    """The channel button that opens the week's quiz privately."""

    def __init__(self, quiz_id: int) -> None:
        super().__init__(button(f"sv:quiz:take:{quiz_id}", _("Take this week's quiz"), discord.ButtonStyle.primary))
        self.quiz_id = quiz_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> TakeQuiz:
        return cls(int(match["quiz"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(
            interaction, "quiz take", FLOWS.flows.take(client_of(interaction), interaction, self.quiz_id, edit=False)
        )


class AnswerQuestion(
    discord.ui.DynamicItem[discord.ui.Button], template=r"sv:quiz:answer:(?P<quiz>\d+):(?P<pos>\d+):(?P<choice>\d)"
):
    """A lettered answer button of a counted quiz question."""

    def __init__(self, quiz_id: int, position: int, choice: int) -> None:
        super().__init__(button(f"sv:quiz:answer:{quiz_id}:{position}:{choice}", LETTERS[choice]))
        self.quiz_id, self.position, self.choice = quiz_id, position, choice

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> AnswerQuestion:
        return cls(int(match["quiz"]), int(match["pos"]), int(match["choice"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        work = FLOWS.flows.answer(client_of(interaction), interaction, self.quiz_id, self.position, self.choice)
        await guarded(interaction, "quiz answer", work)


class NextQuestion(discord.ui.DynamicItem[discord.ui.Button], template=r"sv:quiz:next:(?P<quiz>\d+)"):
    """Move on to the member's next unanswered question."""

    def __init__(self, quiz_id: int) -> None:
        super().__init__(button(f"sv:quiz:next:{quiz_id}", _("Next question"), discord.ButtonStyle.primary))
        self.quiz_id = quiz_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> NextQuestion:
        return cls(int(match["quiz"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(
            interaction, "quiz next", FLOWS.flows.take(client_of(interaction), interaction, self.quiz_id, edit=True)
        )


class ReplayQuestion(discord.ui.DynamicItem[discord.ui.Button], template=r"sv:quiz:replay:(?P<quiz>\d+):(?P<pos>\d+)"):
    """Show a closed quiz's question as practice."""

    def __init__(self, quiz_id: int, position: int) -> None:
        super().__init__(button(f"sv:quiz:replay:{quiz_id}:{position}", _("Practise"), discord.ButtonStyle.primary))
        self.quiz_id, self.position = quiz_id, position

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ReplayQuestion:
        return cls(int(match["quiz"]), int(match["pos"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        work = FLOWS.flows.replay(client_of(interaction), interaction, self.quiz_id, self.position)
        await guarded(interaction, "quiz replay", work)


class ReplayAnswer(
    discord.ui.DynamicItem[discord.ui.Button], template=r"sv:quiz:replayed:(?P<quiz>\d+):(?P<pos>\d+):(?P<choice>\d)"
):
    """A practice answer to a closed quiz's question; nothing is stored."""

    def __init__(self, quiz_id: int, position: int, choice: int) -> None:
        super().__init__(button(f"sv:quiz:replayed:{quiz_id}:{position}:{choice}", LETTERS[choice]))
        self.quiz_id, self.position, self.choice = quiz_id, position, choice

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ReplayAnswer:
        return cls(int(match["quiz"]), int(match["pos"]), int(match["choice"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        work = FLOWS.flows.replay_answer(client_of(interaction), interaction, self.quiz_id, self.position, self.choice)
        await guarded(interaction, "quiz replay answer", work)


class PracticeAnswer(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"sv:quiz:practice:(?P<item>[a-z0-9_-]+):(?P<choice>\d):(?P<element>[a-z_]*)",
):
    """An answer to a practice question; nothing is stored."""

    def __init__(self, item_id: str, choice: int, element: str | None) -> None:
        super().__init__(button(f"sv:quiz:practice:{item_id}:{choice}:{element or ''}", LETTERS[choice]))
        self.item_id, self.choice, self.element = item_id, choice, element

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> PracticeAnswer:
        return cls(match["item"], int(match["choice"]), match["element"] or None)

    async def callback(self, interaction: discord.Interaction) -> None:
        work = FLOWS.flows.practice_answer(client_of(interaction), interaction, self.item_id, self.choice, self.element)
        await guarded(interaction, "quiz practice", work)


class PracticeNext(discord.ui.DynamicItem[discord.ui.Button], template=r"sv:quiz:practice-next:(?P<element>[a-z_]*)"):
    """Another practice question."""

    def __init__(self, element: str | None) -> None:
        super().__init__(button(f"sv:quiz:practice-next:{element or ''}", _("Another question")))
        self.element = element

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> PracticeNext:
        return cls(match["element"] or None)

    async def callback(self, interaction: discord.Interaction) -> None:
        work = FLOWS.flows.practice_question(client_of(interaction), interaction, self.element, edit=True)
        await guarded(interaction, "quiz practice", work)


DYNAMIC_ITEMS = (TakeQuiz, AnswerQuestion, NextQuestion, ReplayQuestion, ReplayAnswer, PracticeAnswer, PracticeNext)
