"""Locating the model's words in the article, in code."""

from __future__ import annotations

import re

import pytest

from summarizer.grounding import find_text, split_sentences
from summarizer.units import noun_after

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


def test_an_abbreviations_or_an_initials_stop_does_not_end_a_sentence():
    text = 'On Jan. 5 John F. Kennedy Jr. flew to the U.S. capital. "A show, no?" Ortega said.'
    assert [s.text for s in split_sentences(text)] == [
        "On Jan. 5 John F. Kennedy Jr. flew to the U.S. capital.",
        '"A show, no?"',  # a question mark ends it, as after any other word
        "Ortega said.",
    ]


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
    "text",
    ['Photo 201 "There are eight fire engines here"', "Photo 201 “There are eight fire engines”"],
)
def test_a_unit_never_crosses_a_quotation_mark(text):
    number = re.search(r"\d+", text)
    assert noun_after(text, number.end()) == ("", number.end())
    stops = text.replace("201", "201 bus stops")
    assert noun_after(stops, number.end())[0] == "bus stops"


@pytest.mark.parametrize(
    ("sentence", "noun"),
    [
        ("Nearly 400 villagers were moved inland.", "villagers"),
        ("It said 12 armoured fighting vehicles crossed.", "armoured fighting vehicles"),
        ("The panel read nine reports published by the state.", "reports"),
        ("About 80 Leeds supporters stayed behind.", "Leeds supporters"),
        ("The firm sold 41,200 Model 3s that year.", "Model 3s"),
        ("The index closed at 7,215, its best day.", ""),
        ("More than 300 streets still had no trees.", "streets"),
        ("Only 40 of them came.", ""),
        ("The toll rose to 6 Friday, officials said.", ""),
        ("The 5 victims range in age from 17 to 46.", "victims"),
        ("The 2 men remain in hospital.", "men"),
        ("It was 500 degrees celsius inside.", "degrees celsius"),
        ("Police stopped 3 bus drivers.", "bus drivers"),
    ],
    ids=[
        "noun",
        "modifiers",
        "verb-after",
        "name",
        "model-name",
        "bare",
        "adverb",
        "of",
        "day",
        "plural-verb",
        "irregular-plural",
        "degrees",
        "bus",
    ],
)
def test_noun_after_names_what_a_number_counts(sentence, noun):
    number = re.search(r"\d[\d,]*|nine", sentence)
    words, end = noun_after(sentence, number.end())
    assert words == noun
    assert sentence[number.end() : end].strip() == noun
