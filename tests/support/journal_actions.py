"""A member writing in their private journal, as sandbox actions, for any test that needs entries."""

from __future__ import annotations

from tests.e2e.conftest import custom_ids


async def write_entry(h, member, text: str):  # type: ignore[no-untyped-def]
    """Ask for a prompt, press Write a reflection, submit the form; return the confirmation."""
    shown = await h.run(member, "reflect prompt")
    write = next(c for c in custom_ids(shown) if c.startswith("sv:reflect:write:"))
    opened = await h.sandbox.click(member, shown.message, write)
    modal = await opened.modal()
    field = modal["components"][0]["components"][0]["custom_id"]
    return await (await h.sandbox.submit_modal(member, opened, {field: text})).response()
