"""Accuracy chart layout, measured with matplotlib's own geometry: nothing clipped, hidden or overlapping."""

from __future__ import annotations

import io
import itertools
from datetime import date, timedelta

import pytest
from matplotlib.image import imread
from matplotlib.transforms import Bbox

from bot.accuracy_chart import ELEMENT_STYLE, accuracy_figure
from bot.charts import group_accuracy_chart
from bot.content.elements import ELEMENTS
from bot.i18n import in_language, speaking

WEEKS = [date(2026, 1, 5) + timedelta(weeks=n) for n in range(26)]
PATTERNS = {
    # Every element on the same value every week: the worst case for hidden markers.
    "ties": lambda week, element: 0.6,
    # 0% and 100% alternating: markers at the very edges of the scale.
    "extremes": lambda week, element: float((week + element) % 2),
    # A spread with near-ties (a few points apart).
    "spread": lambda week, element: min(1.0, ((3 * week + 2 * element) % 6) / 5 + 0.01 * element),
}
TOLERANCE = 0.5  # pixels: rounding in matplotlib's transforms


def series_for(weeks: int, elements: int, pattern: str) -> dict[str, list[tuple[date, float]]]:
    value = PATTERNS[pattern]
    return {
        element: [(WEEKS[w], value(w, e)) for w in range(weeks)] for e, element in enumerate(list(ELEMENTS)[:elements])
    }


def inside(inner: Bbox, outer: Bbox) -> bool:
    return (
        inner.x0 >= outer.x0 - TOLERANCE
        and inner.x1 <= outer.x1 + TOLERANCE
        and inner.y0 >= outer.y0 - TOLERANCE
        and inner.y1 <= outer.y1 + TOLERANCE
    )


def markers(figure) -> list[tuple[int, float, float, float]]:
    """Every drawn marker as (line index, x pixel, y pixel, diameter in pixels)."""
    axes = figure.axes[0]
    found = []
    for index, line in enumerate(axes.lines):
        if line.get_marker() in (None, "None", "", " "):
            continue
        diameter = line.get_markersize() * figure.dpi / 72
        for x, y in line.get_transform().transform(line.get_xydata()):
            found.append((index, x, y, diameter))
    return found


def check_title_and_legend(figure) -> None:
    axes = figure.axes[0]
    data_area = axes.get_window_extent()
    title = figure._suptitle.get_window_extent()
    assert inside(title, figure.bbox)
    assert not title.overlaps(data_area)
    assert abs((title.x0 + title.x1) / 2 - figure.bbox.width / 2) < 1, "title is not centred"
    for legend in figure.legends:
        box = legend.get_window_extent()
        assert inside(box, figure.bbox), "legend runs off the image"
        assert not box.overlaps(data_area), "legend covers the data"
        assert not box.overlaps(title), "legend touches the title"
        assert not box.overlaps(axes.xaxis.label.get_window_extent()), "legend covers the axis label"


@pytest.mark.parametrize("pattern", sorted(PATTERNS))
@pytest.mark.parametrize("elements", range(1, 8))
@pytest.mark.parametrize("weeks", [2, 8, 26])
def test_line_chart_markers_are_inside_and_apart(weeks: int, elements: int, pattern: str) -> None:
    figure = accuracy_figure(series_for(weeks, elements, pattern), "Group accuracy by element")
    check_title_and_legend(figure)
    assert len(figure.legends) == 1
    assert len(figure.legends[0].get_texts()) == elements
    data_area = figure.axes[0].get_window_extent()
    found = markers(figure)
    assert len(found) == weeks * elements, "a point has no marker"
    for _, x, y, diameter in found:
        box = Bbox.from_bounds(x - diameter / 2, y - diameter / 2, diameter, diameter)
        assert inside(box, data_area), f"marker at ({x:.0f}, {y:.0f}) is clipped"
    week_width = data_area.width / weeks
    for (a, xa, ya, d), (b, xb, yb, _) in itertools.combinations(found, 2):
        if a == b or abs(xa - xb) > week_width / 2:
            continue  # the same line, or different weeks
        distance = ((xa - xb) ** 2 + (ya - yb) ** 2) ** 0.5
        # Up to 8 weeks no two markers touch; at 26 weeks they may overlap but never sit on each other.
        assert distance >= (d - TOLERANCE if weeks <= 8 else d / 3), f"markers of lines {a} and {b} overlap"


@pytest.mark.parametrize("pattern", sorted(PATTERNS))
@pytest.mark.parametrize("elements", range(1, 8))
def test_one_week_is_bars_with_every_value_labelled_inside(elements: int, pattern: str) -> None:
    figure = accuracy_figure(series_for(1, elements, pattern), "Your accuracy by element")
    check_title_and_legend(figure)
    axes = figure.axes[0]
    assert not figure.legends, "the names are on the axis; a legend would repeat them"
    assert not markers(figure), "one week is drawn as bars, not floating dots"
    assert len(axes.patches) == elements
    data_area = axes.get_window_extent()
    labels = [text for text in axes.texts if text.get_text().endswith("%")]
    assert len(labels) == elements
    boxes = [label.get_window_extent() for label in labels]
    for box in boxes:
        assert inside(box, data_area), "a value label is cut off"
    for first, second in itertools.combinations(boxes, 2):
        assert not first.overlaps(second)
    for bar in axes.patches:
        assert inside(bar.get_window_extent(), data_area)
    names = [tick.get_text() for tick in axes.get_yticklabels()]
    assert names == [ELEMENTS[e] for e in list(ELEMENTS)[:elements]]


def test_a_zero_bar_still_shows_its_value() -> None:
    figure = accuracy_figure({"empathy": [(WEEKS[0], 0.0)], "congruence": [(WEEKS[0], 1.0)]}, "Group accuracy")
    assert sorted(text.get_text() for text in figure.axes[0].texts) == ["0%", "100%"]


@pytest.mark.parametrize("series", [{}, {"empathy": []}])
def test_no_elements_says_no_data(series: dict) -> None:
    figure = accuracy_figure(series, "Group accuracy by element")
    texts = [text.get_text() for text in figure.axes[0].texts]
    assert texts == ["No data yet"]
    title = figure._suptitle.get_window_extent()
    assert not title.overlaps(figure.axes[0].texts[0].get_window_extent())


def test_every_element_has_its_own_colour_and_shape() -> None:
    figure = accuracy_figure(series_for(3, 7, "spread"), "Group accuracy by element")
    lines = figure.axes[0].lines
    assert len({line.get_color() for line in lines}) == 7
    assert len({line.get_marker() for line in lines}) == 7
    # Okabe–Ito, without its yellow, which disappears on a white background.
    assert {line.get_color() for line in lines} == {colour for colour, _ in ELEMENT_STYLE.values()}
    assert "#F0E442" not in {line.get_color() for line in lines}


def test_same_element_keeps_its_colour_whatever_else_is_shown() -> None:
    alone = accuracy_figure({"transference": [(WEEKS[0], 0.5), (WEEKS[1], 0.7)]}, "t")
    with_others = accuracy_figure(series_for(2, 7, "spread"), "t")
    colour = alone.axes[0].lines[0].get_color()
    assert colour in {line.get_color() for line in with_others.axes[0].lines}
    assert colour == ELEMENT_STYLE["transference"][0]


@pytest.mark.parametrize("weeks", [1, 2])
def test_png_has_an_opaque_background_for_dark_and_light_themes(weeks: int) -> None:
    png, _ = group_accuracy_chart(series_for(weeks, 3, "spread"))
    pixels = imread(io.BytesIO(png), format="png")
    assert pixels.shape[2] == 4 or pixels.shape[2] == 3
    if pixels.shape[2] == 4:
        assert pixels[..., 3].min() == 1.0, "a transparent pixel would take Discord's theme colour"
    inner = pixels[10:-10, 10:-10, :3]
    assert (inner.reshape(-1, 3) == 1.0).all(axis=1).mean() > 0.5, "the background is white"


# Topics named as the German element names are, so the test does not wait on their translation: long words,
# umlauts, parentheses (a server's own topic is drawn under its id, capitalised).
GERMAN_NAMES = [
    "empathie",
    "kongruenz_(echtheit)",
    "bedingungslose_positive_wertschätzung",
    "arbeitsbündnis",
    "übertragung",
    "gegenübertragung",
    "ruptur_und_reparatur",
    "supervision_und_reflexive_praxis",
]


@pytest.mark.parametrize("weeks", [1, 8, 26])
def test_a_german_chart_keeps_its_longer_words_inside(weeks: int) -> None:
    series = {name: [(WEEKS[w], (w + i) % 3 / 2) for w in range(weeks)] for i, name in enumerate(GERMAN_NAMES)}
    with speaking("de"):
        figure = accuracy_figure(series, in_language("de", "Group accuracy by element"))
    assert figure._suptitle.get_text() == "Trefferquote der Gruppe nach Element"
    check_title_and_legend(figure)
    axes = figure.axes[0]
    legend_texts = [text for legend in figure.legends for text in legend.get_texts()]
    texts = [axes.xaxis.label, axes.yaxis.label, *axes.get_xticklabels(), *axes.get_yticklabels(), *axes.texts]
    for text in [*texts, *legend_texts]:
        if text.get_text():
            assert inside(text.get_window_extent(), figure.bbox), f"{text.get_text()!r} runs off the image"
    if weeks == 1:
        assert axes.xaxis.label.get_text() == "Richtige Antworten, Woche ab 05.01.2026"
        assert [tick.get_text() for tick in axes.get_xticklabels()][-1] == "100\xa0%"
        assert "Bedingungslose positive wertschätzung" in [tick.get_text() for tick in axes.get_yticklabels()]
    else:
        assert axes.xaxis.label.get_text() == "Woche ab" and axes.yaxis.label.get_text() == "Richtige Antworten"
        assert axes.get_xticklabels()[0].get_text() == "5. Jan."
        assert [tick.get_text() for tick in axes.get_yticklabels()][-1] == "100\xa0%"
