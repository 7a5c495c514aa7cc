"""Render quiz and check-in charts as small PNGs, each with a one-line summary for screen readers.

Every chart is drawn on its own `Figure` with the Agg canvas and never touches pyplot's global state, so the
functions are safe to call from worker threads (`bot.offload.draw`). Matplotlib is imported on first use to
keep bot start-up fast.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from bot.accuracy_chart import accuracy_chart
from bot.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

FIGSIZE = (8, 4.5)
DPI = 100
NO_DATA = N_("No data yet")
# Okabe–Ito palette: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442")

Series = Mapping[str, Sequence[tuple[date, float]]]


def group_accuracy_chart(series: Series) -> tuple[bytes, str]:
    """Draw the group's accuracy per element per week (shares 0–1) and return (PNG, summary)."""
    return accuracy_chart(
        series,
        _("Group accuracy by element"),
        _("Group accuracy by element: no data yet."),
        # Translators: {trends} lists each element's figure, e.g. "Empathy 72% (up from 60%), Congruence 50%".
        lambda weeks: ngettext(
            "Group accuracy by element over {n} week: {trends}.",
            "Group accuracy by element over {n} weeks: {trends}.",
            weeks,
        ),
    )


def personal_mastery_chart(series: Series) -> tuple[bytes, str]:
    """Draw one member's accuracy per element per week (shares 0–1) and return (PNG, summary)."""
    return accuracy_chart(
        series,
        _("Your accuracy by element"),
        _("Your accuracy by element: no data yet."),
        # Translators: {trends} lists each element's figure, e.g. "Empathy 72% (up from 60%), Congruence 50%".
        lambda weeks: ngettext(
            "Your accuracy by element over {n} week: {trends}.",
            "Your accuracy by element over {n} weeks: {trends}.",
            weeks,
        ),
    )


def checkin_summary_chart(counts: Mapping[str, int | None], k: int) -> tuple[bytes, str]:
    """Draw check-in counts per dimension, hiding any count below `k`, and return (PNG, summary).

    None means "fewer than k". Integers between 1 and k-1 are hidden too, so a caller's slip cannot reveal a
    small count. Zero is shown as zero, as the text beside the chart shows it.
    """
    title = _("Check-in themes")
    if not counts:
        if k < 1:
            raise ValueError("k must be at least 1")
        return _empty_chart(title), _("Check-in themes: no data yet.")
    figure, shown = checkin_summary_figure(counts, k)
    parts = [f"{label} {_count_text(count, k)}" for label, count in shown.items()]
    # Translators: {counts} lists each theme with its number, e.g. "Protective 7; Bored fewer than 3".
    return _png(figure), _("Check-in themes (number of check-ins): {counts}.").format(counts="; ".join(parts))


def checkin_summary_figure(counts: Mapping[str, int | None], k: int) -> tuple[Figure, dict[str, int | None]]:
    """Build the summary's figure; return it with the counts as drawn (None where hidden)."""
    if k < 1:
        raise ValueError("k must be at least 1")
    shown = {_one_line(label): (None if count is None or 0 < count < k else count) for label, count in counts.items()}
    figure = _figure()
    _draw_bars(figure.add_subplot(), shown, k)
    figure.suptitle(_("Check-in themes"))
    return figure, shown


def _count_text(count: int | None, k: int) -> str:
    """A drawn count in words: the number, or "fewer than k"."""
    return _("fewer than {k}").format(k=k) if count is None else str(count)


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
                _("▨ fewer than {k} (not shown)").format(k=k),
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
    axes.set_xlabel(_("Number of check-ins"))
    axes.spines[["top", "right"]].set_visible(False)


def _empty_chart(title: str) -> bytes:
    """Render a blank chart that says there is no data yet."""
    figure = _figure()
    axes = figure.add_subplot()
    axes.set_axis_off()
    axes.text(0.5, 0.5, _(NO_DATA), ha="center", va="center", fontsize=18, color="#555555", transform=axes.transAxes)
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


def _one_line(text: str) -> str:
    """Collapse whitespace, including newlines, so labels cannot break the one-line summary."""
    return " ".join(str(text).split())
