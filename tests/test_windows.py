"""Long articles are split into paragraph-aligned windows that cover every character."""

from __future__ import annotations

import re

from synthetic import long_article

from summarizer.windows import windows


def test_a_short_article_is_one_window():
    assert [(w.shown_from, w.start, w.end) for w in windows("One.\n\nTwo.", 1000)] == [(0, 0, 10)]


def test_a_60000_character_article_is_covered_by_paragraph_aligned_windows():
    text = long_article(60_000)
    assert len(text) >= 60_000
    parts = windows(text, 12_000)
    assert len(parts) == 6
    assert parts[0].start == 0 and parts[-1].end == len(text)
    paragraph_starts = {m.start() for m in re.finditer(r"[^\n]+", text)}
    for before, after in zip(parts, parts[1:], strict=False):
        assert before.end == after.start  # contiguous: every candidate belongs to one window
        assert after.start in paragraph_starts
        assert after.shown_from in paragraph_starts and after.shown_from < after.start
    assert all(w.end - w.start <= 12_000 for w in parts)


def test_a_paragraph_longer_than_the_limit_stands_alone():
    text = "Short.\n" + "x" * 50 + "\nEnd."
    assert [(w.start, w.end) for w in windows(text, 20)] == [(0, 7), (7, 58), (58, 62)]


def test_a_page_without_paragraph_breaks_is_cut_between_its_sentences():
    """Left whole, the body made a window of its own and the headline another, so the
    title and summary were written from the headline alone."""
    headline = "Council approves the budget\n"
    text = headline + " ".join(
        f"Member {i} spoke about the new plan for the city." for i in range(30)
    )
    parts = windows(text, 400)
    assert parts[0].start == 0 and parts[0].end > len(headline)  # the headline has company
    assert all(w.end - w.start <= 400 for w in parts) and parts[-1].end == len(text)
    for before, after in zip(parts, parts[1:], strict=False):
        assert before.end == after.start and text[after.start - 2 : after.start + 7] == ". Member "
        assert after.start - after.shown_from < 60  # one sentence of context, not the page
