"""Prompt footers say in words what a prompt asks and what it is for, instead of the bank's tags."""

from __future__ import annotations

import pytest

from bot.content.banks import ReflectionPrompt
from bot.content.elements import REFLECTIVE_STAGES, SUPERVISION_FUNCTIONS
from cogs.reflect.render import FUNCTION_WORDS, STAGE_WORDS, prompt_embed


def prompt(stage: str, function: str | None) -> ReflectionPrompt:
    return ReflectionPrompt("empathy-p001", "empathy", stage, "What happened?", "Rogers (1957)", function)


def test_every_stage_and_function_has_words() -> None:
    assert set(STAGE_WORDS) == set(REFLECTIVE_STAGES)
    assert set(FUNCTION_WORDS) == set(SUPERVISION_FUNCTIONS)


@pytest.mark.parametrize("stage", REFLECTIVE_STAGES)
@pytest.mark.parametrize("function", [*SUPERVISION_FUNCTIONS, None])
def test_footer_reads_as_a_sentence(stage: str, function: str | None) -> None:
    footer = prompt_embed(prompt(stage, function), notice="Notice.").footer.text
    assert footer.startswith(f"Empathy · This prompt asks you to {STAGE_WORDS[stage]}")
    if function:
        assert f"Focus: {FUNCTION_WORDS[function]}" in footer
        assert function not in footer
    assert "\nSource: Rogers (1957)" in footer
    assert footer.endswith("\n\nNotice.")
