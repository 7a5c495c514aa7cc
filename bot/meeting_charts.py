"""Charts for the supervision meeting: attendance per meeting, and the feedback trend over meetings.

Each returns (PNG bytes, a one-line summary for screen readers) and is safe in a worker thread
(`bot.offload.draw`): every figure is its own Agg figure, never pyplot's. Words are in the current language, which
`draw` carries into its thread; matplotlib's DejaVu Sans has every letter of the bot's languages.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.accuracy_chart import opaque_figure, png_bytes
from bot.charts import PALETTE
from bot.i18n import _, number, pgettext


@dataclass(frozen=True)
class AttendanceBar:
    """One meeting's attendance: its label, members confirmed, and members awaiting confirmation."""

    label: str
    confirmed: int
    awaiting: int


@dataclass(frozen=True)
class TrendPoint:
    """One closed meeting's feedback: its label and each item's mean, or None when fewer than k answered."""

    label: str
    means: Mapping[str, float] | None


def attendance_chart(bars: Sequence[AttendanceBar], title: str) -> tuple[bytes, str]:
    """Stacked bars per meeting: confirmed attendance, and attendance still awaiting a supervisor."""
    figure = opaque_figure()
    axes = figure.add_subplot()
    if not bars:
        axes.set_axis_off()
        empty = _("No meetings in this period")
        axes.text(0.5, 0.5, empty, ha="center", va="center", fontsize=16, color="#555555")
        figure.suptitle(title)
        # Translators: a chart's text for screen readers: its title, then that it is empty.
        return png_bytes(figure), _("{title}: no meetings in this period.").format(title=title)
    from matplotlib.ticker import MaxNLocator

    positions = list(range(len(bars)))
    confirmed = [b.confirmed for b in bars]
    awaiting = [b.awaiting for b in bars]
    axes.bar(positions, confirmed, color=PALETTE[0], label=pgettext("chart legend", "Confirmed"))
    awaiting_label = pgettext("chart legend", "Awaiting confirmation")
    axes.bar(positions, awaiting, bottom=confirmed, color=PALETTE[1], label=awaiting_label, hatch="//")
    for position, bar in zip(positions, bars, strict=True):
        axes.annotate(
            str(bar.confirmed + bar.awaiting),
            (position, bar.confirmed + bar.awaiting),
            ha="center",
            va="bottom",
            xytext=(0, 2),
            textcoords="offset points",
        )
    axes.set_xticks(
        positions,
        [b.label for b in bars],
        rotation=45 if len(bars) > 8 else 0,
        ha="right" if len(bars) > 8 else "center",
    )
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylim(0, max(b.confirmed + b.awaiting for b in bars) * 1.25 + 1)
    axes.set_ylabel(_("Members present"))
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(loc="upper left", frameon=False, ncols=2)
    figure.suptitle(title)
    parts = [
        # Translators: one bar of the attendance chart, for screen readers: its date, then counts of members.
        _("{day} {confirmed} confirmed, {awaiting} awaiting").format(
            day=b.label, confirmed=b.confirmed, awaiting=b.awaiting
        )
        if b.awaiting
        else _("{day} {confirmed} confirmed").format(day=b.label, confirmed=b.confirmed)
        for b in bars
    ]
    # Translators: a chart's text for screen readers: its title, then each bar or point ("…; …").
    return png_bytes(figure), _("{title}: {parts}.").format(title=title, parts="; ".join(parts))


def feedback_trend_chart(points: Sequence[TrendPoint], items: Mapping[str, str], k: int) -> tuple[bytes, str]:
    """Lines of each item's mean (0-10) over meetings; a meeting with fewer than k answers has no point at all."""
    title = _("Meeting feedback (mean, 0-10)")
    figure = opaque_figure()
    axes = figure.add_subplot()
    positions = list(range(len(points)))
    markers = ("o", "s", "^")
    for index, (key, name) in enumerate(items.items()):
        # A meeting below k is a gap (NaN), so no line runs across it as if there were a value there.
        ys = [p.means[key] if p.means is not None else float("nan") for p in points]
        # Tied means would hide each other; a small sideways nudge per item keeps all three visible.
        nudge = (index - 1) * 0.06
        axes.plot([x + nudge for x in positions], ys, marker=markers[index % 3], color=PALETTE[index], label=name)
    for x, point in zip(positions, points, strict=True):
        if point.means is None:
            # Mid-height, where the gap is: nothing else is drawn in that column.
            axes.annotate(
                # Translators: under a chart's empty column; keep the line break so it stays narrow.
                _("fewer than {k}\nanswered").format(k=k),
                (x, 5),
                ha="center",
                va="center",
                color="#666666",
                style="italic",
                fontsize=8,
            )
    axes.set_xticks(positions, [p.label for p in points])
    axes.set_xlim(-0.5, max(len(points), 1) - 0.5)
    axes.set_ylim(0, 10.5)
    axes.set_ylabel(_("Mean rating"))
    axes.spines[["top", "right"]].set_visible(False)
    if any(p.means is not None for p in points):
        # Below the axes, like the quiz charts: inside, it would sit on a low mean or a gap's note.
        figure.legend(loc="outside lower center", frameon=False, ncols=3)
    else:
        # With no closed meeting at all, "fewer than k" would be untrue: an open meeting may have k already.
        if points:
            empty = _("No meeting had {k} or more answers").format(k=k)
        else:
            empty = _("No meeting's questions have closed yet")
        axes.text(
            0.5,
            0.6,
            empty,
            ha="center",
            va="center",
            transform=axes.transAxes,
            color="#555555",
        )
    figure.suptitle(title)
    parts = []
    for point in points:
        if point.means is None:
            parts.append(_("{day} fewer than {k} answered").format(day=point.label, k=k))
        else:
            means = point.means
            parts.append(f"{point.label} " + ", ".join(f"{items[key]} {number(means[key], 1)}" for key in items))
    shown = "; ".join(parts) or _("no closed meetings yet")
    return png_bytes(figure), _("{title}: {parts}.").format(title=title, parts=shown)
