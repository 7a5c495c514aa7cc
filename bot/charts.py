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

from bot.accuracy_chart import accuracy_chart

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

FIGSIZE = (8, 4.5)
DPI = 100
NO_DATA = "No data yet"
# Okabe–Ito palette: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
SUPPRESSED_COLOUR = "#BBBBBB"

Series = Mapping[str, Sequence[tuple[date, float]]]


def group_accuracy_chart(series: Series) -> tuple[bytes, str]:
    """Draw the group's accuracy per element per week (shares 0–1) and return (PNG, summary)."""
    return accuracy_chart(series, "Group accuracy by element", "Group accuracy")


def personal_mastery_chart(series: Series) -> tuple[bytes, str]:
    """Draw one member's accuracy per element per week (shares 0–1) and return (PNG, summary)."""
    return accuracy_chart(series, "Your accuracy by element", "Your accuracy")


def checkin_summary_chart(counts: Mapping[str, int | None], k: int) -> tuple[bytes, str]:
    """Draw check-in counts per dimension, hiding any count below `k`, and return (PNG, summary).

    None means "fewer than k". Integers below k are hidden too, so a caller's slip cannot reveal a small count.
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    title = "Check-in themes"
    if not counts:
        return _empty_chart(title), f"{title}: {NO_DATA.lower()}."
    shown = {_one_line(label): (count if count is not None and count >= k else None) for label, count in counts.items()}
    figure = _figure()
    _draw_bars(figure.add_subplot(), shown, k)
    figure.suptitle(title)
    parts = [f"{label} {count if count is not None else f'fewer than {k}'}" for label, count in shown.items()]
    return _png(figure), f"{title} (number of check-ins): " + ", ".join(parts) + "."


def _draw_bars(axes: Axes, shown: Mapping[str, int | None], k: int) -> None:
    """Plot horizontal count bars; hidden counts become hatched grey bars reaching k, labelled 'fewer than k'."""
    from matplotlib.ticker import MaxNLocator

    labels = list(shown)
    positions = range(len(labels))
    # A hidden bar spans 0..k: it shows the range the count lies in, not the count itself.
    widths = [count if count is not None else k for count in shown.values()]
    bars = axes.barh(positions, widths, color=PALETTE[0])
    for bar, count in zip(bars, shown.values(), strict=True):
        if count is None:
            bar.set(facecolor=SUPPRESSED_COLOUR, hatch="///", edgecolor="#666666", linestyle="--")
    texts = [str(count) if count is not None else f"fewer than {k}" for count in shown.values()]
    axes.bar_label(bars, texts, padding=4)
    axes.set_yticks(list(positions), labels)
    axes.invert_yaxis()
    axes.set_xlim(0, max(widths) * 1.35 + 0.5)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel("Number of check-ins")
    axes.spines[["top", "right"]].set_visible(False)


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
