"""Pass 2, figures: what each number the finder located counts.

Value, range, qualifier and unit come from code (`summarizer.numbers` and the words right
after the number), so a figure's evidence says all of them by construction; the model
only says what the number counts, the one thing code cannot read off the words.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import ValidationInfo, WithJsonSchema, model_validator

from summarizer.grounding import FUNCTION_WORDS, noun_after
from summarizer.numbers import NumberMention, find_numbers
from summarizer.passes.base import (
    Context,
    KeyedAnswers,
    Question,
    first_words,
    keyed_model,
    ungrounded_numbers,
    validation_context,
)
from summarizer.schema import Figure, Span

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
    """The numbers worth a question: a photo counter ("22 Mark Smith") or a slideshow's
    ("1 of 10") is left out of the brief whatever the model says, so it is not asked
    about (one in 071e141c's 28)."""
    text = ctx.article.text
    slideshow = _in_slideshows(text, ctx.numbers)
    return {
        nid: n for nid, n in ctx.numbers.items() if not _counter(text, n) and nid not in slideshow
    }


def _counter(text: str, mention: NumberMention) -> bool:
    """Words after the number that start like a name ("22 Mark Smith", "22 Left to
    right"): a photo gallery's counter before a caption, not a figure. That costs "96
    Liverpool fans", but keeps captions out of briefs."""
    return not mention.unit_hint and bool(_NAME.match(noun_after(text, mention.end)[0]))


# A page's slideshow: "Play slideshow REUTERS 1 of 31 Supporters of ...", "1 of 22 Full
# Screen Autoplay Close Skip Ad" (4 of the 60 events and quotes dev articles).
_SLIDESHOW = re.compile(
    r"\bslideshow\s+(?:[A-Z]{2,}\s+)?(\d+\s+of\s+\d+)\b|\b(\d+\s+of\s+\d+)\s+Full\s+Screen\b"
)


def _in_slideshows(text: str, numbers: dict[str, NumberMention]) -> set[str]:
    """The ids of the numbers that count a slideshow's pictures ("1 of 10"): page text,
    not figures."""
    spans = [m.span(1) if m.group(1) else m.span(2) for m in _SLIDESHOW.finditer(text)]
    return {nid for nid, n in numbers.items() if any(a <= n.start < b for a, b in spans)}


# A candidate's id given as its answer: on a long list of numbers the model can fall into
# answering "N1", "N2", … for every number (3 of the 30 events dev articles, 114 of their
# 375 figures, with the schema grammar on), or write its key again ("N15 80%").
_AN_ID = re.compile(r"[NQS]\s?\d+(?![\w-])")


class FigureAnswers(KeyedAnswers):
    """What each number counts, keyed like KeyedAnswers ("N3 Some 300 residents")."""

    NO_ANSWER = ""  # build() falls back to the unit

    @model_validator(mode="after")
    def grounded(self, info: ValidationInfo) -> FigureAnswers:
        """A "counts" that names another number than the figure's own ("seven hundred and
        ten officers" beside 70, "two victims" beside an age of 62), or that is a
        candidate's id, is replaced by the unit, not asked again: every re-ask costs a
        whole generation (and asked again, the model gave the same ids twice)."""
        ctx = validation_context(info)
        ids = [nid for nid, counts in self.answers().items() if _AN_ID.match(counts.strip())]
        if ids:
            ctx.warnings.append(
                f"{', '.join(ids)}: the model gave the id as what the number counts; "
                "the words after the number stand in"
            )
        for nid, counts in self.answers().items():
            mention = ctx.numbers[nid]
            if nid in ids:
                setattr(self, nid, "")
            elif _counts_another_number(ctx, mention, counts):
                ctx.warnings.append(
                    f"{nid}: what {mention.text!r} counts ({counts!r}) names another "
                    "number; left out"
                )
                setattr(self, nid, "")
            elif _only_a_number(counts):  # "sixty-two" for 62: no answer, not a wrong one
                setattr(self, nid, "")
        return self


def _counts_another_number(ctx: Context, mention: NumberMention, counts: str) -> bool:
    """Whether "counts" names a number the article does not have, or only numbers other
    than the figure's own ("two victims" beside 62; not "two tanks, one vehicle" beside two)."""
    values = {float(n.value) for n in find_numbers(counts)}
    if not values:  # ungrounded_numbers reads the same text and would find none either
        return False
    own = {float(mention.value), float(mention.value_max or mention.value)}
    return not values & own or bool(ungrounded_numbers(ctx, counts))


# Words that qualify a number ("more than fifty"), not name what it counts.
_QUALIFIER_WORDS = {
    "more", "than", "less", "fewer", "about", "around", "nearly", "almost", "over", "under",
    "up", "some", "least", "most", "approximately", "roughly", "just",
}  # fmt: skip


def _only_a_number(counts: str) -> bool:
    """Whether "counts" says nothing but a number: on one 7,700-character dev article the
    model spelled most numbers out ("sixty-two", "more than fifty") instead of saying what
    they count; the unit says more."""
    rest = counts
    for number in sorted(find_numbers(counts), key=lambda n: -n.start):
        rest = rest[: number.start] + " " + rest[number.end :]
    words = re.findall(r"[^\W\d_]+", rest.casefold())
    return all(w in FUNCTION_WORDS or w in _QUALIFIER_WORDS for w in words)


def _model(ctx: Context, asked: dict[str, NumberMention]) -> type[FigureAnswers]:
    """The key is the number as written and the word after it ("N5 up to 18 miles"): it
    tells a small model which number it answers, without the words around it."""
    text = ctx.article.text
    keys = {
        nid: first_words(text[n.start : n.end + 30].split("\n")[0], len(n.text.split()) + 1)
        for nid, n in asked.items()
    }
    return keyed_model(FigureAnswers, dict.fromkeys(asked, Counts), keys)


_NAME = re.compile(r"[A-Z][a-z]")
_PER = re.compile(r"\s+per\s+(?:(?:sq|square|cubic)\s+)?[A-Za-z]+\b")


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


def build(ctx: Context, answers: FigureAnswers | None) -> list[Figure]:
    """Every number the finder located becomes a figure.

    The finder already leaves out dates, times, years, codes and names ("Game 6"). A
    number written with its unit ("30km", "$5m", "40%") has that unit; otherwise the
    words right after it stand for it ("Some 300 residents" counts residents), or none
    ("the index ended at 16,644"). Asking the model for the unit as well bought nothing
    on NewsQuant (value+unit F1 0.897 with its units, 0.893 without) and cost a third of
    the pass's tokens. A photo counter (see `_counter`) or a slideshow's is left out,
    with a note.
    """
    text = ctx.article.text
    counts_of = answers.answers() if answers else {}
    out = []
    slideshow = _in_slideshows(text, ctx.numbers)
    for nid, mention in ctx.numbers.items():
        if nid in slideshow:
            ctx.warnings.append(f"{nid}: {mention.text!r} counts a slideshow's pictures; left out")
            continue
        unit, end = mention.unit_hint or "", mention.end
        if not mention.unit_hint:
            words, end = noun_after(text, mention.end)
            if _counter(text, mention):
                ctx.warnings.append(
                    f"{nid}: {mention.text + ' ' + words!r} reads as a name; left out"
                )
                continue
            unit = text[mention.end : end].strip(" -")
        rate = _PER.match(text, end)
        if unit and rate:  # "$80 per sq m", "C$6 per share": the unit is a rate
            unit, end = f"{unit} {' '.join(rate.group().split())}", rate.end()
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
    return out


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
