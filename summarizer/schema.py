"""The output contract (schema_version "1"): what `summarize` returns and the CLI prints.

`Brief.model_dump(mode="json")` is the contract; the CLI's JSON is exactly that. Every
`Span` is an offset pair into the article text as read, and `Brief.check_grounding`
re-verifies all of them, so a brief that fails it is a bug, never a user-visible output.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

PassName = Literal["quotes", "figures", "events"]
SCHEMA_VERSION: Literal["1"] = "1"

Qualifier = Literal[
    "exact", "approximately", "at_least", "more_than", "at_most", "less_than", "up_to"
]


class Span(BaseModel):
    """A piece of the article: `article[start:end] == text` always holds."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class ArticleInfo(BaseModel):
    title: str | None = None
    published: str | None = Field(None, description="YYYY-MM-DD")
    dateline: str | None = None
    chars: int
    sha256: str
    text: str | None = Field(
        None, description="the article text the offsets refer to, when it was extracted (HTML)"
    )


class When(BaseModel):
    text: str | None = None
    date: str | None = Field(None, description="YYYY, YYYY-MM or YYYY-MM-DD")


class Event(BaseModel):
    what: str
    who: list[str] = []
    where: str | None = None
    when: When = When()
    evidence: list[Span]


class Figure(BaseModel):
    value: float | int
    value_max: float | int | None = None
    unit: str
    qualifier: Qualifier = "exact"
    counts: str
    text: str = Field(description="the number as written, with its qualifier and unit")
    evidence: Span


class Quote(BaseModel):
    text: str
    kind: Literal["direct", "partial"]
    speaker: str | None = None
    speaker_role: str | None = None
    channel: str | None = None
    evidence: Span


class Usage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0


class Meta(BaseModel):
    model: str
    backend: str
    prompt_version: str
    attempts: int = 0
    usage: Usage = Usage()
    latency_s: float = 0.0
    warnings: list[str] = []
    # Passes that could not be answered (their reason is in `warnings`): the brief holds
    # what the other passes found, and what the code found for these (quotes without
    # speakers, figures without what they count).
    incomplete: list[PassName] = []


class Brief(BaseModel):
    schema_version: Literal["1"] = SCHEMA_VERSION
    article: ArticleInfo
    title: str
    summary: str
    events: list[Event] = []
    figures: list[Figure] = []
    quotes: list[Quote] = []
    meta: Meta

    def spans(self) -> list[Span]:
        """Every evidence span in the brief."""
        out = [span for event in self.events for span in event.evidence]
        out += [figure.evidence for figure in self.figures]
        out += [quote.evidence for quote in self.quotes]
        return out

    def check_grounding(self, article_text: str) -> None:
        """Raise AssertionError unless every span matches the article text exactly."""
        for span in self.spans():
            got = article_text[span.start : span.end]
            assert got == span.text, f"span {span.start}:{span.end} is {got!r}, not {span.text!r}"
