"""summarizer: a grounded structured brief (events, figures, quotes) of a news article.

    >>> import summarizer
    >>> brief = summarizer.summarize(open("examples/kursk.txt").read())
    >>> brief.quotes[0].speaker

Every quote and figure carries a Span into the article that has been checked in code.
"""

from summarizer.errors import (
    BackendError,
    ExtractionError,
    InputError,
    ModelFileError,
    SummarizerError,
)
from summarizer.pipeline import Summarizer, asummarize, summarize
from summarizer.schema import Brief, Event, Figure, Quote, Span

__all__ = [
    "BackendError",
    "Brief",
    "Event",
    "ExtractionError",
    "Figure",
    "InputError",
    "ModelFileError",
    "Quote",
    "Span",
    "Summarizer",
    "SummarizerError",
    "asummarize",
    "summarize",
]
