"""Persistent buttons for replies to check-ins: on the digest (supervisors) and on a supervisor's private view.

The replies flow builds these buttons, so they reach it through FLOWS, bound by the feature's setup.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Protocol

import discord

from bot.flows import FlowBinding
from bot.i18n import _
from bot.ui import button, client_of, guarded, persistent_view

if TYPE_CHECKING:
    from bot.client import SupervisionBot


class ReplyFlows(Protocol):
    """What the reply buttons start (cogs.checkin.replies)."""

    async def open_reply_form(
        self, bot: SupervisionBot, interaction: discord.Interaction, checkin_id: str, number: int
    ) -> None: ...

    async def show_thread(
        self, bot: SupervisionBot, interaction: discord.Interaction, checkin_id: str, number: int
    ) -> None: ...

    async def post_reply(
        self, bot: SupervisionBot, interaction: discord.Interaction, reply_id: str, number: int
    ) -> None: ...


FLOWS: FlowBinding[ReplyFlows] = FlowBinding("check-in reply")

_ID = r"[0-9a-f]{32}"


def reply_buttons(shown: list[tuple[int, str]]) -> discord.ui.View | None:
    """Two buttons per check-in of a digest message: write a reply, and see the replies with answers."""
    if not shown:
        return None
    items: list[discord.ui.Item] = []
    for number, checkin_id in shown:
        items += [ReplyToCheckIn(checkin_id, number), SeeReplies(checkin_id, number)]
    return persistent_view(*items)


class ReplyToCheckIn(
    discord.ui.DynamicItem[discord.ui.Button], template=rf"sv:checkin:reply:(?P<checkin>{_ID}):(?P<n>\d+)"
):
    """Supervisors: open the form to reply privately to one check-in."""

    def __init__(self, checkin_id: str, number: int) -> None:
        super().__init__(
            button(f"sv:checkin:reply:{checkin_id}:{number}", _("Reply to #{number}").format(number=number))
        )
        self.checkin_id, self.number = checkin_id, number

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ReplyToCheckIn:
        return cls(match["checkin"], int(match["n"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        work = FLOWS.flows.open_reply_form(client_of(interaction), interaction, self.checkin_id, self.number)
        await guarded(interaction, "checkin reply", work)


class SeeReplies(
    discord.ui.DynamicItem[discord.ui.Button], template=rf"sv:checkin:thread:(?P<checkin>{_ID}):(?P<n>\d+)"
):
    """Supervisors: see a check-in's replies and the author's answers, privately."""

    def __init__(self, checkin_id: str, number: int) -> None:
        super().__init__(
            button(f"sv:checkin:thread:{checkin_id}:{number}", _("Replies #{number}").format(number=number))
        )
        self.checkin_id, self.number = checkin_id, number

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> SeeReplies:
        return cls(match["checkin"], int(match["n"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        work = FLOWS.flows.show_thread(client_of(interaction), interaction, self.checkin_id, self.number)
        await guarded(interaction, "checkin replies", work)


class PostReply(discord.ui.DynamicItem[discord.ui.Button], template=rf"sv:checkin:post:(?P<reply>{_ID}):(?P<n>\d+)"):
    """Supervisors: post one of their replies to the group, which is never done without this press."""

    def __init__(self, reply_id: str, number: int, reply_number: int = 0) -> None:
        label = (
            _("Post reply {number} to the group").format(number=reply_number)
            if reply_number
            else _("Post this reply to the group")
        )
        super().__init__(button(f"sv:checkin:post:{reply_id}:{number}", label))
        self.reply_id, self.number = reply_id, number

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> PostReply:
        return cls(match["reply"], int(match["n"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        work = FLOWS.flows.post_reply(client_of(interaction), interaction, self.reply_id, self.number)
        await guarded(interaction, "checkin post reply", work)


DYNAMIC_ITEMS = (ReplyToCheckIn, SeeReplies, PostReply)
