"""Charts for the supervision meeting: attendance per meeting, and the feedback trend over meetings.

Each returns (PNG bytes, a one-line summary for screen readers) and is safe in a worker thread
(`bot.offload.draw`): every figure is its own Agg figure, never pyplot's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.accuracy_chart import opaque_figure, png_bytes
from bot.charts import PALETTE


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
        axes.text(0.5, 0.5, "No meetings in this period", ha="center", va="center", fontsize=16, color="#555555")
        figure.suptitle(title)
        return png_bytes(figure), f"{title}: no meetings in this period."
    from matplotlib.ticker import MaxNLocator

    positions = list(range(len(bars)))
    confirmed = [b.confirmed for b in bars]
    awaiting = [b.awaiting for b in bars]
    axes.bar(positions, confirmed, color=PALETTE[0], label="Confirmed")
    axes.bar(positions, awaiting, bottom=confirmed, color=PALETTE[1], label="Awaiting confirmation", hatch="//")
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
    axes.set_ylabel("Members present")
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(loc="upper left", frameon=False, ncols=2)
    figure.suptitle(title)
    parts = [f"{b.label} {b.confirmed} confirmed" + (f", {b.awaiting} awaiting" if b.awaiting else "") for b in bars]
    return png_bytes(figure), f"{title}: " + "; ".join(parts) + "."


def feedback_trend_chart(points: Sequence[TrendPoint], items: Mapping[str, str], k: int) -> tuple[bytes, str]:
    """Lines of each item's mean (0-10) over meetings; a meeting with fewer than k answers has no point at all."""
    title = "Meeting feedback (mean, 0-10)"
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
                f"fewer than {k}\nanswered",
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
    axes.set_ylabel("Mean rating")
    axes.spines[["top", "right"]].set_visible(False)
    if any(p.means is not None for p in points):
        # Below the axes, like the quiz charts: inside, it would sit on a low mean or a gap's note.
        figure.legend(loc="outside lower center", frameon=False, ncols=3)
    else:
        # With no closed meeting at all, "fewer than k" would be untrue: an open meeting may have k already.
        empty = f"No meeting had {k} or more answers" if points else "No meeting's questions have closed yet"
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
            parts.append(f"{point.label} fewer than {k} answered")
        else:
            parts.append(f"{point.label} " + ", ".join(f"{items[key]} {point.means[key]:.1f}" for key in items))
    return png_bytes(figure), f"{title}: " + ("; ".join(parts) or "no closed meetings yet") + "."
