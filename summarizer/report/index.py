"""The batch report's index page: one row per article, linking to its brief's page.

A row says what a reader needs to choose which brief to open: the title, how many events,
figures and quotes, the warnings, the passes that could not be answered, or the error that
left the article without a brief. Articles not briefed yet are listed too, as waiting, so
the index written during a batch shows how far it has got.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from summarizer.report import assets
from summarizer.schema import Brief

Status = Literal["waiting", "error", "partial", "whole"]
# The record that counts for an article, as summarizer.batch.results chooses it: a whole
# brief over a partial one over an error.
RANK: dict[Status, int] = {"waiting": 0, "error": 1, "partial": 2, "whole": 3}


@dataclass(frozen=True)
class Row:
    id: str
    status: Status = "waiting"
    page: str | None = None  # its page's file name, beside the index
    title: str = ""
    events: int = 0
    figures: int = 0
    quotes: int = 0
    warnings: tuple[str, ...] = ()
    incomplete: tuple[str, ...] = ()
    error: str | None = None
    notes: tuple[str, ...] = field(default=())  # about the page itself (why it is missing)


def row(record: dict, page: str | None = None, notes: tuple[str, ...] = ()) -> Row:
    """The row of a batch record: `{"id", "brief"}` or `{"id", "error"}`."""
    key = str(record["id"])
    if not isinstance(record.get("brief"), dict):
        return Row(key, "error", error=str(record.get("error", "no brief")), notes=notes)
    brief = Brief.model_validate(record["brief"])
    return Row(
        key,
        "partial" if brief.meta.incomplete else "whole",
        page=page,
        title=brief.title or brief.article.title or "",
        events=len(brief.events),
        figures=len(brief.figures),
        quotes=len(brief.quotes),
        warnings=tuple(brief.meta.warnings),
        incomplete=tuple(brief.meta.incomplete),
        notes=notes,
    )


def render_index(rows: list[Row], *, source: str | None = None) -> str:
    """The index page of `rows`, in their order."""
    counts: Counter[str] = Counter(r.status for r in rows)
    totals = [
        f"{counts[status]} {label}"
        for status, label in (
            ("whole", "whole"),
            ("partial", "partial"),
            ("error", "failed"),
            ("waiting", "waiting"),
        )
        if counts[status]
    ]
    return assets.render(
        "index.html",
        scripted=False,
        rows=rows,
        source=source,
        totals=f"{len(rows)} articles: " + ", ".join(totals) if totals else "no articles",
    )
