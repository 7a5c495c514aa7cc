"""Attendance by button, a supervisor's confirmation, hours per month, and the record as CSV and PDF."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pypdf

from tests.e2e.conftest import custom_ids, embed_text
from tests.e2e.meeting_support import MEETING, advance_to, attendance_post, mark_present, set_up_meetings
from tests.support.db import db_rows


async def confirm_all(h, meeting: str | None = None):  # type: ignore[no-untyped-def]
    """Open the attendance card as the supervisor and press Confirm attendance."""
    options = {"meeting": meeting} if meeting else {}
    card = await h.run(h.group.supervisor, "meeting attendance", **options)
    confirm = next(c for row in card.components for c in row["components"] if c.get("label") == "Confirm attendance")
    return card, await (await h.sandbox.click(h.group.supervisor, card.message, confirm["custom_id"])).response()


async def test_members_mark_themselves_present_and_a_supervisor_confirms(make_harness) -> None:
    async with make_harness() as h:
        await set_up_meetings(h, "meeting_attendance")
        a, b, c, d = h.group.trainees
        await advance_to(h, MEETING + timedelta(minutes=1))
        post = attendance_post(h)
        assert "Supervision meeting" in post.content and "Mark me present" in post.content
        marked = await mark_present(h, a)
        assert marked.ephemeral and "Marked present" in marked.content and "1.5 h" in marked.content
        assert "already marked present" in (await mark_present(h, a)).content
        await mark_present(h, b)
        refused = await mark_present(h, h.group.supervisor)
        assert "Supervisors don't mark themselves present" in refused.content
        await h.advance(timedelta(hours=3))  # attendance closes three hours after the start
        late = await mark_present(h, c)
        assert "Attendance for this meeting closed" in late.content and "/meeting attendance" in late.content
        assert db_rows(h, "SELECT user_id, source FROM meeting_attendance ORDER BY user_id") == sorted(
            [(a.id, "button"), (b.id, "button")]
        )

        # The supervisor adds the late member, removes nobody, and confirms everyone at once.
        card = await h.run(h.group.supervisor, "meeting attendance")
        assert card.ephemeral and f"<@{a.id}>" in card.content and "2 awaiting confirmation" in card.content
        add = next(c for row in card.components for c in row["components"] if c["type"] == 5)
        added = await (await h.sandbox.select(h.group.supervisor, card.message, add["custom_id"], [c])).response()
        assert f"<@{c.id}>" in added.content and "added by a supervisor" in added.content
        _, confirmed = await confirm_all(h)
        assert "Confirmed 3 now" in confirmed.content and "confirmed by Dr Supervisor" in confirmed.content
        assert card.data.get("allowed_mentions") == {"parse": []}
        assert db_rows(h, "SELECT COUNT(*) FROM meeting_attendance WHERE confirmed_at IS NULL") == [(0,)]
        assert db_rows(h, "SELECT DISTINCT confirmer_user_id, confirmed_by_name FROM meeting_attendance") == [
            (h.group.supervisor.id, "Dr Supervisor")
        ]
        # A member can't open the supervisors' card.
        denied = await h.run(d, "meeting attendance")
        assert "Only supervisors can do this" in denied.content


async def test_hours_per_month_and_the_export_match_the_record(make_harness, tmp_path) -> None:
    async with make_harness() as h:
        await set_up_meetings(h, "meeting_attendance")
        a, b = h.group.trainees[:2]
        await h.run(h.group.supervisor, "meeting settings", minutes=120)
        await advance_to(h, MEETING + timedelta(minutes=1))
        await mark_present(h, a)
        await mark_present(h, b)
        await confirm_all(h)
        await advance_to(h, MEETING + timedelta(weeks=1, minutes=1))
        await mark_present(h, a)  # the second meeting stays unconfirmed
        logged = await h.run(
            h.group.supervisor,
            "meeting individual",
            supervisee=a,
            date="2026-02-20",
            minutes=50,
            mode="online",
            topic="Endings and @everyone",
        )
        assert "Logged and confirmed" in logged.content and logged.data.get("allowed_mentions") == {"parse": []}

        shown = await h.run(a, "hours show")
        text = embed_text(shown.embeds)
        assert shown.ephemeral
        assert "**Confirmed:** 2.83 h (2 h group, 0.83 h individual)" in text
        assert "**Awaiting a supervisor's confirmation:** 2 h" in text
        assert "- 2026-02: 0 h + 0.83 h" in text and "- 2026-03: 2 h + 0 h; 2 h awaiting" in text
        assert "confirmed by Dr Supervisor" in text and "awaiting confirmation" in text
        empty = await h.run(h.group.trainees[3], "hours show")
        assert "No supervision is recorded for you here yet" in empty.content

        ix = await h.sandbox.invoke(h.group.guild, a, "hours export")
        message = await ix.original_message(predicate=lambda m: len(m.attachments) == 2)
        assert message.flags & 64
        files = {att.filename: att.data for att in message.attachments}
        rows = list(csv.DictReader(io.StringIO(files["supervised-hours.csv"].decode("utf-8-sig"))))
        stored = db_rows(
            h,
            "SELECT m.minutes, m.format, m.mode, a.confirmed_by_name FROM meeting_attendance a"
            " JOIN meetings m ON m.id = a.meeting_id WHERE a.user_id = ? ORDER BY m.starts_at",
            a.id,
        )
        assert [(int(r["minutes"]), r["format"].lower(), r["confirmed_by"] or None) for r in rows] == [
            (minutes, fmt, name) for minutes, fmt, _, name in stored
        ]
        assert [r["date"] for r in rows] == ["2026-02-20", "2026-03-04", "2026-03-11"]
        assert [r["status"] for r in rows] == ["confirmed", "confirmed", "awaiting confirmation"]
        assert rows[0]["mode"] == "Online" and rows[0]["topic"] == "Endings and @everyone"
        assert rows[1]["confirmed_on"] == "2026-03-04" and rows[1]["hours"] == "2"

        (tmp_path / "hours.pdf").write_bytes(files["supervised-hours.pdf"])
        pdf = pypdf.PdfReader(io.BytesIO(files["supervised-hours.pdf"]))
        layer = "\n".join(page.extract_text() for page in pdf.pages)
        for phrase in (
            "Record of supervised hours",
            "Supervisee: Trainee A",
            "Supervision group: Supervision group",
            "2026-02-20",
            "2026-03-11",
            "Dr Supervisor",
            "awaiting confirmation",
            "Signature",
        ):
            assert phrase in " ".join(layer.split()), phrase
        assert "Total" in layer and "2.83 h" in layer


async def test_a_supervisor_records_corrects_and_removes_a_meeting(make_harness) -> None:
    async with make_harness() as h:
        await set_up_meetings(h)
        sup = h.group.supervisor
        bad = await h.run(sup, "meeting record", date="2026-13-01")
        assert "not a real date" in bad.content or "not a date" in bad.content
        future = await h.run(sup, "meeting record", date="2026-03-20")
        assert "hasn't happened yet" in future.content
        long_topic = await h.run(sup, "meeting record", date="today", topic="x" * 140)
        assert "keep it to 100" in long_topic.content
        made = await h.run(sup, "meeting record", date="2026-02-25", minutes=60, mode="online", topic="Ruptures")
        assert "Recorded: **Wed 25 Feb 2026 14:00 · group, online · 60 min**" in made.content
        twice = await h.run(sup, "meeting record", date="2026-02-25")
        assert "already on record" in twice.content
        choices = await h.sandbox.autocomplete(h.group.guild, sup, "meeting record", focused="meeting", value="25 Feb")
        assert [c["name"] for c in choices] == ["Wed 25 Feb 2026 14:00 · group, online · 60 min"]
        meeting_id = choices[0]["value"]
        fixed = await h.run(sup, "meeting record", meeting=meeting_id, minutes=75, time="15:00")
        assert "Corrected: **Wed 25 Feb 2026 15:00 · group, online · 75 min**" in fixed.content
        assert db_rows(h, "SELECT minutes, topic FROM meetings") == [(75, "Ruptures")]
        asked = await h.run(sup, "meeting remove", meeting=meeting_id)
        assert "cannot be undone" in asked.content
        gone = await (await h.sandbox.click(sup, asked.message, custom_ids(asked)[0])).response()
        assert "Deleted" in gone.content
        assert db_rows(h, "SELECT COUNT(*) FROM meetings") == [(0,)]
        member = await h.run(h.group.trainees[0], "meeting record", date="today")
        assert "Only supervisors can do this" in member.content
