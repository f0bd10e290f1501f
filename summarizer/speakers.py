"""Speakers: who said a quote, named as the quote's own passage names them.

The model reads each quote's passage with the quoted words cut out (its "frame") and
names the speaker, their role and the channel. A speaker must be written in the article,
as a name: a pronoun or a name the article does not write is sent back to the model with
the names its passage has; after the last attempt the quote stays, unattributed. A role
or channel not written beside the quote is left out. Each rule returns a `Verdict` on the
draft attribution.
"""

from __future__ import annotations

import re

from summarizer import clutter
from summarizer.context import KEEP, Context, QuoteDraft, Verdict
from summarizer.grounding import as_written
from summarizer.words import CAPITALISED_WORD_WITH_STOPS, FUNCTION_WORDS, PRONOUNS, name_run

# A speaker's name, with its initials and the particles inside it ("Ana de Souza").
_NAME = re.compile(
    name_run(CAPITALISED_WORD_WITH_STOPS, r"\s+(?:(?:of|de|van|von|al|bin|the)\s+)?")
)
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


def names_in(frame: str) -> list[str]:
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


def name_at_end(speaker: str, frame: str) -> str | None:
    """The name the passage writes, when the answer is that name after a title: "President
    Trump" beside "Trump told reporters", "Mr Rui Costa" beside "councillor Rui Costa".
    Sending it back costs a whole generation, and the model tends to give the same answer
    again. Not "the mayor of Lisbon" (the mayor is not
    Lisbon) nor "Philip Seary's family"."""
    words = speaker.split()
    tails = {" ".join(n.split()[i:]) for n in names_in(frame) for i in range(len(n.split()))}
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


def possessive_turned(speaker: str, text: str) -> str | None:
    """ "Philip Seary's family" where the article writes "The family of Philip Seary": a
    model keeps such an answer when asked again."""
    match = _POSSESSIVE.fullmatch(speaker.strip())
    if match is None:
        return None
    owner, noun = match.groups()
    return as_written(text, f"the {noun} of {owner}")  # or without "the"


# The rules, in the order the quotes pass applies them.


def speaker_not_page_text(ctx: Context, quote: QuoteDraft) -> Verdict:
    """A caption's, a hashtag's or a post's marks are not how anyone is named."""
    if quote.speaker and clutter.has_post_marks(quote.speaker):
        return Verdict(
            {"speaker": None}, (f"{quote.qid}: omitted speaker {quote.speaker!r}: not a name",)
        )
    return KEEP


def speaker_as_named(ctx: Context, quote: QuoteDraft) -> Verdict:
    """A speaker the article does not write as given is mended where the passage shows
    how it is written ("President Trump" -> "Trump", "Philip Seary's family" -> "the
    family of Philip Seary")."""
    speaker = quote.speaker
    if speaker and as_written(ctx.article.text, speaker) is None:
        mended = name_at_end(speaker, quote.frame) or possessive_turned(speaker, ctx.article.text)
        return Verdict({"speaker": mended or speaker})
    return KEEP


def speaker_named_in_article(ctx: Context, quote: QuoteDraft) -> Verdict:
    """A speaker is a name the article writes, not a pronoun: asked again, with the names
    the passage has; after the last attempt the quote stays, unattributed."""
    speaker = quote.speaker
    if not speaker or (
        speaker.strip().lower() not in PRONOUNS and as_written(ctx.article.text, speaker)
    ):
        return KEEP
    found = ", ".join(repr(n) for n in names_in(quote.frame))
    problem = (
        f"{quote.qid}: speaker {speaker!r} is not how the article names the speaker; "
        f"copy the speaker exactly as its paragraph writes it: {quote.frame[:300]!r}"
        + (f" (names there: {found})" if found else "")
    )
    return Verdict({"speaker": None} if ctx.lenient else {}, problems=(problem,))


def role_and_channel_beside_quote(ctx: Context, quote: QuoteDraft) -> Verdict:
    """A role or channel not written beside this quote is not stated for it: left out."""
    changes = {
        name: None
        for name in ("speaker_role", "channel")
        if getattr(quote, name) and as_written(quote.frame, getattr(quote, name)) is None
    }
    return Verdict(changes)


def role_not_the_speaker(ctx: Context, quote: QuoteDraft) -> Verdict:
    """A role that repeats the speaker ("Investigators, Investigators") says nothing more."""
    role, speaker = quote.speaker_role, quote.speaker
    if role and speaker and role.casefold() in speaker.casefold():
        return Verdict({"speaker_role": None})
    return KEEP
