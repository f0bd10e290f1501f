"""Reading articles: decoding, line endings, datelines, refusals."""

from __future__ import annotations

import datetime as dt

import pytest

from summarizer.article import decode, load_article, read_source
from summarizer.errors import InputError


@pytest.mark.parametrize(
    ("data", "text", "warned"),
    [
        ("Café “quoted”".encode(), "Café “quoted”", False),
        (b"\xef\xbb\xbfWith BOM", "With BOM", False),
        ("Caf\u00e9 \u201cquoted\u201d".encode("cp1252"), "Café “quoted”", True),
    ],
    ids=["utf-8", "utf-8-bom", "windows-1252"],
)
def test_decode(data, text, warned):
    got, warnings = decode(data, "a.txt")
    assert got == text
    assert bool(warnings) is warned
    if warned:
        assert warnings[0].startswith("a.txt: not valid UTF-8")


def test_binary_is_refused():
    with pytest.raises(InputError, match="binary"):
        decode(b"GIF-ish\n\x00\x01\x02", "image.gif")


def test_line_endings_become_newlines():
    article = load_article("One.\r\n\r\nTwo.\rThree.")
    assert article.text == "One.\n\nTwo.\nThree."


def test_dateline_gives_publication_date_and_place():
    article = load_article(" date 2025-01-05 Kyiv: Troops moved on Sunday.")
    assert article.published == dt.date(2025, 1, 5)
    assert article.dateline is not None and article.dateline.place == "Kyiv"


def test_explicit_published_wins_over_dateline():
    article = load_article(" date 2025-01-05 Kyiv: Text.", published="2025-01-07")
    assert article.published == dt.date(2025, 1, 7)


def test_headline_first_paragraph_is_the_title():
    assert load_article("Storm hits coast\n\nThe storm arrived.").title == "Storm hits coast"
    assert load_article("The storm arrived.\n\nMore text.").title is None


@pytest.mark.parametrize("name", ["missing.txt", "."], ids=["missing", "directory"])
def test_unreadable_sources(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError) as caught:
        read_source(name)
    assert caught.value.exit_code == 2
