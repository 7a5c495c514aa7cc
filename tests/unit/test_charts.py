"""Charts: valid PNGs of the expected size, one-line summaries, and no leak of counts below k."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from matplotlib.image import imread

from bot.charts import checkin_summary_chart, checkin_summary_figure, group_accuracy_chart, personal_mastery_chart
from bot.i18n import speaking
from cogs.checkin.logic import render_count, suppress

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
WEEKS = [date(2025, 1, 6) + timedelta(weeks=n) for n in range(6)]
SERIES = {
    "empathy": [(week, 0.6 + 0.024 * n) for n, week in enumerate(WEEKS)],
    "rupture_repair": [(week, 0.9 - 0.1 * n) for n, week in enumerate(WEEKS[:3])],
    "congruence": [(WEEKS[2], 0.5)],
}


def assert_png(data: bytes) -> None:
    assert data.startswith(PNG_MAGIC)
    pixels = imread(io.BytesIO(data), format="png")
    assert pixels.shape[:2] == (450, 800)
    assert pixels.std() > 0  # something was drawn
    assert len(data) < 200_000


def assert_one_line(summary: str) -> None:
    assert summary
    assert "\n" not in summary and "\r" not in summary


@pytest.mark.parametrize("chart", [group_accuracy_chart, personal_mastery_chart])
def test_accuracy_charts_render_and_describe_each_element(chart) -> None:
    png, summary = chart(SERIES)
    assert_png(png)
    assert_one_line(summary)
    assert "over 6 weeks" in summary
    assert "Empathy 72% (up from 60%)" in summary
    assert "Rupture and repair 70% (down from 90%)" in summary
    assert "Congruence 50%" in summary
    # Elements are listed in the standard order, by display name.
    assert summary.index("Empathy") < summary.index("Congruence") < summary.index("Rupture and repair")


def test_group_and_personal_summaries_are_distinguishable() -> None:
    assert group_accuracy_chart(SERIES)[1].startswith("Group accuracy")
    assert personal_mastery_chart(SERIES)[1].startswith("Your accuracy")


def test_unchanged_and_single_week_trends() -> None:
    _, summary = group_accuracy_chart({"empathy": [(WEEKS[0], 0.5), (WEEKS[1], 0.5)]})
    assert summary == "Group accuracy by element over 2 weeks: Empathy 50% (unchanged)."
    png, summary = group_accuracy_chart({"transference": [(WEEKS[0], 1.0)]})
    assert_png(png)
    assert summary == "Group accuracy by element over 1 week: Transference 100%."


def test_unsorted_points_and_unknown_elements_are_handled() -> None:
    png, summary = group_accuracy_chart({"custom_topic": [(WEEKS[3], 0.8), (WEEKS[0], 0.4)]})
    assert_png(png)
    assert "Custom topic 80% (up from 40%)" in summary


def test_many_weeks_render() -> None:
    weeks = [date(2024, 1, 1) + timedelta(weeks=n) for n in range(30)]
    png, summary = group_accuracy_chart({"empathy": [(week, (n % 10) / 10) for n, week in enumerate(weeks)]})
    assert_png(png)
    assert "over 30 weeks" in summary


@pytest.mark.parametrize("series", [{}, {"empathy": []}])
@pytest.mark.parametrize("chart", [group_accuracy_chart, personal_mastery_chart])
def test_empty_accuracy_input_gives_a_no_data_chart(chart, series) -> None:
    png, summary = chart(series)
    assert_png(png)
    assert_one_line(summary)
    assert "no data yet" in summary


def test_checkin_chart_shows_counts_and_hides_small_ones() -> None:
    png, summary = checkin_summary_chart({"Protective": 7, "Bored": None, "Angry": 12}, k=3)
    assert_png(png)
    assert_one_line(summary)
    assert "Protective 7" in summary
    assert "Angry 12" in summary
    assert "Bored fewer than 3" in summary


@pytest.mark.parametrize("hidden", [None, 1, 2])
def test_counts_below_k_never_leak(hidden: int | None) -> None:
    png, summary = checkin_summary_chart({"Protective": 9, "Bored": hidden}, k=3)
    assert "Bored fewer than 3" in summary
    assert summary.count("fewer than") == 1
    without_k_and_visible = summary.replace("fewer than 3", "").replace("9", "")
    assert not any(ch.isdigit() for ch in without_k_and_visible)
    # The picture is identical whatever the hidden count was, so the bar cannot give it away either.
    assert png == checkin_summary_chart({"Protective": 9, "Bored": None}, k=3)[0]


def test_zero_is_drawn_as_zero_as_the_text_says() -> None:
    _, summary = checkin_summary_chart({"Protective": 9, "Bored": 0}, k=3)
    assert "Bored 0" in summary and "fewer than" not in summary


def drawn(counts: dict[str, int | None], k: int) -> dict[str, tuple[float, str]]:
    """What the figure shows per label: the bar's length and every text written on its row."""
    figure, _ = checkin_summary_figure(counts, k)
    axes = figure.axes[0]
    figure.canvas.draw()
    rows = [t.get_text() for t in axes.get_yticklabels()]
    bars = [patch.get_width() for patch in axes.patches]
    words: dict[int, list[str]] = {i: [] for i in range(len(rows))}
    for text in axes.texts:
        if text.get_text():
            row = round(text.xy[1]) if hasattr(text, "xy") else round(text.get_position()[1])
            words[row].append(text.get_text())
    return {rows[i]: (bars[i], " ".join(words[i])) for i in range(len(rows))}


def test_every_cell_of_the_summary_chart_says_what_the_text_says() -> None:
    k = 3
    counts = {"Zero": 0, "Hidden": None, "Slip": 2, "At k": 3, "Many": 7}
    result = drawn(counts, k)
    for label, count in counts.items():
        words = render_count(suppress(count, k) if count is not None else None, k)  # the text beside the chart
        length, written = result[label]
        if words.startswith("fewer than"):
            assert length == 0 and f"fewer than {k}" in written  # marked, with no length to read
        else:
            assert length == int(words) and written == words


@pytest.mark.parametrize("themes", range(9))
def test_summary_chart_keeps_its_labels_inside_with_0_to_8_themes(themes: int) -> None:
    counts: dict[str, int | None] = {f"Theme {n}": (None if n % 2 else n + 3) for n in range(themes)}
    if not counts:
        assert checkin_summary_chart(counts, k=3)[1] == "Check-in themes: no data yet."
        return
    figure, _ = checkin_summary_figure(counts, 3)
    figure.canvas.draw()
    axes = figure.axes[0]
    frame = axes.get_window_extent()
    renderer = figure.canvas.get_renderer()
    for text in axes.texts:
        box = text.get_window_extent(renderer)
        assert frame.x0 - 1 <= box.x0 and box.x1 <= frame.x1 + 1, text.get_text()


def test_count_equal_to_k_is_shown() -> None:
    _, summary = checkin_summary_chart({"Anxious": 5}, k=5)
    assert summary.endswith("Anxious 5.")


def test_checkin_labels_with_newlines_stay_on_one_line() -> None:
    png, summary = checkin_summary_chart({"Wanting to\nrescue": 4, "Irritated": None}, k=4)
    assert_png(png)
    assert_one_line(summary)
    assert "Wanting to rescue 4" in summary


def test_empty_checkin_input_gives_a_no_data_chart() -> None:
    png, summary = checkin_summary_chart({}, k=3)
    assert_png(png)
    assert summary == "Check-in themes: no data yet."


def test_checkin_rejects_k_below_one() -> None:
    with pytest.raises(ValueError, match="k"):
        checkin_summary_chart({"Angry": 3}, k=0)


def test_charts_render_safely_from_threads() -> None:
    expected = group_accuracy_chart(SERIES)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: group_accuracy_chart(SERIES), range(4)))
    assert all(result == expected for result in results)


def test_a_german_reader_gets_whole_german_sentences_and_german_percentages() -> None:
    with speaking("de"):
        _, summary = group_accuracy_chart(SERIES)
        _, empty = personal_mastery_chart({})
    assert summary.startswith("Trefferquote der Gruppe nach Element über 6 Wochen: ")
    assert "72\xa0% (gestiegen von 60\xa0%)" in summary and "70\xa0% (gesunken von 90\xa0%)" in summary
    assert empty == "Deine Trefferquote nach Element: noch keine Daten."


def test_the_check_in_summary_hides_small_counts_in_french_too() -> None:
    with speaking("fr"):
        _, summary = checkin_summary_chart({"Protecteur": 7, "Ennuyé": None}, k=3)
    assert summary == "Thèmes des check-ins (nombre de check-ins) : Protecteur 7; Ennuyé moins de 3."
