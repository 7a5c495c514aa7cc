"""The one private notice a member gets after DMs to them failed: what failed, why, and what they can do."""

from __future__ import annotations

from collections.abc import Sequence

from bot.command_translator import shown_commands
from bot.db.repositories.deliveries import DeliveryFailure
from bot.i18n import _, ngettext
from cogs.reflect.delivery_reasons import member_can_help, shown_reason


def _what_failed(features: set[str], count: int) -> str:
    """The notice's first sentence, naming the kind of DM (dm_failures.feature) when all were of one kind."""
    if features == {"reflect"}:
        return ngettext(
            "I couldn't send you {count} reflective prompt by DM: {reason}.",
            "I couldn't send you {count} reflective prompts by DM: {reason}.",
            count,
        )
    if features == {"quiz"}:
        return ngettext(
            "I couldn't send you {count} quiz reminder by DM: {reason}.",
            "I couldn't send you {count} quiz reminders by DM: {reason}.",
            count,
        )
    if features == {"meeting"}:
        return ngettext(
            "I couldn't send you {count} message about a meeting by DM: {reason}.",
            "I couldn't send you {count} messages about meetings by DM: {reason}.",
            count,
        )
    return ngettext(
        "I couldn't send you {count} direct message: {reason}.",
        "I couldn't send you {count} direct messages: {reason}.",
        count,
    )


def failure_notice(failures: Sequence[DeliveryFailure]) -> str:
    """The notice for a member's failed DMs, oldest first: the latest reason, and advice only if it can help."""
    last = failures[-1].reason
    text = _what_failed({f.feature for f in failures}, len(failures)).format(
        count=len(failures), reason=shown_reason(last)
    )
    if member_can_help(last):
        text += " " + _("To get them, allow direct messages from server members in this server's privacy settings.")
    if any("paused" in f.reason for f in failures):  # the stored reason is English (delivery_reasons)
        text += " " + shown_commands(_("Your DM subscription is paused; `/reflect subscribe` starts it again."))
    return text
