"""Headlines: which line is the article's title, and the grammar of a headline's event.

One rule decides what the headline is (`title`): a short first paragraph of one line
that does not end like a sentence. The title is what the brief reports as the article's, a quote in it is not reported
(the body quotes it in full and attributes it), and the events pass reads the headline's
event in the headline's own words.
"""

from __future__ import annotations

import re

from summarizer.quotes import SPEECH_VERB
from summarizer.words import FUNCTION_WORDS

HEADLINE_MAX_CHARS = 200


def title(text: str) -> str | None:
    """The article's headline: a short first paragraph of one line, with more text after
    it, that does not end like a sentence (a lead that opens the article ends with its
    full stop, or with the quote it reports)."""
    found = _title_span(text)
    return text[found[0] : found[1]] if found else None


def in_headline(text: str, offset: int) -> bool:
    """Whether an offset falls in the article's headline."""
    found = _title_span(text)
    return found is not None and found[0] <= offset < found[1]


def _title_span(text: str) -> tuple[int, int] | None:
    start = len(text) - len(text.lstrip())
    first, sep, rest = text[start:].partition("\n\n")
    first = first.rstrip()
    if not sep or not rest.strip() or not 0 < len(first) <= HEADLINE_MAX_CHARS:
        return None
    if "\n" in first or first[-1] in '.:;!?"”':
        return None
    return start, start + len(first)


_QUOTE_NEXT = re.compile(r"\s*[\"“‘]")


def headline_what(headline: str, what: str, who: list[str], text: str) -> str:
    """The headline's event in the headline's own words, cut to its main clause.

    A model's "what" that is not from the headline ("cleared Hillary Clinton" for "Hillary
    Clinton CLEARED by FBI over emails storm") gives way to the headline from its verb on.
    One taken from it is kept, but a single word ("meet", "attack") is not yet a clause:
    it runs on to the end of the headline's main clause ("meets with Obama at the White
    House"), and so does one that stops where the headline goes on with a quotation mark
    ("hails Max Verstappen's" of 'hails Max Verstappen's "amazing" podium-winning
    performance'): inside a JSON string a small model ends there rather than escape it."""
    at = headline.casefold().find(what.casefold())
    if at < 0:
        what = without_subject(headline_event(headline), who, text)
    elif _QUOTE_NEXT.match(headline, at + len(what.rstrip())):
        what = headline[at:]  # the model stops at a quotation mark it would have to escape
    elif len(what.split()) < 2:
        word = re.search(r"\w*$", headline[:at])  # always found, maybe empty
        what = headline[word.start() if word else at :]  # from the word's start
    return main_clause(what)


def _after_described_actor(what: str, who: list[str]) -> int | None:
    """Where the verb starts after a named actor that a short description leads ("Formula
    One star Max Verstappen shows nerves of steel"), the actor being the event's "who"."""
    for actor in sorted((w for w in who if w[:1].isupper()), key=len, reverse=True):
        found = re.search(rf"(?<!\w){re.escape(actor)}\s+(?=([a-z]+)\b)", what)
        if found and found.group(1) not in FUNCTION_WORDS and _description(what[: found.start()]):
            return found.end()
    return None


def _description(words: str) -> bool:
    """Whether the words before a name describe it: up to four, names but for the last,
    which may be a role in lower case ("Formula One star", "Red Bull boss", "Hillary
    Clinton"), not a clause ("Trump cries foul as", "CLEARED by")."""
    split = words.split()
    return (
        0 < len(split) <= 4
        and all(w[:1].isupper() for w in split[:-1])
        and (split[-1][:1].isupper() or split[-1].isalpha() and split[-1] not in FUNCTION_WORDS)
        and not re.search(r"[,:;]", words)
    )


def subject_actors(headline: str, what: str, who: list[str]) -> list[str]:
    """Of the event's actors, those the headline names before its "what": its subject did
    it ("Max Verstappen" of "Max Verstappen amazes Red Bull principal Christian Horner");
    the others are the event's objects. All of them when the subject names none."""
    at = headline.casefold().find(what.casefold())
    subject = headline[:at].casefold() if at > 0 else ""
    return [w for w in who if w.casefold() in subject] or who


# A headline's topic before a colon: "China well rescue: Race to reach boy trapped in Hebei"
# (not a quote after it: "Cubs win World Series: 'Baseball will never be the same'").
_TOPIC = re.compile(r"^[^:\"'‘“]{3,40}:\s+(?![\"'‘“])")


def headline_event(headline: str) -> str:
    """The clause that tells the event: without a topic label or a leading clause."""
    return _LEADING_CLAUSE.sub("", _TOPIC.sub("", headline))


def without_subject(headline: str, who: list[str], text: str) -> str:
    """The headline from its verb on, when it begins with the event's actors: "Taliban
    attacks German consulate" with who ["Taliban"] gives "attacks German consulate"; "Bill
    Murray and Barack Obama lead celebrations" with both named gives "lead celebrations"."""
    names = sorted((w.casefold() for w in who), key=len, reverse=True)

    def name_at(text: str) -> str | None:
        folded = text.casefold()
        return next((n for n in names if re.match(re.escape(n) + r"(?!\w)", folded)), None)

    rest = headline
    while name := name_at(rest):
        rest = rest[len(name) :].lstrip(" :,-")
        if rest[:4].casefold() == "and ":
            if not name_at(rest[4:]):
                return headline  # "Bill Murray and friends": the subject is not all named
            rest = rest[4:]
    if rest == headline and (verb := _after_described_actor(headline, who)):
        rest = headline[verb:]
    if rest == headline and (name := leading_name(headline, text)):
        rest = headline[len(name) :].lstrip()
    return rest or headline


_NAME_WORD = r"(?:[A-Z][a-z][\w'’-]*|[A-Z]{2,3}(?![\w-]))"
# A headline that starts with a name and goes on in lower case (or in capitals for stress):
# "Toblerone sparks outrage", "UK outraged over", "Hillary Clinton CLEARED by FBI".
_LEADING_NAME = re.compile(rf"({_NAME_WORD}(?:\s+{_NAME_WORD})*)\s+([a-z][\w-]*|[A-Z]{{4,}})\b")


def leading_name(headline: str, text: str) -> str | None:
    """The name a sentence-case headline begins with, when the article also writes it as
    a name mid-sentence ("the UK", "of Toblerone"): then it is the subject, not a word
    capitalised for starting the headline ("Several dead and dozens injured"). Not in a
    title-case headline, where every word is capitalised, nor before "and" or "of", nor
    before a word the article writes after it ("a Chinese boy": "Chinese boy found dead"
    has the subject "Chinese boy")."""
    body = text[text.find(headline) + len(headline) :]
    headline = headline_event(headline)
    match = _LEADING_NAME.match(headline)
    if not match or match.group(2).casefold() in FUNCTION_WORDS or title_case(headline):
        return None
    name, after = match.groups()
    if re.search(rf"{re.escape(name)}\s+{re.escape(after)}\b", body, re.I):
        return None
    return name if re.search(r"[a-z,][ \t]+" + re.escape(name) + r"(?!\w)", body) else None


def title_case(headline: str) -> bool:
    long_words = [w for w in re.findall(r"[^\W\d_]{4,}", headline) if w not in FUNCTION_WORDS]
    return bool(long_words) and all(w[0].isupper() for w in long_words)


# Where a headline's second event begins: "meets with Obama at the White House as whirlwind
# transition starts", "sparks outrage after changing iconic shape", "lands in Washington to
# meet Barack Obama"; and a leading one: "While the U.S. talks about election, UK outraged".
_DETERMINER = r"(?:the|a|an|his|her|its|their)\b"
# A pronoun after the verb is its object ("her" is one of `_DETERMINER` already).
_OBJECT = r"(?:them|him|it|us|me)"
_LATER_CLAUSE = re.compile(
    r"\s+(?:\w+ (?:days|hours|weeks|months|years) )?"
    r"(?:as|after|before|because|while|when|following|amid|despite)\s+"
    # "to meet Barack Obama", "to save the boy", "to make them lighter"; not "to the White
    # House", "to prison", nor a negated verb's own "not to charge Clinton"
    rf"|(?<!\bnot)\s+to\s+(?!{_DETERMINER})(?=[a-z]+\s+(?:[A-Z]|(?:{_DETERMINER}|{_OBJECT})\b))"
    r"|\s+\.\.\.\s*"
    r"|:\s+(?=['\"‘“])"  # "win World Series: 'Baseball will never be the same'": a quote
    # "blames Comey letters for election defeat, reports say": who tells it, not the event
    r"|,\s+(?:[\w'’.-]+\s+){0,4}(?:say|says|claim|claims|warn|warns)\W*$"
    # "slams 'rigged' FBI and claims it is impossible …": a second act, of speech
    rf"|\s+and\s+(?={SPEECH_VERB})"
    # "victims of tram crash that killed seven": a clause that tells the crash
    r"|\s+(?:that|which|who)\s+(?=\w+ed\b)"
)
_LEADING_CLAUSE = re.compile(r"^(?:while|as|after|before|when|despite|amid)\b[^,]*,\s+", re.I)


def main_clause(what: str) -> str:
    """A headline's main event without the clause it is told beside: a headline's event
    is its main clause ("meets with Obama", "sparks outrage"), and the other clause is an
    event of its own in the body. "with" does not cut: it is as often
    the verb's own ("meets with Obama") as another clause's ("with truck bomb"). A cut
    needs two words before it."""
    what = _LEADING_CLAUSE.sub("", what)
    for later in _LATER_CLAUSE.finditer(what):
        if len(what[: later.start()].split()) >= 2:
            return what[: later.start()]
    return what
