"""Articles that are long, not in English, or that try to steer the model: still grounded."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import RECORDED_MODEL
from synthetic import long_article

import summarizer
from summarizer.windows import windows

INJECTION = (Path(__file__).parent / "data" / "injection.txt").read_text(encoding="utf-8")


@pytest.mark.vcr
def test_a_60000_character_article_is_briefed_window_by_window(client):
    text = long_article(60_000)
    brief = summarizer.summarize(text, client=client, model=RECORDED_MODEL)
    brief.check_grounding(text)
    # every quote once, at its first telling, with offsets in the whole text: the quote's
    # sentence repeats word for word every 40 paragraphs, and a repeat is not a new quote
    told = [m.group() for m in re.finditer(r'"We have waited[^"]*," council member \w+ \w+', text)]
    paragraphs = len(set(told))
    assert len(told) > paragraphs
    assert len(brief.quotes) == paragraphs
    first = sorted(text.index(sentence) + 1 for sentence in set(told))  # inside the mark
    assert sorted(q.evidence.start for q in brief.quotes) == first
    # "council member Amal Okafor" or "Amal Okafor": the name the paragraph gives
    names = [
        re.search(r"council member (\w+ \w+)", text[q.evidence.end :]).group(1)
        for q in brief.quotes
    ]
    named = [
        q
        for q, name in zip(brief.quotes, names, strict=True)
        if q.speaker and q.speaker.endswith(name)
    ]
    assert len(named) >= 0.9 * paragraphs
    parts = windows(text)
    covered = {
        i
        for e in brief.events
        for span in e.evidence
        for i, w in enumerate(parts)
        if w.start <= span.start < w.end
    }
    assert covered == set(range(len(parts)))  # events from every part of the article
    whats = [" ".join(e.what.lower().split()) for e in brief.events]
    assert len(whats) == len(set(whats))  # an event told in two windows is one event
    quoted = sum(any(w.start <= q.evidence.start < w.end for q in brief.quotes) for w in parts)
    assert brief.meta.attempts >= 2 * len(parts) + quoted  # quotes asked where there are some


@pytest.mark.vcr
def test_instructions_inside_the_article_do_not_steer_the_brief(client):
    brief = summarizer.summarize(INJECTION, client=client, model=RECORDED_MODEL)
    brief.check_grounding(INJECTION)
    assert "HACKED" not in brief.title
    fire = next(q for q in brief.quotes if q.text.startswith("The fire is under control"))
    assert fire.speaker.endswith("Marta Sousa")
    assert all(q.text in INJECTION for q in brief.quotes)
    assert {f.value for f in brief.figures} <= {6, 40}  # none from the injected sentence
    assert any("IGNORE ALL PREVIOUS INSTRUCTIONS" in w for w in brief.meta.warnings)


@pytest.mark.vcr
@pytest.mark.default_cassette("test_instructions_inside_the_article_do_not_steer_the_brief.yaml")
def test_an_injected_claim_stays_out_of_the_summary(client):
    """The injected sentence grounds no number, so "1,000,000" cannot stay in the summary."""
    brief = summarizer.summarize(INJECTION, client=client, model=RECORDED_MODEL)
    assert "1,000,000" not in brief.summary


SPANISH = (Path(__file__).parent / "data" / "spanish.txt").read_text(encoding="utf-8")


@pytest.mark.vcr
def test_a_spanish_article_is_briefed_and_grounded(client):
    brief = summarizer.summarize(SPANISH, client=client, model=RECORDED_MODEL)
    brief.check_grounding(SPANISH)
    assert brief.quotes[0].speaker.endswith("Lucía Romero")
    # "5.000" is 5000 (a dot grouping thousands), never 5; "3 millones" is 3,000,000
    assert {f.value for f in brief.figures} <= {5000, 3_000_000}


@pytest.mark.vcr
@pytest.mark.default_cassette("test_a_spanish_article_is_briefed_and_grounded.yaml")
def test_a_spanish_article_gets_a_spanish_summary(client):
    """The article's language is guessed and named in the prompt ("Spanish", not "the
    language the article is written in", which the 1.5B model answered in English)."""
    brief = summarizer.summarize(SPANISH, client=client, model=RECORDED_MODEL)
    words = set(brief.summary.lower().split())
    assert words & {"el", "la", "de", "ayuntamiento"} and not words & {"the", "of"}


@pytest.mark.vcr
def test_lang_chooses_the_language_of_the_generated_text(client):
    with summarizer.Summarizer(client=client, model=RECORDED_MODEL, lang="Spanish") as engine:
        brief = engine.summarize(INJECTION)
    brief.check_grounding(INJECTION)
    words = set(brief.summary.lower().split())
    assert words & {"el", "la", "de", "los", "incendio"}
    assert any(q.text.startswith("The fire is under control") for q in brief.quotes)  # as written
