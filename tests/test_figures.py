"""The figures pass: a figure's unit is read from the article, the model says what it counts."""

from __future__ import annotations

import json

import pytest

from summarizer.article import load_article
from summarizer.context import Context, ungrounded_numbers
from summarizer.passes import figures

TEXT = (
    "The board offered C$6 per share on Monday. Some 300 residents were moved, "
    "and the index closed at 7,215."
)
GALLERY = "Two trams collided on Monday. Getty Images 22 Rail workers at the site."


def brief_figures(counts: list[str], text: str = TEXT) -> tuple[list, list[str]]:
    """Validate an answer as instructor does (the article as context), then build."""
    ctx = Context.build(load_article(text))
    model = figures.question(ctx).model
    keys = [field.alias for field in model.model_fields.values()]
    answer = dict(zip(keys, counts, strict=True))
    parsed = model.model_validate_json(json.dumps(answer), context={"summarizer": ctx})
    found, left_out = figures.build(ctx, parsed)
    return found, parsed.warnings() + left_out


def test_the_key_is_the_number_as_written_and_the_word_after_it():
    ctx = Context.build(load_article(TEXT))
    keys = [field.alias for field in figures.question(ctx).model.model_fields.values()]
    assert keys == ["N1 C$6 per", "N2 Some 300 residents", "N3 7,215."]


def test_a_rate_joins_the_unit_and_missing_units_take_the_words_after():
    found, warnings = brief_figures(["", "", ""])
    assert [(f.value, f.unit, f.text) for f in found] == [
        (6, "CAD per share", "C$6 per share"),
        (300, "residents", "Some 300 residents"),
        (7215, "", "7,215"),
    ]
    assert all(TEXT[f.evidence.start : f.evidence.end] == f.text for f in found)
    assert found[1].counts == "residents" and warnings == []


def test_a_rate_without_a_noun_is_its_own_unit():
    text = "Police logged 35 burglaries, against an average of 20 per week since May."
    found, _ = brief_figures(["", ""], text)
    assert [(f.value, f.unit, f.text) for f in found] == [
        (35, "burglaries", "35 burglaries"),
        (20, "per week", "20 per week"),
    ]


def test_a_word_joined_to_the_number_by_a_hyphen_is_its_unit():
    text = "The leaders held a 90-minute meeting about the 6.1-inch screens."
    found, _ = brief_figures(["meeting", "screens"], text)
    assert [(f.value, f.unit, f.counts, f.text) for f in found] == [
        (90, "minute", "meeting", "90-minute"),
        (6.1, "inch", "screens", "6.1-inch"),
    ]


def test_a_unit_of_measure_ends_the_unit_before_what_it_measures():
    text = "They let a 500 sq m office and fitted an 8.5 kW system for 40 staff members."
    found, _ = brief_figures(["office", "system", "staff"], text)
    assert [(f.value, f.unit) for f in found] == [
        (500, "sq m"),
        (8.5, "kW"),
        (40, "staff members"),
    ]


def test_a_past_tense_with_its_object_is_no_unit():
    text = "One shared a picture of the bar, and two injured people were treated."
    found, _ = brief_figures(["one", "people"], text)
    assert [(f.value, f.unit) for f in found] == [(1, ""), (2, "injured people")]


def test_a_range_with_a_suspended_hyphen_has_the_unit_after_its_end():
    found, _ = brief_figures(["lead in the polls"], "Polls gave her a four- to five-point lead.")
    assert [(f.value, f.value_max, f.unit, f.text) for f in found] == [
        (4, 5, "point", "four- to five-point")
    ]


def test_a_minus_sign_a_unit_in_another_alphabet_and_a_number_word_joined_by_a_hyphen():
    text = "Engineers signed a two-year contract to cool filters of 2.5 μm to minus-40 degrees."
    found, _ = brief_figures(["contract", "filters", "temperature"], text)
    assert [(f.value, f.unit, f.text) for f in found] == [
        (2, "year", "two-year"),
        (2.5, "μm", "2.5 μm"),
        (-40, "degrees", "minus-40 degrees"),
    ]


def test_a_summary_may_give_a_negative_number_without_its_sign():
    ctx = Context.build(load_article("The lake froze at minus-12 degrees on Monday."))
    assert ungrounded_numbers(ctx, "It was 12 degrees below zero.") == []
    assert ungrounded_numbers(ctx, "It was 13 degrees below zero.") == ["13"]


def test_what_a_figure_counts_never_brings_a_number_of_its_own():
    found, warnings = brief_figures(
        ["offer per share", "seven hundred and ten residents moved", "index close"]
    )
    assert [f.counts for f in found] == ["offer per share", "residents", "index close"]
    assert warnings == [
        "N2: what 'Some 300' counts ('seven hundred and ten residents moved') names another "
        "number; left out"
    ]


def test_a_counts_that_only_spells_the_number_out_gives_way_to_the_unit():
    found, warnings = brief_figures(["six", "some three hundred", "index close"])
    assert [f.counts for f in found] == ["CAD per share", "residents", "index close"]
    assert warnings == []


def test_an_id_given_as_what_a_number_counts_gives_way_to_the_unit():
    # on long lists of numbers the model can answer every one with its id (3 dev articles)
    found, warnings = brief_figures(["N1", "N2 Some 300", "index close"])
    assert [f.counts for f in found] == ["CAD per share", "residents", "index close"]
    assert warnings == [
        "N1, N2: the model gave the id as what the number counts; the words after the number "
        "stand in"
    ]


def keys(text: str) -> list[str]:
    question = figures.question(Context.build(load_article(text)))
    return [field.alias for field in question.model.model_fields.values()]


def test_a_number_before_a_name_is_a_caption_counter_not_asked_about_nor_a_figure():
    assert keys(GALLERY) == ["N1 Two trams"]
    found, warnings = brief_figures(["two trams"], text=GALLERY)
    assert [(f.text, f.unit, f.counts) for f in found] == [("Two trams", "trams", "two trams")]
    assert "N2: '22 Rail workers' reads as a name; left out" in warnings


def test_a_number_with_a_qualifier_a_scale_a_separator_or_in_words_is_no_caption_counter():
    text = (
        "Nearly 42 million Americans have voted. Only 2,200 Syrians were admitted, and "
        "seven European countries took part. Getty Images 22 Rail workers at the site."
    )
    assert keys(text) == ["N1 Nearly 42 million Americans", "N2 2,200 Syrians", "N3 seven European"]
    found, warnings = brief_figures(["Americans voted", "Syrians admitted", "countries"], text)
    assert [f.value for f in found] == [42_000_000, 2200, 7]
    assert "N4: '22 Rail workers' reads as a name; left out" in warnings


def test_a_slideshows_counter_is_not_asked_about_nor_a_figure():
    # as a news page's text reads when its slideshow is flattened (4 dev articles)
    text = (
        "Two trams collided on Monday. Play slideshow AFP 1 of 10 AFP Rail workers at the "
        "site. 1 of 22 Full Screen Autoplay Close Skip Ad. One in 10 workers was hurt."
    )
    assert keys(text) == ["N1 Two trams", "N5 One in", "N6 10 workers"]
    found, warnings = brief_figures(["trams collided", "", "workers hurt"], text=text)
    assert [f.text for f in found] == ["Two trams", "One", "10 workers"]
    assert "N2: '10' counts a slideshow's pictures; left out" in warnings
    assert "N4: '22' counts a slideshow's pictures; left out" in warnings


def test_the_grammar_caps_each_answer_and_a_cut_answer_ends_on_a_whole_word():
    ctx = Context.build(load_article(TEXT))
    schema = figures.question(ctx).model.model_json_schema()
    assert [p["maxLength"] for p in schema["properties"].values()] == [48, 48, 48]
    cut = "residents moved out of the flooded lower town in the"[: figures.COUNTS_CHARS]
    found, _ = brief_figures(["offer per share", cut, "index close"])
    assert [f.counts for f in found] == [
        "offer per share",
        "residents moved out of the flooded lower town",
        "index close",
    ]


def test_a_number_before_a_weekday_is_a_figure_without_a_unit():
    text = "The death toll rose to at least six Friday, with more than 100 others wounded."
    found, warnings = brief_figures(["dead"] * 2, text=text)
    assert [(f.text, f.value, f.unit, f.qualifier) for f in found] == [
        ("at least six", 6, "", "at_least"),
        ("more than 100 others", 100, "others", "more_than"),
    ]
    assert not any("reads as a name" in w for w in warnings)


@pytest.mark.parametrize(
    "text, units",
    [
        ("Mileage rose from about 14-18 mpg to 24 for vans.", ["mpg", "mpg"]),
        ("Turnout went from 40% to 52 in the city.", ["%", "%"]),
        ("Pluristem rose 8.15% to 3.65 after the news.", ["%", ""]),  # a share price after
        ("Sales rose to 3.9 million headsets, up from 2.4 million.", ["headsets", "headsets"]),
        ("Sales fell to 12 tonnes (down from 15) in May.", ["tonnes", "tonnes"]),
        ("Its value will go from 24.2 to 33-35 billion euros.", ["euros", "euros"]),
    ],
)
def test_a_bare_number_that_restates_another_figure_takes_its_unit(text, units):
    found, _ = brief_figures(["it"] * len(units), text=text)
    assert [f.unit for f in found] == units


@pytest.mark.parametrize(
    "text",
    [
        "The angle was 2.1 last year and 3 next year.",  # a time dates the number
        "The S8 costs 40k less, or 25k cheaper than its rivals.",  # a comparative
    ],
)
def test_a_time_or_a_comparative_after_a_number_is_no_unit(text):
    found, _ = brief_figures(["it", "it"], text=text)
    assert [f.unit for f in found] == ["", ""]


REPEATED = (
    "Five people were left trapped inside the tram after it overturned.\n\n"
    "Five people were left trapped inside the tram after it overturned. "
    "London Fire Brigade sent 70 officers."
)


def test_a_sentence_printed_twice_gives_its_figures_once():
    assert keys(REPEATED) == ["N1 Five people", "N2 70 officers."]
    found, _ = brief_figures(["people trapped", "officers sent"], text=REPEATED)
    assert [(f.value, f.evidence.start) for f in found] == [(5, 0), (70, REPEATED.index("70"))]
