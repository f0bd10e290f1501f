"""The events pass: what happened in each candidate sentence, plus a title and a summary.

Candidate sentences are chosen in code (the lead, then sentences with time words or
figures), so every event's evidence is a whole sentence of the article; `when` is limited
by the schema to the time words the article contains, resolved against the dateline.
The model says who did what, where and when; the rules in `EVENT_RULES` then keep only
what the article supports (see docs/grounding.md).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import (
    BaseModel,
    Field,
    ValidationInfo,
    create_model,
    field_validator,
    model_validator,
)

from summarizer import actions, actors, places, times
from summarizer.context import Context, EventDraft, cut_off_copies
from summarizer.dates import is_clock_time
from summarizer.grounding import as_written, split_sentences
from summarizer.passes.base import (
    KeyedAnswers,
    Question,
    Review,
    Rule,
    null_if_empty,
    validation_context,
)
from summarizer.schema import Event, Span, When
from summarizer.words import words

SUMMARY_MAX_CHARS = 600
SUMMARY_MAX_SENTENCES = 3


HEADLINE = "headline"  # the id under which the title and summary are asked


def candidates(ctx: Context) -> list[str]:
    """The ids the pass asks about, in order: the headline (the title and summary, in the
    article's first part), then each candidate sentence."""
    head = [HEADLINE] if _asks_headline(ctx) else []
    return head + [f"S{n}" for n in _sentences(ctx)]


def question(ctx: Context, ids: list[str] | None = None) -> Question | None:
    """The request for these candidates (all by default); None when there are none."""
    ids = candidates(ctx) if ids is None else ids
    headline = HEADLINE in ids
    sentences = [int(cid[1:]) for cid in ids if cid != HEADLINE]
    if not ids:
        return None
    model = _model(ctx, sentences, headline)
    budget = (250 if headline else 100) + 90 * len(sentences)
    return Question("events", model, _variables(ctx, sentences, headline), budget, ctx=ctx)


def _asks_headline(ctx: Context) -> bool:
    """The title and summary are asked with the article's first part only (in a long
    article's later windows they would be generated and thrown away)."""
    return ctx.start == 0


class EventAnswer(BaseModel):
    who: list[str]  # first, as the sentence has it: then the action is what they did
    what: str | None
    where: str | None
    when: str | None

    @field_validator("where", "when", mode="before")
    @classmethod
    def one_of_a_list(cls, value: Any) -> Any:
        """Without a schema grammar (json mode) a small model writes ["Friday"] for "Friday",
        and "null" for null."""
        if isinstance(value, list):
            value = value[0] if value else None
        return null_if_empty(value)


# What the rules check of each event, in order: each sees the changes of those before it.
EVENT_RULES: tuple[Rule, ...] = (
    actions.what_numbers_in_article,
    actors.who_named,
    actions.what_in_its_sentence,
    actions.what_not_page_text,
    actions.what_runs_through_its_quote,
    actions.what_finished,
    actions.what_first_clause,
    actions.headline_what,
    places.where_a_place,
    places.where_near_its_sentence,
    places.where_not_an_actor,
    places.headline_place,
    places.where_in_full,
    places.sentence_place,
    places.lead_place,
    actors.headline_counted_subject,
    actors.headline_subject,
    actions.what_without_place,
    times.when_near_its_sentence,
    times.when_not_possessive,
    times.lead_when,
    times.headline_when_recent,
)


class EventAnswers(KeyedAnswers):
    """One event per candidate sentence (keyed like KeyedAnswers)."""

    # One field per candidate sentence, S<n>, added per article by _model.
    NO_ANSWER = {"who": [], "what": None, "where": None, "when": None}

    @model_validator(mode="after")
    def grounded(self, info: ValidationInfo) -> EventAnswers:
        """A number the article does not have is asked again; every other rule mends or
        leaves out what fails, with a warning (re-generating every event to fix one name
        costs more than it buys)."""
        ctx = validation_context(info)
        review = Review(ctx)
        for name in ("title", "summary"):
            if name in type(self).model_fields:
                review.take(self, actions.numbers_in_article(ctx, name, getattr(self, name)))
        drafts = _drafts(ctx, self.answers())
        for draft in drafts.values():
            review.apply(draft, EVENT_RULES)
        for sid, event in self.answers().items():
            draft = drafts[sid]
            event.who, event.what, event.where, event.when = (
                draft.who,
                draft.what,
                draft.where,
                draft.when,
            )
        review.close(self)
        return self


def _drafts(ctx: Context, answers: dict[str, EventAnswer]) -> dict[str, EventDraft]:
    """Each event of the answer with where its evidence stands: its sentence, the one
    before it (a sentence may name its place or time there), and the headline for S1."""
    translated = ctx.lang != ctx.written_in  # each "what" in other words, by design
    every_actor = {w.casefold() for event in answers.values() for w in event.who}
    drafts = {}
    for sid, event in answers.items():
        number = int(sid[1:])
        sentence = ctx.sentences[number - 1]
        drafts[sid] = EventDraft(
            sid=sid,
            sentence=sentence,
            near=(ctx.sentences[max(0, number - 2)].start, sentence.end),
            headline=ctx.headline if sid == "S1" else None,
            translated=translated,
            actors=every_actor,
            who=list(event.who),
            what=event.what,
            where=event.where,
            when=event.when,
        )
    return drafts


class LeadEventAnswers(EventAnswers):
    """For the article's first part: its title and summary, then the events."""

    # First: asked after the events, a small model copies whole sentences as "what".
    title: str = Field(max_length=150)
    summary: str = Field(max_length=SUMMARY_MAX_CHARS)  # bounds generation time

    @field_validator("summary")
    @classmethod
    def whole_sentences(cls, value: str) -> str:
        """Cut to whole sentences before grounding: a summary stopped by its length limit
        in the middle of "200,000" ends in "20", which is not a wrong number to re-ask for:
        asked again, the model writes the same characters again."""
        return clean_summary(value)


def _sentences(ctx: Context, limit: int = 8) -> list[int]:
    """Sentence numbers to brief: the lead, then those with resolved time words, then with
    figures, then the rest in order; mostly-quotation sentences are left to the quotes,
    and a teaser cut off inside a word to the next sentence, which tells it in full."""
    dated = {ctx.sentence_of(d.start) for d in ctx.time_words if d.date}
    counted = {ctx.sentence_of(n.start) for n in ctx.numbers.values()}

    def quoted_share(number: int) -> float:
        s = ctx.sentences[number - 1]
        inside = sum(max(0, min(q.end, s.end) - max(q.start, s.start)) for q in ctx.quotes.values())
        return inside / max(1, len(s.text))

    teasers = {s.start for s in cut_off_copies(ctx.sentences)}  # the next sentence tells it
    order = [n for n in ctx.sentence_numbers() if ctx.sentences[n - 1].start not in teasers]
    if not order:
        return []
    lead = order[0]
    ranked = [lead] + [n for n in order if n in dated] + [n for n in order if n in counted]
    ranked += list(order)
    chosen: list[int] = []
    for number in ranked:
        if number not in chosen and (number == lead or quoted_share(number) < 0.5):
            chosen.append(number)
        if len(chosen) == min(limit, len(order)):
            break
    return sorted(chosen)


def _model(ctx: Context, sentences: list[int], headline: bool) -> type[EventAnswers]:
    time_words = sorted({d.text for d in ctx.time_words})
    when_type: Any = Literal[tuple(time_words)] | None if time_words else None
    item = create_model("EventAnswer", __base__=EventAnswer, when=(when_type, ...))
    fields: dict[str, Any] = {f"S{n}": (item, ...) for n in sentences}
    base = LeadEventAnswers if headline else EventAnswers
    return create_model("EventAnswers", __base__=base, **fields)


def _variables(ctx: Context, sentences: list[int], headline: bool) -> dict[str, Any]:
    dates = [
        {"text": d.text, "sentence": ctx.sentence_of(d.start), "date": d.date}
        for d in ctx.time_words
    ]
    items = [{"id": f"S{n}", "text": ctx.sentences[n - 1].text} for n in sentences]
    return {
        "dates": dates,
        "sentences": items,
        "lang": ctx.lang,
        "translate_from": ctx.written_in if ctx.lang != ctx.written_in else None,
        "headline": headline,
    }


def clean_summary(summary: str) -> str:
    """At most three whole sentences: a cut-off last sentence is dropped, not shown.

    A summary of one sentence that stops mid-way (the model ends a JSON string at a
    quotation mark it would have to escape: 'describing it as') ends at its last comma
    instead, or shows that it stops ("…") when it has none.
    """
    sentences = [s.text for s in split_sentences(summary.strip())]
    if len(sentences) > 1 and _unfinished(sentences[-1]):
        sentences = sentences[:-1]
    elif sentences and _unfinished(sentences[-1]):
        head, comma, _ = sentences[-1].rpartition(",")
        sentences[-1] = f"{head}." if comma and head.strip() else f"{sentences[-1]}…"
    return " ".join(sentences[:SUMMARY_MAX_SENTENCES])


def _unfinished(sentence: str) -> bool:
    return sentence.rstrip()[-1:] not in tuple(".!?\"”'’…")


def build(ctx: Context, answers: EventAnswers) -> tuple[list[Event], list[str]]:
    """Events in article order, the lead first; the lead of a dated article without time
    words of its own, or with only a clock time ("at 6am"), is dated to the publication
    date (news leads report the day's news). No warnings of its own: the rules gave them."""
    text = ctx.article.text
    published: dt.date | None = ctx.article.published
    leads = ctx.lead_sids()
    out = []
    for sid, answer in answers.answers().items():
        if not answer.what:
            continue
        sentence = ctx.sentences[int(sid[1:]) - 1]
        date = ctx.dates.get(answer.when)
        lead_today = answer.when is None or is_clock_time(answer.when)
        if sid in leads and lead_today and published is not None:
            date = published.isoformat()
        out.append(
            Event(
                what=answer.what,
                who=list(
                    dict.fromkeys(w for w in (as_written(text, who) for who in answer.who) if w)
                ),
                where=as_written(text, answer.where),
                when=When(text=answer.when, date=date),
                evidence=[Span(start=sentence.start, end=sentence.end, text=sentence.text)],
            )
        )
    return out, []


def merge(found: list[Event]) -> list[Event]:
    """One event per happening: an event whose "what" repeats an earlier one's, or goes on
    after three or more of its words ("name final three victims of tram crash" and "…
    that killed seven"), by the same people or with no one named on one side (the same
    action told again, in another sentence or another window of a long article), adds its
    sentence to the earlier event's evidence and fills what the earlier one left empty.
    "said" by two different people stays two events."""
    merged: list[Event] = []
    for event in found:
        first = next((e for e in merged if _same_happening(e, event)), None)
        if first is None:
            merged.append(event.model_copy(deep=True))
            continue
        first.evidence += [span for span in event.evidence if span not in first.evidence]
        first.who = list(dict.fromkeys([*first.who, *event.who]))
        first.where = first.where or event.where
        if first.when.text is None:
            first.when = event.when
    return merged


def _same_happening(a: Event, b: Event) -> bool:
    short, long = sorted((words(a.what), words(b.what)), key=len)
    if short != long and (len(short) < 3 or long[: len(short)] != short):
        return False  # not the same action, whole or told with more words after it
    who_a, who_b = {w.casefold() for w in a.who}, {w.casefold() for w in b.who}
    return not who_a or not who_b or bool(who_a & who_b)
