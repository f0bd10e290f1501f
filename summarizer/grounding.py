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
# A full stop that does not end a sentence: after an abbreviation ("Mr.", "Jan.", "U.S.")
# or a single letter ("John F. Kennedy"). `split_sentences` reads stops this way, and a
# pattern that runs to a sentence's end uses this ("said at the U.S. Capitol.").
NON_FINAL_STOP = rf"(?<![\w.])(?i:{'|'.join(map(re.escape, sorted(ABBREVIATIONS)))}|\w)\."
_NON_FINAL_STOP_AT_END = re.compile(rf"{NON_FINAL_STOP}$")
_BOUNDARY = re.compile(r"[.!?][\"”’')]*\s+(?=[\"“‘(]?[A-Z0-9])")


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with offsets; paragraphs (blank-line or newline separated) never merge."""
    out: list[Sentence] = []
    for paragraph, match in enumerate(re.finditer(r"[^\n]+", text)):
        para_start = match.start()
        para = match.group()
        cut = 0
        for boundary in _BOUNDARY.finditer(para):
            if _NON_FINAL_STOP_AT_END.search(para, cut, boundary.start() + 1):
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


def as_written(text: str, phrase: str | None) -> str | None:
    """The article's own spelling of a phrase the model gave (it may differ in case, or in
    the full stop after a title: the model writes "Mr. Comey" where a British paper writes
    "Mr Comey", and asking again does not change its answer)."""
    if not phrase:
        return None
    phrase = phrase.strip()
    spellings = [
        phrase,
        re.sub(r"^(the|a|an) ", "", phrase, flags=re.I),
        _TITLE_STOP.sub(r"\1", phrase),  # "Mr. Comey" -> "Mr Comey"
        _TITLE.sub(r"\1.", phrase),  # "Dr Smith" -> "Dr. Smith"
    ]
    for spelling in dict.fromkeys(spellings):  # most are the phrase itself: search it once
        hit = find_text(text, spelling)
        if hit:
            return text[hit[0] : hit[1]]
    return None


# Titles written before a person's name. "Col" and "St" also begin places ("Col du
# Tourmalet", "St Petersburg"), which may differ by a full stop too.
PERSON_TITLES = r"(?:Mr|Mrs|Ms|Dr|Prof|Gen|Gov|Sen|Rep|Lt|Sgt|Capt)"
_TITLES = rf"(?:{PERSON_TITLES}|Col|St)"
_TITLE_STOP = re.compile(rf"\b({_TITLES})\.")
_TITLE = re.compile(rf"\b({_TITLES})(?![.\w])")
