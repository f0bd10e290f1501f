"""Endpoint answers seen in the wild: each ends clearly, and only what can succeed is retried.

Every response here is a hand-written fault injected in front of the (empty) cassette; the
cassette check then proves how many requests were made: a retried fault is injected once
per expected request, and a fault that must not be retried is injected once.
"""

from __future__ import annotations

import json
import socket
import threading
import time

import openai
import pytest
from conftest import CASSETTES, LISBON, RECORDED_MODEL, chat_completion, inject_fault

import summarizer
from summarizer import BackendError, ExtractionError
from summarizer.cli import main

TEXT = LISBON.read_text(encoding="utf-8")
SSE = 'data: {"id":"x","choices":[{"delta":{"content":"{"}}]}\n\ndata: [DONE]\n\n'


def refusal() -> dict:
    body = chat_completion(None)
    body["choices"][0]["message"]["refusal"] = "I can't help with that."
    return body


def filtered() -> dict:
    body = chat_completion(None, finish_reason="content_filter")
    del body["choices"][0]["message"]
    return body


def error(message: str, code: object = None) -> dict:
    return {"error": {"message": message, "type": "invalid_request_error", "code": code}}


PASSES = 3  # the Lisbon article is asked about its quotes, its figures and its events
CASES = [
    # id, status, body, headers, requests per pass, whether it ends the brief at once, error type, message
    ("refusal", 200, refusal(), None, 1, False, ExtractionError, "the model refused: I can't help with that."),
    ("content-filter", 200, filtered(), None, 1, False, ExtractionError, "content filter withheld the answer"),
    ("text-plain", 200, "Service temporarily unavailable", {"content-type": "text/plain"}, 1, True, BackendError, "not a chat completion: 'Service temporarily unavailable'"),
    ("no-choices", 200, {"id": "x", "object": "chat.completion"}, None, 1, True, BackendError, "without 'choices'"),
    ("sse", 200, SSE, {"content-type": "text/event-stream"}, 1, True, BackendError, "event stream (SSE)"),
    ("400-code-null", 400, error("Invalid 'messages'"), None, 1, False, BackendError, "HTTP 400: Invalid 'messages'"),
    ("401", 401, error("Incorrect API key provided: sk-proj-abc123XYZ789. You can find your API key at https://platform.openai.com/account/api-keys."), None, 1, True, BackendError, "HTTP 401: Incorrect API key provided: sk-[redacted]. You can"),
    ("404-model", 404, error("The model `m` does not exist", "model_not_found"), None, 1, True, BackendError, "HTTP 404: The model `m` does not exist"),
    ("429-int-code", 429, error("Rate limit exceeded", 429), {"retry-after": "0"}, 3, False, BackendError, "HTTP 429: Rate limit exceeded"),
    ("429-string-code", 429, error("Rate limit reached", "rate_limit_exceeded"), {"retry-after-ms": "1"}, 3, False, BackendError, "HTTP 429: Rate limit reached"),
    ("500", 500, error("Internal error"), {"retry-after": "0"}, 3, False, BackendError, "HTTP 500: Internal error"),
    ("502-html", 502, "<html><body>Bad Gateway</body></html>", {"content-type": "text/html", "retry-after": "0"}, 3, False, BackendError, "HTTP 502: <html><body>Bad Gateway"),
    ("503", 503, error("Overloaded"), {"retry-after": "0"}, 3, False, BackendError, "HTTP 503: Overloaded"),
]  # fmt: skip


@pytest.mark.vcr
@pytest.mark.parametrize(
    ("status", "body", "headers", "per_pass", "at_once", "error_type", "message"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_endpoint_fault(client, vcr, status, body, headers, per_pass, at_once, error_type, message):
    """A fault that every request would meet ends the brief at the first; any other fails
    its pass, and a brief whose every pass failed is the first pass's error."""
    for _ in range(per_pass * (1 if at_once else PASSES)):
        inject_fault(vcr, "", status, body, headers)
    with pytest.raises(error_type) as caught:
        summarizer.summarize(TEXT, client=client, model=RECORDED_MODEL)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
    assert str(caught.value).startswith("http://127.0.0.1:9/v1: ")  # names the endpoint


@pytest.mark.vcr
def test_refusal_through_the_cli_is_one_line(cli_env, vcr):
    from click.testing import CliRunner

    for _ in range(PASSES):
        inject_fault(vcr, "", 200, refusal())
    result = CliRunner().invoke(main, [str(LISBON)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"summarize: error: {LISBON}: http://127.0.0.1:9/v1: the model refused: "
        "I can't help with that.\n"
    )


@pytest.fixture
def silent_server():
    """A server on 127.0.0.1 that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted = []
    stop = threading.Event()

    def serve():
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/v1", accepted
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    listener.close()


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_a_server_that_never_answers_times_out(silent_server):
    url, accepted = silent_server
    client = openai.OpenAI(base_url=url, api_key="k", timeout=0.5, max_retries=1)
    started = time.monotonic()
    with pytest.raises(BackendError, match=r"timed out after 0.5s \(1 retries\)"):
        summarizer.summarize(TEXT, client=client, model="m")
    assert time.monotonic() - started < 10  # two requests of 0.5 s a pass, plus backoff
    assert len(accepted) == 2 * PASSES


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_cli_timeout_bounds_a_silent_server(silent_server, monkeypatch):
    from click.testing import CliRunner

    url, _ = silent_server
    monkeypatch.setenv("OPENAI_BASE_URL", url)
    started = time.monotonic()
    result = CliRunner().invoke(main, [str(LISBON), "--timeout", "1"])
    assert result.exit_code == 1
    assert "timed out after 1.0s (2 retries)" in result.stderr
    assert result.stderr.count("\n") == 1
    assert time.monotonic() - started < 25  # 3 requests of 1 s a pass, plus backoff


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_eval_timeout_bounds_each_case(silent_server, monkeypatch, tmp_path):
    """On a loaded machine a long article can need more than the default 300 s a request:
    `summarize eval --timeout` sets it, and a case that times out is reported, not lost."""
    from click.testing import CliRunner

    url, _ = silent_server
    monkeypatch.setenv("OPENAI_BASE_URL", url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-placeholder")
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    gold = {"id": "a", "published": "2026-05-14", "gold": {"what": ["x"], "who": []}}
    (tmp_path / "a.gold.json").write_text(json.dumps(gold), encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", str(tmp_path), "--timeout", "1"])
    assert result.exit_code == 0, result.stderr
    assert "failed: events a: " in result.stderr
    assert "timed out after 1.0s (2 retries)" in result.stderr
    assert "| failures | 1 |" in result.stdout


# The three passes of the Lisbon article, as the recorded model answered them.
LISBON_ANSWERS = str(CASSETTES / "test_api" / "test_rate_limit_is_retried_then_succeeds.yaml")


@pytest.mark.vcr(LISBON_ANSWERS)
@pytest.mark.cassette_in_part
def test_a_pass_that_cannot_be_answered_leaves_a_partial_brief(cli_env, vcr):
    """The events pass is refused; the quotes and figures are printed, and exit code 3."""
    from click.testing import CliRunner

    inject_fault(vcr, "brief the article", 200, refusal())
    result = CliRunner().invoke(main, [str(LISBON), "--no-cache"])
    assert result.exit_code == 3
    assert result.stderr == (
        f"summarize: warning: {LISBON}: partial brief: the events pass could not be "
        "answered (meta.warnings says why)\n"
    )
    brief = json.loads(result.stdout)
    assert brief["meta"]["incomplete"] == ["events"]
    assert (
        "events pass failed: http://127.0.0.1:9/v1: the model refused: I can't help with that."
        in brief["meta"]["warnings"]
    )
    assert [quote["speaker"] for quote in brief["quotes"]][0] == "Mayor Ana Ribeiro"
    assert len(brief["figures"]) == 4 and brief["events"] == []
    assert vcr.play_count == 3  # quotes, figures, and the refusal
