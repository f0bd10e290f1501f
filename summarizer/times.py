"""Times: the "when" of an event, a time word its own sentence writes.

The schema limits "when" to the time words the article contains; these rules keep the
one that dates this sentence's event. A headline has no time words of its own: the lead
below it dates the headline's event. Each rule returns a `Verdict` on the draft event.
"""

from __future__ import annotations

import datetime as dt

from summarizer.context import KEEP, Context, EventDraft, Verdict
from summarizer.dates import DateMention, is_clock_time, last_day
from summarizer.grounding import find_text


def lead_time_words(ctx: Context) -> list[str]:
    """Dated time words of the lead, the paragraph after a headline: where a news article
    dates the event its headline tells. A lead with none but a clock time ("at around
    6am") gives that: the day is the dateline's."""
    if not ctx.headline or len(ctx.sentences) < 2:
        return []
    lead = ctx.sentences[ctx.lead_sentence() - 1].paragraph
    found = [
        d for d in ctx.time_words if ctx.sentences[ctx.sentence_of(d.start) - 1].paragraph == lead
    ]
    dated = [d for d in found if d.date]
    plain = [d.text for d in dated if not _possessive(ctx.article.text, d)]
    return plain or [d.text for d in dated] or [d.text for d in found if is_clock_time(d.text)]


def _possessive(text: str, mention: DateMention) -> bool:
    """Whether a time word is written as a possessive ("in Tuesday's presidential
    election"): it dates the noun after it, not the sentence's event ("blamed Comey for
    her defeat in Tuesday's election in a call on Saturday" was said on Saturday)."""
    return text[mention.end : mention.end + 2] in ("'s", "’s")


# The headline tells news: a time word older than this before publication dates background.
NEWS_DAYS = 7

# The rules, in the order the events pass applies them.


def when_near_its_sentence(ctx: Context, event: EventDraft) -> Verdict:
    """A time word from another sentence dates another event: left out. The headline's
    event is dated by the lead (`lead_when`)."""
    if (
        event.when
        and event.sid != "S1"
        and find_text(ctx.article.text, event.when, *event.near) is None
    ):
        return Verdict(
            {"when": None}, (f"{event.sid}: omitted when {event.when!r}: not in its sentence",)
        )
    return KEEP


def when_not_possessive(ctx: Context, event: EventDraft) -> Verdict:
    """A time word written only as a possessive in its sentence gives way to one that is
    not, if the sentence has one: "Tuesday's election" dates the election, and "on
    Saturday" the sentence's event. The headline's event is dated by the lead."""
    if not event.when or event.sid == "S1":
        return KEEP
    text = ctx.article.text
    start, end = event.sentence.start, event.sentence.end
    here = [d for d in ctx.time_words if start <= d.start < end and d.date]
    written = [d for d in here if d.text == event.when]
    plain = [d for d in here if not _possessive(text, d)]
    if written and plain and all(_possessive(text, d) for d in written):
        return Verdict(
            {"when": plain[0].text},
            (f"{event.sid}: when {event.when!r} dates a noun; {plain[0].text!r} stands in",),
        )
    return KEEP


def lead_when(ctx: Context, event: EventDraft) -> Verdict:
    """The first sentence's event is dated by a time word of the lead."""
    lead_words = lead_time_words(ctx) if event.when and event.sid == "S1" else []
    if lead_words and event.when not in lead_words:
        return Verdict(
            {"when": lead_words[0]},
            (f"S1: when {event.when!r} is not in the lead; {lead_words[0]!r} stands in",),
        )
    return KEEP


def headline_when_recent(ctx: Context, event: EventDraft) -> Verdict:
    """The headline tells news: a time word that ends more than a week before publication
    ("2015", "July" in a November article) dates the background, not the headline's event,
    and is left out (the event is then dated to the publication day, like a lead)."""
    published = ctx.article.published
    if not (event.headline and event.when and published):
        return KEEP
    resolved = ctx.dates.get(event.when)
    if resolved and last_day(resolved) < published - dt.timedelta(days=NEWS_DAYS):
        return Verdict(
            {"when": None},
            (f"S1: omitted when {event.when!r}: {resolved} is older than the news it heads",),
        )
    return KEEP
