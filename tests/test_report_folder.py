"""A batch's report folder: a page per brief and an index row per article, written as each
record is, and `summarize batch --report` writing them."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from briefs import HOSTILE, HOSTILE_ARTICLE, hostile_brief
from click.testing import CliRunner
from conftest import CASSETTES, LISBON, RECORDED_MODEL

from summarizer import batch as batches
from summarizer.cli import main
from summarizer.pipeline import Summarizer
from summarizer.report.folder import INDEX, ReportFolder, page_name

# The three passes of the Lisbon article, as the recorded model answered them.
LISBON_ANSWERS = str(CASSETTES / "test_api" / "test_rate_limit_is_retried_then_succeeds.yaml")


class Index(HTMLParser):
    """Each row of an index page: its id, status class, link and text."""

    def __init__(self, path: Path) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: dict[str, dict] = {}
        self.tags: list[str] = []
        self._row: dict | None = None
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append(tag)
        if tag == "tr" and "data-id" in attributes:
            self._row = {"class": attributes["class"], "link": None, "text": ""}
            self.rows[attributes["data-id"]] = self._row
        elif tag == "a" and self._row is not None:
            self._row["link"] = attributes["href"]

    def handle_endtag(self, tag):
        if tag == "tr":
            self._row = None

    def handle_data(self, data):
        if self._row is not None:
            self._row["text"] += data


def text_of(row: dict) -> str:
    return " ".join(row["text"].split())


def record(made) -> dict:
    return {"id": "hostile <x>", "brief": made.model_dump(mode="json")}


def test_page_names_are_safe_and_distinct():
    ids = ["a.txt", "a/b", "a b", "A.txt", "../../etc/passwd", "index", "", "<script>"]
    names = [page_name(i) for i in ids]
    assert len(set(names)) == len(ids)
    assert all(n.endswith(".html") and "/" not in n and not n.startswith(".") for n in names)
    assert page_name("a.txt").startswith("a.txt-") and INDEX not in names


def test_each_record_writes_its_page_and_the_index_lists_every_article(tmp_path):
    report = ReportFolder(tmp_path, ["waits", "hostile <x>", "failed"], source="items.jsonl")
    report.add(record(hostile_brief()), HOSTILE_ARTICLE)
    report.add({"id": "failed", "error": "HTTP 500: " + HOSTILE, "exit_code": 1}, None)
    index = Index(tmp_path / INDEX)
    assert list(index.rows) == ["waits", "hostile <x>", "failed"]  # the batch's order
    hostile, failed = index.rows["hostile <x>"], index.rows["failed"]
    assert hostile["class"] == "status-partial" and hostile["link"] == page_name("hostile <x>")
    assert (tmp_path / hostile["link"]).read_text(encoding="utf-8").startswith("<!doctype html>")
    assert "partial brief" in text_of(hostile) and "events" in text_of(hostile)
    assert HOSTILE in text_of(hostile)  # the title, as text
    assert failed["link"] is None and f"failed: HTTP 500: {HOSTILE}" in text_of(failed)
    assert text_of(index.rows["waits"]) == "waits waits · waiting"
    assert not {"script", "img"} & set(index.tags)
    assert "3 articles: 1 partial, 1 failed, 1 waiting" in (tmp_path / INDEX).read_text()


def test_a_record_that_counts_for_less_does_not_replace_a_row(tmp_path):
    report = ReportFolder(tmp_path, ["hostile <x>"])
    report.add(record(hostile_brief()), HOSTILE_ARTICLE)
    report.add({"id": "hostile <x>", "error": "timed out", "exit_code": 1}, None)
    assert Index(tmp_path / INDEX).rows["hostile <x>"]["class"] == "status-partial"


def test_a_brief_without_its_text_gets_a_row_that_says_why_it_has_no_page(tmp_path):
    report = ReportFolder(tmp_path, ["hostile <x>"])
    report.add(record(hostile_brief()), "another text")
    row = Index(tmp_path / INDEX).rows["hostile <x>"]
    assert row["link"] is None
    assert "no page: this text is not the one the brief was made from" in text_of(row)
    assert list(tmp_path.iterdir()) == [tmp_path / INDEX]


@pytest.mark.vcr(LISBON_ANSWERS)
def test_the_index_is_written_as_each_record_is(client, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("")
    (folder / "b.txt").write_text(LISBON.read_text(encoding="utf-8"), encoding="utf-8")
    items = batches.read_items(folder)
    report = ReportFolder(tmp_path / "report", [i.id for i in items])
    seen = []

    def on_record(item, record, tally):
        rows = Index(tmp_path / "report" / INDEX).rows
        seen.append({key: (row["class"], row["link"]) for key, row in rows.items()})

    with Summarizer(client=client, model=RECORDED_MODEL) as engine:
        out = batches.Output(tmp_path / "results.jsonl")
        batches.run(items, out, engine, on_record=on_record, report=report)
    assert seen == [
        {"a.txt": ("status-error", None), "b.txt": ("status-waiting", None)},
        {"a.txt": ("status-error", None), "b.txt": ("status-whole", page_name("b.txt"))},
    ]
    assert (tmp_path / "report" / page_name("b.txt")).exists()


@pytest.mark.vcr(LISBON_ANSWERS)
def test_batch_report_links_each_brief_and_a_rerun_fills_a_new_folder(cli_env, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "lisbon.txt").write_bytes(LISBON.read_bytes().replace(b"\n", b"\r\n"))
    (folder / "empty.txt").write_text("")
    out, report = tmp_path / "results.jsonl", tmp_path / "report"
    args = ["batch", str(folder), "--out", str(out), "--report", str(report)]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 1, first.stderr  # the empty article failed
    rows = Index(report / INDEX).rows
    assert list(rows) == ["empty.txt", "lisbon.txt"]
    assert rows["empty.txt"]["link"] is None
    assert "failed: the article is empty" in text_of(rows["empty.txt"])
    page = report / rows["lisbon.txt"]["link"]
    html = page.read_text(encoding="utf-8")
    brief = json.loads(out.read_text(encoding="utf-8").splitlines()[-1])["brief"]
    assert "Mayor Ana Ribeiro" in html and html.count('data-item="') == (
        len(brief["events"]) + len(brief["figures"]) + len(brief["quotes"])
    )
    counts = [len(brief[kind]) for kind in ("events", "figures", "quotes")]
    assert text_of(rows["lisbon.txt"]).startswith(brief["title"])
    assert f"{counts[0]} {counts[1]} {counts[2]}" in text_of(rows["lisbon.txt"])

    again = CliRunner().invoke(main, [*args[:-1], str(tmp_path / "later")])
    assert again.exit_code == 1, again.stderr  # nothing asked: lisbon is done, empty fails
    later = Index(tmp_path / "later" / INDEX).rows
    assert later["lisbon.txt"]["link"] == rows["lisbon.txt"]["link"]
    assert (tmp_path / "later" / later["lisbon.txt"]["link"]).read_text(encoding="utf-8") == html
