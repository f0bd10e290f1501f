"""A batch's report folder: `index.html` and one page per brief, kept current as the
batch runs.

Each brief's page is written when its record is, from the article text the batch read
(a brief carries its text only when it was extracted from HTML), and the index is
rewritten after it, so the folder can be opened while the batch runs. Every file is
written atomically: a reader, or a batch killed mid-write, never leaves half a page.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

from summarizer.files import write_atomically
from summarizer.report.index import RANK, Row, render_index, row
from summarizer.report.page import render_page
from summarizer.schema import Brief

INDEX = "index.html"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def page_name(item_id: str) -> str:
    """A file name for an article's page: its id made safe, and a hash of the id so that
    two ids never share one (`a/b` and `a b`, or `A` and `a` on a case-blind disk)."""
    safe = _UNSAFE.sub("-", item_id).strip(".-")[:80] or "article"
    return f"{safe}-{hashlib.sha256(item_id.encode('utf-8')).hexdigest()[:8]}.html"


class ReportFolder:
    def __init__(self, folder: Path, ids: Iterable[str], *, source: str | None = None) -> None:
        """A row, waiting, for each article of the batch, in the batch's order."""
        self.folder = folder
        self.source = source
        self.rows = {key: Row(key) for key in ids}

    def has_page(self, item_id: str) -> bool:
        return (self.folder / page_name(item_id)).exists()

    def add(self, record: dict, text: str | None, *, write_index: bool = True) -> None:
        """An article's record (`{"id", "brief"}` or `{"id", "error"}`): its page, drawn
        over `text` (or the text the brief carries), and its row.

        A record that counts for less than the row's (an error after a brief, a partial
        brief after a whole one) changes nothing, as in `summarizer.batch.results`.
        Without a text, or with one the brief was not made from, the row says why it has
        no page.
        """
        if not self._counts(record):
            return
        page: str | None = None
        notes: tuple[str, ...] = ()
        if isinstance(record.get("brief"), dict):
            brief = Brief.model_validate(record["brief"])
            key = str(record["id"])
            try:
                html = render_page(brief, text, source=key, back=INDEX)
            except ValueError as exc:
                notes = (f"no page: {exc}",)
            else:
                page = page_name(key)
                write_atomically(self.folder / page, html.encode("utf-8"))
        self._set(row(record, page, notes), write_index)

    def keep(self, record: dict, *, write_index: bool = True) -> None:
        """The row of a record an earlier run finished, linking the page it wrote."""
        if self._counts(record):
            key = str(record["id"])
            self._set(row(record, page_name(key) if self.has_page(key) else None), write_index)

    def _counts(self, record: dict) -> bool:
        new = row(record)
        return RANK[new.status] >= RANK[self.rows.get(new.id, Row(new.id)).status]

    def _set(self, new: Row, write_index: bool) -> None:
        self.rows[new.id] = new
        if write_index:
            self.write_index()

    def write_index(self) -> None:
        html = render_index(list(self.rows.values()), source=self.source)
        write_atomically(self.folder / INDEX, html.encode("utf-8"))
