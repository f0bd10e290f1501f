"""A brief's HTML page, read back with the standard library's parser: the article whole,
every span marked with all its items, everything escaped, nothing loaded."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser

import pytest
from briefs import HOSTILE, HOSTILE_ARTICLE, brief, event, figure, hostile_brief, quote

from summarizer.report import render_page
from summarizer.report.assets import script_json
from summarizer.report.view import by_speaker, entries, timeline

TEXT = (
    "PORTO, March 13 - A storm hit Porto on Friday and damaged 40 roofs.\n\n"
    'The mayor said: "We counted 40 roofs and two bridges." The port closed.\n'
)


class Page(HTMLParser):
    """The tags and attributes of a page, the text of its article, and its scripts."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.article = ""
        self.marks: list[tuple[str, str]] = []  # (data-items, text) of each mark
        self._open: list[str] = []
        self._depth_in_article = 0
        self._script: dict[str, str | None] | None = None
        self._mark: str | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if self._depth_in_article or attributes.get("id") == "article":
            self._depth_in_article += 1
        if tag == "script":
            self._script = attributes
        if tag == "mark" and self._depth_in_article:
            self._mark = attributes["data-items"]
            self.marks.append((self._mark, ""))

    def handle_endtag(self, tag):
        if self._depth_in_article:
            self._depth_in_article -= 1
        if tag == "mark":
            self._mark = None

    def handle_data(self, data):
        if self._script is not None:
            self.scripts.append((self._script, data))
            self._script = None
        elif self._depth_in_article:
            self.article += data
            if self._mark is not None:
                items, words = self.marks[-1]
                self.marks[-1] = (items, words + data)


def seed_like() -> tuple[str, object]:
    """A brief of TEXT with a figure inside a quote inside an event's sentence."""
    made = brief(
        TEXT,
        events=[event(TEXT, 'The mayor said: "We counted 40 roofs and two bridges."', date="2026-03-13")],
        figures=[figure(TEXT, "two bridges", value=2)],
        quotes=[quote(TEXT, "We counted 40 roofs and two bridges.", speaker="the mayor")],
    )  # fmt: skip
    return TEXT, made


def test_the_article_is_whole_and_every_piece_names_all_its_items():
    text, made = seed_like()
    page = Page(render_page(made, text))
    assert page.article == text  # every character, in order
    assert page.marks == [
        ("e1", 'The mayor said: "'),
        ("e1 q1", "We counted 40 roofs and "),
        ("e1 f1 q1", "two bridges"),
        ("e1 q1", "."),
        ("e1", '"'),
    ]


def test_every_item_links_to_an_anchor_before_its_first_piece():
    text, made = seed_like()
    page = Page(render_page(made, text))
    links = {a["data-item"]: a["href"] for tag, a in page.tags if tag == "a" and "data-item" in a}
    anchors = {a["id"] for tag, a in page.tags if a.get("class") == "anchor"}
    assert links == {"e1": "#i-e1", "f1": "#i-f1", "q1": "#i-q1"}
    assert {href[1:] for href in links.values()} == anchors


def test_a_hostile_article_and_brief_stay_text():
    made = hostile_brief()
    html = render_page(made, HOSTILE_ARTICLE, source="<b>source</b>.txt")
    page = Page(html)
    assert page.article == HOSTILE_ARTICLE  # shown, character for character, as text
    assert not {tag for tag, _ in page.tags} & {"img", "svg", "iframe", "textarea", "b"}
    assert [tag for tag, _ in page.tags].count("style") == 1  # ours
    assert [tag for tag, _ in page.tags].count("script") == 2  # the data and ours
    for tag, attributes in page.tags:
        assert not [name for name in attributes if name.startswith("on")], tag
        assert not any(
            (v or "").strip().lower().startswith("javascript:") for v in attributes.values()
        )
    assert "<!--" not in html and "</textarea" not in html and "<img" not in html
    assert html.count("</script>") == 2


def test_the_scripts_data_is_json_that_cannot_end_its_element():
    made = hostile_brief()
    page = Page(render_page(made, HOSTILE_ARTICLE))
    (data_attrs, data), (code_attrs, code) = page.scripts
    assert data_attrs == {"type": "application/json", "id": "brief-data"}
    assert not set(data) & set("<>&")
    labels = {key: item["label"] for key, item in json.loads(data)["items"].items()}
    assert HOSTILE in labels["e1"] and HOSTILE in labels["f1"] and HOSTILE in labels["q1"]
    assert script_json("</script><!--&") == '"\\u003c/script\\u003e\\u003c!--\\u0026"'
    assert "brief-data" in code and "textContent" in code and "innerHTML" not in code


def test_the_page_loads_nothing_and_allows_only_its_own_style_and_script():
    text, made = seed_like()
    html = render_page(made, text)
    page = Page(html)
    urls = [v for _, a in page.tags for k, v in a.items() if k in ("href", "src", "action")]
    assert all(url.startswith("#") or url == "data:," for url in urls), urls
    assert not re.search(r"url\(|@import|https?://", html)
    (policy,) = [
        a["content"] for t, a in page.tags if a.get("http-equiv") == "Content-Security-Policy"
    ]
    style = html[html.index("<style>") + 7 : html.index("</style>")]
    script = page.scripts[1][1]
    for inline in (style, script):
        digest = base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    assert policy.startswith("default-src 'none'")


def test_the_timeline_sorts_by_date_with_the_undated_last():
    text = "A. B. C. D. E. F."
    dates = ["2025-01-05", None, "2024-08", "2024", "2024-08-03", None]
    made = brief(
        text, events=[event(text, s, what=s, date=d) for s, d in zip("ABCDEF", dates, strict=True)]
    )
    ordered = [e.item.what for e in timeline([e for e in entries(made) if e.kind == "event"])]
    assert ordered == ["D", "C", "E", "A", "B", "F"]
    page = Page(render_page(made, text))
    shown = [a["data-entry"] for t, a in page.tags if t == "li" and "data-entry" in a]
    assert shown == ["e4", "e3", "e5", "e1", "e2", "e6"]


def test_quotes_are_grouped_by_speaker_in_order_of_first_quote_and_unattributed_last():
    text = '"One," said Ana. "Two," said Rui. "Three." "Four," said Ana.'
    made = brief(text, quotes=[quote(text, "One,", "Ana"), quote(text, "Two,", "Rui"),
                               quote(text, "Three."), quote(text, "Four,", "Ana")])  # fmt: skip
    groups = by_speaker([e for e in entries(made) if e.kind == "quote"])
    assert [(speaker, [e.id for e in group]) for speaker, group in groups] == [
        ("Ana", ["q1", "q4"]), ("Rui", ["q2"]), (None, ["q3"])
    ]  # fmt: skip


def test_warnings_and_incomplete_passes_are_listed():
    made = hostile_brief()
    html = render_page(made, HOSTILE_ARTICLE)
    assert "Partial brief:" in html and "the events" in html
    assert "the events pass failed: &lt;script&gt;" in html  # about a pass: at the top
    assert "S1: omitted who &lt;script&gt;" in html  # about an answer: under Checks


def test_the_text_must_be_the_briefs():
    text, made = seed_like()
    with pytest.raises(ValueError, match="does not carry its article text"):
        render_page(made)
    with pytest.raises(ValueError, match="not the one the brief was made from"):
        render_page(made, text + " More.")
    windows = text.replace("\n", "\r\n")  # as read from a Windows file: normalised first
    assert Page(render_page(made, windows)).article == text
    carried = hostile_brief(carry_text=True)
    assert Page(render_page(carried)).article == HOSTILE_ARTICLE
