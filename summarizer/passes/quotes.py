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

from summarizer import speakers
from summarizer.context import Context, QuoteDraft
from summarizer.grounding import as_written
from summarizer.passes.base import (
    KeyedAnswers,
    Question,
    Review,
    Rule,
    keyed_model,
    null_if_empty,
    validation_context,
)
from summarizer.quotes import QuoteMention
from summarizer.schema import Quote, Span
from summarizer.words import first_words


def candidates(ctx: Context) -> list[str]:
    """The ids the pass asks about, in order: every quote found in the window."""
    return list(ctx.quotes)


def question(ctx: Context, ids: list[str] | None = None) -> Question | None:
    """The request for these quotes (all by default); None when there are none."""
    if ids is not None:
        ctx = asked_only(ctx, ids)
    if not ctx.quotes:
        return None
    # Stepwise: half the answer tokens for the same speakers (BENCHMARKS.md).
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


# What the rules check of each attribution, in order: each sees the changes of those before it.
QUOTE_RULES: tuple[Rule, ...] = (
    speakers.speaker_by_cue,
    speakers.speaker_goes_on,
    speakers.speaker_by_label,
    speakers.speaker_without_title,
    speakers.speaker_not_page_text,
    speakers.speaker_as_named,
    speakers.speaker_named_in_article,
    speakers.role_and_channel_beside_quote,
    speakers.role_not_the_speaker,
    speakers.channel_not_the_speaker,
    speakers.channel_not_the_attribution,
)


class QuoteAnswers(KeyedAnswers):
    NO_ANSWER = {"speaker": None, "speaker_role": None, "channel": None}

    @model_validator(mode="after")
    def grounded(self, info: ValidationInfo) -> QuoteAnswers:
        ctx = validation_context(info)
        review = Review(ctx)
        frames = {q["id"]: g["frame"] for g in _groups(ctx) for q in g["quotes"]}
        previous: tuple[str, str | None] | None = None
        for qid, answer in self.answers().items():
            draft = QuoteDraft(
                qid, frames[qid], answer.speaker, answer.speaker_role, answer.channel, previous
            )
            review.apply(draft, QUOTE_RULES)
            previous = (qid, draft.speaker)
            answer.speaker, answer.speaker_role, answer.channel = (
                draft.speaker,
                draft.speaker_role,
                draft.channel,
            )
        review.close(self)
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
    previous_end, previous_frame = -1, ""
    for start, end, ids in blocks:
        frame = _frame(text, start, end, [(qid, ctx.quotes[qid]) for qid in ids])
        alone = len(re.findall(r"\w+", re.sub(r"\[Q\d+\]", "", frame))) < 3
        paragraph_start = text.rfind("\n", 0, start) + 1
        if alone and start > paragraph_start:
            # a quote alone inside a long paragraph: the words right before it introduce it
            # ('A police spokesman said: "We are on scene. "...')
            frame = f"(previous paragraph: {_words_before(ctx, paragraph_start, start)}) {frame}"
        elif alone and (before_end := len(text[:paragraph_start].rstrip())):
            # a paragraph that is a quote alone (a quote over paragraphs, '"…," she said.'):
            # the paragraph right before it (ending at `before_end`), which names who "she"
            # is; when that paragraph holds the quotes shown last, as they were shown (so a
            # quote over three paragraphs still reaches back to the words that introduce it)
            if before_end <= previous_end:
                before = previous_frame[-200:]
            else:
                start_before = text.rfind("\n", 0, before_end) + 1
                before = _words_before(ctx, start_before, before_end, chars=200)
            frame = f"(previous paragraph: {before}) {frame}"
        previous_end, previous_frame = end, frame
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
# text without paragraph breaks (a pasted article, a feed's body) would otherwise be shown
# whole as the paragraph of each of its quotes, and the speaker would be somewhere in
# thousands of characters. A news paragraph that holds quotes is well below it.
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


def build(ctx: Context, answers: QuoteAnswers | None) -> tuple[list[Quote], list[str]]:
    """Every quote found in the text, attributed where the model's answer passed the checks
    (no warnings of its own: the rules gave them)."""
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
    return out, []
