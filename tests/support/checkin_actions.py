"""What a member does with the check-in card, as a sequence of sandbox actions, for any test that needs check-ins."""

from __future__ import annotations

from tests.e2e.conftest import set_up_group


def component_id(source, *, label: str | None = None, kind: int | None = None, index: int = 0) -> str:  # type: ignore[no-untyped-def]
    found = [
        c
        for row in source.components
        for c in row.get("components", [])
        if (label is None or c.get("label", "").startswith(label)) and (kind is None or c.get("type") == kind)
    ]
    return found[index]["custom_id"]


async def check_in(  # type: ignore[no-untyped-def]
    h,
    member,
    dimensions=("helpless",),
    intensity="3",
    text=None,
    share=False,
    raise_it=False,
    submit_anyway=False,
    cw_topic=None,
    cw_words=None,
):
    """Fill the check-in card as a member would; return the final response."""
    sb = h.sandbox
    card = await (await sb.invoke(h.group.guild, member, "checkin new")).response()
    assert card.ephemeral
    card = await (
        await sb.select(member, card.message, component_id(card, kind=3, index=0), list(dimensions))
    ).response()
    card = await (await sb.select(member, card.message, component_id(card, kind=3, index=1), [intensity])).response()
    if share:
        card = await (await sb.click(member, card.message, component_id(card, label="Share my words"))).response()
    if raise_it:
        card = await (await sb.click(member, card.message, component_id(card, label="Raise at meeting"))).response()
    if cw_topic is not None:
        card = await (await sb.select(member, card.message, component_id(card, kind=3, index=2), [cw_topic])).response()
    if text is None:
        return await (await sb.click(member, card.message, component_id(card, label="Submit without text"))).response()
    opened = await sb.click(member, card.message, component_id(card, label="Write"))
    modal = await opened.modal()
    field = modal["components"][0]["components"][0]["custom_id"]
    values = {field: text}
    if cw_words is not None:
        values[modal["components"][1]["components"][0]["custom_id"]] = cw_words
    answer = await (await sb.submit_modal(member, opened, values)).response()
    if submit_anyway and "Submit anyway" in str(answer.components):
        answer = await (await sb.click(member, answer.message, component_id(answer, label="Submit anyway"))).response()
    return answer


def code_of(response) -> str:  # type: ignore[no-untyped-def]
    text = response.content
    return text.split("`")[1]


async def schedule_digest(h) -> None:  # type: ignore[no-untyped-def]
    await set_up_group(h)
    await h.run(h.group.supervisor, "schedule set", kind="checkin_digest", days="Wed", time="12:00")
