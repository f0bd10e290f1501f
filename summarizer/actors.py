"""Actors: the "who" of an event, each a name the article writes.

The model may give as an actor a name the article never writes, a pronoun or an event
listing's heading ("What", "they"), a clause someone said, or a page widget's text; each
is left out with a warning. A headline that begins with its subject ("UK outraged over
Toblerone") names the actor the model missed. Each rule returns a `Verdict` on the draft
event.
"""

from __future__ import annotations

import re

from summarizer import clutter, headlines
from summarizer.context import KEEP, Context, EventDraft, Verdict
from summarizer.grounding import as_written
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
