"""Locating the model's words in the article, in code — the model is never trusted to count.

Everything the model says that must come from the article (a speaker's name, a place, a
time expression) is found here, tolerant only of case, curly/straight quotes and runs of
whitespace. What cannot be found becomes a named error that goes back to the model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_QUOTE_MAP = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‚": "'"})


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int


ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "gen", "gov", "sen", "rep", "lt", "col", "sgt", "capt",
    "prof", "inc", "corp", "co", "ltd", "jr", "sr", "vs", "no", "u.s", "u.k", "u.n", "e.g", "i.e",
}  # fmt: skip
_BOUNDARY = re.compile(r"[.!?][\"”’')]*\s+(?=[\"“‘(]?[A-Z0-9])")


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with offsets; paragraphs (blank-line or newline separated) never merge."""
    out: list[Sentence] = []
    for paragraph, match in enumerate(re.finditer(r"[^\n]+", text)):
        para_start = match.start()
        para = match.group()
        cut = 0
        for boundary in _BOUNDARY.finditer(para):
            head = para[cut : boundary.start()]
            last_word = re.search(r"([\w.]+)$", head)
            if last_word and (
                last_word.group(1).lower() in ABBREVIATIONS or len(last_word.group(1)) == 1
            ):
                continue
            _append(out, text, para_start + cut, para_start + boundary.end(), paragraph)
            cut = boundary.end()
        _append(out, text, para_start + cut, para_start + len(para), paragraph)
    return out


def _append(out: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(start, end, text[start:end], paragraph))


def _normalize(text: str) -> tuple[str, list[int]]:
    """Lowercase, straight quotes, single spaces; with a map back to original offsets."""
    chars: list[str] = []
    index: list[int] = []
    previous_space = False
    for i, ch in enumerate(text.translate(_QUOTE_MAP)):
        if ch.isspace():
            if previous_space:
                continue
            ch = " "
        previous_space = ch == " "
        chars.append(ch.lower())
        index.append(i)
    return "".join(chars), index


def find_text(
    text: str, needle: str, start: int = 0, end: int | None = None
) -> tuple[int, int] | None:
    """Offsets of `needle` in text[start:end] at word boundaries, tolerant of case/quotes/space."""
    needle_norm, _ = _normalize(needle.strip())
    if not needle_norm:
        return None
    hay, index = _normalize(text[start:end])
    boundary = r"(?!\w)" if needle_norm[-1].isalnum() else ""
    pattern = r"(?<!\w)" + re.escape(needle_norm) + boundary
    match = re.search(pattern, hay)
    if match is None:
        return None
    return start + index[match.start()], start + index[match.end() - 1] + 1


FUNCTION_WORDS = {"of", "a", "an", "the", "in", "to", "from", "for", "on", "at", "by", "with", "and", "or"}  # fmt: skip
# Words that stand for a person without naming one: a speaker or an actor needs a name.
PRONOUNS = {"he", "she", "they", "it", "we", "i", "him", "her", "them", "you"}
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
    "today", "yesterday", "tomorrow", "tonight", "overnight",
}  # fmt: skip
_WORD = re.compile(r"[ \t]?([A-Za-z][\w'’-]*|\d+[A-Za-z]+\b)")


def noun_after(text: str, number_end: int) -> tuple[str, int]:
    """The words right after a number that name what it counts, and where they end.

    The unit of a number written without one: "Some 300 residents have" gives
    "residents", "96 Liverpool fans went" "Liverpool fans". Nothing crosses a quotation
    mark ('201 "There are eight fire engines' is a photo counter). A function word,
    a verb form after the first word ("eight estimates compiled"), a word after a plural
    ("five victims range"), punctuation or a fourth word ends it;
    a number followed by none ("ended at 16,644.") gives ("", number_end).
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
        if words and _plural(words[-1]) and lower not in {"celsius", "fahrenheit"}:
            break  # "five victims range in age", "two men remain": a plural ends the name
        words.append(word)
        end = match.end()
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


def _verb_form(text: str, previous: str, word: str, end: int) -> bool:
    """Whether a word after the noun is a verb: "compiled" in "estimates compiled by" or
    "fans stayed", not "fighting" in "armoured fighting vehicles"."""
    if not word.lower().endswith(("ed", "ing")):
        return False
    if previous.endswith("s"):
        return True
    following = _WORD.match(text, end)
    return following is None or following.group(1).lower() in _NOT_A_NOUN
