"""Pass 3, events: what happened in each candidate sentence, plus a title and a summary.

Candidate sentences are chosen in code (the lead, then sentences with time words or
figures), so every event's evidence is a whole sentence of the article; `when` is limited
by the schema to the time words the article contains, resolved against the dateline.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import (
    BaseModel,
    Field,
    ValidationInfo,
    create_model,
    field_validator,
    model_validator,
)

from summarizer.dates import MONTH, find_dates, is_clock_time, parse_dateline
from summarizer.grounding import (
    ABBREVIATIONS,
    FUNCTION_WORDS,
    PRONOUNS,
    Sentence,
    find_text,
    split_sentences,
)
from summarizer.passes.base import (
    PERSON_TITLES,
    Context,
    KeyedAnswers,
    Question,
    as_written,
    enforce,
    null_if_empty,
    ungrounded_numbers,
    validation_context,
)
from summarizer.quotes import find_quotes
from summarizer.schema import Event, Span, When

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


class EventAnswers(KeyedAnswers):
    """One event per candidate sentence (keyed like KeyedAnswers).

    The candidate sentences are chosen in code (the lead, then sentences with time words
    or figures), so every event's evidence is a whole sentence of the article and the
    model only says what happened there; `when` is limited by the schema to the time
    words the article contains.
    """

    # One field per candidate sentence, S<n>, added per article by _model.
    NO_ANSWER = {"who": [], "what": None, "where": None, "when": None}

    @model_validator(mode="after")
    def grounded(self, info: ValidationInfo) -> EventAnswers:
        """Numbers are re-asked; names and places the article does not contain are omitted
        (re-generating every event to fix one name costs more than it buys)."""
        ctx = validation_context(info)
        text = ctx.article.text
        translated = ctx.lang != ctx.written_in  # each "what" in other words, by design
        problems: list[str] = []
        for field_name in ("title", "summary"):
            if field_name not in type(self).model_fields:
                continue
            for number in ungrounded_numbers(ctx, getattr(self, field_name)):
                problems.append(f"{field_name}: the number {number!r} is not in the article")
                if ctx.lenient:
                    setattr(self, field_name, _without_number(getattr(self, field_name), number))
        actors = {w.casefold() for event in self.answers().values() for w in event.who}
        for sid, event in self.answers().items():
            for number in ungrounded_numbers(ctx, event.what or ""):
                problems.append(f"{sid}: the number {number!r} is not in the article")
                if ctx.lenient:
                    event.what = None
            named = []
            for who in event.who:
                if as_written(text, who) is None:
                    ctx.warnings.append(f"{sid}: omitted who {who!r}: not named in the article")
                elif _names_no_one(who):
                    ctx.warnings.append(f"{sid}: omitted who {who!r}: not a name")
                elif _PAGE_WIDGET.search(who):
                    ctx.warnings.append(f"{sid}: omitted who {who!r}: page text")
                else:
                    named.append(who)
            event.who = named
            sentence = ctx.sentences[int(sid[1:]) - 1]
            near = (ctx.sentences[max(0, int(sid[1:]) - 2)].start, sentence.end)
            headline = ctx.sentences[0].text if sid == "S1" and _is_headline(ctx) else None
            if (
                event.what
                and not (headline or translated)
                and _told_elsewhere(event.what, sentence.text)
            ):
                ctx.warnings.append(f"{sid}: omitted event {event.what!r}: not in its sentence")
                event.what = None
            if event.what and _PAGE_WIDGET.search(event.what):
                ctx.warnings.append(f"{sid}: omitted event {event.what!r}: page text")
                event.what = None
            if event.what and not headline and len(event.what.split()) > WHAT_MAX_WORDS:
                event.what = _first_clause(event.what)
            if headline and event.what and not translated:
                if not _taken_from(event.what, headline):
                    ctx.warnings.append(
                        f"S1: what {event.what!r} is not from the headline; the headline stands in"
                    )
                event.what = _headline_what(headline, event.what, event.who, text)
                event.who = _subject_actors(headline, event.what, event.who)
            if event.where and _not_a_place(ctx, event.where):
                ctx.warnings.append(f"{sid}: omitted where {event.where!r}: not a place")
                event.where = None
            page_text = False  # a page's video player: "Video Loading Video Unavailable ..."
            if event.where:
                found = _place(text, event.where, *near)
                if found is None:
                    ctx.warnings.append(
                        f"{sid}: omitted where {event.where!r}: not in its sentence"
                    )
                elif len(text[found[0] : found[1]].split()) > PLACE_MAX_WORDS:
                    ctx.warnings.append(f"{sid}: omitted where {event.where!r}: not a place")
                    found, page_text = None, True
                event.where = text[found[0] : found[1]] if found else None
            if event.where and _an_actor(ctx, event.where, actors):
                ctx.warnings.append(f"{sid}: omitted where {event.where!r}: an actor")
                event.where = None
            if headline and not event.where:
                event.where = _headline_place(ctx, event.who)
            written = event.where  # as the sentence writes it, to cut from the "what"
            if event.where:
                event.where = _in_full(ctx, event.where, *near, headline=bool(headline))
            if not headline and not event.where and event.what and not page_text:
                # not beside page text, whose buttons read as names ("play in Share this")
                event.where = _sentence_place(ctx, sentence, event.who)
            if sid == "S1" and not event.where:
                event.where = _dateline_place(ctx)
            if headline and not event.who and (name := _leading_name(headline, text)):
                event.who = [name]  # "UK outraged over Toblerone chocolate": UK, in the UK
            for place in dict.fromkeys((event.where, written)):  # once when not written in full
                if event.what and place:
                    event.what = _without_place(event.what, place)
            if event.when and sid != "S1" and find_text(text, event.when, *near) is None:
                # a time word from elsewhere dates another event
                ctx.warnings.append(f"{sid}: omitted when {event.when!r}: not in its sentence")
                event.when = None
            lead_words = _lead_time_words(ctx) if event.when and sid == "S1" else []
            if lead_words and event.when not in lead_words:
                ctx.warnings.append(
                    f"S1: when {event.when!r} is not in the lead; {lead_words[0]!r} stands in"
                )
                event.when = lead_words[0]
        answers, lead = self.answers(), f"S{_lead_sentence(ctx)}"
        if _is_headline(ctx) and "S1" in answers and lead in answers:
            # the lead sentence tells the headline's event: without time words of its
            # own, it is dated like the headline
            answers[lead].when = answers[lead].when or answers["S1"].when
        enforce(ctx, problems)
        return self


class LeadEventAnswers(EventAnswers):
    """For the article's first part: its title and summary, then the events."""

    # First: asked after the events, this model copied whole sentences as "what"
    # (measured, worse).
    title: str = Field(max_length=150)
    summary: str = Field(max_length=SUMMARY_MAX_CHARS)  # bounds generation time

    @field_validator("summary")
    @classmethod
    def whole_sentences(cls, value: str) -> str:
        """Cut to whole sentences before grounding: a summary stopped by its length limit
        in the middle of "200,000" ends in "20", which is not a wrong number to re-ask for
        (measured: the model wrote the same 600 characters twice more)."""
        return clean_summary(value)


# An event listing's headings ("What:", "When:", "Where:") and pronouns, given as actors.
_NO_ONE = FUNCTION_WORDS | PRONOUNS | {"us", "what", "when", "where", "why", "how", "who", "which"}


# A news page's widgets, flattened into its text: "1 of 57 Full Screen Autoplay Close Skip
# Ad", "Could not subscribe, try again later", "Get celebs updates directly to your inbox
# + Subscribe Thank you for subscribing!" (the model gave each as an event or an actor),
# and embedded posts: "… pic.twitter.com/C71KeNUWF1 -- James Melville (@JamesMelville)
# November 8, 2016" (the model gave five such as "what", whole).
_PAGE_WIDGET = re.compile(
    r"(?i:c)ould not subscribe|(?i:t)hank you for subscribing|(?i:i)nvalid (?i:e)mail"
    r"|directly to your inbox|Full Screen Autoplay|Close Skip Ad|Video (?:Loading|Unavailable)"
    r"|(?:Click|Tap) to (?:play|share)|Opens in new window"
    r"|pic\.twitter\.com/|\(@\w+\) [A-Z][a-z]+ \d{1,2}, \d{4}"
)


def _names_no_one(who: str) -> bool:
    """Whether an actor is only words that name no one ("What", "they"); "US" and "IT"
    in capitals are names."""
    words = re.findall(r"[^\W\d_]+", who)
    return bool(words) and all(
        w.casefold() in _NO_ONE and not (len(w) > 1 and w.isupper()) for w in words
    )


def _is_headline(ctx: Context) -> bool:
    title = ctx.article.title
    return bool(title and ctx.sentences) and ctx.sentences[0].text.strip() == title


_NOT_CONTENT = FUNCTION_WORDS | {"is", "are", "was", "were", "be", "has", "have", "had", "as"}


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.casefold())


def _content_words(text: str) -> list[str]:
    return [w for w in _words(text) if w not in _NOT_CONTENT]


def _taken_from(what: str, sentence: str) -> bool:
    """Whether most of a "what"'s words are the sentence's, in any form ("meet" for "met",
    "attacks" for "attacked"): asked about a headline, the model often tells an event of
    the body instead (15 of the 30 dev headlines), and asked about a sentence, the next
    sentence's event or another sentence's (1 in 13 events of the dev set's briefs)."""
    words = [_stem(w) for w in _content_words(what)]
    own = {_stem(w) for w in _content_words(sentence)}
    return sum(w in own for w in words) * 2 >= len(words)


def _told_elsewhere(what: str, sentence: str) -> bool:
    """Whether an event's "what" is another sentence's event, told with the wrong evidence
    (the next sentence's, or the headline's for every sentence). A single word is not
    judged: it is as often the sentence's own action in other words ("attack" for "truck
    bombing")."""
    return len(_content_words(what)) >= 2 and not _taken_from(what, sentence)


# Verbs of news whose forms differ in their first letters: "met" is "meet".
_IRREGULAR = {
    "met": "meet", "said": "say", "says": "say", "told": "tell", "won": "win", "lost": "lose",
    "took": "take", "taken": "take", "gave": "give", "given": "give", "made": "make",
    "went": "go", "gone": "go", "came": "come", "found": "find", "held": "hold", "left": "leave",
    "ran": "run", "began": "begin", "begun": "begin", "knew": "know", "known": "know",
    "saw": "see", "seen": "see", "kept": "keep", "brought": "bring", "bought": "buy",
    "spoke": "speak", "spoken": "speak", "wrote": "write", "written": "write", "fell": "fall",
    "fallen": "fall", "rose": "rise", "risen": "rise", "shot": "shoot", "fled": "flee",
    "led": "lead", "sent": "send", "sold": "sell", "struck": "strike", "spent": "spend",
    "thought": "think", "became": "become", "built": "build", "drove": "drive",
    "driven": "drive", "stood": "stand", "caught": "catch", "fought": "fight",
    "sought": "seek", "threw": "throw", "thrown": "throw", "grew": "grow", "grown": "grow",
    "died": "die", "dies": "die", "dying": "die", "paid": "pay", "laid": "lay",
}  # fmt: skip


def _stem(word: str) -> str:
    """A word's first four letters, enough to match its other forms ("attacked",
    "attacks"); an irregular verb's base."""
    return _IRREGULAR.get(word, word)[:4]


def _headline_what(headline: str, what: str, who: list[str], text: str) -> str:
    """The headline's event in the headline's own words, cut to its main clause.

    A model's "what" that is not from the headline ("cleared Hillary Clinton" for "Hillary
    Clinton CLEARED by FBI over emails storm") gives way to the headline from its verb on.
    One taken from it is kept, but a single word ("meet", "attack") is not yet a clause:
    it runs on to the end of the headline's main clause ("meets with Obama at the White
    House")."""
    at = headline.casefold().find(what.casefold())
    if at < 0:
        what = _without_subject(_headline_event(headline), who, text)
    elif len(what.split()) < 2:
        at -= len(re.search(r"\w*$", headline[:at]).group())  # from the word's start
        what = headline[at:]
    return _main_clause(what)


def _subject_actors(headline: str, what: str, who: list[str]) -> list[str]:
    """Of the event's actors, those the headline names before its "what": its subject did
    it ("Max Verstappen" of "Max Verstappen amazes Red Bull principal Christian Horner");
    the others are the event's objects. All of them when the subject names none."""
    at = headline.casefold().find(what.casefold())
    subject = headline[:at].casefold() if at > 0 else ""
    return [w for w in who if w.casefold() in subject] or who


# A headline's topic before a colon: "China well rescue: Race to reach boy trapped in Hebei"
# (not a quote after it: "Cubs win World Series: 'Baseball will never be the same'").
_TOPIC = re.compile(r"^[^:\"'‘“]{3,40}:\s+(?![\"'‘“])")


def _headline_event(headline: str) -> str:
    """The clause that tells the event: without a topic label or a leading clause."""
    return _LEADING_CLAUSE.sub("", _TOPIC.sub("", headline))


def _without_subject(headline: str, who: list[str], text: str) -> str:
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
    if rest == headline and (name := _leading_name(headline, text)):
        rest = headline[len(name) :].lstrip()
    return rest or headline


_NAME_WORD = r"(?:[A-Z][a-z][\w'’-]*|[A-Z]{2,3}(?![\w-]))"
# A headline that starts with a name and goes on in lower case (or in capitals for stress):
# "Toblerone sparks outrage", "UK outraged over", "Hillary Clinton CLEARED by FBI".
_LEADING_NAME = re.compile(rf"({_NAME_WORD}(?:\s+{_NAME_WORD})*)\s+([a-z][\w-]*|[A-Z]{{4,}})\b")


def _leading_name(headline: str, text: str) -> str | None:
    """The name a sentence-case headline begins with, when the article also writes it as
    a name mid-sentence ("the UK", "of Toblerone"): then it is the subject, not a word
    capitalised for starting the headline ("Several dead and dozens injured"). Not in a
    title-case headline, where every word is capitalised, nor before "and" or "of", nor
    before a word the article writes after it ("a Chinese boy": "Chinese boy found dead"
    has the subject "Chinese boy")."""
    body = text[text.find(headline) + len(headline) :]
    headline = _headline_event(headline)
    match = _LEADING_NAME.match(headline)
    if not match or match.group(2).casefold() in FUNCTION_WORDS or _title_case(headline):
        return None
    name, after = match.groups()
    if re.search(rf"{re.escape(name)}\s+{re.escape(after)}\b", body, re.I):
        return None
    return name if re.search(r"[a-z,][ \t]+" + re.escape(name) + r"(?!\w)", body) else None


def _title_case(headline: str) -> bool:
    long_words = [w for w in re.findall(r"[^\W\d_]{4,}", headline) if w not in FUNCTION_WORDS]
    return bool(long_words) and all(w[0].isupper() for w in long_words)


# Where a headline's second event begins: "meets with Obama at the White House as whirlwind
# transition starts", "sparks outrage after changing iconic shape", "lands in Washington to
# meet Barack Obama"; and a leading one: "While the U.S. talks about election, UK outraged".
_DETERMINER = r"(?:the|a|an|his|her|its|their)\b"
_LATER_CLAUSE = re.compile(
    r"\s+(?:\w+ (?:days|hours|weeks|months|years) )?"
    r"(?:as|after|before|because|while|when|following|amid|despite)\s+"
    # "to meet Barack Obama", "to save the boy"; not "to the White House", "to prison"
    rf"|\s+to\s+(?!{_DETERMINER})(?=[a-z]+\s+(?:[A-Z]|{_DETERMINER}))"
    r"|\s+\.\.\.\s*"
    r"|:\s+(?=['\"‘“])"  # "win World Series: 'Baseball will never be the same'": a quote
)
_LEADING_CLAUSE = re.compile(r"^(?:while|as|after|before|when|despite|amid)\b[^,]*,\s+", re.I)


def _main_clause(what: str) -> str:
    """A headline's main event without the clause it is told beside: the gold "what" of
    the dev headlines is the main clause ("meets with Obama", "sparks outrage"), and the
    other clause is an event of its own in the body. "with" does not cut: it is as often
    the verb's own ("meets with Obama") as another clause's ("with truck bomb"). A cut
    needs two words before it."""
    what = _LEADING_CLAUSE.sub("", what)
    for later in _LATER_CLAUSE.finditer(what):
        if len(what[: later.start()].split()) >= 2:
            return what[: later.start()]
    return what


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


def _first_clause(what: str) -> str:
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


def _place(text: str, where: str, start: int, end: int) -> tuple[int, int] | None:
    """Offsets of the place near its sentence: the answer as the article writes it, else
    its part before a comma ("Kursk region, Russia" -> "Kursk region"), else the longest
    run of its words that starts and ends with a capital and stands there with the same
    capitals ("Croydon tram station" -> "Croydon"); of runs as long, the last ("the German
    consulate in Mazar-i-Sharif" -> "Mazar-i-Sharif"). A place from another sentence is
    another event's place."""
    found = find_text(text, where, start, end) or find_text(text, where.split(",")[0], start, end)
    if found:
        return found
    words = where.replace(",", " ").split()
    for size in range(len(words), 0, -1):
        for first in range(len(words) - size, -1, -1):
            run = words[first : first + size]
            if not (_capitalised(run[0]) and _capitalised(run[-1])):
                continue
            pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, run)) + r"(?!\w)"
            match = re.search(pattern, text[start:end])
            if match:
                return start + match.start(), start + match.end()
    return None


# First words of what the model put where a place goes: "with CNN", "about President
# Obama", "of Mr. Obama at the rally", "directly to your inbox", "not blocked by ..."
# (seen on the dev set).
_NOT_A_PLACE_START = {
    "of", "with", "about", "over", "not", "directly", "during", "after", "before", "for", "to",
    "against", "because", "since", "until", "amid", "via",
}  # fmt: skip


# "two days before the election", "a few hours later": a span of time, not a place.
_TIME_SPAN = re.compile(
    r"(?:just\s+)?(?:a|an|a\s+few|few|several|\d+|one|two|three|four|five|six|seven|eight|"
    r"nine|ten)\s+(?:minute|hour|day|week|fortnight|month|year|decade)s?\b",
    re.I,
)
# "at Mr. Trump" of "expressed exasperation at Mr. Trump's ...": a person, by their title.
_TITLED = re.compile(
    r"(?:(?:in|at|near|outside)\s+)?(?:the\s+)?"
    rf"{PERSON_TITLES}\.?\s+[A-Z]"  # not "Col du Tourmalet"
)
# The longest places seen, as the article writes them, are lists: 11 words in the seed's
# gold and 12 in the model's answers ("Kyiv, Poltava, Sumy, Kharkiv, Chernihiv, Cherkasy,
# Dnipropetrovsk, Zhytomyr, and Khmelnytskyy regions"). A page's video player text ran to
# 35 words.
PLACE_MAX_WORDS = 20


def _not_a_place(ctx: Context, where: str) -> bool:
    """A time ("last week", "on Sunday", "two days before the election"), a phrase that
    starts like a manner or a topic, or a person named by their title ("at Mr. Trump")."""
    first = where.split(maxsplit=1)[0].casefold() if where.strip() else ""
    times = find_dates(where, ctx.article.published, ctx.written_in)
    return (
        first in _NOT_A_PLACE_START
        or any(d.date for d in times)
        or _TIME_SPAN.match(where.strip()) is not None
        or _TITLED.match(where.strip()) is not None
    )


_NAME_RUN = re.compile(r"[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*")
_PLACE_START = r"\b(?:in|at|near|outside)\s+(?:the\s+)?"
# What may follow a place the article writes "in Seattle", "at the White House": an end of
# clause or a word that starts a new phrase, not a noun ("in the German consulate").
_PLACE_END = (
    r"(?=\s*(?:[,.;:!?)]|$)|\s+(?:on|in|at|and|where|when|while|after|before|as|last|this|"
    r"yesterday|today|to|from|with|for|near|close|during|since|until|over|by|"
    r"is|was|were|are|has|have|had)\b)"
)


def _an_actor(ctx: Context, where: str, actors: set[str]) -> bool:
    """A name given as a place that is one of the answer's actors, or the first or last
    words of one ("Trump" of "Donald Trump", "Chicago" of "Chicago Cubs"), and that the
    article never writes as a place ("in Chicago", "at the White House") or as its
    dateline: the model puts actors where places go ("FBI", "Clinton", "Tea Party" on the
    dev sets)."""
    name = where.strip()
    folded = name.casefold()
    text = ctx.article.text
    if not _NAME_RUN.fullmatch(name):
        return False
    if not any(
        actor == folded or actor.startswith(folded + " ") or actor.endswith(" " + folded)
        for actor in actors
    ):
        return False
    if (_dateline_place(ctx) or "").casefold() == folded:
        return False
    # "in Cleveland that", not "outside Trump Tower" or "at Trump's expense"
    as_place = _PLACE_START + re.escape(name) + r"\b(?!['’-]|[ \t]+[A-Z])"
    return re.search(as_place, text) is None


def _headline_place(ctx: Context, who: list[str]) -> str | None:
    """A name in the headline that the article uses as a place ("in Croydon", "in the
    UK"), for a headline whose event the model gave no place: a headline names its place
    in passing ("Final three Croydon tram crash victims named"), and the model misses it.
    A name that is one of the event's actors is not one."""
    headline, text = ctx.sentences[0].text, ctx.article.text
    actors = {w.casefold() for w in who}
    for run in _NAME_RUN.findall(headline):
        as_place = _PLACE_START + re.escape(run) + _PLACE_END
        if run.casefold() not in actors and re.search(as_place, text):
            return run
    return None


# "in downtown Seattle", "at the White House", "near Croydon": a name after a word that
# places, on one line, ending where the place phrase ends.
_AREA = r"(?:downtown|northern|southern|eastern|western|central|rural)[ \t]+"
_LINE_PLACE_START = r"\b(?:in|at|near|outside)[ \t]+(?:the[ \t]+)?"  # on one line
_LINE_NAME = r"[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*)*"
_SENTENCE_PLACE = re.compile(rf"{_LINE_PLACE_START}((?:{_AREA})?{_LINE_NAME}){_PLACE_END}")


def _sentence_place(ctx: Context, sentence: Sentence, who: list[str]) -> str | None:
    """The first place the sentence names ("escaped after firing into a crowd ... in
    downtown Seattle"), for an event the model gave none: a sentence that names its place
    in passing loses it to the model's answer about the actors (4 of the dev set's events:
    "Croydon", "UK", "downtown Seattle", and "in the World Series", which is not one). Not
    a time ("in January"), a title ("at Mr. Trump's"), a name too short to be a place ("in
    the U.S."), or one of the event's actors."""
    actors = {w.casefold() for w in who}
    for match in _SENTENCE_PLACE.finditer(sentence.text):
        place = match.group(1)
        if place.casefold() in actors or not _capitalised(place.split()[-1]):
            continue
        if place.casefold() in ABBREVIATIONS:  # "at Mr. Trump's willingness"
            continue
        if re.search(MONTH, place) or find_dates(place, ctx.article.published, ctx.written_in):
            continue
        return place
    return None


_ADMIN = r"(?:[ \t]+(?:province|county|state|region|district|prefecture))?"
_PLACE_PART = rf"{_LINE_NAME}{_ADMIN}"
_FULL_PLACE = re.compile(
    rf"{_LINE_PLACE_START}({_PLACE_PART}(?:,[ \t]+{_PLACE_PART})*){_PLACE_END}"
)


def _in_full(ctx: Context, where: str, start: int, end: int, headline: bool) -> str:
    """The place as the article writes it in full: with the place around it ("Baoding,
    Hebei province" for "Hebei", "Croydon, Near London" for "Near London") and its kind of
    area ("Hebei province"). A headline shortens its place ("boy trapped in Hebei"): its
    event's place is the first in the body that names it in full. Each part is a name the
    body writes as a place."""
    text = ctx.article.text
    body = text[ctx.sentences[0].end :] if _is_headline(ctx) else text
    regions = [(start, end)]
    if headline:
        regions.append((ctx.sentences[0].end, len(text)))
    for low, high in regions:
        for match in _FULL_PLACE.finditer(text, low, high):
            parts = match.group(1).split(",")
            names = next((n for n, p in enumerate(parts) if not _a_place(body, p)), len(parts))
            full = ",".join(parts[:names]).strip()
            if any(_names(p.strip(), where) for p in parts[:names]) and len(full) > len(where):
                return full
    return where


def _names(part: str, where: str) -> bool:
    """Whether a part of a place phrase is the given place, or it with its kind of area."""
    return part.casefold() == where.casefold() or (
        part.casefold().startswith(where.casefold() + " ")
        and re.fullmatch(_ADMIN, part[len(where) :]) is not None
    )


def _a_place(body: str, part: str) -> bool:
    """Whether the article's body writes a name as a place ("in Hebei province", "near
    London"): a part of a place phrase may be a person ("in Washington, Obama and his
    aides") or a word a title-case headline capitalises ("Near London, Killing at Least 7").
    """
    name = re.sub(_ADMIN + "$", "", part.strip())
    name = re.sub(r"^(?:Near|Outside)[ \t]+", "", name)  # a title-case "near London"
    return bool(name) and bool(re.search(_PLACE_START + re.escape(name) + r"\b", body))


def _without_place(what: str, where: str) -> str:
    """The action without the phrase that places it, and what follows that phrase: the
    place is the event's "where", the time its "when" ("opened fire in downtown Seattle on
    Wednesday night following an argument" -> "opened fire"). Only a whole place phrase
    cuts ("in Seattle", not "in Seattle marred by shooting"), and only after two words
    ("protests outside Trump Tower" stays)."""
    gap = r"(?:[\w'’-]+\s+){0,4}?"  # "in [northern Afghan city of] Mazar-i-Sharif"
    phrase = rf"\s+(?:in|at|near|outside|inside)\s+{gap}{re.escape(where)}{_PLACE_END}"
    found = re.search(phrase, what, re.I)
    if found and len(what[: found.start()].split()) >= 2:
        return what[: found.start()]
    return what


# "By Alana Wise and Mark Hosenball WASHINGTON, Nov 6 (Reuters) - The FBI said ..."
_BYLINE = re.compile(
    r"By [A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*)*(?:,? and [A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*)*)*\s+"
)


def _dateline_place(ctx: Context) -> str | None:
    """The dateline's place ("WASHINGTON, Nov 6 (Reuters) -"), for the lead event the model
    gave no place: where the story was reported from. A headlined article has its dateline
    at the start of the lead (below any standfirst), after the byline."""
    dateline = ctx.article.dateline
    if dateline is None and _is_headline(ctx) and len(ctx.sentences) > 1:
        lead = ctx.article.text[ctx.sentences[_lead_sentence(ctx) - 1].start :]
        byline = _BYLINE.match(lead)
        dateline = parse_dateline(lead[byline.end() if byline else 0 :])
    return as_written(ctx.article.text, dateline.place) if dateline and dateline.place else None


def _capitalised(word: str) -> bool:
    """A word a place name can begin or end with: "Croydon", "Mazar-i-Sharif"; not "U."."""
    return word[:1].isupper() and len(re.sub(r"\W", "", word)) >= 2


def _lead_sentence(ctx: Context) -> int:
    """The number of the lead's first sentence: the first after the headline, or after a
    standfirst below it (a line of its own without a full stop, like the headline)."""
    number = 2
    while number < len(ctx.sentences):
        sentence = ctx.sentences[number - 1]
        alone = ctx.sentences[number].paragraph != sentence.paragraph
        if not (alone and sentence.text.rstrip()[-1:] not in '.!?"”'):
            break
        number += 1
    return number


def _lead_time_words(ctx: Context) -> list[str]:
    """Dated time words of the lead, the paragraph after a headline: where a news article
    dates the event its headline tells (a headline has no time words of its own). A lead
    with none but a clock time ("at around 6am") gives that: the day is the dateline's."""
    if not _is_headline(ctx) or len(ctx.sentences) < 2:
        return []
    lead = ctx.sentences[_lead_sentence(ctx) - 1].paragraph
    words = [
        d for d in _dates(ctx) if ctx.sentences[ctx.sentence_of(d.start) - 1].paragraph == lead
    ]
    dated = [d.text for d in words if d.date]
    return dated or [d.text for d in words if is_clock_time(d.text)]


def _without_number(text: str, number: str) -> str:
    """Drop the sentences of a generated text that carry an ungrounded number."""
    return " ".join(s.text for s in split_sentences(text) if number not in s.text)


def _sentences(ctx: Context, limit: int = 8) -> list[int]:
    """Sentence numbers to brief: the lead, then those with resolved time words, then with
    figures, then the rest in order; mostly-quotation sentences are left to the quotes."""
    dated = {ctx.sentence_of(d.start) for d in _dates(ctx) if d.date}
    counted = {ctx.sentence_of(n.start) for n in ctx.numbers.values()}

    def quoted_share(number: int) -> float:
        s = ctx.sentences[number - 1]
        inside = sum(max(0, min(q.end, s.end) - max(q.start, s.start)) for q in ctx.quotes.values())
        return inside / max(1, len(s.text))

    order = ctx.sentence_numbers()
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


def _dates(ctx: Context) -> list[Any]:
    dateline_end = ctx.article.dateline.end if ctx.article.dateline else 0
    found = find_dates(ctx.article.text, ctx.article.published, ctx.written_in)
    return [d for d in found if d.start >= dateline_end and ctx.in_window(d.start, shown=True)]


def _model(ctx: Context, sentences: list[int], headline: bool) -> type[EventAnswers]:
    time_words = sorted({d.text for d in _dates(ctx)})
    when_type: Any = Literal[tuple(time_words)] | None if time_words else None  # type: ignore[valid-type]
    item = create_model("EventAnswer", __base__=EventAnswer, when=(when_type, ...))
    fields: dict[str, Any] = {f"S{n}": (item, ...) for n in sentences}
    base = LeadEventAnswers if headline else EventAnswers
    return create_model("EventAnswers", __base__=base, **fields)


def _variables(ctx: Context, sentences: list[int], headline: bool) -> dict[str, Any]:
    dates = [
        {"text": d.text, "sentence": ctx.sentence_of(d.start), "date": d.date} for d in _dates(ctx)
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
    """At most three whole sentences: a cut-off last sentence is dropped, not shown."""
    sentences = [s.text for s in split_sentences(summary.strip())]
    if len(sentences) > 1 and sentences[-1][-1] not in ".!?\"”'’":
        sentences = sentences[:-1]
    return " ".join(sentences[:SUMMARY_MAX_SENTENCES])


def build(ctx: Context, answers: EventAnswers) -> list[Event]:
    """Events in article order, the lead first; the lead of a dated article without time
    words of its own, or with only a clock time ("at 6am"), is dated to the publication
    date (news leads report the day's news)."""
    text = ctx.article.text
    published: dt.date | None = ctx.article.published
    resolved = {d.text: d.date for d in _dates(ctx)}
    leads = {"S1", f"S{_lead_sentence(ctx)}"} if _is_headline(ctx) else {"S1"}
    out = []
    for sid, answer in answers.answers().items():
        if not answer.what:
            continue
        sentence = ctx.sentences[int(sid[1:]) - 1]
        date = resolved.get(answer.when) if answer.when else None
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
    return out


def merge(found: list[Event]) -> list[Event]:
    """One event per happening: an event whose "what" repeats an earlier one's, by the
    same people or with no one named on one side (the same action told again, in another
    sentence or another window of a long article), adds its sentence to the earlier
    event's evidence and fills what the earlier one left empty. "said" by two different
    people stays two events."""
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
    if _words(a.what) != _words(b.what):
        return False
    who_a, who_b = {w.casefold() for w in a.who}, {w.casefold() for w in b.who}
    return not who_a or not who_b or bool(who_a & who_b)
