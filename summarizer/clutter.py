"""Page clutter: a news page's widgets, galleries and embedded posts, flattened into its text.

A scraped article carries its page's furniture: "1 of 57 Full Screen Autoplay Close Skip
Ad", "Could not subscribe, try again later", a photo gallery's counters before each
caption ("PA 22 Tributes left for ..."), a slideshow's "1 of 31", and embedded posts
("... pic.twitter.com/C71KeNUWF1 -- James Melville (@JamesMelville) November 8, 2016").
None of it is the story: these tests keep it out of events, actors, figures and speakers.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from summarizer.numbers import NumberMention

# Widget text (a player, share buttons, a list of other stories) and embedded posts, as
# the model gave them for an event or an actor, or as a sentence of the page holds them.
_PAGE_WIDGET = re.compile(
    r"(?i:c)ould not subscribe|(?i:t)hank you for subscribing|(?i:i)nvalid (?i:e)mail"
    r"|directly to your inbox|Full Screen Autoplay|Close Skip Ad|Video (?:Loading|Unavailable)"
    r"|(?:Click|Tap) to (?:play|share)|Opens in new window"
    r"|pic\.twitter\.com/|\(@\w+\) [A-Z][a-z]+ \d{1,2}, \d{4}"
    r"|Follow [A-Z][^@\n]{0,40} on (?:Twitter|Facebook|Instagram)"
    r"|Related (?:S|s)tories"
)


def is_page_text(phrase: str) -> bool:
    """Whether a phrase the model gave is a page widget's text or an embedded post."""
    return _PAGE_WIDGET.search(phrase) is not None


# The marks of a caption, a hashtag, a handle or a link: not how a person or body is named
# ("Please avoid the area #Croydoncops pic.twitter.com/... -- Croydon MPS (@MPSCroydon)").
_POST_MARKS = re.compile(r"[#@:/]|www\.")


def has_post_marks(name: str) -> bool:
    """Whether a name the model gave carries a post's or a caption's marks."""
    return _POST_MARKS.search(name) is not None


# A slideshow's counter: "Play slideshow REUTERS 1 of 31 Supporters of ...", "1 of 22 Full
# Screen Autoplay Close Skip Ad".
_SLIDESHOW = re.compile(
    r"\bslideshow\s+(?:[A-Z]{2,}\s+)?(\d+\s+of\s+\d+)\b|\b(\d+\s+of\s+\d+)\s+Full\s+Screen\b"
)


def slideshow_spans(text: str) -> list[tuple[int, int]]:
    """Where the text counts a slideshow's pictures ("1 of 10")."""
    return [m.span(1) if m.group(1) else m.span(2) for m in _SLIDESHOW.finditer(text)]


_CAPTION_START = re.compile(r"[A-Z][a-z]")


def starts_a_caption(words_after: str) -> bool:
    """Whether the words after a bare number start like a name ("22 Mark Smith", "22 Left
    to right"): a photo gallery's counter before its caption, not a figure. That costs
    "96 Liverpool fans", but keeps captions out of briefs."""
    return _CAPTION_START.match(words_after) is not None


_CAPITAL_AFTER = re.compile(r"\s+[A-Z]")
COUNTER_REPEATS = 3


def without_gallery_counters(text: str, mentions: list[NumberMention]) -> list[NumberMention]:
    """Leave out a photo gallery's counter, scraped with its captions: "Getty Images 22 Rail
    workers at the site ... PA 22 Tributes left for ...". The same bare number before a
    capitalised word three times or more is the count of photos, not a figure of the
    story."""

    def counter_like(m: NumberMention) -> bool:
        return (
            m.unit_hint is None
            and m.qualifier == "exact"
            and bool(_CAPITAL_AFTER.match(text, m.end))
        )

    repeats = Counter(m.text for m in mentions if counter_like(m))
    return [m for m in mentions if not (counter_like(m) and repeats[m.text] >= COUNTER_REPEATS)]
