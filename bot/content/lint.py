"""Bank lint: measure the surface cues a test-wise trainee could answer from, without knowing the content."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.content.banks import QuizItem

# Words that make an option sound too strong to be right; test-wise readers eliminate on them.
ABSOLUTE_WORDS = re.compile(
    r"\b(always|never|only|any|anything|anyone|all|every|everything|everyone|nothing|none|at once|must)\b",
    re.IGNORECASE,
)
# The keyed answer may be the longest option at most this far above the rate chance gives.
LONGEST_MARGIN = 0.10
# Keys must carry absolute words at between these multiples of the distractors' rate.
ABSOLUTE_RATIO_BAND = (0.5, 2.0)
# Chi-square critical values at p = .05 by degrees of freedom: key positions no less even than chance allows.
_CHI2_05 = {1: 3.841, 2: 5.991, 3: 7.815, 4: 9.488}
LETTERS = "ABCDE"


@dataclass(frozen=True)
class LintFigure:
    """One measured cue, the limit it is held to, and whether the bank passes."""

    name: str
    value: str
    limit: str
    ok: bool

    def __str__(self) -> str:
        return f"{self.name}: {self.value} ({'ok' if self.ok else 'FAILS'}; {self.limit})"


def has_absolute(text: str) -> bool:
    """Return whether an option uses an absolute word."""
    return ABSOLUTE_WORDS.search(text) is not None


def keyed_longest(items: Sequence[QuizItem]) -> LintFigure:
    """Share of items whose key is the longest option (ties included), against the share chance would give."""
    longest = 0
    for item in items:
        lengths = [len(option.text) for option in item.options]
        key = lengths[item.correct_index]
        longest += all(key >= length for i, length in enumerate(lengths) if i != item.correct_index)
    share = longest / len(items)
    chance = sum(1 / len(item.options) for item in items) / len(items)
    return LintFigure(
        "keyed-longest share",
        f"{longest}/{len(items)} = {share:.0%}",
        f"chance {chance:.0%}, at most {chance + LONGEST_MARGIN:.0%}",
        share <= chance + LONGEST_MARGIN,
    )


def absolute_ratio(items: Sequence[QuizItem]) -> LintFigure:
    """Rate of absolute words in keys divided by their rate in distractors."""
    keys = [item.options[item.correct_index].text for item in items]
    distractors = [o.text for item in items for o in item.options if not o.correct]
    key_rate = sum(map(has_absolute, keys)) / len(keys)
    distractor_rate = sum(map(has_absolute, distractors)) / len(distractors) if distractors else 0.0
    low, high = ABSOLUTE_RATIO_BAND
    if key_rate == distractor_rate == 0:
        ratio, ok = "no absolute words", True
    elif distractor_rate == 0:
        ratio, ok = "keys only", False
    else:
        value = key_rate / distractor_rate
        ratio, ok = f"{value:.2f}", low <= value <= high
    return LintFigure(
        "absolute-word ratio (keys / distractors)",
        f"{ratio} (keys {key_rate:.0%}, distractors {distractor_rate:.0%})",
        f"band {low}-{high}",
        ok,
    )


def key_positions(items: Sequence[QuizItem]) -> LintFigure:
    """Keys per position against what chance gives for each item's option count (chi-square, p = .05)."""
    width = max(len(item.options) for item in items)
    observed = [0] * width
    expected = [0.0] * width
    for item in items:
        observed[item.correct_index] += 1
        for position in range(len(item.options)):
            expected[position] += 1 / len(item.options)
    chi2 = sum((o - e) ** 2 / e for o, e in zip(observed, expected, strict=True) if e)
    critical = _CHI2_05[max(1, min(4, width - 1))]
    counts = " ".join(f"{LETTERS[i]}{observed[i]}/{expected[i]:.0f}" for i in range(width))
    return LintFigure(
        "key positions (observed/expected)",
        f"{counts}, chi-square {chi2:.1f}",
        f"at most {critical}",
        chi2 <= critical,
    )


def lint_bank(items: Sequence[QuizItem]) -> list[LintFigure]:
    """Measure every surface cue on a bank; an empty bank has none."""
    if not items:
        return []
    return [keyed_longest(items), absolute_ratio(items), key_positions(items)]
