"""Tests for summarizer.dates: datelines, resolution against the publication date, finding."""

import datetime as dt

import pytest

from summarizer.dates import Dateline, DateMention, find_dates, parse_dateline, resolve_date

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
        ("Sunday", "2025-01-05"),
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
