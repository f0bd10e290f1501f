"""Hand-made briefs for the report's tests, built in code over a given text.

These are not model answers: the report draws any brief it is given, so its tests build
the briefs that exercise it (nested and overlapping spans, dates to sort, hostile strings
in every field the model writes). The report's tests of a real brief replay the seed
article's cassette instead (test_report_browser.py, test_cli.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from summarizer.schema import ArticleInfo, Brief, Event, Figure, Meta, Quote, Span, When


def span(text: str, words: str, nth: int = 0) -> Span:
    """The span of the nth occurrence of `words` in `text`."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(words, start + 1)
    return Span(start=start, end=start + len(words), text=words)


def event(text: str, sentence: str, what: str = "happened", date: str | None = None, **kw) -> Event:
    return Event(
        what=what,
        when=When(text=kw.pop("when", None), date=date),
        evidence=[span(text, sentence)],
        **kw,
    )


def figure(text: str, words: str, value: float = 1, counts: str = "things", **kw) -> Figure:
    return Figure(
        value=value,
        unit=kw.pop("unit", "things"),
        counts=counts,
        text=words,
        evidence=span(text, words),
        **kw,
    )


def quote(text: str, words: str, speaker: str | None = None, **kw) -> Quote:
    return Quote(
        text=words, kind=kw.pop("kind", "direct"), speaker=speaker, evidence=span(text, words), **kw
    )


def brief(
    text: str,
    *,
    events: Sequence[Event] = (),
    figures: Sequence[Figure] = (),
    quotes: Sequence[Quote] = (),
    title: str = "A title",
    summary: str = "A summary.",
    warnings: Sequence[str] = (),
    incomplete: Sequence[str] = (),
    model: str = "handmade",
    carry_text: bool = False,
) -> Brief:
    made = Brief(
        article=ArticleInfo(
            chars=len(text),
            sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            text=text if carry_text else None,
        ),
        title=title,
        summary=summary,
        events=list(events),
        figures=list(figures),
        quotes=list(quotes),
        meta=Meta(
            model=model,
            backend="handmade",
            prompt_version="0",
            warnings=list(warnings),
            incomplete=list(incomplete),
        ),
    )
    made.check_grounding(text)
    return made


# An article, and a brief of it, with markup and script in every string a model or an
# article could carry: the report must show all of it as text and run none of it.
HOSTILE_ARTICLE = (
    '<script>window.pwned = "article script"; alert(1)</script> Harbour reopens\n\n'
    'The mayor said: "It is </script><script>window.pwned = 2</script> fine <!-- really". '
    'It cost 40 </textarea><textarea> euros, and <img src=x onerror="window.pwned=3"> too.\n\n'
    '<a href="javascript:window.pwned=4">Read more</a> <svg onload="window.pwned=5"></svg> '
    '<iframe src="https://example.com/"></iframe> ]]> \u2028 <style>body{display:none}</style> end.\n'
)
HOSTILE = "<script>window.pwned = 'brief'; alert('x')</script></script><!--"


def hostile_brief(carry_text: bool = False) -> Brief:
    text = HOSTILE_ARTICLE
    return brief(
        text,
        title=HOSTILE + "<img src=x onerror=alert(1)>",
        summary='</textarea><a href="javascript:alert(2)">summary</a>',
        events=[
            event(
                text,
                "The mayor said",
                what=HOSTILE,
                date="2026-01-02",
                who=['"><img src=x onerror=alert(3)>'],
                where="javascript:alert(4)",
                when="<b>Friday</b>",
            ),
        ],
        figures=[
            figure(
                text,
                "40 </textarea><textarea> euros",
                value=40,
                counts=HOSTILE,
                unit="<svg onload=alert(5)>",
            ),
        ],
        quotes=[
            quote(
                text,
                "It is </script><script>window.pwned = 2</script> fine <!-- really",
                speaker="<img src=x onerror=alert(6)>",
                speaker_role=HOSTILE,
                channel="</script><!--",
            ),
        ],
        warnings=["S1: omitted who " + HOSTILE, "the events pass failed: " + HOSTILE],
        incomplete=["events"],
        model="<script>alert(7)</script>",
        carry_text=carry_text,
    )
