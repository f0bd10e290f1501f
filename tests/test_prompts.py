"""Prompt templates: strict rendering and a version that follows their contents."""

from __future__ import annotations

import hashlib

import pytest

from summarizer import prompts
from summarizer.errors import SummarizerError


def test_missing_variable_is_a_named_error():
    with pytest.raises(SummarizerError, match="prompt figures: 'numbers' is undefined"):
        prompts.render("figures")


def test_version_is_the_hash_of_the_templates():
    digest = hashlib.sha256()
    for path in sorted(prompts.prompts_dir().glob("*.j2")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    assert prompts.prompt_version() == digest.hexdigest()[:12]


def test_article_comes_first_and_task_last():
    """Passes share the system prompt (with the article), so the server's cache reuses it."""
    system = prompts.render(
        "system",
        paragraphs=[[{"number": 1, "text": "Rain fell.", "paragraph": 0}]],
        published="2025-01-05",
        weekday="Sunday",
    )
    assert system.endswith("[S1] Rain fell.")
    assert "TASK" not in system
