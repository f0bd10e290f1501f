"""Actions: the "what" of an event, in the words of its own sentence.

A small model asked about a sentence may tell the next sentence's event, copy the whole
sentence, or put the place and the time into the action. These rules keep the action its
sentence tells, cut to its first clause, without the phrase that places it; the
headline's event is told in the headline's own words. Each rule returns a `Verdict` on
the draft event.
"""

from __future__ import annotations

import re

from summarizer import clutter, headlines
from summarizer.context import KEEP, Context, EventDraft, Verdict, ungrounded_numbers
from summarizer.grounding import split_sentences
from summarizer.places import PLACE_END
from summarizer.quotes import SPEECH_VERB, find_quotes
from summarizer.words import FUNCTION_WORDS, content_words, taken_from


def told_elsewhere(what: str, sentence: str) -> bool:
    """Whether an event's "what" is another sentence's event, told with the wrong evidence
    (the next sentence's, or the headline's for every sentence). A single word is not
    judged: it is as often the sentence's own action in other words ("attack" for "truck
    bombing")."""
    return len(content_words(what)) >= 2 and not taken_from(what, sentence)


WHAT_MAX_WORDS = 12  # the prompt's limit
# Where a second clause begins: ", where the shooting took place", ", but lost each time",
# ", only to call him in again", "; the company said", " - I actually will", "... looks
# like", "idea. 'IF HE WERE": not a comma between adjectives ("restrained, competent") or
# before a list's last item ("the Democratic National Committee, DCCC, and state
# election offices").
_CLAUSE_END = re.compile(
    r",\s+(?=(?:where|which|who|whom|whose|when|while|but|as|after|because|including"
    r"|especially|only|[a-z]+ing)\b)"
    r"|[;:]\s|\s[-–—]+\s|\.\.\.|[.!?]['\"’”]?\s+(?=['\"‘“])"
)
_OPENER = {"in", "on", "at", "for", "but", "after", "before", "while", "as", "when", "by"}


def first_clause(what: str) -> str:
    """A "what" longer than the prompt allows is the model copying its sentence, or more:
    its first sentence, and of that its first clause ("closed down the intersection of
    Third Avenue and Pine streets", not "…, where the shooting took place in front of a
    7-11 convenience store"). An opening phrase ("On Nov. 11, 2014, after a quiet stroll")
    is not a clause of its own, and a quotation is not cut."""
    what = split_sentences(what)[0].text
    quoted = [(q.start, q.end) for q in find_quotes(what)]
    skip = what.split()[0].casefold() in _OPENER
    for end in _CLAUSE_END.finditer(what):
        head = what[: end.start()]
        if skip:
            skip = False
        elif any(start <= end.start() < stop for start, stop in quoted):
            continue
        elif len(head.split()) >= 3:
            return head
    return what


def without_place(what: str, where: str) -> str:
    """The action without the phrase that places it, and what follows that phrase: the
    place is the event's "where", the time its "when" ("opened fire in downtown Seattle on
    Wednesday night following an argument" -> "opened fire"). Only a whole place phrase
    cuts ("in Seattle", not "in Seattle marred by shooting"), and only after two words
    ("protests outside Trump Tower" stays)."""
    gap = r"(?:[\w'’-]+\s+){0,4}?"  # "in [northern Afghan city of] Mazar-i-Sharif"
    phrase = rf"\s+(?:in|at|near|outside|inside)\s+{gap}{re.escape(where)}{PLACE_END}"
    found = re.search(phrase, what, re.I)
    if found and len(what[: found.start()].split()) >= 2:
        return what[: found.start()]
    return what


def _without_number(text: str, number: str) -> str:
    """Drop the sentences of a generated text that carry an ungrounded number."""
    return " ".join(s.text for s in split_sentences(text) if number not in s.text)


# The rules, in the order the events pass applies them.


def numbers_in_article(ctx: Context, name: str, generated: str) -> Verdict:
    """A number the model wrote in the title or summary must be the article's: asked again;
    after the last attempt, the sentences that carry it are dropped."""
    numbers = ungrounded_numbers(ctx, generated)
    problems = tuple(f"{name}: the number {n!r} is not in the article" for n in numbers)
    if not problems or not ctx.lenient:
        return Verdict(problems=problems)
    for number in numbers:
        generated = _without_number(generated, number)
    return Verdict({name: generated}, problems=problems)


def what_numbers_in_article(ctx: Context, event: EventDraft) -> Verdict:
    """A number in the "what" must be the article's: asked again; after the last attempt
    the event is left out."""
    numbers = ungrounded_numbers(ctx, event.what or "")
    problems = tuple(f"{event.sid}: the number {n!r} is not in the article" for n in numbers)
    return Verdict({"what": None} if problems and ctx.lenient else {}, problems=problems)


def what_in_its_sentence(ctx: Context, event: EventDraft) -> Verdict:
    """The event another sentence tells is not this sentence's event. The headline's event
    is judged by `headline_what`, and a translated "what" is in other words by design."""
    if (
        event.what
        and not (event.headline or event.translated)
        and told_elsewhere(event.what, event.sentence.text)
    ):
        return _omitted(event, "not in its sentence")
    return KEEP


def what_not_page_text(ctx: Context, event: EventDraft) -> Verdict:
    """A page widget's text or an embedded post is no event."""
    if event.what and clutter.is_page_text(event.what):
        return _omitted(event, "page text")
    return KEEP


_QUOTE_NEXT = re.compile(r"\s*[\"“‘']")


def what_runs_through_its_quote(ctx: Context, event: EventDraft) -> Verdict:
    """A "what" the model ends where its sentence goes on with a quotation ("calls the drive
    in which he overtook 13 cars" of '… in heavy rain "one of the best drives I've seen"')
    runs on to the quotation's end: inside a JSON string a small model stops before a mark
    it would have to escape. The headline's is run on by `headline_what`."""
    if not event.what or event.headline or event.translated:
        return KEEP
    sentence, what = event.sentence.text, event.what.rstrip()
    tail = " ".join(what.split()[-3:])  # its last words as the sentence writes them
    at = sentence.find(tail)
    if at < 0 or not _QUOTE_NEXT.match(sentence, at + len(tail)):
        return KEEP
    stop = at + len(tail)
    quote = next((q for q in find_quotes(sentence) if q.start >= stop), None)
    if quote is None:
        return KEEP
    closing = re.match(r"[\"”’']?", sentence[quote.end :])
    end = quote.end + (closing.end() if closing else 0)
    return Verdict({"what": what + sentence[stop:end]})


# Words a clause does not end on: a "what" that does was left unfinished.
_OPEN_END = {"a", "an", "the", "and", "or", "of", "to", "that", "is", "are", "was", "were", "be",
             "has", "have", "had", "will", "would"}  # fmt: skip
_SPEECH = re.compile(rf"{SPEECH_VERB}\s*")


def what_finished(ctx: Context, event: EventDraft) -> Verdict:
    """A "what" the model left unfinished ("says investigators have", "is") is no event:
    it stopped before a quotation it would have to escape, and the quotation did not
    follow its words in the sentence. Nor is a speech verb alone ("said"): the quotation is
    the news, and the brief's quotes have it. The headline's is run on by `headline_what`."""
    if not event.what or event.headline or event.translated:
        return KEEP
    words = event.what.split()
    if not words or words[-1].casefold() in _OPEN_END:
        return _omitted(event, "unfinished")
    if _SPEECH.fullmatch(event.what):
        return _omitted(event, "only a speech verb")
    return KEEP


def what_first_clause(ctx: Context, event: EventDraft) -> Verdict:
    """A "what" longer than the prompt allows is cut to its first clause."""
    if event.what and not event.headline and len(event.what.split()) > WHAT_MAX_WORDS:
        return Verdict({"what": first_clause(event.what)})
    return KEEP


def headline_what(ctx: Context, event: EventDraft) -> Verdict:
    """The headline's event in the headline's own words, cut to its main clause, done by
    the actors the headline names before it. Asked about a headline, the model often tells
    an event of the body instead: the headline then stands in, with a warning."""
    if not (event.headline and event.what and not event.translated):
        return KEEP
    warnings: tuple[str, ...] = ()
    who = event.who
    if not taken_from(event.what, event.headline):
        warnings = (f"S1: what {event.what!r} is not from the headline; the headline stands in",)
        who = [w for w in who if _in_headline(w, event.headline)]
    what = headlines.headline_what(event.headline, event.what, who, ctx.article.text)
    who = headlines.subject_actors(event.headline, what, who)
    return Verdict({"what": what, "who": who}, warnings)


_NAME_WORD = re.compile(r"[A-Z][\w.'’-]+")


def _in_headline(actor: str, headline: str) -> bool:
    """Whether the headline names an actor, in full or by one of its names ("Taliban" of
    "Taliban suicide bomber"; not "The" of "The port authority"): when the headline stands
    in for the model's event, the model's actors did the model's event, and only those the
    headline names are its."""
    return actor.casefold() in headline.casefold() or bool(_names(actor) & _names(headline))


def _names(text: str) -> set[str]:
    return {w for w in _NAME_WORD.findall(text) if w.casefold() not in FUNCTION_WORDS}


def what_without_place(ctx: Context, event: EventDraft) -> Verdict:
    """The place phrase, and what follows it, is cut from the "what": the place is the
    event's "where", as the article writes it or in full."""
    what = event.what
    for place in dict.fromkeys((event.where, event.written)):
        if what and place:
            what = without_place(what, place)
    return Verdict({"what": what}) if what != event.what else KEEP


def _omitted(event: EventDraft, why: str) -> Verdict:
    return Verdict({"what": None}, (f"{event.sid}: omitted event {event.what!r}: {why}",))
