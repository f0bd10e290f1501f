"""The unit of a figure: what a number written without one counts, read off the words after it.

A number written with its unit ("30km", "$5m", "40%") has it from the number finder; a
bare one ("Some 300 residents") counts the noun that follows it, and a rate ("$80 per sq
m") carries its "per" phrase.
"""

from __future__ import annotations

import re

from summarizer.numbers import NumberMention
from summarizer.schema import Figure
from summarizer.words import FUNCTION_WORDS

_NOT_A_NOUN = FUNCTION_WORDS | {
    "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "will", "would",
    "can", "could", "may", "might", "must", "should", "do", "does", "did", "said", "say", "says",
    "went", "got", "who", "whom", "whose", "which", "that", "this", "these", "those", "than",
    "as", "per", "into", "over", "under", "after", "before", "since", "during", "while", "about",
    "ago", "now", "each", "more", "less", "also", "not", "but", "so", "if", "when", "where",
    "still", "already", "just", "only", "even", "yet", "again", "all", "both", "then", "there",
    "here", "too", "very", "later", "earlier", "along", "across", "around", "near", "inside",
    "outside", "within", "without", "through", "between", "among", "against", "toward",
    "towards", "off", "up", "down", "out", "upon", "beyond", "behind", "below", "above",
    "beneath", "beside", "via", "amid", "despite", "except", "like", "until", "onto",
    "he", "she", "it", "they", "we", "you", "i", "his", "her", "its", "their", "our", "my",
    # a time after a number dates it ("rose to at least six Friday"), it does not name it
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "today", "yesterday", "tomorrow", "tonight", "overnight", "last", "next",
}  # fmt: skip
# A word after a number, after a space or, in a compound adjective, a hyphen ("90-minute",
# "a two-month contract"); any alphabet's letters ("2.4 μm", "300 élèves").
_WORD = re.compile(r"(?:[ \t]|(?<=[^\W_])-)?([^\W\d_][\w'’-]*|\d+[A-Za-z]+\b)")


# Units of measure written apart from the number: after one, the next word is what is
# measured ("a sub-500 sq m office": the unit is "sq m", not "sq m office").
_MEASURES = {"sq m", "sq ft", "sq km", "sq mi", "km", "cm", "mm", "kg", "lb", "lbs"}
_MEASURES |= {"mph", "kph", "km/h", "ft", "mi", "ha", "kw", "kwh", "mw", "gw", "ghz", "mhz"}


def noun_after(text: str, number_end: int) -> tuple[str, int]:
    """The words right after a number that name what it counts, and where they end.

    The unit of a number written without one: "Some 300 residents have" gives
    "residents", "96 Liverpool fans went" "Liverpool fans", "a 6.1-inch display" "inch".
    Nothing crosses a quotation mark ('201 "There are eight fire engines' is a photo
    counter). A function word, a verb form after the first word ("eight estimates
    compiled"), a word after a plural ("five victims range"), a word joined to the number
    by a hyphen, a unit of measure ("500 sq m office"), punctuation or a fourth word ends
    it; a number followed by none ("ended at 16,644.") gives ("", number_end).
    """
    words: list[str] = []
    end = number_end
    while len(words) < 3:
        match = _WORD.match(text, end)
        if match is None:
            break
        word = match.group(1)
        lower = word.lower()
        if lower in _NOT_A_NOUN or (words and _verb_form(text, words[-1], word, match.end())):
            break
        if not words and _verb_with_object(text, word, match.end()):
            break  # "One shared a picture": the number is the subject of a verb
        if _THAN.match(text, match.end()):
            break  # "40k cheaper than its rivals": a comparative, not what is counted
        if words and _plural(words[-1]) and lower not in {"celsius", "fahrenheit"}:
            break  # "five victims range in age", "two men remain": a plural ends the name
        words.append(word)
        end = match.end()
        if match.group(0).startswith("-"):
            break  # "a 90-minute meeting": the unit is "minute", the noun after it is counted
        if " ".join(words).lower() in _MEASURES:
            break
    return " ".join(words), end


_IRREGULAR_PLURALS = {"men", "women", "people", "children", "police", "feet", "teeth"}


def _plural(word: str) -> bool:
    """A lowercase plural noun ("victims", "men"), after which a word is a verb or an
    adverb more often than a noun; not "bus", "crisis", "gas", a possessive or a name."""
    if word in _IRREGULAR_PLURALS:
        return True
    return (
        word.islower()
        and len(word) > 3
        and word.endswith("s")
        and not word.endswith(("ss", "us", "is", "as"))
        and "'" not in word
        and "’" not in word
    )


_THAN = re.compile(r"\s+than\b")
_DETERMINER = re.compile(r"\s+(?:a|an|the|his|her|its|their|this|that|these|those)\b", re.I)


def _verb_with_object(text: str, word: str, end: int) -> bool:
    """Whether the word after a number is a past tense with its object: "One shared a
    picture", "Two stole the car"; not "two injured people"."""
    return word.lower().endswith("ed") and _DETERMINER.match(text, end) is not None


def _verb_form(text: str, previous: str, word: str, end: int) -> bool:
    """Whether a word after the noun is a verb: "compiled" in "estimates compiled by" or
    "fans stayed", not "fighting" in "armoured fighting vehicles"."""
    if not word.lower().endswith(("ed", "ing")):
        return False
    if previous.endswith("s"):
        return True
    following = _WORD.match(text, end)
    return following is None or following.group(1).lower() in _NOT_A_NOUN


_PER = re.compile(r"\s+per\s+(?:(?:sq|square|cubic)\s+)?[A-Za-z]+\b")


def unit_of(text: str, mention: NumberMention) -> tuple[str, int]:
    """A figure's unit and where its evidence ends: the unit written with the number, else
    the noun after it, then a "per" phrase that makes it a rate ("C$6 per share", and
    "20 per week" with no noun before it)."""
    unit, end = mention.unit_hint or "", mention.end
    if not mention.unit_hint:
        end = noun_after(text, mention.end)[1]
        unit = text[mention.end : end].strip(" -")
    rate = _PER.match(text, end)
    if rate:  # "C$6 per share"; a bare "20 per week" is a rate of its own
        unit, end = f"{unit} {' '.join(rate.group().split())}".strip(), rate.end()
    return unit, end


_TO = re.compile(r"\s+to\s+(?:about\s+|around\s+)?")
_FROM = re.compile(r"\bfrom\s+(?:about\s+|around\s+)?$")
_UP_FROM = re.compile(r"[\s,(]+(?:up|down)\s+from\s+(?:about\s+|around\s+)?")


def carried_unit(text: str, previous: Figure | None, mention: NumberMention) -> str:
    """The unit of a bare number that restates the figure before it: "24" in "from about
    14-18 mpg to 24" (in "from X to Y", Y right after "to" is the same quantity as X) and
    "2.4 million" in "to 3.9 million headsets, up from 2.4 million". Not after a change
    ("rose 8.15% to 3.65": a share price)."""
    if previous is None or not previous.unit:
        return ""
    start, end = previous.evidence.start, previous.evidence.end
    up_from = _UP_FROM.match(text, end)
    if up_from and up_from.end() == mention.start:
        return previous.unit
    return previous.unit if _from_to(text, start, end, mention.start) else ""


def unit_ahead(text: str, mention: NumberMention, following: NumberMention | None) -> str:
    """The unit of "24.2" in "from 24.2 to 33-35 billion euros": in "from X to Y", a bare X
    right before "to" is the same quantity as Y, the number after it."""
    if following is None or not _from_to(text, mention.start, mention.end, following.start):
        return ""
    return unit_of(text, following)[0]


def _from_to(text: str, x_start: int, x_end: int, y_start: int) -> bool:
    """Whether the text reads "from X to Y", X at [x_start, x_end) and Y at y_start."""
    to = _TO.match(text, x_end)
    from_ = _FROM.search(text, max(0, x_start - 20), x_start)
    return to is not None and to.end() == y_start and from_ is not None
