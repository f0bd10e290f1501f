"""Actors: the "who" of an event, each a name the article writes.

The model may give as an actor a name the article never writes, a pronoun or an event
listing's heading ("What", "they"), a clause someone said, or a page widget's text; each
is left out with a warning. A headline that begins with its subject ("UK outraged over
Toblerone") names the actor the model missed, and one told as a count ("Seven killed")
is about the people the lead counts. Each rule returns a `Verdict` on the draft event.
"""

from __future__ import annotations

import re

from summarizer import clutter, headlines
from summarizer.context import KEEP, Context, EventDraft, Verdict
from summarizer.grounding import as_written
from summarizer.numbers import find_numbers
from summarizer.quotes import SPEECH_VERB
from summarizer.words import FUNCTION_WORDS, PRONOUNS, letter_words

# An event listing's headings ("What:", "When:", "Where:") and pronouns, given as actors.
_NO_ONE = FUNCTION_WORDS | PRONOUNS | {"us", "what", "when", "where", "why", "how", "who", "which"}


def names_no_one(who: str) -> bool:
    """Whether an actor is only words that name no one ("What", "they"); "US" and "IT"
    in capitals are names."""
    found = letter_words(who)
    return bool(found) and all(
        w.casefold() in _NO_ONE and not (len(w) > 1 and w.isupper()) for w in found
    )


# A speech verb in the middle of an actor: a clause someone said, not a name ("One shared
# a picture of the new chocolate bar and said: '…'"). Case-sensitive, as in a sentence.
_SAYS = re.compile(rf"\s{SPEECH_VERB}\b")


# The rules, in the order the events pass applies them.


def who_named(ctx: Context, event: EventDraft) -> Verdict:
    """Each actor is a name the article writes, not a pronoun or a heading, and not page
    text. The others are left out, not asked again: re-generating every event to fix one
    name costs more than it buys."""
    named, warnings = [], []
    for who in event.who:
        if as_written(ctx.article.text, who) is None:
            warnings.append(f"{event.sid}: omitted who {who!r}: not named in the article")
        elif names_no_one(who) or _SAYS.search(who):
            warnings.append(f"{event.sid}: omitted who {who!r}: not a name")
        elif clutter.is_page_text(who):
            warnings.append(f"{event.sid}: omitted who {who!r}: page text")
        else:
            named.append(who)
    return Verdict({"who": named}, tuple(warnings))


def headline_subject(ctx: Context, event: EventDraft) -> Verdict:
    """The headline's event without actors gets the name the headline begins with, when
    the article writes it as a name: "UK outraged over Toblerone chocolate" is the UK's."""
    if event.headline and not event.who:
        name = headlines.leading_name(event.headline, ctx.article.text)
        if name:
            return Verdict({"who": [name]})
    return KEEP


# A headline that begins its event with a count and what befell them ("Seven killed as
# tram derails", "Twenty-one shot in Seattle", "Several dead and dozens injured"): its
# subject is the people counted, whom the lead names in full ("At least seven people were
# killed"). The count is any number the number finder reads, or a vague count word.
_VAGUE_COUNT = re.compile(r"(?i:several|dozens|hundreds|scores|thousands)\b")
_QUALIFIER = r"(?:(?i:at least|more than|up to|about|nearly|some|as many as)\s+)?"


def headline_counted_subject(ctx: Context, event: EventDraft) -> Verdict:
    """The headline's event told as a count ("Seven killed") is done to the people the
    lead counts the same way ("At least seven people"): they are its actors, not those the
    model named for it (a witness, "the tram"). Only a plural the lead writes is taken."""
    if not event.headline:
        return KEEP
    count = _leading_count(headlines.headline_event(event.headline))
    if not count:
        return KEEP
    lead = ctx.lead_sentence() - 1
    people = re.compile(
        rf"{_QUALIFIER}(?i:{re.escape(count)})\s+"
        rf"(?!(?:was|is|has|as|its|this)\b)(?:[a-z]+s|people|men|women|children)\b"
    )
    for sentence in ctx.sentences[lead : lead + 2]:
        if found := people.search(sentence.text):
            return Verdict({"who": [found.group(0)]})
    return KEEP


def _leading_count(text: str) -> str | None:
    """The count a headline's event opens with, as written, when a lower-case word follows
    it ("Seven killed", "12 dead"); None for one ("One killed" counts no plural people)."""
    if vague := _VAGUE_COUNT.match(text):
        count = vague.group(0)
    else:
        first = next(iter(find_numbers(text)), None)
        if not first or first.start != 0 or first.value < 2:
            return None
        count = first.text
    return count if re.match(r"\s+[a-z]", text[len(count) :]) else None
