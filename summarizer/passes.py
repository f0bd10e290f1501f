"""The three questions we ask the model, and how its answers are checked and turned into items.

Candidates (quoted spans, number mentions) are found in code first and handed to the model
by id; the model only says what it is good at — who said it, what a number counts, what
happened. Each answer model validates itself against the article through the validation
context: in strict mode a problem raises, and instructor sends the named reason back to the
model; in lenient mode (after the last attempt) the offending item is dropped and a warning
recorded, so nothing ungrounded ever reaches the brief.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationInfo, model_validator

from summarizer.article import Article
from summarizer.dates import resolve_date
from summarizer.grounding import Sentence, find_text, find_unit, occurs, split_sentences
from summarizer.numbers import NumberMention, find_numbers
from summarizer.quotes import QuoteMention, find_quotes
from summarizer.schema import Event, Figure, Quote, Span, When

PRONOUNS = {"he", "she", "they", "it", "we", "i", "him", "her", "them", "you"}


@dataclass
class Context:
    """Everything the validators need; passed to instructor as the validation context."""

    article: Article
    sentences: list[Sentence]
    quotes: dict[str, QuoteMention]
    numbers: dict[str, NumberMention]
    lenient: bool = False
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def build(cls, article: Article) -> Context:
        quotes = {f"Q{i}": q for i, q in enumerate(find_quotes(article.text), 1)}
        numbers = {f"N{i}": n for i, n in enumerate(find_numbers(article.text), 1)}
        return cls(article, split_sentences(article.text), quotes, numbers)

    def sentence_of(self, offset: int) -> int:
        """1-based number of the sentence holding `offset` (the last one before it)."""
        number = 1
        for i, sentence in enumerate(self.sentences, 1):
            if sentence.start <= offset:
                number = i
        return number

    @property
    def article_values(self) -> set[float]:
        values: set[float] = set()
        for mention in self.numbers.values():
            values.add(float(mention.value))
            if mention.value_max is not None:
                values.add(float(mention.value_max))
        return values


def _context(info: ValidationInfo) -> Context:
    ctx = (info.context or {}).get("summarizer")
    if not isinstance(ctx, Context):
        raise ValueError("internal error: validation context missing")
    return ctx


def _enforce(ctx: Context, problems: list[str], drop: list[int], items: list[Any]) -> list[Any]:
    """Strict: raise all problems for the model to fix. Lenient: drop and warn."""
    if not problems:
        return items
    if not ctx.lenient:
        raise ValueError("; ".join(problems))
    ctx.warnings.extend(f"dropped after retries: {p}" for p in problems)
    return [item for i, item in enumerate(items) if i not in set(drop)]


def _ungrounded_numbers(ctx: Context, generated: str) -> list[str]:
    known = ctx.article_values
    return [m.text for m in find_numbers(generated) if float(m.value) not in known]


# --- quotes -------------------------------------------------------------------------------


class QuoteAnswer(BaseModel):
    id: str
    speaker: str | None
    speaker_role: str | None
    channel: str | None


class QuoteAnswers(BaseModel):
    quotes: list[QuoteAnswer]

    @model_validator(mode="after")
    def grounded(self, info: ValidationInfo) -> QuoteAnswers:
        ctx = _context(info)
        text = ctx.article.text
        problems: list[str] = []
        drop: list[int] = []
        for i, answer in enumerate(self.quotes):
            reason = None
            if answer.id not in ctx.quotes:
                reason = f"{answer.id} is not one of the listed quotation ids"
            elif answer.speaker and answer.speaker.strip().lower() in PRONOUNS:
                reason = f"{answer.id}: speaker {answer.speaker!r} is a pronoun; give the name the article uses"
            elif answer.speaker and not occurs(text, answer.speaker):
                reason = f"{answer.id}: speaker {answer.speaker!r} does not appear in the article; write the name as the article does"
            if reason:
                problems.append(reason)
                drop.append(i)
            for name in ("speaker_role", "channel"):
                value = getattr(answer, name)
                if value and not occurs(text, value):
                    setattr(answer, name, None)  # metadata the article does not state: omit it
        self.quotes = _enforce(ctx, problems, drop, self.quotes)
        return self


def quote_candidates(ctx: Context) -> list[dict[str, Any]]:
    def short(text: str) -> str:
        words = text.split()
        return text if len(words) <= 30 else " ".join(words[:20] + ["…"] + words[-6:])

    return [
        {"id": qid, "sentence": ctx.sentence_of(q.start), "text": short(q.text)}
        for qid, q in ctx.quotes.items()
    ]


def build_quotes(ctx: Context, answers: QuoteAnswers | None) -> list[Quote]:
    """Every quote found in the text, attributed where the model's answer passed the checks."""
    by_id = {a.id: a for a in (answers.quotes if answers else [])}
    out = []
    for qid, mention in ctx.quotes.items():
        answer = by_id.get(qid)
        speaker = _as_written(ctx.article.text, answer.speaker) if answer else None
        out.append(
            Quote(
                text=mention.text,
                kind=mention.kind,
                speaker=speaker,
                speaker_role=_as_written(ctx.article.text, answer.speaker_role) if answer else None,
                channel=_as_written(ctx.article.text, answer.channel) if answer else None,
                evidence=Span(start=mention.start, end=mention.end, text=mention.text),
            )
        )
    return out


def _as_written(text: str, phrase: str | None) -> str | None:
    """The article's own spelling of a phrase the model gave (it may differ in case)."""
    if not phrase:
        return None
    hit = find_text(text, phrase)
    return text[hit[0] : hit[1]] if hit else None


# --- figures ------------------------------------------------------------------------------


class FigureAnswer(BaseModel):
    id: str
    unit: str | None
    counts: str


class FigureAnswers(BaseModel):
    figures: list[FigureAnswer]

    @model_validator(mode="after")
    def grounded(self, info: ValidationInfo) -> FigureAnswers:
        ctx = _context(info)
        problems: list[str] = []
        drop: list[int] = []
        for i, answer in enumerate(self.figures):
            mention = ctx.numbers.get(answer.id)
            if mention is None:
                problems.append(f"{answer.id} is not one of the listed number ids")
                drop.append(i)
            elif answer.unit and _unit_end(ctx, mention, answer.unit) is None:
                after = ctx.article.text[mention.end : mention.end + 40].split("\n")[0]
                problems.append(
                    f"{answer.id}: unit {answer.unit!r} is not in the words after "
                    f"{mention.text!r} (the article reads {mention.text + after!r}); "
                    "copy the unit from there, or answer null"
                )
                drop.append(i)
        self.figures = _enforce(ctx, problems, drop, self.figures)
        return self


def _unit_end(ctx: Context, mention: NumberMention, unit: str) -> int | None:
    """Where the evidence for this figure ends: after its unit, or the number itself."""
    text = ctx.article.text
    if mention.unit_hint and unit.strip().lower() in {mention.unit_hint.lower(), "percent", "%"}:
        return mention.end
    end = find_unit(text, unit, mention.end)
    if end is not None:
        return end
    sentence = ctx.sentences[ctx.sentence_of(mention.start) - 1]
    if find_text(text, unit, sentence.start, sentence.end):
        return mention.end  # the unit is named in the sentence, not beside the number
    return None


def number_candidates(ctx: Context) -> list[dict[str, Any]]:
    out = []
    for nid, mention in ctx.numbers.items():
        sentence = ctx.sentences[ctx.sentence_of(mention.start) - 1]
        left = max(sentence.start, mention.start - 50)
        right = min(sentence.end, mention.end + 60)
        context = ctx.article.text[left:right].replace("\n", " ")
        out.append(
            {
                "id": nid,
                "sentence": ctx.sentence_of(mention.start),
                "text": mention.text,
                "context": ("…" if left > sentence.start else "") + context + ("…" if right < sentence.end else ""),
            }
        )
    return out


def build_figures(ctx: Context, answers: FigureAnswers | None) -> list[Figure]:
    out = []
    for answer in answers.figures if answers else []:
        mention = ctx.numbers[answer.id]
        if not answer.unit:
            continue  # the model judged it not a quantity
        end = _unit_end(ctx, mention, answer.unit)
        assert end is not None  # validated
        text = ctx.article.text[mention.start : end]
        unit = answer.unit
        if end > mention.end:
            unit = ctx.article.text[mention.end : end].strip(" -")
        out.append(
            Figure(
                value=mention.value,
                value_max=mention.value_max,
                unit=mention.unit_hint if end == mention.end and mention.unit_hint else unit,
                qualifier=mention.qualifier,
                counts=answer.counts,
                text=text,
                evidence=Span(start=mention.start, end=end, text=text),
            )
        )
    return out


# --- events -------------------------------------------------------------------------------


class EventAnswer(BaseModel):
    what: str
    who: list[str]
    where: str | None
    when: str | None
    sentence: int


class EventAnswers(BaseModel):
    title: str
    summary: str
    events: list[EventAnswer]

    @model_validator(mode="after")
    def grounded(self, info: ValidationInfo) -> EventAnswers:
        ctx = _context(info)
        text = ctx.article.text
        problems: list[str] = []
        drop: list[int] = []
        for field_name in ("title", "summary"):
            for number in _ungrounded_numbers(ctx, getattr(self, field_name)):
                problems.append(f"{field_name}: the number {number!r} is not in the article")
                if ctx.lenient:
                    setattr(self, field_name, _without_number(getattr(self, field_name), number))
        for i, event in enumerate(self.events, 1):
            reasons = []
            if not 1 <= event.sentence <= len(ctx.sentences):
                reasons.append(f"event {i}: there is no sentence S{event.sentence}")
            for number in _ungrounded_numbers(ctx, event.what):
                reasons.append(f"event {i}: the number {number!r} is not in the article")
            for who in event.who:
                if not occurs(text, who):
                    reasons.append(f"event {i}: who {who!r} is not named in the article")
            if event.where and not occurs(text, event.where):
                reasons.append(f"event {i}: where {event.where!r} is not in the article")
            if event.when and not occurs(text, event.when):
                reasons.append(f"event {i}: when {event.when!r} is not in the article's words")
            if reasons:
                problems.extend(reasons)
                drop.append(i - 1)
        if problems and ctx.lenient:
            self.events = _salvage_events(ctx, self.events)
            ctx.warnings.extend(f"corrected after retries: {p}" for p in problems)
            return self
        self.events = _enforce(ctx, problems, drop, self.events)
        return self


def _without_number(text: str, number: str) -> str:
    """Drop the sentences of a generated text that carry an ungrounded number."""
    kept = [s.text for s in split_sentences(text) if number not in s.text]
    return " ".join(kept)


def _salvage_events(ctx: Context, events: list[EventAnswer]) -> list[EventAnswer]:
    """Keep what is grounded of each event; drop events with no sentence or bad numbers."""
    text = ctx.article.text
    kept = []
    for event in events:
        if not 1 <= event.sentence <= len(ctx.sentences) or _ungrounded_numbers(ctx, event.what):
            continue
        event.who = [w for w in event.who if occurs(text, w)]
        event.where = event.where if event.where and occurs(text, event.where) else None
        event.when = event.when if event.when and occurs(text, event.when) else None
        kept.append(event)
    return kept


def build_events(ctx: Context, answers: EventAnswers) -> list[Event]:
    text = ctx.article.text
    published: dt.date | None = ctx.article.published
    out = []
    for answer in answers.events:
        sentence = ctx.sentences[answer.sentence - 1]
        when_text = _as_written(text, answer.when)
        out.append(
            Event(
                what=answer.what,
                who=[w for w in (_as_written(text, who) for who in answer.who) if w],
                where=_as_written(text, answer.where),
                when=When(
                    text=when_text,
                    date=resolve_date(when_text, published) if when_text else None,
                ),
                evidence=[Span(start=sentence.start, end=sentence.end, text=sentence.text)],
            )
        )
    return out
