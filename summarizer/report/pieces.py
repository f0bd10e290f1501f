"""Cutting the article into the pieces its page shows: one element per piece of text.

Evidence spans nest (a figure inside a quote inside an event's sentence) and overlap in
part (two events' sentences), and HTML elements can only nest. So the text is cut at every
span's edge, and each piece lists every item whose span covers it: the page draws a piece
in the colours of all its items, and a click on any of them finds all of its pieces.

The text is also cut into paragraphs (at blank lines), so a paragraph is one block the
page can keep on one printed page, with its highlights whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

# A blank line, or several, between two paragraphs (spaces and tabs on them included).
_PARAGRAPH_BREAK = re.compile(r"\n(?:[ \t]*\n)+")


@dataclass(frozen=True)
class Mark:
    """One evidence span of one item ("q2", "e1"), in offsets into the article."""

    start: int
    end: int
    item: str


@dataclass(frozen=True)
class Piece:
    """A run of text that no span edge cuts: every item in `items` covers all of it."""

    start: int
    end: int
    items: tuple[str, ...] = ()


def cut(length: int, marks: Iterable[Mark], breaks: Iterable[int] = ()) -> list[Piece]:
    """The text [0, length) cut at every mark's edge and at `breaks`, in order.

    The pieces cover the whole text, marked or not. Each lists the items of the marks that
    cover it, once each, in the order the marks were given. A mark is clipped to the
    text, and one that is empty then (zero width) marks nothing.
    """
    spans = [(max(m.start, 0), min(m.end, length), m.item) for m in marks]
    spans = [s for s in spans if s[0] < s[1]]
    edges = sorted(
        {0, length}
        | {edge for start, end, _ in spans for edge in (start, end)}
        | {b for b in breaks if 0 < b < length}
    )
    pieces = []
    for start, end in pairwise(edges):
        covering = (item for s, e, item in spans if s <= start and end <= e)
        pieces.append(Piece(start, end, tuple(dict.fromkeys(covering))))
    return pieces


def paragraphs(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each paragraph: the text between blank lines, none empty."""
    out, start = [], 0
    for gap in _PARAGRAPH_BREAK.finditer(text):
        out.append((start, gap.start()))
        start = gap.end()
    out.append((start, len(text)))
    return [(s, e) for s, e in out if s < e]
