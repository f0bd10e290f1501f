"""Long articles are asked about in windows of whole paragraphs, each small enough for the
model's context and fast to process; ids and offsets stay those of the whole article."""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer.grounding import split_sentences

DEFAULT_MAX_CHARS = 12_000  # about 3,000 tokens: a window's prompt is processed in ~50 s on 2 cores


@dataclass(frozen=True)
class Window:
    shown_from: int  # the prompt shows the article from here (a paragraph or sentence before)
    start: int  # candidates (quotes, numbers, sentences) that start in [start, end) belong here
    end: int


def windows(text: str, max_chars: int = DEFAULT_MAX_CHARS) -> list[Window]:
    """Consecutive windows covering the text, each at most `max_chars`, cut between
    paragraphs. A paragraph longer than that (a page without paragraph breaks) is cut
    between its sentences: left whole, it made a window of its own, and its headline
    another, whose title and summary were written from the headline alone. A single
    longer sentence still makes a window of its own. A short text is one window."""
    units = _units(text, max_chars)
    starts = [0]
    for start, end in units[1:]:
        if start - starts[-1] > max_chars or end - starts[-1] > max_chars:
            starts.append(start)
    out = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        before = [s for s, _ in units if s < start]
        out.append(Window(shown_from=before[-1] if before else start, start=start, end=end))
    return out


def _units(text: str, max_chars: int) -> list[tuple[int, int]]:
    """(start, end) of each paragraph, or of each sentence of a paragraph over `max_chars`."""
    units: list[tuple[int, int]] = []
    sentences = None
    for m in re.finditer(r"[^\n]+", text):
        if m.end() - m.start() <= max_chars:
            units.append((m.start(), m.end()))
            continue
        sentences = sentences if sentences is not None else split_sentences(text)
        inside = [(s.start, s.end) for s in sentences if m.start() <= s.start < m.end()]
        units += [(m.start(), inside[0][1]), *inside[1:]] if inside else [(m.start(), m.end())]
    return units or [(0, len(text))]
