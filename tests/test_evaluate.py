"""Tests for summarizer.evaluate: token matching, P/R/F1 and the per-task scorers."""

from __future__ import annotations

import pytest

from summarizer.evaluate import (
    PRF,
    is_proper_name,
    match_one_to_one,
    parse_gold_values,
    score_events,
    score_figures,
    score_quotes,
    speaker_correct,
    token_f1,
    tokens,
    ungrounded,
    unit_matches,
)
from summarizer.schema import ArticleInfo, Brief, Event, Figure, Meta, Quote, Span, When

NOWHERE = Span(start=0, end=0, text="")


def brief(**fields) -> Brief:
    return Brief(
        article=ArticleInfo(chars=0, sha256=""),
        title="",
        summary="",
        meta=Meta(model="m", backend="b", prompt_version="p"),
        **fields,
    )


def quote(text: str, speaker: str | None = None, evidence: Span = NOWHERE) -> Quote:
    return Quote(text=text, kind="direct", speaker=speaker, evidence=evidence)


def figure(value: float, unit: str, value_max: float | None = None, counts: str = "") -> Figure:
    return Figure(
        value=value, value_max=value_max, unit=unit, counts=counts, text="", evidence=NOWHERE
    )


def event(
    what: str, who: list[str] | None = None, where: str | None = None, when: str | None = None
) -> Event:
    return Event(what=what, who=who or [], where=where, when=When(text=when), evidence=[])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello, World!", ["hello", "world"]),
        ("“We’ll win 2-1,” he said.", ["we", "ll", "win", "2", "1", "he", "said"]),
        ("Café №5 under_score", ["café", "5", "under", "score"]),
        ("... —", []),
    ],
    ids=["punctuation", "curly-quotes-digits", "unicode-underscore", "no-words"],
)
def test_tokens(text, expected):
    assert tokens(text) == expected


@pytest.mark.parametrize(
    ("predicted", "gold", "expected"),
    [
        ("The cat sat.", "the cat sat", 1.0),
        ("a b c", "a b", 0.8),
        ("a a b", "a b b", 2 / 3),
        ("dog", "cat", 0.0),
        ("", "cat", 0.0),
        ("", "...", 1.0),
    ],
    ids=["same-words", "partial", "multiset", "disjoint", "one-empty", "both-empty"],
)
def test_token_f1(predicted, gold, expected):
    assert token_f1(predicted, gold) == pytest.approx(expected)


def test_match_one_to_one_is_greedy_by_score_and_uses_each_side_once():
    predicted = ["a b c d", "a b c", "x y"]
    gold = ["a b c", "a b c d e"]
    pairs = match_one_to_one(predicted, gold, threshold=0.5)
    # "a b c" == "a b c" (1.0) first; then "a b c d" takes the other gold (8/9).
    assert pairs == [(1, 0, 1.0), (0, 1, pytest.approx(8 / 9))]


def test_match_one_to_one_threshold_and_empty():
    assert match_one_to_one(["a b"], ["a c"], threshold=0.6) == []
    assert match_one_to_one(["a b"], ["a c"], threshold=0.5) == [(0, 0, 0.5)]
    assert match_one_to_one([], ["a"], threshold=0.0) == []


def test_prf():
    prf = PRF(tp=3, fp=1, fn=3)
    assert (prf.precision, prf.recall) == (0.75, 0.5)
    assert prf.f1 == pytest.approx(0.6)
    assert PRF().precision == PRF().recall == PRF().f1 == 0.0
    assert prf + PRF(1, 2, 3) == PRF(4, 3, 6)
    assert sum([prf, PRF(1, 0, 0)]) == PRF(4, 1, 3)


@pytest.mark.parametrize(
    ("speaker", "expected"),
    [
        ("Donald Trump", True),
        ("Clinton", True),
        ("The New York Post", True),
        ("Mr. Obama", True),
        ("Victor Cha, a Korea scholar", True),
        ("he", False),
        ("He", False),
        ("I", False),
        ("the newspaper", False),
        ("The campaign", False),
        ("A spokesman", False),
        ("", False),
        (None, False),
    ],
    ids=lambda v: repr(v),
)
def test_is_proper_name(speaker, expected):
    assert is_proper_name(speaker) is expected


@pytest.mark.parametrize(
    ("predicted", "gold", "expected"),
    [
        ("Donald Trump", "Trump", True),
        ("Trump", "Donald J. Trump", True),
        ("Barack Obama", "Mr. Obama", True),
        ("Victor Cha", "Victor Cha, who served as Asia director under President George W. Bush", True),
        ("George W. Bush", "Victor Cha, who served as Asia director under President George W. Bush", False),
        ("Joseph Crowley", "Rep. Joseph Crowley (D-N.Y.), a leading advocate", True),
        ("Hillary Clinton", "Donald Trump", False),
        (None, "Trump", False),
    ],
    ids=["surname-in-full", "pred-surname", "title", "appositive", "appositive-wrong",
         "parenthetical", "wrong", "no-speaker"],
)  # fmt: skip
def test_speaker_correct(predicted, gold, expected):
    assert speaker_correct(predicted, gold) is expected


POLNEAR = {
    "quotes": [
        {"text": "keep the details of her medical treatment under wraps.", "speaker": "The New York Post"},
        {"text": "a total disaster for the country", "speaker": "he"},
        {"text": "we will win this election in November", "speaker": "Donald Trump"},
    ],
    "attributions": [],
}  # fmt: skip


def test_score_quotes_polnear():
    got = score_quotes(
        brief(
            quotes=[
                quote("“keep the details of her medical treatment under wraps”", "New York Post"),
                quote("a total disaster for this country", "Trump"),
                quote("We will win this election", "Mike Pence"),  # F1 0.71: matched
                quote("something nobody said", "Trump"),
            ]
        ),
        POLNEAR,
    )
    assert got["prf"] == PRF(tp=3, fp=1, fn=0)
    # "he" is no name: speaker accuracy counts the Post (right) and Trump (Pence: wrong).
    assert (got["speaker_total"], got["speaker_correct"]) == (2, 1)


def test_score_quotes_brief_gold_and_nothing_predicted():
    gold = {
        "schema_version": "1",
        "quotes": [{"text": "was good news", "speaker": "Andriy Yermak"}],
    }
    got = score_quotes(brief(quotes=[quote("was good news", "Yermak")]), gold)
    assert (got["prf"], got["speaker_total"], got["speaker_correct"]) == (PRF(1, 0, 0), 1, 1)
    got = score_quotes(brief(), gold)
    assert (got["prf"], got["speaker_total"]) == (PRF(0, 0, 1), 0)


FIVE_W = {
    "gold": {
        "who": ["Several people", "dozens injured"],
        "what": ["tram derailment: Several dead and dozens injured"],
        "when": ["at around 6am"],
        "where": [],
        "why": [],
        "how": [],
    }
}


def test_score_events_scores_the_single_best_event():
    side = event("Police closed the roads", who=["police"], when="at around 6am")
    main = event("A tram derailment left several dead", who=["people"], when="Wednesday")
    got = score_events(brief(events=[side, main]), FIVE_W)
    # side scores (0 + 0 + 1) / 3; main (2/3 + 8/13 + 0) / 3 is higher, so main answers all.
    assert got["where"] is None
    assert got["who"] == pytest.approx(token_f1("people", "Several people"))
    assert got["what"] == pytest.approx(
        token_f1("A tram derailment left several dead", FIVE_W["gold"]["what"][0])
    )
    assert got["when"] == 0.0  # the best event overall, not the best "when" (side's 1.0)


def test_score_events_reads_escapes_left_in_gold_phrases():
    gold = {"gold": {"who": ["Trump"], "what": ["slams \\u2018rigged\\u2019 FBI"], "when": [],
                     "where": []}}  # fmt: skip
    got = score_events(brief(events=[event("slams 'rigged' FBI", who=["Trump"])]), gold)
    assert got["what"] == 1.0


def test_score_events_without_predictions_or_gold():
    assert score_events(brief(), FIVE_W) == {"who": 0.0, "what": 0.0, "when": 0.0, "where": None}
    empty = {"gold": {q: [] for q in ("who", "what", "when", "where")}}
    assert score_events(brief(events=[event("x")]), empty) == dict.fromkeys(
        ("who", "what", "when", "where")
    )


def test_score_events_brief_gold_uses_the_first_event():
    gold = {
        "schema_version": "1",
        "events": [
            {"what": "Ukraine launches a new offensive in Kursk", "who": ["Ukrainian military"],
             "where": "Kursk region, Russia", "when": {"text": "Sunday", "date": "2025-01-05"}},
            {"what": "Russian forces advance", "who": ["Russian forces"], "where": None,
             "when": {"text": None, "date": None}},
        ],
    }  # fmt: skip
    predicted = event(
        "Ukraine launches a new offensive in Kursk",
        who=["Ukrainian", "military"],
        where="Kursk region",
        when=None,
    )
    got = score_events(brief(events=[predicted]), gold)
    assert got == {"who": 1.0, "what": 1.0, "when": 0.0, "where": pytest.approx(0.8)}
    assert score_events(brief(events=[predicted]), {"schema_version": "1", "events": []}) == {
        "who": None, "what": None, "when": None, "where": None,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("value", "expected"),
    [("34.4", [34.4]), ("1.99E-29", [1.99e-29]), ("15.0-22.0", [15.0, 22.0]), ("5-10", [5, 10]),
     ("1,200", [1200.0]), ("-3", [-3.0]), ("n/a", [])],
    ids=["plain", "exponent", "range", "int-range", "thousands", "negative", "junk"],
)  # fmt: skip
def test_parse_gold_values(value, expected):
    assert parse_gold_values(value) == expected


NEWSQUANT = {
    "text": "Shares rose 5% to 10% while 5 executives left and revenue hit $3.23 billion.",
    "quantities": [
        {"change": "=", "value": "5-10", "unit": "%", "normalized_unit": "percentage"},
        {"change": "=", "value": "5", "unit": "executives", "normalized_unit": "executive"},
        {"change": "=", "value": "3230000000.0", "unit": "$", "normalized_unit": "dollar"},
    ],
}


def test_score_figures_newsquant_ranges_and_units():
    predicted = [
        figure(5, "executive"),  # listed first, yet it must not steal the "5 %" gold
        figure(5, "percent", value_max=10),
        figure(3.23e9, "shares"),  # right value, wrong unit
        figure(7, "%"),  # no such number
    ]
    got = score_figures(brief(figures=predicted), NEWSQUANT)
    assert got["value"] == PRF(tp=4, fp=1, fn=0)
    assert got["value_unit"] == PRF(tp=3, fp=2, fn=1)


def test_score_figures_counts_against_referred_concepts():
    gold = {
        "quantities": [
            {"value": "34.4", "unit": "%", "referred_concepts": "BioView shares"},
            {"value": "3.23", "unit": "shekels", "referred_concepts": "BioView shares"},
        ]
    }
    predicted = [
        figure(34.4, "%", counts="rise in BioView shares"),  # 2 of 4 words: F1 2/3
        figure(3.23, "shekels", counts="closing price"),
        figure(7, "%", counts="BioView shares"),  # no such number: not scored for counts
    ]
    got = score_figures(brief(figures=predicted), gold)
    assert got["counts"] == [pytest.approx(2 / 3), 0.0]


@pytest.mark.parametrize(
    ("predicted", "gold", "matched"),
    [(1_000_000.5, "1000000", True), (1_000_002, "1000000", False), (0.3333333, "0.3333333333333333", True),
     (0.333, "0.3333333333333333", False), (0, "0", True)],
    ids=["5e-7-relative", "2e-6-relative", "rounded-third", "short-third", "zero"],
)  # fmt: skip
def test_score_figures_relative_tolerance(predicted, gold, matched):
    quantity = {"change": "=", "value": gold, "unit": "x", "normalized_unit": "x"}
    got = score_figures(brief(figures=[figure(predicted, "x")]), {"quantities": [quantity]})
    assert got["value_unit"] == (PRF(tp=1) if matched else PRF(fp=1, fn=1))


def test_score_figures_no_quantities():
    assert score_figures(brief(), {"text": "On Monday.", "quantities": []})["value"] == PRF()
    assert score_figures(brief(figures=[figure(3, "x")]), {"quantities": []})["value"] == PRF(fp=1)


def test_score_figures_brief_gold():
    gold = {
        "schema_version": "1",
        "figures": [
            {"value": 2, "value_max": None, "unit": "tanks"},
            {"value": 18, "value_max": None, "unit": "miles"},
            {"value": 10, "value_max": 12, "unit": "km"},
        ],
    }
    predicted = [figure(2, "tank"), figure(18, "mi"), figure(10, "kilometres", value_max=12)]
    got = score_figures(brief(figures=predicted), gold)
    assert got["value"] == PRF(tp=4)
    assert got["value_unit"] == PRF(tp=3, fp=1, fn=1)


@pytest.mark.parametrize(
    ("predicted", "gold", "normalized", "expected"),
    [
        ("tanks", "tank", None, True),
        ("Villages", "villages", None, True),
        ("%", "percent", "percentage", True),
        ("per cent", "%", None, True),
        ("US dollars", "$", "dollar", True),
        ("USD", "dollars", None, True),
        ("€", "euros", None, True),
        ("GBP", "£", None, True),
        ("pounds sterling", "£", None, True),
        ("kilometres", "km", None, True),
        ("kilometers", "kilometre", None, True),
        ("mph", "miles per hour", None, True),
        ("square kilometres", "sq km", None, True),
        ("metres", "meters", "metre", True),
        ("dollars per year", "$ a year", "dollar per year", True),
        ("shekels", "shekel", None, True),
        ("MYR", "RM", "malaysian ringgit", True),
        ("SGD", "S$", "Singapore dollars", True),
        ("points", "p", "point", True),
        ("degC", "degree C", "celsius", True),
        ("degF", "°F", None, True),
        ("mpg", "miles per gallon", "mile per gallon", True),
        ("degC", "degF", None, False),
        ("", "-", "-", True),
        ("km", "sq km", None, False),
        ("people", "-", "-", False),
        ("tanks", "drones", None, False),
        ("%", "$", "dollar", False),
        ("", "%", "percentage", False),
    ],
    ids=lambda v: repr(v),
)
def test_unit_matches(predicted, gold, normalized, expected):
    assert unit_matches(predicted, gold, normalized) is expected


def test_ungrounded_counts_bad_spans_and_invented_quotes():
    text = 'He said "we will rebuild" on Monday.'
    good = Span(start=8, end=25, text='"we will rebuild"')
    assert text[good.start : good.end] == good.text
    ok = brief(quotes=[quote("we will rebuild", evidence=good)])
    assert ungrounded(ok, text) == 0
    bad = brief(
        quotes=[
            quote("we will rebuild", evidence=Span(start=0, end=2, text="he")),  # case differs
            quote("we shall rebuild", evidence=good),  # not verbatim
        ],
        figures=[figure(1, "x")],  # span 0:0 "" is fine
        events=[Event(what="said", evidence=[good, Span(start=3, end=7, text="sad ")])],
    )
    assert ungrounded(bad, text) == 3
