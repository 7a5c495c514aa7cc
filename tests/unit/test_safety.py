"""The 'not therapy' notice and the support line beside it."""

from __future__ import annotations

import pytest

from bot.safety import NOT_THERAPY, SUPPORT_LINE_LIMIT, clean_support_line, safety_notice


def test_the_notice_is_one_line_and_says_what_the_bot_is_not() -> None:
    assert "\n" not in NOT_THERAPY
    assert "not therapy or an emergency service" in NOT_THERAPY
    assert safety_notice() == NOT_THERAPY
    assert safety_notice("Crisis line 988") == f"{NOT_THERAPY} Support: Crisis line 988"


@pytest.mark.parametrize("clear", ["none", "NONE", "clear", "-", "   "])
def test_clear_words_remove_the_line(clear: str) -> None:
    assert clean_support_line(clear) is None


def test_the_line_is_kept_on_one_line_and_limited() -> None:
    assert clean_support_line(" Call\n 116\t123 ") == "Call 116 123"
    assert clean_support_line("x" * SUPPORT_LINE_LIMIT) == "x" * SUPPORT_LINE_LIMIT
    with pytest.raises(ValueError, match=f"{SUPPORT_LINE_LIMIT + 1} characters"):
        clean_support_line("x" * (SUPPORT_LINE_LIMIT + 1))
