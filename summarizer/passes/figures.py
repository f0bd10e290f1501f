"""Pass 2, figures: what each number the finder located counts, and its unit.

Value, range and qualifier come from `summarizer.numbers`, so a figure's value is what
its evidence says by construction; the model names the unit, which must stand right
after the number (the evidence span then covers it), and says what the number counts.
When it names no unit, or one that is not there, the words after the number stand in.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ValidationInfo,
    WithJsonSchema,
    create_model,
    field_validator,
    model_validator,
)

from summarizer.grounding import FUNCTION_WORDS, find_unit, noun_after
from summarizer.numbers import NumberMention, find_numbers
from summarizer.passes.base import (
    Context,
    KeyedAnswers,
    Question,
    first_words,
    keyed_model,
    null_if_empty,
    ungrounded_numbers,
    validation_context,
)
from summarizer.schema import Figure, Span

# The grammar caps each answer, so a small model writes a phrase ("people taken to
# hospital"), not the whole clause around the number, and the answer fits its budget: at
# 7,000 characters an article has about 30 numbers, and whole clauses made the pass
# overrun 100 + 40 tokens per number and be generated again with twice the budget.
UNIT_CHARS = 40
COUNTS_CHARS = 48


def question(ctx: Context) -> Question | None:
    if not ctx.numbers:
        return None
    return Question("figures", _model(ctx), {"numbers": _numbers(ctx)}, 100 + 50 * len(ctx.numbers))


class FigureAnswer(BaseModel):
    # limits for the grammar only: an endpoint without one may answer longer, and that
    # is not sent back; build() trims "counts", and a unit is grounded as any other
    unit: Annotated[str, WithJsonSchema({"type": "string", "maxLength": UNIT_CHARS})] | None
    counts: Annotated[str, WithJsonSchema({"type": "string", "maxLength": COUNTS_CHARS})]

    _no_answer = field_validator("unit", mode="before")(null_if_empty)


class FigureAnswers(KeyedAnswers):
    NO_ANSWER = {"unit": None, "counts": ""}  # no unit: the words after the number stand in

    @model_validator(mode="after")
    def grounded(self, info: ValidationInfo) -> FigureAnswers:
        """A unit that is not in the words right after its number is replaced by those
        words, not asked again: the model rarely corrects it ("people" for "Some 300
        residents" three times over) and every re-ask costs a whole generation. A
        "counts" that names another number than the figure's own ("seven hundred and ten
        officers" beside 70, "two victims" beside an age of 62) is replaced by the unit."""
        ctx = validation_context(info)
        for nid, answer in self.answers().items():
            mention = ctx.numbers[nid]
            if answer.unit and _unit_end(ctx, mention, answer.unit) is None:
                ctx.warnings.append(
                    f"{nid}: unit {answer.unit!r} is not in the words after {mention.text!r}; "
                    "those words stand in for it"
                )
                answer.unit = None
            if _counts_another_number(ctx, mention, answer.counts):
                ctx.warnings.append(
                    f"{nid}: what {mention.text!r} counts ({answer.counts!r}) names another "
                    "number; left out"
                )
                answer.counts = ""  # build() falls back to the unit
        return self


def _counts_another_number(ctx: Context, mention: NumberMention, counts: str) -> bool:
    """Whether "counts" names a number the article does not have, or only numbers other
    than the figure's own ("two victims" beside 62; not "two tanks, one vehicle" beside two)."""
    values = {float(n.value) for n in find_numbers(counts)}
    if not values:  # ungrounded_numbers reads the same text and would find none either
        return False
    own = {float(mention.value), float(mention.value_max or mention.value)}
    return not values & own or bool(ungrounded_numbers(ctx, counts))


def _model(ctx: Context) -> type[FigureAnswers]:
    text = ctx.article.text
    keys = {
        nid: first_words(text[n.start : n.end + 30].split("\n")[0], 4)
        for nid, n in ctx.numbers.items()
    }
    items: dict[str, type[BaseModel]] = {}
    for nid, mention in ctx.numbers.items():
        items[nid] = FigureAnswer
        if mention.unit_hint:  # "30km", "$5m", "40%": the unit is known, the grammar fixes it
            hint: Any = Literal[(mention.unit_hint,)]  # type: ignore[valid-type]
            items[nid] = create_model(f"{nid}Answer", __base__=FigureAnswer, unit=(hint, ...))
    return keyed_model(FigureAnswers, items, keys)


_NAME = re.compile(r"[A-Z][a-z]")
_PER = re.compile(r"\s+per\s+(?:(?:sq|square|cubic)\s+)?[A-Za-z]+\b")


def _unit_end(ctx: Context, mention: NumberMention, unit: str) -> int | None:
    """Where the figure's evidence ends: after its unit, which must follow the number."""
    if mention.unit_hint and unit.strip().lower() in {mention.unit_hint.lower(), "percent", "%"}:
        return mention.end
    return find_unit(ctx.article.text, unit, mention.end)


def _numbers(ctx: Context) -> list[dict[str, Any]]:
    """Each number with the words around it, the number itself in [brackets]."""
    text = ctx.article.text
    out = []
    for nid, mention in ctx.numbers.items():
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

    The finder already leaves out dates, times, years, codes and names ("Game 6"). When
    the model names no unit, the words right after the number stand for it ("Some 300
    residents" counts residents), or none ("the index ended at 16,644"): on the dev set,
    24 of the 28 numbers the model gave no unit were quantities in the gold. Words after it
    that start like a name ("22 Mark Smith", a photo gallery's counter before a caption)
    leave the number out: that costs "96 Liverpool fans", but keeps captions out of briefs.
    """
    out = []
    for nid, answer in (answers.answers() if answers else {}).items():
        mention = ctx.numbers[nid]
        if answer.unit:
            end = _unit_end(ctx, mention, answer.unit)
            assert end is not None  # validated
        else:
            words, end = noun_after(ctx.article.text, mention.end)
            if _NAME.match(words):  # "22 Mark Smith", "22 Left to right": a photo counter
                ctx.warnings.append(
                    f"{nid}: {mention.text + ' ' + words!r} reads as a name; left out"
                )
                continue
        unit = ctx.article.text[mention.end : end].strip(" -")
        if end == mention.end:
            unit = mention.unit_hint or ""
        rate = _PER.match(ctx.article.text, end)
        if unit and rate:  # "$80 per sq m", "C$6 per share": the unit is a rate
            unit, end = f"{unit} {' '.join(rate.group().split())}", rate.end()
        text = ctx.article.text[mention.start : end]
        out.append(
            Figure(
                value=mention.value,
                value_max=mention.value_max,
                unit=unit,
                qualifier=mention.qualifier,
                counts=whole_words(answer.counts, COUNTS_CHARS) or unit,
                text=text,
                evidence=Span(start=mention.start, end=end, text=text),
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
