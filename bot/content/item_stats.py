"""Item statistics from recorded answers: facility, option pick rates, discrimination, and items that look broken."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

from bot.content.banks import QuizItem
from bot.i18n import _, number, percent

LETTERS = "ABCDE"


@dataclass(frozen=True)
class Answer:
    """One member's first counted answer to one item; the member key is only used to pair their answers."""

    member: Hashable
    item_id: str
    choice: int
    correct: bool


@dataclass(frozen=True)
class ItemStats:
    """How a group answered one item."""

    item_id: str
    answers: int
    facility: float
    pick_rates: tuple[float, ...]
    key: int
    # Correlation of the item with members' scores on their other items; None when it cannot be computed.
    discrimination: float | None

    @property
    def flags(self) -> list[str]:
        """Return why the item looks broken, if it does."""
        found = []
        for index, rate in enumerate(self.pick_rates):
            if index != self.key and rate > self.pick_rates[self.key]:
                # Translators: {letter} is an option's letter (A-E); a distractor is a wrong option.
                found.append(_("distractor {letter} chosen more than the key").format(letter=LETTERS[index]))
        if self.discrimination is not None and self.discrimination < 0:
            found.append(_("negative discrimination"))
        return found


def first_answers(answers: Iterable[Answer]) -> list[Answer]:
    """Keep each member's first answer to each item (answers must come oldest first), so no one counts twice."""
    seen: dict[tuple[Hashable, str], Answer] = {}
    for answer in answers:
        seen.setdefault((answer.member, answer.item_id), answer)
    return list(seen.values())


def _correlation(xs: list[float], ys: list[float]) -> float | None:
    if len(xs) < 2:
        return None
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mean_x) ** 2 for x in xs)
    syy = sum((y - mean_y) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def item_statistics(answers: Iterable[Answer], items: Mapping[str, QuizItem], k: int) -> list[ItemStats]:
    """Compute statistics for every known item that at least k members answered; others show nothing."""
    answers = first_answers(answers)
    by_member: dict[Hashable, list[Answer]] = defaultdict(list)
    by_item: dict[str, list[Answer]] = defaultdict(list)
    for answer in answers:
        if answer.item_id in items:
            by_member[answer.member].append(answer)
            by_item[answer.item_id].append(answer)
    results = []
    for item_id, group in sorted(by_item.items()):
        if len(group) < max(k, 1):
            continue
        item = items[item_id]
        picks = [0] * len(item.options)
        for answer in group:
            if 0 <= answer.choice < len(picks):
                picks[answer.choice] += 1
        scored, rest = [], []
        for answer in group:
            # The rest score leaves this item out, so an item cannot correlate with itself.
            others = [a.correct for a in by_member[answer.member] if a.item_id != item_id]
            if others:
                scored.append(float(answer.correct))
                rest.append(sum(others) / len(others))
        results.append(
            ItemStats(
                item_id=item_id,
                answers=len(group),
                facility=sum(a.correct for a in group) / len(group),
                pick_rates=tuple(count / len(group) for count in picks),
                key=item.correct_index,
                discrimination=_correlation(scored, rest),
            )
        )
    return results


def stats_lines(stats: list[ItemStats], k: int) -> list[str]:
    """Render statistics as plain lines, items that look broken first."""
    if not stats:
        return [_("No item has answers from at least {k} members yet, so there is nothing to show.").format(k=k)]
    ordered = sorted(stats, key=lambda s: (not s.flags, s.item_id))
    lines = []
    for s in ordered:
        picks = " ".join(
            f"{LETTERS[i]}{'*' if i == s.key else ''} {percent(rate)}" for i, rate in enumerate(s.pick_rates)
        )
        disc = _("n/a") if s.discrimination is None else number(s.discrimination, pattern="+0.00;-0.00")
        flags = s.flags
        flag = f"  ⚠ {'; '.join(flags)}" if flags else ""
        # Translators: {item} is the item's id; n is the number of answers; facility is the share answered right.
        line = _("{item}: n={n}, facility {facility}, discrimination {discrimination}; {picks}").format(
            item=s.item_id, n=s.answers, facility=percent(s.facility), discrimination=disc, picks=picks
        )
        lines.append(line + flag)
    return lines
