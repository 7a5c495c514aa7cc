"""Render quiz and check-in charts as small PNGs, each with a one-line summary for screen readers.

Every chart is drawn on its own `Figure` with the Agg canvas and never touches pyplot's global state, so the
functions are safe to call from worker threads (`asyncio.to_thread`). Matplotlib is imported on first use to
keep bot start-up fast.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from bot.content.elements import ELEMENTS, element_name

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

FIGSIZE = (8, 4.5)
DPI = 100
NO_DATA = "No data yet"
# Okabe–Ito palette: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")

Series = Mapping[str, Sequence[tuple[date, float]]]


def group_accuracy_chart(series: Series) -> tuple[bytes, str]:
    """Draw the group's accuracy per element per week (shares 0–1) and return (PNG, summary)."""
    return _accuracy_chart(series, "Group accuracy by element", "Group accuracy")


def personal_mastery_chart(series: Series) -> tuple[bytes, str]:
    """Draw one member's accuracy per element per week (shares 0–1) and return (PNG, summary)."""
    return _accuracy_chart(series, "Your accuracy by element", "Your accuracy")


def checkin_summary_chart(counts: Mapping[str, int | None], k: int) -> tuple[bytes, str]:
    """Draw check-in counts per dimension, hiding any count below `k`, and return (PNG, summary).

    None means "fewer than k". Integers between 1 and k-1 are hidden too, so a caller's slip cannot reveal a
    small count. Zero is shown as zero, as the text beside the chart shows it.
    """
    title = "Check-in themes"
    if not counts:
        if k < 1:
            raise ValueError("k must be at least 1")
        return _empty_chart(title), f"{title}: {NO_DATA.lower()}."
    figure, shown = checkin_summary_figure(counts, k)
    parts = [f"{label} {_count_text(count, k)}" for label, count in shown.items()]
    return _png(figure), f"{title} (number of check-ins): " + "; ".join(parts) + "."


def checkin_summary_figure(counts: Mapping[str, int | None], k: int) -> tuple[Figure, dict[str, int | None]]:
    """Build the summary's figure; return it with the counts as drawn (None where hidden)."""
    if k < 1:
        raise ValueError("k must be at least 1")
    shown = {_one_line(label): (None if count is None or 0 < count < k else count) for label, count in counts.items()}
    figure = _figure()
    _draw_bars(figure.add_subplot(), shown, k)
    figure.suptitle("Check-in themes")
    return figure, shown


def _count_text(count: int | None, k: int) -> str:
    """A drawn count in words: the number, or "fewer than k"."""
    return f"fewer than {k}" if count is None else str(count)


def _accuracy_chart(series: Series, title: str, lead: str) -> tuple[bytes, str]:
    """Draw one line per element over the weeks and describe the latest value and its trend."""
    lines = {element: sorted(points) for element, points in _in_element_order(series) if points}
    if not lines:
        return _empty_chart(title), f"{lead} by element: {NO_DATA.lower()}."
    weeks = sorted({week for points in lines.values() for week, _ in points})
    figure = _figure()
    _draw_lines(figure.add_subplot(), lines, weeks)
    figure.suptitle(title)
    span = f"{len(weeks)} week" + ("" if len(weeks) == 1 else "s")
    trends = ", ".join(_trend(element, points) for element, points in lines.items())
    return _png(figure), f"{lead} by element over {span}: {trends}."


def _draw_lines(axes: Axes, lines: Mapping[str, Sequence[tuple[date, float]]], weeks: list[date]) -> None:
    """Plot percentage lines with markers, a week axis and a legend outside the plot area."""
    from matplotlib.ticker import PercentFormatter

    for index, (element, points) in enumerate(lines.items()):
        axes.plot(
            [week for week, _ in points],
            [100 * value for _, value in points],
            label=element_name(element),
            color=PALETTE[index % len(PALETTE)],
            marker=MARKERS[index % len(MARKERS)],
            linewidth=2,
        )
    axes.set_ylim(0, 100)
    axes.yaxis.set_major_formatter(PercentFormatter())
    axes.set_ylabel("Correct answers")
    # At most about ten labelled weeks so the dates stay readable.
    labelled = weeks[:: max(1, -(-len(weeks) // 10))]
    axes.set_xticks(labelled, [week.strftime("%d %b") for week in labelled])
    axes.set_xlabel("Week starting")
    axes.grid(axis="y", alpha=0.3)
    # A figure legend placed "outside" is one constrained layout makes room for, so long names are not cut.
    axes.figure.legend(loc="outside right upper", frameon=False)


def _draw_bars(axes: Axes, shown: Mapping[str, int | None], k: int) -> None:
    """Plot horizontal count bars; a hidden count gets no bar, only a grey "fewer than k" mark at the axis."""
    from matplotlib.ticker import MaxNLocator

    labels = list(shown)
    positions = range(len(labels))
    # A hidden count has no length at all: a bar of any size would read as a number.
    widths = [count or 0 for count in shown.values()]
    bars = axes.barh(positions, widths, color=PALETTE[0], height=0.6)
    axes.bar_label(bars, [_count_text(c, k) if c is not None else "" for c in shown.values()], padding=4)
    for position, count in zip(positions, shown.values(), strict=True):
        if count is None:
            axes.annotate(
                f"▨ fewer than {k} (not shown)",
                (0, position),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                color="#666666",
                style="italic",
            )
    axes.set_yticks(list(positions), labels)
    axes.invert_yaxis()
    # Room for the longest label even when every count is hidden or small.
    axes.set_xlim(0, max([*widths, k]) * 1.6 + 1)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel("Number of check-ins")
    axes.spines[["top", "right"]].set_visible(False)


def _trend(element: str, points: Sequence[tuple[date, float]]) -> str:
    """Describe an element's latest accuracy and how it moved since the first week shown."""
    first, last = _percent(points[0][1]), _percent(points[-1][1])
    name = element_name(element)
    if len(points) == 1:
        return f"{name} {last}%"
    if last == first:
        return f"{name} {last}% (unchanged)"
    return f"{name} {last}% ({'up' if last > first else 'down'} from {first}%)"


def _in_element_order(series: Series) -> list[tuple[str, Sequence[tuple[date, float]]]]:
    """Return the series in the standard element order, unknown elements last by name."""
    order = {element: index for index, element in enumerate(ELEMENTS)}
    return sorted(series.items(), key=lambda pair: (order.get(pair[0], len(order)), pair[0]))


def _empty_chart(title: str) -> bytes:
    """Render a blank chart that says there is no data yet."""
    figure = _figure()
    axes = figure.add_subplot()
    axes.set_axis_off()
    axes.text(0.5, 0.5, NO_DATA, ha="center", va="center", fontsize=18, color="#555555", transform=axes.transAxes)
    figure.suptitle(title)
    return _png(figure)


def _figure() -> Figure:
    """Create a standalone figure on an Agg canvas, independent of pyplot."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=FIGSIZE, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _png(figure: Figure) -> bytes:
    """Encode a figure as PNG bytes and free its drawing state."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    figure.clear()
    return buffer.getvalue()


def _percent(value: float) -> int:
    """Return a 0–1 share as a whole percentage."""
    return round(100 * value)


def _one_line(text: str) -> str:
    """Collapse whitespace, including newlines, so labels cannot break the one-line summary."""
    return " ".join(str(text).split())
