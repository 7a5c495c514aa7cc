"""Charts: valid PNGs of the expected size, one-line summaries, and no leak of counts below k."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from matplotlib.image import imread

from bot.charts import checkin_summary_chart, group_accuracy_chart, personal_mastery_chart

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


@pytest.mark.parametrize("hidden", [None, 0, 1, 2])
def test_counts_below_k_never_leak(hidden: int | None) -> None:
    png, summary = checkin_summary_chart({"Protective": 9, "Bored": hidden}, k=3)
    assert "Bored fewer than 3" in summary
    assert summary.count("fewer than") == 1
    without_k_and_visible = summary.replace("fewer than 3", "").replace("9", "")
    assert not any(ch.isdigit() for ch in without_k_and_visible)
    # The picture is identical whatever the hidden count was, so the bar cannot give it away either.
    assert png == checkin_summary_chart({"Protective": 9, "Bored": None}, k=3)[0]


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
