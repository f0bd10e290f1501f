"""Deterministic finder of quoted spans in news text.

Quotes are paired paragraph by paragraph, because a quotation mark left open in
news copy almost never legitimately runs past its paragraph. The one exception is
the news convention for long quotes: a paragraph that leaves its quote open and is
followed by a paragraph that opens with a quote mark again continues the quote, and
each paragraph part is reported separately.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from summarizer import clutter, headlines

QuoteKind = Literal["direct", "partial"]


@dataclass(frozen=True)
class QuoteMention:
    """One quoted span; offsets are inside the marks, so callers can cite it."""

    start: int
    end: int
    text: str
    kind: QuoteKind


DOUBLE_MARKS = '"“”„«»'
SINGLE_MARKS = "'‘’‚"
_OPEN_ONLY = "“„«‘‚"  # glyphs that normally open a quote
_CLOSE_ONLY = "”»’"  # glyphs that normally close a quote (’ is also an apostrophe)
_BEFORE_OPEN = "([{—–-/:;,"  # punctuation that may stand right before an opening mark
_AFTER_CLOSE = ".,;:!?)]}—–-/…"  # punctuation that may follow a closing mark
# Elisions that start with an apostrophe and must not open a quote: 'em, 'til, '90s; and
# a possessive or a contraction set apart from its word by a scraped page ("Donald Trump
# 's background", "don 't"), which otherwise opened a quote that ran 1,700 characters.
_ELISION = re.compile(
    r"(?i:em|til|tis|twas|cause|n|round|bout|\d\ds?)\b"  # 'Em too: any case
    r"|(?:s|t|re|ve|ll|d|m)(?=\s)"  # lower case only: 'S-400 missiles' may open
)
_SENTENCE_END = ".!?,…"


def _can_open(para: str, i: int, quote_marks: str) -> bool:
    """A mark opens a quote when it starts a word: a space (or nothing) before, text after."""
    before = para[i - 1] if i > 0 else " "
    after = para[i + 1] if i + 1 < len(para) else " "
    if after.isspace() and para[i] not in _OPEN_ONLY:  # “  padded ” quotes still pair
        return False
    if not (before.isspace() or before in _BEFORE_OPEN or before in quote_marks):
        return False
    if para[i] in SINGLE_MARKS and _ELISION.match(para, i + 1):
        return False
    return True


def _can_close(para: str, i: int, quote_marks: str) -> bool:
    """A mark closes a quote when it ends a word: text before, a space or punctuation after."""
    before = para[i - 1] if i > 0 else " "
    after = para[i + 1] if i + 1 < len(para) else " "
    nested_close = i > 1 and para[i - 2] in SINGLE_MARKS + DOUBLE_MARKS  # 'outreach,' " he said
    if before.isspace() and not nested_close and para[i] not in "”»":
        return False
    return after.isspace() or after in _AFTER_CLOSE or after in quote_marks


def _role(para: str, i: int, quote_marks: str) -> str:
    """Classify a mark as 'open', 'close', 'either' or 'none' from its glyph and its context."""
    opens = _can_open(para, i, quote_marks)
    closes = _can_close(para, i, quote_marks)
    glyph = para[i]
    if glyph in _OPEN_ONLY and opens:
        return "open"
    if glyph in _CLOSE_ONLY and closes:
        return "close"
    if opens and closes:
        return "either"
    if opens:
        return "open"
    if closes:
        return "close"
    return "none"


def _looks_possessive(para: str, i: int, marks: str) -> bool:
    """'protect workers' rights,' -- an s' before a lowercase word, with a closer still to come."""
    if (
        para[i] not in "'’"
        or para[i - 1 : i] != "s"
        or not re.match(r" [a-z]", para[i + 1 : i + 3])
    ):
        return False
    for j in range(i + 1, len(para)):
        if para[j] in marks:
            role = _role(para, j, marks)
            if role != "none":
                return role in ("close", "either") and not _looks_possessive(para, j, marks)
    return False


def _pair(
    para: str, marks: str, skip: list[tuple[int, int]]
) -> tuple[list[tuple[int, int]], int | None]:
    """Pair marks of one family left to right; return (open, close) pairs and a dangling opener."""
    pairs: list[tuple[int, int]] = []
    opened: int | None = None
    for i, ch in enumerate(para):
        if ch not in marks or any(a <= i < b for a, b in skip):
            continue
        role = _role(para, i, marks)
        if opened is None:
            if role in ("open", "either"):
                opened = i
        elif role in ("close", "either") and not _looks_possessive(para, i, marks):
            pairs.append((opened, i))
            opened = None
        elif role == "open" and ch in DOUBLE_MARKS:
            if _reopens(para, opened, i):
                pairs.append((opened, i - 1))  # ends before the space ahead of the new mark
            opened = i  # else the earlier double mark was stray; restart from this one
    return pairs, opened


def _reopens(para: str, opened: int, i: int) -> bool:
    """Whether a quote mark opened at `opened` and never closed ends where a new one opens
    at `i`: the long-quote convention (see the module docstring) on a page whose paragraph
    breaks were lost, 'said: "We were called at 6.13. "We have sent crews."'. Only after a
    whole sentence: words that run into a photo caption or a headline ("... on the
    approach. Carnage: crews at the scene (PA) "I've") end on none, and stay out."""
    return para[i - 1].isspace() and para[opened + 1 : i].rstrip().endswith((".", "!", "?", "…"))


def _trim(para: str, a: int, b: int) -> tuple[int, int]:
    """Shrink [a, b) so it excludes surrounding whitespace."""
    while a < b and para[a].isspace():
        a += 1
    while b > a and para[b - 1].isspace():
        b -= 1
    return a, b


def _starts_with_mark(para: str, marks: str) -> bool:
    """Whether a paragraph opens with a quote mark of the given family."""
    stripped = para.lstrip()
    return bool(stripped) and stripped[0] in marks


def _paragraph_spans(para: str, next_para: str | None) -> list[tuple[int, int, int]]:
    """Quoted spans of one paragraph as (start, end, mark offset), in paragraph offsets."""
    found: list[tuple[int, int, int]] = []
    dbl_pairs, dbl_open = _pair(para, DOUBLE_MARKS, [])
    regions = [(a, b + 1) for a, b in dbl_pairs]
    if (
        dbl_open is not None
        and next_para is not None
        and _starts_with_mark(next_para, DOUBLE_MARKS)
    ):
        regions.append((dbl_open, len(para)))
    sgl_pairs, sgl_open = _pair(para, SINGLE_MARKS, regions)
    # A quote nests one quotation ('... when one "lifted onto side" at same corner'); a
    # "quote" around several is an unclosed mark paired with an apostrophe far on
    # ("['Cubs had a great night.] "I got ..." Epstein said. ... delivers the Cubs' best").
    sgl_pairs = [(a, b) for a, b in sgl_pairs if sum(a < x and y < b for x, y in dbl_pairs) < 2]
    for a, b in dbl_pairs + sgl_pairs:
        found.append((a + 1, b, a))
    if dbl_open is not None and (dbl_open, len(para)) in regions:
        found.append((dbl_open + 1, len(para), dbl_open))
    elif (
        sgl_open is not None
        and next_para is not None
        and _starts_with_mark(next_para, SINGLE_MARKS)
    ):
        found.append((sgl_open + 1, len(para), sgl_open))
    # A single-quoted span that encloses a double-quoted one is the outer quote.
    outer = [s for s in found if not any(o != s and o[2] < s[2] and s[1] <= o[1] for o in found)]
    return sorted(outer)


def _kind(para: str, mark: int, start: int, end: int, previous_end: int | None) -> QuoteKind:
    """Direct for a full utterance, partial for a fragment woven into reported speech."""
    body = para[start:end]
    first = next((c for c in body if c.isalnum()), "")
    lead = para[:mark].rstrip()
    opens_sentence = lead == "" or lead.endswith((".", "!", "?"))
    after_colon = lead.endswith(":")
    # "Every time you say that," Trump said, "you give ..." continues a split direct quote.
    continues = previous_end is not None and lead.endswith(",") and len(lead) - previous_end < 60
    if continues:
        return "direct"
    if not (first.isupper() or first.isdigit()):
        return "partial"
    if body.rstrip("\"'”’»)").endswith(tuple(_SENTENCE_END)) or after_colon or opens_sentence:
        return "direct"
    return "partial"


def _normalize(para: str) -> str:
    """Rewrite two-character marks ('' and ``) as one curly mark plus a space, keeping offsets."""
    para = para.replace("``", " “")

    def one(m: re.Match[str]) -> str:
        before = para[m.start() - 1] if m.start() > 0 else " "
        after = para[m.end()] if m.end() < len(para) else " "
        if not after.isspace() and (before.isspace() or before in _BEFORE_OPEN):
            return " “"
        if not before.isspace():
            return "” "
        return m.group()

    return re.sub("''", one, para)


def find_quotes(text: str) -> list[QuoteMention]:
    """Every span of text that stands inside quotation marks, sorted by start."""
    paragraphs = [(m.start(), m.group()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()]
    mentions: list[QuoteMention] = []
    for n, (offset, para) in enumerate(paragraphs):
        next_para = paragraphs[n + 1][1] if n + 1 < len(paragraphs) else None
        previous_end: int | None = None
        para = _normalize(para)
        next_para = _normalize(next_para) if next_para is not None else None
        for start, end, mark in _paragraph_spans(para, next_para):
            start, end = _trim(para, start, end)
            if start >= end:
                continue
            kind = _kind(para, mark, start, end, previous_end)
            previous_end = end + 1 if kind == "direct" else None
            mentions.append(
                QuoteMention(
                    offset + start, offset + end, text[offset + start : offset + end], kind
                )
            )
    return mentions


# Words that introduce speech: a short quoted fragment near none of them is a title, a
# name or a scare quote ("the so-called 'experts'"), not something a person said.
SPEECH_CUE = re.compile(
    r"(?<!so-)\b(?:said|says|say|saying|told|tells|tell|call(?:s|ed|ing)?|condemn(?:s|ed)?|"
    r"describ(?:es|ed|ing)|wr(?:ote|ites)|add(?:s|ed)|ask(?:s|ed)|stat(?:es|ed)|"
    r"claim(?:s|ed)|insist(?:s|ed)|warn(?:s|ed)|argu(?:es|ed)|declar(?:es|ed)|"
    r"promis(?:es|ed)|vow(?:s|ed)|urg(?:es|ed)|tweet(?:s|ed)|post(?:s|ed)|"
    r"according to|quot(?:es|ed)|admit(?:s|ted)|acknowledg(?:es|ed)|deni(?:es|ed)|"
    r"respond(?:s|ed)|repl(?:ies|ied)|explain(?:s|ed)|accus(?:es|ed)|labell?(?:s|ed)|"
    r"dismiss(?:es|ed)|praise[sd]?|blast(?:s|ed)|slamm(?:ed)|vow|recall(?:s|ed)|"
    r"liken(?:s|ed)?)\b",
    re.IGNORECASE,
)
# The same verbs as a sentence writes them, lowercase, for patterns that are case-sensitive:
# "United States" holds no "states", and "Said" opening a name is no verb.
SPEECH_VERB = f"(?:{SPEECH_CUE.pattern})"
SHORT_QUOTE_WORDS = 3


_MINOR_WORDS = frozenset("a an the of and or in on for to at by with from as vs".split())


# Where a title stands, before its opening mark: 'said on "Meet the Press."', 'Sirius XM's
# "Breitbart News Daily."', 'the spot titled "Dangerous,"', 'a show called "Brokers,"'.
_TITLE_BEFORE = re.compile(r"(?:\b(?:on|titled|called|named|dubbed)|['’]s)\s*[\"“‘']$")


def _is_name(quoted: str, before: str = "") -> bool:
    """Title Case with no punctuation inside the marks reads as a name, not as words said:
    a show ("Morning Joe"), a nickname ("Cia"), a label ("The Dealmaker"). The comma or
    full stop American style puts inside the marks does not count where a title stands
    ('on "Meet the Press."'), nor a comma after two words or more ('"This Week," Carson')."""
    if _TITLE_BEFORE.search(before):
        quoted = quoted.removesuffix(".").removesuffix(",")
    elif " " in quoted:
        quoted = quoted.removesuffix(",")
    if any(c in quoted for c in ".,;:!?…"):
        return False
    words = re.findall(r"[^\W\d_][\w'’-]*", quoted)
    if not words or not words[0][0].isupper():
        return False
    return all(w[0].isupper() or w.lower() in _MINOR_WORDS for w in words)


def is_speech(text: str, mention: QuoteMention) -> bool:
    """Whether a quoted span reads as someone's words rather than a title or scare quote.

    Not in a headline, and not a name in Title Case. A single word woven into the
    writer's sentence (called it a "disgrace", promoting "quack" cures) is a borrowed
    term, not a statement to attribute; said on its own ("No," she said) it counts. A
    quote of more than three words then counts; a shorter one ("Shark Tank.",
    "experts") only when a speech verb stands in its paragraph, outside the quote.
    """
    if (
        headlines.in_headline(text, mention.start)
        or _is_name(mention.text, text[max(0, mention.start - 20) : mention.start])
        or clutter.is_page_text(mention.text)
    ):
        return False
    if mention.kind == "partial" and len(mention.text.split()) == 1:
        return False
    if len(mention.text.split()) > SHORT_QUOTE_WORDS:
        return True
    start = text.rfind("\n", 0, mention.start) + 1
    end = text.find("\n", mention.end)
    frame = text[start : mention.start] + " " + text[mention.end : end if end != -1 else None]
    return SPEECH_CUE.search(frame) is not None
