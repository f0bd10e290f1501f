"""What a brief's page shows, worked out before any HTML is written.

Every item gets an id ("e1", "f2", "q3": its kind's letter and its place in the brief)
that its panel entry, its pieces of the article and the script's data all carry, so a
click on either side finds the other. The panel orders items as a reader looks for them:
events by date, quotes by speaker; the figures keep the brief's (the article's) order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from summarizer.render import figure_value, is_answer_note
from summarizer.report.pieces import Mark, Piece, cut, paragraphs
from summarizer.schema import Brief, Event, Figure, Quote, Span

Kind = Literal["event", "figure", "quote"]
KINDS: tuple[Kind, ...] = ("event", "figure", "quote")
UNDATED = "undated"


@dataclass(frozen=True)
class Entry:
    """One item of the brief as the page shows it."""

    id: str
    kind: Kind
    item: Event | Figure | Quote
    spans: tuple[Span, ...]

    @property
    def anchor(self) -> str | None:
        """The element id before its first piece (a link's target), if it has a piece."""
        return f"i-{self.id}" if any(s.start < s.end for s in self.spans) else None

    @property
    def label(self) -> str:
        """One line naming the item, for the note shown over its highlight."""
        if isinstance(self.item, Event):
            who = f"{', '.join(self.item.who)}: " if self.item.who else ""
            when = self.item.when.date or self.item.when.text
            where = "; ".join(part for part in (self.item.where, when) if part)
            return f"{who}{self.item.what}" + (f" ({where})" if where else "")
        if isinstance(self.item, Figure):
            said = f"{figure_value(self.item)} {self.item.unit}"
            counts = self.item.counts.lower()  # said already when it is the unit, or as written
            if counts in (self.item.unit.lower(), "") or counts in self.item.text.lower():
                return said
            return f"{said}: {self.item.counts}"
        return speaker_line(self.item)


def speaker_line(quote: Quote) -> str:
    """ "Andriy Yermak, head of the presidential office (Telegram)", or "unattributed"."""
    line = quote.speaker or "unattributed"
    if quote.speaker_role:
        line += f", {quote.speaker_role}"
    if quote.channel:
        line += f" ({quote.channel})"
    return line


def entries(brief: Brief) -> list[Entry]:
    """Every item of the brief, with its id: events, then figures, then quotes."""
    out = [Entry(f"e{n}", "event", e, tuple(e.evidence)) for n, e in enumerate(brief.events, 1)]
    out += [Entry(f"f{n}", "figure", f, (f.evidence,)) for n, f in enumerate(brief.figures, 1)]
    out += [Entry(f"q{n}", "quote", q, (q.evidence,)) for n, q in enumerate(brief.quotes, 1)]
    return out


def timeline(events: list[Entry]) -> list[Entry]:
    """Events by resolved date (a year before its months, a month before its days), the
    undated last; events of one date keep the brief's order."""

    def key(entry: Entry) -> tuple[bool, str]:
        date = entry.item.when.date if isinstance(entry.item, Event) else None
        return date is None, date or ""

    return sorted(events, key=key)


def date_label(entry: Entry) -> str:
    """ "2025-01-05 · Sunday", "Sunday" (undated, but the article says when) or "undated"."""
    assert isinstance(entry.item, Event)
    when = entry.item.when
    return " · ".join(p for p in dict.fromkeys((when.date, when.text)) if p) or UNDATED


def by_speaker(quotes: list[Entry]) -> list[tuple[str | None, list[Entry]]]:
    """Quotes grouped by speaker, in the order each speaker is first quoted; the quotes
    without a speaker last."""
    groups: dict[str | None, list[Entry]] = {}
    for entry in quotes:
        assert isinstance(entry.item, Quote)
        groups.setdefault(entry.item.speaker, []).append(entry)
    named = [(speaker, group) for speaker, group in groups.items() if speaker is not None]
    return named + ([(None, groups[None])] if None in groups else [])


@dataclass(frozen=True)
class Block:
    """A paragraph of the article (its pieces), or the blank lines between two."""

    pieces: tuple[Piece, ...]
    paragraph: bool


def blocks(text: str, items: list[Entry]) -> list[Block]:
    """The article as paragraphs of pieces, with the blank lines between them kept, so the
    page's article holds every character of the text, in order. (A span that runs over a
    blank line leaves the blank line unmarked: it is whitespace between two blocks.)"""
    marks = [Mark(s.start, s.end, e.id) for e in items for s in e.spans]
    ranges = paragraphs(text)
    pieces = cut(len(text), marks, [edge for span in ranges for edge in span])
    out, at = [], 0
    for start, end in ranges:
        if at < start:
            out.append(Block((Piece(at, start),), paragraph=False))
        inside = tuple(p for p in pieces if start <= p.start and p.end <= end)
        out.append(Block(inside, paragraph=True))
        at = end
    if at < len(text):
        out.append(Block((Piece(at, len(text)),), paragraph=False))
    return out


def warnings(brief: Brief) -> tuple[list[str], list[str]]:
    """The brief's warnings about its input and passes, and its notes on the model's
    answers (what the checks mended or left out)."""
    notes = [w for w in brief.meta.warnings if is_answer_note(w)]
    return [w for w in brief.meta.warnings if not is_answer_note(w)], notes
