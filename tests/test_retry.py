"""What is sent again (summarizer.retry), and what a cut-off answer keeps."""

from __future__ import annotations

import email.utils
import time

import httpx2
import openai
import pytest
from conftest import LISBON

from summarizer import retry
from summarizer.article import load_article
from summarizer.errors import worst
from summarizer.passes import Context, events, quotes
from summarizer.passes.base import finished_part


def status_error(status: int, headers: dict | None = None) -> openai.APIStatusError:
    request = httpx2.Request("POST", "http://127.0.0.1:9/v1/chat/completions")
    response = httpx2.Response(status, headers=headers or {}, request=request)
    return openai.APIStatusError("fault", response=response, body=None)


@pytest.mark.parametrize(
    ("status", "sent_again"),
    [(400, False), (401, False), (404, False), (408, True), (429, True), (500, True), (503, True)],
)
def test_only_transient_statuses_are_sent_again(status, sent_again):
    assert retry.transient(status_error(status)) is sent_again


def test_a_timeout_is_transient_for_a_remote_endpoint_only():
    timeout = openai.APITimeoutError(request=httpx2.Request("POST", "http://127.0.0.1:9/v1"))
    assert retry.transient(timeout)
    assert retry.Policy.remote().transport().stop.max_attempt_number == 3
    assert retry.Policy.embedded().transport().stop.max_attempt_number == 1  # never re-sent


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"retry-after": "2"}, 2.0),
        ({"retry-after-ms": "250"}, 0.25),
        ({}, None),
        ({"retry-after": "soon"}, None),
    ],
)
def test_retry_after_is_read_from_the_servers_headers(headers, seconds):
    assert retry.retry_after(status_error(429, headers)) == seconds


def test_retry_after_as_an_http_date():
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 < retry.retry_after(status_error(503, {"retry-after": when})) <= 30


@pytest.mark.parametrize(
    ("codes", "exit_code"),
    [((0, 0), 0), ((0, 3), 3), ((3, 1), 1), ((1, 2, 3), 2), ((3, 0, 3), 3)],
)
def test_several_articles_exit_with_the_worst_outcome(codes, exit_code):
    assert worst(*codes) == exit_code


LISBON_CTX = Context.build(load_article(LISBON.read_text(encoding="utf-8")))
QUOTE_KEYS = [f.alias for f in quotes.question(LISBON_CTX).model.model_fields.values()]
WHOLE = '{"speaker": "Mayor Ana Ribeiro", "speaker_role": null, "channel": null}'


@pytest.mark.parametrize(
    ("partial", "finished"),
    [
        ("", []),
        ('{\n  "Q1 We', []),
        (f'{{"{QUOTE_KEYS[0]}": {{"speaker": "Mayor Ana', []),
        (f'{{"{QUOTE_KEYS[0]}": {{"speaker": "Mayor", "speaker_role": null', []),
        (f'{{"{QUOTE_KEYS[0]}": {WHOLE[:-1]}', ["Q1"]),  # every field written: finished
        (f'{{"{QUOTE_KEYS[0]}": {WHOLE}, "{QUOTE_KEYS[1]}": {{"speaker": "Op', ["Q1"]),
    ],
    ids=["nothing", "in-a-key", "in-a-value", "a-field-missing", "no-closing-brace", "next-begun"],
)
def test_a_cut_off_answer_keeps_only_the_items_it_finished(partial, finished):
    ids, data = finished_part(quotes.question(LISBON_CTX), partial)
    assert ids == finished
    assert list(data) == QUOTE_KEYS[: len(finished)]


def test_a_cut_off_events_answer_keeps_its_headline_only_whole():
    question = events.question(LISBON_CTX)
    head = '{"title": "Lisbon plants trees", "summary": "The council'
    assert finished_part(question, head) == ([], {})
    whole = '{"title": "Lisbon plants trees", "summary": "The council voted.", "S1": {"who'
    ids, data = finished_part(question, whole)
    assert ids == ["headline"] and set(data) == {"title", "summary"}
