"""A member's supervised-hours record as CSV (for spreadsheets) and PDF (to print, sign and hand in).

Both are built from the same rows, on the document thread (`bot.offload.write_document`): the PDF takes fpdf2 a moment.
fpdf2 is imported on first use, as the charts import matplotlib, to keep the bot's start-up fast.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.db.repositories.meetings import FORMATS, MODES, AttendedMeeting
from cogs.meeting.logic import HoursLog, Session, format_hours, hours_log

CSV_COLUMNS = (
    "date",
    "start",
    "minutes",
    "hours",
    "format",
    "mode",
    "topic",
    "status",
    "confirmed_by",
    "confirmed_on",
)


@dataclass(frozen=True)
class HoursRow:
    """One line of the record, as text, in the group's zone."""

    date: str
    start: str
    minutes: int
    hours: str
    format: str
    mode: str
    topic: str
    status: str
    confirmed_by: str
    confirmed_on: str

    def values(self) -> tuple[str, ...]:
        return (
            self.date,
            self.start,
            str(self.minutes),
            self.hours,
            self.format,
            self.mode,
            self.topic,
            self.status,
            self.confirmed_by,
            self.confirmed_on,
        )


def hours_rows(record: list[AttendedMeeting]) -> list[HoursRow]:
    """The member's meetings, oldest first, each with its confirmation (who and the date) or 'awaiting'."""
    rows = []
    for entry in record:
        meeting, attendance = entry.meeting, entry.attendance
        start = meeting.local_start
        confirmed_on = (
            attendance.confirmed_at.astimezone(start.tzinfo).date().isoformat() if attendance.confirmed_at else ""
        )
        rows.append(
            HoursRow(
                date=start.date().isoformat(),
                start=f"{start:%H:%M}",
                minutes=meeting.minutes,
                hours=f"{round(meeting.hours, 2):g}",
                format=FORMATS[meeting.format],
                mode=MODES[meeting.mode],
                topic=meeting.topic or "",
                status="confirmed" if attendance.confirmed else "awaiting confirmation",
                confirmed_by=(attendance.confirmed_by_name or "a supervisor") if attendance.confirmed else "",
                confirmed_on=confirmed_on,
            )
        )
    return rows


def log_of(record: list[AttendedMeeting]) -> HoursLog:
    """The member's hours per month and in total."""
    return hours_log(
        Session(e.meeting.local_start, e.meeting.hours, e.meeting.format, e.attendance.confirmed) for e in record
    )


def hours_csv(rows: list[HoursRow]) -> bytes:
    """The record as CSV with a header row; UTF-8 with a byte-order mark, so spreadsheets read accents right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        # A cell starting with = + - @ would run as a formula in a spreadsheet; a leading apostrophe keeps it text.
        writer.writerow([f"'{v}" if v[:1] in ("=", "+", "-", "@") else v for v in row.values()])
    return buffer.getvalue().encode("utf-8-sig")


@dataclass(frozen=True)
class RecordHeading:
    """Who and where the record is for, and when it was made."""

    member: str
    server: str
    timezone: str
    made_at: datetime


def hours_pdf(heading: RecordHeading, rows: list[HoursRow], log: HoursLog) -> bytes:
    """The record as a printable A4 PDF: totals per month, every session with its confirmation, a signature box."""
    import matplotlib
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    # matplotlib already ships DejaVu Sans, which covers the names and topics people type (accents, Greek, Cyrillic).
    fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(f"Supervised hours: {heading.member}")
    pdf.set_creator("supervision-bot")
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.cell(0, 10, "Record of supervised hours", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    made = f"{heading.made_at:%Y-%m-%d %H:%M} ({heading.timezone})"
    for line in (
        f"Supervisee: {heading.member}",
        f"Supervision group: {heading.server}",
        f"Times in {heading.timezone}. Made {made} by supervision-bot from the group's attendance record.",
    ):
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)

    total = log.total
    pdf.set_font("DejaVu", "B", 12)
    pdf.cell(0, 8, "Confirmed hours by month", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    bold = FontFace(emphasis="BOLD")
    with pdf.table(col_widths=(30, 35, 35, 35, 45), width=180, align="LEFT", text_align="LEFT") as table:
        table.row(("Month", "Group", "Individual", "Total confirmed", "Awaiting confirmation"))
        for month, hours in log.months.items():
            table.row(
                (
                    month,
                    format_hours(hours.group),
                    format_hours(hours.individual),
                    format_hours(hours.confirmed),
                    format_hours(hours.awaiting),
                )
            )
        table.row(
            (
                "Total",
                format_hours(total.group),
                format_hours(total.individual),
                format_hours(total.confirmed),
                format_hours(total.awaiting),
            ),
            style=bold,
        )
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 12)
    pdf.cell(0, 8, "Sessions", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 8)
    headings = ("Date", "Start", "Hours", "Format", "Mode", "Topic", "Status", "Confirmed by", "Confirmed on")
    with pdf.table(col_widths=(22, 14, 13, 22, 20, 70, 30, 45, 24), text_align="LEFT", repeat_headings=1) as table:
        table.row(headings)
        for r in rows:
            table.row((r.date, r.start, r.hours, r.format, r.mode, r.topic, r.status, r.confirmed_by, r.confirmed_on))
    if not rows:
        pdf.cell(0, 8, "No sessions recorded yet.", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(
        0,
        5,
        "A confirmation above was given by the named supervisor in the group's Discord server. It is not a "
        "signature. If your registration or licensing body asks for one, have your supervisor sign and date below.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(8)
    for label in ("Supervisor's name", "Signature", "Date"):
        pdf.cell(80, 8, f"{label}: ______________________________", new_x="RIGHT", new_y="TOP")
    return bytes(pdf.output())
