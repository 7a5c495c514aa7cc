"""Persistent buttons under a question's feedback: how sure you were, and reporting a problem with the item.

The report flow builds these buttons, so they reach it through FLOWS, bound by the feature's setup.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Protocol

import discord

from bot.flows import FlowBinding
from bot.i18n import _
from bot.ui import button, client_of, guarded
from cogs.quiz.confidence import level_name

if TYPE_CHECKING:
    from bot.client import SupervisionBot


class FeedbackFlows(Protocol):
    """What the feedback buttons start (cogs.quiz.reports)."""

    async def record_confidence(
        self, bot: SupervisionBot, interaction: discord.Interaction, quiz_id: int, position: int, level: int
    ) -> None: ...

    async def choose_reason(self, bot: SupervisionBot, interaction: discord.Interaction, item_id: str) -> None: ...

    async def act_on_reports(
        self, bot: SupervisionBot, interaction: discord.Interaction, action: str, item_id: str
    ) -> None: ...


FLOWS: FlowBinding[FeedbackFlows] = FlowBinding("quiz feedback")


class Confidence(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"sv:quiz:sure:(?P<quiz>\d+):(?P<pos>\d+):(?P<level>[123])",
):
    """How sure the member was of a counted answer; optional, the first tap counts."""

    def __init__(self, quiz_id: int, position: int, level: int) -> None:
        super().__init__(button(f"sv:quiz:sure:{quiz_id}:{position}:{level}", level_name(level)))
        self.quiz_id, self.position, self.level = quiz_id, position, level

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> Confidence:
        return cls(int(match["quiz"]), int(match["pos"]), int(match["level"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        work = FLOWS.flows.record_confidence(
            client_of(interaction), interaction, self.quiz_id, self.position, self.level
        )
        await guarded(interaction, "quiz confidence", work)


class ReportItem(discord.ui.DynamicItem[discord.ui.Button], template=r"sv:quiz:report:(?P<item>[a-z0-9_-]+)"):
    """Report a wrong or ambiguous question to the supervisors."""

    def __init__(self, item_id: str) -> None:
        super().__init__(button(f"sv:quiz:report:{item_id}", _("Report a problem with this question")))
        self.item_id = item_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ReportItem:
        return cls(match["item"])

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(
            interaction, "quiz report", FLOWS.flows.choose_reason(client_of(interaction), interaction, self.item_id)
        )


class ReportAction(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"sv:quiz:reports:(?P<action>resolve|disable):(?P<item>[a-z0-9_-]+)",
):
    """Supervisors: mark an item's reports as looked at (unpausing it), or switch the item off."""

    def __init__(self, action: str, item_id: str) -> None:
        # Translators: {item} is a question's id, such as "empathy-03".
        label = (
            _("Keep {item}").format(item=item_id)
            if action == "resolve"
            else _("Switch off {item}").format(item=item_id)
        )
        style = discord.ButtonStyle.secondary if action == "resolve" else discord.ButtonStyle.danger
        super().__init__(button(f"sv:quiz:reports:{action}:{item_id}"[:100], label[:80], style))
        self.action, self.item_id = action, item_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ReportAction:
        return cls(match["action"], match["item"])

    async def callback(self, interaction: discord.Interaction) -> None:
        work = FLOWS.flows.act_on_reports(client_of(interaction), interaction, self.action, self.item_id)
        await guarded(interaction, "quiz reports", work)


DYNAMIC_ITEMS = (Confidence, ReportItem, ReportAction)
