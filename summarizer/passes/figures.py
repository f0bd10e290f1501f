"""Pass 2, figures: what each number the finder located counts.

Value, range, qualifier and unit come from code (`summarizer.numbers` and the words right
after the number), so a figure's evidence says all of them by construction; the model
only says what the number counts, the one thing code cannot read off the words.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import ValidationInfo, WithJsonSchema, model_validator

from summarizer import clutter, counts
from summarizer.context import Context, FigureDraft
from summarizer.numbers import NumberMention
from summarizer.passes.base import (
    KeyedAnswers,
    Question,
    Review,
    Rule,
    keyed_model,
    validation_context,
)
from summarizer.schema import Figure, Span
from summarizer.units import carried_unit, noun_after, unit_ahead, unit_of
from summarizer.words import FUNCTION_WORDS, first_words

# The grammar caps each answer, so a small model writes a phrase ("people taken to
# hospital"), not the whole clause around the number, and the answer fits its budget: at
# 7,000 characters an article has about 30 numbers, and whole clauses made the pass
# overrun its budget and be generated again with twice the budget. A limit for the
# grammar only: an endpoint without one may answer longer, and build() trims it.
COUNTS_CHARS = 48
Counts = Annotated[str, WithJsonSchema({"type": "string", "maxLength": COUNTS_CHARS})]


def candidates(ctx: Context) -> list[str]:
    """The ids the pass asks about, in order: the numbers worth a question."""
    return list(_asked(ctx))


def question(ctx: Context, ids: list[str] | None = None) -> Question | None:
    """The request for these numbers (all worth asking by default); None when none are."""
    asked = _asked(ctx)
    if ids is not None:
        asked = {nid: n for nid, n in asked.items() if nid in ids}
    if not asked:
        return None
    return Question(
        "figures",
        _model(ctx, asked),
        {"numbers": _numbers(ctx, asked)},
        100 + 25 * len(asked),
        ctx=ctx,
    )


def _asked(ctx: Context) -> dict[str, NumberMention]:
    """The numbers worth a question: a photo counter or a slideshow's is left out of the
    brief whatever the model says, so it is not asked about."""
    text = ctx.article.text
    slideshow = _in_slideshows(text, ctx.numbers)
    return {
        nid: n for nid, n in ctx.numbers.items() if not _counter(text, n) and nid not in slideshow
    }


_COUNTER = re.compile(r"\d{1,3}")


def _counter(text: str, mention: NumberMention) -> bool:
    """A bare number before words that start like a name: a gallery's photo counter ("22
    Mark Smith"). A counter is written in a few digits and nothing else, so a number
    with a qualifier, a scale, a separator or in words counts something: "nearly 42
    million Americans", "2,200 Syrians", "seven European countries"."""
    return (
        _COUNTER.fullmatch(mention.text) is not None
        and not mention.unit_hint
        and clutter.starts_a_caption(noun_after(text, mention.end)[0])
    )


def _in_slideshows(text: str, numbers: dict[str, NumberMention]) -> set[str]:
    """The ids of the numbers that count a slideshow's pictures ("1 of 10")."""
    spans = clutter.slideshow_spans(text)
    return {nid for nid, n in numbers.items() if any(a <= n.start < b for a, b in spans)}


# What the rules check of each answer, in order: each sees the changes of those before it.
FIGURE_RULES: tuple[Rule, ...] = (
    counts.counts_not_an_id,
    counts.counts_this_number,
    counts.counts_more_than_a_number,
)


class FigureAnswers(KeyedAnswers):
    """What each number counts, keyed like KeyedAnswers ("N3 Some 300 residents")."""

    NO_ANSWER = ""  # build() falls back to the unit

    @model_validator(mode="after")
    def grounded(self, info: ValidationInfo) -> FigureAnswers:
        """An answer that says nothing about its own number is replaced by the unit, not
        asked again: every re-ask costs a whole generation."""
        ctx = validation_context(info)
        review = Review(ctx)
        review.take(self, counts.ids_as_answers(ctx, self.answers()))
        for nid, answer in self.answers().items():
            draft = FigureDraft(nid, ctx.numbers[nid], answer)
            review.apply(draft, FIGURE_RULES)
            setattr(self, nid, draft.counts)
        review.close(self)
        return self


def _model(ctx: Context, asked: dict[str, NumberMention]) -> type[FigureAnswers]:
    """The key is the number as written and the word after it ("N5 up to 18 miles"): it
    tells a small model which number it answers, without the words around it."""
    text = ctx.article.text
    keys = {
        nid: first_words(text[n.start : n.end + 30].split("\n")[0], len(n.text.split()) + 1)
        for nid, n in asked.items()
    }
    return keyed_model(FigureAnswers, dict.fromkeys(asked, Counts), keys)


def _numbers(ctx: Context, asked: dict[str, NumberMention]) -> list[dict[str, Any]]:
    """Each number with the words around it, the number itself in [brackets]."""
    text = ctx.article.text
    out = []
    for nid, mention in asked.items():
        sentence = ctx.sentences[ctx.sentence_of(mention.start) - 1]
        left = max(sentence.start, mention.start - 60)
        right = min(sentence.end, mention.end + 50)
        context = f"{text[left : mention.start]}[{mention.text}]{text[mention.end : right]}"
        context = ("…" if left > sentence.start else "") + " ".join(context.split())
        out.append(
            {
                "id": nid,
                "text": mention.text,
                "context": context + ("…" if right < sentence.end else ""),
            }
        )
    return out


def build(ctx: Context, answers: FigureAnswers | None) -> tuple[list[Figure], list[str]]:
    """Every number the finder located becomes a figure; with the warnings for those left
    out.

    The finder already leaves out dates, times, years, codes and names ("Game 6"). The
    unit is read off the words (`summarizer.units`): asking the model for it as well
    bought nothing on NewsQuant and cost a third of the pass's tokens (BENCHMARKS.md). A
    photo counter or a slideshow's is left out, with a note.
    """
    text = ctx.article.text
    counts_of = answers.answers() if answers else {}
    out: list[Figure] = []
    warnings: list[str] = []
    slideshow = _in_slideshows(text, ctx.numbers)
    mentions = list(ctx.numbers.values())
    for i, (nid, mention) in enumerate(ctx.numbers.items()):
        if nid in slideshow:
            warnings.append(f"{nid}: {mention.text!r} counts a slideshow's pictures; left out")
            continue
        if _counter(text, mention):
            words = noun_after(text, mention.end)[0]
            warnings.append(f"{nid}: {mention.text + ' ' + words!r} reads as a name; left out")
            continue
        unit, end = unit_of(text, mention)
        unit = unit or carried_unit(text, out[-1] if out else None, mention)
        unit = unit or unit_ahead(text, mention, mentions[i + 1] if i + 1 < len(mentions) else None)
        evidence = text[mention.start : end]
        out.append(
            Figure(
                value=mention.value,
                value_max=mention.value_max,
                unit=unit,
                qualifier=mention.qualifier,
                counts=whole_words(counts_of.get(nid, ""), COUNTS_CHARS) or unit,
                text=evidence,
                evidence=Span(start=mention.start, end=end, text=evidence),
            )
        )
    return out, warnings


def whole_words(text: str, limit: int) -> str:
    """Text that may have been cut at `limit` characters, ending on a whole word that is
    not a function word: "taken to hospital in the c" gives "taken to hospital"."""
    text = " ".join(text.split())
    if len(text) >= limit:
        text = text[:limit].rsplit(" ", 1)[0]
    words = text.split(" ")
    while words and words[-1].lower().strip(",;:") in FUNCTION_WORDS:
        words.pop()
    return " ".join(words).strip(" ,;:")
