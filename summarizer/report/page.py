"""One brief as a self-contained HTML page: the article with every evidence span lit up,
and the brief beside it.

The page needs the article text the brief's offsets refer to: a brief carries it only
when it was extracted from HTML (`article.text`), so the caller hands it over otherwise
(`summarize --format html` and `summarize batch --report` pass the text they read). The
text is normalised as the brief's was, and must hash to the brief's `article.sha256`: a
brief drawn over another text would light up the wrong words.
"""

from __future__ import annotations

import hashlib

from markupsafe import Markup, escape

from summarizer.article import normalise
from summarizer.render import figure_value
from summarizer.report import assets, view
from summarizer.schema import Brief


def render_page(
    brief: Brief, text: str | None = None, *, source: str | None = None, back: str | None = None
) -> str:
    """The page of `brief` over `text` (default: the text the brief carries).

    `source` names the article (a path, an id); `back` is a link to the page listing it
    (the batch report's index). Raises ValueError when there is no text, or the text is
    not the one the brief was made from.
    """
    text = article_text(brief, text)
    items = view.entries(brief)
    by_kind = {kind: [e for e in items if e.kind == kind] for kind in view.KINDS}
    notices, notes = view.warnings(brief)
    return assets.render(
        "page.html",
        scripted=True,
        brief=brief,
        title=brief.title or brief.article.title or source or "Untitled article",
        source=source,
        back=back,
        events=view.timeline(by_kind["event"]),
        figures=by_kind["figure"],
        speakers=view.by_speaker(by_kind["quote"]),
        notices=notices,
        notes=notes,
        article=article_html(text, items),
        data={"items": {e.id: {"kind": e.kind, "label": e.label} for e in items}},
        date_label=view.date_label,
        figure_value=figure_value,
    )


def article_text(brief: Brief, text: str | None) -> str:
    """The text the brief's offsets refer to, checked against the brief's hash."""
    if text is None:
        text = brief.article.text
    if text is None:
        raise ValueError(
            "the brief does not carry its article text: pass the text it was made from"
        )
    text = normalise(text)
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != brief.article.sha256:
        raise ValueError("this text is not the one the brief was made from (its sha256 differs)")
    return text


def article_html(text: str, items: list[view.Entry]) -> Markup:
    """The article's paragraphs, each piece that a span covers in a <mark> naming its
    items, and an empty anchor before each item's first piece. Every character of the
    text is escaped, and all of them are there: the element's text is the article."""
    kinds = {e.id: e.kind for e in items}
    anchors = {e.id: e.anchor for e in items if e.anchor}
    out = []
    for block in view.blocks(text, items):
        pieces = []
        for piece in block.pieces:
            words = text[piece.start : piece.end]
            for item in piece.items:
                if (anchor := anchors.pop(item, None)) is not None:
                    pieces.append(Markup('<span class="anchor" id="{}"></span>').format(anchor))
            if not piece.items:
                pieces.append(escape(words))
                continue
            covering = [kinds[item] for item in piece.items]
            classes = ["hl", *(f"k-{kind}" for kind in view.KINDS if kind in covering)]
            if len(covering) > len(set(covering)):
                classes.append("many")  # two items of one kind overlap here
            pieces.append(
                Markup('<mark class="{}" data-items="{}">{}</mark>').format(
                    " ".join(classes), " ".join(piece.items), words
                )
            )
        inner = Markup("").join(pieces)
        out.append(Markup("<p>{}</p>").format(inner) if block.paragraph else inner)
    return Markup("").join(out)
