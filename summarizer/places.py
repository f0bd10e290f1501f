"""Places: the "where" of an event, as the article writes it.

A place the model gives is kept only as the article writes it near the event's sentence,
and only when it reads as a place: not a time, a manner, a person named by their title,
or one of the event's actors. A place the model missed is taken from the article where it
names one in passing: the headline's place, the sentence's, the dateline's. Each rule
returns a `Verdict` on the draft event.
"""

from __future__ import annotations

import re

from summarizer.clutter import is_page_text
from summarizer.context import KEEP, Context, EventDraft, Verdict
from summarizer.dates import MONTH, Dateline, find_dates, parse_dateline
from summarizer.grounding import ABBREVIATIONS, PERSON_TITLES, Sentence, as_written, find_text
from summarizer.words import CAPITALISED_WORD_WITH_STOPS, NAME_RUN, capitalised, name_run

# How far into the story its scene is set: the lead and the four sentences after it.
LEAD_PLACE_SENTENCES = 5


def locate(text: str, where: str, start: int, end: int) -> tuple[int, int] | None:
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
            if not (capitalised(run[0]) and capitalised(run[-1])):
                continue
            pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, run)) + r"(?!\w)"
            match = re.search(pattern, text[start:end])
            if match:
                return start + match.start(), start + match.end()
    return None


# First words of what the model puts where a place goes: "with CNN", "about President
# Obama", "of Mr. Obama at the rally", "directly to your inbox", "not blocked by ...".
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
# The longest places an article writes are lists of about a dozen words ("Kyiv, Poltava,
# Sumy, Kharkiv, Chernihiv, Cherkasy, Dnipropetrovsk, Zhytomyr, and Khmelnytskyy
# regions"); a page's video player text, given as a place, runs to thirty and more.
PLACE_MAX_WORDS = 20


def not_a_place(ctx: Context, where: str) -> bool:
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


_NAME_RUN = re.compile(NAME_RUN)
_PLACE_START = r"\b(?:in|at|near|outside)\s+(?:the\s+)?"
# What may follow a place the article writes "in Seattle", "at the White House": an end of
# clause or a word that starts a new phrase, not a noun ("in the German consulate").
PLACE_END = (
    r"(?=\s*(?:[,.;:!?)]|$)|\s+(?:on|in|at|and|where|when|while|after|before|as|last|this|"
    r"yesterday|today|to|from|with|for|near|close|during|since|until|over|by|"
    r"is|was|were|are|has|have|had)\b)"
)


def an_actor(ctx: Context, where: str, actors: set[str]) -> bool:
    """A name given as a place that is one of the answer's actors, or the first or last
    words of one ("Trump" of "Donald Trump", "Chicago" of "Chicago Cubs"), and that the
    article never writes as a place ("in Chicago", "at the White House") or as its
    dateline: the model puts actors where places go ("FBI", "Clinton", "Tea Party")."""
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
    if (place_of_dateline(ctx) or "").casefold() == folded:
        return False
    # "in Cleveland that", not "outside Trump Tower" or "at Trump's expense"
    as_place = _PLACE_START + re.escape(name) + r"\b(?!['’-]|[ \t]+[A-Z])"
    return re.search(as_place, text) is None


def place_in_headline(ctx: Context, who: list[str]) -> str | None:
    """A name in the headline that the article uses as a place ("in Croydon", "in the
    UK"), for a headline whose event the model gave no place: a headline names its place
    in passing ("Final three Croydon tram crash victims named"), and the model misses it.
    A name that is one of the event's actors is not one."""
    headline, text = ctx.sentences[0].text, ctx.article.text
    actors = {w.casefold() for w in who}
    for run in _NAME_RUN.findall(headline):
        as_place = _PLACE_START + re.escape(run) + PLACE_END
        if run.casefold() not in actors and re.search(as_place, text):
            return run
    return None


# "in downtown Seattle", "at the White House", "near Croydon": a name after a word that
# places, on one line, ending where the place phrase ends.
_AREA = r"(?:downtown|northern|southern|eastern|western|central|rural)[ \t]+"
_LINE_PLACE_START = r"\b(?:in|at|near|outside)[ \t]+(?:the[ \t]+)?"  # on one line
_SENTENCE_PLACE = re.compile(rf"{_LINE_PLACE_START}((?:{_AREA})?{NAME_RUN}){PLACE_END}")


def place_in_sentence(ctx: Context, sentence: Sentence, who: list[str]) -> str | None:
    """The first place the sentence names ("escaped after firing into a crowd ... in
    downtown Seattle"), for an event the model gave none: a sentence that names its place
    in passing loses it to the model's answer about the actors ("Croydon", "UK",
    "downtown Seattle"; and "in the World Series", which is not one). Not a time ("in January"), a title ("at Mr. Trump's"), a name too short to be a place ("in
    the U.S."), or one of the event's actors."""
    actors = {w.casefold() for w in who}
    for match in _SENTENCE_PLACE.finditer(sentence.text):
        place = match.group(1)
        if place.casefold() in actors or not capitalised(place.split()[-1]):
            continue
        if place.casefold() in ABBREVIATIONS:  # "at Mr. Trump's willingness"
            continue
        if re.search(MONTH, place) or find_dates(place, ctx.article.published, ctx.written_in):
            continue
        return place
    return None


_ADMIN = r"(?:[ \t]+(?:province|county|state|region|district|prefecture))?"
_PLACE_PART = rf"{NAME_RUN}{_ADMIN}"
_FULL_PLACE = re.compile(rf"{_LINE_PLACE_START}({_PLACE_PART}(?:,[ \t]+{_PLACE_PART})*){PLACE_END}")


def in_full(ctx: Context, where: str, start: int, end: int, headline: bool) -> str:
    """The place as the article writes it in full: with the place around it ("Baoding,
    Hebei province" for "Hebei", "Croydon, Near London" for "Near London") and its kind of
    area ("Hebei province"). A headline shortens its place ("boy trapped in Hebei"): its
    event's place is the first in the story's opening (the lead and the four sentences
    after it) that names it in full; one further on is another event's ("at the family
    home in New Addington, Croydon"). Each part is a name the body writes as a place."""
    text = ctx.article.text
    body = text[ctx.sentences[0].end :] if ctx.headline else text
    regions = [(start, end)]
    if headline:
        regions.append((ctx.sentences[0].end, _opening_end(ctx)))
    for low, high in regions:
        for match in _FULL_PLACE.finditer(text, low, high):
            parts = match.group(1).split(",")
            names = next((n for n, p in enumerate(parts) if not _a_place(body, p)), len(parts))
            full = ",".join(parts[:names]).strip()
            if any(_names(p.strip(), where) for p in parts[:names]) and len(full) > len(where):
                return full
    return where


def _opening(ctx: Context) -> list[Sentence]:
    """The story's opening, where it sets its scene: the lead and the four sentences after
    it."""
    first = ctx.lead_sentence() - 1
    return ctx.sentences[first : first + LEAD_PLACE_SENTENCES]


def _opening_end(ctx: Context) -> int:
    """Where the story's opening ends (the last sentence's end, for a headline alone)."""
    return (_opening(ctx) or ctx.sentences[-1:])[-1].end


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


# "By Alana Wise and Mark Hosenball WASHINGTON, Nov 6 (Reuters) - The FBI said ..."
_AUTHOR = name_run(CAPITALISED_WORD_WITH_STOPS, " ")
_BYLINE = re.compile(rf"By {_AUTHOR}(?:,? and {_AUTHOR})*\s+")


# A scraped page's photo caption ends where its story starts: "... (Photo: Ethan Miller,
# Getty Images) WASHINGTON -- In a stunning ...", "Photo LONDON -- At least seven ...".
_AFTER_CAPTION = re.compile(r"(?:\bPhoto|\))[ \t]+(?=[A-Z])")


def place_of_dateline(ctx: Context) -> str | None:
    """The dateline's place ("WASHINGTON, Nov 6 (Reuters) -"), for the lead event the model
    gave no place: where the story was reported from. A headlined article has its dateline
    at the start of the lead (below any standfirst), after the byline; a scraped page's,
    after the photo caption that opens the story a few sentences on."""
    dateline = ctx.article.dateline
    if dateline is None and ctx.headline and len(ctx.sentences) > 1:
        opening = _opening(ctx)  # not empty: the headline has sentences after it
        lead = ctx.article.text[opening[0].start :]
        byline = _BYLINE.match(lead)
        dateline = parse_dateline(lead[byline.end() if byline else 0 :]) or _after_caption(opening)
    return as_written(ctx.article.text, dateline.place) if dateline and dateline.place else None


def _after_caption(sentences: list[Sentence]) -> Dateline | None:
    """The first dateline that stands right after a photo caption."""
    for sentence in sentences:
        caption = _AFTER_CAPTION.search(sentence.text)
        if caption and (dateline := parse_dateline(sentence.text[caption.end() :])):
            return dateline
    return None


# The rules, in the order the events pass applies them.


def where_a_place(ctx: Context, event: EventDraft) -> Verdict:
    """A place that reads as a time, a manner or a titled person is left out."""
    if event.where and not_a_place(ctx, event.where):
        return _omitted(event, "not a place")
    return KEEP


def where_near_its_sentence(ctx: Context, event: EventDraft) -> Verdict:
    """A place is kept as the article writes it in (or just before) the event's sentence;
    one from elsewhere is another event's place, and one too long is page text."""
    if not event.where:
        return KEEP
    text = ctx.article.text
    found = locate(text, event.where, *event.near)
    if found is None:
        return _omitted(event, "not in its sentence")
    if len(text[found[0] : found[1]].split()) > PLACE_MAX_WORDS:
        return _omitted(event, "not a place", page_text=True)
    return Verdict({"where": text[found[0] : found[1]]})


def where_not_an_actor(ctx: Context, event: EventDraft) -> Verdict:
    """An actor given as the place is left out, unless the article writes it as a place."""
    if event.where and an_actor(ctx, event.where, event.actors):
        return _omitted(event, "an actor")
    return KEEP


def headline_place(ctx: Context, event: EventDraft) -> Verdict:
    """The headline's event without a place gets the headline's place, if it names one."""
    if event.headline and not event.where:
        return Verdict({"where": place_in_headline(ctx, event.who)})
    return KEEP


def where_in_full(ctx: Context, event: EventDraft) -> Verdict:
    """The place as the article writes it in full ("Baoding, Hebei province"); the place
    as written stays known, so that the "what" can be cut before either."""
    if not event.where:
        return Verdict({"written": event.where})
    full = in_full(ctx, event.where, *event.near, headline=bool(event.headline))
    return Verdict({"where": full, "written": event.where})


def sentence_place(ctx: Context, event: EventDraft) -> Verdict:
    """An event without a place gets the first place its sentence names, unless the
    sentence is beside page text, whose buttons read as names ("play in Share this")."""
    if event.headline or event.where or not event.what or event.page_text:
        return KEEP
    return Verdict({"where": place_in_sentence(ctx, event.sentence, event.who)})


def lead_place(ctx: Context, event: EventDraft) -> Verdict:
    """The headline's event and the lead's, without a place, get the place the story's
    opening names: its dateline, else the first place of the lead or the four sentences
    after it. A story sets its scene once, early ("... in the UK"; "At a rally in Sterling
    Heights, Trump ..."), and its headline and lead then leave it out. A sentence of page
    text (a video player's "will play in Share") is skipped."""
    if event.where or not event.what or event.sid not in ctx.lead_sids():
        return KEEP
    if dateline := place_of_dateline(ctx):
        return Verdict({"where": dateline})
    for sentence in _opening(ctx):
        if is_page_text(sentence.text):
            continue
        if place := place_in_sentence(ctx, sentence, event.who):
            return Verdict({"where": place})
    return KEEP


def _omitted(event: EventDraft, why: str, *, page_text: bool = False) -> Verdict:
    changes: dict[str, object] = {"where": None}
    if page_text:
        changes["page_text"] = True
    return Verdict(changes, (f"{event.sid}: omitted where {event.where!r}: {why}",))
