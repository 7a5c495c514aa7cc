"""Draw quiz accuracy per element: bars for one week, lines with markers for more, plus a one-line summary.

Layout rules, checked by tests with matplotlib's own geometry: every marker and bar label sits inside the axes,
0% and 100% included; points that would overlap are moved apart sideways; the legend sits below the data and
the title is centred above it. The figure has its own opaque white background and a grey border, so it reads the
same on Discord's dark and light themes. Each call builds its own Agg `Figure`, so it is safe in worker threads.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Literal

from bot.content.elements import ELEMENTS, element_name
from bot.i18n import N_, _, day, day_and_month, percent

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

Series = Mapping[str, Sequence[tuple[date, float]]]

FIGSIZE = (8, 4.5)
DPI = 100
NO_DATA = N_("No data yet")
INK = "#1F1F1F"
MUTED = "#5C5C5C"
BACKGROUND = "#FFFFFF"
BORDER = "#C4C4C4"
# Okabe–Ito colours, one fixed per element so a colour means the same element in every chart. Yellow is left
# out: it vanishes on white. Each element also has its own marker shape, for readers who see no colour.
ELEMENT_STYLE: dict[str, tuple[str, str]] = {
    "empathy": ("#0072B2", "o"),
    "congruence": ("#E69F00", "s"),
    "unconditional_positive_regard": ("#009E73", "^"),
    "working_alliance": ("#CC79A7", "D"),
    "transference": ("#56B4E9", "v"),
    "countertransference": ("#D55E00", "P"),
    "rupture_repair": ("#000000", "X"),
}
# For a server's own topics: Paul Tol's muted scheme, also safe for colour-vision deficiencies.
EXTRA_STYLES = (("#882255", "p"), ("#44AA99", "h"), ("#999933", "*"), ("#332288", "<"), ("#AA4499", ">"))
# Points of different elements closer than this (percentage points, same week) would hide each other.
TIE_TOLERANCE = 4.0
LEGEND_FONT = 9


def accuracy_chart(series: Series, title: str, empty: str, over: Callable[[int], str]) -> tuple[bytes, str]:
    """Return the chart as PNG bytes and a one-line text alternative.

    The text alternative is `empty` without data, else `over(weeks)` with `{n}` (the weeks shown) and `{trends}`
    (each element's latest figure and its change) filled in: whole sentences, so each language orders its words.
    Call it in the reader's language (bot.offload.draw carries it to the chart thread).
    """
    lines = _ordered(series)
    return png_bytes(accuracy_figure(series, title)), _summary(lines, empty, over)


def accuracy_figure(series: Series, title: str) -> Figure:
    """Draw the chart on a new figure with its layout done (so its geometry can be read)."""
    lines = _ordered(series)
    figure = opaque_figure()
    axes = figure.add_subplot()
    figure.suptitle(title, color=INK, fontsize=13, fontweight="bold")
    weeks = sorted({week for points in lines.values() for week, _ in points})
    if not lines:
        axes.set_axis_off()
        axes.text(0.5, 0.5, _(NO_DATA), ha="center", va="center", fontsize=18, color=MUTED, transform=axes.transAxes)
    elif len(weeks) == 1:
        _draw_bars(axes, lines, weeks[0])
    else:
        _draw_lines(axes, lines, weeks)
    figure.draw_without_rendering()
    return figure


def _draw_bars(axes: Axes, lines: Mapping[str, Sequence[tuple[date, float]]], week: date) -> None:
    """One horizontal bar per element, its name on the axis and its percentage at the end of the bar."""
    names = [element_name(element) for element in lines]
    values = [100 * points[-1][1] for points in lines.values()]
    colours = [_style(element, index)[0] for index, element in enumerate(lines)]
    positions = range(len(names))
    bars = axes.barh(positions, values, color=colours, height=0.6)
    # A 0% bar has no width, so its label beside the axis is what shows it.
    axes.bar_label(bars, [percent(round(value) / 100) for value in values], padding=4, color=INK, fontsize=10)
    axes.set_yticks(list(positions), names, color=INK)
    # At least three rows of height, so one or two elements do not become slabs.
    axes.set_ylim(max(len(names), 3) - 0.5, -0.5)
    # Room to the right of 100% for its label; ticks stop at 100% so the scale never suggests more.
    axes.set_xlim(0, 116)
    axes.set_xticks(range(0, 101, 20), [percent(tick / 100) for tick in range(0, 101, 20)])
    # Translators: {week} is the date of the Monday the week starts.
    axes.set_xlabel(_("Correct answers, week starting {week}").format(week=day(week, "medium")), color=INK)
    _style_axes(axes, grid_axis="x")


def _draw_lines(axes: Axes, lines: Mapping[str, Sequence[tuple[date, float]]], weeks: list[date]) -> None:
    """One line per element over the weeks, tied points moved apart sideways, legend below the axes."""
    from matplotlib.dates import date2num
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    figure = axes.figure
    assert isinstance(figure, Figure)  # made by opaque_figure(), never a subfigure
    size = 7.0 if len(weeks) <= 12 else 5.5
    slots = _tie_slots(lines)
    styles = {element: _style(element, index) for index, element in enumerate(lines)}
    handles = [
        Line2D([], [], color=colour, marker=marker, markersize=size, linewidth=2, label=element_name(element))
        for element, (colour, marker) in styles.items()
    ]
    axes.set_yticks(range(0, 101, 20), [percent(tick / 100) for tick in range(0, 101, 20)])
    axes.set_ylabel(_("Correct answers"), color=INK)
    # At most about ten labelled weeks so the dates stay readable; day and short month in the reader's order.
    labelled = weeks[:: max(1, -(-len(weeks) // 10))]
    names = [day_and_month(week) for week in labelled]
    axes.set_xticks([date2num(week) for week in labelled], names)
    axes.set_xlabel(_("Week starting"), color=INK)
    _style_axes(axes, grid_axis="y")
    _add_legend(figure, handles)
    # With the layout known: tied points sit a marker apart, but a cluster spans at most 80% of a week;
    # then the limits leave room for a whole marker, shifted, at 0%, 100% and the first and last week.
    figure.draw_without_rendering()
    diameter = size / 72 * DPI
    week_width = axes.get_window_extent().width / len(weeks)
    widest_slot = max((abs(slot) for slot in slots.values()), default=0.0)
    spacing = min(diameter + 2, 0.4 * week_width / widest_slot) if widest_slot else 0.0
    room = diameter / 2 + 2
    days_per_pixel = _fit_limits(axes, date2num(weeks[0]), date2num(weeks[-1]), room + widest_slot * spacing, room)
    for element, points in lines.items():
        colour, marker = styles[element]
        shift = [slots.get((element, week), 0.0) * spacing * days_per_pixel for week, _ in points]
        axes.plot(
            [date2num(week) + dx for (week, _), dx in zip(points, shift, strict=True)],
            [100 * value for _, value in points],
            color=colour,
            linewidth=2,
            marker=marker,
            markersize=size,
            markeredgecolor=BACKGROUND,
            markeredgewidth=0.8,
            label=element_name(element),
        )


def _fit_limits(axes: Axes, first: float, last: float, room_x: float, room_y: float) -> float:
    """Set limits leaving `room_x`/`room_y` pixels beyond the first/last week and 0%/100%; return days per pixel."""
    box = axes.get_window_extent()
    span = last - first
    pad_x = room_x * span / max(box.width - 2 * room_x, 1.0)
    pad_y = room_y * 100 / max(box.height - 2 * room_y, 1.0)
    axes.set_xlim(first - pad_x, last + pad_x)
    axes.set_ylim(-pad_y, 100 + pad_y)
    return (span + 2 * pad_x) / box.width


def _tie_slots(lines: Mapping[str, Sequence[tuple[date, float]]]) -> dict[tuple[str, date], float]:
    """Return a sideways slot (..., -1, 0, 1, ... or halves) for each point that would sit on another's."""
    by_week: dict[date, list[tuple[float, str]]] = {}
    for element, points in lines.items():
        for week, value in points:
            by_week.setdefault(week, []).append((100 * value, element))
    order = list(lines)
    slots: dict[tuple[str, date], float] = {}
    for week, entries in by_week.items():
        entries.sort()
        clusters = [[entries[0]]]
        for entry in entries[1:]:
            if entry[0] - clusters[-1][-1][0] < TIE_TOLERANCE:
                clusters[-1].append(entry)
            else:
                clusters.append([entry])
        for cluster in clusters:
            # Side by side in legend order, centred on the week.
            members = sorted((element for _, element in cluster), key=order.index)
            for slot, element in enumerate(members):
                slots[(element, week)] = slot - (len(members) - 1) / 2
    return slots


def _add_legend(figure: Figure, handles: list) -> None:
    """Put the legend below the axes in as many columns as fit the figure's width."""
    for columns in range(min(len(handles), 4), 0, -1):
        legend = figure.legend(
            handles=handles,
            loc="outside lower center",
            ncols=columns,
            frameon=False,
            fontsize=LEGEND_FONT,
            labelcolor=INK,
        )
        figure.draw_without_rendering()
        if legend.get_window_extent().width <= figure.bbox.width - 20 or columns == 1:
            return
        legend.remove()


def _style_axes(axes: Axes, grid_axis: Literal["both", "x", "y"]) -> None:
    """Quiet axes: light grid on the value axis, no top or right frame, dark text."""
    axes.grid(axis=grid_axis, color="#D9D9D9", linewidth=0.8)
    axes.set_axisbelow(True)
    axes.spines[["top", "right"]].set_visible(False)
    axes.spines[["left", "bottom"]].set_color(MUTED)
    axes.tick_params(colors=INK, labelsize=9)


def _style(element: str, index: int) -> tuple[str, str]:
    """Return an element's fixed colour and marker, or a spare one for a server's own topic."""
    return ELEMENT_STYLE.get(element) or EXTRA_STYLES[index % len(EXTRA_STYLES)]


def _summary(lines: Mapping[str, Sequence[tuple[date, float]]], empty: str, over: Callable[[int], str]) -> str:
    """Describe each element's latest accuracy and trend in one line."""
    if not lines:
        return empty
    weeks = len({week for points in lines.values() for week, _value in points})
    return over(weeks).format(n=weeks, trends=", ".join(_trend(e, p) for e, p in lines.items()))


def _trend(element: str, points: Sequence[tuple[date, float]]) -> str:
    """Describe an element's latest accuracy and how it moved since the first week shown."""
    first, last = round(100 * points[0][1]), round(100 * points[-1][1])
    name, now, then = element_name(element), percent(last / 100), percent(first / 100)
    if len(points) == 1:
        return f"{name} {now}"
    if last == first:
        # Translators: {element} is an element's name, {share} a percentage.
        return _("{element} {share} (unchanged)").format(element=name, share=now)
    if last > first:
        return _("{element} {share} (up from {first})").format(element=name, share=now, first=then)
    return _("{element} {share} (down from {first})").format(element=name, share=now, first=then)


def _ordered(series: Series) -> dict[str, list[tuple[date, float]]]:
    """Return the non-empty series sorted by week, in the standard element order, unknown elements last."""
    order = {element: index for index, element in enumerate(ELEMENTS)}
    ranked = sorted(series.items(), key=lambda pair: (order.get(pair[0], len(order)), pair[0]))
    return {element: sorted(points) for element, points in ranked if points}


def opaque_figure() -> Figure:
    """Create a standalone figure on an Agg canvas with an opaque background and a thin border."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=FIGSIZE, dpi=DPI, layout="constrained", facecolor=BACKGROUND)
    figure.patch.set(edgecolor=BORDER, linewidth=2)
    FigureCanvasAgg(figure)
    return figure


def png_bytes(figure: Figure) -> bytes:
    """Encode a figure as PNG bytes and free its drawing state."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None}, facecolor=BACKGROUND)
    figure.clear()
    return buffer.getvalue()
