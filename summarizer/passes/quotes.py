"""Pass 1, quotes: who said each quoted span the finder located (speaker, role, channel).

The quote text and its offsets come from `summarizer.quotes`, so every quote is verbatim
by construction; the model only attributes it, reading the quote's paragraph (in a very
long one, its sentences) with the quoted words cut out (its "frame"), where the speaker
is named.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from pydantic import BaseModel, ValidationInfo, field_validator, model_validator

from summarizer.grounding import FUNCTION_WORDS, PRONOUNS
from summarizer.passes.base import (
    Context,
    KeyedAnswers,
    Question,
    as_written,
    enforce,
    first_words,
    keyed_model,
    null_if_empty,
    validation_context,
)
from summarizer.quotes import QuoteMention
from summarizer.schema import Quote, Span


def candidates(ctx: Context) -> list[str]:
    """The ids the pass asks about, in order: every quote found in the window."""
    return list(ctx.quotes)


def question(ctx: Context, ids: list[str] | None = None) -> Question | None:
    """The request for these quotes (all by default); None when there are none."""
    if ids is not None:
        ctx = asked_only(ctx, ids)
    if not ctx.quotes:
        return None
    # Stepwise: half the answer tokens, the same speakers on PolNeAR (BENCHMARKS.md, session 18).
    return Question(
        "quotes",
        _model(ctx),
        {"groups": _groups(ctx)},
        100 + 50 * len(ctx.quotes),
        stepwise=True,
        ctx=ctx,
    )


def asked_only(ctx: Context, ids: list[str]) -> Context:
    """The window as seen by a request for some of its quotes (a group, or what a cut-off
    answer left): the other quotes are not asked, and their words are not cut out."""
    return replace(ctx, quotes={qid: q for qid, q in ctx.quotes.items() if qid in ids})


class QuoteAnswer(BaseModel):
    speaker: str | None
    speaker_role: str | None
    channel: str | None

    _no_answer = field_validator("speaker", "speaker_role", "channel", mode="before")(null_if_empty)


class QuoteAnswers(KeyedAnswers):
    NO_ANSWER = {"speaker": None, "speaker_role": None, "channel": None}

    @model_validator(mode="after")
    def grounded(self, info: ValidationInfo) -> QuoteAnswers:
        ctx = validation_context(info)
        text = ctx.article.text
        problems: list[str] = []
        frames = {q["id"]: g["frame"] for g in _groups(ctx) for q in g["quotes"]}
        for qid, answer in self.answers().items():
            reason = None
            if answer.speaker and _NOT_A_NAME.search(answer.speaker):
                ctx.warnings.append(f"{qid}: omitted speaker {answer.speaker!r}: not a name")
                answer.speaker = None
            if answer.speaker and as_written(text, answer.speaker) is None:
                answer.speaker = (
                    _name_at_end(answer.speaker, frames[qid])
                    or _possessive_turned(answer.speaker, text)
                    or answer.speaker
                )
            if answer.speaker and (
                answer.speaker.strip().lower() in PRONOUNS
                or as_written(text, answer.speaker) is None
            ):
                names = ", ".join(repr(n) for n in _names(frames[qid]))
                reason = (
                    f"{qid}: speaker {answer.speaker!r} is not how the article names the speaker; "
                    f"copy the speaker exactly as its paragraph writes it: {frames[qid][:300]!r}"
                    + (f" (names there: {names})" if names else "")
                )
            if reason:
                problems.append(reason)
                if ctx.lenient:
                    answer.speaker = None  # the quote stays (it is verbatim), unattributed
            for name in ("speaker_role", "channel"):
                value = getattr(answer, name)
                if value and as_written(frames[qid], value) is None:
                    setattr(answer, name, None)  # not stated beside this quote: omit it
            role, speaker = answer.speaker_role, answer.speaker
            if role and speaker and role.casefold() in speaker.casefold():
                answer.speaker_role = None  # "Investigators, Investigators" says nothing more
        enforce(ctx, problems)
        return self


def _model(ctx: Context) -> type[QuoteAnswers]:
    keys = {qid: first_words(q.text, 6) for qid, q in ctx.quotes.items()}
    return keyed_model(QuoteAnswers, dict.fromkeys(keys, QuoteAnswer), keys)


def _groups(ctx: Context) -> list[dict[str, Any]]:
    """Quotes grouped by passage, each passage shown with its quotes cut out as [Qn].

    The words around a quote (its "frame") are where the speaker is named; showing them
    without the quoted words keeps a small model from taking a name inside the quote.
    """
    text = ctx.article.text
    blocks: list[tuple[int, int, list[str]]] = []
    for qid, q in ctx.quotes.items():
        start, end = _passage(ctx, q)
        if blocks and start < blocks[-1][1]:  # the same paragraph, or overlapping sentences
            last_start, last_end, ids = blocks[-1]
            blocks[-1] = (last_start, max(last_end, end), [*ids, qid])
        else:
            blocks.append((start, end, [qid]))
    out = []
    previous_frame = ""
    for start, end, ids in blocks:
        frame = _frame(text, start, end, [(qid, ctx.quotes[qid]) for qid in ids])
        alone = len(re.findall(r"\w+", re.sub(r"\[Q\d+\]", "", frame))) < 3
        paragraph_start = text.rfind("\n", 0, start) + 1
        if alone and start > paragraph_start:
            # a quote alone inside a long paragraph: the words right before it introduce it
            # ('A police spokesman said: "We are on scene. "...')
            frame = f"(previous paragraph: {_words_before(ctx, paragraph_start, start)}) {frame}"
        elif alone and previous_frame:
            # a paragraph that is a quote alone (a quote over paragraphs): the one before it,
            # itself shown with the one before when it is a quote alone too
            frame = f"(previous paragraph: {previous_frame[-200:]}) {frame}"
        previous_frame = frame
        quotes = [{"id": qid, "text": _short(ctx.quotes[qid].text)} for qid in ids]
        out.append({"frame": frame, "quotes": quotes})
    return out


def _words_before(ctx: Context, paragraph_start: int, start: int, chars: int = 250) -> str:
    """About `chars` characters before `start` in its paragraph, from a word's start, with
    the quotes there cut out as [Qn] like any frame."""
    text = ctx.article.text
    begin = max(paragraph_start, start - chars)
    if begin > paragraph_start:
        begin = text.find(" ", begin, start) + 1 or begin
    inside = [(qid, q) for qid, q in ctx.quotes.items() if begin < q.start and q.end < start]
    return _frame(text, begin, start, inside)


# Longer than this, a quote's passage is its own sentences instead of its paragraph: a
# text without paragraph breaks (a pasted article, a feed's body) was otherwise shown
# whole as the paragraph of all its quotes: the quotes pass was as long as the article
# again, and the speaker of each quote was somewhere in thousands of characters.
# The longest quote paragraph in the PolNeAR dev articles has 889 characters.
PARAGRAPH_MAX_CHARS = 1000


def _passage(ctx: Context, q: QuoteMention) -> tuple[int, int]:
    """The part of the article shown with a quote: its paragraph, or its sentences."""
    text = ctx.article.text
    start, end = text.rfind("\n", 0, q.start) + 1, _find_end(text, q.end)
    if end - start <= PARAGRAPH_MAX_CHARS:
        return start, end
    first = ctx.sentences[ctx.sentence_of(q.start) - 1]
    last = ctx.sentences[ctx.sentence_of(q.end - 1) - 1]
    # the closing mark may fall after the sentence the splitter ends at the full stop
    return max(start, first.start), min(end, max(last.end, q.end + 1))


_NAME = re.compile(r"[A-Z][\w'’.-]*(?:\s+(?:(?:of|de|van|von|al|bin|the)\s+)?[A-Z][\w'’.-]*)*")
_NOT_NAMES = {
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "But",
    "And",
    "It",
    "He",
    "She",
    "They",
    "We",
    "I",
}


def _names(frame: str) -> list[str]:
    """Capitalised word runs in a quote's paragraph: the likely ways it names a speaker."""
    found = [m.group() for m in _NAME.finditer(re.sub(r"\[Q\d+\]", " ", frame))]
    return list(
        dict.fromkeys(
            n
            for n in found
            if n not in _NOT_NAMES
            and not n.startswith("Q")
            and len(n.split()) <= 4  # a name, not a shouted sentence
            and not (n.isupper() and len(n) > 4)
        )
    )


# A caption or a tweet embed around a quote is not how a person or body is named
# ("Please avoid the area #Croydoncops pic.twitter.com/... -- Croydon MPS (@MPSCroydon)").
_NOT_A_NAME = re.compile(r"[#@:/]|www\.")


def _name_at_end(speaker: str, frame: str) -> str | None:
    """The name the passage writes, when the answer is that name after a title: "President
    Trump" beside "Trump told reporters", "Mr Rui Costa" beside "councillor Rui Costa".
    Sending it back costs a whole generation, and the model answered "President Trump"
    again twice (measured on a dev article). Not "the mayor of Lisbon" (the mayor is not
    Lisbon) nor "Philip Seary's family"."""
    words = speaker.split()
    tails = {" ".join(n.split()[i:]) for n in _names(frame) for i in range(len(n.split()))}
    for name in sorted(tails, key=len, reverse=True):  # "Ana Ribeiro" before "Ribeiro"
        tail = name.split()
        if (
            len(words) > len(tail)
            and words[-len(tail) :] == tail
            and words[-len(tail) - 1].lower() not in FUNCTION_WORDS
        ):
            return name
    return None


_POSSESSIVE = re.compile(r"(.+?)['’]s (\w+(?: \w+)?)")


def _possessive_turned(speaker: str, text: str) -> str | None:
    """ "Philip Seary's family" where the article writes "The family of Philip Seary": the
    model kept this answer over two re-asks (a dev article, 110 s)."""
    match = _POSSESSIVE.fullmatch(speaker.strip())
    if match is None:
        return None
    owner, noun = match.groups()
    return as_written(text, f"the {noun} of {owner}")  # or without "the"


def _find_end(text: str, offset: int) -> int:
    end = text.find("\n", offset)
    return len(text) if end == -1 else end


def _frame(text: str, start: int, end: int, quotes: list[tuple[str, QuoteMention]]) -> str:
    parts = []
    cursor = start
    for qid, q in quotes:
        left = q.start - 1 if q.start > start and not text[q.start - 1].isalnum() else q.start
        right = q.end + 1 if q.end < end and not text[q.end].isalnum() else q.end
        parts.append(text[cursor : max(left, cursor)])
        parts.append(f"[{qid}]")
        cursor = right
    parts.append(text[cursor:end])
    return " ".join("".join(parts).split())


def _short(text: str) -> str:
    words = text.split()
    return text if len(words) <= 30 else " ".join(words[:20] + ["…"] + words[-6:])


def build(ctx: Context, answers: QuoteAnswers | None) -> list[Quote]:
    """Every quote found in the text, attributed where the model's answer passed the checks."""
    by_id = answers.answers() if answers else {}
    out = []
    for qid, mention in ctx.quotes.items():
        answer = by_id.get(qid)
        speaker = as_written(ctx.article.text, answer.speaker) if answer else None
        out.append(
            Quote(
                text=mention.text,
                kind=mention.kind,
                speaker=speaker,
                speaker_role=as_written(ctx.article.text, answer.speaker_role) if answer else None,
                channel=as_written(ctx.article.text, answer.channel) if answer else None,
                evidence=Span(start=mention.start, end=mention.end, text=mention.text),
            )
        )
    return out
