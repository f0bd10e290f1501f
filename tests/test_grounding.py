"""Locating the model's words in the article, in code."""

from __future__ import annotations

import pytest

from summarizer.grounding import find_text, find_unit, split_sentences

TEXT = "Officials said: “It is over.” The army sent 12 armoured vehicles, two tanks and 30km of wire.\n\nMr. Smith left."


def test_sentences_keep_offsets_and_paragraphs():
    sentences = split_sentences(TEXT)
    assert [s.text for s in sentences] == [
        "Officials said: “It is over.”",
        "The army sent 12 armoured vehicles, two tanks and 30km of wire.",
        "Mr. Smith left.",
    ]
    assert all(TEXT[s.start : s.end] == s.text for s in sentences)
    assert [s.paragraph for s in sentences] == [0, 0, 1]


@pytest.mark.parametrize(
    ("needle", "found"),
    [
        ('"It is over."', "“It is over.”"),
        ("the ARMY", "The army"),
        ("army  sent", "army sent"),
        ("arm", None),
    ],
    ids=["curly-quotes", "case", "whitespace", "word-boundary"],
)
def test_find_text(needle, found):
    hit = find_text(TEXT, needle)
    assert (TEXT[hit[0] : hit[1]] if hit else None) == found


@pytest.mark.parametrize(
    ("number", "unit", "covered"),
    [
        ("12", "armoured vehicles", "12 armoured vehicles"),
        ("two", "tank", "two tanks"),
        ("12", "tanks", None),  # a unit from later in the sentence is not this number's
        ("30km", "wire", None),  # "30km of wire": the unit is km, wire is what it measures
    ],
    ids=["phrase", "plural", "not-adjacent", "after-preposition"],
)
def test_find_unit(number, unit, covered):
    start = TEXT.index(f" {number} ") + 1 if f" {number} " in TEXT else TEXT.index(number)
    end = find_unit(TEXT, unit, start + len(number))
    assert (TEXT[start:end] if end else None) == covered
