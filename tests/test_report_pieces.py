"""Cutting the article at every span edge: each piece lists every item that covers it."""

from __future__ import annotations

import pytest

from summarizer.report.pieces import Mark, Piece, cut, paragraphs


def covered(length: int, *marks: Mark) -> list[tuple[int, int, tuple[str, ...]]]:
    return [(p.start, p.end, p.items) for p in cut(length, marks)]


@pytest.mark.parametrize(
    ("marks", "pieces"),
    [
        (  # a figure inside a quote inside an event's sentence
            [Mark(0, 20, "e1"), Mark(5, 15, "q1"), Mark(8, 10, "f1")],
            [(0, 5, ("e1",)), (5, 8, ("e1", "q1")), (8, 10, ("e1", "q1", "f1")),
             (10, 15, ("e1", "q1")), (15, 20, ("e1",))],
        ),
        (  # two spans that overlap in part
            [Mark(2, 10, "e1"), Mark(6, 14, "e2")],
            [(0, 2, ()), (2, 6, ("e1",)), (6, 10, ("e1", "e2")), (10, 14, ("e2",)),
             (14, 20, ())],
        ),
        (  # adjacent spans stay two pieces
            [Mark(0, 5, "f1"), Mark(5, 9, "f2")],
            [(0, 5, ("f1",)), (5, 9, ("f2",)), (9, 20, ())],
        ),
        (  # one span inside another, sharing its start
            [Mark(3, 12, "q1"), Mark(3, 6, "f1")],
            [(0, 3, ()), (3, 6, ("q1", "f1")), (6, 12, ("q1",)), (12, 20, ())],
        ),
        (  # a zero-width span marks nothing and cuts nothing
            [Mark(4, 4, "q1"), Mark(0, 20, "e1")],
            [(0, 20, ("e1",))],
        ),
        (  # an item with two spans that touch lists itself once per piece
            [Mark(0, 8, "e1"), Mark(4, 12, "e1")],
            [(0, 4, ("e1",)), (4, 8, ("e1",)), (8, 12, ("e1",)), (12, 20, ())],
        ),
        (  # a span past the text is clipped to it
            [Mark(15, 99, "q1"), Mark(30, 40, "q2")],
            [(0, 15, ()), (15, 20, ("q1",))],
        ),
        ([], [(0, 20, ())]),
    ],
    ids=["nested", "overlapping", "adjacent", "same-start", "zero-width", "same-item",
         "clipped", "none"],
)  # fmt: skip
def test_cut(marks, pieces):
    assert covered(20, *marks) == pieces


def test_pieces_cover_the_text_in_order_and_breaks_cut_them():
    pieces = cut(10, [Mark(2, 8, "q1")], breaks=[5, 0, 10, 12])
    assert pieces == [Piece(0, 2), Piece(2, 5, ("q1",)), Piece(5, 8, ("q1",)), Piece(8, 10)]


def test_an_empty_text_has_no_pieces():
    assert cut(0, [Mark(0, 0, "q1")]) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One.\n\nTwo.\nstill two.\n \n\nThree.", ["One.", "Two.\nstill two.", "Three."]),
        ("\n\nLead.\n\n", ["Lead."]),
        ("No break at all.", ["No break at all."]),
    ],
    ids=["blank-lines", "leading-and-trailing", "one"],
)
def test_paragraphs_are_split_at_blank_lines(text, expected):
    assert [text[s:e] for s, e in paragraphs(text)] == expected
