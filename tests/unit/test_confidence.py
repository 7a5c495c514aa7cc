"""The review schedule confidence sets, and calibration."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cogs.quiz.confidence import CERTAIN, FAIRLY_SURE, GUESSING, calibration, calibration_lines, review_delay


@pytest.mark.parametrize(
    ("correct", "confidence", "delay"),
    [
        (False, CERTAIN, timedelta(days=1)),
        (False, FAIRLY_SURE, timedelta(days=3)),
        (False, GUESSING, timedelta(days=7)),
        (False, None, timedelta(days=7)),
        (True, GUESSING, timedelta(days=7)),
        (True, FAIRLY_SURE, None),
        (True, CERTAIN, None),
        (True, None, None),
    ],
)
def test_a_confident_miss_comes_back_soonest(correct: bool, confidence: int | None, delay: timedelta | None) -> None:
    assert review_delay(correct, confidence) == delay


def test_calibration_counts_how_often_each_level_was_right() -> None:
    rated = [(CERTAIN, True), (CERTAIN, True), (CERTAIN, False), (GUESSING, False), (FAIRLY_SURE, True)]
    assert calibration(rated) == {GUESSING: (0, 1), FAIRLY_SURE: (1, 1), CERTAIN: (2, 3)}
    lines = calibration_lines(rated)
    assert "- Certain: right 2 of 3 (67%)" in lines and "- Guessing: right 0 of 1 (0%)" in lines
    assert calibration([]) == {}
    assert "tap how sure you were" in calibration_lines([])[0]
    with pytest.raises(ValueError):
        calibration([(4, True)])
