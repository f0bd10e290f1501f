"""The HTML report: a brief as a page to look at, and a batch's pages behind an index.

    pieces   the article cut at every span edge, each piece listing the items covering it
    view     what the page shows: items with ids, the timeline's order, quotes by speaker
    assets   the templates, the inline style and script, escaping and the page's policy
    page     one brief's self-contained page (`render_page`)
    index    the batch's index page, one row per article
    folder   a batch's report folder, written as each brief is done

Every page is one file that loads nothing: its style and script are inline, its policy
allows nothing else, and everything the article or the model wrote is escaped.
"""

from __future__ import annotations

from summarizer.report.page import render_page

__all__ = ["render_page"]
