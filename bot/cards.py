"""Which cards and forms are alive in this process, and a hand-over for clicks that overtake them.

discord.py starts listening for a new card's controls only once it has read Discord's reply to the
message or form that shows it. A click can arrive over the gateway before that reply is read (a slow
reply, a busy loop); discord.py then drops it without a word. Every card registers here when it is
made, so such a click is handed to its card instead, and a click on no live card is known to be late.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from collections import deque
from typing import Any

import discord

Card = discord.ui.View | discord.ui.Modal

# Cards and forms alive in this process; a control whose card is not here has expired.
_LIVE: weakref.WeakSet[Card] = weakref.WeakSet()
# The click that finishes a card stops it before the expiry check sees the click, so a card stopped
# this recently still counts as having taken it.
STOPPED_GRACE_SECONDS = 10.0
_STOPPED_AT: weakref.WeakKeyDictionary[Card, float] = weakref.WeakKeyDictionary()
# Interactions discord.py itself handed to a card. Checked right after its dispatch, so a short memory is enough.
_TAKEN: deque[int] = deque(maxlen=256)
# A task nobody references can be collected mid-run; these are the hand-overs in flight.
_HANDED: set[asyncio.Task[None]] = set()


def track(card: Card) -> None:
    """Count a new card or form as live."""
    _LIVE.add(card)


def note_stopped(card: Card) -> None:
    _STOPPED_AT[card] = time.monotonic()


def note_taken(interaction: discord.Interaction) -> None:
    """discord.py handed this interaction to a card: nothing else need answer it."""
    _TAKEN.append(interaction.id)


def retire_cards() -> None:
    """Forget every card and form: the bot is closing, and they end with it."""
    for card in list(_LIVE):
        _LIVE.discard(card)
        card.stop()


def _owner(custom_id: str, *, grace: float) -> tuple[Card, discord.ui.Item[Any] | None] | None:
    """The card holding this custom id (and the control, for a view), if it is live or stopped within `grace`."""
    now = time.monotonic()
    for card in list(_LIVE):
        if card.is_finished() and now - _STOPPED_AT.get(card, float("-inf")) > grace:
            continue
        if isinstance(card, discord.ui.Modal):
            if card.custom_id == custom_id:
                return card, None
            continue
        for item in card.children:
            if getattr(item, "custom_id", None) == custom_id:
                return card, item
    return None


def is_live(custom_id: str) -> bool:
    """Whether a card or form in this process will take (or just took) an interaction with this custom id."""
    return _owner(custom_id, grace=STOPPED_GRACE_SECONDS) is not None


def hand_over(interaction: discord.Interaction) -> bool:
    """Give a click or form to its live card if discord.py did not; True when some card has it."""
    if interaction.id in _TAKEN:
        return True
    data: dict[str, Any] = dict(interaction.data or {})
    found = _owner(str(data.get("custom_id", "")), grace=0.0)
    if found is None:
        return False
    card, item = found
    # The same private entry points discord.py's own view store calls, so checks, state refresh,
    # timeouts and errors behave exactly as for a click that did not overtake its card.
    task: asyncio.Task[None] | None
    if isinstance(card, discord.ui.Modal):
        task = card._dispatch_submit(interaction, data.get("components", []), data.get("resolved", {}))
    elif item is not None:
        task = card._dispatch_item(item, interaction)
    else:
        return False
    if task is not None:
        _HANDED.add(task)
        task.add_done_callback(_HANDED.discard)
    return True
