"""Tests for summarizer.dates: datelines, resolution against the publication date, finding."""

import datetime as dt

import pytest

from summarizer.dates import (
    Dateline,
    DateMention,
    find_dates,
    last_day,
    parse_dateline,
    resolve_date,
)

SUNDAY = dt.date(2025, 1, 5)  # a Sunday


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        pytest.param(
            " date 2025-01-05 Kyiv: The army said on Sunday...",
            None,
            Dateline(0, 22, "Kyiv", dt.date(2025, 1, 5)),
            id="seed-style",
        ),
        pytest.param(
            "KYIV, Jan 5 (Reuters) - Drones hit the city.",
            SUNDAY,
            Dateline(0, 23, "Kyiv", dt.date(2025, 1, 5)),
            id="reuters-year-from-published",
        ),
        pytest.param(
            "KYIV, Jan 5 (Reuters) - Drones hit the city.",
            None,
            Dateline(0, 23, "Kyiv", None),
            id="reuters-no-published",
        ),
        pytest.param(
            "WASHINGTON (AP) — Lawmakers met.",
            SUNDAY,
            Dateline(0, 17, "Washington", None),
            id="ap-no-date",
        ),
        pytest.param(
            "NEW YORK, January 5, 2025 /PRNewswire/ -- Acme Corp announced.",
            None,
            Dateline(0, 41, "New York", dt.date(2025, 1, 5)),
            id="prnewswire-full-date",
        ),
    ],
)
def test_parse_dateline(text: str, published: dt.date | None, expected: Dateline) -> None:
    assert parse_dateline(text, published) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Croydon tram derailment: several injured", id="headline-with-colon"),
        pytest.param("The council met on Monday - and agreed.", id="sentence-with-dash"),
        pytest.param("", id="empty"),
        pytest.param("Intro line\nKYIV (Reuters) - later line", id="not-on-first-line"),
    ],
)
def test_no_dateline(text: str) -> None:
    assert parse_dateline(text, SUNDAY) is None


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        pytest.param("Sunday", "2025-01-05", id="weekday-same-day"),
        pytest.param("Friday", "2025-01-03", id="weekday-earlier"),
        pytest.param("on Monday", "2024-12-30", id="weekday-with-on"),
        pytest.param("on Sunday night", "2025-01-05", id="weekday-night"),
        pytest.param("late Thursday", "2025-01-02", id="late-weekday"),
        pytest.param("last Sunday", "2024-12-29", id="last-weekday"),
        pytest.param("today", "2025-01-05", id="today"),
        pytest.param("tonight", "2025-01-05", id="tonight"),
        pytest.param("this morning", "2025-01-05", id="this-morning"),
        pytest.param("overnight", "2025-01-05", id="overnight"),
        pytest.param("yesterday", "2025-01-04", id="yesterday"),
        pytest.param("in August of the previous year", "2024-08", id="month-previous-year"),
        pytest.param("In November", "2024-11", id="month-before-published"),
        pytest.param("in August", "2024-08", id="month-august"),
        pytest.param("January", "2025-01", id="month-same-as-published"),
        pytest.param("last August", "2024-08", id="last-month-name"),
        pytest.param("last year", "2024", id="last-year"),
        pytest.param("this year", "2025", id="this-year"),
        pytest.param("last month", "2024-12", id="last-month"),
        pytest.param("last week", "2024-12", id="last-week-month-of-minus-7"),
        pytest.param("recent months", None, id="recent-months"),
        pytest.param("recently", None, id="recently"),
        pytest.param("2025-01-05", "2025-01-05", id="iso"),
        pytest.param("Jan. 5", "2025-01-05", id="abbrev-month-day"),
        pytest.param("January 5", "2025-01-05", id="month-day"),
        pytest.param("5 January 2025", "2025-01-05", id="day-month-year"),
        pytest.param("November 8, 2016", "2016-11-08", id="us-full-date"),
        pytest.param("Dec. 28", "2024-12-28", id="month-day-nearest-year"),
        pytest.param("2024", "2024", id="year"),
        pytest.param("in August 2024", "2024-08", id="month-year"),
        pytest.param("11am local time on Sunday", "2025-01-05", id="phrase-with-time"),
        pytest.param("9am", None, id="time-is-not-a-date"),
        pytest.param("10:30", None, id="clock-is-not-a-date"),
        pytest.param("two days before the election", None, id="event-relative"),
    ],
)
def test_resolve_date(expression: str, expected: str | None) -> None:
    assert resolve_date(expression, SUNDAY) == expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        pytest.param("Sunday", None, id="weekday"),
        pytest.param("yesterday", None, id="yesterday"),
        pytest.param("in November", None, id="month"),
        pytest.param("Jan. 5", None, id="month-day-without-year"),
        pytest.param("November 8, 2016", "2016-11-08", id="explicit-full"),
        pytest.param("2025-01-05", "2025-01-05", id="explicit-iso"),
        pytest.param("in August 2024", "2024-08", id="explicit-month-year"),
    ],
)
def test_resolve_without_published(expression: str, expected: str | None) -> None:
    assert resolve_date(expression, None) == expected


def test_find_dates() -> None:
    text = (
        "The talks began on Sunday at 9am, after a pause in August of the previous year. "
        "In November the envoy visited; yesterday he left, and by Jan. 5 nothing had changed "
        "since 2024, in recent months or recently."
    )
    found = find_dates(text, SUNDAY)
    for m in found:
        assert text[m.start : m.end] == m.text
    assert [(m.text, m.date) for m in found] == [
        ("Sunday at 9am", "2025-01-05"),  # a clock time with its day is one time
        ("August of the previous year", "2024-08"),
        ("November", "2024-11"),
        ("yesterday", "2025-01-04"),
        ("Jan. 5", "2025-01-05"),
        ("2024", "2024"),
        ("recent months", None),
        ("recently", None),
    ]


def test_find_dates_offsets_and_no_overlap() -> None:
    text = "Signed on November 8, 2016 in Paris."
    assert find_dates(text, None) == [DateMention(10, 26, "November 8, 2016", "2016-11-08")]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("She may go in May.", id="modal-may-ignored"),
        pytest.param("USA Today reported it.", id="usa-today"),
        pytest.param("It cost $2024 and 2,019 people came at 10:30.", id="numbers-not-years"),
    ],
)
def test_find_dates_ignores_non_dates(text: str) -> None:
    assert [m.text for m in find_dates(text, SUNDAY)] == (["May"] if "in May" in text else [])


WEDNESDAY = dt.date(2025, 1, 8)


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        pytest.param(
            "Spanish",
            "El domingo pasado, el 5 de enero de 2025, el ministro dijo ayer que en marzo "
            "habrá elecciones y que el próximo lunes se reúne.",
            [
                ("domingo pasado", "2025-01-05"),
                ("5 de enero de 2025", "2025-01-05"),
                ("ayer", "2025-01-07"),
                ("marzo", "2024-03"),
                ("próximo lunes", "2025-01-13"),
            ],
            id="spanish",
        ),
        pytest.param(
            "Portuguese",
            "O governo disse ontem que na sexta-feira passada, 3 de janeiro, e em março de "
            "2024 houve eleições.",
            [
                ("ontem", "2025-01-07"),
                ("sexta-feira passada", "2025-01-03"),
                ("3 de janeiro", "2025-01-03"),
                ("março de 2024", "2024-03"),
            ],
            id="portuguese",
        ),
        pytest.param(
            "French",
            "Le ministre a dit hier que dimanche dernier, le 5 janvier 2025, puis mardi "
            "prochain et en mars.",
            [
                ("hier", "2025-01-07"),
                ("dimanche dernier", "2025-01-05"),
                ("5 janvier 2025", "2025-01-05"),
                ("mardi prochain", "2025-01-14"),
                ("mars", "2024-03"),
            ],
            id="french",
        ),
        pytest.param(
            "German",
            "Der Minister sagte gestern, am Sonntag, dem 5. Januar 2025, und im März, am "
            "nächsten Montag. Am Morgen war es kalt.",
            [
                ("gestern", "2025-01-07"),
                ("Sonntag", "2025-01-05"),
                ("5. Januar 2025", "2025-01-05"),
                ("März", "2024-03"),
                ("nächsten Montag", "2025-01-13"),
            ],
            id="german-morgen-is-morning",
        ),
    ],
)
def test_find_dates_in_other_languages(language: str, text: str, expected: list) -> None:
    found = find_dates(text, WEDNESDAY, language)
    assert [(m.text, m.date) for m in found] == expected
    assert all(text[m.start : m.end] == m.text for m in found)


def test_other_languages_time_words_only_in_that_language() -> None:
    """German "hier" is "here", and an English "Mars" is a planet, not March."""
    assert find_dates("Ich bin hier, sagte er.", WEDNESDAY, "German") == []
    assert find_dates("The rover landed on Mars in the dust.", WEDNESDAY, "English") == []


def test_the_language_is_guessed_when_not_given() -> None:
    text = "El gobierno dijo ayer que los precios de la vivienda subieron por la demanda."
    assert [(m.text, m.date) for m in find_dates(text, WEDNESDAY)] == [("ayer", "2025-01-07")]


def test_clock_times_are_found_but_date_nothing():
    text = "The tram came off at around 6am, and at 11.30am two were still inside. I am here."
    assert [(m.text, m.date) for m in find_dates(text, WEDNESDAY)] == [
        ("at around 6am", None),
        ("at 11.30am", None),
    ]


@pytest.mark.parametrize(
    "text, found, date",
    [
        ("He fell in at around 11am local time on Sunday.", "at around 11am local time on Sunday",
         "2025-01-05"),
        ("The blast came on Monday at 11:30pm.", "Monday at 11:30pm", "2025-01-06"),
        ("The Cubs won Nov. 2 at 12:47 a.m. local time.", "Nov. 2 at 12:47 a.m. local time",
         "2024-11-02"),
    ],
)  # fmt: skip
def test_a_clock_time_with_its_day_is_one_time_dated_by_the_day(text, found, date):
    (mention,) = find_dates(text, WEDNESDAY)
    assert (mention.text, mention.date) == (found, date)


@pytest.mark.parametrize(
    ("resolved", "last"),
    [("2015", "2015-12-31"), ("2016-02", "2016-02-29"), ("2016-12", "2016-12-31"),
     ("2016-11-02", "2016-11-02")],
)  # fmt: skip
def test_the_last_day_a_resolved_date_can_mean(resolved, last):
    assert last_day(resolved).isoformat() == last
