"""Speakers: who said a quote, named as the quote's own passage names them.

The model reads each quote's passage with the quoted words cut out (its "frame") and
names the speaker, their role and the channel. Where a speech verb beside the quote has a
name for its subject, that name is the speaker, whatever the model chose (`cue_subject`).
A speaker must be written in the article, as a name: a pronoun or a name the article does
not write is sent back to the model with the names its passage has; after the last
attempt the quote stays, unattributed. A role or channel not written beside the quote is
left out, and so is a channel that only repeats the attribution ("she said"). Each rule
returns a `Verdict` on the draft attribution.
"""

from __future__ import annotations

import re

from summarizer import clutter
from summarizer.context import KEEP, Context, QuoteDraft, Verdict
from summarizer.grounding import NON_FINAL_STOP, as_written, split_sentences
from summarizer.quotes import SPEECH_VERB
from summarizer.words import (
    CAPITALISED_WORD_WITH_STOPS,
    FUNCTION_WORDS,
    PRONOUNS,
    letter_words,
    name_run,
)

# A speaker's name, with its initials and the particles inside it ("Ana de Souza"); not
# "the", which joins two phrases more often than one name ("the only Amendment the Founding
# Fathers wrote").
_NAME = re.compile(name_run(CAPITALISED_WORD_WITH_STOPS, r"\s+(?:(?:of|de|van|von|al|bin)\s+)?"))
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


# A speech verb, and a name right before or after it. The name is the verb's subject: in
# 'Ham described Clinton as "…"' the words are Ham's, not those of Clinton, the object.
# Case-sensitive (`SPEECH_VERB`). "Reported", "reveals" and "put it" name who the words are
# from ('As Politico reported, "…"', 'as The New Yorker put it, "…"'), but do not make a
# short quote a quotation ('the media reported the "gun violence" story').
_CUE = rf"(?:{SPEECH_VERB}|\breport(?:s|ed)\b|\breveal(?:s|ed)\b|\bput it\b)"
_APPOSITIVE = r"(?:,[^,\n“”\"]{1,100}){1,3},"  # "Ayrault, the foreign minister of France,"
# "Clinton said", or a name that opens its phrase and an appositive: not "Portmere" in
# "The mayor of Portmere, Mayor Ana Ribeiro, said".
# A legislator's party and state after the name: "Rep. Elijah E. Cummings (D-Md.) said".
_PARTY = r"(?:\s+\([A-Z][\w.-]{0,12}\))?"
_SPEAKER = (
    rf"(?:({_NAME.pattern}){_PARTY}|(?<![a-z] )({_NAME.pattern}){_APPOSITIVE})"
    rf"\s+(?:also\s+)?{_CUE}"
)
_NAME_THEN_CUE = re.compile(_SPEAKER)
# A title's lowercase words between an organisation and a person's full name: "Ayotte
# campaign manager Jon Kohan", "Fox Business moderator Gerard Baker" (not "on", "told").
_NOT_TITLE = r"on|in|at|to|for|of|and|or|the|a|an|with|from|by|as|that|who|which|last|this"
_LOWER_TITLE_WORD = rf"(?!(?:{_NOT_TITLE})\b|{_CUE})[a-z]+"
_TITLE_WORDS = rf"(?:{_LOWER_TITLE_WORD}\s+){{1,3}}"
_FULL_NAME = rf"{CAPITALISED_WORD_WITH_STOPS}\s+[A-Z]"
_TITLED = rf"(?:{_NAME.pattern}\s+{_TITLE_WORDS}(?={_FULL_NAME}))?"
_CUE_THEN_NAME = re.compile(rf"{_CUE}\s+{_TITLED}({_NAME.pattern})")  # "said Murphy"
# After a quote, a title with a lowercase word before the name and the verb: "DoubleLine
# Capital portfolio manager Bonnie Baha said", "former FBI agent Timothy Gill says".
_TITLE_WORD = rf"(?:{CAPITALISED_WORD_WITH_STOPS}|{_LOWER_TITLE_WORD})"
_TITLE_THEN_NAME_THEN_CUE = re.compile(
    rf"(?=(?:{CAPITALISED_WORD_WITH_STOPS}\s+)*[a-z])(?:{_TITLE_WORD}\s+){{1,5}}?"
    rf"({_NAME.pattern}){_PARTY}\s+(?:also\s+)?{_CUE}"
)
# The subject opening the clause before ", saying": a name, then a lowercase word.
_CLAUSE_SUBJECT = re.compile(rf"(?:^|,\s+)({_NAME.pattern})(?<!['’]s)\s+[a-z][^,]*,\s*$")
_BY_AGENT = re.compile(rf"\s+by\s+(?:the\s+)?{_TITLED}({_NAME.pattern})")  # "asked by Baker"
_ACCORDING_TO = re.compile(rf"[Aa]ccording to\s+({_NAME.pattern})")
_SUBJECT_OF_LAST_CUE = re.compile(rf"{_SPEAKER}\s*$")
# The rest of an attribution, to its sentence's end within its paragraph: an
# abbreviation's stop does not end it ("said at the gala, where Mrs. Clinton also spoke").
_TO_SENTENCE_END = rf"(?:{NON_FINAL_STOP}|[^“”\"\n.!?])*"
# '"…," said Murphy, a consultant.' or '"…?" Clinton said.', ending the text before a quote
_ATTRIBUTED_QUOTE = re.compile(
    rf"(?<=[\w,.!?])[”\"]\s*(?:{_CUE}\s+({_NAME.pattern})(?:,{_TO_SENTENCE_END})?"
    rf"|{_SPEAKER}{_TO_SENTENCE_END})"
    r"[.!?]?\s*$"
)
_ATTRIBUTION_AT_END = re.compile(rf",\s+{_SPEAKER}\b[^,]*$")  # "…, Warren said."
_OPENING = re.compile(r"[\s“”\"'‘’,!?:;—–-]*")


def cue_subject(text: str, start: int, end: int) -> str | None:
    """Whose words a quote is, by the speech verb beside it, or None when no speech verb
    there has a name beside it ("he said", "the campaign said").

    In the order tried: right after the quote ('"…," Clinton said', '"…?" said Murphy',
    '"…," former FBI agent Timothy Gill said'); before it in its sentence, the subject of
    the last speech verb ('Ham described Clinton as "…"', 'Russia insisted that Pyongyang
    "…"'), or "according to" a name; for a quote that opens its sentence, the attribution
    of the sentence before ('"…," said Murphy. "…"'), and for one that opens its paragraph
    or is in a list's item, a paragraph above (the list) that ends in a speech verb and a
    colon ('Reporter Jomana Karadsheh says:', 'Soerens argued that:'); at the end of its
    sentence ('A cashier who "…" is held accountable, Warren said.'). A quote that ends its
    sentence ('…of "fanatic recklessness." South Korean President Park said') is not given
    to the next sentence's speaker.
    """
    paragraph_start = text.rfind("\n", 0, start) + 1
    paragraph_end = text.find("\n", end)
    after = text[end : paragraph_end if paragraph_end != -1 else len(text)]
    closing = _OPENING.match(after)
    assert closing is not None  # the pattern matches the empty string
    ends_sentence = text[end - 1 : end] == "." or "." in closing.group()
    rest = after[closing.end() :]
    before = text[paragraph_start:start].rstrip(" “\"‘'")
    found = [_before(before)]
    if paragraph_start > 0 and (not before or _BULLET.match(before)):
        # 'Reporter Jomana Karadsheh says:' above it, or 'Soerens argued that:' above a
        # list whose item it is
        found.append(_before(_introducer(text, paragraph_start)))
    if not ends_sentence:
        following = split_sentences(after)
        at_end = _ATTRIBUTION_AT_END.search(following[0].text) if following else None
        after_quote = (
            _NAME_THEN_CUE.match(rest)
            or _CUE_THEN_NAME.match(rest)
            or _TITLE_THEN_NAME_THEN_CUE.match(rest)
        )
        found = [after_quote, *found, at_end]
    for match in found:
        if match and _a_name(_first(match)):
            return _in_its_sentence(_without_opener(_first(match)))
    return None


# A list item's bullet as a page renders it: "l ", "• ", "- ", "* ".
_BULLET = re.compile(r"[l•·*-] ")


def _introducer(text: str, paragraph_start: int) -> str:
    """The paragraph above a quote's paragraph (and above the list it is an item of) when
    it ends in a colon, without the colon: 'Soerens argued that'; else ""."""
    above = [p for p in text[: paragraph_start - 1].split("\n") if p.strip()]
    while len(above) > 1 and _BULLET.match(above[-1]):
        above.pop()
    last = above[-1].rstrip() if above else ""
    return last[:-1] if last.endswith(":") else ""


def _in_its_sentence(found: str) -> str:
    """The name without the sentence after it and the full stop that ends its own: "Jon
    Kohan" of "said Jon Kohan. Ayotte called …" (a name's words may end in stops: "R.")."""
    name = split_sentences(found)[0].text
    last = name.split()[-1]
    if last.endswith(".") and sum(c.islower() for c in last) >= 2 and last not in ("Jr.", "Sr."):
        name = name[:-1]
    return name


def _before(before: str) -> re.Match[str] | None:
    """The speaker named before a quote: the subject of the last speech verb in its
    sentence, or "according to" a name; for a quote that opens its sentence, the
    attribution of the sentence before."""
    sentences = split_sentences(before)
    if not sentences:
        return None
    sentence = sentences[-1].text
    if re.search(r"[.!?][”\"’']?$", before):  # the quote opens its sentence
        # '"…?" Clinton said.' is two sentences to the splitter
        return _ATTRIBUTED_QUOTE.search(" ".join(s.text for s in sentences[-2:]))
    cues = list(re.finditer(rf"{_CUE}|[Aa]ccording to", sentence))
    if not cues:
        return None
    last = cues[-1]
    if last.group().endswith("ing"):  # not "After saying …": a participle's subject is the
        # clause's before it, "Trump attacked Clinton for her votes, saying, …"
        return _CLAUSE_SUBJECT.search(sentence[: last.start()])
    return (
        _ACCORDING_TO.match(sentence, last.start())
        or _BY_AGENT.match(sentence, last.end())  # the passive's agent: "was asked by Baker"
        or _SUBJECT_OF_LAST_CUE.search(sentence[: last.end()])
    )


def _first(match: re.Match[str]) -> str:
    """The name a pattern found (the pattern of a speaker has it in one of two groups)."""
    return next(group for group in match.groups() if group)


# Words that open a clause, capitalised at a sentence's start and so read as a name's
# first word: "While Will acknowledges …", "As Politico reported, …".
_CLAUSE_OPENERS = frozenset(
    "after although as because before if once since though unless until when whereas while".split()
)


def _without_opener(found: str) -> str:
    """The name without a clause opener the pattern took with it: "Will", not "While Will"."""
    first, _, rest = found.partition(" ")
    return rest if rest and first.lower() in _CLAUSE_OPENERS else found


def _a_name(found: str) -> bool:
    """Not a pronoun, nor a capitalised word that opens a sentence ("After saying …"); "The"
    before a name is an organisation's ("The International Atomic Energy Agency")."""
    first, *rest = found.split()
    if first == "The" and rest:
        return True
    return first not in _NOT_NAMES and first.lower() not in PRONOUNS | FUNCTION_WORDS


def _same_person(a: str, b: str) -> bool:
    """Whether two ways of naming share the surname: "Mr. Obama" and "Obama"."""
    words_a, words_b = letter_words(a.casefold()), letter_words(b.casefold())
    return bool(words_a and words_b) and (words_a[-1] in words_b or words_b[-1] in words_a)


# The rules, in the order the quotes pass applies them.


def speaker_by_cue(ctx: Context, quote: QuoteDraft) -> Verdict:
    """The subject of the speech verb beside a quote is its speaker, whatever name the
    model chose: a small model gives 'Ham described Clinton as "…"' to Clinton, and a
    quote to whoever the next paragraph names."""
    mention = ctx.quotes[quote.qid]
    named = cue_subject(ctx.article.text, mention.start, mention.end)
    if named and not (quote.speaker and _same_person(quote.speaker, named)):
        return _given_to(quote, named)
    return KEEP


def _given_to(quote: QuoteDraft, speaker: str) -> Verdict:
    """The quote given to another speaker, with the model's role only if the passage writes
    it beside the new speaker's name ("director" of "FBI director James Comey" is not
    Trump's)."""
    role = quote.speaker_role
    surname = re.escape(speaker.split()[-1])
    beside = role and re.search(
        rf"{re.escape(role)}\W+(?:\w+\W+){{0,3}}?{surname}|{surname}\W+(?:\w+\W+){{0,3}}?{re.escape(role)}",
        quote.frame,
        re.IGNORECASE,
    )
    return Verdict({"speaker": speaker, "speaker_role": role if beside else None})


# Between two quotes: the first one's attribution by a pronoun, ending its sentence
# ('," he told supporters in Sterling Heights, Michigan. "').
_PRONOUN_ATTRIBUTION = re.compile(
    rf"^[”\"’']?\s*(?:(?:he|she|they)\s+(?:also\s+)?{_CUE}|{_CUE}\s+(?:he|she|they))\b"
    rf"{_TO_SENTENCE_END}[.!?]\s*[“\"‘']?$"
)


def speaker_goes_on(ctx: Context, quote: QuoteDraft) -> Verdict:
    """A quote without a speech verb of its own, that opens the sentence after the one
    before it was attributed by a pronoun ('"…," he told supporters. "Hillary Clinton is
    guilty …"'), is the same speaker's: a small model gives it to whoever the next
    sentence names."""
    if quote.previous is None:
        return KEEP
    qid, speaker = quote.previous
    text, mention = ctx.article.text, ctx.quotes[quote.qid]
    between = text[ctx.quotes[qid].end : mention.start]
    if (
        speaker
        and quote.speaker != speaker
        and _PRONOUN_ATTRIBUTION.match(between)
        and cue_subject(text, mention.start, mention.end) is None
    ):
        return _given_to(quote, speaker)
    return KEEP


# A transcript's speaker label opening the quoted words: "WALLACE: If I may, sir, …".
_LABEL = re.compile(r"([A-Z][A-Z'’.-]+(?: [A-Z][A-Z'’.-]+){0,2}):\s")
_LINE_LABEL = re.compile(rf"^[\"“]?{_LABEL.pattern}", re.MULTILINE)


def speaker_by_label(ctx: Context, quote: QuoteDraft) -> Verdict:
    """A transcript's line is the words of the speaker its label names ('"WALLACE: If I
    may, sir, …'): a small model gives every line of an interview to its guest. A
    transcript has two speakers or more; one "UPDATE:" line names no one."""
    label = _LABEL.match(ctx.quotes[quote.qid].text)
    if label is None or len(set(_LINE_LABEL.findall(ctx.article.text))) < 2:
        return KEEP
    named = label.group(1).title()
    if quote.speaker and _same_person(quote.speaker, named):
        return KEEP
    return _given_to(quote, named)


# A title ending in a lowercase word, then a full name: "former FBI agent Timothy Gill";
# not a name's own particle ("Sheikh Mohammed bin Rashid Al Maktoum").
_TITLE_THEN_NAME = re.compile(
    rf"(.*(?<!\S)(?!(?:{_NOT_TITLE}|de|da|di|du|van|von|bin|al|le|la|del)\b)[a-z][\w-]*)"
    rf"\s+({CAPITALISED_WORD_WITH_STOPS}(?:\s+{CAPITALISED_WORD_WITH_STOPS})+)"
)


def speaker_without_title(ctx: Context, quote: QuoteDraft) -> Verdict:
    """A title the model wrote before the speaker's full name is the speaker's role, not
    part of the name: "former FBI agent Timothy Gill" is Timothy Gill, a former FBI agent."""
    found = _TITLE_THEN_NAME.fullmatch(quote.speaker or "")
    if found is None:
        return KEEP
    title, name = found.groups()
    role = quote.speaker_role
    return Verdict({"speaker": name, "speaker_role": role if role and name not in role else title})


def speaker_not_page_text(ctx: Context, quote: QuoteDraft) -> Verdict:
    """A caption's, a hashtag's or a post's marks are not how anyone is named, and a
    single letter is a list's bullet as a page renders it ("l The situation here is …")."""
    if quote.speaker and (
        clutter.has_post_marks(quote.speaker) or len(re.findall(r"[^\W\d_]", quote.speaker)) < 2
    ):
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
    if _within_speaker(quote.speaker_role, quote.speaker):
        return Verdict({"speaker_role": None})
    return KEEP


def channel_not_the_speaker(ctx: Context, quote: QuoteDraft) -> Verdict:
    """A channel that is the speaker's name ("Mike Brown, transport commissioner (Mike
    Brown)") says nothing about where the words were said; one that names the speaker
    inside it ("in an interview with Russia's network RT") stays."""
    if _within_speaker(quote.channel, quote.speaker):
        return Verdict({"channel": None})
    return KEEP


def _within_speaker(value: str | None, speaker: str | None) -> bool:
    """Whether a role or channel is only (part of) the speaker's name, in any case."""
    return bool(value and speaker and value.casefold() in speaker.casefold())


_VERB = re.compile(_CUE)  # case-sensitive: "United States" holds no "states"
# Verbs that name a channel themselves ("told CNN", "tweeted", "posted"), and the nouns
# among the speech verbs ("a fundraising call").
_CHANNEL_CUE = re.compile(r"tell|tells|told|tweet(?:s|ed)?|post(?:s|ed)?|calls?", re.IGNORECASE)
_PLACING = r"(?:in|on|at|during|via|through)\s"
_PHRASE_AFTER_CUE = re.compile(rf"\s+({_PLACING}.+)", re.IGNORECASE)  # "said in a statement"
_PHRASE_BEFORE_CUE = re.compile(rf"({_PLACING}[^,]+),", re.IGNORECASE)  # "In a statement, she"


def channel_not_the_attribution(ctx: Context, quote: QuoteDraft) -> Verdict:
    """A channel says how or where the words were said ("in a statement", "told CNN"). A
    speech verb with whoever speaks ("she said", "said Ronald Fieldstone, a Miami lawyer",
    "Jennifer Palmieri said") is an attribution, which the speaker already tells: only a
    phrase right after the verb, or before it and its subject, is kept ("in a statement"
    of "Palmieri said in a statement" and of "In a statement, she said"), or nothing."""
    channel = quote.channel
    cues = [c for c in _VERB.finditer(channel or "") if not _CHANNEL_CUE.fullmatch(c.group())]
    if not channel or not cues:
        return KEEP
    phrase = _PHRASE_AFTER_CUE.match(channel, cues[-1].end()) or _PHRASE_BEFORE_CUE.match(
        channel[: cues[0].start()]
    )
    return Verdict({"channel": phrase.group(1) if phrase else None})
