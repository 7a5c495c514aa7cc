"""A member's supervised-hours record as CSV (for spreadsheets) and PDF (to print, sign and hand in).

Both are built from the same rows, on the document thread (`bot.offload.write_document`): the PDF takes fpdf2 a moment.
fpdf2 is imported on first use, as the charts import matplotlib, to keep the bot's start-up fast.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from bot import i18n
from bot.db.repositories.meetings import AttendedMeeting
from bot.i18n import _, pgettext
from cogs.meeting.logic import (
    HoursLog,
    Session,
    format_cell,
    format_hours,
    hours_log,
    hours_number,
    mode_cell,
    month_name,
    record_day,
)


def csv_header() -> tuple[str, ...]:
    """The CSV's column names, in the reader's language (the columns themselves never move)."""
    # Translators: column names of the hours CSV, read by spreadsheets: short, no commas.
    return (
        pgettext("hours CSV column", "date"),
        pgettext("hours CSV column", "start"),
        pgettext("hours CSV column", "minutes"),
        pgettext("hours CSV column", "hours"),
        pgettext("hours CSV column", "format"),
        pgettext("hours CSV column", "mode"),
        pgettext("hours CSV column", "topic"),
        pgettext("hours CSV column", "status"),
        pgettext("hours CSV column", "confirmed_by"),
        pgettext("hours CSV column", "confirmed_on"),
    )


@dataclass(frozen=True)
class HoursRow:
    """One line of the record, in the group's zone; its words already in the reader's language."""

    day: date
    start: str
    minutes: int
    hours: float
    format: str
    mode: str
    topic: str
    status: str
    confirmed_by: str
    confirmed_on: date | None

    def values(self) -> tuple[str, ...]:
        """The row as CSV cells: ISO dates and a decimal point, which spreadsheets read in any language."""
        return (
            self.day.isoformat(),
            self.start,
            str(self.minutes),
            f"{round(self.hours, 2):g}",
            self.format,
            self.mode,
            self.topic,
            self.status,
            self.confirmed_by,
            self.confirmed_on.isoformat() if self.confirmed_on else "",
        )


def hours_rows(record: list[AttendedMeeting]) -> list[HoursRow]:
    """The member's meetings, oldest first, each with its confirmation (who and the date) or 'awaiting'."""
    rows = []
    for entry in record:
        meeting, attendance = entry.meeting, entry.attendance
        start = meeting.local_start
        rows.append(
            HoursRow(
                day=start.date(),
                start=f"{start:%H:%M}",
                minutes=meeting.minutes,
                hours=meeting.hours,
                format=format_cell(meeting.format),
                mode=mode_cell(meeting.mode),
                topic=meeting.topic or "",
                status=_("confirmed") if attendance.confirmed else _("awaiting confirmation"),
                confirmed_by=(attendance.confirmed_by_name or _("a supervisor")) if attendance.confirmed else "",
                confirmed_on=attendance.confirmed_at.astimezone(start.tzinfo).date()
                if attendance.confirmed_at
                else None,
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
    writer.writerow(csv_header())
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
    """The record as a printable A4 PDF: totals per month, every session with its confirmation, a signature box.

    Written in the current language (the document thread runs in the requesting member's context).
    """
    import matplotlib
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    # matplotlib already ships DejaVu Sans, which covers the names and topics people type (accents, Greek, Cyrillic)
    # and every letter of the bot's languages (ä, ß, é, œ): fpdf2's built-in fonts are Latin-1 only.
    fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(_("Supervised hours: {member}").format(member=heading.member))
    pdf.set_creator("supervision-bot")
    pdf.set_lang(i18n.current())  # for screen readers
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.cell(0, 10, _("Record of supervised hours"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    made = f"{record_day(heading.made_at.date())} {heading.made_at:%H:%M} ({heading.timezone})"
    for line in (
        _("Supervisee: {member}").format(member=heading.member),
        _("Supervision group: {server}").format(server=heading.server),
        # Translators: {made} is a date and time with its zone, e.g. "2026-03-04 14:00 (Europe/London)".
        _("Times in {zone}. Made {made} by supervision-bot from the group's attendance record.").format(
            zone=heading.timezone, made=made
        ),
    ):
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)

    total = log.total
    pdf.set_font("DejaVu", "B", 12)
    pdf.cell(0, 8, _("Confirmed hours by month"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    bold = FontFace(emphasis="BOLD")
    with pdf.table(col_widths=(30, 35, 35, 35, 45), width=180, align="LEFT", text_align="LEFT") as table:
        table.row(
            (
                pgettext("hours table heading", "Month"),
                pgettext("hours table heading", "Group"),
                pgettext("hours table heading", "Individual"),
                pgettext("hours table heading", "Total confirmed"),
                pgettext("hours table heading", "Awaiting confirmation"),
            )
        )
        for month, hours in log.months.items():
            table.row(
                (
                    month_name(month),
                    format_hours(hours.group),
                    format_hours(hours.individual),
                    format_hours(hours.confirmed),
                    format_hours(hours.awaiting),
                )
            )
        table.row(
            (
                pgettext("hours table heading", "Total"),
                format_hours(total.group),
                format_hours(total.individual),
                format_hours(total.confirmed),
                format_hours(total.awaiting),
            ),
            style=bold,
        )
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 12)
    pdf.cell(0, 8, _("Sessions"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 8)
    headings = (
        pgettext("hours table heading", "Date"),
        pgettext("hours table heading", "Start"),
        pgettext("hours table heading", "Hours"),
        pgettext("hours table heading", "Format"),
        pgettext("hours table heading", "Mode"),
        pgettext("hours table heading", "Topic"),
        pgettext("hours table heading", "Status"),
        pgettext("hours table heading", "Confirmed by"),
        pgettext("hours table heading", "Confirmed on"),
    )
    with pdf.table(col_widths=(22, 14, 16, 22, 20, 67, 30, 45, 24), text_align="LEFT", repeat_headings=1) as table:
        table.row(headings)
        for r in rows:
            table.row(
                (
                    record_day(r.day),
                    r.start,
                    hours_number(r.hours),
                    r.format,
                    r.mode,
                    r.topic,
                    r.status,
                    r.confirmed_by,
                    record_day(r.confirmed_on) if r.confirmed_on else "",
                )
            )
    if not rows:
        pdf.cell(0, 8, _("No sessions recorded yet."), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(
        0,
        5,
        _(
            "A confirmation above was given by the named supervisor in the group's Discord server. It is not a "
            "signature. If your registration or licensing body asks for one, have your supervisor sign and date "
            "below."
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(8)
    box = 80  # mm per signature field; the line to write on fills what its label leaves
    for label in (
        pgettext("signature box", "Supervisor's name"),
        pgettext("signature box", "Signature"),
        pgettext("signature box", "Date"),
    ):
        # Translators: a label before a line to write on, e.g. "Signature: ______".
        field = _("{label}: {line}")
        room = box - 6 - pdf.get_string_width(field.format(label=label, line=""))
        line = "_" * max(int(room / pdf.get_string_width("_")), 10)
        pdf.cell(box, 8, field.format(label=label, line=line), new_x="RIGHT", new_y="TOP")
    return bytes(pdf.output())
