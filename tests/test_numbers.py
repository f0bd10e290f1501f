"""Tests for summarizer.numbers: figures, their spans, qualifiers and units."""

import pytest

from summarizer.numbers import NumberMention, find_numbers


def only(text: str) -> NumberMention:
    """The single mention in text, with its span checked against the text."""
    found = find_numbers(text)
    assert len(found) == 1, found
    m = found[0]
    assert text[m.start : m.end] == m.text
    return m


# (sentence, mention text, value, value_max, qualifier, unit_hint)
SINGLE = [
    (
        "Officials said almost 200,000 people had left.",
        "almost 200,000",
        200000,
        None,
        "approximately",
        None,
    ),
    (
        "The army holds more than 1,200 sq km of land.",
        "more than 1,200",
        1200,
        None,
        "more_than",
        None,
    ),
    ("Crews shot down 61 drones overnight.", "61", 61, None, "exact", None),
    ("The firm paid $3.5bn for the stake.", "$3.5bn", 3500000000, None, "exact", "USD"),
    ("The city has 1.2 million residents.", "1.2 million", 1200000, None, "exact", None),
    ("Turnout was 40% this time.", "40%", 40, None, "exact", "%"),
    ("Turnout fell to 40 percent.", "40 percent", 40, None, "exact", "%"),
    ("Turnout fell to 40 per cent.", "40 per cent", 40, None, "exact", "%"),
    ("Winds of 15-22 mph are expected.", "15-22", 15, 22, "exact", None),
    ("Winds of 15–22 mph are expected.", "15–22", 15, 22, "exact", None),
    ("Gusts of between 3 and 5 metres were seen.", "between 3 and 5", 3, 5, "exact", None),
    ("It takes between seven to 10 years.", "between seven to 10", 7, 10, "exact", None),
    ("A queue of 15 to 20 lorries formed.", "15 to 20", 15, 20, "exact", None),
    ("Prices went from 15 to 22 pounds.", "from 15 to 22", 15, 22, "exact", None),
    ("She expects a rise of 5% to 10% next year.", "5% to 10%", 5, 10, "exact", "%"),
    ("There are 1 to 2 thousand people.", "1 to 2 thousand", 1000, 2000, "exact", None),
    ("It cost $5-10 million.", "$5-10 million", 5000000, 10000000, "exact", "USD"),
    ("I ordered a dozen eggs.", "a dozen", 12, None, "exact", None),
    ("We saw twenty-five boats.", "twenty-five", 25, None, "exact", None),
    ("We saw two dozen boats.", "two dozen", 24, None, "exact", None),
    ("It is a million dollar house.", "a million", 1000000, None, "exact", None),
    ("The county has eight million trees.", "eight million", 8000000, None, "exact", None),
    ("The bill is £5m so far.", "£5m", 5000000, None, "exact", "GBP"),
    ("It sold for €2.5 billion.", "€2.5 billion", 2500000000, None, "exact", "EUR"),
    ("A ticket costs ¥500.", "¥500", 500, None, "exact", "JPY"),
    ("A share fetched US$4.46 on Monday.", "US$4.46", 4.46, None, "exact", "USD"),
    ("They trekked 30km that day.", "30km", 30, None, "exact", "km"),
    ("Each bag weighs 5kg.", "5kg", 5, None, "exact", "kg"),
    ("Keep below 10mph here.", "below 10mph", 10, None, "less_than", "mph"),
    ("The lake is 0.25 miles wide.", "0.25", 0.25, None, "exact", None),
    ("Nearly 300 homes flooded.", "Nearly 300", 300, None, "approximately", None),
    ("Some 300 homes flooded.", "Some 300", 300, None, "approximately", None),
    (
        "An estimated 5 million birds migrate.",
        "An estimated 5 million",
        5000000,
        None,
        "approximately",
        None,
    ),
    ("Roughly ~40 boats sank.", "~40", 40, None, "approximately", None),
    ("It took over 50 hours.", "over 50", 50, None, "more_than", None),
    ("It took at least 74 hours.", "at least 74", 74, None, "at_least", None),
    ("It holds up to 8 people.", "up to 8", 8, None, "up_to", None),
    ("It holds no more than 6 people.", "no more than 6", 6, None, "at_most", None),
    ("It holds at most 6 people.", "at most 6", 6, None, "at_most", None),
    ("It took less than 3 hours.", "less than 3", 3, None, "less_than", None),
    ("Children under 5 go free.", "under 5", 5, None, "less_than", None),
    ("The man is 45 years old.", "45", 45, None, "exact", None),
    ("The lake froze at -5 degrees.", "-5", -5, None, "exact", None),
    ("Gas is cooled to minus-160 degrees.", "minus-160", -160, None, "exact", None),
    ("Growth was minus 0.3 percent.", "minus 0.3 percent", -0.3, None, "exact", "%"),
    ("Its net income was -$5 million.", "-$5 million", -5000000, None, "exact", "USD"),
    ("The range is (-3 to 4) here.", "-3 to 4", -3, 4, "exact", None),
    ("Winds of 15 -22 mph are expected.", "15 -22", 15, 22, "exact", None),
    ("Polls gave her a four- to five-point lead.", "four- to five", 4, 5, "exact", None),
    ("It is a 10- to 15-minute walk.", "10- to 15", 10, 15, "exact", None),
    ("Profit reached EUR40m last year.", "EUR40m", 40000000, None, "exact", "EUR"),
    ("The fund lost RM2.5mil in May.", "RM2.5mil", 2500000, None, "exact", "MYR"),
    ("Fares rose to S$3.20 this week.", "S$3.20", 3.2, None, "exact", "SGD"),
    ("Fares are S$5 to S$10 a day.", "S$5 to S$10", 5, 10, "exact", "SGD"),
    ("Bids ran from EUR40m-EUR50m.", "from EUR40m-EUR50m", 40000000, 50000000, "exact", "EUR"),
    ("The chip runs at 3.2Ghz.", "3.2Ghz", 3.2, None, "exact", "Ghz"),
    ("It was 1.19deg C warmer.", "1.19deg C", 1.19, None, "exact", "degC"),
    ("SINGAPORE: Two sisters were held.", "Two", 2, None, "exact", None),
    ("LONDON - Three men were held.", "Three", 3, None, "exact", None),
    ("Sales rose in 2019 to 4.1 million cars.", "4.1 million", 4100000, None, "exact", None),
]


@pytest.mark.parametrize(
    "text, mention, value, value_max, qualifier, unit", SINGLE, ids=[row[1] for row in SINGLE]
)
def test_single_mention(text, mention, value, value_max, qualifier, unit):
    m = only(text)
    assert m.text == mention
    assert m.start == text.index(mention)
    assert m.end == m.start + len(mention)
    assert (m.value, m.value_max, m.qualifier, m.unit_hint) == (value, value_max, qualifier, unit)
    assert type(m.value) is type(value)


def test_vehicle_list_counts_the_number_words():
    text = "A unit with two tanks, one counter-obstacle vehicle, and 12 armoured fighting vehicles."
    found = find_numbers(text)
    assert [(m.text, m.value, m.qualifier) for m in found] == [
        ("two", 2, "exact"),
        ("one", 1, "exact"),
        ("12", 12, "exact"),
    ]
    assert [m.start for m in found] == [text.index("two"), text.index("one"), text.index("12")]


def test_distance_with_converted_unit_is_two_mentions():
    text = "Troops pushed up to 18 miles (30km) into the region."
    first, second = find_numbers(text)
    assert (first.text, first.value, first.qualifier, first.unit_hint) == (
        "up to 18",
        18,
        "up_to",
        None,
    )
    assert (second.text, second.value, second.qualifier, second.unit_hint) == (
        "30km",
        30,
        "exact",
        "km",
    )
    assert (first.start, first.end) == (text.index("up to"), text.index(" miles"))
    assert (second.start, second.end) == (text.index("30km"), text.index("30km") + 4)


NOT_FIGURES = [
    "At around 9am the shelling started.",
    "They crossed the border in August 2024.",
    "The talks resume on Jan 5.",
    "The talks resume on 5 January.",
    "The talks resume on November 8.",
    "The file is dated 2025-01-05.",
    "The meeting starts at 10:30.",
    "The meeting starts at 9 a.m. sharp.",
    "Cases of Covid-19 rose.",
    "Testing for COVID -19 began.",
    "Leaders of the G7 met.",
    "An F-16 flew over.",
    "This is the first time.",
    "She finished 3rd and he 21st.",
    "The firm's 2016's results were poor.",
    "Fans of Game 6 cheered.",
    "S&P 500 futures were flat.",
    "It went to the Backyard Worlds: Planet 9 project.",
    "My number one priority is the transition.",
    "He passed him at turn one.",
    "Cleveland won game seven.",
    "The Indians did one heck of a job.",
    "Fans of the Big Ten cheered.",
    "No one came to the party.",
    "They helped one another.",
    "I think one has to ask why.",
    "It was one of the best years.",
    "The region saw dozens, hundreds, even thousands of refugees.",
    "In the 1990s music changed.",
    "The seas could submerge coastal regions by 2120, scientists warn.",
    "The county has voted wrongly only twice since 1888.",
]


@pytest.mark.parametrize("text", NOT_FIGURES, ids=NOT_FIGURES)
def test_not_figures(text):
    assert find_numbers(text) == []


def test_mentions_are_sorted_non_overlapping_and_match_the_text():
    text = (
        "Some 300 people fled on Jan 5, 2025, and between 4% and 5% of homes, worth $3.1 million, "
        "were hit by 61 drones; a dozen fell near Covid-19 wards at 9am."
    )
    found = find_numbers(text)
    assert [m.text for m in found] == [
        "Some 300",
        "between 4% and 5%",
        "$3.1 million",
        "61",
        "a dozen",
    ]
    for m in found:
        assert text[m.start : m.end] == m.text
    assert all(a.end <= b.start for a, b in zip(found, found[1:], strict=False))


def test_rise_to_a_level_is_not_a_range():
    found = find_numbers("Shares rose 8.15% to 3.65 dollars.")
    assert [(m.text, m.value_max) for m in found] == [("8.15%", None), ("3.65", None)]


def test_a_range_whose_end_is_a_range_of_its_own_shares_its_scale_with_the_start():
    text = "Its value will go from 24.2 to 33-35 billion euros in seven years."
    found = [(m.text, m.value, m.value_max) for m in find_numbers(text)]
    assert found[:2] == [("24.2", 24200000000, None), ("33-35 billion", 33000000000, 35000000000)]


def test_a_number_after_by_is_a_year_only_with_four_digits_and_no_noun_after():
    found = find_numbers("It rose by 500. It won by 2500 votes, in 2150 homes.")
    assert [m.text for m in found] == ["500", "2500", "2150"]


def test_empty_text():
    assert find_numbers("") == []


def test_glued_temperature_unit():
    found = find_numbers("Temperatures hit 40C on the coast.")
    assert [(m.text, m.value, m.unit_hint) for m in found] == [("40C", 40, "C")]


@pytest.mark.parametrize(
    ("text", "value"),
    [("plantar 5.000 árboles", 5000), ("unos 1.234.567 euros", 1234567), ("grew 3.5 times", 3.5)],
    ids=["dot-thousands", "dot-groups", "decimal"],
)
def test_dots_that_group_thousands(text, value):
    (mention,) = find_numbers(text)
    assert mention.value == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hubo 1.500 heridos.", [("1.500", 1500)]),
        ("El paro subió al 3,2% en mayo.", [("3,2%", 3.2)]),
        ("Costó 2,5 millones de euros.", [("2,5 millones", 2500000)]),
        ("Es kostet 3 Milliarden Euro.", [("3 Milliarden", 3000000000)]),
        ("Un total de 1.234.567,89 euros.", [("1.234.567,89", 1234567.89)]),
        ("Il a payé 12,5 € pour 40 litres.", [("12,5 €", 12.5), ("40", 40)]),
    ],
)
def test_decimal_comma(text, expected):
    found = find_numbers(text, decimal_comma=True)
    assert [(m.text, m.value) for m in found] == expected


def test_mil_glued_to_a_number_is_a_million_but_not_with_a_decimal_comma():
    assert [m.value for m in find_numbers("They lost RM5mil.")] == [5000000]
    assert find_numbers("Costó 5mil pesos.", decimal_comma=True) == []  # "mil": a thousand


def test_without_decimal_comma_a_comma_groups_thousands():
    assert [(m.text, m.value) for m in find_numbers("It cost 2,500 dollars.")] == [("2,500", 2500)]
    assert [m.value for m in find_numbers("It cost 2,500 dollars.", decimal_comma=True)] == [2.5]


def test_a_photo_gallery_counter_is_not_a_figure():
    text = (
        "Getty Images 22 Rail workers fix the track. PA 22 Tributes left for the victims. "
        "Reuters 22 Friends marched. Police said 22 people were hurt and 7 Croydon homes shut."
    )
    assert [(n.text, n.value) for n in find_numbers(text)] == [("22", 22), ("7", 7)]
    assert find_numbers(text)[0].start == text.index("22 people")


def test_two_numbers_before_names_are_still_figures():
    text = "Getty Images 22 Rail workers fix the track. PA 22 Tributes left for the victims."
    assert [n.value for n in find_numbers(text)] == [22, 22]


def test_a_clock_time_written_again_without_am_is_not_a_figure():
    text = (
        'Emergency services were called at 6.10am. A spokesman said: "Police were called '
        'at 6.10 and officers are in attendance." The tram was carrying 60 people.'
    )
    assert [(n.text, n.value) for n in find_numbers(text)] == [("60", 60)]
    # without the clock time elsewhere, "6.10" is a number
    assert [n.value for n in find_numbers("The shares closed at 6.10 on Friday.")] == [6.1]
